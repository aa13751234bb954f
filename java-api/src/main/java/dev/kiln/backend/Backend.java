package dev.kiln.backend;

import dev.kiln.DType;
import dev.kiln.Device;

/**
 * The kernel-granularity service interface every compute backend implements: the CPU backend in
 * this module, the CUDA backend in {@code kiln-cuda} (found through {@link BackendProvider}).
 *
 * <p>This interface holds what every model needs: memory, elementwise ops, GEMM, reductions,
 * indexing, random numbers and optimiser updates. Larger families of kernels are interfaces of
 * their own, reached through {@link #vision()}, {@link #sequence()} and {@link #kernels(Class)}.
 *
 * <p>All buffers are dense and row-major; shapes and strides are in elements. Arguments are
 * validated by {@link dev.kiln.Tensor} before they get here, so implementations only check what
 * they alone can know (for example that a buffer belongs to them). Output buffers are fully
 * written unless a method says it accumulates.
 */
public interface Backend {

    /** The device this backend computes on. */
    Device device();

    // ---- memory ------------------------------------------------------------------------------

    /**
     * Device memory held and cached by this backend, or null where memory is the Java heap's (the
     * CPU backend).
     */
    default dev.kiln.MemoryStats memoryUsage() {
        return null;
    }

    /** Allocates an uninitialised buffer of {@code n} elements. */
    Buffer allocate(DType dtype, long n);

    void upload(float[] src, Buffer dst);

    void upload(int[] src, Buffer dst);

    void upload(long[] src, Buffer dst);

    float[] downloadFloats(Buffer src);

    /** Reads an index buffer (INT32 or INT64) as longs. */
    long[] downloadIndices(Buffer src);

    /** Sets every element of a FLOAT32 buffer. */
    void fill(Buffer dst, float value);

    /**
     * Strided copy: for every index tuple {@code i} of {@code shape},
     * {@code dst[dstOff + Σ i·dstStrides] = src[srcOff + Σ i·srcStrides]}. This one primitive
     * serves contiguous copies, transposes and permutations, broadcasting (stride 0), slicing and
     * concatenation. Works for every dtype; both buffers have the same dtype.
     */
    void copyStrided(Buffer src, long srcOff, int[] srcStrides, Buffer dst, long dstOff, int[] dstStrides, int[] shape);

    /** Converts between dtypes elementwise ({@code n} elements). */
    void convert(Buffer src, Buffer dst, long n);

    // ---- elementwise -------------------------------------------------------------------------

    /** y[i] = op(x[i], alpha) for {@code n} elements. */
    void unary(UnaryOp op, float alpha, Buffer x, Buffer y, long n);

    /** gx[i] = gy[i] · op'(x[i], y[i], alpha) for {@code n} elements. */
    void unaryBackward(UnaryOp op, float alpha, Buffer x, Buffer y, Buffer gy, Buffer gx, long n);

    /**
     * out[i] = a[i] op b[i] over {@code outShape}, where {@code aStrides}/{@code bStrides} map an
     * output index to the operand (stride 0 on broadcast axes).
     */
    void binary(BinaryOp op, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape);

    // ---- linear algebra ----------------------------------------------------------------------

    /**
     * {@code C = act(alpha·op(A)·op(B) + beta·C + bias)} for each problem of {@code g} (see
     * {@link Gemm}); {@code epilogue} (nullable: none) adds a per-column bias and an activation
     * after the product, so a linear layer is one call.
     */
    void gemm(Gemm g, BufferView a, BufferView b, BufferView c, Gemm.Epilogue epilogue);

    /** {@link #gemm(Gemm, BufferView, BufferView, BufferView, Gemm.Epilogue)} without an epilogue. */
    default void gemm(Gemm g, BufferView a, BufferView b, BufferView c) {
        gemm(g, a, b, c, null);
    }

    // ---- reductions and normalisation --------------------------------------------------------

    /**
     * Reduces the middle axis of a contiguous {@code [outer, dim, inner]} view into
     * {@code [outer, inner]}. ARGMAX writes an INT64 buffer; ties pick the first index.
     */
    void reduce(ReduceOp op, Buffer x, int outer, int dim, int inner, Buffer out);

    /** Softmax (or log-softmax) along the middle axis of {@code [outer, dim, inner]}. */
    void softmax(Buffer x, Buffer y, int outer, int dim, int inner, boolean log);

    /** Gradient of {@link #softmax} from its output {@code y} and the incoming gradient. */
    void softmaxBackward(Buffer y, Buffer gy, Buffer gx, int outer, int dim, int inner, boolean log);

    /**
     * Fused cross-entropy over {@code rows} rows of {@code cols} logits with integer targets:
     * {@code loss[r] = log(s) - (x[r, t[r]] - m)} with {@code m} the row maximum and
     * {@code s = Σ exp(x[r] - m)} (the maximum is subtracted before the log-sum, never
     * {@code (m + log s) - x}), and {@code grad[r] = softmax(x[r]) - onehot(t[r])} (the gradient of
     * {@code loss[r]}, unscaled). A row whose target equals {@code ignoreIndex} gets loss 0 and a
     * zero gradient ({@link #NO_IGNORE_INDEX}: none). Any other target outside {@code [0, cols)} is an
     * {@link IllegalArgumentException} naming the target and its row ({@link TargetErrors}): thrown
     * here by synchronous backends, at the next synchronisation by asynchronous ones (whose row then
     * holds NaN meanwhile); a bad target never reads another row.
     */
    void crossEntropy(Buffer logits, Buffer targets, int rows, int cols, long ignoreIndex, Buffer loss, Buffer grad);

    /** The {@code ignoreIndex} of {@link #crossEntropy} that ignores no target. */
    long NO_IGNORE_INDEX = Long.MIN_VALUE;

    // ---- indexing ----------------------------------------------------------------------------

    /** out[o, j, i] = x[o, idx[j], i] for a contiguous {@code [outer, dim, inner]} x and J indices. */
    void indexSelect(Buffer x, int outer, int dim, int inner, Buffer idx, int count, Buffer out);

    /** Accumulating inverse of {@link #indexSelect}: gx[o, idx[j], i] += g[o, j, i]. */
    void indexAdd(Buffer g, int outer, int dim, int inner, Buffer idx, int count, Buffer gx);

    // ---- random ------------------------------------------------------------------------------

    /**
     * Fills {@code n} elements with counter-based Philox4x32-10 draws for {@code (seed, offset)}:
     * uniform in [0, 1) or standard normal. See {@link dev.kiln.Generator} for the exact mapping,
     * which every backend reproduces bit for bit.
     */
    void random(Buffer dst, long n, long seed, long offset, boolean normal);

    // ---- optimisers (in place) ---------------------------------------------------------------

    /** SGD with momentum/Nesterov and L2 weight decay, updating {@code param} and {@code velocity}. */
    void sgdUpdate(Buffer param, Buffer grad, Buffer velocity, long n, float lr, float momentum,
                   float dampening, float weightDecay, boolean nesterov, boolean firstStep);

    /**
     * Adam(W) update. {@code decoupled} selects AdamW (decay applied to the weights) over Adam
     * (decay added to the gradient); {@code bc1}, {@code bc2} are 1 - beta^t.
     */
    void adamUpdate(Buffer param, Buffer grad, Buffer m, Buffer v, long n, float lr, float beta1, float beta2,
                    float eps, float weightDecay, boolean decoupled, float bc1, float bc2);

    /** Blocks until queued work is done (no-op on synchronous backends). */
    default void synchronize() {
    }

    // ---- kernel families -----------------------------------------------------------------------

    /** Convolution, pooling, batch norm and augmentation kernels. */
    default VisionKernels vision() {
        return kernels(VisionKernels.class);
    }

    /** Layer norm, attention and LSTM-cell kernels. */
    default SequenceKernels sequence() {
        return kernels(SequenceKernels.class);
    }

    /**
     * This backend's implementation of a kernel family, from the {@link KernelFamily} providers on
     * the class path (created once per backend).
     *
     * @throws UnsupportedOperationException naming the family and backend when no provider serves it
     */
    default <K> K kernels(Class<K> family) {
        return Backends.kernels(this, family);
    }
}
