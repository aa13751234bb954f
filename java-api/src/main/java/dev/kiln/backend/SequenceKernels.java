package dev.kiln.backend;

/**
 * The sequence kernel family: layer norm, fused scaled-dot-product attention and the fused LSTM
 * cell, FLOAT32. Reached as {@link Backend#sequence()}; the CPU reference is {@code CpuSequence},
 * the CUDA kernels are {@code layernorm.cu}, {@code attention.cu} and {@code lstm.cu} behind
 * {@code CudaSequence}. Buffers follow the {@link Backend} conventions; lengths ({@code kvLen},
 * {@code len}) are nullable INT32 buffers of one entry per batch row.
 */
public interface SequenceKernels {


    /**
     * Layer norm over the last axis of {@code [rows, cols]}: {@code y = (x - mean)·rstd·gamma + beta}
     * ({@code gamma}, {@code beta} nullable); also writes {@code mean} and {@code rstd} ({@code [rows]})
     * for the backward.
     */
    void layerNorm(Buffer x, Buffer gamma, Buffer beta, Buffer y, Buffer mean, Buffer rstd, int rows, int cols, float eps);

    /** Gradients of {@link #layerNorm}: {@code gx} overwritten; {@code dgamma}, {@code dbeta} (nullable) overwritten. */
    void layerNormBackward(Buffer gy, Buffer x, Buffer gamma, Buffer mean, Buffer rstd, Buffer gx,
                           Buffer dgamma, Buffer dbeta, int rows, int cols);

    /**
     * Scaled-dot-product attention on contiguous {@code q [B,H,Lq,D]}, {@code k [B,H,Lk,D]},
     * {@code v [B,H,Lk,Dv]} (D and Dv from {@code g}; {@code o} and {@code dout} are {@code [B,H,Lq,Dv]}):
     * {@code o = softmax(q kᵀ·scale + mask) v}, and {@code lse [B,H,Lq]} the natural-log logsumexp
     * of the masked, scaled scores. Key j is masked for query i when {@code j >= kvLen[b]} or,
     * when causal, {@code j > i}. A row with no visible key gets {@code o = 0}, {@code lse = -inf}.
     */
    void attention(AttentionGeometry g, Buffer q, Buffer k, Buffer v, Buffer o, Buffer lse, Buffer kvLen);

    /** Gradients of {@link #attention} from its saved {@code o}, {@code lse}; all of dq, dk, dv overwritten. */
    void attentionBackward(AttentionGeometry g, Buffer q, Buffer k, Buffer v, Buffer o, Buffer lse, Buffer dout,
                           Buffer dq, Buffer dk, Buffer dv, Buffer kvLen);

    /**
     * One LSTM step for {@code batch} rows (gate order i, f, g, o): {@code pre = gatesX + gatesH + bias},
     * {@code c = f·cPrev + i·g}, {@code h = o·tanh(c)}; {@code gates} keeps the activated gates.
     * Buffers are {@link BufferView}s (element offsets) so time-major sequences need no copies;
     * {@code gatesH}, {@code bias}, {@code hPrev}, {@code cPrev}, {@code len} are nullable (zero).
     * With {@code len}, rows where {@code t >= len[row]} keep {@code h = hPrev}, {@code c = cPrev}, gates 0.
     */
    void lstmCell(LstmStep s, BufferView gatesX, Buffer gatesH, Buffer bias, BufferView hPrev, BufferView cPrev,
                  BufferView h, BufferView c, BufferView gates, Buffer len);

    /**
     * Backward of {@link #lstmCell}: from {@code dhOut} (the output gradient at this step, nullable),
     * {@code dhRec} (the recurrent gradient, nullable) and {@code dcNext} (nullable) writes
     * {@code dGates} (pre-activation gradients) and {@code dcPrev} (may alias {@code dcNext}); with
     * {@code len}, masked rows pass {@code dcPrev = dcNext}, {@code dhCarry = dhOut + dhRec} and
     * others write {@code dhCarry = 0} ({@code dhCarry} unused without {@code len}).
     */
    void lstmCellBackward(LstmStep s, BufferView dhOut, Buffer dhRec, Buffer dcNext, BufferView gates, BufferView cPrev,
                          BufferView c, BufferView dGates, Buffer dcPrev, Buffer dhCarry, Buffer len);
}
