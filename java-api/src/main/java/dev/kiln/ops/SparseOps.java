package dev.kiln.ops;

import dev.kiln.Generator;
import dev.kiln.RowSparseGrad;
import dev.kiln.Tensor;
import dev.kiln.optim.SGD;
import dev.kiln.optim.SparseAdam;
import dev.kiln.sparse.Csr;
import dev.kiln.sparse.Sparse;
import dev.kiln.sparse.SparseTensor;

import java.util.List;

/**
 * Registry entries of the sparse family. Registry inputs are dense, so each entry builds a fixed
 * small sparse matrix (empty rows, duplicates summed, a long row) inside its lambda, on the dense
 * input's device: the CPU gradient check and the CUDA parity suite then cover the product and its
 * backward through the cached transpose. The matrices are built once; their device copies are
 * cached per device by {@link SparseTensor#to}.
 */
final class SparseOps {

    private SparseOps() {
    }

    /** 7 × 9: rows 2 and 5 empty, a duplicate (summed), negative and fractional values. */
    private static final SparseTensor RAGGED = SparseTensor.fromCoo(7, 9,
            new int[] {0, 0, 1, 3, 3, 3, 4, 6, 6, 1, 0},
            new int[] {1, 8, 4, 0, 2, 7, 5, 3, 8, 4, 3},
            new float[] {0.5f, -1.25f, 2f, 1f, -0.75f, 0.3f, 1.5f, -2f, 0.25f, 0.5f, 1.1f});

    /**
     * 20 × 100 with row 3 holding 90 nonzeros and the rest at most 2: max degree 90 > max(64, 8 ·
     * mean), so the CUDA backend takes the nonzero-balanced split kernel with its fix-up pass.
     */
    private static final SparseTensor SKEWED = skewed();

    private static SparseTensor skewed() {
        Generator g = new Generator(77);
        int rows = 20, cols = 100, nnz = 90 + 2 * (rows - 1);
        int[] r = new int[nnz], c = new int[nnz];
        float[] v = new float[nnz];
        int k = 0;
        for (int j = 0; j < 90; j++, k++) {
            r[k] = 3;
            c[k] = j + 5;
            v[k] = (g.nextInt(2000) - 1000) / 1000f;
        }
        for (int i = 0; i < rows; i++) {
            if (i == 3) {
                continue;
            }
            for (int j = 0; j < 2; j++, k++) {
                r[k] = i;
                c[k] = g.nextInt(cols);
                v[k] = (g.nextInt(2000) - 1000) / 1000f;
            }
        }
        return SparseTensor.fromCoo(rows, cols, r, c, v);
    }

    private static Tensor n(Generator g, int... shape) {
        return Tensor.randn(g, shape);
    }

    static void register(List<OpSpec> l) {
        l.add(new OpSpec("sparseMm", g -> new Tensor[] {n(g, 9, 5)}, in -> Sparse.mm(RAGGED.to(in[0].device()), in[0]), true));
        l.add(new OpSpec("sparseMmWide4", g -> new Tensor[] {n(g, 9, 8)}, in -> Sparse.mm(RAGGED.to(in[0].device()), in[0]), true));
        l.add(new OpSpec("sparseMmVector", g -> new Tensor[] {n(g, 9)}, in -> Sparse.mm(RAGGED.to(in[0].device()), in[0]), true));
        l.add(new OpSpec("sparseMmSkewed", g -> new Tensor[] {n(g, 100, 3)}, in -> Sparse.mm(SKEWED.to(in[0].device()), in[0]), true));
        l.add(new OpSpec("segmentSum", g -> new Tensor[] {n(g, 10, 3)},
                in -> Sparse.segmentSum(in[0], Tensor.fromIndices(new int[] {0, 2, 2, 7, 10}).to(in[0].device())), true));
        l.add(new OpSpec("scatterSum", g -> new Tensor[] {n(g, 8, 3)},
                in -> Sparse.scatterSum(in[0], Tensor.fromIndices(new int[] {4, 0, 4, 2, 5, 0, 4, 1}).to(in[0].device()), 6), true));
        l.add(new OpSpec("scatterSumUnordered", g -> new Tensor[] {n(g, 8, 3)},
                in -> Sparse.scatterSumUnordered(in[0], Tensor.fromIndices(new int[] {4, 0, 4, 2, 5, 0, 4, 1}).to(in[0].device()), 6),
                true));
    }

    /** Parameter rows looked up by the row-sparse gradient entries (repeats summed; rows 1, 3, 5, 6 untouched). */
    private static final int[] LOOKUPS = {4, 0, 4, 2, 0, 4};

    /** A fresh parameter holding {@code w}'s values, on its device. */
    private static Tensor param(Tensor w) {
        return w.add(0f).detach().requiresGrad(true);
    }

    private static RowSparseGrad lookupGrad(Tensor g, int[] ids, int rows) {
        return RowSparseGrad.coalesce(Tensor.fromIndices(ids).to(g.device()), g, rows);
    }

    /** Row-sparse gradients and the optimizers that apply them (forward-only entries: their outputs are the updates). */
    static void registerRowSparse(List<OpSpec> l) {
        l.add(new OpSpec("rowSparseGrad", g -> new Tensor[] {n(g, 6, 3)}, in -> lookupGrad(in[0], LOOKUPS, 7).values(), false));
        l.add(new OpSpec("sparseSgdStep", g -> new Tensor[] {n(g, 7, 3), n(g, 6, 3)}, in -> {
            Tensor p = param(in[0]);
            p.setSparseGrad(lookupGrad(in[1], LOOKUPS, 7));
            new SGD(List.of(p), 0.5f).step();
            return p.detach();
        }, false));
        l.add(new OpSpec("sparseAdamSteps", g -> new Tensor[] {n(g, 7, 3), n(g, 6, 3)}, in -> {
            Tensor p = param(in[0]);
            SparseAdam opt = new SparseAdam(List.of(p), 0.1f);
            p.setSparseGrad(lookupGrad(in[1], LOOKUPS, 7));
            opt.step();
            // the second step touches row 1 for the first time and row 4 again: lazy moments
            p.setSparseGrad(lookupGrad(in[1].slice(0, 0, 3), new int[] {1, 4, 4}, 7));
            opt.step();
            return p.detach();
        }, false));
    }

    /** The structure of the skewed matrix (for tests that check which kernel serves it). */
    static Csr skewedCsr() {
        return SKEWED.csr();
    }
}
