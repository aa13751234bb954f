package dev.kiln.models.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * One epoch's progress bar (me.tongfei progressbar): samples done, samples/s, ETA, and the latest
 * loss and accuracy the trainer read from the device. On a terminal it redraws in place; when the
 * stream is a pipe or a file it prints a plain line at most every {@value #LOG_INTERVAL_MS} ms,
 * so logs stay short and free of carriage returns.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 120;
    private static final int LOG_INTERVAL_MS = 10_000;

    private final ProgressBar bar;

    Progress(PrintStream out, String task, long samples) {
        boolean interactive = System.console() != null && out == System.err;
        ProgressBarConsumer consumer = interactive ? new InPlace(out) : new LogLines(out);
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(samples)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" samples", 1)
                .showSpeed()
                .setUpdateIntervalMillis(interactive ? 250 : 1000)
                .setConsumer(consumer);
        if (interactive) {
            b.clearDisplayOnFinish(); // the trainer's epoch summary takes the bar's place
        }
        bar = b.build();
    }

    void advance(long samples) {
        bar.stepBy(samples);
    }

    void message(String m) {
        bar.setExtraMessage(" " + m);
    }

    @Override
    public void close() {
        bar.close();
    }

    /** For a terminal: redraws one line in place; the cleared line is left for the epoch summary. */
    private static final class InPlace extends ConsoleProgressBarConsumer {
        private final PrintStream stream;

        InPlace(PrintStream out) {
            super(out, WIDTH);
            this.stream = out;
        }

        @Override
        public void close() {
            stream.flush();
        }
    }

    /** For pipes and files: a whole line now and then, nothing at close (the epoch summary follows). */
    private static final class LogLines implements ProgressBarConsumer {
        private final PrintStream out;
        private long last = System.nanoTime();

        LogLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public void accept(String rendered) {
            long now = System.nanoTime();
            if (now - last >= LOG_INTERVAL_MS * 1_000_000L) {
                last = now;
                out.println(rendered.strip());
                out.flush();
            }
        }

        @Override
        public void close() {
        }
    }
}
