package dev.kiln.bench.gpu;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the GPU JMH benchmarks share: one prepared device operation per trial, run once before
 * measuring (first-call work such as module loading or cudnnFind stays out of the timing), each
 * invocation followed by a device synchronisation, and its buffers released after the trial.
 */
abstract class DeviceOpBenchmark {

    protected GpuContext g;
    private AutoCloseable resources;
    private Runnable op;

    /** Takes over {@code resources} (closed after the trial) and runs {@code op} once. */
    protected void start(AutoCloseable resources, Runnable op) {
        this.resources = resources;
        this.op = op;
        step();
    }

    /** One measured invocation: the operation, then a wait for the device. */
    protected void step() {
        op.run();
        g.backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (resources != null) {
            g.backend.synchronize();
            resources.close();
            g.backend.emptyCache();
        }
    }
}
