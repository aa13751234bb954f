package dev.kiln.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.Tensor;
import dev.kiln.backend.cpu.CpuGemm;
import dev.kiln.backend.cpu.CpuThreads;
import dev.kiln.backend.cpu.Sgemm;
import java.util.Random;
import org.bytedeco.openblas.global.openblas;
import org.junit.jupiter.api.Test;

/** OpenBLAS behind {@code CpuGemmProvider} against {@link Sgemm#sgemmReference}. */
class OpenBlasGemmTest {

    private static final int[] RAGGED = {1, 3, 17, 65, 130};
    /** Sentinel before the offset, between stored rows of C and after it: must survive. */
    private static final float GAP = 12345.5f;

    private final OpenBlasGemm blas = new OpenBlasGemm();

    private static float[] random(Random r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextFloat() * 2f - 1f;
        }
        return x;
    }

    /** One product with random offsets, padded leading dimensions and GAP in C's padding. */
    private void check(Random r, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        int lda = (ta ? m : k) + r.nextInt(4), ldb = (tb ? k : n) + r.nextInt(4), ldc = n + r.nextInt(4);
        int ao = r.nextInt(5), bo = r.nextInt(5), co = r.nextInt(5);
        float[] a = random(r, ao + lda * (ta ? k : m) + 2);
        float[] b = random(r, bo + ldb * (tb ? n : k) + 2);
        float[] c = new float[co + ldc * m + 2];
        java.util.Arrays.fill(c, GAP);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                // beta == 0 must ignore what C holds, NaN included
                c[co + i * ldc + j] = beta == 0f ? Float.NaN : r.nextFloat() * 2f - 1f;
            }
        }
        float[] want = c.clone();
        Sgemm.sgemmReference(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, want, co, ldc);
        blas.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        String what = "ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k + " beta=" + beta;
        for (int i = 0; i < c.length; i++) {
            float tol = 1e-5f * (k + 1);
            assertTrue(Math.abs(c[i] - want[i]) <= tol, what + ": C[" + i + "] = " + c[i] + ", reference " + want[i]);
        }
    }

    @Test
    void matchesTheReferenceAtRaggedShapesInEveryTransposeCombination() {
        Random r = new Random(15);
        int cases = 0;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : RAGGED) {
                    for (int n : RAGGED) {
                        int k = RAGGED[r.nextInt(RAGGED.length)];
                        check(r, ta, tb, m, n, k, 1f, 0f);
                        check(r, ta, tb, m, n, k, -0.75f, 0.5f);
                        cases += 2;
                    }
                }
            }
        }
        assertEquals(4 * 2 * RAGGED.length * RAGGED.length, cases);
    }

    @Test
    void emptyInnerDimensionScalesOrClearsC() {
        Random r = new Random(2);
        check(r, false, false, 5, 7, 0, 1f, 0f);
        check(r, true, true, 5, 7, 0, 1f, 2f);
        float[] c = {GAP};
        blas.sgemm(false, false, 0, 1, 3, 1f, new float[0], 0, 3, new float[3], 0, 1, 0f, c, 0, 1);
        assertEquals(GAP, c[0], "m = 0 writes nothing");
    }

    @Test
    void batchedProductsThroughTheCpuBackendUseOpenBlasPerEntry() {
        Random r = new Random(3);
        int batch = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = 1 + r.nextInt(40), n = 1 + r.nextInt(40), k = 1 + r.nextInt(300);
                float[] a = random(r, batch * m * k), b = random(r, batch * k * n);
                float[] want = new float[batch * m * n];
                for (int p = 0; p < batch; p++) {
                    Sgemm.sgemmReference(ta, tb, m, n, k, 1f, a, p * m * k, ta ? m : k, b, p * k * n, tb ? k : n,
                            0f, want, p * m * n, n);
                }
                Tensor at = Tensor.fromArray(a, ta ? new int[] {batch, k, m} : new int[] {batch, m, k});
                Tensor bt = Tensor.fromArray(b, tb ? new int[] {batch, n, k} : new int[] {batch, k, n});
                float[] got = OpenBlasModelStepTest.withGemm("vendor", () -> Tensor.mm(at, ta, bt, tb).toFloatArray());
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-5f * (k + 1), "ta=" + ta + " tb=" + tb + " C[" + i + "]");
                }
            }
        }
    }

    @Test
    void largeProductsSplitOverKilnsPoolAndReuseTheGrownBuffers() {
        Random r = new Random(4);
        check(r, false, true, 200, 300, 400, 1f, 0f);
        check(r, false, false, 3, 2, 1, 1f, 0f);
        check(r, true, false, 257, 129, 300, 0.5f, 1f);
    }

    @Test
    void productsFromManyThreadsAtOnceStayCorrect() throws Exception {
        // Kiln's pool threads may call in together (and a waiting one may run another product).
        java.util.List<java.util.concurrent.Callable<Void>> jobs = new java.util.ArrayList<>();
        for (int t = 0; t < 6; t++) {
            long seed = 40 + t;
            jobs.add(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 4; i++) {
                    check(r, r.nextBoolean(), r.nextBoolean(), 100 + r.nextInt(60), 90 + r.nextInt(60), 150 + r.nextInt(90), 1f, 0f);
                }
                return null;
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (java.util.concurrent.Future<Void> f : pool.invokeAll(jobs)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badArgumentsNameTheMatrix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> blas.sgemm(false, false, 2, 2, 3, 1f, new float[5], 0, 3, new float[6], 0, 2, 0f, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("A (2x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> blas.sgemm(false, true, 2, 2, 3, 1f, new float[6], 0, 3, new float[6], 0, 2, 0f, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("leading dimension of B must be >= 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> blas.sgemm(false, false, -1, 2, 3, 1f, new float[6], 0, 3, new float[6], 0, 2, 0f, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
    }

    @Test
    void describesTheLibraryAndRunsOnKilnsThreads() {
        String d = blas.describe();
        assertTrue(d.startsWith("OpenBLAS 0."), d);
        assertTrue(d.contains(CpuThreads.count() + " thread(s) of Kiln's CPU pool"), d);
        // Parallel products are split over Kiln's pool; OpenBLAS's own pool would spin beside it.
        assertEquals(1, openblas.blas_get_num_threads());
    }

    @Test
    void isTheVendorTheCpuBackendFinds() {
        assertTrue(CpuGemm.provider() instanceof OpenBlasGemm);
        String vendor = OpenBlasModelStepTest.withGemm("vendor", CpuGemm::description);
        assertTrue(vendor.startsWith("vendor (OpenBLAS"), vendor);
        String own = OpenBlasModelStepTest.withGemm("own", CpuGemm::description);
        assertTrue(own.startsWith("own (Sgemm; vendor available: OpenBLAS"), own);
    }
}
