package dev.kiln.bench;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.TensorScope;
import dev.kiln.backend.cpu.CpuSimd;
import dev.kiln.nn.Activation;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.Adam;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU training steps on the pure-Java backend, vector and scalar kernels in one run: one
 * 3×3 convolution, a ResNet-18 basic block (conv-BN-ReLU-conv-BN + identity, ReLU) and the
 * 784-256-128-10 MLP with Adam. Scores are milliseconds per step (forward, backward and, for the
 * MLP, the optimiser update).
 *
 * <p>{@code simd} picks the kernels: each parameter value runs in its own forked JVM, which sets
 * {@code kiln.cpu.simd} before the first kernel runs (the fork always has the incubator module, so
 * {@code vector} fails loudly rather than measuring the scalar path). Shapes are batch 64 at
 * {@code channels x side}: {@code 64x28}, {@code 128x14}, {@code 256x7} and {@code 512x4} are
 * ResNet-18's four stages on a 28×28 input (the last two with output planes of 49 and 16
 * positions, where several samples share one convolution product). Run through {@code benchmarks/cpu-step.sh}; {@link #main} runs one workload for a
 * number of steps without JMH (for a profiler).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class CpuStepBenchmark {

    /** {@code vector} or {@code scalar}: which form of the CPU kernels runs. */
    @Param({"vector", "scalar"})
    public String simd;

    private Module mlp;
    private Adam adam;
    private Tensor features;
    private Tensor labels;

    @Setup(Level.Trial)
    public void setup() {
        select(simd);
        buildMlp(new Generator(7));
    }

    /** The convolution workloads' layers and batch; set up after the kernels are chosen. */
    @State(Scope.Benchmark)
    public static class Conv {

        /** Channels and spatial side, {@code CxS}, batch 64. */
        @Param({"64x28", "128x14", "256x7", "512x4"})
        public String shape;

        Conv2d conv;
        Module block;
        Tensor image;

        @Setup(Level.Trial)
        public void setup(CpuStepBenchmark kernels) {
            String[] cs = shape.split("x");
            build(Integer.parseInt(cs[0]), Integer.parseInt(cs[1]));
        }

        void build(int channels, int side) {
            Generator g = new Generator(7);
            conv = new Conv2d(channels, channels, 3, 1, 1, 1, 1, false, g);
            block = new BasicBlock(channels, g);
            image = Tensor.randn(g, 64, channels, side, side);
        }
    }

    /** Sets {@code kiln.cpu.simd} for this JVM and checks the kernels that will run. */
    static void select(String simd) {
        if (!simd.equals("vector") && !simd.equals("scalar")) {
            throw new IllegalArgumentException("simd=" + simd + " is not one of vector, scalar");
        }
        System.setProperty(CpuSimd.PROPERTY, simd.equals("vector") ? "true" : "false");
        if (CpuSimd.enabled() != simd.equals("vector")) {
            throw new IllegalStateException("simd=" + simd + " but the CPU kernels are " + CpuSimd.description()
                    + " (the property was read before this benchmark set it)");
        }
    }

    void buildMlp(Generator g) {
        mlp = new Sequential(new Linear(784, 256, g), Activation.of("relu"), new Linear(256, 128, g),
                Activation.of("relu"), new Linear(128, 10, g));
        adam = new Adam(mlp.parameters(), 1e-3f);
        features = Tensor.randn(g, 128, 784);
        int[] y = new int[128];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i * 7 + 3) % 10;
        }
        labels = Tensor.fromIndices(y, 128);
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println("CPU kernels: " + CpuSimd.description());
    }

    /** One 3×3 convolution, stride 1, forward and backward (data and weight gradients). */
    @Benchmark
    public float conv(Conv c) {
        return step(c.conv, c.image);
    }

    /** A ResNet-18 basic block with the identity shortcut, forward and backward. */
    @Benchmark
    public float basicBlock(Conv c) {
        return step(c.block, c.image);
    }

    /** MLP 784-256-128-10, batch 128: forward, cross-entropy, backward, Adam update. */
    @Benchmark
    public float mlpAdam() {
        try (TensorScope s = Tensor.scope()) {
            adam.zeroGrad();
            Tensor loss = mlp.forward(features).crossEntropy(labels);
            loss.backward();
            adam.step();
            return loss.item();
        }
    }

    private static float step(Module m, Tensor x) {
        try (TensorScope s = Tensor.scope()) {
            m.zeroGrad();
            Tensor loss = m.forward(x).sum();
            loss.backward();
            return loss.item();
        }
    }

    /** ResNet's basic block without a projection (kept here so the benchmark needs only kiln-api). */
    static final class BasicBlock extends Module {
        BasicBlock(int channels, Generator g) {
            registerModule("conv1", new Conv2d(channels, channels, 3, 1, 1, 1, 1, false, g));
            registerModule("bn1", new BatchNorm2d(channels));
            registerModule("conv2", new Conv2d(channels, channels, 3, 1, 1, 1, 1, false, g));
            registerModule("bn2", new BatchNorm2d(channels));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = module("bn1").forward(module("conv1").forward(x)).relu();
            y = module("bn2").forward(module("conv2").forward(y));
            return y.add(x).relu();
        }
    }

    /**
     * Runs one workload without JMH, for a profiler: {@code conv|basicBlock|mlpAdam CxS steps} (mlpAdam
     * ignores CxS), e.g.
     * {@code java --add-modules jdk.incubator.vector -cp kiln-benchmarks.jar dev.kiln.bench.CpuStepBenchmark basicBlock 64x28 20}.
     * The kernels follow {@code -Dkiln.cpu.simd}. Prints each step's wall and process CPU milliseconds, the
     * best of each and the mean CPU time of the second half of the steps.
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: CpuStepBenchmark conv|basicBlock|mlpAdam CxS steps");
        }
        CpuStepBenchmark b = new CpuStepBenchmark();
        b.buildMlp(new Generator(7));
        Conv c = new Conv();
        String[] cs = args[1].split("x");
        c.build(Integer.parseInt(cs[0]), Integer.parseInt(cs[1]));
        int steps = Integer.parseInt(args[2]);
        System.out.println("CPU kernels: " + CpuSimd.description());
        // Process CPU time (all threads) beside wall time: on a shared machine the wall time of a
        // step includes waiting for a core, the CPU time mostly does not.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double best = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        double[] cpu = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime(), c0 = os.getProcessCpuTime();
            switch (args[0]) {
                case "conv": b.conv(c); break;
                case "basicBlock": b.basicBlock(c); break;
                case "mlpAdam": b.mlpAdam(); break;
                default: throw new IllegalArgumentException("workload " + args[0] + " is not one of conv, basicBlock, mlpAdam");
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
            best = Math.min(best, ms);
            bestCpu = Math.min(bestCpu, cpu[i]);
            System.out.printf(Locale.ROOT, "step %d: %.1f ms, %.1f CPU ms%n", i + 1, ms, cpu[i]);
        }
        // The CPU clock ticks coarsely (often 10 ms); the mean over many steps is exact.
        double late = 0;
        for (int i = steps / 2; i < steps; i++) {
            late += cpu[i];
        }
        System.out.printf(Locale.ROOT, "%s %s best %.1f ms, CPU ms best %.1f, mean of the second half %.2f%n", args[0], args[1],
                best, bestCpu, late / (steps - steps / 2));
    }
}
