package dev.kiln.nn;

import dev.kiln.Tensor;

/** Nearest-neighbour upsampling of NCHW input by an integer factor (2 for a U-Net's decoder), no parameters. */
public final class Upsample extends Module {
    private final int scale;

    public Upsample() {
        this(2);
    }

    public Upsample(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("Upsample needs a factor >= 1, got " + scale);
        }
        this.scale = scale;
    }

    @Override
    public Tensor forward(Tensor x) {
        return GenerativeF.upsampleNearest(x, scale, scale);
    }

    @Override
    public String toString() {
        return "Upsample(nearest, x" + scale + ")";
    }
}
