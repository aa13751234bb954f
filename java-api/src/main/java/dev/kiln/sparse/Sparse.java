package dev.kiln.sparse;

import dev.kiln.spi.TensorStorage;
import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Tensor;

import java.util.Arrays;

/**
 * Differentiable sparse ops on the {@link SparseKernels} family: sparse × dense products (message
 * passing), segment sums and scatter sums. Gradients flow to the dense inputs; the sparse matrix's
 * values are constants.
 */
public final class Sparse {

    private Sparse() {
    }

    /**
     * {@code A · x}: {@code x [cols, n]} gives {@code [rows, n]}; a vector {@code [cols]} gives
     * {@code [rows]}. Backward: {@code dx = Aᵀ · dy} with A's cached transpose (deterministic).
     */
    public static Tensor mm(SparseTensor a, Tensor x) {
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("Sparse.mm needs a FLOAT32 dense operand, got " + x.dtype());
        }
        if (!a.device().equals(x.device())) {
            throw new IllegalArgumentException("Sparse.mm: the sparse matrix is on " + a.device() + " but the dense operand on "
                    + x.device() + "; move one with to(device)");
        }
        boolean vector = x.rank() == 1;
        if ((x.rank() != 1 && x.rank() != 2) || x.size(0) != a.cols()) {
            throw new IllegalArgumentException("Sparse.mm: a " + a.rows() + " x " + a.cols() + " matrix needs a dense operand ["
                    + a.cols() + ", n] or [" + a.cols() + "], got " + Arrays.toString(x.shape()));
        }
        int n = vector ? 1 : x.size(1);
        Tensor y = vector ? Tensor.empty(x.device(), DType.FLOAT32, a.rows()) : Tensor.empty(x.device(), DType.FLOAT32, a.rows(), n);
        if ((long) a.rows() * n > 0) {
            a.kernels().spmm(a.resident(), TensorStorage.buffer(x), TensorStorage.buffer(y), n);
        }
        return Autograd.op("sparseMm", y, g -> new Tensor[] {mm(a.transpose(), g)}, x);
    }

    /**
     * Rows of {@code weight [V, E]} picked by integer {@code ids} of any shape (shape
     * {@code ids.shape + [E]}), like {@link dev.kiln.SequenceOps#embedding}, but the backward leaves
     * {@code weight.grad()} alone and accumulates a row-sparse gradient into
     * {@link Tensor#sparseGrad()} instead: the distinct ids and their summed gradient rows
     * ({@link dev.kiln.RowSparseGrad#coalesce}), not a dense {@code [V, E]} tensor. PyTorch's
     * {@code Embedding(sparse=True)}. {@code weight} must be a leaf (a parameter).
     */
    public static Tensor embedding(Tensor weight, Tensor ids) {
        if (!weight.isLeaf()) {
            throw new IllegalArgumentException("a lookup with a row-sparse gradient needs a leaf weight (a parameter), got the output of "
                    + "an op");
        }
        Tensor out = dev.kiln.SequenceOps.embedding(weight.detach(), ids);
        int vocab = weight.size(0), width = weight.size(1);
        Tensor flat = ids.to(weight.device()).reshape(-1);
        return Autograd.op("embeddingRowSparse", out, g -> {
            dev.kiln.RowSparseGrad rg = dev.kiln.RowSparseGrad.coalesce(flat, g.reshape(flat.size(0), width), vocab);
            weight.setSparseGrad(weight.sparseGrad() == null ? rg : weight.sparseGrad().add(rg));
            return new Tensor[] {null, null};
        }, weight, ids);
    }

    /**
     * Segment sums over rows: {@code out[s] = Σ src[i]} for {@code i ∈ [offsets[s], offsets[s+1])}.
     * {@code src [m, n]} (or {@code [m]}), {@code offsets} INT32/INT64 {@code [segments + 1]} from 0
     * to m, non-decreasing; empty segments give zeros. Backward: each row of src gets its segment's
     * gradient.
     */
    public static Tensor segmentSum(Tensor src, Tensor offsets) {
        int m = src.rank() == 0 ? 0 : src.size(0);
        int n = src.rank() == 1 ? 1 : (int) (src.numel() / Math.max(1, m));
        if (src.rank() < 1 || src.rank() > 2 || src.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("segmentSum needs FLOAT32 src [m, n] or [m], got " + src.dtype() + " "
                    + Arrays.toString(src.shape()));
        }
        int segments = checkOffsets(offsets, m);
        Tensor off = int32(offsets, src);
        int[] outShape = src.rank() == 1 ? new int[] {segments} : new int[] {segments, n};
        Tensor out = Tensor.empty(src.device(), DType.FLOAT32, outShape);
        SparseKernels k = TensorStorage.backend(src).kernels(SparseKernels.class);
        if ((long) segments * n > 0) {
            k.segmentSum(TensorStorage.buffer(off), TensorStorage.buffer(src), TensorStorage.buffer(out), segments, n);
        }
        int[] srcShape = src.shape();
        return Autograd.op("segmentSum", out, g -> {
            Tensor d = Tensor.empty(g.device(), DType.FLOAT32, srcShape);
            if ((long) m * n > 0) {
                TensorStorage.backend(g).kernels(SparseKernels.class).segmentExpand(TensorStorage.buffer(off), TensorStorage.buffer(g), TensorStorage.buffer(d), segments, n);
            }
            return new Tensor[] {d, null};
        }, src, offsets);
    }

    /**
     * Scatter sum over rows: {@code out[index[i]] += src[i]}, {@code out [rows, n]} starting from
     * zeros. Deterministic: the indices are grouped into a CSR (a counting sort on the host, stable)
     * and summed by the SpMM kernel in index order. Backward: {@code dsrc = dout[index]}.
     */
    public static Tensor scatterSum(Tensor src, Tensor index, int rows) {
        int m = checkScatter(src, index, rows);
        long[] idx = index.toLongArray();
        int[] target = new int[m], source = new int[m];
        for (int i = 0; i < m; i++) {
            if (idx[i] < 0 || idx[i] >= rows) {
                throw new IllegalArgumentException("scatterSum: index " + idx[i] + " at position " + i + " is outside [0, " + rows + ")");
            }
            target[i] = (int) idx[i];
            source[i] = i;
        }
        // Duplicate (target, source) pairs cannot occur: each source row appears once.
        SparseTensor grouping = SparseTensor.fromCoo(rows, m, target, source, null).to(src.device());
        Tensor x = src.rank() == 1 ? src.reshape(m, 1) : src;
        Tensor y = mm(grouping, x.detach()).detach();
        Tensor out = src.rank() == 1 ? y.reshape(rows).detach() : y;
        return Autograd.op("scatterSum", out, g -> new Tensor[] {g.indexSelect(0, index), null}, src, index);
    }

    /**
     * {@link #scatterSum} without the host round trip: atomics on the device, so the order of the
     * additions, and the last bits of the result, may vary between runs on CUDA. Indices are not
     * range-checked on the device: pass valid ones.
     */
    public static Tensor scatterSumUnordered(Tensor src, Tensor index, int rows) {
        int m = checkScatter(src, index, rows);
        int n = src.rank() == 1 ? 1 : src.size(1);
        Tensor out = src.rank() == 1 ? Tensor.zeros(src.device(), rows) : Tensor.zeros(src.device(), rows, n);
        if ((long) m * n > 0) {
            Tensor idx = int32(index, src);
            TensorStorage.backend(src).kernels(SparseKernels.class).scatterAdd(TensorStorage.buffer(idx), TensorStorage.buffer(src), TensorStorage.buffer(out), m, n);
        }
        return Autograd.op("scatterSumUnordered", out, g -> new Tensor[] {g.indexSelect(0, index), null}, src, index);
    }

    private static int checkScatter(Tensor src, Tensor index, int rows) {
        if (src.rank() < 1 || src.rank() > 2 || src.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("scatter sums need FLOAT32 src [m, n] or [m], got " + src.dtype() + " "
                    + Arrays.toString(src.shape()));
        }
        if (index.rank() != 1 || index.dtype() == DType.FLOAT32 || index.size(0) != src.size(0)) {
            throw new IllegalArgumentException("scatter sums need an INT32/INT64 index [" + src.size(0) + "], got "
                    + index.dtype() + " " + Arrays.toString(index.shape()));
        }
        if (!index.device().equals(src.device())) {
            throw new IllegalArgumentException("scatter sums: src is on " + src.device() + ", index on " + index.device());
        }
        if (rows < 0) {
            throw new IllegalArgumentException("scatter sums need rows >= 0, got " + rows);
        }
        return src.size(0);
    }

    /** Validates segment offsets against m source rows; returns the number of segments. */
    private static int checkOffsets(Tensor offsets, int m) {
        if (offsets.rank() != 1 || offsets.dtype() == DType.FLOAT32 || offsets.size(0) < 1) {
            throw new IllegalArgumentException("segment offsets must be an INT32/INT64 tensor [segments + 1], got "
                    + offsets.dtype() + " " + Arrays.toString(offsets.shape()));
        }
        long[] off = offsets.toLongArray();
        if (off[0] != 0 || off[off.length - 1] != m) {
            throw new IllegalArgumentException("segment offsets must run from 0 to the " + m + " source rows, got " + off[0]
                    + " … " + off[off.length - 1]);
        }
        for (int s = 0; s + 1 < off.length; s++) {
            if (off[s + 1] < off[s]) {
                throw new IllegalArgumentException("segment offsets decrease at segment " + s + ": " + off[s] + " then " + off[s + 1]);
            }
        }
        return off.length - 1;
    }

    private static Tensor int32(Tensor idx, Tensor like) {
        if (!idx.device().equals(like.device())) {
            throw new IllegalArgumentException("indices are on " + idx.device() + " but the values on " + like.device());
        }
        return idx.dtype() == DType.INT32 ? idx : idx.toType(DType.INT32);
    }
}
