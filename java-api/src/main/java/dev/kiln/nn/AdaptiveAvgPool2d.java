package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;

/** Adaptive average pooling to a fixed output size, PyTorch's {@code nn.AdaptiveAvgPool2d}; (1, 1) is global pooling. */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Vision.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(" + outH + "x" + outW + ")";
    }
}
