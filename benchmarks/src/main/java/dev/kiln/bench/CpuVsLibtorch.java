package dev.kiln.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.kiln.Autograd;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.TensorScope;
import dev.kiln.backend.cpu.CpuGemm;
import dev.kiln.backend.cpu.CpuProvider;
import dev.kiln.backend.cpu.CpuThreads;
import dev.kiln.data.FashionMnist;
import dev.kiln.data.LabeledData;
import dev.kiln.models.resnet.BasicBlock;
import dev.kiln.nn.Activation;
import dev.kiln.nn.AdaptiveAvgPool2d;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.F;
import dev.kiln.nn.Flatten;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.Adam;
import dev.kiln.optim.Optimizer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Kiln's CPU backend against libtorch (through DJL) on two training workloads, one configuration
 * per JVM (thread counts are fixed when a library starts). Run by {@code benchmarks/cpu-vs-libtorch.sh},
 * which starts one JVM per row and prints the tables.
 *
 * <ul>
 *   <li>{@code mlp}: the MLP 784-256-128-10 on Fashion-MNIST (Kiln's loader), Adam lr 1e-3, batch 128,
 *       the same shuffled order for both; seconds per epoch (best of the epochs, each epoch timed
 *       whole) and held-out accuracy after the last epoch.</li>
 *   <li>{@code resnet}: a ResNet-18 basic block at batch 64 on 1×28×28 inputs — conv 3×3 stem
 *       (1→C) + BN + ReLU, one basic block (C→C), global average pool, linear C→10 — one Adam
 *       training step on a fixed random batch; steps per second (best and median of the timed
 *       steps after warm-up).</li>
 * </ul>
 *
 * <p>Arguments: {@code engine=kiln|torch task=mlp|resnet}; system properties {@code epochs} (3),
 * {@code steps} (10), {@code warmup} (3), {@code width} (64). Kiln's threads come from
 * {@code -Dkiln.cpu.threads}, its GEMM from {@code -Dkiln.cpu.impl.gemm}; libtorch's from
 * {@code -Dai.djl.pytorch.num_threads}. Prints one {@code result ...} line.
 */
public final class CpuVsLibtorch {

    static final int BATCH = 128;
    static final int RESNET_BATCH = 64;
    static final float LR = 1e-3f;

    private CpuVsLibtorch() {
    }

    /** What one configuration measured. */
    public record Result(String task, String impl, int threads, double bestSeconds, double medianSeconds,
                         double cpuSeconds, double accuracy, String detail) {
        String line() {
            return String.format(Locale.ROOT, "result task=%s impl=%s threads=%d best_s=%.4f median_s=%.4f cpu_s=%.4f acc=%.4f detail=%s",
                    task, impl, threads, bestSeconds, medianSeconds, cpuSeconds, accuracy, detail.replace(' ', '_'));
        }
    }

    public static void main(String[] args) throws Exception {
        String engine = "kiln", task = "mlp";
        for (String a : args) {
            if (a.startsWith("engine=")) {
                engine = a.substring(7);
            } else if (a.startsWith("task=")) {
                task = a.substring(5);
            } else {
                throw new IllegalArgumentException("unknown argument " + a + ": expected engine=kiln|torch task=mlp|resnet");
            }
        }
        if (!task.equals("mlp") && !task.equals("resnet")) {
            throw new IllegalArgumentException("task=" + task + " is not one of mlp, resnet");
        }
        Result r;
        if (engine.equals("kiln")) {
            System.err.println(new CpuProvider().describe());
            r = task.equals("mlp") ? kilnMlp() : kilnResNet();
        } else if (engine.equals("torch")) {
            Class<?> c;
            try {
                c = Class.forName("dev.kiln.bench.TorchRuns");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the libtorch runs are not compiled in: build kiln-benchmarks with -Plibtorch"
                        + " (benchmarks/cpu-vs-libtorch.sh does)", e);
            }
            r = (Result) c.getMethod(task).invoke(null);
        } else {
            throw new IllegalArgumentException("engine=" + engine + " is not one of kiln, torch");
        }
        System.out.println(r.line());
    }

    // ---- shared by both engines ------------------------------------------------------------

    static int epochs() {
        return Integer.getInteger("epochs", 3);
    }

    static int steps() {
        return Integer.getInteger("steps", 10);
    }

    static int warmup() {
        return Integer.getInteger("warmup", 3);
    }

    static int width() {
        return Integer.getInteger("width", 64);
    }

    /** A split's features ({@code n × f}, in [0, 1]) and labels, copied out of the loader once. */
    record Split(float[] x, int[] y, int n, int f) {
        static Split of(LabeledData d) {
            return new Split(d.features(), d.labels(), d.size(), d.featureSize());
        }
    }

    /** Fashion-MNIST's training and test splits through Kiln's loader. */
    static Split[] fashionMnist() throws java.io.IOException {
        return new Split[] {Split.of(FashionMnist.load(FashionMnist.Split.TRAIN)), Split.of(FashionMnist.load(FashionMnist.Split.TEST))};
    }

    /** The sample order of an epoch: the same for every engine. */
    static int[] order(int n, int epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Random r = new Random(1000L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Copies the samples {@code order[from..from+rows)} into {@code x} and {@code y}. */
    static void gather(Split d, int[] order, int from, int rows, float[] x, int[] y) {
        int f = d.f();
        float[] all = d.x();
        int[] labels = d.y();
        for (int i = 0; i < rows; i++) {
            System.arraycopy(all, order[from + i] * f, x, i * f, f);
            y[i] = labels[order[from + i]];
        }
    }

    /** Process CPU time (every thread, native ones included), seconds. */
    static double cpuSeconds() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static int[] randomLabels(int n, int classes) {
        Random r = new Random(5);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    static float[] randomImages(int n) {
        Random r = new Random(6);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static String kilnImpl() {
        return CpuGemm.vendorSelected() ? "kiln-vendor" : "kiln-own";
    }

    // ---- Kiln ------------------------------------------------------------------------------

    static Result kilnMlp() throws Exception {
        Split[] data = fashionMnist();
        Split train = data[0], test = data[1];
        Generator g = new Generator(1);
        Module net = new Sequential(new Linear(784, 256, g), Activation.relu(), new Linear(256, 128, g), Activation.relu(),
                new Linear(128, 10, g));
        Optimizer opt = new Adam(net.parameters(), LR);
        int n = train.n(), f = train.f();
        float[] x = new float[BATCH * f];
        int[] y = new int[BATCH];
        int epochs = epochs();
        double[] wall = new double[epochs], cpu = new double[epochs];
        float lastLoss = Float.NaN;
        for (int e = 0; e < epochs; e++) {
            int[] order = order(n, e);
            double c0 = cpuSeconds();
            long t0 = System.nanoTime();
            Tensor loss = null;
            for (int from = 0; from < n; from += BATCH) {
                int rows = Math.min(BATCH, n - from);
                gather(train, order, from, rows, x, y);
                try (TensorScope scope = Tensor.scope()) {
                    Tensor xt = Tensor.fromArray(rows == BATCH ? x : Arrays.copyOf(x, rows * f), rows, f);
                    Tensor yt = Tensor.fromIndices(rows == BATCH ? y : Arrays.copyOf(y, rows));
                    opt.zeroGrad();
                    loss = net.forward(xt).crossEntropy(yt);
                    loss.backward();
                    opt.step();
                    loss = scope.keep(loss.detach());
                }
            }
            wall[e] = (System.nanoTime() - t0) / 1e9;
            cpu[e] = cpuSeconds() - c0;
            lastLoss = loss.toFloatArray()[0];
            System.err.printf(Locale.ROOT, "%s mlp epoch %d: %.2f s (cpu %.2f s), last loss %.4f%n", kilnImpl(), e + 1, wall[e], cpu[e], lastLoss);
        }
        double acc = kilnAccuracy(net, test);
        int best = argMin(wall);
        return new Result("mlp", kilnImpl(), CpuThreads.count(), wall[best], median(wall), cpu[best], acc,
                epochs + " epochs, last loss " + String.format(Locale.ROOT, "%.4f", lastLoss));
    }

    private static double kilnAccuracy(Module net, Split test) {
        int n = test.n(), f = test.f(), chunk = 1000;
        double correct = 0;
        try (var noGrad = Autograd.noGrad()) {
            for (int from = 0; from < n; from += chunk) {
                int rows = Math.min(chunk, n - from);
                try (TensorScope scope = Tensor.scope()) {
                    Tensor xt = Tensor.fromArray(Arrays.copyOfRange(test.x(), from * f, (from + rows) * f), rows, f);
                    Tensor yt = Tensor.fromIndices(Arrays.copyOfRange(test.y(), from, from + rows));
                    correct += F.accuracy(net.forward(xt), yt) * rows;
                }
            }
        }
        return correct / n;
    }

    static Result kilnResNet() {
        int c = width();
        Generator g = new Generator(1);
        Module net = new Sequential(new Conv2d(1, c, 3, 1, 1, 1, 1, false, g), new BatchNorm2d(c), Activation.relu(),
                new BasicBlock(c, c, 1, g), new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(c, 10, g));
        Optimizer opt = new Adam(net.parameters(), LR);
        Tensor x = Tensor.fromArray(randomImages(RESNET_BATCH * 28 * 28), RESNET_BATCH, 1, 28, 28);
        Tensor y = Tensor.fromIndices(randomLabels(RESNET_BATCH, 10));
        int steps = steps(), warm = warmup();
        double[] wall = new double[steps], cpu = new double[steps];
        float loss = Float.NaN;
        for (int s = -warm; s < steps; s++) {
            double c0 = cpuSeconds();
            long t0 = System.nanoTime();
            try (TensorScope scope = Tensor.scope()) {
                opt.zeroGrad();
                Tensor l = net.forward(x).crossEntropy(y);
                l.backward();
                opt.step();
                loss = l.toFloatArray()[0];
            }
            if (s >= 0) {
                wall[s] = (System.nanoTime() - t0) / 1e9;
                cpu[s] = cpuSeconds() - c0;
            }
        }
        int best = argMin(wall);
        System.err.printf(Locale.ROOT, "%s resnet: best step %.3f s, median %.3f s, loss after %d steps %.4f%n",
                kilnImpl(), wall[best], median(wall), warm + steps, loss);
        return new Result("resnet", kilnImpl(), CpuThreads.count(), wall[best], median(wall), cpu[best], Double.NaN,
                "width " + c + ", loss " + String.format(Locale.ROOT, "%.4f", loss));
    }

    static int argMin(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[b]) {
                b = i;
            }
        }
        return b;
    }
}
