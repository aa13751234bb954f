package dev.kiln.sparse;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sparse family on the CPU against dense double-precision references: COO construction and
 * validation, transposes, products at ragged shapes with empty rows and power-law degrees (large
 * enough for the multi-threaded path), gradients, segment and scatter sums, GCN normalisation and
 * the SpMM plans.
 */
class SparseTest {

    /** Kind 0: {@link RandomCsr#uniform} (empty rows); kind 1: {@link RandomCsr#zipf} (a few long rows). */
    static Csr random(Generator g, int rows, int cols, int kind, int maxDeg) {
        return kind == 0 ? RandomCsr.uniform(g, rows, cols) : RandomCsr.zipf(g, rows, cols, maxDeg);
    }

    static float[] denseProduct(float[] a, int rows, int cols, float[] x, int n) {
        float[] y = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < n; c++) {
                double acc = 0;
                for (int k = 0; k < cols; k++) {
                    acc += (double) a[r * cols + k] * x[k * n + c];
                }
                y[r * n + c] = (float) acc;
            }
        }
        return y;
    }

    static void assertClose(float[] want, float[] got, float tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol * (1 + Math.abs(want[i])))) {
                throw new AssertionError(what + ": [" + i + "] want " + want[i] + " got " + got[i]);
            }
        }
    }

    @Test
    void cooBuildsSortedCsrAndSumsDuplicates() {
        Csr a = Csr.fromCoo(3, 4, new int[] {2, 0, 2, 2, 0}, new int[] {3, 1, 0, 3, 1}, new float[] {1, 2, 3, 4, 5});
        assertArrayEquals(new int[] {0, 1, 1, 3}, a.rowPtr());
        assertArrayEquals(new int[] {1, 0, 3}, a.colIdx());
        assertArrayEquals(new float[] {7, 3, 5}, a.values());
        assertArrayEquals(new float[] {0, 7, 0, 0, 0, 0, 0, 0, 3, 0, 0, 5}, a.toDense());
    }

    @Test
    void anIndexOutOfRangeIsAnErrorNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparseTensor.fromCoo(4, 5, new int[] {0, 3, 1}, new int[] {2, 5, 0}, null));
        assertTrue(e.getMessage().contains("column index 5") && e.getMessage().contains("entry 1")
                && e.getMessage().contains("[0, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Graphs.undirected(34, new int[] {0, 1}, new int[] {33, -2}));
        assertTrue(e.getMessage().contains("-2") && e.getMessage().contains("edge 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparseTensor.fromCoo(3, 3,
                Tensor.fromIndices(new int[] {0, 7, 1, 1}, 2, 2), null));
        assertTrue(e.getMessage().contains("row index 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sparse.mm(SparseTensor.fromCoo(2, 3, new int[] {0}, new int[] {1}, null), Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("[3, n]"), e.getMessage());
    }

    @Test
    void transposeMatchesTheDenseTransposeAndIsBuiltOnce() {
        Generator g = new Generator(5);
        for (int kind = 0; kind < 2; kind++) {
            Csr a = random(g, 37, 23, kind, 40);
            float[] d = a.toDense(), t = a.transpose().toDense();
            for (int r = 0; r < 37; r++) {
                for (int c = 0; c < 23; c++) {
                    assertEquals(d[r * 23 + c], t[c * 37 + r], "A^T[" + c + ", " + r + "]");
                }
            }
        }
        SparseTensor s = SparseTensor.of(random(g, 9, 4, 0, 0));
        assertSame(s.transpose(), s.transpose());
        assertSame(s, s.transpose().transpose(), "the transpose's transpose is the matrix itself");
    }

    @Test
    void productsMatchADenseReferenceAtRaggedShapes() {
        Generator g = new Generator(11);
        int[][] shapes = {{1, 1, 1}, {7, 9, 3}, {130, 77, 17}, {64, 200, 64}, {300, 300, 131}, {2500, 900, 40}};
        for (int[] s : shapes) {
            for (int kind = 0; kind < 2; kind++) {
                Csr a = random(g, s[0], s[1], kind, Math.min(s[1], 600));
                Tensor x = Tensor.randn(g, s[1], s[2]);
                float[] want = denseProduct(a.toDense(), s[0], s[1], x.toFloatArray(), s[2]);
                float[] got = Sparse.mm(SparseTensor.of(a), x).toFloatArray();
                assertClose(want, got, 1e-5f, "A·X " + a + " n " + s[2] + " kind " + kind);
            }
        }
        // A vector operand gives a vector; an all-empty matrix gives zeros.
        Csr a = random(g, 6, 4, 0, 0);
        Tensor v = Tensor.randn(g, 4);
        assertClose(denseProduct(a.toDense(), 6, 4, v.toFloatArray(), 1), Sparse.mm(SparseTensor.of(a), v).toFloatArray(), 1e-6f, "A·v");
        Tensor z = Sparse.mm(SparseTensor.fromCoo(5, 3, new int[0], new int[0], null), Tensor.randn(g, 3, 2));
        assertArrayEquals(new float[10], z.toFloatArray());
    }

    @Test
    void theProductIsDeterministicAcrossThreads() {
        Generator g = new Generator(12);
        Csr a = random(g, 4000, 4000, 1, 3000);
        Tensor x = Tensor.randn(g, 4000, 32);
        float[] first = Sparse.mm(SparseTensor.of(a), x).toFloatArray();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first, Sparse.mm(SparseTensor.of(a), x).toFloatArray());
        }
    }

    @Test
    void theGradientIsTheTransposedProduct() {
        Generator g = new Generator(13);
        Csr a = random(g, 40, 25, 1, 30);
        Tensor x = Tensor.randn(g, 25, 6).requiresGrad(true);
        Tensor w = Tensor.randn(g, 40, 6);
        Sparse.mm(SparseTensor.of(a), x).mul(w).sum().backward();
        float[] at = a.transpose().toDense();
        assertClose(denseProduct(at, 25, 40, w.toFloatArray(), 6), x.grad().toFloatArray(), 1e-5f, "dX = A^T dY");
    }

    @Test
    void segmentAndScatterSums() {
        Generator g = new Generator(14);
        int[] off = {0, 0, 3, 4, 4, 9, 12};
        Tensor src = Tensor.randn(g, 12, 5).requiresGrad(true);
        float[] s = src.toFloatArray();
        Tensor out = Sparse.segmentSum(src, Tensor.fromIndices(off));
        float[] want = new float[6 * 5];
        for (int seg = 0; seg < 6; seg++) {
            for (int i = off[seg]; i < off[seg + 1]; i++) {
                for (int c = 0; c < 5; c++) {
                    want[seg * 5 + c] += s[i * 5 + c];
                }
            }
        }
        assertClose(want, out.toFloatArray(), 1e-6f, "segmentSum");
        Tensor w = Tensor.randn(g, 6, 5);
        out.mul(w).sum().backward();
        float[] gw = w.toFloatArray(), gs = src.grad().toFloatArray();
        for (int seg = 0; seg < 6; seg++) {
            for (int i = off[seg]; i < off[seg + 1]; i++) {
                for (int c = 0; c < 5; c++) {
                    assertEquals(gw[seg * 5 + c], gs[i * 5 + c], 0f, "d src[" + i + ", " + c + "]");
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sparse.segmentSum(Tensor.zeros(4, 2), Tensor.fromIndices(new int[] {0, 3, 2, 4})));
        assertTrue(e.getMessage().contains("decrease"), e.getMessage());

        int[] idx = {3, 0, 3, 3, 1, 0, 2, 3, 1};
        Tensor src2 = Tensor.randn(g, 9, 4);
        float[] s2 = src2.toFloatArray(), want2 = new float[5 * 4];
        for (int i = 0; i < idx.length; i++) {
            for (int c = 0; c < 4; c++) {
                want2[idx[i] * 4 + c] += s2[i * 4 + c];
            }
        }
        assertClose(want2, Sparse.scatterSum(src2, Tensor.fromIndices(idx), 5).toFloatArray(), 1e-6f, "scatterSum");
        assertClose(want2, Sparse.scatterSumUnordered(src2, Tensor.fromIndices(idx), 5).toFloatArray(), 1e-6f, "scatterSumUnordered");
        e = assertThrows(IllegalArgumentException.class, () -> Sparse.scatterSum(src2, Tensor.fromIndices(idx), 3));
        assertTrue(e.getMessage().contains("index 3 at position 0"), e.getMessage());
    }

    @Test
    void gcnNormalisationIsSymmetricWithSelfLoops() {
        // A path 0 - 1 - 2 and an isolated node 3; the edge 1-0 given twice.
        SparseTensor a = Graphs.undirected(4, new int[] {0, 1, 1}, new int[] {1, 2, 0});
        assertEquals(4, a.nnz());
        float[] h = Graphs.gcnNormalize(a).toDense().toFloatArray();
        double[] deg = {2, 3, 2, 1};
        float[] adj = {1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(adj[i * 4 + j] / Math.sqrt(deg[i] * deg[j]), h[i * 4 + j], 1e-6, "Â[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void skewedMatricesGetTheBalancedPlan() {
        Generator g = new Generator(15);
        Csr even = random(g, 500, 500, 0, 0);
        Csr skewed = random(g, 2000, 2000, 1, 1500);
        assertEquals(SpmmPlan.Kind.ROW_SPLIT, SpmmPlan.of(even).kind());
        SpmmPlan p = SpmmPlan.of(skewed);
        assertEquals(SpmmPlan.Kind.SPLIT, p.kind(), "max degree " + skewed.maxDegree() + ", mean " + skewed.meanDegree());
        // The items cover every nonzero exactly once, none longer than the piece, in row order.
        int[] it = p.items(), ptr = skewed.rowPtr();
        int covered = 0, prevEnd = 0;
        for (int i = 0; i < p.itemCount(); i++) {
            int row = it[4 * i], b = it[4 * i + 1], e = it[4 * i + 2];
            assertTrue(e - b <= p.piece() && b >= ptr[row] && e <= ptr[row + 1] && b == prevEnd,
                    "item " + i + " " + Arrays.toString(Arrays.copyOfRange(it, 4 * i, 4 * i + 4)));
            covered += e - b;
            prevEnd = e;
        }
        assertEquals(skewed.nnz(), covered);
        assertEquals(p.slots(), p.splitPtr()[p.splitRows().length]);
        assertEquals(32, SpmmPlan.lanes(100, 4));
        assertEquals(4, SpmmPlan.lanes(16, 4));
        assertEquals(1, SpmmPlan.lanes(1, 1));
        assertEquals("cpu", SparseTensor.of(even).kernel());
        assertSame(CpuBackend.INSTANCE.kernels(SparseKernels.class), CpuBackend.INSTANCE.kernels(SparseKernels.class));
    }
}
