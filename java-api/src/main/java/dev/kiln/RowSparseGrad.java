package dev.kiln;

import dev.kiln.sparse.SparseKernels;

import java.util.Arrays;

/**
 * A row-sparse gradient of a {@code [numRows, width]} parameter (PyTorch's sparse gradient of an
 * {@code Embedding(sparse=True)}): the touched rows, strictly increasing ({@code INT32 [k]}), and
 * their gradient rows ({@code FLOAT32 [k, width]}), both on the parameter's device. Every other row's
 * gradient is zero. Produced by {@link dev.kiln.sparse.Sparse#embedding}; applied by optimizers
 * that update only the touched rows ({@link dev.kiln.optim.SGD} without momentum or weight decay,
 * {@link dev.kiln.optim.SparseAdam}).
 */
public final class RowSparseGrad {

    private final Tensor rows;
    private final Tensor values;
    private final int numRows;

    private RowSparseGrad(Tensor rows, Tensor values, int numRows) {
        this.rows = rows;
        this.values = values;
        this.numRows = numRows;
    }

    /**
     * Sums the gradient rows {@code grads [m, width]} that belong to parameter rows {@code ids [m]}
     * (each in {@code [0, numRows)}) into one row per distinct id, in increasing id order.
     * Deterministic: the positions are grouped on the host (a sort of the ids, which are read once)
     * and each group summed in position order by the segment-sum kernel on the gradient's device.
     */
    public static RowSparseGrad coalesce(Tensor ids, Tensor grads, int numRows) {
        if (ids.rank() != 1 || !ids.dtype().isIndex()) {
            throw new IllegalArgumentException("row-sparse gradient ids must be a 1-D INT32/INT64 tensor, got " + ids.dtype() + " "
                    + Shapes.str(ids.shape()));
        }
        if (grads.rank() != 2 || grads.dtype() != DType.FLOAT32 || grads.size(0) != ids.size(0)) {
            throw new IllegalArgumentException("row-sparse gradient rows must be FLOAT32 [" + ids.size(0) + ", width], got "
                    + grads.dtype() + " " + Shapes.str(grads.shape()));
        }
        long[] id = ids.toLongArray();
        int m = id.length, width = grads.size(1);
        long[] keyed = new long[m]; // id << 32 | position: sorting groups equal ids in position order
        for (int i = 0; i < m; i++) {
            if (id[i] < 0 || id[i] >= numRows) {
                throw new IllegalArgumentException("row-sparse gradient: id " + id[i] + " at position " + i + " is outside [0, "
                        + numRows + ")");
            }
            keyed[i] = id[i] << 32 | i;
        }
        Arrays.sort(keyed);
        int[] perm = new int[m], offsets = new int[m + 1], unique = new int[m];
        int k = 0;
        for (int i = 0; i < m; i++) {
            int row = (int) (keyed[i] >>> 32);
            perm[i] = (int) keyed[i];
            if (k == 0 || unique[k - 1] != row) {
                unique[k] = row;
                offsets[k] = i;
                k++;
            }
        }
        offsets[k] = m;
        Device dev = grads.device();
        Tensor values = Tensor.empty(dev, DType.FLOAT32, k, width);
        if ((long) k * width > 0) {
            try (Autograd.Scope s = Autograd.noGrad()) {
                Tensor gathered = grads.detach().indexSelect(0, Tensor.fromIndices(perm).to(dev));
                Tensor off = Tensor.fromIndices(Arrays.copyOf(offsets, k + 1)).to(dev);
                grads.backend().kernels(SparseKernels.class).segmentSum(off.buffer(), gathered.buffer(), values.buffer(), k, width);
            }
        }
        return new RowSparseGrad(Tensor.fromIndices(Arrays.copyOf(unique, k)).to(dev), values, numRows);
    }

    /** The touched rows, strictly increasing ({@code INT32 [k]}). */
    public Tensor rows() {
        return rows;
    }

    /** Their gradient rows ({@code [k, width]}). */
    public Tensor values() {
        return values;
    }

    /** The number of touched rows k. */
    public int touchedRows() {
        return rows.size(0);
    }

    /** The shape of the parameter: {@code [numRows, width]}. */
    public int[] shape() {
        return new int[] {numRows, values.size(1)};
    }

    public Device device() {
        return values.device();
    }

    /** The same gradient as a dense {@code [numRows, width]} tensor. */
    public Tensor toDense() {
        Tensor d = Tensor.zeros(values.device(), numRows, values.size(1));
        addTo(d, 1f);
        return d;
    }

    /** {@code target[rows] += alpha · values} in place: the rows are distinct, so no two additions meet. */
    public void addTo(Tensor target, float alpha) {
        if (!Arrays.equals(target.shape(), shape()) || !target.device().equals(device())) {
            throw new IllegalArgumentException("a row-sparse gradient of shape " + Shapes.str(shape()) + " on " + device()
                    + " cannot be added to " + Shapes.str(target.shape()) + " on " + target.device());
        }
        int k = touchedRows(), width = values.size(1);
        if ((long) k * width == 0) {
            return;
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor v = alpha == 1f ? values : values.mul(alpha);
            target.backend().indexAdd(v.buffer(), 1, numRows, width, rows.buffer(), k, target.buffer());
        }
    }

    /** The sum of this gradient and {@code other} (of the same parameter), coalesced again. */
    public RowSparseGrad add(RowSparseGrad other) {
        if (!Arrays.equals(other.shape(), shape())) {
            throw new IllegalArgumentException("cannot add row-sparse gradients of shapes " + Shapes.str(shape()) + " and "
                    + Shapes.str(other.shape()));
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            return coalesce(Tensor.cat(java.util.List.of(rows, other.rows), 0), Tensor.cat(java.util.List.of(values, other.values), 0),
                    numRows);
        }
    }

    @Override
    public String toString() {
        return "RowSparseGrad[" + touchedRows() + " of " + numRows + " rows x " + values.size(1) + ", " + device() + "]";
    }
}
