package dev.kiln.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.DType;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.UnaryOp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's element-wise kernels that have a Vector API form (ReLU, the ReLU / tanh /
 * sigmoid gradients, arithmetic broadcasts, the SGD and Adam updates) against scalar references
 * written here. Both forms do the same float operations in the same order, so the tolerance is
 * zero: results must match bit for bit (NaNs compared as NaN). This class runs twice, with the
 * vector kernels (the default test run) and with the scalar ones ({@code scalar-kernels}).
 *
 * <p>Lengths are ragged around the 16-float vector (0, 1, 15, 17, ...) and one is long enough to be
 * split over threads at offsets that are not multiples of the vector width. Outputs are poisoned
 * with NaN first, so an element the kernel skips fails.
 */
class CpuElementwiseKernelsTest {

    static final int[] LENGTHS = {0, 1, 2, 7, 15, 16, 17, 31, 33, 64, 100, 16384 * 2 + 5, 70_001};
    private static final CpuBackend B = CpuBackend.INSTANCE;

    /** Values in ±[0, 2), with zeros of both signs, infinities and NaN sprinkled in. */
    static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(40);
            x[i] = pick == 0 ? 0f : pick == 1 ? -0f : pick == 2 ? Float.NaN : pick == 3 ? Float.POSITIVE_INFINITY
                    : pick == 4 ? Float.NEGATIVE_INFINITY : (r.nextFloat() * 4f - 2f);
        }
        return x;
    }

    /** Values in ±[0.05, 2): finite, no zeros. */
    static float[] finite(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float v = 0.05f + 1.95f * r.nextFloat();
            x[i] = r.nextBoolean() ? v : -v;
        }
        return x;
    }

    static Buffer buffer(float[] v) {
        Buffer b = B.allocate(DType.FLOAT32, v.length);
        B.upload(v, b);
        return b;
    }

    static Buffer poisoned(int n) {
        Buffer b = B.allocate(DType.FLOAT32, n);
        B.fill(b, Float.NaN);
        return b;
    }

    static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + " [" + i + " of " + expected.length + "]: expected " + expected[i] + " ("
                        + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), got " + actual[i] + " ("
                        + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + "); kernels " + CpuSimd.description());
            }
        }
    }

    @Test
    void reluAndActivationGradients() {
        Random r = new Random(11);
        for (int n : LENGTHS) {
            float[] x = random(r, n), gy = random(r, n);
            Buffer y = poisoned(n);
            B.unary(UnaryOp.RELU, 0f, buffer(x), y, n);
            float[] relu = new float[n];
            for (int i = 0; i < n; i++) {
                relu[i] = x[i] > 0 ? x[i] : 0f;
            }
            assertBits(relu, B.downloadFloats(y), "relu n=" + n);

            for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.LEAKY_RELU}) {
                float alpha = 0.1f;
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = op.apply(x[i], alpha);
                }
                float[] gx = new float[n];
                for (int i = 0; i < n; i++) {
                    gx[i] = gy[i] * op.derivative(x[i], out[i], alpha);
                }
                Buffer g = poisoned(n);
                B.unaryBackward(op, alpha, buffer(x), buffer(out), buffer(gy), g, n);
                assertBits(gx, B.downloadFloats(g), op + " backward n=" + n);
            }
        }
    }

    @Test
    void arithmeticBroadcastsMatchTheScalarDefinition() {
        Random r = new Random(12);
        for (int n : LENGTHS) {
            if (n > 20_000) {
                continue; // rows x n below stays small; long rows are covered by the updates
            }
            int rows = 3;
            for (BinaryOp op : BinaryOp.values()) {
                // [rows, n] op [rows, n], [rows, n] op [1, n] (row broadcast), [rows, n] op [rows, 1], [1, n] op [rows, n]
                int[][][] strides = {
                    {{n, 1}, {n, 1}}, {{n, 1}, {0, 1}}, {{n, 1}, {1, 0}}, {{0, 1}, {n, 1}}, {{1, 0}, {0, 1}},
                };
                for (int[][] st : strides) {
                    float[] a = random(r, rows * n), b = random(r, rows * n);
                    if (op == BinaryOp.DIV) {
                        b = finite(r, rows * n);
                    }
                    Buffer out = poisoned(rows * n);
                    B.binary(op, buffer(a), st[0], buffer(b), st[1], out, new int[] {rows, n});
                    float[] expected = new float[rows * n];
                    for (int i = 0; i < rows; i++) {
                        for (int k = 0; k < n; k++) {
                            expected[i * n + k] = op.apply(a[i * st[0][0] + k * st[0][1]], b[i * st[1][0] + k * st[1][1]]);
                        }
                    }
                    assertBits(expected, B.downloadFloats(out), op + " n=" + n + " strides " + Arrays.deepToString(st));
                }
            }
        }
    }

    @Test
    void adamAndAdamWMatchTheScalarUpdate() {
        Random r = new Random(13);
        for (int n : LENGTHS) {
            for (boolean decoupled : new boolean[] {false, true}) {
                float[] p = finite(r, n), g = finite(r, n), m = finite(r, n), v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Math.abs(m[i]) * 0.01f;
                }
                float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.01f, bc1 = 0.271f, bc2 = 0.00299f;
                Buffer pb = buffer(p), mb = buffer(m), vb = buffer(v);
                B.adamUpdate(pb, buffer(g), mb, vb, n, lr, b1, b2, eps, wd, decoupled, bc1, bc2);
                for (int k = 0; k < n; k++) {
                    float gk = g[k];
                    if (decoupled) {
                        p[k] -= lr * wd * p[k];
                    } else {
                        gk += wd * p[k];
                    }
                    m[k] = b1 * m[k] + (1f - b1) * gk;
                    v[k] = b2 * v[k] + (1f - b2) * gk * gk;
                    float mHat = m[k] / bc1, vHat = v[k] / bc2;
                    p[k] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
                }
                String what = (decoupled ? "adamw" : "adam") + " n=" + n;
                assertBits(p, B.downloadFloats(pb), what + " param");
                assertBits(m, B.downloadFloats(mb), what + " m");
                assertBits(v, B.downloadFloats(vb), what + " v");
            }
        }
    }

    @Test
    void sgdVariantsMatchTheScalarUpdate() {
        Random r = new Random(14);
        for (int n : LENGTHS) {
            for (int variant = 0; variant < 4; variant++) {
                boolean momentum = variant > 0, nesterov = variant == 2, first = variant == 3;
                float[] p = finite(r, n), g = finite(r, n), v = finite(r, n);
                float lr = 0.05f, mu = momentum ? 0.9f : 0f, damp = 0.1f, wd = 1e-4f;
                Buffer pb = buffer(p), vb = momentum ? buffer(v) : null;
                B.sgdUpdate(pb, buffer(g), vb, n, lr, mu, damp, wd, nesterov, first);
                for (int k = 0; k < n; k++) {
                    float d = g[k] + wd * p[k];
                    if (momentum) {
                        v[k] = first ? d : mu * v[k] + (1f - damp) * d;
                        d = nesterov ? d + mu * v[k] : v[k];
                    }
                    p[k] -= lr * d;
                }
                assertBits(p, B.downloadFloats(pb), "sgd variant " + variant + " n=" + n);
                if (momentum) {
                    assertBits(v, B.downloadFloats(vb), "sgd velocity variant " + variant + " n=" + n);
                }
            }
        }
    }

    /** Sums over the middle axis (columns summed side by side) equal one double sum per output, in order. */
    @Test
    void sumOverTheMiddleAxisMatchesOneSumPerOutput() {
        Random r = new Random(15);
        int[][] shapes = {{1, 1, 2}, {2, 3, 1}, {1, 5, 17}, {3, 7, 64}, {2, 9, 65}, {1, 300, 130}, {4, 1, 33}, {1, 2000, 100}};
        for (int[] sh : shapes) {
            int outer = sh[0], dim = sh[1], inner = sh[2];
            float[] x = random(r, outer * dim * inner);
            for (int i = 0; i < x.length; i++) {
                x[i] = Float.isFinite(x[i]) ? x[i] : 0.5f;
            }
            float[] expected = new float[outer * inner];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double s = 0;
                    for (int d = 0; d < dim; d++) {
                        s += x[(o * dim + d) * inner + i];
                    }
                    expected[o * inner + i] = (float) s;
                }
            }
            Buffer out = poisoned(outer * inner);
            B.reduce(dev.kiln.backend.ReduceOp.SUM, buffer(x), outer, dim, inner, out);
            assertBits(expected, B.downloadFloats(out), "sum " + java.util.Arrays.toString(sh));
        }
    }

    /** The GEMM epilogues (bias, ReLU, GELU, none) equal the product followed by the scalar formula. */
    @Test
    void gemmEpiloguesApplyBiasThenActivation() {
        Random r = new Random(16);
        int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {7, 33, 9}, {64, 100, 20}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            float[] a = finite(r, m * k), b = finite(r, k * n), bias = random(r, n);
            float[] product = new float[m * n];
            Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, product, 0, n);
            for (dev.kiln.backend.Gemm.Activation act : dev.kiln.backend.Gemm.Activation.values()) {
                for (boolean withBias : new boolean[] {false, true}) {
                    UnaryOp op = new dev.kiln.backend.Gemm.Epilogue(null, act).unaryOp();
                    float[] expected = new float[m * n];
                    for (int i = 0; i < m * n; i++) {
                        float v = withBias ? product[i] + bias[i % n] : product[i];
                        expected[i] = op == null ? v : op.apply(v, 0f);
                    }
                    Buffer c = poisoned(m * n);
                    B.gemm(dev.kiln.backend.Gemm.of(false, false, m, n, k), dev.kiln.backend.BufferView.of(buffer(a)),
                            dev.kiln.backend.BufferView.of(buffer(b)), dev.kiln.backend.BufferView.of(c),
                            new dev.kiln.backend.Gemm.Epilogue(withBias ? buffer(bias) : null, act));
                    assertBits(expected, B.downloadFloats(c), "gemm " + java.util.Arrays.toString(sh) + " " + act + " bias " + withBias);
                }
            }
        }
    }
}
