package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;

/** Max pooling, PyTorch's {@code nn.MaxPool2d} (floor mode); the stride defaults to the kernel size. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Vision.maxPool2d(x, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "") + ")";
    }
}
