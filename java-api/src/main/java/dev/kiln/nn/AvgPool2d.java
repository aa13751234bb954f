package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;

/** Average pooling, PyTorch's {@code nn.AvgPool2d} (floor mode, count_include_pad true); stride defaults to the kernel. */
public final class AvgPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Vision.avgPool2d(x, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "AvgPool2d(" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "") + ")";
    }
}
