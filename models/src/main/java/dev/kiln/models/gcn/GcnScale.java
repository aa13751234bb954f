package dev.kiln.models.gcn;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.optim.Adam;
import dev.kiln.sparse.Graphs;
import dev.kiln.sparse.SparseTensor;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Full-batch GCN epochs at scale: Kipf and Welling's two-layer model ({@link Gcn}, 16 hidden,
 * dropout 0.5, Adam 0.01) on an R-MAT graph ({@link Graphs#rmat}) with random class labels and
 * features that carry them (a class mean plus standard normal noise, as in {@link Csbm}). Each
 * epoch is forward, cross-entropy on the labelled nodes, backward and the Adam step; the time of
 * each is printed, and a last line with the median.
 *
 * <pre>
 * java -Xmx8g -cp models/target/kiln.jar dev.kiln.models.gcn.GcnScale --scale 20 --edge-factor 16
 * </pre>
 *
 * Options: {@code --scale N} (2^N nodes, default 20), {@code --edge-factor N} (edges drawn per
 * node, default 16), {@code --features N} (default 64), {@code --classes N} (default 8),
 * {@code --epochs N} (default 3), {@code --seed S}, {@code --device cpu|cuda}.
 */
public final class GcnScale {

    /** One run's sizes and timings (seconds). */
    public record Report(int nodes, int edgesDrawn, long storedEntries, double buildSeconds, double[] epochSeconds, double[] epochCpuSeconds,
                         double firstLoss, double lastLoss) {

        public double medianEpochSeconds() {
            return median(epochSeconds);
        }

        static double median(double[] values) {
            double[] s = values.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    private GcnScale() {
    }

    /** CPU time of the whole process (all threads; on a shared machine wall time also counts waiting for a core). */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    public static void main(String[] args) {
        int scale = 20, edgeFactor = 16, features = 64, classes = 8, epochs = 3;
        long seed = 1;
        Device device = Device.cpu();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--scale" -> scale = Integer.parseInt(v);
                case "--edge-factor" -> edgeFactor = Integer.parseInt(v);
                case "--features" -> features = Integer.parseInt(v);
                case "--classes" -> classes = Integer.parseInt(v);
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--device" -> device = Device.parse(v);
                default -> throw new IllegalArgumentException("unknown option " + a
                        + "; expected --scale, --edge-factor, --features, --classes, --epochs, --seed or --device");
            }
        }
        Report r = run(scale, edgeFactor, features, classes, epochs, seed, device, System.out);
        System.out.printf(Locale.ROOT, "RESULT bench=gcn_epoch graph=rmat scale=%d edge_factor=%d nodes=%d stored_entries=%d "
                        + "features=%d device=%s build_seconds=%.2f median_epoch_seconds=%.3f "
                        + "median_epoch_cpu_seconds=%.3f%n", scale, edgeFactor, r.nodes(), r.storedEntries(), features, device, r.buildSeconds(),
                r.medianEpochSeconds(), Report.median(r.epochCpuSeconds()));
    }

    /** Builds the graph and runs {@code epochs} full-batch epochs, logging each to {@code log} (null: silent). */
    public static Report run(int scale, int edgeFactor, int features, int classes, int epochs, long seed, Device device,
                             PrintStream log) {
        if (features < classes || classes < 2 || epochs < 1) {
            throw new IllegalArgumentException("need classes >= 2, features >= classes and epochs >= 1, got classes " + classes
                    + ", features " + features + ", epochs " + epochs);
        }
        long t0 = System.nanoTime();
        SparseTensor adjacency = Graphs.rmat(scale, edgeFactor, seed);
        SparseTensor a = Graphs.gcnNormalize(adjacency);
        int nodes = a.rows();
        SplittableRandom r = new SplittableRandom(seed ^ 0x5CA1EL);
        int[] labels = new int[nodes];
        float[] x = new float[Math.multiplyExact(nodes, features)];
        for (int i = 0; i < nodes; i++) {
            labels[i] = r.nextInt(classes);
            for (int f = 0; f < features; f++) {
                double u = 1 - r.nextDouble(), w = r.nextDouble();
                x[i * features + f] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w) + (f == labels[i] ? 1 : 0));
            }
        }
        PlanetoidSplit split = PlanetoidSplit.of(labels, classes, 20, 0, 0, seed);
        int[] y = new int[split.train().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[split.train()[i]];
        }
        Tensor xs = Tensor.fromArray(x, nodes, features).to(device);
        Tensor trainIdx = Tensor.fromIndices(split.train()).to(device), yTrain = Tensor.fromIndices(y).to(device);
        Generator dropout = new Generator(seed ^ 0xD80L);
        Gcn gcn = new Gcn(a, features, GcnModel.HIDDEN, classes, GcnModel.DROPOUT, new Generator(seed), dropout);
        gcn.to(device);
        Adam opt = new Adam(gcn.parameters(), GcnModel.LR);
        double build = (System.nanoTime() - t0) / 1e9;
        if (log != null) {
            log.printf(Locale.ROOT, "gcn scale: R-MAT scale %d, edge factor %d: %,d nodes, %,d edges drawn, %,d stored entries of Â "
                    + "(with self loops); %d features, %d classes; built in %.1f s%n", scale, edgeFactor, nodes,
                    edgeFactor * nodes, a.nnz(), features, classes, build);
        }
        double[] times = new double[epochs], cpu = new double[epochs];
        double loss = Double.NaN, first = Double.NaN;
        for (int e = 0; e < epochs; e++) {
            long s = System.nanoTime(), c = processCpuNanos();
            Tensor ce = gcn.forward(xs).indexSelect(0, trainIdx).crossEntropy(yTrain);
            opt.zeroGrad();
            ce.backward();
            opt.step();
            loss = ce.item();
            first = e == 0 ? loss : first;
            times[e] = (System.nanoTime() - s) / 1e9;
            cpu[e] = (processCpuNanos() - c) / 1e9;
            if (log != null) {
                log.printf(Locale.ROOT, "gcn scale: epoch %d/%d: %.3f s wall, %.3f s CPU over all threads (forward, backward, Adam step), "
                        + "loss %.4f%n", e + 1, epochs, times[e], cpu[e], loss);
            }
        }
        return new Report(nodes, edgeFactor * nodes, a.nnz(), build, times, cpu, first, loss);
    }
}
