package dev.kiln.backend;

/**
 * The shape of one scaled-dot-product attention: {@code q [B, H, Lq, D]}, {@code k, v [B, H, Lk, D]},
 * the score scale and whether a causal mask hides keys after each query.
 */
public record AttentionGeometry(int b, int h, int lq, int lk, int d, float scale, boolean causal) {

    public AttentionGeometry {
        if (b < 1 || h < 1 || lq < 1 || lk < 1 || d < 1) {
            throw new IllegalArgumentException("Bad attention geometry " + this);
        }
    }
}
