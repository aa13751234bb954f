package dev.kiln.backend.cpu;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.ConvGeometry;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.PoolGeometry;
import dev.kiln.backend.VisionKernels;

import java.util.Arrays;

/**
 * The CPU reference of the {@link VisionKernels} family (NCHW, fp32;
 * NHWC convolutions through layout transposes around the NCHW code).
 *
 * <p>Convolution is im2col + {@link SgemmBlock}: one sample's patches are unfolded into a
 * {@code [C/groups·R·S, P·Q]} matrix and multiplied by the group's weight rows. The batch is split
 * over the cores (each worker has its own column buffer and runs its GEMMs single-threaded), which
 * keeps every core busy on the small per-sample products of a 28×28 network; the weight gradient
 * sums one partial per worker chunk in chunk order, so results do not depend on scheduling. Where
 * an output plane is small (P·Q of 16 to 196 in ResNet's deeper stages) several samples share one
 * product: their patches side by side in one column buffer, so a product is hundreds of columns
 * wide (forward, data gradient; bit-identical to one sample at a time) or hundreds of
 * multiply-adds deep (weight gradient: one chain per group of samples rather than per sample).
 * Pooling and batch norm are direct loops; batch-norm statistics accumulate in double.
 */
public final class CpuVision implements VisionKernels {

    /** Registers this family for the CPU backend. */
    public static final class Provider extends FamilyProvider<VisionKernels, CpuBackend> {
        public Provider() {
            super(VisionKernels.class, CpuBackend.class, backend -> new CpuVision());
        }
    }

    private static final boolean SIMD = CpuSimd.enabled();

    private static float[] f(Buffer b) {
        return b == null ? null : CpuBackend.array(b);
    }

    /** C = op(A)·op(B) (beta 0 or 1) on the calling thread. */
    private static void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        SgemmBlock.compute(ta, tb, 0, m, 0, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Writes into {@code out} the output columns {@code [q0, q1)} of a row of {@code q} whose input
     * column {@code q·stride - pad + offset} lies in {@code [0, w)}; outside them a patch reads padding.
     */
    private static void validColumns(int q, int stride, int pad, int offset, int w, int[] out) {
        // q·stride + (offset - pad) ∈ [0, w)  ⇔  q ∈ [ceil((pad - offset) / stride), ceil((w + pad - offset) / stride))
        int q0 = Math.min(q, Math.max(0, Math.floorDiv(pad - offset + stride - 1, stride)));
        int q1 = Math.min(q, Math.floorDiv(w + pad - offset + stride - 1, stride));
        out[0] = q0;
        out[1] = Math.max(q0, q1);
    }

    /**
     * Unfolds sample {@code n}, group {@code gi} of x into the columns {@code [at, at + P·Q)} of col
     * [Cg·R·S, ld] (a group of samples lies side by side, sample {@code s} of it at {@code at = s·P·Q}).
     * Each output row is a run of padding, one contiguous (stride 1) or strided copy of an input row,
     * and padding again, so the loop has no per-element bounds test.
     */
    private static void im2col(ConvGeometry g, float[] x, int n, int gi, float[] col, int at, int ld) {
        int cg = g.cg(), qn = g.q(), sw = g.strideW();
        int[] span = new int[2];
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = ((n * g.c()) + gi * cg + c) * g.h() * g.w();
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    int off = s * g.dilW();
                    validColumns(qn, sw, g.padW(), off, g.w(), span);
                    int q0 = span[0], q1 = span[1];
                    int o = at + row * ld;
                    if (sw == 1 && g.strideH() == 1 && g.w() == qn && q1 > q0) {
                        planeCopy(g, x, col, plane, o, r, off, q0, q1);
                        continue;
                    }
                    for (int p = 0; p < g.p(); p++, o += qn) {
                        int h = p * g.strideH() - g.padH() + r * g.dilH();
                        if (h < 0 || h >= g.h()) {
                            Arrays.fill(col, o, o + qn, 0f);
                            continue;
                        }
                        // The padding runs are a column or two: a loop beats Arrays.fill's call here.
                        for (int q = 0; q < q0; q++) {
                            col[o + q] = 0f;
                        }
                        int src = plane + h * g.w() + q0 * sw - g.padW() + off;
                        if (sw == 1) {
                            System.arraycopy(x, src, col, o + q0, q1 - q0);
                        } else {
                            for (int q = q0, i = src; q < q1; q++, i += sw) {
                                col[o + q] = x[i];
                            }
                        }
                        for (int q = q1; q < qn; q++) {
                            col[o + q] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * One im2col row (filter tap {@code r}, column offset {@code off}) when both strides are 1 and
     * the output is as wide as the input: then output element {@code (p, q)} reads input
     * {@code (p + r·dil - pad, q + off - pad)}, a fixed distance away, so the valid rows
     * {@code [p0, p1)} are one copy, after which the padding columns {@code [0, q0)} and
     * {@code [q1, Q)} of those rows (holding neighbouring rows' values) and the rows outside are zeroed.
     */
    private static void planeCopy(ConvGeometry g, float[] x, float[] col, int plane, int o, int r, int off, int q0, int q1) {
        int qn = g.q(), dh = r * g.dilH() - g.padH();
        int p0 = Math.min(g.p(), Math.max(0, -dh)), p1 = Math.max(p0, Math.min(g.p(), g.h() - dh));
        Arrays.fill(col, o, o + p0 * qn, 0f);
        Arrays.fill(col, o + p1 * qn, o + g.p() * qn, 0f);
        if (p1 == p0) {
            return;
        }
        int first = o + p0 * qn + q0, last = o + (p1 - 1) * qn + q1;
        System.arraycopy(x, plane + (p0 + dh) * g.w() + q0 - g.padW() + off, col, first, last - first);
        for (int p = p0; p < p1; p++) {
            int rowStart = o + p * qn;
            for (int q = 0; q < q0; q++) {
                col[rowStart + q] = 0f;
            }
            for (int q = q1; q < qn; q++) {
                col[rowStart + q] = 0f;
            }
        }
    }

    /**
     * Adds the columns {@code [at, at + P·Q)} of col [Cg·R·S, ld] back into sample n, group gi of dx
     * (the adjoint of {@link #im2col}), in the same order as the element-by-element loop, over the
     * valid columns only.
     */
    private static void col2im(ConvGeometry g, float[] col, int at, int ld, int n, int gi, float[] dx) {
        int cg = g.cg(), qn = g.q(), sw = g.strideW();
        int[] span = new int[2];
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = ((n * g.c()) + gi * cg + c) * g.h() * g.w();
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++, row++) {
                    int off = s * g.dilW();
                    validColumns(qn, sw, g.padW(), off, g.w(), span);
                    int q0 = span[0], q1 = span[1];
                    int o = at + row * ld;
                    for (int p = 0; p < g.p(); p++, o += qn) {
                        int h = p * g.strideH() - g.padH() + r * g.dilH();
                        if (h < 0 || h >= g.h()) {
                            continue;
                        }
                        int dst = plane + h * g.w() + q0 * sw - g.padW() + off;
                        if (sw == 1) {
                            for (int q = q0; q < q1; q++) {
                                dx[dst + q - q0] += col[o + q];
                            }
                        } else {
                            for (int q = q0, i = dst; q < q1; q++, i += sw) {
                                dx[i] += col[o + q];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Output positions per sample below which the forward and data-gradient products take several
     * samples at once: a product {@code n = P·Q} columns wide (16 to 49 in ResNet's last stages)
     * spends more on packing and merging than on multiply-adds.
     */
    static final int GROUP_BELOW = 256;
    /** Columns a group of samples aims at in the forward and data-gradient products. */
    static final int GROUP_COLUMNS = 512;

    /**
     * Samples per product of the forward and data-gradient passes: 1 from {@link #GROUP_BELOW}
     * output positions up, otherwise about {@link #GROUP_COLUMNS} columns' worth, at most a
     * (2·threads)-th of the batch so that every core gets groups. Each output element is the same
     * chain of operations whatever the group (the products' K is unchanged), so the grouping only
     * changes the speed.
     */
    static int samplesPerProduct(ConvGeometry g) {
        int pq = g.p() * g.q();
        if (pq >= GROUP_BELOW) {
            return 1;
        }
        int share = (g.n() + 2 * Parallel.threads() - 1) / (2 * Parallel.threads());
        return Math.max(1, Math.min(GROUP_COLUMNS / Math.max(1, pq), share));
    }

    /**
     * Samples per weight-gradient product: as many as fit one {@link Sgemm#KC}-deep K panel
     * ({@code nb·P·Q ≤ KC}), so that the product is one chain of multiply-adds per group added to
     * the accumulator once, where one sample at a time read and wrote the whole
     * {@code [K, C·R·S]} accumulator for every {@code P·Q} multiply-adds. 1 from
     * {@code P·Q > KC/2} up, where samples cannot share a panel. This is the same sum in another
     * order (one chain over the group, not one chain per sample added in turn), so the last bits
     * differ from one sample per product; a K panel per sample would keep them but also the
     * accumulator traffic, which is the cost this removes.
     */
    static int samplesPerWeightProduct(ConvGeometry g) {
        int pq = g.p() * g.q();
        return Math.max(1, Math.min(g.n(), Sgemm.KC / Math.max(1, pq)));
    }

    /** dst[k, s·P·Q + j] = src[sample n0 + s, channel c0 + k, j] for s < nb, k < rows: a group's rows side by side. */
    private static void gather(ConvGeometry g, float[] src, int n0, int nb, int c0, int rows, float[] dst) {
        int pq = g.p() * g.q(), ld = nb * pq;
        for (int s = 0; s < nb; s++) {
            for (int k = 0; k < rows; k++) {
                System.arraycopy(src, ((n0 + s) * g.k() + c0 + k) * pq, dst, k * ld + s * pq, pq);
            }
        }
    }

    /** The inverse of {@link #gather}: src[k, s·P·Q + j] to dst[sample n0 + s, channel c0 + k, j]. */
    private static void scatter(ConvGeometry g, float[] src, int n0, int nb, int c0, int rows, float[] dst) {
        int pq = g.p() * g.q(), ld = nb * pq;
        for (int s = 0; s < nb; s++) {
            for (int k = 0; k < rows; k++) {
                System.arraycopy(src, k * ld + s * pq, dst, ((n0 + s) * g.k() + c0 + k) * pq, pq);
            }
        }
    }

    // NHWC is served by the NCHW code between layout transposes: [a, b, c, d] -> [a, d, b, c]
    // turns NHWC activations and KRSC weights into NCHW / KCRS, and back with [a, b, c, d] -> [a, c, d, b].

    /** {@code [a, b, c, d]} to a new {@code [a, d, b, c]} (channels first). */
    static float[] channelsFirst(float[] src, int a, int b, int c, int d) {
        float[] out = new float[a * b * c * d];
        int bc = b * c;
        for (int i = 0; i < a; i++) {
            int so = i * bc * d, oo = i * d * bc;
            for (int j = 0; j < bc; j++) {
                for (int l = 0; l < d; l++) {
                    out[oo + l * bc + j] = src[so + j * d + l];
                }
            }
        }
        return out;
    }

    /** {@code [a, b, c, d]} into {@code out [a, c, d, b]} (channels last). */
    static void channelsLast(float[] src, int a, int b, int c, int d, float[] out) {
        int cd = c * d;
        for (int i = 0; i < a; i++) {
            int so = i * b * cd;
            for (int l = 0; l < b; l++) {
                for (int j = 0; j < cd; j++) {
                    out[so + j * b + l] = src[so + l * cd + j];
                }
            }
        }
    }

    @Override
    public void conv2dForward(ConvGeometry g, Buffer xb, Buffer wb, Buffer biasb, Buffer yb, boolean relu) {
        if (g.nhwc()) {
            float[] y = new float[g.n() * g.k() * g.p() * g.q()];
            forward(g.withNhwc(false), channelsFirst(f(xb), g.n(), g.h(), g.w(), g.c()),
                    channelsFirst(f(wb), g.k(), g.r(), g.s(), g.cg()), f(biasb), y, relu);
            channelsLast(y, g.n(), g.k(), g.p(), g.q(), f(yb));
        } else {
            forward(g, f(xb), f(wb), f(biasb), f(yb), relu);
        }
    }

    private static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu) {
        forward(g, x, w, bias, y, relu, samplesPerProduct(g));
    }

    /**
     * The forward pass with {@code nb} samples per product: their patches side by side in one
     * col [Cg·R·S, nb·P·Q], one product into a [K/g, nb·P·Q] block, scattered into y (a single
     * sample's product goes straight into y). Groups are split over the cores.
     */
    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, boolean relu, int nb) {
        int crs = g.cg() * g.r() * g.s(), pq = g.p() * g.q(), kg = g.kg();
        Parallel.range((g.n() + nb - 1) / nb, 1, (lo, hi) -> {
            float[] col = new float[crs * nb * pq];
            float[] block = nb == 1 ? null : new float[kg * nb * pq];
            for (int b = lo; b < hi; b++) {
                int n0 = b * nb, cnt = Math.min(nb, g.n() - n0), ld = cnt * pq;
                for (int gi = 0; gi < g.groups(); gi++) {
                    for (int s = 0; s < cnt; s++) {
                        im2col(g, x, n0 + s, gi, col, s * pq, ld);
                    }
                    if (cnt == 1) {
                        gemm(false, false, kg, pq, crs, w, gi * kg * crs, crs, col, 0, pq, 0f, y, (n0 * g.k() + gi * kg) * pq, pq);
                    } else {
                        gemm(false, false, kg, ld, crs, w, gi * kg * crs, crs, col, 0, ld, 0f, block, 0, ld);
                        scatter(g, block, n0, cnt, gi * kg, kg, y);
                    }
                }
                if (bias != null || relu) {
                    for (int n = n0; n < n0 + cnt; n++) {
                        for (int k = 0; k < g.k(); k++) {
                            float bk = bias == null ? 0f : bias[k];
                            int o = (n * g.k() + k) * pq;
                            for (int i = o; i < o + pq; i++) {
                                float v = y[i] + bk;
                                y[i] = relu && v < 0f ? 0f : v;
                            }
                        }
                    }
                }
            }
        });
    }

    @Override
    public void conv2dBackwardData(ConvGeometry g, Buffer dyb, Buffer wb, Buffer dxb) {
        if (g.nhwc()) {
            float[] dx = new float[g.n() * g.c() * g.h() * g.w()];
            backwardData(g.withNhwc(false), channelsFirst(f(dyb), g.n(), g.p(), g.q(), g.k()),
                    channelsFirst(f(wb), g.k(), g.r(), g.s(), g.cg()), dx);
            channelsLast(dx, g.n(), g.c(), g.h(), g.w(), f(dxb));
        } else {
            backwardData(g, f(dyb), f(wb), f(dxb));
        }
    }

    private static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        backwardData(g, dy, w, dx, samplesPerProduct(g));
    }

    /**
     * The data gradient with {@code nb} samples per product: their dy rows gathered side by side
     * into [K/g, nb·P·Q], one product into col [Cg·R·S, nb·P·Q], folded back sample by sample.
     */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx, int nb) {
        int crs = g.cg() * g.r() * g.s(), pq = g.p() * g.q(), kg = g.kg(), chw = g.c() * g.h() * g.w();
        Parallel.range((g.n() + nb - 1) / nb, 1, (lo, hi) -> {
            float[] col = new float[crs * nb * pq];
            float[] block = nb == 1 ? null : new float[kg * nb * pq];
            for (int b = lo; b < hi; b++) {
                int n0 = b * nb, cnt = Math.min(nb, g.n() - n0), ld = cnt * pq;
                Arrays.fill(dx, n0 * chw, (n0 + cnt) * chw, 0f);
                for (int gi = 0; gi < g.groups(); gi++) {
                    if (cnt == 1) {
                        gemm(true, false, crs, pq, kg, w, gi * kg * crs, crs, dy, (n0 * g.k() + gi * kg) * pq, pq, 0f, col, 0, pq);
                    } else {
                        gather(g, dy, n0, cnt, gi * kg, kg, block);
                        gemm(true, false, crs, ld, kg, w, gi * kg * crs, crs, block, 0, ld, 0f, col, 0, ld);
                    }
                    for (int s = 0; s < cnt; s++) {
                        col2im(g, col, s * pq, ld, n0 + s, gi, dx);
                    }
                }
            }
        });
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Buffer xb, Buffer dyb, Buffer dwb) {
        if (g.nhwc()) {
            float[] dw = new float[g.k() * g.cg() * g.r() * g.s()];
            backwardWeight(g.withNhwc(false), channelsFirst(f(xb), g.n(), g.h(), g.w(), g.c()),
                    channelsFirst(f(dyb), g.n(), g.p(), g.q(), g.k()), dw);
            channelsLast(dw, g.k(), g.cg(), g.r(), g.s(), f(dwb));
        } else {
            backwardWeight(g, f(xb), f(dyb), f(dwb));
        }
    }

    private static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        backwardWeight(g, x, dy, dw, samplesPerWeightProduct(g));
    }

    /**
     * The weight gradient with up to {@code nb} samples per product (K = nb·P·Q): the batch is cut
     * into fixed chunks (one per worker), each chunk into groups of {@code nb} from its first
     * sample, and the chunks' partial sums are added in chunk order, so the result does not depend
     * on scheduling.
     */
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, int nb) {
        int crs = g.cg() * g.r() * g.s(), pq = g.p() * g.q(), kg = g.kg(), count = g.k() * crs;
        int chunks = Math.max(1, Math.min(g.n(), Parallel.threads()));
        float[][] partial = new float[chunks][];
        Parallel.range(chunks, 1, (lo, hi) -> {
            float[] col = new float[crs * nb * pq];
            float[] block = nb == 1 ? null : new float[kg * nb * pq];
            for (int t = lo; t < hi; t++) {
                float[] acc = new float[count];
                int n0 = (int) ((long) g.n() * t / chunks), n1 = (int) ((long) g.n() * (t + 1) / chunks);
                for (int n = n0; n < n1; n += nb) {
                    int cnt = Math.min(nb, n1 - n), ld = cnt * pq;
                    for (int gi = 0; gi < g.groups(); gi++) {
                        for (int s = 0; s < cnt; s++) {
                            im2col(g, x, n + s, gi, col, s * pq, ld);
                        }
                        if (cnt == 1) {
                            gemm(false, true, kg, crs, pq, dy, (n * g.k() + gi * kg) * pq, pq, col, 0, pq, 1f, acc, gi * kg * crs, crs);
                        } else {
                            gather(g, dy, n, cnt, gi * kg, kg, block);
                            gemm(false, true, kg, crs, ld, block, 0, ld, col, 0, ld, 1f, acc, gi * kg * crs, crs);
                        }
                    }
                }
                partial[t] = acc;
            }
        });
        System.arraycopy(partial[0], 0, dw, 0, count);
        for (int t = 1; t < chunks; t++) {
            float[] a = partial[t];
            for (int i = 0; i < count; i++) {
                dw[i] += a[i];
            }
        }
    }

    @Override
    public void conv2dBackwardBias(ConvGeometry g, Buffer dyb, Buffer dbb) {
        float[] dy = g.nhwc() ? channelsFirst(f(dyb), g.n(), g.p(), g.q(), g.k()) : f(dyb), db = f(dbb);
        int pq = g.p() * g.q();
        for (int k = 0; k < g.k(); k++) {
            double s = 0;
            for (int n = 0; n < g.n(); n++) {
                int o = (n * g.k() + k) * pq;
                for (int i = o; i < o + pq; i++) {
                    s += dy[i];
                }
            }
            db[k] = (float) s;
        }
    }

    // ---- pooling -------------------------------------------------------------------------------

    @Override
    public void maxPool2dForward(PoolGeometry g, Buffer xb, Buffer yb, Buffer idxb) {
        float[] x = f(xb), y = f(yb);
        long[] idx = idxb == null ? null : CpuBuffer.of(idxb).l;
        int hw = g.h() * g.w(), pq = g.p() * g.q();
        Parallel.range(g.n() * g.c(), 16, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xp = plane * hw;
                for (int p = 0; p < g.p(); p++) {
                    for (int q = 0; q < g.q(); q++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int r = 0; r < g.r(); r++) {
                            int h = p * g.strideH() - g.padH() + r * g.dilH();
                            if (h < 0 || h >= g.h()) {
                                continue;
                            }
                            for (int s = 0; s < g.s(); s++) {
                                int w = q * g.strideW() - g.padW() + s * g.dilW();
                                if (w < 0 || w >= g.w()) {
                                    continue;
                                }
                                int i = h * g.w() + w;
                                float v = x[xp + i];
                                if (bi < 0 || v > best || v != v) {
                                    best = v;
                                    bi = i;
                                }
                            }
                        }
                        int o = plane * pq + p * g.q() + q;
                        y[o] = best;
                        if (idx != null) {
                            idx[o] = bi;
                        }
                    }
                }
            }
        });
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Buffer dyb, Buffer idxb, Buffer dxb) {
        float[] dy = f(dyb), dx = f(dxb);
        long[] idx = CpuBuffer.of(idxb).l;
        int hw = g.h() * g.w(), pq = g.p() * g.q();
        Parallel.range(g.n() * g.c(), 16, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                Arrays.fill(dx, plane * hw, (plane + 1) * hw, 0f);
                for (int o = plane * pq; o < (plane + 1) * pq; o++) {
                    if (idx[o] >= 0) {
                        dx[plane * hw + (int) idx[o]] += dy[o];
                    }
                }
            }
        });
    }

    /** {lo, hi, full}: clamped window and its unclamped size (for count_include_pad). */
    private static int[] span(int o, int stride, int pad, int k, int in) {
        int s = o * stride - pad;
        int e = Math.min(s + k, in + pad);
        int full = e - s;
        return new int[] {Math.max(s, 0), Math.min(e, in), full};
    }

    @Override
    public void avgPool2dForward(PoolGeometry g, Buffer x, Buffer y, boolean countIncludePad) {
        avgPool2d(g, x, y, countIncludePad, false);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx, boolean countIncludePad) {
        avgPool2d(g, dy, dx, countIncludePad, true);
    }

    private static void avgPool2d(PoolGeometry g, Buffer xb, Buffer yb, boolean countIncludePad, boolean backward) {
        float[] src = f(xb), dst = f(yb);
        int hw = g.h() * g.w(), pq = g.p() * g.q();
        Parallel.range(g.n() * g.c(), 16, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                if (backward) {
                    Arrays.fill(dst, plane * hw, (plane + 1) * hw, 0f);
                }
                for (int p = 0; p < g.p(); p++) {
                    int[] a = span(p, g.strideH(), g.padH(), g.r(), g.h());
                    for (int q = 0; q < g.q(); q++) {
                        int[] b = span(q, g.strideW(), g.padW(), g.s(), g.w());
                        float div = countIncludePad ? (float) (a[2] * b[2]) : (float) ((a[1] - a[0]) * (b[1] - b[0]));
                        average(src, dst, plane * hw, g.w(), plane * pq + p * g.q() + q, a[0], a[1], b[0], b[1], div, backward);
                    }
                }
            }
        });
    }

    /**
     * One output {@code o} of an average pool over rows {@code [h0, h1)} and columns {@code [w0, w1)}
     * of the plane at {@code base} (row length {@code width}): forward, the window's sum of {@code src}
     * over {@code div} into {@code dst[o]}; backward, {@code src[o] / div} added to each input of the
     * window in {@code dst}.
     */
    private static void average(float[] src, float[] dst, int base, int width, int o, int h0, int h1, int w0, int w1,
                                float div, boolean backward) {
        if (backward) {
            float v = src[o] / div;
            for (int h = h0; h < h1; h++) {
                for (int w = w0; w < w1; w++) {
                    dst[base + h * width + w] += v;
                }
            }
        } else {
            float s = 0f;
            for (int h = h0; h < h1; h++) {
                for (int w = w0; w < w1; w++) {
                    s += src[base + h * width + w];
                }
            }
            dst[o] = s / div;
        }
    }

    private static int adaptiveStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    private static int adaptiveEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /** Crop-and-flip augmentation; see {@link VisionKernels#cropFlip}. */
    @Override
    public void cropFlip(Buffer xb, Buffer paramsb, Buffer yb, int n, int c, int h, int w, int pad, float fill) {
        int[] params = CpuBuffer.of(paramsb).i;
        if (params == null) {
            throw new IllegalArgumentException("cropFlip parameters must be INT32, got " + CpuBuffer.of(paramsb).dtype);
        }
        float[] x = f(xb), y = f(yb);
        for (int i = 0; i < n; i++) {
            int oy = params[3 * i] - pad, ox = params[3 * i + 1] - pad;
            boolean mirror = params[3 * i + 2] != 0;
            for (int ch = 0; ch < c; ch++) {
                int plane = (i * c + ch) * h * w;
                for (int r = 0; r < h; r++) {
                    int sr = r + oy;
                    for (int q = 0; q < w; q++) {
                        int sq = (mirror ? w - 1 - q : q) + ox;
                        y[plane + r * w + q] = sr >= 0 && sr < h && sq >= 0 && sq < w ? x[plane + sr * w + sq] : fill;
                    }
                }
            }
        }
    }

    @Override
    public void adaptiveAvgPool2dForward(PoolGeometry g, Buffer x, Buffer y) {
        adaptiveAvgPool2d(g, x, y, false);
    }

    @Override
    public void adaptiveAvgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx) {
        adaptiveAvgPool2d(g, dy, dx, true);
    }

    private static void adaptiveAvgPool2d(PoolGeometry g, Buffer xb, Buffer yb, boolean backward) {
        float[] src = f(xb), dst = f(yb);
        int hw = g.h() * g.w(), pq = g.p() * g.q();
        Parallel.range(g.n() * g.c(), 16, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                if (backward) {
                    Arrays.fill(dst, plane * hw, (plane + 1) * hw, 0f);
                }
                for (int p = 0; p < g.p(); p++) {
                    int h0 = adaptiveStart(p, g.h(), g.p()), h1 = adaptiveEnd(p, g.h(), g.p());
                    for (int q = 0; q < g.q(); q++) {
                        int w0 = adaptiveStart(q, g.w(), g.q()), w1 = adaptiveEnd(q, g.w(), g.q());
                        float div = (float) ((h1 - h0) * (w1 - w0));
                        average(src, dst, plane * hw, g.w(), plane * pq + p * g.q() + q, h0, h1, w0, w1, div, backward);
                    }
                }
            }
        });
    }

    // ---- batch norm ----------------------------------------------------------------------------

    @Override
    public void batchNorm2dForwardTrain(Buffer xb, Buffer yb, Buffer gb, Buffer bb, Buffer rmb, Buffer rvb, Buffer smb, Buffer sib,
                                        int n, int c, int hw, float momentum, float eps) {
        float[] x = f(xb), y = f(yb), gamma = f(gb), beta = f(bb), rm = f(rmb), rv = f(rvb), sm = f(smb), si = f(sib);
        long m = (long) n * hw;
        Parallel.range(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double sum = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * hw;
                    for (int i = o; i < o + hw; i++) {
                        sum += x[i];
                    }
                }
                double mean = sum / m;
                double sq = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * hw;
                    for (int i = o; i < o + hw; i++) {
                        double d = x[i] - mean;
                        sq += d * d;
                    }
                }
                double var = sq / m;
                float invstd = (float) (1.0 / Math.sqrt(var + eps));
                float scale = (gamma == null ? 1f : gamma[ch]) * invstd, shift = beta == null ? 0f : beta[ch];
                float fm = (float) mean;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * hw;
                    normalize(x, y, o, o + hw, fm, scale, shift);
                }
                sm[ch] = fm;
                si[ch] = invstd;
                if (rm != null) {
                    rm[ch] = (1f - momentum) * rm[ch] + momentum * fm;
                }
                if (rv != null) {
                    rv[ch] = (1f - momentum) * rv[ch] + momentum * (float) (sq / (m - 1));
                }
            }
        });
    }

    /** {@code y = (x - mean)·scale + shift} on {@code [lo, hi)}. */
    private static void normalize(float[] x, float[] y, int lo, int hi, float mean, float scale, float shift) {
        if (SIMD) {
            CpuVectorKernels.normalize(x, y, lo, hi, mean, scale, shift);
        } else {
            for (int i = lo; i < hi; i++) {
                y[i] = (x[i] - mean) * scale + shift;
            }
        }
    }

    @Override
    public void batchNorm2dForwardEval(Buffer xb, Buffer yb, Buffer gb, Buffer bb, Buffer rmb, Buffer rvb, int n, int c, int hw, float eps) {
        float[] x = f(xb), y = f(yb), gamma = f(gb), beta = f(bb), rm = f(rmb), rv = f(rvb);
        Parallel.range(n * c, 16, (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int ch = plane % c;
                float scale = (gamma == null ? 1f : gamma[ch]) / (float) Math.sqrt(rv[ch] + eps);
                float shift = beta == null ? 0f : beta[ch], mean = rm[ch];
                normalize(x, y, plane * hw, (plane + 1) * hw, mean, scale, shift);
            }
        });
    }

    @Override
    public void batchNorm2dBackward(Buffer dyb, Buffer xb, Buffer gb, Buffer smb, Buffer sib, Buffer dxb, Buffer dgb, Buffer dbb,
                                    int n, int c, int hw) {
        float[] dy = f(dyb), x = f(xb), gamma = f(gb), sm = f(smb), si = f(sib), dx = f(dxb), dg = f(dgb), db = f(dbb);
        long m = (long) n * hw;
        Parallel.range(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                float mean = sm[ch], invstd = si[ch];
                double sdy = 0, sdyx = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * hw;
                    for (int i = o; i < o + hw; i++) {
                        sdy += dy[i];
                        sdyx += dy[i] * (double) ((x[i] - mean) * invstd);
                    }
                }
                if (dg != null) {
                    dg[ch] = (float) sdyx;
                }
                if (db != null) {
                    db[ch] = (float) sdy;
                }
                if (dx != null) {
                    float k = (gamma == null ? 1f : gamma[ch]) * invstd;
                    float mdy = (float) (sdy / m), mdyx = (float) (sdyx / m);
                    for (int b = 0; b < n; b++) {
                        int o = (b * c + ch) * hw;
                        if (SIMD) {
                            CpuVectorKernels.normalizeBackward(dy, x, dx, o, o + hw, mean, invstd, k, mdy, mdyx);
                        } else {
                            for (int i = o; i < o + hw; i++) {
                                float xhat = (x[i] - mean) * invstd;
                                dx[i] = k * (dy[i] - mdy - xhat * mdyx);
                            }
                        }
                    }
                }
            }
        });
    }
}
