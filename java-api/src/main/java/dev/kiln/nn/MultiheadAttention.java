package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;

/**
 * Multi-head attention on batch-first {@code [B, L, dim]} sequences over the fused
 * {@link SequenceOps#scaledDotProductAttention}: projections q, k, v, out ({@code dim -> dim}),
 * {@code heads} heads of {@code dim / heads}. Masks: {@code causal} (query i sees keys ≤ i) and
 * key padding as per-row key lengths ({@code kvLen}, INT {@code [B]}: keys at or past it are hidden),
 * or any mask that broadcasts to the scores {@code [B, heads, Lq, Lk]} ({@link #forwardMasked}).
 */
public final class MultiheadAttention extends Module {

    private final int dim;
    private final int heads;

    public MultiheadAttention(int dim, int heads, Generator g) {
        if (heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: dim " + dim + " is not divisible by heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        registerModule("q", new Linear(dim, dim, g));
        registerModule("k", new Linear(dim, dim, g));
        registerModule("v", new Linear(dim, dim, g));
        registerModule("out", new Linear(dim, dim, g));
    }

    /** Self-attention without masks. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, false, null);
    }

    public Tensor forward(Tensor query, Tensor key, Tensor value, boolean causal, Tensor kvLen) {
        return attend(query, key, value, (q, k, v) -> SequenceOps.scaledDotProductAttention(q, k, v, causal, kvLen));
    }

    /**
     * Attention under {@code mask} (nonzero = may attend), which broadcasts to
     * {@code [B, heads, Lq, Lk]}: {@code [B,1,1,Lk]} for key padding, {@code [1,1,Lq,Lk]} for one
     * pattern for all rows; see {@link SequenceOps#maskedAttention}.
     */
    public Tensor forwardMasked(Tensor query, Tensor key, Tensor value, boolean causal, Tensor mask) {
        return attend(query, key, value, (q, k, v) -> SequenceOps.maskedAttention(q, k, v, causal, mask));
    }

    private interface Core {
        Tensor apply(Tensor q, Tensor k, Tensor v);
    }

    private Tensor attend(Tensor query, Tensor key, Tensor value, Core core) {
        int b = query.size(0), lq = query.size(1), lk = key.size(1), dh = dim / heads;
        Tensor q = split(this.<Linear>module("q").forward(query), b, lq, dh);
        Tensor k = split(this.<Linear>module("k").forward(key), b, lk, dh);
        Tensor v = split(this.<Linear>module("v").forward(value), b, lk, dh);
        Tensor o = core.apply(q, k, v);
        return this.<Linear>module("out").forward(o.permute(0, 2, 1, 3).reshape(b, lq, dim));
    }

    private Tensor split(Tensor x, int b, int l, int dh) {
        return x.reshape(b, l, heads, dh).permute(0, 2, 1, 3);
    }

    @Override
    public String toString() {
        return "MultiheadAttention(" + dim + ", heads=" + heads + ")";
    }
}
