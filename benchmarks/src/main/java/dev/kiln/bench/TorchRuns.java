package dev.kiln.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The libtorch side of {@link CpuVsLibtorch}: the same networks, optimiser, batches and timing
 * through DJL's PyTorch engine, written the way a DJL user trains (a {@link Trainer}, a
 * {@link GradientCollector} per step, a sub-manager that frees each step's arrays).
 * Compiled only with the {@code libtorch} Maven profile, which adds DJL.
 */
public final class TorchRuns {

    private TorchRuns() {
    }

    private static Trainer trainer(Model model, Block net, Shape input) {
        model.setBlock(net);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(CpuVsLibtorch.LR)).build())
                .optDevices(new Device[] {Device.cpu()});
        Trainer t = model.newTrainer(config);
        t.initialize(input);
        return t;
    }

    private static void step(Trainer trainer, NDArray x, NDArray y) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList pred = trainer.forward(new NDList(x));
            NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
            gc.backward(loss);
        }
        trainer.step();
    }

    /** The engine's description for the log; also seeds its random numbers, so a run repeats. */
    private static String describe() {
        Engine e = Engine.getEngine("PyTorch");
        e.setRandomSeed(1);
        return "libtorch " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + "), " + JniUtils.getNumThreads()
                + " intra-op threads, " + JniUtils.getNumInteropThreads() + " inter-op";
    }

    /** The MLP on Fashion-MNIST; see {@link CpuVsLibtorch}. */
    public static CpuVsLibtorch.Result mlp() throws Exception {
        CpuVsLibtorch.Split[] data = CpuVsLibtorch.fashionMnist();
        CpuVsLibtorch.Split train = data[0], test = data[1];
        System.err.println(describe());
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(256).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        int b = CpuVsLibtorch.BATCH, n = train.n(), f = train.f();
        float[] x = new float[b * f];
        int[] y = new int[b];
        int epochs = CpuVsLibtorch.epochs();
        double[] wall = new double[epochs], cpu = new double[epochs];
        try (Model model = Model.newInstance("mlp", Device.cpu(), "PyTorch");
             Trainer trainer = trainer(model, net, new Shape(b, f))) {
            float lastLoss = Float.NaN;
            for (int e = 0; e < epochs; e++) {
                int[] order = CpuVsLibtorch.order(n, e);
                double c0 = CpuVsLibtorch.cpuSeconds();
                long t0 = System.nanoTime();
                NDArray lastX = null, lastY = null;
                for (int from = 0; from < n; from += b) {
                    int rows = Math.min(b, n - from);
                    CpuVsLibtorch.gather(train, order, from, rows, x, y);
                    try (NDManager sub = trainer.getManager().newSubManager()) {
                        NDArray xt = sub.create(rows == b ? x : Arrays.copyOf(x, rows * f), new Shape(rows, f));
                        NDArray yt = sub.create(toFloat(y, rows));
                        step(trainer, xt, yt);
                        if (from + b >= n) {
                            lastLoss = trainer.getLoss().evaluate(new NDList(yt), trainer.evaluate(new NDList(xt))).getFloat();
                        }
                    }
                }
                wall[e] = (System.nanoTime() - t0) / 1e9;
                cpu[e] = CpuVsLibtorch.cpuSeconds() - c0;
                System.err.printf(Locale.ROOT, "libtorch mlp epoch %d: %.2f s (cpu %.2f s), last-batch loss %.4f%n",
                        e + 1, wall[e], cpu[e], lastLoss);
            }
            double acc = accuracy(trainer, test);
            int best = CpuVsLibtorch.argMin(wall);
            return new CpuVsLibtorch.Result("mlp", "libtorch", JniUtils.getNumThreads(), wall[best], CpuVsLibtorch.median(wall), cpu[best],
                    acc, epochs + " epochs, last-batch loss " + String.format(Locale.ROOT, "%.4f", lastLoss));
        }
    }

    private static float[] toFloat(int[] y, int rows) {
        float[] out = new float[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = y[i];
        }
        return out;
    }

    private static double accuracy(Trainer trainer, CpuVsLibtorch.Split test) {
        int n = test.n(), f = test.f(), chunk = 1000;
        long correct = 0;
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            try (NDManager sub = trainer.getManager().newSubManager()) {
                NDArray xt = sub.create(Arrays.copyOfRange(test.x(), from * f, (from + rows) * f), new Shape(rows, f));
                long[] pred = trainer.evaluate(new NDList(xt)).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < rows; i++) {
                    if (pred[i] == test.y()[from + i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / n;
    }

    /** conv 3×3 → BN, twice with a ReLU between, plus the identity, then ReLU: ResNet's basic block. */
    private static Block basicBlock(int c) {
        SequentialBlock main = new SequentialBlock()
                .add(conv3x3(c)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(conv3x3(c)).add(BatchNorm.builder().build());
        return new SequentialBlock()
                .add(new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        List.of(main, Blocks.identityBlock())))
                .add(Activation::relu);
    }

    private static Block conv3x3(int c) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(c).optBias(false).build();
    }

    /** The ResNet basic-block step; see {@link CpuVsLibtorch}. */
    public static CpuVsLibtorch.Result resnet() {
        System.err.println(describe());
        int c = CpuVsLibtorch.width(), b = CpuVsLibtorch.RESNET_BATCH;
        SequentialBlock net = new SequentialBlock()
                .add(conv3x3(c)).add(BatchNorm.builder().build()).add(Activation::relu)
                .add(basicBlock(c))
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(10).build());
        int steps = CpuVsLibtorch.steps(), warm = CpuVsLibtorch.warmup();
        double[] wall = new double[steps], cpu = new double[steps];
        try (Model model = Model.newInstance("resnet-block", Device.cpu(), "PyTorch");
             Trainer trainer = trainer(model, net, new Shape(b, 1, 28, 28))) {
            NDManager m = trainer.getManager();
            NDArray x = m.create(CpuVsLibtorch.randomImages(b * 28 * 28), new Shape(b, 1, 28, 28));
            NDArray y = m.create(toFloat(CpuVsLibtorch.randomLabels(b, 10), b));
            for (int s = -warm; s < steps; s++) {
                double c0 = CpuVsLibtorch.cpuSeconds();
                long t0 = System.nanoTime();
                try (NDManager sub = m.newSubManager()) {
                    // A copy of the batch owned by the step's sub-manager: every array the step derives
                    // from it is attached there and freed when the step ends.
                    NDArray xs = x.duplicate();
                    xs.attach(sub);
                    step(trainer, xs, y);
                }
                if (s >= 0) {
                    wall[s] = (System.nanoTime() - t0) / 1e9;
                    cpu[s] = CpuVsLibtorch.cpuSeconds() - c0;
                }
            }
            int best = CpuVsLibtorch.argMin(wall);
            System.err.printf(Locale.ROOT, "libtorch resnet: best step %.3f s, median %.3f s%n", wall[best], CpuVsLibtorch.median(wall));
            return new CpuVsLibtorch.Result("resnet", "libtorch", JniUtils.getNumThreads(), wall[best], CpuVsLibtorch.median(wall),
                    cpu[best], Double.NaN, "width " + c);
        }
    }
}
