package dev.kiln.backend.cpu;

import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.buffer;
import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.finite;
import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.poisoned;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.ConvGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CpuVision}'s convolution (im2col / col2im with run copies) and batch norm (whose
 * normalise and input-gradient passes have a Vector API form) against double-precision definitions
 * written here, on ragged geometries: strides 1-3, padding wider than the filter (rows and columns
 * that are all padding), dilation, groups, same-size stride-1 outputs (copied a whole plane at a time), 1×1 filters and images, widths that are not multiples of
 * the vector width. Outputs are poisoned with NaN first. Tolerance: {@code |got - exact| <= 1e-5 ·
 * Σ|terms| + 1e-6} (float accumulation against the double sum). Runs with the vector and the scalar
 * kernels ({@code scalar-kernels}).
 */
class CpuVisionKernelsTest {

    private static final CpuBackend B = CpuBackend.INSTANCE;
    private static final CpuVision V = new CpuVision();

    /** n, c, h, w, k, r, s, strideH, strideW, padH, padW, dilH, dilW, groups. */
    private static final int[][] GEOMETRIES = {
        {2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {1, 2, 5, 5, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {3, 4, 8, 11, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2},
        {2, 2, 6, 7, 2, 3, 2, 1, 3, 2, 4, 2, 1, 1},
        {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        {2, 3, 4, 17, 5, 3, 5, 1, 1, 2, 2, 1, 2, 1},
        {1, 2, 3, 3, 2, 3, 3, 1, 1, 3, 3, 1, 1, 1},
        {2, 6, 9, 9, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6},
        {2, 3, 28, 28, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {1, 2, 10, 13, 3, 2, 4, 3, 2, 0, 3, 1, 3, 1},
        {1, 2, 2, 5, 3, 5, 3, 1, 1, 4, 1, 1, 1, 1},
        {1, 2, 1, 4, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {2, 2, 6, 9, 3, 3, 3, 1, 1, 2, 2, 2, 2, 1},
        // Small output planes, where several samples share a product: 4×4, 7×7 from stride 2 with
        // groups, a batch of one, C·R·S over one K panel (288), 3×3 from a 3×5 input with stride 2.
        {5, 4, 4, 4, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {7, 6, 13, 13, 8, 3, 3, 2, 2, 1, 1, 1, 1, 2},
        {1, 3, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {9, 32, 4, 4, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1},
        {6, 3, 3, 5, 4, 2, 3, 1, 2, 1, 0, 1, 1, 1},
    };

    private static void assertClose(double[] exact, double[] mag, float[] got, String what) {
        for (int i = 0; i < exact.length; i++) {
            double tol = 1e-5 * mag[i] + 1e-6;
            if (!(Math.abs(got[i] - exact[i]) <= tol)) {
                throw new AssertionError(what + " [" + i + " of " + exact.length + "]: expected " + exact[i] + ", got " + got[i]
                        + " (tolerance " + tol + "); kernels " + CpuSimd.description());
            }
        }
    }

    /** {y, |terms of y|, dx, |terms|, dw, |terms|} in double, straight from the definition. */
    private static double[][] reference(ConvGeometry g, float[] x, float[] w, float[] bias, float[] dy) {
        int cg = g.cg(), kg = g.kg();
        double[] y = new double[dy.length], yMag = new double[dy.length];
        double[] dx = new double[x.length], dxMag = new double[x.length], dw = new double[w.length], dwMag = new double[w.length];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                int gi = k / kg;
                for (int p = 0; p < g.p(); p++) {
                    for (int q = 0; q < g.q(); q++) {
                        int o = ((n * g.k() + k) * g.p() + p) * g.q() + q;
                        y[o] = bias[k];
                        yMag[o] = Math.abs(bias[k]);
                        for (int c = 0; c < cg; c++) {
                            for (int r = 0; r < g.r(); r++) {
                                int h = p * g.strideH() - g.padH() + r * g.dilH();
                                for (int s = 0; s < g.s(); s++) {
                                    int ww = q * g.strideW() - g.padW() + s * g.dilW();
                                    if (h < 0 || h >= g.h() || ww < 0 || ww >= g.w()) {
                                        continue;
                                    }
                                    int xi = ((n * g.c() + gi * cg + c) * g.h() + h) * g.w() + ww;
                                    int wi = ((k * cg + c) * g.r() + r) * g.s() + s;
                                    y[o] += (double) x[xi] * w[wi];
                                    yMag[o] += Math.abs((double) x[xi] * w[wi]);
                                    dx[xi] += (double) dy[o] * w[wi];
                                    dxMag[xi] += Math.abs((double) dy[o] * w[wi]);
                                    dw[wi] += (double) dy[o] * x[xi];
                                    dwMag[wi] += Math.abs((double) dy[o] * x[xi]);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {y, yMag, dx, dxMag, dw, dwMag};
    }

    @Test
    void convolutionForwardAndBothGradientsMatchTheDefinition() {
        Random rnd = new Random(21);
        for (int[] a : GEOMETRIES) {
            ConvGeometry g = ConvGeometry.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
            int cg = g.cg(), kg = g.kg();
            float[] x = finite(rnd, g.n() * g.c() * g.h() * g.w()), w = finite(rnd, g.k() * cg * g.r() * g.s());
            float[] bias = finite(rnd, g.k()), dy = finite(rnd, g.n() * g.k() * g.p() * g.q());
            double[][] ref = reference(g, x, w, bias, dy);
            double[] y = ref[0], yMag = ref[1], dx = ref[2], dxMag = ref[3], dw = ref[4], dwMag = ref[5];
            String what = "conv " + g;
            Buffer yb = poisoned(dy.length);
            V.conv2dForward(g, buffer(x), buffer(w), buffer(bias), yb, false);
            assertClose(y, yMag, B.downloadFloats(yb), what + " forward");

            Buffer yr = poisoned(dy.length);
            V.conv2dForward(g, buffer(x), buffer(w), buffer(bias), yr, true);
            double[] relu = y.clone();
            for (int i = 0; i < relu.length; i++) {
                relu[i] = Math.max(0, relu[i]);
            }
            assertClose(relu, yMag, B.downloadFloats(yr), what + " forward + ReLU");

            Buffer dxb = poisoned(x.length);
            V.conv2dBackwardData(g, buffer(dy), buffer(w), dxb);
            assertClose(dx, dxMag, B.downloadFloats(dxb), what + " data gradient");

            Buffer dwb = poisoned(w.length);
            V.conv2dBackwardWeight(g, buffer(x), buffer(dy), dwb);
            assertClose(dw, dwMag, B.downloadFloats(dwb), what + " weight gradient");
        }
    }

    private static float[] nans(int size) {
        float[] a = new float[size];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    /**
     * The small-plane path at every group size, the last group short where the batch is not a
     * multiple: forward (with bias and ReLU) and data gradient bit-identical to one sample per
     * product, all three within the tolerance of the definition (the weight gradient's order of
     * summation depends on the group size).
     */
    @Test
    void samplesSharingAProductMatchOneSampleAtATime() {
        Random rnd = new Random(34);
        int[][] small = {
            {7, 6, 13, 13, 8, 3, 3, 2, 2, 1, 1, 1, 1, 2},
            {5, 32, 4, 4, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1},
            {4, 3, 3, 5, 4, 2, 3, 1, 2, 1, 0, 1, 1, 1},
            {3, 4, 2, 2, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1},
        };
        for (int[] a : small) {
            ConvGeometry g = ConvGeometry.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
            if (CpuVision.samplesPerWeightProduct(g) < 2) {
                throw new AssertionError("conv " + g + " does not reach the grouped weight gradient");
            }
            float[] x = finite(rnd, g.n() * g.c() * g.h() * g.w()), w = finite(rnd, g.k() * g.cg() * g.r() * g.s());
            float[] bias = finite(rnd, g.k()), dy = finite(rnd, g.n() * g.k() * g.p() * g.q());
            double[][] ref = reference(g, x, w, bias, dy);
            float[] y1 = nans(dy.length), yr1 = nans(dy.length), dx1 = nans(x.length);
            CpuVision.forward(g, x, w, bias, y1, false, 1);
            CpuVision.forward(g, x, w, bias, yr1, true, 1);
            CpuVision.backwardData(g, dy, w, dx1, 1);
            for (int nb = 1; nb <= g.n(); nb++) {
                String what = "conv " + g + ", " + nb + " samples per product";
                float[] y = nans(dy.length), yr = nans(dy.length), dx = nans(x.length), dw = nans(w.length);
                CpuVision.forward(g, x, w, bias, y, false, nb);
                CpuVision.forward(g, x, w, bias, yr, true, nb);
                CpuVision.backwardData(g, dy, w, dx, nb);
                CpuVision.backwardWeight(g, x, dy, dw, nb);
                assertClose(ref[0], ref[1], y, what + " forward");
                assertClose(ref[2], ref[3], dx, what + " data gradient");
                assertClose(ref[4], ref[5], dw, what + " weight gradient");
                assertSameBits(y1, y, what + " forward");
                assertSameBits(yr1, yr, what + " forward + ReLU");
                assertSameBits(dx1, dx, what + " data gradient");
            }
        }
    }

    private static void assertSameBits(float[] expected, float[] got, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + " [" + i + " of " + expected.length + "]: one sample per product gave "
                        + expected[i] + ", the grouped product " + got[i] + "; kernels " + CpuSimd.description());
            }
        }
    }

    @Test
    void batchNormTrainEvalAndBackwardMatchTheDefinition() {
        Random rnd = new Random(22);
        int[][] shapes = {{1, 1, 1}, {2, 3, 1}, {3, 2, 15}, {2, 4, 17}, {4, 3, 49}, {1, 2, 16}, {5, 2, 33}, {2, 3, 784}};
        for (int[] sh : shapes) {
            int n = sh[0], c = sh[1], hw = sh[2], len = n * c * hw;
            long m = (long) n * hw;
            float eps = 1e-5f, momentum = 0.1f;
            float[] x = finite(rnd, len), dy = finite(rnd, len), gamma = finite(rnd, c), beta = finite(rnd, c);
            float[] rm = finite(rnd, c), rv = new float[c];
            for (int i = 0; i < c; i++) {
                rv[i] = 0.5f + Math.abs(rm[i]);
            }
            double[] y = new double[len], yMag = new double[len], dx = new double[len], dxMag = new double[len];
            double[] dg = new double[c], db = new double[c], dgMag = new double[c], dbMag = new double[c];
            double[] yEval = new double[len], yEvalMag = new double[len], mean = new double[c], invstd = new double[c];
            for (int ch = 0; ch < c; ch++) {
                double s = 0, sq = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < hw; i++) {
                        s += x[(b * c + ch) * hw + i];
                    }
                }
                mean[ch] = s / m;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < hw; i++) {
                        double d = x[(b * c + ch) * hw + i] - mean[ch];
                        sq += d * d;
                    }
                }
                invstd[ch] = 1 / Math.sqrt(sq / m + eps);
                double sdy = 0, sdyx = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < hw; i++) {
                        int o = (b * c + ch) * hw + i;
                        double xhat = (x[o] - mean[ch]) * invstd[ch];
                        y[o] = xhat * gamma[ch] + beta[ch];
                        yMag[o] = Math.abs(xhat * gamma[ch]) + Math.abs(beta[ch]) + Math.abs(x[o] * invstd[ch] * gamma[ch]);
                        double ev = 1 / Math.sqrt(rv[ch] + (double) eps);
                        yEval[o] = (x[o] - rm[ch]) * gamma[ch] * ev + beta[ch];
                        yEvalMag[o] = (Math.abs(x[o]) + Math.abs(rm[ch])) * Math.abs(gamma[ch] * ev) + Math.abs(beta[ch]);
                        sdy += dy[o];
                        sdyx += dy[o] * xhat;
                        db[ch] = sdy;
                        dg[ch] = sdyx;
                        dbMag[ch] += Math.abs(dy[o]);
                        dgMag[ch] += Math.abs(dy[o] * xhat) + Math.abs(dy[o] * x[o] * invstd[ch]);
                    }
                }
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < hw; i++) {
                        int o = (b * c + ch) * hw + i;
                        double xhat = (x[o] - mean[ch]) * invstd[ch], k = gamma[ch] * invstd[ch];
                        dx[o] = k * (dy[o] - sdy / m - xhat * sdyx / m);
                        dxMag[o] = Math.abs(k) * (Math.abs(dy[o]) + dbMag[ch] / m + (Math.abs(xhat) + 1) * dgMag[ch] / m);
                    }
                }
            }
            String what = "batch norm n=" + n + " c=" + c + " hw=" + hw;
            Buffer yb = poisoned(len), smb = poisoned(c), sib = poisoned(c);
            Buffer rmb = buffer(rm), rvb = buffer(rv);
            V.batchNorm2dForwardTrain(buffer(x), yb, buffer(gamma), buffer(beta), rmb, rvb, smb, sib, n, c, hw, momentum, eps);
            assertClose(y, yMag, B.downloadFloats(yb), what + " train output");
            double[] one = new double[c];
            java.util.Arrays.fill(one, 1);
            assertClose(mean, one, B.downloadFloats(smb), what + " saved mean");
            assertClose(invstd, invstd, B.downloadFloats(sib), what + " saved invstd");

            Buffer ye = poisoned(len);
            V.batchNorm2dForwardEval(buffer(x), ye, buffer(gamma), buffer(beta), buffer(rm), buffer(rv), n, c, hw, eps);
            assertClose(yEval, yEvalMag, B.downloadFloats(ye), what + " eval output");

            Buffer dxb = poisoned(len), dgb = poisoned(c), dbb = poisoned(c);
            V.batchNorm2dBackward(buffer(dy), buffer(x), buffer(gamma), smb, sib, dxb, dgb, dbb, n, c, hw);
            assertClose(dx, dxMag, B.downloadFloats(dxb), what + " input gradient");
            assertClose(dg, dgMag, B.downloadFloats(dgb), what + " gamma gradient");
            assertClose(db, dbMag, B.downloadFloats(dbb), what + " beta gradient");
        }
    }
}
