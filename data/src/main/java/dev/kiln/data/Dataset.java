package dev.kiln.data;

/**
 * A fixed-size, randomly accessible collection of examples, each a float feature block of
 * {@link #featureShape()} and an integer target block of {@link #labelShape()} (empty shape =
 * one class index per example). {@link DataLoader} turns a dataset into batches of tensors.
 *
 * <p>Implementations: {@link LabeledData} (in-memory classification data),
 * {@link TensorDataset} (tensors or arrays, PyTorch's {@code TensorDataset}).
 *
 * <pre>{@code
 * Dataset d = Iris.load();
 * float[] x = new float[2 * d.featureSize()];
 * int[] y = new int[2 * d.labelSize()];
 * d.fetch(new int[] {0, 149}, x, y);   // x = rows 0 and 149, y = {0, 2}
 * }</pre>
 */
public interface Dataset {

    /** Number of examples. */
    int size();

    /** Shape of one example's features, e.g. {@code {4}} or {@code {1, 28, 28}} (a copy). */
    int[] featureShape();

    /** Shape of one example's integer target; empty (the default) for a single class index. */
    default int[] labelShape() {
        return new int[0];
    }

    /** Floats per example: the product of {@link #featureShape()}. */
    default int featureSize() {
        return product(featureShape());
    }

    /** Ints per example: the product of {@link #labelShape()} (1 for a scalar label). */
    default int labelSize() {
        return product(labelShape());
    }

    /**
     * Copies the examples at {@code indices}, in that order, into {@code features}
     * ({@code indices.length * featureSize()} floats, row-major) and {@code labels}
     * ({@code indices.length * labelSize()} ints), starting at offset 0 of each.
     *
     * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())} or an array is too short
     */
    void fetch(int[] indices, float[] features, int[] labels);

    private static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        return Math.toIntExact(p);
    }
}
