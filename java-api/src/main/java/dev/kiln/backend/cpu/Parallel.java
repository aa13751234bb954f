package dev.kiln.backend.cpu;

/** Splits index ranges over {@link CpuThreads}' pool once they are large enough to pay for it. */
final class Parallel {

    /** Body of a parallel loop over {@code [lo, hi)}. */
    interface Range {
        void run(int lo, int hi);
    }

    private Parallel() {
    }

    static int threads() {
        return CpuThreads.count();
    }

    /** Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} items. */
    static void range(int n, int grain, Range body) {
        int chunks = Math.min(threads() * 4, n / Math.max(1, grain));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        CpuThreads.forEach(chunks, c -> {
            int lo = (int) ((long) n * c / chunks);
            int hi = (int) ((long) n * (c + 1) / chunks);
            body.run(lo, hi);
        });
    }
}
