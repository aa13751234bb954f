package dev.kiln.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * An in-memory classification dataset: {@code n} examples, each a float feature block of
 * shape {@link #featureShape()} stored row-major, and an integer class label in
 * {@code [0, numClasses)}.
 *
 * <p>Instances are immutable: the constructor copies its arrays and the accessors that
 * return arrays return copies. Use {@link #copyFeatures(int, float[], int)} and
 * {@link #label(int)} to read examples without copying the whole set. It is a {@link Dataset},
 * so a {@link DataLoader} batches it directly.
 *
 * <pre>{@code
 * LabeledData iris = Iris.load();                       // 150 x {4}, 3 classes
 * LabeledData.TrainTest tt = iris.split(0.8, 42);       // stratified 120 / 30
 * Standardizer s = Standardizer.fit(tt.train());
 * LabeledData train = s.apply(tt.train()), test = s.apply(tt.test());
 * }</pre>
 */
public final class LabeledData implements Dataset {

    /** Two disjoint parts of one dataset, e.g. the result of {@link #split(double, long)}. */
    public record TrainTest(LabeledData train, LabeledData test) {
        public TrainTest {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(test, "test");
        }
    }

    private final float[] features;
    private final int[] labels;
    private final int[] featureShape;
    private final int featureSize;
    private final int numClasses;
    private final List<String> classNames;

    /**
     * Creates a dataset, copying {@code features} and {@code labels}.
     *
     * @param features     row-major features, {@code labels.length * product(featureShape)} values
     * @param labels       one class index per example, each in {@code [0, numClasses)}
     * @param featureShape the shape of one example, e.g. {@code {4}} or {@code {1, 28, 28}}; every dimension &ge; 1
     * @param numClasses   number of classes, &ge; 1
     * @param classNames   one name per class ({@code numClasses} entries), or an empty list for "0", "1", …
     * @throws IllegalArgumentException naming the bad value if the pieces do not fit together
     */
    public LabeledData(float[] features, int[] labels, int[] featureShape, int numClasses, List<String> classNames) {
        this(Objects.requireNonNull(features, "features").clone(),
                Objects.requireNonNull(labels, "labels").clone(),
                featureShape, numClasses, classNames, true);
    }

    /** Takes ownership of the arrays (no copy); for loaders in this package. */
    LabeledData(float[] features, int[] labels, int[] featureShape, int numClasses, List<String> classNames,
                boolean owned) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(featureShape, "featureShape");
        Objects.requireNonNull(classNames, "classNames");
        if (featureShape.length == 0) {
            throw new IllegalArgumentException("featureShape must have at least one dimension, got []");
        }
        long size = 1;
        for (int d : featureShape) {
            if (d < 1) {
                throw new IllegalArgumentException("featureShape dimensions must be >= 1, got "
                        + Arrays.toString(featureShape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("featureShape " + Arrays.toString(featureShape)
                        + " has more than Integer.MAX_VALUE elements");
            }
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        long expected = size * labels.length;
        if (expected != features.length) {
            throw new IllegalArgumentException("features has " + features.length + " values, expected "
                    + expected + " = " + labels.length + " labels x " + size + " (featureShape "
                    + Arrays.toString(featureShape) + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i
                        + " is out of range [0, " + numClasses + ")");
            }
        }
        List<String> names;
        if (classNames.isEmpty()) {
            List<String> generated = new ArrayList<>(numClasses);
            for (int c = 0; c < numClasses; c++) {
                generated.add(Integer.toString(c));
            }
            names = Collections.unmodifiableList(generated);
        } else if (classNames.size() != numClasses) {
            throw new IllegalArgumentException("classNames has " + classNames.size() + " entries, expected "
                    + numClasses + " (numClasses): " + classNames);
        } else {
            for (int c = 0; c < classNames.size(); c++) {
                if (classNames.get(c) == null) {
                    throw new IllegalArgumentException("classNames[" + c + "] is null");
                }
            }
            names = List.copyOf(classNames);
        }
        this.features = features;
        this.labels = labels;
        this.featureShape = featureShape.clone();
        this.featureSize = (int) size;
        this.numClasses = numClasses;
        this.classNames = names;
    }

    /** Number of examples. */
    @Override
    public int size() {
        return labels.length;
    }

    /** Shape of one example (a copy). */
    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    /** Number of floats per example: the product of {@link #featureShape()}. */
    @Override
    public int featureSize() {
        return featureSize;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Class names, index = label (unmodifiable). */
    public List<String> classNames() {
        return classNames;
    }

    /** All features, row-major {@code size() x featureSize()} (a copy). */
    public float[] features() {
        return features.clone();
    }

    /** All labels (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** The label of example {@code index}. */
    public int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    /** Feature {@code j} (flat index within the example) of example {@code index}. */
    public float feature(int index, int j) {
        checkIndex(index);
        if (j < 0 || j >= featureSize) {
            throw new IndexOutOfBoundsException("feature index " + j + " out of range [0, " + featureSize + ")");
        }
        return features[index * featureSize + j];
    }

    /** Copies the {@link #featureSize()} features of example {@code index} into {@code dst[offset…]}. */
    public void copyFeatures(int index, float[] dst, int offset) {
        checkIndex(index);
        Objects.requireNonNull(dst, "dst");
        if (offset < 0 || offset > dst.length - featureSize) {
            throw new IndexOutOfBoundsException("cannot copy " + featureSize + " features into dst of length "
                    + dst.length + " at offset " + offset);
        }
        System.arraycopy(features, index * featureSize, dst, offset, featureSize);
    }

    /**
     * {@inheritDoc} Labels are single class indices ({@code labelSize() == 1}).
     */
    @Override
    public void fetch(int[] indices, float[] features, int[] labels) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (features.length < (long) indices.length * featureSize || labels.length < indices.length) {
            throw new IndexOutOfBoundsException("fetching " + indices.length + " examples needs "
                    + (long) indices.length * featureSize + " feature slots and " + indices.length
                    + " label slots, got " + features.length + " and " + labels.length);
        }
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= this.labels.length) {
                throw new IndexOutOfBoundsException("indices[" + k + "] = " + i + " is out of range [0, "
                        + this.labels.length + ")");
            }
            System.arraycopy(this.features, i * featureSize, features, k * featureSize, featureSize);
            labels[k] = this.labels[i];
        }
    }

    /** Number of examples of each class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /**
     * The examples at {@code indices}, in that order (repeats allowed).
     *
     * @throws IndexOutOfBoundsException naming the first index outside {@code [0, size())}
     */
    public LabeledData subset(int[] indices) {
        Objects.requireNonNull(indices, "indices");
        float[] f = new float[Math.multiplyExact(indices.length, featureSize)];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("indices[" + k + "] = " + i + " is out of range [0, "
                        + labels.length + ")");
            }
            System.arraycopy(features, i * featureSize, f, k * featureSize, featureSize);
            l[k] = labels[i];
        }
        return new LabeledData(f, l, featureShape, numClasses, classNames, true);
    }

    /**
     * A stratified, seeded random split: each class is shuffled and divided so that the first
     * part holds {@code fraction} of it, with the per-class counts rounded so that the first part
     * has exactly {@code round(fraction * size())} examples. Both parts are shuffled (not sorted
     * by class). The same seed always gives the same split.
     *
     * @param fraction share of examples in {@link TrainTest#train()}, strictly between 0 and 1
     * @param seed     random seed
     * @throws IllegalArgumentException if {@code fraction} is not in (0, 1)
     */
    public TrainTest split(double fraction, long seed) {
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
        }
        Random rng = new Random(seed);
        int n = labels.length;
        int[] counts = classCounts();
        // Largest-remainder rounding of per-class quotas so they sum to round(fraction * n).
        int target = (int) Math.round(fraction * n);
        int[] quota = new int[numClasses];
        double[] remainder = new double[numClasses];
        int assigned = 0;
        for (int c = 0; c < numClasses; c++) {
            double exact = fraction * counts[c];
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            assigned += quota[c];
        }
        while (assigned < target) {
            int best = -1;
            for (int c = 0; c < numClasses; c++) {
                if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
            assigned++;
        }
        int[][] byClass = new int[numClasses][];
        int[] fill = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        for (int i = 0; i < n; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        int[] first = new int[target];
        int[] second = new int[n - target];
        int a = 0;
        int b = 0;
        for (int c = 0; c < numClasses; c++) {
            shuffle(byClass[c], rng);
            for (int k = 0; k < byClass[c].length; k++) {
                if (k < quota[c]) {
                    first[a++] = byClass[c][k];
                } else {
                    second[b++] = byClass[c][k];
                }
            }
        }
        shuffle(first, rng);
        shuffle(second, rng);
        return new TrainTest(subset(first), subset(second));
    }

    /** Seeded Fisher–Yates shuffle; the permutation depends only on the array length and the generator. */
    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("example index " + index + " out of range [0, " + labels.length + ")");
        }
    }

    @Override
    public String toString() {
        return "LabeledData[size=" + size() + ", featureShape=" + Arrays.toString(featureShape)
                + ", numClasses=" + numClasses + "]";
    }
}
