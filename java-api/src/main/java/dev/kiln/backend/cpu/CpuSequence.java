package dev.kiln.backend.cpu;

import dev.kiln.backend.AttentionGeometry;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.LstmStep;
import dev.kiln.backend.SequenceKernels;

/**
 * The CPU reference of the {@link SequenceKernels} family: layer norm, scaled-dot-product
 * attention and the fused LSTM cell. Plain loops in float with
 * rows split over the fork-join pool; they are what the CUDA kernels of {@code attention.cu},
 * {@code lstm.cu} and {@code layernorm.cu} are tested against.
 */
public final class CpuSequence implements SequenceKernels {

    /** Registers this family for the CPU backend. */
    public static final class Provider extends FamilyProvider<SequenceKernels, CpuBackend> {
        public Provider() {
            super(SequenceKernels.class, CpuBackend.class, backend -> new CpuSequence());
        }
    }

    private static final boolean SIMD = CpuSimd.enabled();

    private static float[] f(Buffer b) {
        return b == null ? null : CpuBackend.array(b);
    }

    private static float[] f(BufferView v) {
        return f(BufferView.buffer(v));
    }

    private static int[] lengths(Buffer b) {
        if (b == null) {
            return null;
        }
        CpuBuffer c = CpuBuffer.of(b);
        if (c.i == null) {
            throw new IllegalArgumentException("Lengths must be an INT32 buffer, got " + c.dtype);
        }
        return c.i;
    }

    // ---- layer norm --------------------------------------------------------------------------

    @Override
    public void layerNorm(Buffer xb, Buffer gb, Buffer bb, Buffer yb, Buffer mb, Buffer rb, int rows, int cols, float eps) {
        float[] x = f(xb), gamma = f(gb), beta = f(bb), y = f(yb), mean = f(mb), rstd = f(rb);
        Parallel.range(rows, Math.max(1, (1 << 14) / Math.max(1, cols)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * cols;
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += x[o + j];
                }
                double m = s / cols, v = 0;
                for (int j = 0; j < cols; j++) {
                    double d = x[o + j] - m;
                    v += d * d;
                }
                float rs = (float) (1.0 / Math.sqrt(v / cols + eps));
                float mf = (float) m;
                for (int j = 0; j < cols; j++) {
                    float xh = (x[o + j] - mf) * rs;
                    y[o + j] = xh * (gamma == null ? 1f : gamma[j]) + (beta == null ? 0f : beta[j]);
                }
                mean[r] = mf;
                rstd[r] = rs;
            }
        });
    }

    @Override
    public void layerNormBackward(Buffer gyb, Buffer xb, Buffer gb, Buffer mb, Buffer rb, Buffer gxb, Buffer dgb, Buffer dbb,
                                  int rows, int cols) {
        float[] gy = f(gyb), x = f(xb), gamma = f(gb), mean = f(mb), rstd = f(rb), gx = f(gxb), dg = f(dgb), db = f(dbb);
        Parallel.range(rows, Math.max(1, (1 << 14) / Math.max(1, cols)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * cols;
                double a = 0, b = 0;
                for (int j = 0; j < cols; j++) {
                    float xh = (x[o + j] - mean[r]) * rstd[r];
                    float g = gy[o + j] * (gamma == null ? 1f : gamma[j]);
                    a += g;
                    b += g * xh;
                }
                float ma = (float) (a / cols), mb2 = (float) (b / cols);
                for (int j = 0; j < cols; j++) {
                    float xh = (x[o + j] - mean[r]) * rstd[r];
                    float g = gy[o + j] * (gamma == null ? 1f : gamma[j]);
                    gx[o + j] = rstd[r] * (g - ma - xh * mb2);
                }
            }
        });
        if (dg != null || db != null) {
            // Up to 64 neighbouring columns walk the rows together (each row read contiguously);
            // every column still sums in double in order of r.
            Parallel.range(cols, 64, (lo, hi) -> {
                double[] sg = new double[64], sb = new double[64];
                for (int j0 = lo; j0 < hi; j0 += 64) {
                    int w = Math.min(64, hi - j0);
                    java.util.Arrays.fill(sg, 0.0);
                    java.util.Arrays.fill(sb, 0.0);
                    for (int r = 0; r < rows; r++) {
                        int o = r * cols + j0;
                        float mr = mean[r], rr = rstd[r];
                        for (int j = 0; j < w; j++) {
                            float g = gy[o + j];
                            sg[j] += g * (x[o + j] - mr) * rr;
                            sb[j] += g;
                        }
                    }
                    for (int j = 0; j < w; j++) {
                        if (dg != null) {
                            dg[j0 + j] = (float) sg[j];
                        }
                        if (db != null) {
                            db[j0 + j] = (float) sb[j];
                        }
                    }
                }
            });
        }
    }

    // ---- attention ---------------------------------------------------------------------------

    /** Number of keys query {@code i} of batch {@code b} sees: keys {@code [0, visible)}. */
    private static int visible(int[] kvLen, int b, int i, int lk, boolean causal) {
        int n = kvLen == null ? lk : Math.max(0, Math.min(lk, kvLen[b]));
        return causal ? Math.min(n, i + 1) : n;
    }

    /** {@code y[yo + c] += a · x[xo + c]} for {@code c < n}: the vector form or the scalar loop (same bits). */
    private static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        if (SIMD) {
            CpuVectorKernels.axpy(a, x, xo, y, yo, n);
        } else {
            for (int c = 0; c < n; c++) {
                y[yo + c] += a * x[xo + c];
            }
        }
    }

    /**
     * {@code out[j] = Σ_c a[ao + c]·b[bo + j·len + c]} for {@code j < n}: each sum in float, in
     * order of {@code c} (the results are those of one loop per {@code j}), four rows of {@code b} at
     * a time so that four independent sums fill the adder instead of waiting on one.
     */
    private static void dots(float[] a, int ao, float[] b, int bo, int len, int n, float[] out) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int b0 = bo + j * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int c = 0; c < len; c++) {
                float x = a[ao + c];
                s0 += x * b[b0 + c];
                s1 += x * b[b1 + c];
                s2 += x * b[b2 + c];
                s3 += x * b[b3 + c];
            }
            out[j] = s0;
            out[j + 1] = s1;
            out[j + 2] = s2;
            out[j + 3] = s3;
        }
        for (; j < n; j++) {
            float acc = 0f;
            for (int c = 0, bj = bo + j * len; c < len; c++) {
                acc += a[ao + c] * b[bj + c];
            }
            out[j] = acc;
        }
    }

    @Override
    public void attention(AttentionGeometry g, Buffer qb, Buffer kb, Buffer vb, Buffer ob, Buffer lseb, Buffer lenb) {
        int bs = g.b(), hs = g.h(), lq = g.lq(), lk = g.lk(), d = g.d(), e = g.dv();
        float scale = g.scale();
        boolean causal = g.causal();
        float[] q = f(qb), k = f(kb), v = f(vb), o = f(ob), lse = f(lseb);
        int[] kvLen = lengths(lenb);
        int rows = bs * hs * lq;
        Parallel.range(rows, Math.max(1, (1 << 12) / Math.max(1, lk * d)), (lo, hi) -> {
            float[] s = new float[lk];
            for (int row = lo; row < hi; row++) {
                int bh = row / lq, i = row % lq, b = bh / hs;
                int n = visible(kvLen, b, i, lk, causal);
                int qo = row * d, ko = bh * lk * d, oo = row * e, vo = bh * lk * e;
                for (int c = 0; c < e; c++) {
                    o[oo + c] = 0f;
                }
                if (n == 0) {
                    if (lse != null) {
                        lse[row] = Float.NEGATIVE_INFINITY;
                    }
                    continue;
                }
                dots(q, qo, k, ko, d, n, s);
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    s[j] *= scale;
                    m = Math.max(m, s[j]);
                }
                double l = 0;
                for (int j = 0; j < n; j++) {
                    s[j] = (float) Math.exp(s[j] - m);
                    l += s[j];
                }
                float inv = (float) (1.0 / l);
                for (int j = 0; j < n; j++) {
                    axpy(s[j] * inv, v, vo + j * e, o, oo, e);
                }
                if (lse != null) {
                    lse[row] = (float) (m + Math.log(l));
                }
            }
        });
    }

    @Override
    public void attentionBackward(AttentionGeometry g, Buffer qb, Buffer kb, Buffer vb, Buffer ob, Buffer lseb, Buffer dob,
                                  Buffer dqb, Buffer dkb, Buffer dvb, Buffer lenb) {
        int bs = g.b(), hs = g.h(), lq = g.lq(), lk = g.lk(), d = g.d(), e = g.dv();
        float scale = g.scale();
        boolean causal = g.causal();
        float[] q = f(qb), k = f(kb), v = f(vb), o = f(ob), lse = f(lseb), dout = f(dob), dq = f(dqb), dk = f(dkb), dv = f(dvb);
        int[] kvLen = lengths(lenb);
        Parallel.range(bs * hs, 1, (lo, hi) -> {
            float[] sc = new float[lk], dp = new float[lk];
            for (int bh = lo; bh < hi; bh++) {
                int b = bh / hs, ko = bh * lk * d, vo = bh * lk * e;
                java.util.Arrays.fill(dk, ko, ko + lk * d, 0f);
                java.util.Arrays.fill(dv, vo, vo + lk * e, 0f);
                for (int i = 0; i < lq; i++) {
                    int row = bh * lq + i, qo = row * d, oo = row * e;
                    for (int c = 0; c < d; c++) {
                        dq[qo + c] = 0f;
                    }
                    int n = visible(kvLen, b, i, lk, causal);
                    if (n == 0) {
                        continue;
                    }
                    float delta = 0f;
                    for (int c = 0; c < e; c++) {
                        delta += dout[oo + c] * o[oo + c];
                    }
                    dots(q, qo, k, ko, d, n, sc);
                    dots(dout, oo, v, vo, e, n, dp);
                    for (int j = 0; j < n; j++) {
                        float p = (float) Math.exp(sc[j] * scale - lse[row]);
                        float ds = p * (dp[j] - delta) * scale;
                        axpy(ds, k, ko + j * d, dq, qo, d);
                        axpy(ds, q, qo, dk, ko + j * d, d);
                        axpy(p, dout, oo, dv, vo + j * e, e);
                    }
                }
            }
        });
    }

    // ---- LSTM cell ---------------------------------------------------------------------------

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    public void lstmCell(LstmStep s, BufferView gxv, Buffer ghb, Buffer biasb, BufferView hpv, BufferView cpv,
                         BufferView hv, BufferView cv, BufferView gv, Buffer lenb) {
        int t = s.t(), batch = s.batch(), hidden = s.hidden();
        float[] gx = f(gxv), gh = f(ghb), bias = f(biasb), hp = f(hpv), cp = f(cpv), h = f(hv), c = f(cv), gates = f(gv);
        long gxOff = BufferView.offset(gxv), hpOff = BufferView.offset(hpv), cpOff = BufferView.offset(cpv);
        long hOff = BufferView.offset(hv), cOff = BufferView.offset(cv), gOff = BufferView.offset(gv);
        int[] len = lengths(lenb);
        int hd = hidden, g4 = 4 * hidden;
        Parallel.range(batch, Math.max(1, (1 << 12) / Math.max(1, hd)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                boolean masked = len != null && t >= len[r];
                for (int j = 0; j < hd; j++) {
                    int sIdx = r * hd + j;
                    float cprev = cp == null ? 0f : cp[(int) cpOff + sIdx];
                    int go = (int) gOff + r * g4;
                    if (masked) {
                        h[(int) hOff + sIdx] = hp == null ? 0f : hp[(int) hpOff + sIdx];
                        c[(int) cOff + sIdx] = cprev;
                        for (int q = 0; q < 4; q++) {
                            gates[go + q * hd + j] = 0f;
                        }
                        continue;
                    }
                    float[] pre = new float[4];
                    for (int q = 0; q < 4; q++) {
                        int col = q * hd + j;
                        pre[q] = gx[(int) gxOff + r * g4 + col] + (gh == null ? 0f : gh[r * g4 + col]) + (bias == null ? 0f : bias[col]);
                    }
                    float ig = sigmoid(pre[0]), fg = sigmoid(pre[1]), gg = (float) Math.tanh(pre[2]), og = sigmoid(pre[3]);
                    float cn = fg * cprev + ig * gg;
                    c[(int) cOff + sIdx] = cn;
                    h[(int) hOff + sIdx] = og * (float) Math.tanh(cn);
                    gates[go + j] = ig;
                    gates[go + hd + j] = fg;
                    gates[go + 2 * hd + j] = gg;
                    gates[go + 3 * hd + j] = og;
                }
            }
        });
    }

    @Override
    public void lstmCellBackward(LstmStep s, BufferView dhov, Buffer dhrb, Buffer dcnb, BufferView gv, BufferView cpv,
                                 BufferView cv, BufferView dgv, Buffer dcpb, Buffer dhcb, Buffer lenb) {
        int t = s.t(), batch = s.batch(), hidden = s.hidden();
        float[] dho = f(dhov), dhr = f(dhrb), dcn = f(dcnb), gates = f(gv), cp = f(cpv), c = f(cv), dg = f(dgv), dcp = f(dcpb), dhc = f(dhcb);
        long dhoOff = BufferView.offset(dhov), gOff = BufferView.offset(gv), cpOff = BufferView.offset(cpv);
        long cOff = BufferView.offset(cv), dgOff = BufferView.offset(dgv);
        int[] len = lengths(lenb);
        int hd = hidden, g4 = 4 * hidden;
        Parallel.range(batch, Math.max(1, (1 << 12) / Math.max(1, hd)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                boolean masked = len != null && t >= len[r];
                for (int j = 0; j < hd; j++) {
                    int sIdx = r * hd + j;
                    float dh = (dho == null ? 0f : dho[(int) dhoOff + sIdx]) + (dhr == null ? 0f : dhr[sIdx]);
                    float dcNext = dcn == null ? 0f : dcn[sIdx];
                    int go = (int) gOff + r * g4, dgo = (int) dgOff + r * g4;
                    if (masked) {
                        for (int q = 0; q < 4; q++) {
                            dg[dgo + q * hd + j] = 0f;
                        }
                        dcp[sIdx] = dcNext;
                        dhc[sIdx] = dh;
                        continue;
                    }
                    float ig = gates[go + j], fg = gates[go + hd + j], gg = gates[go + 2 * hd + j], og = gates[go + 3 * hd + j];
                    float tc = (float) Math.tanh(c[(int) cOff + sIdx]);
                    float cprev = cp == null ? 0f : cp[(int) cpOff + sIdx];
                    float dc = dcNext + dh * og * (1f - tc * tc);
                    dg[dgo + j] = dc * gg * ig * (1f - ig);
                    dg[dgo + hd + j] = dc * cprev * fg * (1f - fg);
                    dg[dgo + 2 * hd + j] = dc * ig * (1f - gg * gg);
                    dg[dgo + 3 * hd + j] = dh * tc * og * (1f - og);
                    dcp[sIdx] = dc * fg;
                    if (len != null) {
                        dhc[sIdx] = 0f;
                    }
                }
            }
        });
    }
}
