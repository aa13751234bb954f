package dev.kiln.sparse;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.backend.Backend;
import dev.kiln.backend.Backends;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sparse matrix in CSR form (int32 indices, float32 values) on a device. Immutable: the
 * structure lives on the host ({@link Csr}) and is copied to the device once, on first use,
 * together with what the device's SpMM needs (kernel choice, work split). Products and their
 * gradients: {@link Sparse#mm}. The transpose is built once per matrix and shared by its device
 * copies, so the backward of {@code A·X} (which needs {@code Aᵀ}) costs no transposition per step.
 *
 * <pre>{@code
 * SparseTensor a = SparseTensor.fromCoo(3, 4, new int[] {0, 2, 2}, new int[] {1, 0, 3}, null).to(device);
 * Tensor y = Sparse.mm(a, x);           // x [4, n] → y [3, n]
 * }</pre>
 */
public final class SparseTensor {

    /**
     * What the device copies of one matrix share: one copy per device (so each is made resident
     * once) and the transpose once built.
     */
    private static final class Copies {
        final Map<Device, SparseTensor> byDevice = new ConcurrentHashMap<>();
        SparseTensor transpose;
    }

    private final Csr csr;
    private final Device device;
    private final Copies copies;
    private volatile SparseKernels.Matrix resident;

    private SparseTensor(Csr csr, Device device, Copies copies) {
        this.csr = csr;
        this.device = device;
        this.copies = copies;
    }

    /** A CPU sparse tensor over {@code csr}. */
    public static SparseTensor of(Csr csr) {
        Copies c = new Copies();
        SparseTensor t = new SparseTensor(csr, Device.cpu(), c);
        c.byDevice.put(t.device, t);
        return t;
    }

    /**
     * From a COO list on the CPU: entry k is {@code (row[k], col[k])} with value {@code values[k]}
     * (null: all 1). Duplicates are summed; an index out of range is an error naming the entry.
     */
    public static SparseTensor fromCoo(int rows, int cols, int[] row, int[] col, float[] values) {
        return of(Csr.fromCoo(rows, cols, row, col, values));
    }

    /**
     * From an index tensor {@code [2, nnz]} (INT32 or INT64: rows, then columns) and optional
     * FLOAT32 values {@code [nnz]}, on the index tensor's device.
     */
    public static SparseTensor fromCoo(int rows, int cols, Tensor indices, Tensor values) {
        if (indices.rank() != 2 || indices.size(0) != 2 || indices.dtype() == DType.FLOAT32) {
            throw new IllegalArgumentException("COO indices must be an INT32/INT64 tensor [2, nnz], got "
                    + indices.dtype() + " " + java.util.Arrays.toString(indices.shape()));
        }
        int nnz = indices.size(1);
        long[] all = indices.toLongArray();
        int[] r = new int[nnz], c = new int[nnz];
        for (int k = 0; k < nnz; k++) {
            r[k] = checkedInt(all[k], "row", k);
            c[k] = checkedInt(all[nnz + k], "column", k);
        }
        float[] v = null;
        if (values != null) {
            if (values.numel() != nnz) {
                throw new IllegalArgumentException(values.numel() + " values for " + nnz + " COO entries");
            }
            v = values.toFloatArray();
        }
        return fromCoo(rows, cols, r, c, v).to(indices.device());
    }

    private static int checkedInt(long v, String what, int k) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("entry " + k + " has " + what + " index " + v + ", outside the int32 range");
        }
        return (int) v;
    }

    public int rows() {
        return csr.rows();
    }

    public int cols() {
        return csr.cols();
    }

    public int nnz() {
        return csr.nnz();
    }

    public int[] shape() {
        return new int[] {csr.rows(), csr.cols()};
    }

    public Device device() {
        return device;
    }

    /** The host structure. */
    public Csr csr() {
        return csr;
    }

    /**
     * This matrix on {@code device} (itself when already there). The structure is shared, and one
     * copy per device is kept, so its device buffers are made once however often this is called.
     */
    public SparseTensor to(Device target) {
        return target.equals(device) ? this : copies.byDevice.computeIfAbsent(target, d -> new SparseTensor(csr, d, copies));
    }

    /** The transpose, on the same device; built once per matrix (and its transpose is this matrix). */
    public SparseTensor transpose() {
        SparseTensor t;
        synchronized (copies) {
            t = copies.transpose;
            if (t == null) {
                t = of(csr.transpose());
                t.copies.transpose = to(Device.cpu());
                copies.transpose = t;
            }
        }
        return t.to(device);
    }

    /** The dense matrix {@code [rows, cols]} on this tensor's device. */
    public Tensor toDense() {
        return Tensor.fromArray(csr.toDense(), csr.rows(), csr.cols()).to(device);
    }

    /** The device copy used by the kernels (made on first use). */
    SparseKernels.Matrix resident() {
        SparseKernels.Matrix m = resident;
        if (m == null) {
            synchronized (this) {
                m = resident;
                if (m == null) {
                    m = kernels().upload(csr);
                    resident = m;
                }
            }
        }
        return m;
    }

    SparseKernels kernels() {
        Backend be = Backends.of(device);
        return be.kernels(SparseKernels.class);
    }

    /** Which kernel serves products with this matrix on its device (e.g. {@code rowsplit}, {@code split(...)}, {@code cpu}). */
    public String kernel() {
        return resident().kernel();
    }

    @Override
    public String toString() {
        return "SparseTensor[" + csr.rows() + " x " + csr.cols() + ", nnz " + csr.nnz() + ", " + device + "]";
    }
}
