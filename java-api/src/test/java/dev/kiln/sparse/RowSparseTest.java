package dev.kiln.sparse;

import dev.kiln.Generator;
import dev.kiln.RowSparseGrad;
import dev.kiln.Tensor;
import dev.kiln.nn.Embedding;
import dev.kiln.optim.Adam;
import dev.kiln.optim.SGD;
import dev.kiln.optim.SparseAdam;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row-sparse embedding gradients against the dense ones, SGD and SparseAdam on them against dense
 * and double-precision references, and the bad inputs of the sparse family (indices out of range).
 */
class RowSparseTest {

    static final int V = 23, E = 5;

    /** Batches of ids with repeats, rows never touched (any id 17..22 never appears) and a ragged last batch. */
    static int[][] batches() {
        Generator g = new Generator(4);
        int[][] b = new int[4][];
        for (int k = 0; k < b.length; k++) {
            b[k] = new int[k == 3 ? 5 : 12];
            for (int i = 0; i < b[k].length; i++) {
                b[k][i] = g.nextInt(17);
            }
        }
        b[0][3] = b[0][7]; // a repeat within a batch
        return b;
    }

    static Tensor coefficients(int n, long seed) {
        return Tensor.randn(new Generator(seed), n, E);
    }

    @Test
    void theRowSparseGradientIsTheDenseOneOnTheTouchedRows() {
        Embedding dense = new Embedding(V, E, new Generator(1)), sparse = new Embedding(V, E, new Generator(1), true);
        int[] ids = batches()[0];
        Tensor c = coefficients(ids.length, 9);
        emb(dense, ids).mul(c).sum().backward();
        emb(sparse, ids).mul(c).sum().backward();
        Tensor w = sparse.namedParameters().get("weight");
        assertNull(w.grad(), "no dense [V, E] gradient is made");
        RowSparseGrad s = w.sparseGrad();
        long[] rows = s.rows().toLongArray();
        for (int i = 1; i < rows.length; i++) {
            assertTrue(rows[i] > rows[i - 1], "rows strictly increasing");
        }
        assertEquals(java.util.Arrays.stream(ids).distinct().count(), rows.length);
        assertArrayEquals(dense.namedParameters().get("weight").grad().toFloatArray(), s.toDense().toFloatArray(), 1e-6f);
        // a second backward before the step accumulates
        emb(sparse, batches()[1]).mul(coefficients(12, 10)).sum().backward();
        emb(dense, batches()[1]).mul(coefficients(12, 10)).sum().backward();
        assertArrayEquals(dense.namedParameters().get("weight").grad().toFloatArray(), w.sparseGrad().toDense().toFloatArray(), 1e-5f);
        sparse.zeroGrad();
        assertNull(w.sparseGrad());
    }

    static Tensor emb(Embedding e, int[] ids) {
        return e.forward(Tensor.fromIndices(ids));
    }

    @Test
    void sgdOnRowSparseGradientsMatchesDenseSgd() {
        Embedding dense = new Embedding(V, E, new Generator(2)), sparse = new Embedding(V, E, new Generator(2), true);
        SGD a = new SGD(dense.parameters(), 0.3f), b = new SGD(sparse.parameters(), 0.3f);
        int step = 0;
        for (int[] ids : batches()) {
            Tensor c = coefficients(ids.length, 20 + step++);
            a.zeroGrad();
            b.zeroGrad();
            emb(dense, ids).mul(c).sum().backward();
            emb(sparse, ids).mul(c).sum().backward();
            a.step();
            b.step();
        }
        float[] want = dense.namedParameters().get("weight").toFloatArray(), got = sparse.namedParameters().get("weight").toFloatArray();
        assertArrayEquals(want, got, 1e-6f);
        float[] init = new Embedding(V, E, new Generator(2)).namedParameters().get("weight").toFloatArray();
        for (int i = 17 * E; i < V * E; i++) {
            assertEquals(init[i], got[i], "untouched rows stay as they were");
        }
    }

    @Test
    void sparseAdamMatchesADoublePrecisionReferenceWithLazyMoments() {
        Embedding sparse = new Embedding(V, E, new Generator(3), true);
        Tensor w = sparse.namedParameters().get("weight");
        double[] p = toDouble(w.toFloatArray()), m = new double[V * E], v = new double[V * E];
        float lr = 0.05f;
        double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        SparseAdam opt = new SparseAdam(sparse.parameters(), lr);
        int t = 0;
        for (int[] ids : batches()) {
            t++;
            Tensor c = coefficients(ids.length, 40 + t);
            opt.zeroGrad();
            emb(sparse, ids).mul(c).sum().backward();
            opt.step();
            // reference: the gradient of row r is the sum of c's rows at r's positions
            float[] cs = c.toFloatArray();
            double[] g = new double[V * E];
            boolean[] touched = new boolean[V];
            for (int i = 0; i < ids.length; i++) {
                touched[ids[i]] = true;
                for (int k = 0; k < E; k++) {
                    g[ids[i] * E + k] += cs[i * E + k];
                }
            }
            double step = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int r = 0; r < V; r++) {
                if (!touched[r]) {
                    continue;
                }
                for (int k = r * E; k < r * E + E; k++) {
                    m[k] += (g[k] - m[k]) * (1 - b1);
                    v[k] += (g[k] * g[k] - v[k]) * (1 - b2);
                    p[k] -= step * m[k] / (Math.sqrt(v[k]) + eps);
                }
            }
        }
        float[] got = w.toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(p[i], got[i], 2e-5, "element " + i);
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void optimizersWithoutARowSparseRuleSayWhichToUse() {
        Embedding sparse = new Embedding(V, E, new Generator(5), true);
        emb(sparse, new int[] {1, 2}).sum().backward();
        IllegalStateException adam = assertThrows(IllegalStateException.class, () -> new Adam(sparse.parameters(), 0.1f).step());
        assertTrue(adam.getMessage().contains("Adam cannot apply the row-sparse gradient of parameter 0 [23, 5]")
                && adam.getMessage().contains("SparseAdam"), adam.getMessage());
        IllegalStateException momentum = assertThrows(IllegalStateException.class,
                () -> new SGD(sparse.parameters(), 0.1f).momentum(0.9f).step());
        assertTrue(momentum.getMessage().contains("momentum 0.9"), momentum.getMessage());
        Embedding dense = new Embedding(V, E, new Generator(5));
        emb(dense, new int[] {1, 2}).sum().backward();
        IllegalStateException sa = assertThrows(IllegalStateException.class, () -> new SparseAdam(dense.parameters(), 0.1f).step());
        assertTrue(sa.getMessage().contains("has a dense one: optimise it with Adam"), sa.getMessage());
    }

    @Test
    void badIdsAndEdgesNameTheValue() {
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> RowSparseGrad.coalesce(Tensor.fromIndices(new int[] {0, 31}), Tensor.zeros(2, 3), 23));
        assertTrue(id.getMessage().contains("id 31 at position 1 is outside [0, 23)"), id.getMessage());
        IllegalArgumentException lookup = assertThrows(IllegalArgumentException.class,
                () -> emb(new Embedding(V, E, new Generator(6), true), new int[] {3, -2}));
        assertTrue(lookup.getMessage().contains("token id -2"), lookup.getMessage());
        // an edge index out of range, in each way a graph is built
        IllegalArgumentException coo = assertThrows(IllegalArgumentException.class,
                () -> SparseTensor.fromCoo(4, 4, new int[] {0, 1, 4}, new int[] {1, 2, 3}, null));
        assertTrue(coo.getMessage().contains("entry 2 has row index 4, outside [0, 4)"), coo.getMessage());
        IllegalArgumentException col = assertThrows(IllegalArgumentException.class,
                () -> SparseTensor.fromCoo(4, 4, Tensor.fromLongs(new long[] {0, 1, 2, 3, -1, 0}, 2, 3), null));
        assertTrue(col.getMessage().contains("entry 1 has column index -1, outside [0, 4)"), col.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> SparseTensor.fromCoo(4, 4, Tensor.fromLongs(new long[] {0, 5_000_000_000L, 1, 2}, 2, 2), null));
        assertTrue(wide.getMessage().contains("row index 5000000000, outside the int32 range"), wide.getMessage());
        IllegalArgumentException edge = assertThrows(IllegalArgumentException.class,
                () -> Graphs.undirected(10, new int[] {0, 3, 9}, new int[] {1, 10, 2}));
        assertTrue(edge.getMessage().contains("edge 1 (3, 10) names node 10, outside [0, 10)"), edge.getMessage());
        IllegalArgumentException csr = assertThrows(IllegalArgumentException.class,
                () -> Csr.of(2, 3, new int[] {0, 1, 2}, new int[] {0, 3}, null));
        assertTrue(csr.getMessage().contains("entry 1 has column index 3, outside [0, 3)"), csr.getMessage());
    }

    @Test
    void scaleGraphsAreSeededAndPowerLaw() {
        SparseTensor a = Graphs.rmat(10, 8, 7), b = Graphs.rmat(10, 8, 7);
        assertArrayEquals(a.csr().colIdx(), b.csr().colIdx());
        assertEquals(1024, a.rows());
        assertArrayEquals(a.csr().toDense(), a.csr().transpose().toDense(), "undirected");
        assertTrue(a.csr().maxDegree() > 8 * a.csr().meanDegree(), "skewed: max " + a.csr().maxDegree() + ", mean " + a.csr().meanDegree());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Graphs.rmat(31, 16, 1));
        assertTrue(e.getMessage().contains("scale 31"), e.getMessage());
    }
}
