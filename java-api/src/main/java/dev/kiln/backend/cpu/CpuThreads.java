package dev.kiln.backend.cpu;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The threads every parallel CPU kernel runs on: one pool of daemon threads ({@code kiln-cpu-N}),
 * sized by the system property {@code kiln.cpu.threads} (read once, when the first kernel runs;
 * default one per core). The JVM's common fork-join pool is left to the application. Results do
 * not depend on the count: kernels split work by output rows, never a sum.
 */
public final class CpuThreads {

    /** The system property that sets the thread count. */
    public static final String PROPERTY = "kiln.cpu.threads";

    private static final int COUNT = read();
    static final ForkJoinPool POOL = create(COUNT);

    private CpuThreads() {
    }

    /** The number of threads CPU kernels use. */
    public static int count() {
        return COUNT;
    }

    /** Runs {@code body} for every index of {@code [0, chunks)} on the pool; returns when all are done. */
    public static void forEach(int chunks, IntConsumer body) {
        if (chunks <= 1 || COUNT == 1) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
        } else if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == POOL) {
            IntStream.range(0, chunks).parallel().forEach(body);
        } else {
            POOL.submit(() -> IntStream.range(0, chunks).parallel().forEach(body)).join();
        }
    }

    /** Runs {@code tasks} on the pool (joining it when already on one of its threads); returns when all are done. */
    static void invokeAll(List<ForkJoinTask<?>> tasks) {
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == POOL) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            POOL.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    ForkJoinTask.invokeAll(tasks);
                }
            });
        }
    }

    private static int read() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + " is not a thread count: expected an integer >= 1");
    }

    private static ForkJoinPool create(int threads) {
        AtomicInteger ids = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("kiln-cpu-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ForkJoinPool(threads, factory, null, false);
    }
}
