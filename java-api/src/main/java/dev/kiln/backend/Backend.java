package dev.kiln.backend;

import dev.kiln.DType;
import dev.kiln.Device;

/**
 * The kernel-granularity service interface every compute backend implements: the CPU backend in
 * this module, the CUDA backend in {@code kiln-cuda} (found through {@link BackendProvider}).
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
     * Batched row-major GEMM: for each of {@code batch} problems,
     * C = alpha·op(A)·op(B) + beta·C with op(A) M×K and op(B) K×N. Element offsets and batch
     * strides locate each problem. beta = 0 overwrites C.
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
              Buffer a, long aOff, long strideA, Buffer b, long bOff, long strideB,
              float beta, Buffer c, long cOff, long strideC);

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
     * {@code loss[r] = logsumexp(x[r]) - x[r, t[r]]} and {@code grad[r] = softmax(x[r]) - onehot(t[r])}
     * (the gradient of {@code loss[r]}, unscaled).
     */
    void crossEntropy(Buffer logits, Buffer targets, int rows, int cols, Buffer loss, Buffer grad);

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

    // ---- sequence models (layer norm, attention, LSTM cell) -----------------------------------
    // Lengths ({@code kvLen}, {@code len}) are nullable INT32 buffers of one entry per batch row.

    /**
     * Layer norm over the last axis of {@code [rows, cols]}: {@code y = (x - mean)·rstd·gamma + beta}
     * ({@code gamma}, {@code beta} nullable); also writes {@code mean} and {@code rstd} ({@code [rows]})
     * for the backward.
     */
    void layerNorm(Buffer x, Buffer gamma, Buffer beta, Buffer y, Buffer mean, Buffer rstd,
                           int rows, int cols, float eps);

    /** Gradients of {@link #layerNorm}: {@code gx} overwritten; {@code dgamma}, {@code dbeta} (nullable) overwritten. */
    void layerNormBackward(Buffer gy, Buffer x, Buffer gamma, Buffer mean, Buffer rstd, Buffer gx,
                                   Buffer dgamma, Buffer dbeta, int rows, int cols);

    /**
     * Scaled-dot-product attention on contiguous {@code q [B,H,Lq,D]}, {@code k, v [B,H,Lk,D]}:
     * {@code o = softmax(q kᵀ·scale + mask) v}, and {@code lse [B,H,Lq]} the natural-log logsumexp
     * of the masked, scaled scores. Key j is masked for query i when {@code j >= kvLen[b]} or,
     * when causal, {@code j > i}. A row with no visible key gets {@code o = 0}, {@code lse = -inf}.
     */
    void attention(Buffer q, Buffer k, Buffer v, Buffer o, Buffer lse, Buffer kvLen,
                           int b, int h, int lq, int lk, int d, float scale, boolean causal);

    /** Gradients of {@link #attention} from its saved {@code o}, {@code lse}; all of dq, dk, dv overwritten. */
    void attentionBackward(Buffer q, Buffer k, Buffer v, Buffer o, Buffer lse, Buffer dout,
                                   Buffer dq, Buffer dk, Buffer dv, Buffer kvLen,
                                   int b, int h, int lq, int lk, int d, float scale, boolean causal);

    /**
     * One LSTM step for {@code batch} rows (gate order i, f, g, o): {@code pre = gatesX + gatesH + bias},
     * {@code c = f·cPrev + i·g}, {@code h = o·tanh(c)}; {@code gates} keeps the activated gates.
     * Buffers are addressed at element offsets ({@code *Off}) so time-major sequences need no copies;
     * {@code gatesH}, {@code bias}, {@code hPrev}, {@code cPrev}, {@code len} are nullable (zero).
     * With {@code len}, rows where {@code t >= len[row]} keep {@code h = hPrev}, {@code c = cPrev}, gates 0.
     */
    void lstmCell(Buffer gatesX, long gatesXOff, Buffer gatesH, Buffer bias, Buffer hPrev, long hPrevOff,
                          Buffer cPrev, long cPrevOff, Buffer h, long hOff, Buffer c, long cOff, Buffer gates, long gatesOff,
                          Buffer len, int t, int batch, int hidden);

    /**
     * Backward of {@link #lstmCell}: from {@code dhOut} (the output gradient at this step, nullable),
     * {@code dhRec} (the recurrent gradient, nullable) and {@code dcNext} (nullable) writes
     * {@code dGates} (pre-activation gradients) and {@code dcPrev} (may alias {@code dcNext}); with
     * {@code len}, masked rows pass {@code dcPrev = dcNext}, {@code dhCarry = dhOut + dhRec} and
     * others write {@code dhCarry = 0} ({@code dhCarry} unused without {@code len}).
     */
    void lstmCellBackward(Buffer dhOut, long dhOutOff, Buffer dhRec, Buffer dcNext, Buffer gates, long gatesOff,
                                  Buffer cPrev, long cPrevOff, Buffer c, long cOff, Buffer dGates, long dGatesOff,
                                  Buffer dcPrev, Buffer dhCarry, Buffer len, int t, int batch, int hidden);

    // ---- vision: convolution, pooling, batch norm (NCHW, FLOAT32) -------------------------------

    /**
     * {@code y = act(conv(x, w) + bias)} for {@code x [N, C, H, W]}, {@code w [K, C/groups, R, S]},
     * optional {@code bias [K]} (null: none), {@code y [N, K, P, Q]}; {@code relu} fuses a ReLU.
     */
    void conv2dForward(ConvGeometry g, Buffer x, Buffer w, Buffer bias, Buffer y, boolean relu);

    /** Data gradient: {@code dx [N, C, H, W]} (overwritten) from {@code dy [N, K, P, Q]} and {@code w}. */
    void conv2dBackwardData(ConvGeometry g, Buffer dy, Buffer w, Buffer dx);

    /** Weight gradient: {@code dw [K, C/groups, R, S]} (overwritten) from {@code x} and {@code dy}. */
    void conv2dBackwardWeight(ConvGeometry g, Buffer x, Buffer dy, Buffer dw);

    /** Bias gradient: {@code db[k] = Σ_{n,p,q} dy[n, k, p, q]} (overwritten). */
    void conv2dBackwardBias(ConvGeometry g, Buffer dy, Buffer db);

    /**
     * Max pooling {@code x [N, C, H, W]} → {@code y [N, C, P, Q]}; {@code idx} (INT64, may be null)
     * receives the flat {@code h·W + w} of each window's maximum; a NaN wins its window.
     */
    void maxPool2dForward(PoolGeometry g, Buffer x, Buffer y, Buffer idx);

    /** {@code dx} (overwritten) gathers {@code dy} through the indices of {@link #maxPool2dForward}. */
    void maxPool2dBackward(PoolGeometry g, Buffer dy, Buffer idx, Buffer dx);

    /** Average pooling (dilation ignored); the divisor counts padding when {@code countIncludePad}. */
    void avgPool2dForward(PoolGeometry g, Buffer x, Buffer y, boolean countIncludePad);

    void avgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx, boolean countIncludePad);

    /** Adaptive average pooling: window {@code [floor(i·H/P), ceil((i+1)·H/P))}; uses N, C, H, W, P, Q. */
    void adaptiveAvgPool2dForward(PoolGeometry g, Buffer x, Buffer y);

    void adaptiveAvgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx);

    /**
     * Crop-and-flip augmentation of {@code x [N, C, H, W]} into {@code y} (same shape, overwritten):
     * with {@code (oy, ox, f) = params[3n .. 3n+2]} (INT32 {@code [N, 3]}, offsets in {@code [0, 2·pad]}),
     * {@code y[n,c,i,j] = x[n, c, i+oy-pad, jj+ox-pad]}, {@code jj = f != 0 ? W-1-j : j}, and
     * {@code fill} where that lies outside the image. Not differentiable.
     */
    void cropFlip(Buffer x, Buffer params, Buffer y, int n, int c, int h, int w, int pad, float fill);

    /**
     * Batch norm with batch statistics over {@code [N, C, HW]}: writes {@code y}, the per-channel
     * mean and {@code 1/sqrt(var + eps)} (biased var) into {@code saveMean}/{@code saveInvstd}, and
     * when non-null updates {@code runningMean}/{@code runningVar} with {@code momentum} (running var
     * takes the unbiased variance). Null {@code gamma}/{@code beta} mean 1/0.
     */
    void batchNorm2dForwardTrain(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer runningMean, Buffer runningVar,
                                         Buffer saveMean, Buffer saveInvstd, int n, int c, int hw, float momentum, float eps);

    /** Batch norm with the running statistics: {@code y = (x − mean)/sqrt(var + eps)·gamma + beta}. */
    void batchNorm2dForwardEval(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer runningMean, Buffer runningVar,
                                        int n, int c, int hw, float eps);

    /** Training-mode backward from the saved statistics; {@code dx}, {@code dgamma}, {@code dbeta} may be null. */
    void batchNorm2dBackward(Buffer dy, Buffer x, Buffer gamma, Buffer saveMean, Buffer saveInvstd,
                                     Buffer dx, Buffer dgamma, Buffer dbeta, int n, int c, int hw);

    /** Blocks until queued work is done (no-op on synchronous backends). */
    default void synchronize() {
    }
}
