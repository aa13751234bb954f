package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;

/**
 * Max pooling, PyTorch's {@code nn.MaxPool2d} (floor mode unless {@code ceilMode}); the stride
 * defaults to the kernel size.
 */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false);
    }

    /** With PyTorch's {@code ceil_mode} ({@link Vision#maxPool2d(Tensor, int[], int[], int[], int[], boolean)}). */
    public MaxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Vision.maxPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, ceilMode);
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "")
                + (ceilMode ? ", ceil mode" : "") + ")";
    }
}
