package dev.kiln.backend.cpu;

import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.buffer;
import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.finite;
import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.poisoned;

import dev.kiln.DType;
import dev.kiln.backend.AttentionGeometry;
import dev.kiln.backend.Buffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CpuSequence}'s fused attention, forward and backward (dot products four keys at a time,
 * the output and gradient updates in their Vector API form), against softmax attention written out
 * in doubles. Head sizes are ragged around the 16-float vector (1, 5, 16, 17, 33) and key counts
 * around the blocks of four (1, 3, 4, 5, 9), with and without the causal mask and key lengths
 * (one batch sees no key). Outputs are poisoned with NaN first. Tolerance: {@code 1e-4·(1 + |exact|)}.
 * Runs with the vector and the scalar kernels ({@code scalar-kernels}).
 */
class CpuAttentionKernelsTest {

    private static final CpuBackend B = CpuBackend.INSTANCE;
    private static final CpuSequence S = new CpuSequence();

    private static void assertClose(double[] exact, float[] got, String what) {
        for (int i = 0; i < exact.length; i++) {
            double tol = 1e-4 * (1 + Math.abs(exact[i]));
            if (!(Math.abs(got[i] - exact[i]) <= tol)) {
                throw new AssertionError(what + " [" + i + " of " + exact.length + "]: expected " + exact[i] + ", got " + got[i]
                        + "; kernels " + CpuSimd.description());
            }
        }
    }

    @Test
    void forwardAndBackwardMatchSoftmaxAttentionInDoubles() {
        Random rnd = new Random(31);
        int[][] sizes = {{1, 1, 1, 1, 1}, {2, 3, 4, 5, 16}, {1, 4, 9, 17, 5}, {2, 2, 3, 33, 16}, {2, 5, 5, 4, 17}};
        for (int[] sz : sizes) {
            int lq = sz[1], lk = sz[2], d = sz[3], e = sz[4], bs = sz[0], hs = 2;
            for (int mode = 0; mode < 3; mode++) {
                boolean causal = mode == 1;
                int[] lens = mode == 2 ? new int[bs] : null;
                if (lens != null) {
                    for (int b = 0; b < bs; b++) {
                        lens[b] = b == 0 ? lk - 1 : Math.max(1, lk - 2); // batch 0 with lk = 1 sees nothing
                    }
                }
                float scale = 0.7f;
                AttentionGeometry g = new AttentionGeometry(bs, hs, lq, lk, d, e, scale, causal);
                float[] q = finite(rnd, bs * hs * lq * d), k = finite(rnd, bs * hs * lk * d), v = finite(rnd, bs * hs * lk * e);
                float[] dout = finite(rnd, bs * hs * lq * e);
                double[] o = new double[dout.length], lse = new double[bs * hs * lq];
                double[] dq = new double[q.length], dk = new double[k.length], dv = new double[v.length];
                for (int bh = 0; bh < bs * hs; bh++) {
                    int b = bh / hs;
                    for (int i = 0; i < lq; i++) {
                        int row = bh * lq + i;
                        int n = lens == null ? lk : Math.min(lk, lens[b]);
                        n = causal ? Math.min(n, i + 1) : n;
                        if (n == 0) {
                            lse[row] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double[] p = new double[n];
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j < n; j++) {
                            for (int c = 0; c < d; c++) {
                                p[j] += (double) q[row * d + c] * k[(bh * lk + j) * d + c];
                            }
                            p[j] *= scale;
                            max = Math.max(max, p[j]);
                        }
                        for (int j = 0; j < n; j++) {
                            p[j] = Math.exp(p[j] - max);
                            sum += p[j];
                        }
                        lse[row] = max + Math.log(sum);
                        double delta = 0;
                        for (int j = 0; j < n; j++) {
                            p[j] /= sum;
                            for (int c = 0; c < e; c++) {
                                o[row * e + c] += p[j] * v[(bh * lk + j) * e + c];
                            }
                        }
                        for (int c = 0; c < e; c++) {
                            delta += dout[row * e + c] * o[row * e + c];
                        }
                        for (int j = 0; j < n; j++) {
                            double dp = 0;
                            for (int c = 0; c < e; c++) {
                                dp += (double) dout[row * e + c] * v[(bh * lk + j) * e + c];
                                dv[(bh * lk + j) * e + c] += p[j] * dout[row * e + c];
                            }
                            double ds = p[j] * (dp - delta) * scale;
                            for (int c = 0; c < d; c++) {
                                dq[row * d + c] += ds * k[(bh * lk + j) * d + c];
                                dk[(bh * lk + j) * d + c] += ds * q[row * d + c];
                            }
                        }
                    }
                }
                String what = "attention " + g + " lengths " + java.util.Arrays.toString(lens);
                Buffer lenb = null;
                if (lens != null) {
                    lenb = B.allocate(DType.INT32, bs);
                    B.upload(lens, lenb);
                }
                Buffer qb = buffer(q), kb = buffer(k), vb = buffer(v), ob = poisoned(o.length), lseb = poisoned(lse.length);
                S.attention(g, qb, kb, vb, ob, lseb, lenb);
                assertClose(o, B.downloadFloats(ob), what + " output");
                float[] gotLse = B.downloadFloats(lseb);
                for (int i = 0; i < lse.length; i++) {
                    if (lse[i] == Double.NEGATIVE_INFINITY ? gotLse[i] != Float.NEGATIVE_INFINITY
                            : !(Math.abs(gotLse[i] - lse[i]) <= 1e-4 * (1 + Math.abs(lse[i])))) {
                        throw new AssertionError(what + " lse [" + i + "]: expected " + lse[i] + ", got " + gotLse[i]);
                    }
                }
                Buffer dqb = poisoned(q.length), dkb = poisoned(k.length), dvb = poisoned(v.length);
                S.attentionBackward(g, qb, kb, vb, ob, lseb, buffer(dout), dqb, dkb, dvb, lenb);
                assertClose(dq, B.downloadFloats(dqb), what + " dq");
                assertClose(dk, B.downloadFloats(dkb), what + " dk");
                assertClose(dv, B.downloadFloats(dvb), what + " dv");
            }
        }
    }
}
