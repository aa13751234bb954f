package dev.kiln.nn;

import dev.kiln.Device;
import dev.kiln.Tensor;

/**
 * The sinusoidal timestep embedding of diffusion models: integer timesteps {@code [B]} in
 * {@code [0, steps)} → {@code [B, dim]}. The table ({@link GenerativeF#sinusoidalTable}, max period
 * 10000) is built once and kept as a buffer on the module's device, so a forward pass is one gather.
 */
public final class TimestepEmbedding extends Module {
    private final int steps, dim;

    public TimestepEmbedding(int steps, int dim) {
        this.steps = steps;
        this.dim = dim;
        registerBuffer("table", Tensor.fromArray(GenerativeF.sinusoidalTable(steps, dim, 10000.0), steps, dim));
    }

    /** {@code t}: INT32 or INT64 timesteps {@code [B]}. */
    @Override
    public Tensor forward(Tensor t) {
        return GenerativeF.timestepEmbedding(buffer("table"), t);
    }

    public int dim() {
        return dim;
    }

    public int steps() {
        return steps;
    }

    @Override
    public TimestepEmbedding to(Device device) {
        super.to(device);
        return this;
    }

    @Override
    public String toString() {
        return "TimestepEmbedding(" + steps + ", " + dim + ")";
    }
}
