package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;

/**
 * A decoder-only (GPT-style) language model: token embedding plus learned positions, causal
 * pre-norm {@link TransformerEncoderLayer}s, a final layer norm and a vocabulary head.
 * {@code forward(ids [B, L])} gives next-token logits {@code [B, L, vocab]}.
 */
public final class TransformerLM extends Module {

    private final int layers;
    private final int maxLen;

    public TransformerLM(int vocab, int dim, int heads, int layers, int ff, int maxLen, float dropout, Generator init, Generator rng) {
        this.layers = layers;
        this.maxLen = maxLen;
        registerModule("embed", new Embedding(vocab, dim, init));
        registerModule("pos", PositionalEncoding.learned(maxLen, dim, init));
        for (int l = 0; l < layers; l++) {
            registerModule("block" + l, new TransformerEncoderLayer(dim, heads, ff, dropout, init, rng));
        }
        registerModule("norm", new LayerNorm(dim));
        registerModule("head", new Linear(dim, vocab, init));
    }

    @Override
    public Tensor forward(Tensor ids) {
        Tensor x = this.<PositionalEncoding>module("pos").forward(this.<Embedding>module("embed").forward(ids));
        for (int l = 0; l < layers; l++) {
            x = this.<TransformerEncoderLayer>module("block" + l).forward(x, true, null);
        }
        return this.<Linear>module("head").forward(this.<LayerNorm>module("norm").forward(x));
    }

    /** The longest context the positional table covers. */
    public int maxLen() {
        return maxLen;
    }
}
