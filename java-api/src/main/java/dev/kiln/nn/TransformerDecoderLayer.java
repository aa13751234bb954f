package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Gemm;

/**
 * A pre-norm Transformer decoder layer: causal self-attention, cross-attention over the encoder's
 * memory (keys past {@code memoryLengths} hidden), then a GELU feed-forward; each a residual branch
 * after its own layer norm.
 */
public final class TransformerDecoderLayer extends Module {

    private final float dropout;
    private final Generator rng;

    public TransformerDecoderLayer(int dim, int heads, int ff, float dropout, Generator init, Generator rng) {
        this.dropout = dropout;
        this.rng = rng;
        registerModule("ln1", new LayerNorm(dim));
        registerModule("self", new MultiheadAttention(dim, heads, init));
        registerModule("ln2", new LayerNorm(dim));
        registerModule("cross", new MultiheadAttention(dim, heads, init));
        registerModule("ln3", new LayerNorm(dim));
        registerModule("ff1", new Linear(dim, ff, init));
        registerModule("ff2", new Linear(ff, dim, init));
    }

    /** Not meaningful without memory. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("TransformerDecoderLayer needs the encoder memory: call forward(x, memory, memoryLengths)");
    }

    public Tensor forward(Tensor x, Tensor memory, Tensor memoryLengths) {
        Tensor h = this.<LayerNorm>module("ln1").forward(x);
        x = x.add(drop(this.<MultiheadAttention>module("self").forward(h, h, h, true, null)));
        h = this.<LayerNorm>module("ln2").forward(x);
        x = x.add(drop(this.<MultiheadAttention>module("cross").forward(h, memory, memory, false, memoryLengths)));
        h = this.<LayerNorm>module("ln3").forward(x);
        h = this.<Linear>module("ff2").forward(this.<Linear>module("ff1").forward(h, Gemm.Activation.GELU));
        return x.add(drop(h));
    }

    private Tensor drop(Tensor t) {
        return dropout > 0 ? t.dropout(dropout, isTraining(), rng) : t;
    }
}
