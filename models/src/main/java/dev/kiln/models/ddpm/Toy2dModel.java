package dev.kiln.models.ddpm;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.AtomicFiles;
import dev.kiln.models.train.TrainConfig;
import dev.kiln.models.train.TrainResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the generative models on {@link Toy2d}'s point clouds share: the datasets, the training
 * batches drawn on the device, and the closing report (sliced W1 of the samples to the held-out
 * points beside the noise baseline and the data floor, the log line, {@code samples.png}).
 */
public abstract class Toy2dModel implements KilnModel {

    /** The headline metric of every model on these datasets. */
    public static final String METRIC = "sliced_w1";

    private final String name;
    private final String description;
    private final List<String> demoDatasets;

    /** A model whose {@code kiln demo} row is on {@code moons}. */
    protected Toy2dModel(String name, String description) {
        this(name, description, List.of("moons"));
    }

    /** A model with a {@code kiln demo} row on each of {@code demoDatasets} (all generated, so always available). */
    protected Toy2dModel(String name, String description, List<String> demoDatasets) {
        this.name = name;
        this.description = description;
        this.demoDatasets = List.copyOf(demoDatasets);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<String> datasets() {
        List<String> all = new java.util.ArrayList<>(Toy2d.NAMES);
        all.add(dev.kiln.models.Datasets.FASHION_MNIST);
        return List.copyOf(all);
    }

    @Override
    public final List<DemoDataset> demoDatasets(RunRequest base) {
        return demoDatasets.stream().map(DemoDataset::available).toList();
    }

    /** Throws naming the datasets when the request's is not one of them. */
    private void checkDataset(RunRequest req) {
        if (!Toy2d.NAMES.contains(req.dataset())) {
            throw new IllegalArgumentException("Unknown dataset '" + req.dataset() + "' for " + name + "; expected one of " + datasets());
        }
    }

    /**
     * A run's settings after the request's overrides, with the training points uploaded to the
     * device and the held-out points on the host.
     */
    protected record Setup(long startNanos, Device device, int epochs, int batch, float lr, Tensor train, float[] heldOut) {
    }

    /** Checks the dataset, applies the request's epochs, batch size and learning rate over the preset's, draws the data. */
    protected final Setup setup(RunRequest req, int epochs, int batch, float lr, int trainSize, int evalSize) {
        long start = System.nanoTime();
        checkDataset(req);
        Tensor train = Tensor.fromArray(Toy2d.train(req.dataset(), req.seed(), trainSize), trainSize, 2).to(req.device());
        return new Setup(start, req.device(), req.epochs() != null ? req.epochs() : epochs,
                req.batchSize() != null ? req.batchSize() : batch, req.lr() != null ? req.lr() : lr, train,
                Toy2d.heldOut(req.dataset(), req.seed(), evalSize));
    }

    /**
     * The training loop's configuration: the request's output directory, resume flag and log; the
     * preset in the fingerprint; the run's epochs, batch size and learning rate as its settings.
     */
    protected final TrainConfig config(RunRequest req, Setup run, Object preset) {
        return new TrainConfig(run.epochs(), 50, req.outDir(), req.resume(), req.log(), name + "/" + req.dataset(),
                name + " " + req.dataset() + (req.quick() ? " quick" : "") + " " + preset)
                .withSettings(req.settings(run.epochs(), run.batch(), run.lr()), req.allowScheduleChange());
    }

    /** {@code batch} rows of {@code train} ({@code [n, ...]} on the device), picked uniformly with {@code g}. */
    public static Tensor batch(Tensor train, int batch, Generator g, Device dev) {
        int[] idx = new int[batch];
        for (int i = 0; i < batch; i++) {
            idx[i] = g.nextInt(train.size(0));
        }
        return train.indexSelect(0, Tensor.fromIndices(idx).to(dev));
    }

    /**
     * The run's result: the sliced W1 of {@code samples} to {@code held}, logged beside Gaussian noise
     * and a second draw of the data; the MMD ({@link Mmd}, bandwidths {@link Mmd#BANDWIDTHS}) of the
     * samples and of a second draw of the data to the held-out points, as {@code mmd} and
     * {@code mmd_real} on the RESULT line; on {@code ring} the modes covered and the share of
     * high-quality samples ({@link ModeCoverage}) as {@code modes} and {@code high_quality}. With an
     * output directory: the scatter PNG and the evaluated samples as {@code samples.csv}.
     */
    protected final RunResult finish(RunRequest req, String label, float[] samples, float[] held, long startNanos,
                                     TrainResult training) throws IOException {
        int n = held.length / 2;
        double sw = SlicedWasserstein.distance(samples, held, Toy2d.DIRECTIONS);
        double baseline = Toy2d.noiseBaseline(req.dataset(), req.seed(), n);
        double floor = Toy2d.dataFloor(req.dataset(), req.seed(), n);
        String title = name + "/" + req.dataset();
        float[] second = Toy2d.sample(req.dataset(), n, new Generator(req.seed() ^ 0x5EC0L));
        double[] mmd = Mmd.beside(samples, second, held, Mmd.BANDWIDTHS);
        StringBuilder extra = new StringBuilder(String.format(Locale.ROOT, "mmd=%.5f mmd_real=%.5f samples=%d", mmd[0], mmd[1], n));
        ModeCoverage cover = null;
        if (req.dataset().equals("ring")) {
            cover = ModeCoverage.of(samples, Toy2d.ringCentres(), Toy2d.RING_SIGMA);
            extra.append(String.format(Locale.ROOT, " modes=%d high_quality=%.4f", cover.modes(), cover.highQuality()));
        }
        if (req.log() != null) {
            req.log().println(String.format(Locale.ROOT, "%s: sliced W1 to %d held-out points: %s samples %.4f, Gaussian noise %.4f, "
                    + "a second draw of the data %.4f", title, n, label, sw, baseline, floor));
            req.log().println(String.format(Locale.ROOT, "%s: MMD (Gaussian kernels, σ = 0.05, 0.2, 0.8) to %d fresh real points: "
                    + "%s samples %.5f (MMD² %.6f), a second draw of the data %.5f (MMD² %.6f); ratio %.2f", title, n, label,
                    mmd[0], mmd[0] * mmd[0], mmd[1], mmd[1] * mmd[1], mmd[0] / mmd[1]));
            if (cover != null) {
                req.log().println(String.format(Locale.ROOT, "%s: %d of %d modes covered (>= 1%% of the samples within 3σ), "
                        + "%.1f%% of the samples within 3σ of a mode; per mode %s", title, cover.modes(), Toy2d.RING_MODES,
                        100 * cover.highQuality(), shares(cover.perMode())));
            }
        }
        if (req.outDir() != null) {
            ScatterPlot.write(List.of(new ScatterPlot.Panel(req.dataset() + ": held-out", held),
                    new ScatterPlot.Panel(String.format(Locale.ROOT, "%s samples (SW1 %.3f)", label, sw), samples),
                    new ScatterPlot.Panel(String.format(Locale.ROOT, "Gaussian noise (SW1 %.3f)", baseline), Toy2d.noise(req.seed(), n))),
                    3.0, req.outDir().resolve("samples.png"));
            writeCsv(samples, req.outDir().resolve("samples.csv"));
        }
        return new RunResult(name, req.dataset(), req.device(), METRIC, sw, (System.nanoTime() - startNanos) / 1e9, training,
                extra.toString());
    }

    private static String shares(double[] perMode) {
        StringBuilder b = new StringBuilder();
        for (double s : perMode) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", s));
        }
        return b.toString();
    }

    /** Points {@code [n, 2]} as a CSV with the header {@code x,y}, written atomically. */
    public static void writeCsv(float[] points, Path file) throws IOException {
        StringBuilder b = new StringBuilder(points.length * 12).append("x,y\n");
        for (int i = 0; i < points.length; i += 2) {
            b.append(points[i]).append(',').append(points[i + 1]).append('\n');
        }
        byte[] bytes = b.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
