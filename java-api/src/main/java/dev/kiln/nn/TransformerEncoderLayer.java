package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Gemm;

/**
 * A pre-norm Transformer encoder layer: {@code x += drop(attn(ln1(x)))}, then
 * {@code x += drop(ff(ln2(x)))} with a GELU feed-forward of width {@code ff}. With
 * {@code causal} it is the block of a decoder-only language model.
 */
public final class TransformerEncoderLayer extends Module {

    private final float dropout;
    private final Generator rng;

    public TransformerEncoderLayer(int dim, int heads, int ff, float dropout, Generator init, Generator rng) {
        this.dropout = dropout;
        this.rng = rng;
        registerModule("ln1", new LayerNorm(dim));
        registerModule("attn", new MultiheadAttention(dim, heads, init));
        registerModule("ln2", new LayerNorm(dim));
        registerModule("ff1", new Linear(dim, ff, init));
        registerModule("ff2", new Linear(ff, dim, init));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false, null);
    }

    /** @param lengths valid positions per row (key padding), INT {@code [B]}, or null */
    public Tensor forward(Tensor x, boolean causal, Tensor lengths) {
        Tensor h = this.<LayerNorm>module("ln1").forward(x);
        x = x.add(drop(this.<MultiheadAttention>module("attn").forward(h, h, h, causal, lengths)));
        h = this.<LayerNorm>module("ln2").forward(x);
        h = this.<Linear>module("ff2").forward(this.<Linear>module("ff1").forward(h, Gemm.Activation.GELU));
        return x.add(drop(h));
    }

    private Tensor drop(Tensor t) {
        return dropout > 0 ? t.dropout(dropout, isTraining(), rng) : t;
    }
}
