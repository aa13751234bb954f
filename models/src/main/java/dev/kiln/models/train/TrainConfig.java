package dev.kiln.models.train;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * How the {@link Trainer} runs; what it trains is the {@link TrainState}, the {@link TrainStep}
 * and the {@link Evaluation}.
 *
 * @param epochs      total epochs (a resumed run continues up to this number)
 * @param syncEvery   steps between reads of the step metrics to the host (progress, NaN check);
 *                    on a GPU this is the only per-step host round trip, so keep it well above 1
 * @param outDir      where checkpoints, history and curves go each epoch; null writes nothing
 * @param resume      continue from {@code outDir}'s checkpoint
 * @param log         progress bar and per-epoch summaries (usually {@code System.err}); null is silent
 * @param title       run name for the progress bar and the plot, e.g. {@code dnn/iris}
 * @param fingerprint models, architecture and dataset; a checkpoint with another fingerprint is not resumed
 */
public record TrainConfig(int epochs, int syncEvery, Path outDir, boolean resume, PrintStream log, String title,
                          String fingerprint) {

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (syncEvery < 1) {
            throw new IllegalArgumentException("syncEvery must be >= 1, got " + syncEvery);
        }
        if (resume && outDir == null) {
            throw new IllegalArgumentException("resume needs an output directory holding the checkpoint");
        }
        if (title == null || fingerprint == null) {
            throw new IllegalArgumentException("title and fingerprint are required");
        }
    }

    /** Defaults for a run: a host read every 20 steps, no output, silent. */
    public static TrainConfig of(int epochs, String title, String fingerprint) {
        return new TrainConfig(epochs, 20, null, false, null, title, fingerprint);
    }

    public TrainConfig withOutDir(Path dir, boolean resumeFromIt) {
        return new TrainConfig(epochs, syncEvery, dir, resumeFromIt, log, title, fingerprint);
    }

    public TrainConfig withLog(PrintStream stream) {
        return new TrainConfig(epochs, syncEvery, outDir, resume, stream, title, fingerprint);
    }

    public TrainConfig withSyncEvery(int steps) {
        return new TrainConfig(epochs, steps, outDir, resume, log, title, fingerprint);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, syncEvery, outDir, resume, log, title, fingerprint);
    }
}
