package dev.kiln.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** Splits index ranges over the common fork-join pool once they are large enough to pay for it. */
final class Parallel {

    /** Body of a parallel loop over {@code [lo, hi)}. */
    interface Range {
        void run(int lo, int hi);
    }

    private Parallel() {
    }

    static int threads() {
        return ForkJoinPool.getCommonPoolParallelism() + 1;
    }

    /** Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} items. */
    static void range(int n, int grain, Range body) {
        int chunks = Math.min(threads() * 4, n / Math.max(1, grain));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int lo = (int) ((long) n * c / chunks);
            int hi = (int) ((long) n * (c + 1) / chunks);
            body.run(lo, hi);
        });
    }
}
