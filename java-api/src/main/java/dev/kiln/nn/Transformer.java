package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;

/**
 * An encoder-decoder Transformer over token ids (pre-norm layers, sinusoidal positions, shared
 * source/target vocabulary size {@code vocab}): {@code forward(src, srcLengths, tgtIn)} gives
 * logits {@code [B, Lt, vocab]} for teacher-forced decoding.
 */
public final class Transformer extends Module {

    private final int layers;
    private final float scale;

    public Transformer(int vocab, int dim, int heads, int layers, int ff, int maxLen, float dropout, Generator init, Generator rng) {
        this.layers = layers;
        this.scale = (float) Math.sqrt(dim);
        registerModule("srcEmbed", new Embedding(vocab, dim, init));
        registerModule("tgtEmbed", new Embedding(vocab, dim, init));
        registerModule("pos", PositionalEncoding.sinusoidal(maxLen, dim));
        for (int l = 0; l < layers; l++) {
            registerModule("enc" + l, new TransformerEncoderLayer(dim, heads, ff, dropout, init, rng));
            registerModule("dec" + l, new TransformerDecoderLayer(dim, heads, ff, dropout, init, rng));
        }
        registerModule("encNorm", new LayerNorm(dim));
        registerModule("decNorm", new LayerNorm(dim));
        registerModule("head", new Linear(dim, vocab, init));
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("Transformer needs source and target: call forward(src, srcLengths, tgtIn)");
    }

    /** Encoder memory {@code [B, Ls, dim]}. */
    public Tensor encode(Tensor src, Tensor srcLengths) {
        Tensor x = embed("srcEmbed", src);
        for (int l = 0; l < layers; l++) {
            x = this.<TransformerEncoderLayer>module("enc" + l).forward(x, false, srcLengths);
        }
        return this.<LayerNorm>module("encNorm").forward(x);
    }

    /** Logits {@code [B, Lt, vocab]} for target inputs given the encoder memory. */
    public Tensor decode(Tensor tgtIn, Tensor memory, Tensor srcLengths) {
        Tensor y = embed("tgtEmbed", tgtIn);
        for (int l = 0; l < layers; l++) {
            y = this.<TransformerDecoderLayer>module("dec" + l).forward(y, memory, srcLengths);
        }
        return this.<Linear>module("head").forward(this.<LayerNorm>module("decNorm").forward(y));
    }

    public Tensor forward(Tensor src, Tensor srcLengths, Tensor tgtIn) {
        return decode(tgtIn, encode(src, srcLengths), srcLengths);
    }

    private Tensor embed(String table, Tensor ids) {
        // N(0,1) embeddings scaled down to the positional encoding's range keep early training stable.
        return this.<PositionalEncoding>module("pos").forward(this.<Embedding>module(table).forward(ids).mul(1f / scale * 4f));
    }
}
