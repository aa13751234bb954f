package dev.kiln.backend;

/**
 * The shape of one 2-D convolution: the value the {@link Backend} convolution methods take, field
 * for field the kernels' {@code KilnConvGeom} (see {@code kernels/CONV.md}), plus the memory layout:
 * NCHW activations with {@code [K, C/groups, R, S]} weights, or with {@code nhwc} NHWC activations
 * ({@code x [N, H, W, C]}, {@code y [N, P, Q, K]}) with {@code [K, R, S, C/groups]} weights.
 *
 * <pre>{@code
 * ConvGeometry g = ConvGeometry.of(64, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1); // P = Q = 28
 * }</pre>
 *
 * @param n batch, {@code c} input channels, {@code h}/{@code w} input height/width
 * @param k output channels, {@code r}/{@code s} filter height/width, {@code p}/{@code q} output height/width
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s, int p, int q,
                           int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups, boolean nhwc) {

    public ConvGeometry {
        if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || r < 1 || s < 1 || p < 1 || q < 1 || strideH < 1 || strideW < 1
                || padH < 0 || padW < 0 || dilH < 1 || dilW < 1 || groups < 1 || c % groups != 0 || k % groups != 0) {
            throw new IllegalArgumentException("Bad convolution geometry " + this);
        }
    }

    /** Computes P and Q from the input, filter, stride, padding and dilation (floor, as PyTorch). */
    public static ConvGeometry of(int n, int c, int h, int w, int k, int r, int s, int strideH, int strideW,
                                  int padH, int padW, int dilH, int dilW, int groups) {
        return new ConvGeometry(n, c, h, w, k, r, s, outSize(h, r, strideH, padH, dilH), outSize(w, s, strideW, padW, dilW),
                strideH, strideW, padH, padW, dilH, dilW, groups, false);
    }

    /** The same convolution with NHWC ({@code true}) or NCHW activations. */
    public ConvGeometry withNhwc(boolean channelsLast) {
        return new ConvGeometry(n, c, h, w, k, r, s, p, q, strideH, strideW, padH, padW, dilH, dilW, groups, channelsLast);
    }

    /** {@code (in + 2·pad − dil·(k−1) − 1) / stride + 1}, floor; below 1 when the window does not fit. */
    public static int outSize(int in, int k, int stride, int pad, int dil) {
        int span = in + 2 * pad - dil * (k - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    /**
     * Pooling output size in PyTorch's ceil mode: {@code ceil(span / stride) + 1}, less one when the
     * last window would start in the right padding (each window must start inside the input or the
     * left padding). With {@code ceilMode} false this is {@link #outSize}.
     */
    public static int poolOutSize(int in, int k, int stride, int pad, int dil, boolean ceilMode) {
        int span = in + 2 * pad - dil * (k - 1) - 1;
        if (span < 0 || !ceilMode) {
            return outSize(in, k, stride, pad, dil);
        }
        int out = (span + stride - 1) / stride + 1;
        if ((long) (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    /** Input channels per group. */
    public int cg() {
        return c / groups;
    }

    /** Output channels per group. */
    public int kg() {
        return k / groups;
    }

    /** The 16 int fields in {@code KilnConvGeom} order (the layout picks the kernel, it is not a field). */
    public int[] fields() {
        return new int[] {n, c, h, w, k, r, s, p, q, strideH, strideW, padH, padW, dilH, dilW, groups};
    }
}
