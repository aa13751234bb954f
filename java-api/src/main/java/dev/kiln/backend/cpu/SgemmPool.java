package dev.kiln.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/** The fork-join pool {@link Sgemm} splits large products over: daemon threads, one per core. */
final class SgemmPool {

    static final ForkJoinPool POOL = create();

    private SgemmPool() {
    }

    private static ForkJoinPool create() {
        AtomicInteger ids = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("kiln-sgemm-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()), factory, null, false);
    }
}
