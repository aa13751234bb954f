package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;

/**
 * Adds position information to {@code [B, L, dim]} embeddings: {@link #sinusoidal} (fixed, the
 * "Attention is all you need" sines and cosines, a buffer) or {@link #learned} (a parameter per
 * position, N(0, 0.02²)). Sequences may be up to {@code maxLen} long.
 */
public final class PositionalEncoding extends Module {

    private final boolean learned;
    private final int maxLen;

    private PositionalEncoding(boolean learned, int maxLen, Tensor table) {
        this.learned = learned;
        this.maxLen = maxLen;
        if (learned) {
            registerParameter("table", table);
        } else {
            registerBuffer("table", table);
        }
    }

    public static PositionalEncoding sinusoidal(int maxLen, int dim) {
        float[] pe = new float[maxLen * dim];
        for (int p = 0; p < maxLen; p++) {
            for (int i = 0; i < dim; i++) {
                double angle = p / Math.pow(10000, (i / 2 * 2) / (double) dim);
                pe[p * dim + i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return new PositionalEncoding(false, maxLen, Tensor.fromArray(pe, maxLen, dim));
    }

    public static PositionalEncoding learned(int maxLen, int dim, Generator g) {
        return new PositionalEncoding(true, maxLen, Tensor.randn(g, maxLen, dim).mul(0.02f));
    }

    @Override
    public Tensor forward(Tensor x) {
        int l = x.size(1);
        if (l > maxLen) {
            throw new IllegalArgumentException("Sequence length " + l + " exceeds the positional encoding's maximum " + maxLen);
        }
        Tensor t = learned ? param("table") : buffer("table");
        return x.add(t.slice(0, 0, l));
    }

    @Override
    public String toString() {
        return (learned ? "LearnedPositionalEncoding(" : "SinusoidalPositionalEncoding(") + maxLen + ")";
    }
}
