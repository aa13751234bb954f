package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;

/** Flattens axes {@code startDim..} into one, PyTorch's {@code nn.Flatten} (default start 1: {@code [N, C, H, W] → [N, C·H·W]}). */
public final class Flatten extends Module {
    private final int startDim;

    public Flatten() {
        this(1);
    }

    public Flatten(int startDim) {
        this.startDim = startDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Vision.flatten(x, startDim);
    }

    @Override
    public String toString() {
        return "Flatten(" + startDim + ")";
    }
}
