package dev.kiln.backend.cpu;

import java.util.concurrent.ForkJoinPool;

/** The fork-join pool {@link Sgemm} splits large products over: {@link CpuThreads}' pool. */
final class SgemmPool {

    static final ForkJoinPool POOL = CpuThreads.POOL;

    private SgemmPool() {
    }
}
