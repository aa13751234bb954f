package dev.kiln.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SgemmTest {

    private static final int[] RAGGED = {1, 3, 17, 63, 65, 129, 257};
    /** Sentinel in the gaps between stored rows and before the offset: must survive. */
    private static final float GAP = 12345.5f;

    /** Non-zero values in ±[0.1, 1). */
    static float[] random(Random r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            float v = 0.1f + 0.9f * r.nextFloat();
            x[i] = r.nextBoolean() ? v : -v;
        }
        return x;
    }

    /** An implementation of the {@link Sgemm#sgemm} contract. */
    interface Gemm {
        void run(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);
    }

    /** A problem with padded leading dimensions, offsets and GAP-filled padding in C. */
    static final class Problem {
        final boolean ta, tb;
        final int m, n, k, lda, ldb, ldc, ao, bo, co;
        final float[] a, b, c;

        Problem(Random r, boolean ta, boolean tb, int m, int n, int k, boolean pad) {
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            lda = (ta ? m : k) + (pad ? 1 + r.nextInt(5) : 0);
            ldb = (tb ? k : n) + (pad ? 1 + r.nextInt(5) : 0);
            ldc = n + (pad ? 1 + r.nextInt(5) : 0);
            ao = pad ? r.nextInt(7) : 0;
            bo = pad ? r.nextInt(7) : 0;
            co = pad ? r.nextInt(7) : 0;
            a = random(r, ao + lda * (ta ? k : m) + (pad ? 3 : 0));
            b = random(r, bo + ldb * (tb ? n : k) + (pad ? 3 : 0));
            c = random(r, co + ldc * m + (pad ? 3 : 0));
            for (int i = 0; i < c.length; i++) {
                if (!inC(i)) {
                    c[i] = GAP;
                }
            }
        }

        boolean inC(int idx) {
            int rel = idx - co;
            return rel >= 0 && rel / ldc < m && rel % ldc < n;
        }

        void reference(float alpha, float beta, float[] out) {
            Sgemm.sgemmReference(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, out, co, ldc);
        }

        /** Sum over p of |op(A)[i][p] * op(B)[p][j]|: the scale of the rounding error. */
        double magnitude(int i, int j) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                float x = ta ? a[ao + p * lda + i] : a[ao + i * lda + p];
                float y = tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
                s += Math.abs((double) x * y);
            }
            return s;
        }

        void run(float alpha, float beta, boolean poisonC) {
            run(alpha, beta, poisonC, Sgemm::sgemm);
        }

        /** Runs {@code impl} on a copy of C (NaN inside C when {@code poisonC}), checks it, returns it. */
        float[] run(float alpha, float beta, boolean poisonC, Gemm impl) {
            float[] expected = c.clone();
            reference(alpha, beta, expected);
            float[] actual = compute(alpha, beta, poisonC, impl);
            assertClose(alpha, beta, expected, actual);
            return actual;
        }

        /** Runs {@code impl} on a copy of C (NaN inside C when {@code poisonC}) and returns it. */
        float[] compute(float alpha, float beta, boolean poisonC, Gemm impl) {
            float[] actual = c.clone();
            if (poisonC) {
                for (int i = 0; i < actual.length; i++) {
                    if (inC(i)) {
                        actual[i] = Float.NaN;
                    }
                }
            }
            impl.run(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, actual, co, ldc);
            return actual;
        }

        void assertClose(float alpha, float beta, float[] expected, float[] actual) {
            for (int idx = 0; idx < actual.length; idx++) {
                if (!inC(idx)) {
                    if (actual[idx] != GAP) {
                        fail(this + ": wrote outside C at index " + idx + " (" + actual[idx] + ")");
                    }
                    continue;
                }
                int i = (idx - co) / ldc, j = (idx - co) % ldc;
                double tol = 1e-5 * (Math.abs(alpha) * magnitude(i, j) + Math.abs(beta * c[idx])) + 1e-6;
                double diff = Math.abs((double) actual[idx] - expected[idx]);
                if (!(diff <= tol)) {
                    fail(this + " alpha=" + alpha + " beta=" + beta + ": C[" + i + "][" + j + "] = " + actual[idx]
                            + ", reference " + expected[idx] + " (|diff| " + diff + " > tol " + tol + ")");
                }
            }
        }

        @Override
        public String toString() {
            return "sgemm(" + (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " offsets " + ao + "/" + bo + "/" + co + ")";
        }
    }

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(false, false), Arguments.of(false, true),
                Arguments.of(true, false), Arguments.of(true, true));
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void raggedShapesMatchReference(boolean ta, boolean tb) {
        Random r = new Random(42 + (ta ? 1 : 0) + (tb ? 2 : 0));
        List<int[]> shapes = new ArrayList<>();
        for (int m : RAGGED) {
            for (int n : RAGGED) {
                shapes.add(new int[] {m, n, RAGGED[r.nextInt(RAGGED.length)]});
            }
        }
        // m != n != k everywhere, in and around the small-problem threshold
        shapes.add(new int[] {65, 129, 257});
        shapes.add(new int[] {257, 63, 129});
        shapes.add(new int[] {129, 257, 17});
        for (int[] s : shapes) {
            Problem p = new Problem(r, ta, tb, s[0], s[1], s[2], true);
            p.run(1f, 0f, false);
            p.run(0.75f, -0.5f, false);
        }
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void blockedParallelShapesMatchReference(boolean ta, boolean tb) {
        // Larger than one KC×NC panel in every direction, not multiples of any block size.
        Random r = new Random(7 + (ta ? 1 : 0) + (tb ? 2 : 0));
        Problem p = new Problem(r, ta, tb, 301, 547, 533, true);
        p.run(1.25f, 0.5f, false);
        Problem q = new Problem(r, ta, tb, 67, 1031, 259, true);
        q.run(-1f, 1f, false);
    }

    @Test
    void alphaBetaCases() {
        Random r = new Random(3);
        float[][] cases = {{1f, 0f}, {1f, 1f}, {2f, -1f}, {-0.5f, 0.25f}, {0f, 0.5f}, {0f, 0f}, {0.3f, 1f}};
        for (int[] s : new int[][] {{3, 17, 65}, {129, 65, 63}, {200, 300, 100}}) {
            for (float[] ab : cases) {
                Problem p = new Problem(r, r.nextBoolean(), r.nextBoolean(), s[0], s[1], s[2], true);
                p.run(ab[0], ab[1], false);
            }
        }
    }

    @Test
    void betaZeroOverwritesNaN() {
        Random r = new Random(11);
        for (int[] s : new int[][] {{3, 5, 7}, {17, 63, 65}, {257, 129, 300}}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Problem p = new Problem(r, ta, tb, s[0], s[1], s[2], true);
                    p.run(1f, 0f, true);
                    p.run(0f, 0f, true);
                }
            }
        }
        // k == 0 with beta 0 writes zeros
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Sgemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0, 0, 0, 0}, c);
    }

    @Test
    void kZeroScalesC() {
        float[] c = {1, 2, 3, 4};
        Sgemm.sgemm(true, false, 2, 2, 0, 1f, new float[0], 0, 2, new float[0], 0, 2, 0.5f, c, 0, 2);
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, c);
    }

    @Test
    void documentedExample() {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {1, 0, 0, 1, 1, 1};
        float[] c = new float[4];
        Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {4, 5, 10, 11}, c);
        float[] ref = new float[4];
        Sgemm.sgemmReference(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, ref, 0, 2);
        assertArrayEquals(c, ref);
    }

    @Test
    void exactOnSmallIntegers() {
        // Small integers multiply and add exactly in float: the blocked path must be exact too.
        Random r = new Random(5);
        int m = 150, n = 170, k = 300;
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            int v = r.nextInt(6) - 3;
            a[i] = v >= 0 ? v + 1 : v;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextInt(5) + 1;
        }
        float[] c = new float[m * n], ref = new float[m * n];
        Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        Sgemm.sgemmReference(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, ref, 0, n);
        assertArrayEquals(ref, c);
    }

    @Test
    void batchedMatchesPerEntryReference() {
        Random r = new Random(13);
        for (int[] s : new int[][] {{3, 17, 65}, {17, 9, 33}, {65, 129, 63}, {130, 140, 150}}) {
            int m = s[0], n = s[1], k = s[2], batch = 5;
            for (boolean shareB : new boolean[] {false, true}) {
                boolean ta = r.nextBoolean(), tb = r.nextBoolean();
                int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
                long strideA = (long) lda * (ta ? k : m) + 5;
                long strideB = shareB ? 0 : (long) ldb * (tb ? n : k) + 4;
                long strideC = (long) ldc * m + 6;
                int ao = 2, bo = 1, co = 3;
                float[] a = random(r, (int) (ao + strideA * batch));
                float[] b = random(r, (int) (bo + (shareB ? ldb * (tb ? n : k) : strideB * batch)));
                float[] c = random(r, (int) (co + strideC * batch));
                float[] expected = c.clone();
                for (int p = 0; p < batch; p++) {
                    Sgemm.sgemmReference(ta, tb, m, n, k, 0.5f, a, (int) (ao + p * strideA), lda,
                            b, (int) (bo + p * strideB), ldb, 0.25f, expected, (int) (co + p * strideC), ldc);
                }
                float[] actual = c.clone();
                Sgemm.sgemmBatched(ta, tb, m, n, k, 0.5f, a, ao, lda, strideA, b, bo, ldb, strideB,
                        0.25f, actual, co, ldc, strideC, batch);
                for (int i = 0; i < c.length; i++) {
                    double tol = 1e-5 * (0.5 * k + 0.25 * Math.abs(c[i])) + 1e-6;
                    assertTrue(Math.abs(actual[i] - expected[i]) <= tol,
                            "batched " + m + "x" + n + "x" + k + " at " + i + ": " + actual[i] + " vs " + expected[i]);
                }
            }
        }
    }

    @Test
    void batchedBetaZeroOverwritesNaN() {
        Random r = new Random(17);
        int m = 20, n = 30, k = 40, batch = 6;
        float[] a = random(r, m * k * batch), b = random(r, k * n * batch);
        float[] c = new float[m * n * batch];
        java.util.Arrays.fill(c, Float.NaN);
        Sgemm.sgemmBatched(false, false, m, n, k, 1f, a, 0, k, (long) m * k, b, 0, n, (long) k * n,
                0f, c, 0, n, (long) m * n, batch);
        float[] ref = new float[m * n];
        for (int p = 0; p < batch; p++) {
            Sgemm.sgemmReference(false, false, m, n, k, 1f, a, p * m * k, k, b, p * k * n, n, 0f, ref, 0, n);
            for (int i = 0; i < m * n; i++) {
                assertEquals(ref[i], c[p * m * n + i], 1e-4f, "batch " + p + " index " + i);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 4, 4, 4, 1f, x, 0, 3, x, 0, 4, 0f, new float[16], 0, 4));
        assertTrue(e.getMessage().contains("leading dimension of A"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 4, 4, 4, 1f, x, 1, 4, x, 0, 4, 0f, new float[16], 0, 4));
        assertTrue(e.getMessage().contains("A (4x4, offset 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemmBatched(false, false, 2, 2, 2, 1f, x, 0, 2, 4, x, 0, 2, 4, 0f, x, 0, 2, 4, 5));
    }

    @Test
    void rejectsEachBadMatrixByName() {
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, -1, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, 2, -1, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 4, 4, 4, 1f, x, 0, 4, new float[15], 0, 4, 0f, new float[16], 0, 4));
        assertTrue(e.getMessage().contains("B (4x4, offset 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 4, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, new float[16], 1, 4));
        assertTrue(e.getMessage().contains("C (4x4, offset 1"), e.getMessage());
        // the oracle checks its arguments the same way
        e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemmReference(false, false, 4, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, new float[12], 0, 4));
        assertTrue(e.getMessage().contains("C (4x4"), e.getMessage());
    }

    @Test
    void batchedEdgeCasesAndChecksOfTheFirstAndLastEntry() {
        float[] a = {1, 2, 3, 4}, b = {1, 0, 0, 1};
        // batch 0: nothing is read or written
        float[] c = {7, 7, 7, 7};
        Sgemm.sgemmBatched(false, false, 2, 2, 2, 1f, a, 0, 2, 4, b, 0, 2, 4, 0f, c, 0, 2, 4, 0);
        assertArrayEquals(new float[] {7, 7, 7, 7}, c);
        // stride 0 reuses a matrix: A shared by two products, C written by a batch of one
        float[] b2 = {1, 0, 0, 1, 2, 0, 0, 2};
        float[] c2 = new float[8];
        Sgemm.sgemmBatched(false, false, 2, 2, 2, 1f, a, 0, 2, 0, b2, 0, 2, 4, 0f, c2, 0, 2, 4, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 2, 4, 6, 8}, c2);
        float[] c1 = new float[4];
        Sgemm.sgemmBatched(false, false, 2, 2, 2, 1f, a, 0, 2, 0, b, 0, 2, 0, 0f, c1, 0, 2, 0, 1);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c1);
        // the first entry is checked (a negative offset), and the last one for each matrix
        assertThrows(IllegalArgumentException.class, () -> Sgemm.sgemmBatched(false, false, 2, 2, 2, 1f,
                new float[12], -1, 2, 4, new float[12], 0, 2, 4, 0f, new float[12], 0, 2, 4, 2));
        String[] names = {"A", "B", "C"};
        for (int which = 0; which < 3; which++) {
            // 3 products of 2x2 with stride 10: the last starts at 20 and ends at 24; one array has 23
            float[][] m = {new float[24], new float[24], new float[24]};
            m[which] = new float[23];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sgemm.sgemmBatched(
                    false, false, 2, 2, 2, 1f, m[0], 0, 2, 10, m[1], 0, 2, 10, 0f, m[2], 0, 2, 10, 3));
            assertTrue(e.getMessage().contains(names[which] + " (2x2, offset 20"), e.getMessage());
        }
    }
}
