package dev.kiln.models.imagegen;

import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.data.LabeledData;
import dev.kiln.models.Datasets;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.TrainConfig;
import dev.kiln.models.train.TrainResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the two Fashion-MNIST generators share: the images in {@code [−1, 1]} (training images on
 * the device), the sample-quality measurement and the per-epoch grids.
 *
 * <p>Sample quality is the <em>Fréchet distance in the feature space of Kiln's own Fashion-MNIST
 * CNN</em> ({@link FashionFeatures}; not Inception FID, and not comparable with published FIDs)
 * between {@code n} generated images and the test images, printed beside the same distance for
 * {@code n} training images (the real-vs-real floor), with the classifier's class histogram of the
 * generated images.
 */
public final class ImageRun {

    /** The headline metric of both image generators. */
    public static final String METRIC = "frechet_cnn";
    /**
     * The system property that overrides the preset's number of evaluation samples (per epoch and
     * at the end, and the floor's training images): a CPU run of the full preset cannot afford
     * 10,000 samples of 50 denoising steps each epoch.
     */
    public static final String SAMPLES_PROPERTY = "kiln.image.samples";
    /** Images in each epoch's grid. */
    public static final int GRID = 64;

    final long startNanos = System.nanoTime();
    final RunRequest req;
    final Device device;
    final Tensor train;
    final int trainSize;
    final FashionFeatures features;
    final FrechetDistance.Gaussian test;
    final int evalSamples;
    final double floor;
    /** The request's epochs, batch size and learning rate where given, else the preset's. */
    final int epochs, batch;
    final float lr;
    private int epoch;

    /**
     * Loads the data (the first {@code trainSize} training and {@code testSize} test images; 0: all),
     * the feature classifier, and measures the real-vs-real floor for {@code evalSamples} images;
     * the preset's epochs, batch size and learning rate apply where the request gives none.
     */
    ImageRun(RunRequest req, int trainSize, int testSize, int evalSamples, int epochs, int batch, float lr) throws IOException {
        if (!req.dataset().equals(Datasets.FASHION_MNIST)) {
            throw new IllegalArgumentException("Unknown image dataset '" + req.dataset() + "'; expected " + Datasets.FASHION_MNIST);
        }
        this.req = req;
        this.device = req.device();
        this.epochs = req.epochs() != null ? req.epochs() : epochs;
        this.batch = req.batchSize() != null ? req.batchSize() : batch;
        this.lr = req.lr() != null ? req.lr() : lr;
        LabeledData.TrainTest data = Datasets.fashionMnist(req.dataDir(), trainSize, testSize);
        this.trainSize = data.train().size();
        float[] trainPixels = FashionFeatures.toUnitRange(data.train().features());
        this.train = Tensor.fromArray(trainPixels, this.trainSize, 1, 28, 28).to(device);
        // Checked before the feature classifier is trained or loaded.
        this.evalSamples = Math.min(Integer.getInteger(SAMPLES_PROPERTY, evalSamples), this.trainSize);
        if (this.evalSamples < 2) {
            throw new IllegalArgumentException(SAMPLES_PROPERTY + " must be at least 2, got " + this.evalSamples);
        }
        this.features = FashionFeatures.loadOrTrain(req.outDir(), req.dataDir(), device, req.log());
        float[] testPixels = FashionFeatures.toUnitRange(data.test().features());
        this.test = FrechetDistance.fit(features.features(testPixels, data.test().size()));
        this.floor = FrechetDistance.distance(FrechetDistance.fit(features.features(trainPixels, this.evalSamples)), test);
        log(String.format(Locale.ROOT, "Fréchet distance in the CNN's feature space: %d training images vs %d test images "
                + "(the real-vs-real floor) %.3f", this.evalSamples, data.test().size(), floor));
    }

    void log(String line) {
        PrintStream log = req.log();
        if (log != null) {
            log.println(line);
        }
    }

    /** The distance of {@code n} generated images (in {@code [−1, 1]}) to the test images. */
    double frechet(float[] images, int n) {
        return FrechetDistance.distance(FrechetDistance.fit(features.features(images, n)), test);
    }

    /**
     * The per-epoch measurement: the distance of the generated images, and {@code grid-epoch-NN.png}
     * of the first {@link #GRID} (drawn from the same fixed noise every epoch) when there is an
     * output directory.
     */
    Map<String, Double> evaluateEpoch(float[] images, int n) throws IOException {
        epoch++;
        if (req.outDir() != null) {
            ImageGrid.write(images, Math.min(GRID, n), 28, 28, 8, 2, req.outDir().resolve(String.format(Locale.ROOT,
                    "grid-epoch-%02d.png", epoch)));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(METRIC, frechet(images, n));
        return m;
    }

    /** The training loop's configuration. */
    TrainConfig config(String model, int epochs, Object preset) {
        return new TrainConfig(epochs, 20, req.outDir(), req.resume(), req.log(), model + "/" + req.dataset(),
                model + " " + req.dataset() + (req.quick() ? " quick" : "") + " " + preset);
    }

    /**
     * The result: the distance of the final samples with the floor, their ratio and the class
     * histogram on the RESULT line and in the log, and {@code <name>.png} of the first
     * {@link #GRID}.
     */
    RunResult finish(String model, String label, float[] images, int n, String name, String extra, TrainResult training)
            throws IOException {
        double fd = frechet(images, n);
        int[] hist = features.classHistogram(images, n);
        double minShare = Arrays.stream(hist).min().orElse(0) / (double) n;
        log(String.format(Locale.ROOT, "%s/%s: Fréchet distance in the CNN's feature space, %d %s samples vs the test images "
                        + "%.3f; %d training images %.3f (floor); ratio %.2f", model, req.dataset(), n, label, fd, n, floor,
                fd / floor));
        log(String.format(Locale.ROOT, "%s/%s: class histogram of the samples under the CNN %s (smallest class %.1f%%)", model,
                req.dataset(), Arrays.toString(hist), 100 * minShare));
        if (req.outDir() != null) {
            ImageGrid.write(images, Math.min(GRID, n), 28, 28, 8, 2, req.outDir().resolve(name + ".png"));
        }
        String fields = String.format(Locale.ROOT, "floor=%.4f ratio=%.3f samples=%d min_class=%.4f hist=%s", floor, fd / floor, n,
                minShare, String.join(",", Arrays.stream(hist).mapToObj(Integer::toString).toArray(String[]::new)))
                + (extra.isEmpty() ? "" : " " + extra);
        return new RunResult(model, req.dataset(), device, METRIC, fd, (System.nanoTime() - startNanos) / 1e9, training, fields);
    }

    /** The output directory's path for a file, or null without one. */
    Path out(String file) {
        return req.outDir() == null ? null : req.outDir().resolve(file);
    }
}
