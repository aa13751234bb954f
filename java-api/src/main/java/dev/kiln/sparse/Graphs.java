package dev.kiln.sparse;

/**
 * Graph helpers over {@link SparseTensor} adjacency matrices ({@code A[v, u] ≠ 0} for an edge
 * {@code u → v}, so {@code Sparse.mm(A, x)} sums each node's in-neighbours' features).
 */
public final class Graphs {

    private Graphs() {
    }

    /**
     * The symmetric 0/1 adjacency of an undirected graph with {@code nodes} nodes: both
     * {@code (src[e], dst[e])} and {@code (dst[e], src[e])} for every edge e. An edge listed twice
     * (in either direction) is stored once; a node index out of range is an error naming the edge.
     */
    public static SparseTensor undirected(int nodes, int[] src, int[] dst) {
        if (src.length != dst.length) {
            throw new IllegalArgumentException("edge lists differ in length: " + src.length + " sources, " + dst.length + " targets");
        }
        int e = src.length;
        for (int k = 0; k < e; k++) {
            if (src[k] < 0 || src[k] >= nodes || dst[k] < 0 || dst[k] >= nodes) {
                int bad = src[k] < 0 || src[k] >= nodes ? src[k] : dst[k];
                throw new IllegalArgumentException("edge " + k + " (" + src[k] + ", " + dst[k] + ") names node " + bad
                        + ", outside [0, " + nodes + ")");
            }
        }
        int[] r = new int[2 * e], c = new int[2 * e];
        for (int k = 0; k < e; k++) {
            r[k] = dst[k];
            c[k] = src[k];
            r[e + k] = src[k];
            c[e + k] = dst[k];
        }
        return SparseTensor.fromCoo(nodes, nodes, r, c, null);
    }

    /**
     * An undirected R-MAT graph (Chakrabarti, Zhan and Faloutsos, 2004) with Graph500's parameters
     * {@code a = 0.57, b = c = 0.19, d = 0.05}: {@code 2^scale} nodes and
     * {@code edgeFactor · 2^scale} edges drawn from the seed, each edge placed by choosing one
     * quadrant of the adjacency matrix per bit. Stored in both directions ({@link #undirected}):
     * duplicates are merged, self loops kept once. The degrees follow a power law, so a few rows
     * hold most of the nonzeros: the case the nonzero-balanced SpMM is for.
     */
    public static SparseTensor rmat(int scale, int edgeFactor, long seed) {
        if (scale < 1 || scale > 30 || edgeFactor < 1 || (long) edgeFactor << scale > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("R-MAT needs 1 <= scale <= 30 and edgeFactor >= 1 with edgeFactor * 2^scale below 2^30, got scale "
                    + scale + ", edge factor " + edgeFactor);
        }
        int nodes = 1 << scale, edges = edgeFactor * nodes;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[] s = new int[edges], d = new int[edges];
        for (int e = 0; e < edges; e++) {
            int u = 0, v = 0;
            for (int bit = scale - 1; bit >= 0; bit--) {
                double p = r.nextDouble();
                if (p < 0.57) {
                    continue;
                } else if (p < 0.76) {
                    v |= 1 << bit;
                } else if (p < 0.95) {
                    u |= 1 << bit;
                } else {
                    u |= 1 << bit;
                    v |= 1 << bit;
                }
            }
            s[e] = u;
            d[e] = v;
        }
        return undirected(nodes, s, d);
    }

    /** {@code A + I} for a square matrix (a stored diagonal entry gains 1), on A's device. */
    public static SparseTensor withSelfLoops(SparseTensor a) {
        Csr m = a.csr();
        square(m, "withSelfLoops");
        int n = m.rows(), nnz = m.nnz();
        int[] ptr = m.rowPtrArray(), col = m.colIdxArray();
        float[] val = m.values();
        int[] r = new int[nnz + n], c = new int[nnz + n];
        float[] v = new float[nnz + n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = ptr[i]; j < ptr[i + 1]; j++, k++) {
                r[k] = i;
                c[k] = col[j];
                v[k] = val[j];
            }
        }
        for (int i = 0; i < n; i++, k++) {
            r[k] = i;
            c[k] = i;
            v[k] = 1f;
        }
        return SparseTensor.fromCoo(n, n, r, c, v).to(a.device());
    }

    /**
     * Kipf and Welling's propagation matrix {@code D^-1/2 (A + I) D^-1/2}, D the row sums of
     * {@code A + I}, on A's device.
     */
    public static SparseTensor gcnNormalize(SparseTensor a) {
        return symmetricNormalize(withSelfLoops(a));
    }

    /** {@code D^-1/2 A D^-1/2} with D the row sums of A (rows summing to 0 stay 0), on A's device. */
    public static SparseTensor symmetricNormalize(SparseTensor a) {
        Csr m = a.csr();
        square(m, "symmetricNormalize");
        int n = m.rows();
        int[] ptr = m.rowPtrArray(), col = m.colIdxArray();
        float[] val = m.values();
        double[] inv = new double[n];
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int j = ptr[i]; j < ptr[i + 1]; j++) {
                d += val[j];
            }
            inv[i] = d > 0 ? 1 / Math.sqrt(d) : 0;
        }
        float[] out = new float[val.length];
        for (int i = 0; i < n; i++) {
            for (int j = ptr[i]; j < ptr[i + 1]; j++) {
                out[j] = (float) (inv[i] * val[j] * inv[col[j]]);
            }
        }
        return SparseTensor.of(m.withValues(out)).to(a.device());
    }

    private static void square(Csr m, String op) {
        if (m.rows() != m.cols()) {
            throw new IllegalArgumentException(op + " needs a square adjacency matrix, got " + m.rows() + " x " + m.cols());
        }
    }
}
