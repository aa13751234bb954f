package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Gemm;

/**
 * Fully connected layer {@code y = x·Wᵀ + b} with {@code W [out, in]}. Weights start Kaiming
 * uniform (suited to the ReLU-family activations that usually follow), biases U(±1/sqrt(in)).
 */
public final class Linear extends Module {
    private final int in;
    private final int out;

    public Linear(int in, int out, Generator g) {
        this(in, out, true, g);
    }

    public Linear(int in, int out, boolean bias, Generator g) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear sizes must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        registerParameter("weight", Init.kaimingUniform(g, out, in));
        if (bias) {
            registerParameter("bias", Init.uniform(g, (float) (1 / Math.sqrt(in)), out));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(x, param("weight"), paramOrNull("bias"));
    }

    /** {@code act(x·Wᵀ + b)} in one GEMM with a fused epilogue (see {@link F#linear(Tensor, Tensor, Tensor, Gemm.Activation)}). */
    public Tensor forward(Tensor x, Gemm.Activation act) {
        return F.linear(x, param("weight"), paramOrNull("bias"), act);
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + (paramOrNull("bias") == null ? ", no bias" : "") + ")";
    }
}
