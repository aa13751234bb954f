package dev.kiln.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Fashion-MNIST (Zalando Research, 2017): 28&times;28 grayscale images of 10 kinds of clothing,
 * 60,000 for training and 10,000 for testing.
 *
 * <p>{@link #load(Split)} returns features of shape {@code {1, 28, 28}} with pixels scaled to
 * [0, 1] and labels 0–9 ({@link #CLASS_NAMES}). The files are found by a
 * {@link DatasetLocator}: an explicit directory, {@code $KILN_DATA}, Debian's
 * {@code /usr/share/datasets/fashion-mnist} ({@code sudo apt-get install dataset-fashion-mnist}),
 * the cache {@code ~/.kiln/datasets/fashion-mnist}, else a download from {@link #BASE_URL}
 * checked against the SHA-256 of the official files ({@link #SHA256}).
 *
 * <pre>{@code
 * LabeledData train = FashionMnist.load(FashionMnist.Split.TRAIN);   // 60000 x {1, 28, 28}
 * LabeledData test = FashionMnist.load(Path.of("data"), FashionMnist.Split.TEST);
 * }</pre>
 */
public final class FashionMnist {

    /** Dataset name: the directory name under every data root. */
    public static final String NAME = "fashion-mnist";
    /** The official download location; file names are appended. */
    public static final String BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    /** The Debian package holding the files. */
    public static final String APT_PACKAGE = "dataset-fashion-mnist";
    /** Class names, index = label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int ROWS = 28;
    public static final int COLS = 28;

    /**
     * SHA-256 of the official {@code .gz} files as served at {@link #BASE_URL} (the files whose
     * MD5s the Fashion-MNIST project publishes). Debian's package recompresses nothing but
     * rewrites the gzip header (no stored file name, another timestamp), so its files hash
     * differently while decompressing to the same bytes; files found on disk are not hashed,
     * only downloads are.
     */
    public static final java.util.Map<String, String> SHA256 = java.util.Map.of(
            "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5");

    /** Which half of the data. */
    public enum Split {
        /** 60,000 training examples ({@code train-*}). */
        TRAIN("train", 60_000),
        /** 10,000 test examples ({@code t10k-*}). */
        TEST("t10k", 10_000);

        private final String prefix;
        private final int size;

        Split(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }

        /** The images file name, e.g. {@code train-images-idx3-ubyte.gz}. */
        public String imagesFile() {
            return prefix + "-images-idx3-ubyte.gz";
        }

        /** The labels file name, e.g. {@code train-labels-idx1-ubyte.gz}. */
        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte.gz";
        }

        /** The number of examples in the official files. */
        public int size() {
            return size;
        }
    }

    private FashionMnist() {
    }

    /** A locator builder preset for Fashion-MNIST (files, checksums, URL, package); customize and build. */
    public static DatasetLocator.Builder locatorBuilder() {
        DatasetLocator.Builder b = DatasetLocator.builder(NAME)
                .defaultBaseUrl(BASE_URL)
                .aptPackage(APT_PACKAGE);
        SHA256.forEach(b::file);
        return b;
    }

    /** Loads {@code split} from wherever the default {@link DatasetLocator} finds it. */
    public static LabeledData load(Split split) throws IOException {
        return load(locatorBuilder().build(), split);
    }

    /**
     * Loads {@code split} from {@code dir} (holding the files, or a {@code fashion-mnist/}
     * directory with them), or as {@link #load(Split)} if {@code dir} is {@code null}.
     */
    public static LabeledData load(Path dir, Split split) throws IOException {
        return load(locatorBuilder().explicitDir(dir).build(), split);
    }

    /** Loads {@code split} from the files {@code locator} finds. */
    public static LabeledData load(DatasetLocator locator, Split split) throws IOException {
        Objects.requireNonNull(locator, "locator");
        Objects.requireNonNull(split, "split");
        Path dir = locator.locate(split.imagesFile(), split.labelsFile());
        return read(dir.resolve(split.imagesFile()), dir.resolve(split.labelsFile()));
    }

    /**
     * Reads one pair of IDX files (any count of 28&times;28 images).
     *
     * @throws CorruptDataException if the files are not 28&times;28 images and matching labels 0–9
     */
    public static LabeledData read(Path imagesFile, Path labelsFile) throws IOException {
        IdxReader.Idx images = IdxReader.readImages(imagesFile);
        IdxReader.Idx labels = IdxReader.readLabels(labelsFile);
        int[] d = images.dims();
        if (d[1] != ROWS || d[2] != COLS) {
            throw new CorruptDataException(imagesFile, "expected " + ROWS + "x" + COLS + " images, found "
                    + d[1] + "x" + d[2]);
        }
        if (images.count() != labels.count()) {
            throw new CorruptDataException(imagesFile, "has " + images.count() + " images but " + labelsFile
                    + " has " + labels.count() + " labels; expected the same count");
        }
        int n = labels.count();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int label = labels.unsigned(i);
            if (label >= CLASS_NAMES.size()) {
                throw new CorruptDataException(labelsFile, "label " + label + " at index " + i
                        + " is out of range: expected 0.." + (CLASS_NAMES.size() - 1));
            }
            y[i] = label;
        }
        byte[] px = images.data();
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (px[i] & 0xFF) / 255f;
        }
        return new LabeledData(x, y, new int[] {1, ROWS, COLS}, CLASS_NAMES.size(), CLASS_NAMES, true);
    }
}
