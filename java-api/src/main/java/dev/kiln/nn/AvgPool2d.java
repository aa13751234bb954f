package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;

/**
 * Average pooling, PyTorch's {@code nn.AvgPool2d} (by default floor mode, count_include_pad true);
 * stride defaults to the kernel.
 */
public final class AvgPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false, true);
    }

    /** With PyTorch's {@code ceil_mode} and {@code count_include_pad} ({@link Vision#avgPool2d(Tensor, int[], int[], int[], boolean, boolean)}). */
    public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Vision.avgPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                countIncludePad, ceilMode);
    }

    @Override
    public String toString() {
        return "AvgPool2d(" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "")
                + (ceilMode ? ", ceil mode" : "") + (countIncludePad ? "" : ", count_include_pad false") + ")";
    }
}
