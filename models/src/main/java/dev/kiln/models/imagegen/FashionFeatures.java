package dev.kiln.models.imagegen;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.Datasets;
import dev.kiln.models.Models;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.cnn.Cnn;
import dev.kiln.models.cnn.CnnModel;
import dev.kiln.models.cnn.RandomCropFlip;
import dev.kiln.models.cnn.VisionRecipe;
import dev.kiln.models.cnn.VisionTraining;
import dev.kiln.models.train.Checkpoint;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The feature space the image generators are judged in: Kiln's own 2-conv Fashion-MNIST CNN
 * ({@code kiln train cnn --quick}: one epoch on the first 2,000 training images), trained once
 * and cached as {@code classifier/checkpoint.kiln} in the run directory, later runs loading it. The
 * features of an image are the CNN's penultimate layer (the 128 ReLU outputs of its first dense
 * layer); its class is the CNN's arg-max. Images are {@code [n, 1, 28, 28]} in {@code [−1, 1]}
 * (the generators' range) and are mapped to the classifier's normalisation here.
 */
public final class FashionFeatures {

    /** The classifier's directory inside a run directory. */
    public static final String DIR = "classifier";
    static final int PIXELS = 28 * 28;
    private static final int BATCH = 250;

    private final Module net;
    private final List<Module> layers;
    private final double accuracy;
    private final Device device;

    private FashionFeatures(Module net, double accuracy, Device device) {
        this.net = net;
        this.layers = net.children().get(1).children().get(0).children();
        this.accuracy = accuracy;
        this.device = device;
        net.eval();
    }

    /** Test accuracy of the classifier when it was trained in this process, NaN when loaded from the cache. */
    public double accuracy() {
        return accuracy;
    }

    /**
     * Loads the classifier cached in {@code runDir}, or trains it there first ({@code runDir} null:
     * in a temporary directory, deleted afterwards).
     */
    public static FashionFeatures loadOrTrain(Path runDir, Path dataDir, Device device, PrintStream log) throws IOException {
        Path tmp = runDir == null ? Files.createTempDirectory("kiln-classifier") : null;
        Path dir = (runDir == null ? tmp : runDir).resolve(DIR);
        try {
            Path file = dir.resolve(Checkpoint.FILE_NAME);
            double acc = Double.NaN;
            if (!Files.isRegularFile(file)) {
                if (log != null) {
                    log.println("Training the feature classifier (kiln train cnn --quick) into " + dir);
                }
                RunResult r = Models.find("cnn").orElseThrow().train(RunRequest.of(Datasets.FASHION_MNIST, device, 1)
                        .withQuick(true).withOut(dir, false).withDataDir(dataDir));
                acc = r.value();
                if (log != null) {
                    log.println(String.format(Locale.ROOT, "Feature classifier: test accuracy %.4f on %d test images", acc,
                            CnnModel.recipe(false).quickTest()));
                }
            }
            Module net = shape();
            try {
                net.loadStateDict(Checkpoint.load(file).module("model"));
            } catch (IllegalArgumentException e) {
                throw new IOException("The feature classifier " + file + " is not a cnn checkpoint: " + e.getMessage(), e);
            }
            net.to(device);
            return new FashionFeatures(net, acc, device);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** The module tree {@code kiln train cnn} checkpoints: the augmentation, then the CNN. */
    private static Module shape() {
        VisionRecipe r = CnnModel.recipe(false);
        return new Sequential(new RandomCropFlip(r.cropPad(), r.flip(), VisionTraining.BLACK, 0),
                new Cnn(false, r.dropout(), new Generator(1), new Generator(2)));
    }

    /** Penultimate-layer features of {@code n} images in {@code [−1, 1]}, {@code [n][128]}. */
    public double[][] features(float[] images, int n) {
        double[][] out = new double[n][];
        forEachBatch(images, n, (from, feats, logits) -> {
            int d = feats.length / (logits.length / 10);
            for (int i = 0; i < logits.length / 10; i++) {
                double[] row = new double[d];
                for (int j = 0; j < d; j++) {
                    row[j] = feats[i * d + j];
                }
                out[from + i] = row;
            }
        });
        return out;
    }

    /** How many of the {@code n} images the classifier puts in each of the 10 classes. */
    public int[] classHistogram(float[] images, int n) {
        int[] h = new int[10];
        forEachBatch(images, n, (from, feats, logits) -> {
            for (int i = 0; i < logits.length / 10; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    if (logits[i * 10 + c] > logits[i * 10 + best]) {
                        best = c;
                    }
                }
                h[best]++;
            }
        });
        return h;
    }

    private interface BatchSink {
        void accept(int from, float[] features, float[] logits);
    }

    private void forEachBatch(float[] images, int n, BatchSink sink) {
        if (n <= 0 || images.length < (long) n * PIXELS) {
            throw new IllegalArgumentException("need n > 0 images of 28×28, got n " + n + " and " + images.length + " values");
        }
        try (var scope = Autograd.noGrad()) {
            for (int from = 0; from < n; from += BATCH) {
                int b = Math.min(BATCH, n - from);
                float[] x = new float[b * PIXELS];
                for (int i = 0; i < x.length; i++) {
                    float p = (images[from * PIXELS + i] + 1) / 2;
                    x[i] = (p - Datasets.FASHION_MNIST_MEAN) / Datasets.FASHION_MNIST_STD;
                }
                Tensor h = Tensor.fromArray(x, b, 1, 28, 28).to(device);
                for (int k = 0; k < layers.size() - 1; k++) {
                    h = layers.get(k).forward(h);
                }
                Tensor logits = layers.get(layers.size() - 1).forward(h);
                sink.accept(from, h.toFloatArray(), logits.toFloatArray());
            }
        }
    }

    /** Fashion-MNIST pixels (normalised as {@link Datasets#fashionMnist} returns them) mapped to {@code [−1, 1]}. */
    public static float[] toUnitRange(float[] normalised) {
        float[] out = new float[normalised.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 2 * (normalised[i] * Datasets.FASHION_MNIST_STD + Datasets.FASHION_MNIST_MEAN) - 1;
        }
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
