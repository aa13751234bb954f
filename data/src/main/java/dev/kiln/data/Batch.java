package dev.kiln.data;

import dev.kiln.Tensor;
import java.util.Objects;

/**
 * One batch from a {@link DataLoader}: {@code x} is FLOAT32 of shape
 * {@code {b, featureShape...}}, {@code y} is INT32 of shape {@code {b, labelShape...}}
 * ({@code {b}} for class labels), where {@code b} is the batch size (smaller for a final
 * partial batch).
 */
public record Batch(Tensor x, Tensor y) {

    /** Checks that {@code x} and {@code y} are given and hold the same number of examples. */
    public Batch {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.rank() == 0 || y.rank() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("x and y must share their first dimension, got x "
                    + java.util.Arrays.toString(x.shape()) + " and y " + java.util.Arrays.toString(y.shape()));
        }
    }

    /** Number of examples in this batch. */
    public int size() {
        return x.size(0);
    }
}
