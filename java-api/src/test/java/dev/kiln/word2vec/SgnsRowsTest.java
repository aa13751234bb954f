package dev.kiln.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backend.cpu.CpuSimd;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link SgnsRows#pair}, the CPU word2vec update, against a double-precision reference at ragged
 * widths (1 to 300: below, at and across the 16-float vector, with tails), 1 to 8 targets, noise
 * words equal to the positive (skipped) and to each other (applied twice, in order), rows large
 * enough to clip σ, and a scratch row poisoned with NaN. The scalar form is tested in every run;
 * the Vector API form where {@link CpuSimd#enabled()} (the default test run), and the two against
 * each other. The {@code scalar-kernels} execution runs the dispatching {@code pair} on the scalar
 * form.
 *
 * <p>Tolerances: with exact σ, every table entry within {@code 2e-6 · (1 + |reference|)} of the
 * double reference (float rounding of a dot product of up to 300 terms and of the fused
 * multiply-adds; the largest error seen is about 3e-7); vector and scalar forms within twice that
 * of each other. With word2vec's σ table the reference reads the same table (its index computed from
 * the double dot product: on these fixed cases no dot product falls within rounding of an entry's
 * edge), to the same tolerance.
 */
class SgnsRowsTest {

    private static final int[] DIMS = {1, 3, 15, 16, 17, 31, 33, 64, 100, 129, 300};
    private static final int ROWS = 12;

    /** One random case: tables, input row, targets (with repeats), alpha. */
    private record Case(float[] in, float[] out, int input, int[] targets, int dim, float alpha) {
        static Case random(SplittableRandom r, int dim, int k1, float scale) {
            float[] in = new float[ROWS * dim], out = new float[ROWS * dim];
            for (int i = 0; i < in.length; i++) {
                in[i] = (float) ((r.nextDouble() * 2 - 1) * scale / Math.sqrt(dim));
                out[i] = (float) ((r.nextDouble() * 2 - 1) * scale / Math.sqrt(dim));
            }
            int[] t = new int[k1];
            for (int j = 0; j < k1; j++) {
                t[j] = r.nextInt(4); // few rows: negatives often repeat each other and the positive
            }
            return new Case(in, out, r.nextInt(ROWS), t, dim, (float) (0.05 + r.nextDouble() * 0.5));
        }

        Case copy() {
            return new Case(in.clone(), out.clone(), input, targets, dim, alpha);
        }
    }

    /**
     * σ(f) as word2vec.c's table gives it: the entry at {@code (int) ((f + 6) · (1000 / 6 / 2))}, whose
     * integer division (83, not 83.3) the tool and gensim share, so the table reads σ a little left
     * of f (by up to 0.048 at f = 6), then the entry's left edge.
     */
    private static double tableSigma(double f) {
        int i = (int) ((f + 6) * 83);
        double x = (i / 1000.0 * 2 - 1) * 6;
        return 1 / (1 + Math.exp(-x));
    }

    /** The update in double, as documented in {@link SgnsRows}: exact σ, or σ read from word2vec's table. */
    private static double[][] reference(Case c, boolean table) {
        double[] in = new double[c.in.length], out = new double[c.out.length], e = new double[c.dim];
        for (int i = 0; i < in.length; i++) {
            in[i] = c.in[i];
            out[i] = c.out[i];
        }
        int l1 = c.input * c.dim;
        for (int j = 0; j < c.targets.length; j++) {
            int t = c.targets[j];
            if (j > 0 && t == c.targets[0]) {
                continue;
            }
            int l2 = t * c.dim;
            double f = 0;
            for (int k = 0; k < c.dim; k++) {
                f += in[l1 + k] * out[l2 + k];
            }
            double label = j == 0 ? 1 : 0;
            double sigma = table ? tableSigma(f) : 1 / (1 + Math.exp(-f));
            double g = (f > 6 ? label - 1 : f < -6 ? label : label - sigma) * c.alpha;
            for (int k = 0; k < c.dim; k++) {
                e[k] += g * out[l2 + k];
                out[l2 + k] += g * in[l1 + k];
            }
        }
        for (int k = 0; k < c.dim; k++) {
            in[l1 + k] += e[k];
        }
        return new double[][] {in, out};
    }

    private interface Form {
        void run(float[] in, float[] out, int l1, int[] targets, int at, int k1, int dim, float alpha, float[] e, boolean table);
    }

    /** Runs {@code form} on a copy of {@code c}, the targets placed at an offset in a larger array, e poisoned. */
    private static float[][] apply(Form form, Case c, boolean table) {
        Case x = c.copy();
        int at = 3;
        int[] targets = new int[at + x.targets.length + 2];
        Arrays.fill(targets, -1);
        System.arraycopy(x.targets, 0, targets, at, x.targets.length);
        float[] e = new float[x.dim + 5];
        Arrays.fill(e, Float.NaN);
        form.run(x.in, x.out, x.input * x.dim, targets, at, x.targets.length, x.dim, x.alpha, e, table);
        return new float[][] {x.in, x.out};
    }

    private static double maxErr(float[][] got, double[][] want, String what) {
        double worst = 0;
        for (int a = 0; a < 2; a++) {
            for (int i = 0; i < got[a].length; i++) {
                double err = Math.abs(got[a][i] - want[a][i]);
                assertTrue(err <= 2e-6 * (1 + Math.abs(want[a][i])), what + (a == 0 ? " in[" : " out[") + i + "] = " + got[a][i]
                        + ", reference " + want[a][i]);
                worst = Math.max(worst, err);
            }
        }
        return worst;
    }

    private static void forEachCase(java.util.function.Consumer<Case> test) {
        SplittableRandom r = new SplittableRandom(20_241_204);
        for (int dim : DIMS) {
            for (int k1 = 1; k1 <= 8; k1++) {
                test.accept(Case.random(r, dim, k1, 2f));
                test.accept(Case.random(r, dim, k1, 8f)); // |f| > 6 often: the clipped gradients
            }
        }
    }

    @Test
    void scalarFormMatchesTheDoubleReference() {
        forEachCase(c -> maxErr(apply(SgnsRows::pairScalar, c, false), reference(c, false), "scalar, dim " + c.dim + ", k1 " + c.targets.length));
    }

    @Test
    void dispatchedFormMatchesTheDoubleReference() {
        forEachCase(c -> maxErr(apply(SgnsRows::pair, c, false), reference(c, false), CpuSimd.description() + ", dim " + c.dim + ", k1 "
                + c.targets.length));
    }

    @Test
    void vectorFormMatchesTheReferenceAndTheScalarForm() {
        Assumptions.assumeTrue(CpuSimd.enabled(), "the Vector API is off: " + CpuSimd.description());
        forEachCase(c -> {
            String what = "vector, dim " + c.dim + ", k1 " + c.targets.length;
            float[][] v = apply(SgnsRowsVector::pair, c, false);
            maxErr(v, reference(c, false), what);
            float[][] s = apply(SgnsRows::pairScalar, c, false);
            for (int a = 0; a < 2; a++) {
                for (int i = 0; i < v[a].length; i++) {
                    assertEquals(s[a][i], v[a][i], 4e-6 * (1 + Math.abs(s[a][i])), what + ": vector vs scalar at " + i);
                }
            }
        });
    }

    @Test
    void tableFormsMatchTheReferenceWithTheTable() {
        forEachCase(c -> {
            double[][] want = reference(c, true);
            maxErr(apply(SgnsRows::pairScalar, c, true), want, "scalar, table σ, dim " + c.dim + ", k1 " + c.targets.length);
            if (CpuSimd.enabled()) {
                maxErr(apply(SgnsRowsVector::pair, c, true), want, "vector, table σ, dim " + c.dim + ", k1 " + c.targets.length);
            }
        });
    }

    @Test
    void gradientClipsAndReadsTheTable() {
        float alpha = 0.1f;
        assertEquals(0f, SgnsRows.gradient(6.5f, 1f, alpha, true));
        assertEquals(-alpha, SgnsRows.gradient(6.5f, 0f, alpha, false));
        assertEquals(alpha, SgnsRows.gradient(-7f, 1f, alpha, true));
        assertEquals(0f, SgnsRows.gradient(-7f, 0f, alpha, false));
        for (float f = -5.99f; f < 6f; f += 0.037f) {
            double exact = (1 - 1 / (1 + Math.exp(-f))) * alpha;
            assertEquals(exact, SgnsRows.gradient(f, 1f, alpha, false), 1e-7, "exact σ at " + f);
            assertEquals((1 - tableSigma(f)) * alpha, SgnsRows.gradient(f, 1f, alpha, true), 1e-7, "table σ at " + f);
            assertEquals(exact, SgnsRows.gradient(f, 1f, alpha, true), alpha * 0.25 * 0.06, "table σ near exact σ at " + f);
        }
    }

    @Test
    void untouchedRowsStayBitIdentical() {
        SplittableRandom r = new SplittableRandom(7);
        Case c = Case.random(r, 100, 6, 2f);
        float[][] got = apply(SgnsRows::pair, c, true);
        boolean[] touchedOut = new boolean[ROWS];
        for (int t : c.targets) {
            touchedOut[t] = true;
        }
        for (int row = 0; row < ROWS; row++) {
            for (int k = 0; k < c.dim; k++) {
                int i = row * c.dim + k;
                if (row != c.input) {
                    assertEquals(Float.floatToRawIntBits(c.in[i]), Float.floatToRawIntBits(got[0][i]), "input table row " + row);
                }
                if (!touchedOut[row]) {
                    assertEquals(Float.floatToRawIntBits(c.out[i]), Float.floatToRawIntBits(got[1][i]), "output table row " + row);
                }
            }
        }
    }
}
