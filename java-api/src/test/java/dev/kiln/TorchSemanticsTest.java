package dev.kiln;

import dev.kiln.backend.ConvGeometry;
import dev.kiln.nn.AvgPool2d;
import dev.kiln.nn.MaxPool2d;
import org.junit.jupiter.api.Test;

import static dev.kiln.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a PyTorch user expects PyTorch's semantics, on the CPU backend: cross-entropy target checks,
 * ignore_index and [N, C, d…] logits, log-softmax and cross-entropy at large logits, the exact and
 * tanh GELU, matmul batch broadcasting, pooling ceil_mode and attention with a value width different
 * from the key width. (The CUDA backend runs the same registry ops in ParityTest and the device-side
 * target check in the native module's TorchSemanticsCudaTest.)
 */
class TorchSemanticsTest {

    // ---- cross-entropy -------------------------------------------------------------------------

    private static Tensor logits(int rows, int cols) {
        return Tensor.randn(new Generator(5), rows, cols);
    }

    @Test
    void crossEntropyRefusesEveryTargetOutsideTheClassesNamingItsValueAndIndex() {
        Tensor x = logits(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.crossEntropy(Tensor.fromLongs(new long[] {0, 1, 2, 3}, 4)));
        assertEquals("crossEntropy: target 3 at index 3 of the targets is out of range [0, 3)", e.getMessage());
        // a negative INT32 target is an error too (not a silently ignored row)
        e = assertThrows(IllegalArgumentException.class, () -> x.crossEntropy(Tensor.fromIndices(new int[] {0, -1, 2, 1})));
        assertEquals("crossEntropy: target -1 at index 1 of the targets is out of range [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.crossEntropy(Tensor.fromLongs(new long[] {100000, 0, 0, 0}, 4)));
        assertTrue(e.getMessage().contains("target 100000 at index 0"), e.getMessage());
        // with an ignore index, only that value is let through
        e = assertThrows(IllegalArgumentException.class, () -> x.crossEntropy(Tensor.fromIndices(new int[] {0, -1, 2, 1}), -100));
        assertTrue(e.getMessage().contains("target -1 at index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.crossEntropy(Tensor.fromIndices(new int[] {0, 1, 2, 1}), Long.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> x.crossEntropy(Tensor.fromIndices(new int[] {0, 1, 2, 1}), 1L << 30));
    }

    @Test
    void ignoreIndexLeavesRowsOutOfTheSumTheDivisorAndTheGradient() {
        float[] xv = logits(5, 4).toFloatArray();
        int[] t = {1, -100, 3, -100, 0};
        Tensor x = Tensor.fromArray(xv, 5, 4).requiresGrad(true);
        Tensor loss = x.crossEntropy(Tensor.fromIndices(t), -100);
        double want = 0;
        for (int r : new int[] {0, 2, 4}) {
            double[] ms = maxSum(xv, r, 4);
            want += (Math.log(ms[1]) + ms[0] - xv[r * 4 + t[r]]) / 3; // divided by the 3 counted targets, not 5
        }
        assertClose(want, loss.item(), 1e-6, "mean over counted targets");
        loss.backward();
        float[] g = x.grad().toFloatArray();
        for (int c = 0; c < 4; c++) {
            assertEquals(0f, g[4 + c], "ignored row 1 has no gradient");
            assertEquals(0f, g[12 + c], "ignored row 3 has no gradient");
        }
        // the same as the plain loss over the counted rows only
        Tensor kept = Tensor.fromArray(new float[] {xv[0], xv[1], xv[2], xv[3], xv[8], xv[9], xv[10], xv[11], xv[16], xv[17], xv[18], xv[19]}, 3, 4)
                .requiresGrad(true);
        Tensor ref = kept.crossEntropy(Tensor.fromIndices(new int[] {1, 3, 0}));
        assertClose(ref.item(), loss.item(), 1e-6, "equals the loss of the counted rows");
        ref.backward();
        float[] gk = kept.grad().toFloatArray();
        for (int c = 0; c < 4; c++) {
            assertClose(gk[c], g[c], 1e-6, "row 0 gradient");
            assertClose(gk[8 + c], g[16 + c], 1e-6, "row 4 gradient");
        }
        // every target ignored: 0 / 0, as torch
        assertTrue(Float.isNaN(Tensor.fromArray(xv, 5, 4).crossEntropy(Tensor.fromIndices(new int[] {-100, -100, -100, -100, -100}), -100).item()));
    }

    @Test
    void crossEntropyOverSpatialLogitsIsTheRowLossOfTheClassAxis() {
        // [N=2, C=3, 2, 2] logits, [2, 2, 2] targets == the [8, 3] loss of the permuted logits
        Tensor x = Tensor.randn(new Generator(9), 2, 3, 2, 2).requiresGrad(true);
        Tensor t = Tensor.fromIndices(new int[] {0, 2, 1, 1, 2, 0, 0, 1}, 2, 2, 2);
        Tensor loss = x.crossEntropy(t);
        float[] xv = x.toFloatArray();
        float[] rows = new float[24];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int s = 0; s < 4; s++) {
                    rows[(n * 4 + s) * 3 + c] = xv[(n * 3 + c) * 4 + s];
                }
            }
        }
        Tensor flat = Tensor.fromArray(rows, 8, 3).requiresGrad(true);
        Tensor ref = flat.crossEntropy(Tensor.fromIndices(new int[] {0, 2, 1, 1, 2, 0, 0, 1}));
        assertClose(ref.item(), loss.item(), 1e-6, "N-d cross-entropy");
        loss.backward();
        ref.backward();
        float[] g = x.grad().toFloatArray(), gr = flat.grad().toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int s = 0; s < 4; s++) {
                    assertClose(gr[(n * 4 + s) * 3 + c], g[(n * 3 + c) * 4 + s], 1e-6, "gradient");
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3, 4).crossEntropy(Tensor.fromIndices(new int[] {0, 1, 2, 0, 1, 2}, 2, 3)));
        assertTrue(e.getMessage().contains("[N, C, d1, ...]") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void logSoftmaxAndCrossEntropySubtractTheMaximumFirstAtLogitsNear800() {
        Generator g = new Generator(21);
        int rows = 6, cols = 37;
        float[] xv = Tensor.rand(g, rows * cols).mul(6f).add(797f).toFloatArray();
        int[] t = new int[rows];
        for (int r = 0; r < rows; r++) {
            t[r] = g.nextInt(cols);
        }
        float[] y = Tensor.fromArray(xv, rows, cols).logSoftmax(-1).toFloatArray();
        double worstLs = 0, lossRef = 0;
        for (int r = 0; r < rows; r++) {
            double[] ms = maxSum(xv, r, cols);
            double m = ms[0], s = ms[1];
            for (int c = 0; c < cols; c++) {
                worstLs = Math.max(worstLs, Math.abs(y[r * cols + c] - (xv[r * cols + c] - m - Math.log(s))));
            }
            lossRef += (Math.log(s) - (xv[r * cols + t[r]] - m)) / rows;
        }
        assertTrue(worstLs < 2e-6, "log-softmax max abs error " + worstLs);
        float loss = Tensor.fromArray(xv, rows, cols).crossEntropy(Tensor.fromIndices(t)).item();
        // (m + log s) - x rounds to half an ulp of 800 (3e-5); subtracting m first keeps ~1e-7
        assertTrue(Math.abs(loss - lossRef) < 2e-6, "cross-entropy error " + Math.abs(loss - lossRef));
    }

    /** {max, Σ exp(x - max)} of row {@code r} of {@code [rows, cols]} values, in double. */
    private static double[] maxSum(float[] xv, int r, int cols) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (int c = 0; c < cols; c++) {
            m = Math.max(m, xv[r * cols + c]);
        }
        for (int c = 0; c < cols; c++) {
            s += Math.exp(xv[r * cols + c] - m);
        }
        return new double[] {m, s};
    }

    // ---- GELU --------------------------------------------------------------------------------

    @Test
    void geluIsExactByDefaultAndTheTanhFormOnRequest() {
        float[] xv = {-4f, -1.3f, -0.2f, 0f, 0.7f, 2.5f, 6f};
        Tensor x = Tensor.fromArray(xv, 7).requiresGrad(true);
        Tensor y = x.gelu();
        y.sum().backward();
        float[] yv = y.toFloatArray(), gv = x.grad().toFloatArray();
        // erf from its Maclaurin series, independent of the implementation
        for (int i = 0; i < xv.length; i++) {
            double z = xv[i] / Math.sqrt(2), term = z, sum = z;
            for (int n = 1; n < 120; n++) {
                term *= -z * z / n;
                sum += term / (2 * n + 1);
            }
            double cdf = 0.5 * (1 + 2 / Math.sqrt(Math.PI) * sum);
            assertClose(xv[i] * cdf, yv[i], 1e-6, "gelu(" + xv[i] + ")");
            assertClose(cdf + xv[i] * Math.exp(-0.5 * xv[i] * xv[i]) / Math.sqrt(2 * Math.PI), gv[i], 1e-6, "gelu'(" + xv[i] + ")");
        }
        assertClose((float) (0.5 * 2.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (2.5 + 0.044715 * 2.5 * 2.5 * 2.5)))),
                Tensor.fromArray(new float[] {2.5f}, 1).gelu("tanh").item(), 1e-6, "tanh form");
        assertArrayEquals(yv, x.gelu("none").toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.gelu("erf"));
        assertTrue(e.getMessage().contains("\"erf\""), e.getMessage());
    }

    // ---- matmul broadcasting -----------------------------------------------------------------

    /** Reference product of {@code a [.., M, K]} and {@code b [.., K, N]} broadcast to {@code out}'s batch shape. */
    private static float[] bruteMatmul(float[] a, int[] as, float[] b, int[] bs, int[] os) {
        int r = os.length, m = os[r - 2], n = os[r - 1], k = as[as.length - 1];
        int batch = Shapes.prod(os, 0, r - 2);
        float[] out = new float[batch * m * n];
        int[] bshape = java.util.Arrays.copyOf(os, r - 2);
        int[] aBatch = java.util.Arrays.copyOf(as, as.length - 2), bBatch = java.util.Arrays.copyOf(bs, bs.length - 2);
        for (int t = 0; t < batch; t++) {
            int ia = 0, ib = 0, rem = t;
            int[] idx = new int[bshape.length];
            for (int d = bshape.length - 1; d >= 0; d--) {
                idx[d] = rem % bshape[d];
                rem /= bshape[d];
            }
            for (int d = 0; d < bshape.length; d++) {
                int da = d - (bshape.length - aBatch.length), db = d - (bshape.length - bBatch.length);
                if (da >= 0) {
                    ia = ia * aBatch[da] + (aBatch[da] == 1 ? 0 : idx[d]);
                }
                if (db >= 0) {
                    ib = ib * bBatch[db] + (bBatch[db] == 1 ? 0 : idx[d]);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += a[(ia * m + i) * k + q] * b[(ib * k + q) * n + j];
                    }
                    out[(t * m + i) * n + j] = (float) s;
                }
            }
        }
        return out;
    }

    @Test
    void matmulBroadcastsBatchAxesAsTorchAndSumsTheGradientOverThem() {
        int[][][] cases = {
            {{2, 1, 3, 4}, {5, 4, 2}, {2, 5, 3, 2}},
            {{3, 4}, {2, 4, 5}, {2, 3, 5}},
            {{4, 1, 2, 3}, {1, 3, 3, 2}, {4, 3, 2, 2}},
            {{1, 3, 4}, {2, 4, 2}, {2, 3, 2}},
            {{2, 3, 2, 4}, {1, 1, 4, 3}, {2, 3, 2, 3}},
        };
        Generator g = new Generator(17);
        for (int[][] c : cases) {
            Tensor a = Tensor.randn(g, c[0]).requiresGrad(true), b = Tensor.randn(g, c[1]).requiresGrad(true);
            Tensor y = a.matmul(b);
            String what = Shapes.str(c[0]) + " x " + Shapes.str(c[1]);
            assertArrayEquals(c[2], y.shape(), what);
            assertClose(bruteMatmul(a.toFloatArray(), c[0], b.toFloatArray(), c[1], c[2]), y.toFloatArray(), 1e-5, 1e-5, what);
            // the gradient of a broadcast operand is the sum over the axes it was broadcast along:
            // the same as the explicitly expanded operands' gradients summed back
            Tensor w = Tensor.randn(g, c[2]);
            y.mul(w).sum().backward();
            Tensor a2 = Tensor.fromArray(a.toFloatArray(), c[0]).requiresGrad(true), b2 = Tensor.fromArray(b.toFloatArray(), c[1]).requiresGrad(true);
            int[] batch = java.util.Arrays.copyOf(c[2], c[2].length - 2);
            int[] ae = concat(batch, c[0][c[0].length - 2], c[0][c[0].length - 1]);
            int[] be = concat(batch, c[1][c[1].length - 2], c[1][c[1].length - 1]);
            int bt = Shapes.prod(batch, 0, batch.length);
            Tensor yr = Tensor.mm(a2.expand(ae).reshape(bt, ae[ae.length - 2], ae[ae.length - 1]), false,
                    b2.expand(be).reshape(bt, be[be.length - 2], be[be.length - 1]), false);
            yr.reshape(c[2]).mul(w).sum().backward();
            assertClose(a2.grad().toFloatArray(), a.grad().toFloatArray(), 1e-5, 1e-5, what + " grad a");
            assertClose(b2.grad().toFloatArray(), b.grad().toFloatArray(), 1e-5, 1e-5, what + " grad b");
        }
        // 1-D operands: a row on the left, a column on the right, their axis removed
        assertArrayEquals(new int[] {2, 3}, Tensor.randn(g, 4).matmul(Tensor.randn(g, 2, 4, 3)).shape());
        assertArrayEquals(new int[] {2, 5}, Tensor.randn(g, 2, 5, 4).matmul(Tensor.randn(g, 4)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)));
        assertTrue(e.getMessage().contains("batch axes [2] of [2, 3, 4] and [3] of [3, 4, 5] do not broadcast"), e.getMessage());
    }

    private static int[] concat(int[] lead, int x, int y) {
        int[] s = java.util.Arrays.copyOf(lead, lead.length + 2);
        s[lead.length] = x;
        s[lead.length + 1] = y;
        return s;
    }

    // ---- pooling ceil mode -------------------------------------------------------------------

    @Test
    void ceilModeOutputSizesFollowTorchsRule() {
        assertEquals(2, ConvGeometry.poolOutSize(5, 2, 2, 0, 1, false));
        assertEquals(3, ConvGeometry.poolOutSize(5, 2, 2, 0, 1, true));
        assertEquals(4, ConvGeometry.poolOutSize(6, 3, 2, 1, 1, true)); // floor: 3
        // the last window would start in the right padding (index 6 >= 4 + 1): dropped, as torch
        assertEquals(2, ConvGeometry.poolOutSize(4, 2, 3, 1, 1, true));
        assertEquals(3, ConvGeometry.poolOutSize(5, 2, 2, 1, 1, true));
        assertEquals(3, ConvGeometry.poolOutSize(7, 3, 2, 0, 1, true)); // exact fit: ceil = floor
        // torch.nn.MaxPool2d(2, ceil_mode=True) on 5x5 -> 3x3; AvgPool2d(3, 2, 1, ceil_mode=True) on 6x6 -> 4x4
        Tensor x = Tensor.randn(new Generator(3), 1, 2, 5, 5);
        assertArrayEquals(new int[] {1, 2, 3, 3}, new MaxPool2d(2, 2, 0, true).forward(x).shape());
        assertArrayEquals(new int[] {1, 2, 2, 2}, new MaxPool2d(2).forward(x).shape());
        Tensor y = Tensor.randn(new Generator(4), 1, 1, 6, 6);
        assertArrayEquals(new int[] {1, 1, 4, 4}, new AvgPool2d(3, 2, 1, true, true).forward(y).shape());
        // the last window of count_include_pad averages over 2 rows/columns (1 input, 1 padding): x[5][5] / 4
        float[] yv = y.toFloatArray();
        float corner = new AvgPool2d(3, 2, 1, true, true).forward(y).toFloatArray()[15];
        assertClose(yv[35] / 4f, corner, 1e-6, "corner window, padding counted up to the border");
        float cornerEx = new AvgPool2d(3, 2, 1, true, false).forward(y).toFloatArray()[15];
        assertClose(yv[35], cornerEx, 1e-6, "corner window, padding not counted");
    }

    // ---- attention with Dv != D --------------------------------------------------------------

    @Test
    void attentionTakesValuesOfAnotherWidthOnTheFusedAndComposedPaths() {
        Generator g = new Generator(8);
        for (int[] dims : new int[][] {{4, 9}, {20, 3}}) {
            int d = dims[0], dv = dims[1];
            Tensor q = Tensor.randn(g, 2, 2, 5, d).requiresGrad(true), k = Tensor.randn(g, 2, 2, 6, d).requiresGrad(true);
            Tensor v = Tensor.randn(g, 2, 2, 6, dv).requiresGrad(true);
            Tensor o = SequenceOps.scaledDotProductAttention(q, k, v, true, null);
            assertArrayEquals(new int[] {2, 2, 5, dv}, o.shape());
            Tensor w = Tensor.randn(g, 2, 2, 5, dv);
            o.mul(w).sum().backward();
            // reference: explicit scores, causal mask, softmax, then the values
            Tensor q2 = Tensor.fromArray(q.toFloatArray(), q.shape()).requiresGrad(true);
            Tensor k2 = Tensor.fromArray(k.toFloatArray(), k.shape()).requiresGrad(true);
            Tensor v2 = Tensor.fromArray(v.toFloatArray(), v.shape()).requiresGrad(true);
            float[] mask = new float[5 * 6];
            for (int i = 0; i < 5; i++) {
                for (int j = i + 1; j < 6; j++) {
                    mask[i * 6 + j] = -1e30f;
                }
            }
            Tensor s = q2.matmul(k2.transpose(-2, -1)).mul((float) (1 / Math.sqrt(d))).add(Tensor.fromArray(mask, 5, 6));
            Tensor ref = s.softmax(-1).matmul(v2);
            ref.mul(w).sum().backward();
            String what = "D " + d + ", Dv " + dv;
            assertClose(ref.toFloatArray(), o.toFloatArray(), 1e-5, 1e-5, what);
            assertClose(q2.grad().toFloatArray(), q.grad().toFloatArray(), 1e-4, 1e-5, what + " dq");
            assertClose(k2.grad().toFloatArray(), k.grad().toFloatArray(), 1e-4, 1e-5, what + " dk");
            assertClose(v2.grad().toFloatArray(), v.grad().toFloatArray(), 1e-4, 1e-5, what + " dv");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceOps.scaledDotProductAttention(
                Tensor.zeros(1, 1, 2, 4), Tensor.zeros(1, 1, 3, 4), Tensor.zeros(1, 1, 2, 5), false, null));
        assertTrue(e.getMessage().contains("v [B,H,Lk,Dv]"), e.getMessage());
    }
}
