package dev.kiln.nn;

import dev.kiln.SequenceOps;
import dev.kiln.Tensor;

/** Layer normalisation over the last axis with a learned scale (ones) and shift (zeros). */
public final class LayerNorm extends Module {

    private final int dim;
    private final float eps;

    public LayerNorm(int dim) {
        this(dim, 1e-5f);
    }

    public LayerNorm(int dim, float eps) {
        if (dim <= 0) {
            throw new IllegalArgumentException("LayerNorm size must be positive, got " + dim);
        }
        this.dim = dim;
        this.eps = eps;
        registerParameter("weight", Tensor.ones(dim));
        registerParameter("bias", Tensor.zeros(dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.size(-1) != dim) {
            throw new IllegalArgumentException("LayerNorm(" + dim + ") got input of shape " + java.util.Arrays.toString(x.shape()));
        }
        return SequenceOps.layerNorm(x, param("weight"), param("bias"), eps);
    }

    @Override
    public String toString() {
        return "LayerNorm(" + dim + ")";
    }
}
