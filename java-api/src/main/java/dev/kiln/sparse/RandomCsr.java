package dev.kiln.sparse;

import dev.kiln.Generator;

/**
 * Random CSR matrices with the degree patterns sparse kernels must handle, for tests and
 * benchmarks: {@link #uniform} (degrees 0–6, about a quarter of the rows empty) and
 * {@link #zipf} (the i-th row of a random permutation holds about {@code maxDegree / (i + 1)} entries: a
 * few very long rows, many short or empty ones). Values are uniform in [−1.5, 1.5); columns are
 * uniform, so a row may name a column twice (summed by {@link Csr#fromCoo}).
 */
public final class RandomCsr {

    private RandomCsr() {
    }

    /** Degrees uniform in 0..6, each row empty with probability 1/4 more. */
    public static Csr uniform(Generator g, int rows, int cols) {
        int[] deg = new int[rows];
        for (int r = 0; r < rows; r++) {
            deg[r] = g.nextInt(4) == 0 ? 0 : g.nextInt(7);
        }
        return fill(g, rows, cols, deg);
    }

    /** Zipf-like degrees: {@code maxDegree / (i + 1)} entries (give or take one) for the i-th row of a random permutation. */
    public static Csr zipf(Generator g, int rows, int cols, int maxDegree) {
        int[] deg = new int[rows];
        for (int i = 0; i < rows; i++) {
            deg[i] = Math.max(0, maxDegree / (i + 1) - g.nextInt(2));
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = g.nextInt(i + 1), t = deg[i];
            deg[i] = deg[j];
            deg[j] = t;
        }
        return fill(g, rows, cols, deg);
    }

    private static Csr fill(Generator g, int rows, int cols, int[] deg) {
        int nnz = 0;
        for (int d : deg) {
            nnz += d;
        }
        int[] ri = new int[nnz], ci = new int[nnz];
        float[] v = new float[nnz];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < deg[r]; j++, k++) {
                ri[k] = r;
                ci[k] = g.nextInt(cols);
                v[k] = (g.nextInt(3000) - 1500) / 1000f;
            }
        }
        return Csr.fromCoo(rows, cols, ri, ci, v);
    }
}
