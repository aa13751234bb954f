package dev.kiln.backend;

/**
 * The shape of one scaled-dot-product attention: {@code q [B, H, Lq, D]}, {@code k [B, H, Lk, D]},
 * {@code v [B, H, Lk, Dv]} (output {@code [B, H, Lq, Dv]}), the score scale and whether a causal
 * mask hides keys after each query.
 */
public record AttentionGeometry(int b, int h, int lq, int lk, int d, int dv, float scale, boolean causal) {

    public AttentionGeometry {
        if (b < 1 || h < 1 || lq < 1 || lk < 1 || d < 1 || dv < 1) {
            throw new IllegalArgumentException("Bad attention geometry " + this);
        }
    }

    /** Values as wide as keys ({@code Dv = D}). */
    public AttentionGeometry(int b, int h, int lq, int lk, int d, float scale, boolean causal) {
        this(b, h, lq, lk, d, d, scale, causal);
    }
}
