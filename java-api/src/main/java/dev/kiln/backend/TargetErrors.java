package dev.kiln.backend;

/**
 * The one error message for a class target outside {@code [0, classes)}, shared by every backend's
 * {@link Backend#crossEntropy} so a bad target reads the same on the CPU and on a GPU.
 */
public final class TargetErrors {

    private TargetErrors() {
    }

    /**
     * The error for target {@code target} at flat index {@code index} of the targets (row {@code index}
     * of the {@code [rows, classes]} view of the logits).
     */
    public static IllegalArgumentException outOfRange(long index, long target, long classes) {
        return new IllegalArgumentException("crossEntropy: target " + target + " at index " + index
                + " of the targets is out of range [0, " + classes + ")");
    }
}
