package dev.kiln.backend.cpu;

import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.buffer;
import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.finite;
import static dev.kiln.backend.cpu.CpuElementwiseKernelsTest.poisoned;

import dev.kiln.backend.Buffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CpuSequence}'s layer norm, forward and backward (the gamma and beta gradients sum up to 64
 * columns side by side), against the definition in doubles, at column counts around the blocks of
 * 64 (1, 5, 63, 64, 65, 130) and row counts 1 to 37. Outputs are poisoned with NaN first.
 * Tolerance: {@code 1e-4·(1 + |exact|)}.
 */
class CpuLayerNormKernelsTest {

    private static final CpuBackend B = CpuBackend.INSTANCE;
    private static final CpuSequence S = new CpuSequence();

    private static void assertClose(double[] exact, float[] got, String what) {
        for (int i = 0; i < exact.length; i++) {
            if (!(Math.abs(got[i] - exact[i]) <= 1e-4 * (1 + Math.abs(exact[i])))) {
                throw new AssertionError(what + " [" + i + " of " + exact.length + "]: expected " + exact[i] + ", got " + got[i]);
            }
        }
    }

    @Test
    void forwardAndGradientsMatchTheDefinition() {
        Random rnd = new Random(41);
        int[][] shapes = {{1, 1}, {3, 5}, {37, 63}, {2, 64}, {9, 65}, {5, 130}};
        for (int[] sh : shapes) {
            int rows = sh[0], cols = sh[1];
            float eps = 1e-5f;
            float[] x = finite(rnd, rows * cols), gy = finite(rnd, rows * cols), gamma = finite(rnd, cols), beta = finite(rnd, cols);
            double[] y = new double[x.length], gx = new double[x.length], dg = new double[cols], db = new double[cols];
            for (int r = 0; r < rows; r++) {
                double m = 0, v = 0;
                for (int j = 0; j < cols; j++) {
                    m += x[r * cols + j];
                }
                m /= cols;
                for (int j = 0; j < cols; j++) {
                    v += (x[r * cols + j] - m) * (x[r * cols + j] - m);
                }
                double rs = 1 / Math.sqrt(v / cols + eps), a = 0, b = 0;
                for (int j = 0; j < cols; j++) {
                    int o = r * cols + j;
                    double xh = (x[o] - m) * rs;
                    y[o] = xh * gamma[j] + beta[j];
                    dg[j] += gy[o] * xh;
                    db[j] += gy[o];
                    a += gy[o] * gamma[j];
                    b += gy[o] * gamma[j] * xh;
                }
                for (int j = 0; j < cols; j++) {
                    int o = r * cols + j;
                    double xh = (x[o] - m) * rs;
                    gx[o] = rs * (gy[o] * gamma[j] - a / cols - xh * b / cols);
                }
            }
            String what = "layer norm " + rows + "x" + cols;
            Buffer yb = poisoned(x.length), mb = poisoned(rows), rb = poisoned(rows);
            S.layerNorm(buffer(x), buffer(gamma), buffer(beta), yb, mb, rb, rows, cols, eps);
            assertClose(y, B.downloadFloats(yb), what + " output");
            Buffer gxb = poisoned(x.length), dgb = poisoned(cols), dbb = poisoned(cols);
            S.layerNormBackward(buffer(gy), buffer(x), buffer(gamma), mb, rb, gxb, dgb, dbb, rows, cols);
            assertClose(gx, B.downloadFloats(gxb), what + " input gradient");
            assertClose(dg, B.downloadFloats(dgb), what + " gamma gradient");
            assertClose(db, B.downloadFloats(dbb), what + " beta gradient");
        }
    }
}
