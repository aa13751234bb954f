package dev.kiln.backend;

/**
 * The shape of one 2-D pooling over NCHW planes: the value the {@link Backend} pooling methods
 * take, field for field the kernels' {@code KilnPoolGeom} (see {@code kernels/CONV.md}). Adaptive
 * pooling uses only N, C, H, W, P and Q.
 */
public record PoolGeometry(int n, int c, int h, int w, int p, int q, int r, int s,
                           int strideH, int strideW, int padH, int padW, int dilH, int dilW) {

    public PoolGeometry {
        if (n < 1 || c < 1 || h < 1 || w < 1 || p < 1 || q < 1 || r < 1 || s < 1 || strideH < 1 || strideW < 1
                || padH < 0 || padW < 0 || dilH < 1 || dilW < 1) {
            throw new IllegalArgumentException("Bad pooling geometry " + this);
        }
    }

    /** The 14 int fields in {@code KilnPoolGeom} order. */
    public int[] fields() {
        return new int[] {n, c, h, w, p, q, r, s, strideH, strideW, padH, padW, dilH, dilW};
    }
}
