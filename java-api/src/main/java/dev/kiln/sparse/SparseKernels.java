package dev.kiln.sparse;

import dev.kiln.backend.Buffer;

/**
 * The sparse kernel family: CSR × dense products, segment sums and scatter sums on one backend
 * (reached as {@code backend.kernels(SparseKernels.class)}). Implementations: {@link CpuSparse}
 * (multi-threaded Java) and {@code dev.kiln.cuda.CudaSparse} ({@code kernels/src/sparse.cu}).
 *
 * <p>Float buffers are FLOAT32 and row-major contiguous; index buffers are INT32.
 */
public interface SparseKernels {

    /**
     * A CSR matrix resident on this family's backend, with what its products need prepared once
     * (device copies of the structure, the kernel choice, work items for skewed degrees).
     */
    interface Matrix {
        /** The host structure it was made from. */
        Csr csr();

        /** Which kernel serves {@link #spmm} for this matrix (for logs and benchmarks). */
        String kernel();
    }

    /** Makes {@code csr} resident on this backend. */
    Matrix upload(Csr csr);

    /** {@code y[rows, n] = A · x[cols, n]}; y is fully written. */
    void spmm(Matrix a, Buffer x, Buffer y, int n);

    /**
     * {@code out[s, :] = Σ src[i, :]} over {@code i ∈ [offsets[s], offsets[s+1])} for
     * {@code s < segments}; {@code offsets} INT32 {@code [segments + 1]}, non-decreasing. out is
     * fully written (empty segments give zeros).
     */
    void segmentSum(Buffer offsets, Buffer src, Buffer out, int segments, int n);

    /** The backward of {@link #segmentSum}: {@code dsrc[i, :] = dout[s, :]} for i in segment s. */
    void segmentExpand(Buffer offsets, Buffer dout, Buffer dsrc, int segments, int n);

    /**
     * {@code out[index[i], :] += src[i, :]} for {@code i < count}, accumulating into out. On CUDA
     * this uses atomics: the order of the additions, and so the last bits, may vary between runs.
     */
    void scatterAdd(Buffer index, Buffer src, Buffer out, int count, int n);
}
