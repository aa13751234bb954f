package dev.kiln.data;

import dev.kiln.DType;
import dev.kiln.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link Dataset} over a feature tensor and a target tensor that share their first dimension,
 * like PyTorch's {@code TensorDataset}: example {@code i} is {@code x[i]} and {@code y[i]}.
 * The values are copied to host arrays once, at construction.
 *
 * <pre>{@code
 * Tensor x = Tensor.fromArray(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
 * Tensor y = Tensor.fromIndices(new int[] {0, 1, 1, 0}, 4);
 * DataLoader loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(2).shuffle(7).build();
 * }</pre>
 */
public final class TensorDataset implements Dataset {

    private final float[] features;
    private final int[] labels;
    private final int[] featureShape;
    private final int[] labelShape;
    private final int featureSize;
    private final int labelSize;
    private final int size;

    /**
     * @param x FLOAT32 features of shape {@code {n, ...}}
     * @param y INT32 or INT64 targets of shape {@code {n, ...}} (values must fit in an int)
     * @throws IllegalArgumentException naming the shapes or dtypes if they do not fit
     */
    public TensorDataset(Tensor x, Tensor y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("x must be FLOAT32, got " + x.dtype());
        }
        if (!y.dtype().isIndex()) {
            throw new IllegalArgumentException("y must be an index tensor (INT32 or INT64), got " + y.dtype());
        }
        int[] xs = x.shape();
        int[] ys = y.shape();
        if (xs.length == 0 || ys.length == 0 || xs[0] != ys[0]) {
            throw new IllegalArgumentException("x and y must share their first dimension, got x "
                    + Arrays.toString(xs) + " and y " + Arrays.toString(ys));
        }
        long[] longs = y.toLongArray();
        int[] ints = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new IllegalArgumentException("y[" + i + "] = " + longs[i] + " does not fit in an int");
            }
            ints[i] = (int) longs[i];
        }
        this.features = x.toFloatArray();
        this.labels = ints;
        this.size = xs[0];
        this.featureShape = Arrays.copyOfRange(xs, 1, xs.length);
        this.labelShape = Arrays.copyOfRange(ys, 1, ys.length);
        this.featureSize = size == 0 ? product(featureShape) : features.length / size;
        this.labelSize = size == 0 ? product(labelShape) : labels.length / size;
    }

    /**
     * A dataset over host arrays (copied).
     *
     * @param features     {@code n * product(featureShape)} floats, row-major
     * @param featureShape shape of one example's features
     * @param labels       {@code n * product(labelShape)} ints
     * @param labelShape   shape of one example's target ({@code {}} for a class index)
     */
    public TensorDataset(float[] features, int[] featureShape, int[] labels, int[] labelShape) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(featureShape, "featureShape");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(labelShape, "labelShape");
        int fs = product(featureShape);
        int ls = product(labelShape);
        if (fs == 0 || ls == 0) {
            throw new IllegalArgumentException("featureShape " + Arrays.toString(featureShape) + " and labelShape "
                    + Arrays.toString(labelShape) + " must have no zero dimension");
        }
        if (features.length % fs != 0 || labels.length % ls != 0 || features.length / fs != labels.length / ls) {
            throw new IllegalArgumentException(features.length + " features of shape " + Arrays.toString(featureShape)
                    + " and " + labels.length + " labels of shape " + Arrays.toString(labelShape)
                    + " do not make the same whole number of examples");
        }
        this.features = features.clone();
        this.labels = labels.clone();
        this.featureShape = featureShape.clone();
        this.labelShape = labelShape.clone();
        this.featureSize = fs;
        this.labelSize = ls;
        this.size = labels.length / ls;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    @Override
    public int[] labelShape() {
        return labelShape.clone();
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public int labelSize() {
        return labelSize;
    }

    @Override
    public void fetch(int[] indices, float[] features, int[] labels) {
        Objects.requireNonNull(indices, "indices");
        if (features.length < (long) indices.length * featureSize
                || labels.length < (long) indices.length * labelSize) {
            throw new IndexOutOfBoundsException("fetching " + indices.length + " examples needs "
                    + (long) indices.length * featureSize + " feature slots and "
                    + (long) indices.length * labelSize + " label slots, got " + features.length
                    + " and " + labels.length);
        }
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("indices[" + k + "] = " + i + " is out of range [0, " + size + ")");
            }
            System.arraycopy(this.features, i * featureSize, features, k * featureSize, featureSize);
            System.arraycopy(this.labels, i * labelSize, labels, k * labelSize, labelSize);
        }
    }

    private static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            p *= d;
        }
        return Math.toIntExact(p);
    }

    @Override
    public String toString() {
        return "TensorDataset[size=" + size + ", featureShape=" + Arrays.toString(featureShape)
                + ", labelShape=" + Arrays.toString(labelShape) + "]";
    }
}
