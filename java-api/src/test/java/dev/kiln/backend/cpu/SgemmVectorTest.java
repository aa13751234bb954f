package dev.kiln.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.backend.cpu.SgemmTest.Gemm;
import dev.kiln.backend.cpu.SgemmTest.Problem;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API form of the SGEMM ({@link SgemmVector}) called directly, so that the small shapes
 * {@link Sgemm} would send to its unpacked loop reach every edge of the register tile; and its
 * agreement with the scalar form, which is exact: both compute every element of C as the same
 * chain of fused multiply-adds (tolerance 0, compared bit for bit).
 */
class SgemmVectorTest {

    @BeforeEach
    void vectorApiPresent() {
        assumeTrue(CpuSimd.enabled(), "the Vector API is off in this JVM: " + CpuSimd.description());
    }

    private static Gemm vector(int nv, int threads) {
        return (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) ->
                SgemmVector.multiply(nv, ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, threads);
    }

    private static final Gemm SCALAR = (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) ->
            SgemmBlock.computeScalar(ta, tb, 0, m, 0, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);

    private static void assertBitIdentical(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], 0f, what + ": element " + i + " differs from the scalar form");
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", scalar form "
                        + expected[i] + " (same value, different bits)");
            }
        }
    }

    @ParameterizedTest(name = "{0} vectors per tile row")
    @ValueSource(ints = {4, 2})
    void everyTileEdgeMatchesReference(int nv) {
        // m, n, k from 1 to 40 (around the 6-row tile and 32- or 64-column tile), all four
        // transpose combinations, padded leading dimensions and offsets, alpha != 1, and beta 0
        // with C poisoned by NaN, beta 1 and beta -0.5.
        int nr = nv * SgemmVector.LANES;
        Random r = new Random(101 + nv);
        Gemm impl = vector(nv, 1);
        int[] edges = {1, 2, 5, 6, 7, 11, 12, 13, 17, 18, 19, 23, 24, 25, 31, 35, 36, 37, 40};
        for (int s = 0; s < 240; s++) {
            boolean ta = (s & 1) != 0, tb = (s & 2) != 0;
            int m = edges[r.nextInt(edges.length)];
            int n = s % 3 == 0 ? nr - 1 + r.nextInt(3) : 1 + r.nextInt(40);
            int k = 1 + r.nextInt(40);
            Problem p = new Problem(r, ta, tb, m, n, k, true);
            p.run(-1.5f, 0f, true, impl);
            p.run(0.75f, 1f, false, impl);
            p.run(1f, -0.5f, false, impl);
        }
    }

    @Test
    void panelsBlocksAndThreadsMatchReferenceAndTheScalarFormBitForBit() {
        // Past one K panel (255), one B panel (3456 columns at K = 600) and one A block (144 rows); split
        // over a grid of row blocks (tall C) and of column blocks (a C of a few rows); both
        // tile widths, one and two threads, each compared bit for bit with the scalar form.
        Random r = new Random(202);
        int[][] shapes = {{2, 3500, 600}, {150, 70, 300}, {97, 200, 256}, {1, 1, 600}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Problem p = new Problem(r, ta, tb, s[0], s[1], s[2], true);
                for (float[] ab : new float[][] {{1.25f, 0f}, {1f, 1f}, {-0.5f, 0.5f}}) {
                    boolean poison = ab[1] == 0f;
                    float[] scalar = p.run(ab[0], ab[1], poison, SCALAR);
                    for (int nv : new int[] {4, 2}) {
                        for (int threads : new int[] {1, 2}) {
                            assertBitIdentical(p + " alpha=" + ab[0] + " beta=" + ab[1] + ", " + nv + " vectors, "
                                    + threads + " threads", scalar, p.compute(ab[0], ab[1], poison, vector(nv, threads)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aBlockOfCIsTheSameProductInBothForms() {
        // SgemmBlock.compute (convolution's per-sample product) sends a block C[i0:i1, j0:j1] to
        // the vector form; C outside the block is left alone.
        Random r = new Random(303);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            int m = 70, n = 150, k = 280, i0 = 7, i1 = 52, j0 = 13, j1 = 141;
            float[] a = SgemmTest.random(r, m * k), b = SgemmTest.random(r, k * n), c = SgemmTest.random(r, m * n);
            float[] scalar = c.clone(), vector = c.clone();
            int lda = ta ? m : k, ldb = tb ? k : n;
            SgemmBlock.computeScalar(ta, tb, i0, i1, j0, j1, k, 0.5f, a, 0, lda, b, 0, ldb, 0.25f, scalar, 0, n);
            SgemmBlock.compute(ta, tb, i0, i1, j0, j1, k, 0.5f, a, 0, lda, b, 0, ldb, 0.25f, vector, 0, n);
            assertBitIdentical("block " + (ta ? "T" : "N") + (tb ? "T" : "N"), scalar, vector);
            int changed = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    boolean inside = i >= i0 && i < i1 && j >= j0 && j < j1;
                    if (vector[i * n + j] != c[i * n + j]) {
                        assertTrue(inside, "wrote C[" + i + "][" + j + "] outside the block");
                        changed++;
                    }
                }
            }
            assertTrue(changed > (i1 - i0) * (j1 - j0) / 2, "the block was not written: " + changed + " elements changed");
        }
    }

    @Test
    void batchedProductsLargeEnoughForTheTileMatchReference() {
        // Entries above Sgemm's small-product threshold, both batched strategies: whole products
        // in parallel (each on one thread) and one product at a time over the pool.
        Random r = new Random(404);
        for (int[] s : new int[][] {{65, 70, 66}, {130, 141, 150}}) {
            int m = s[0], n = s[1], k = s[2], batch = 3;
            boolean ta = s[0] == 65, tb = s[0] != 65;
            int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 5;
            long strideA = (long) lda * (ta ? k : m) + 7, strideB = (long) ldb * (tb ? n : k) + 1;
            long strideC = (long) ldc * m + 4;
            float[] a = SgemmTest.random(r, (int) (3 + strideA * batch));
            float[] b = SgemmTest.random(r, (int) (2 + strideB * batch));
            float[] c = SgemmTest.random(r, (int) (1 + strideC * batch));
            float[] expected = c.clone(), actual = c.clone();
            for (int p = 0; p < batch; p++) {
                Sgemm.sgemmReference(ta, tb, m, n, k, -0.75f, a, (int) (3 + p * strideA), lda,
                        b, (int) (2 + p * strideB), ldb, 0f, expected, (int) (1 + p * strideC), ldc);
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(actual, (int) (1 + p * strideC + i * ldc), (int) (1 + p * strideC + i * ldc + n),
                            Float.NaN);
                }
            }
            Sgemm.sgemmBatched(ta, tb, m, n, k, -0.75f, a, 3, lda, strideA, b, 2, ldb, strideB,
                    0f, actual, 1, ldc, strideC, batch);
            for (int i = 0; i < c.length; i++) {
                double tol = 1e-5 * 0.75 * k + 1e-6;
                assertTrue(Math.abs(actual[i] - expected[i]) <= tol,
                        "batched " + m + "x" + n + "x" + k + " at " + i + ": " + actual[i] + " vs " + expected[i]);
            }
        }
    }

    @Test
    void theSmallProductHasTheScalarLoopsBits() {
        // Shapes Sgemm sends to its unpacked loop: rows around the 4-row group, columns around
        // whole vectors (and the MLP's 10 classes), all transposes, padded leading dimensions and
        // offsets, alpha != 1, beta 0 (C poisoned with NaN), 1 and -0.5 (applied by the caller).
        Random r = new Random(211);
        int lanes = SgemmVector.LANES;
        int[] widths = {1, 3, 10, lanes - 1, lanes, lanes + 1, 2 * lanes + 5, 128};
        for (int s = 0; s < 160; s++) {
            boolean ta = (s & 1) != 0, tb = (s & 2) != 0;
            int m = 1 + r.nextInt(13), n = widths[r.nextInt(widths.length)], k = 1 + r.nextInt(130);
            Problem p = new Problem(r, ta, tb, m, n, k, true);
            for (float[] ab : new float[][] {{-1.5f, 0f}, {0.75f, 1f}, {1f, -0.5f}}) {
                float[] scalar = p.c.clone(), vector = p.c.clone();
                if (ab[1] == 0f) {
                    java.util.Arrays.fill(scalar, Float.NaN);
                    java.util.Arrays.fill(vector, Float.NaN);
                }
                Sgemm.scale(m, n, ab[1], scalar, p.co, p.ldc);
                Sgemm.scale(m, n, ab[1], vector, p.co, p.ldc);
                Sgemm.smallScalar(ta, tb, m, n, k, ab[0], p.a, p.ao, p.lda, p.b, p.bo, p.ldb, scalar, p.co, p.ldc);
                SgemmVector.small(ta, tb, m, n, k, ab[0], p.a, p.ao, p.lda, p.b, p.bo, p.ldb, vector, p.co, p.ldc);
                assertBitIdentical("small " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " alpha=" + ab[0]
                        + " beta=" + ab[1], scalar, vector);
                float[] expected = p.c.clone();
                p.reference(ab[0], ab[1], expected);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        int at = p.co + i * p.ldc + j;
                        double tol = 1e-5 * (p.magnitude(i, j) * Math.abs(ab[0]) + Math.abs(ab[1] * p.c[at])) + 1e-6;
                        assertEquals(expected[at], vector[at], tol, "small product against the reference at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void rejectsABadTile() {
        float[] x = new float[64];
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SgemmVector.multiply(3, false, false, 2, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2, 1));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
    }
}
