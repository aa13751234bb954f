package dev.kiln.cuda;

import dev.kiln.DType;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnDropoutStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNDataStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.Arrays;

import static dev.kiln.cuda.CudnnConv.check;
import static dev.kiln.cuda.CudnnConv.dev;
import static org.bytedeco.cuda.global.cudnn.*;

/**
 * One cuDNN LSTM layer through the v8 RNN API ({@code cudnnRNNForward},
 * {@code cudnnRNNBackwardData_v8}, {@code cudnnRNNBackwardWeights_v8}): the vendor baseline the
 * sequence benchmark times Kiln's fused LSTM cell against, on the same weights and inputs.
 *
 * <p>Shape: unidirectional, one layer, input size {@code I}, hidden {@code H}, batch {@code B},
 * {@code T} steps, every sequence full length, FP32 data and math, sequence-major unpacked
 * ({@code [T, B, I]} in, {@code [T, B, H]} out: Kiln's time-major layout) with padded I/O enabled
 * (which cuDNN requires for the unpacked layouts), one input bias
 * ({@code CUDNN_RNN_SINGLE_INP_BIAS}, like Kiln's single {@code [4H]} bias). Math:
 * {@code CUDNN_FMA_MATH} (true FP32), or {@code CUDNN_DEFAULT_MATH} (TF32 allowed) with
 * {@code kiln.cuda.conv.kernel=tf32} (FP32 RNNs reject {@code CUDNN_TENSOR_OP_MATH}). Weight gradients: the gradient space is zeroed, then accumulated with
 * {@code CUDNN_WGRAD_MODE_ADD} (the only mode {@code cudnnRNNBackwardWeights_v8} supports). All of
 * these come from {@link #settings}, which {@code CudnnLstmLayoutTest} checks; the cuDNN calls
 * themselves need a GPU.
 *
 * <p>{@link #setWeights} packs Kiln's {@code w [I, 4H]}, {@code u [H, 4H]} (gates i, f, g, o along
 * the columns, {@code x·w}) into cuDNN's weight space, where gate {@code k}'s matrices are
 * {@code [H, I]} and {@code [H, H]} (row-major, {@code W·x}): a transposing copy per gate, at the
 * addresses {@code cudnnGetRNNWeightParams} gives; cuDNN's gate order is Kiln's. {@link #weightGrads}
 * unpacks the weight gradients the same way. All device addresses passed in are FP32 arrays on
 * the backend's device; the work goes to the backend's current stream.
 *
 * <p>Like {@link CudnnConv}, this class is only touched when selected; under the emulator
 * {@link CudnnConv#of} says there is no cuDNN.
 */
public final class CudnnLstm implements AutoCloseable {

    private final CudaBackend be;
    private final CudnnConv cudnn;
    private final int in, hidden, batch, steps;
    private final String shape;
    private final cudnnRNNStruct rnn = new cudnnRNNStruct();
    private final cudnnDropoutStruct dropout = new cudnnDropoutStruct();
    private final cudnnRNNDataStruct xDesc = new cudnnRNNDataStruct();
    private final cudnnRNNDataStruct yDesc = new cudnnRNNDataStruct();
    private final cudnnTensorStruct hDesc = new cudnnTensorStruct();
    private final long weightBytes, workBytes, reserveBytes;
    private final Settings settings;
    private final CudaBuffer weights, dWeights, work, reserve, seqLengths, dropoutStates;
    /** Element offsets in the weight space: matrices of linear layers 0-7, then the biases of 0-3. */
    private final long[] matrixAt = new long[8], biasAt = new long[4];
    private long x, y, h0, c0;
    private boolean forwardDone;

    public CudnnLstm(CudaBackend be, int input, int hidden, int batch, int steps) {
        if (input < 1 || hidden < 1 || batch < 1 || steps < 1) {
            throw new IllegalArgumentException("CudnnLstm: sizes must be >= 1, got input " + input + ", hidden " + hidden
                    + ", batch " + batch + ", steps " + steps);
        }
        this.be = be;
        this.cudnn = CudnnConv.of(be);
        this.in = input;
        this.hidden = hidden;
        this.batch = batch;
        this.steps = steps;
        this.shape = "LSTM I" + input + " H" + hidden + " B" + batch + " T" + steps;
        cudnnContext h = cudnn.handle();

        SizeTPointer size = new SizeTPointer(1);
        check(cudnnCreateDropoutDescriptor(dropout), "cudnnCreateDropoutDescriptor", shape);
        check(cudnnDropoutGetStatesSize(h, size), "cudnnDropoutGetStatesSize", shape);
        dropoutStates = bytes(size.get());
        check(cudnnSetDropoutDescriptor(dropout, h, 0f, dev(dropoutStates.pointer()), size.get(), 1L),
                "cudnnSetDropoutDescriptor(0)", shape);

        settings = settings(be.options());
        int math = settings.mathType();
        check(cudnnCreateRNNDescriptor(rnn), "cudnnCreateRNNDescriptor", shape);
        check(cudnnSetRNNDescriptor_v8(rnn, CUDNN_RNN_ALGO_STANDARD, CUDNN_LSTM, CUDNN_RNN_SINGLE_INP_BIAS, CUDNN_UNIDIRECTIONAL,
                CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, math, input, hidden, hidden, 1, dropout,
                settings.paddedIo()), "cudnnSetRNNDescriptor_v8(" + settings + ")", shape);

        int[] lengths = new int[batch];
        Arrays.fill(lengths, steps);
        dataDesc(xDesc, input, lengths, "x");
        dataDesc(yDesc, hidden, lengths, "y");
        check(cudnnCreateTensorDescriptor(hDesc), "cudnnCreateTensorDescriptor(h)", shape);
        check(cudnnSetTensorNdDescriptor(hDesc, CUDNN_DATA_FLOAT, 3, new int[] {1, batch, hidden},
                new int[] {batch * hidden, hidden, 1}), "cudnnSetTensorNdDescriptor(h 1x" + batch + "x" + hidden + ")", shape);

        check(cudnnGetRNNWeightSpaceSize(h, rnn, size), "cudnnGetRNNWeightSpaceSize", shape);
        weightBytes = size.get();
        SizeTPointer reserveSize = new SizeTPointer(1);
        check(cudnnGetRNNTempSpaceSizes(h, rnn, CUDNN_FWD_MODE_TRAINING, xDesc, size, reserveSize), "cudnnGetRNNTempSpaceSizes",
                shape);
        workBytes = size.get();
        reserveBytes = reserveSize.get();
        weights = bytes(weightBytes);
        dWeights = bytes(weightBytes);
        work = bytes(workBytes);
        reserve = bytes(reserveBytes);
        seqLengths = (CudaBuffer) be.allocate(DType.INT32, batch);
        be.driver().copyHtoDAsync(be.driver().stream(), seqLengths.pointer(), lengths, 0, 4L * batch);
        locateParams(h);
        be.synchronize(); // the host array of lengths goes out of scope
    }

    private CudaBuffer bytes(long n) {
        return (CudaBuffer) be.allocate(DType.FLOAT32, Math.max(1, (n + 3) / 4));
    }

    private void dataDesc(cudnnRNNDataStruct d, int vector, int[] lengths, String what) {
        check(cudnnCreateRNNDataDescriptor(d), "cudnnCreateRNNDataDescriptor(" + what + ")", shape);
        FloatPointer fill = new FloatPointer(1).put(0f); // padding value: every sequence is full length, so never written
        check(cudnnSetRNNDataDescriptor(d, CUDNN_DATA_FLOAT, settings.dataLayout(), steps, batch, vector, lengths, fill),
                "cudnnSetRNNDataDescriptor(" + what + ", " + settings + ")", shape);
        fill.close();
    }

    /**
     * The descriptor settings of a Kiln LSTM under {@code options}, as passed to
     * {@code cudnnSetRNNDescriptor_v8}, {@code cudnnSetRNNDataDescriptor} and
     * {@code cudnnRNNBackwardWeights_v8}.
     *
     * @param dataLayout {@code CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED}: Kiln's time-major {@code [T, B, ·]}
     * @param paddedIo   {@code CUDNN_RNN_PADDED_IO_ENABLED}: cuDNN 9 accepts the unpacked layouts only with
     *                   padded I/O enabled (the packed layout is the only one for {@code DISABLED})
     * @param mathType   {@code CUDNN_FMA_MATH} (true FP32, like Kiln's default kernels); with
     *                   {@code kiln.cuda.conv.kernel=tf32} {@code CUDNN_DEFAULT_MATH}, which lets cuDNN use
     *                   TF32 tensor cores (an FP32 RNN rejects {@code CUDNN_TENSOR_OP_MATH}; PyTorch makes
     *                   the same two choices)
     * @param wgradMode  {@code CUDNN_WGRAD_MODE_ADD}, the only mode {@code cudnnRNNBackwardWeights_v8}
     *                   supports: {@link #backward} zeroes the gradient space first, so the result is the
     *                   gradient of the last forward alone
     */
    record Settings(int dataLayout, int paddedIo, int mathType, int wgradMode) {
        @Override
        public String toString() {
            return "layout " + (dataLayout == CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED ? "seq-major-unpacked" : dataLayout)
                    + ", padded I/O " + (paddedIo == CUDNN_RNN_PADDED_IO_ENABLED ? "enabled" : "disabled") + ", math "
                    + CudnnConv.mathName(mathType) + ", wgrad " + (wgradMode == CUDNN_WGRAD_MODE_ADD ? "add" : "set");
        }
    }

    /** The {@link Settings} for FP32 data under {@code options} (pure: no cuDNN call, tested without a GPU). */
    static Settings settings(CudaOptions options) {
        int math = options.convKernel() == CudaOptions.ConvKernel.TF32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
        return new Settings(CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED, CUDNN_RNN_PADDED_IO_ENABLED, math, CUDNN_WGRAD_MODE_ADD);
    }

    /** Where cuDNN keeps each gate's matrices and biases inside the weight space (element offsets). */
    private void locateParams(cudnnContext h) {
        cudnnTensorStruct mDesc = new cudnnTensorStruct(), bDesc = new cudnnTensorStruct();
        check(cudnnCreateTensorDescriptor(mDesc), "cudnnCreateTensorDescriptor(matrix)", shape);
        check(cudnnCreateTensorDescriptor(bDesc), "cudnnCreateTensorDescriptor(bias)", shape);
        long base = weights.pointer();
        try {
            for (int id = 0; id < 8; id++) {
                PointerPointer<Pointer> m = new PointerPointer<>(1), b = new PointerPointer<>(1);
                check(cudnnGetRNNWeightParams(h, rnn, 0, weightBytes, dev(base), id, mDesc, m, bDesc, b),
                        "cudnnGetRNNWeightParams(linLayerID " + id + ")", shape);
                long mAddr = m.get(0) == null ? 0 : m.get(0).address();
                long bAddr = b.get(0) == null ? 0 : b.get(0).address();
                long rows = hidden, cols = id < 4 ? in : hidden;
                if (mAddr == 0 || (mAddr - base) % 4 != 0 || mAddr - base + 4 * rows * cols > weightBytes) {
                    throw new CudaException("cudnnGetRNNWeightParams(linLayerID " + id + ") [" + shape + "]: matrix at 0x"
                            + Long.toHexString(mAddr) + " is not a " + rows + "x" + cols + " float matrix inside the "
                            + weightBytes + "-byte weight space at 0x" + Long.toHexString(base));
                }
                matrixAt[id] = (mAddr - base) / 4;
                if (id < 4) {
                    if (bAddr == 0 || (bAddr - base) % 4 != 0 || bAddr - base + 4L * hidden > weightBytes) {
                        throw new CudaException("cudnnGetRNNWeightParams(linLayerID " + id + ") [" + shape
                                + "]: no input bias of " + hidden + " floats inside the weight space");
                    }
                    biasAt[id] = (bAddr - base) / 4;
                }
            }
        } finally {
            cudnnDestroyTensorDescriptor(mDesc);
            cudnnDestroyTensorDescriptor(bDesc);
        }
    }

    /**
     * Copies Kiln's parameters into the weight space: {@code w [I, 4H]}, {@code u [H, 4H]},
     * {@code bias [4H]} (device addresses), gates i, f, g, o.
     */
    public void setWeights(CudaBuffer w, CudaBuffer u, CudaBuffer bias) {
        pack(be, w, u, bias, weights, matrixAt, biasAt, in, hidden);
    }

    /**
     * Kiln's {@code w [I, 4H]}, {@code u [H, 4H]}, {@code bias [4H]} into a cuDNN weight space whose
     * gate-k matrices start at element {@code matrixAt[k]} (input, {@code [H, I]}) and
     * {@code matrixAt[4 + k]} (recurrent, {@code [H, H]}), biases at {@code biasAt[k]}:
     * {@code W_k[r][c] = w[c][k·H + r]}, one transposing strided copy per matrix.
     */
    static void pack(CudaBackend be, CudaBuffer w, CudaBuffer u, CudaBuffer bias, CudaBuffer space, long[] matrixAt, long[] biasAt,
                     int in, int hidden) {
        for (int k = 0; k < 4; k++) {
            be.copyStrided(w, (long) k * hidden, new int[] {1, 4 * hidden}, space, matrixAt[k], new int[] {in, 1},
                    new int[] {hidden, in});
            be.copyStrided(u, (long) k * hidden, new int[] {1, 4 * hidden}, space, matrixAt[4 + k], new int[] {hidden, 1},
                    new int[] {hidden, hidden});
            be.copyStrided(bias, (long) k * hidden, new int[] {1}, space, biasAt[k], new int[] {1}, new int[] {hidden});
        }
    }

    /** The inverse of {@link #pack}: a cuDNN-layout space back to {@code w}, {@code u}, {@code bias}. */
    static void unpack(CudaBackend be, CudaBuffer space, long[] matrixAt, long[] biasAt, CudaBuffer w, CudaBuffer u, CudaBuffer bias,
                       int in, int hidden) {
        for (int k = 0; k < 4; k++) {
            be.copyStrided(space, matrixAt[k], new int[] {1, in}, w, (long) k * hidden, new int[] {4 * hidden, 1},
                    new int[] {in, hidden});
            be.copyStrided(space, matrixAt[4 + k], new int[] {1, hidden}, u, (long) k * hidden, new int[] {4 * hidden, 1},
                    new int[] {hidden, hidden});
            be.copyStrided(space, biasAt[k], new int[] {1}, bias, (long) k * hidden, new int[] {1}, new int[] {hidden});
        }
    }

    /**
     * Training-mode forward (keeps the reserve space for {@link #backward}): {@code x [T, B, I]},
     * initial states {@code h0, c0 [B, H]} (0 for zeros), outputs {@code y [T, B, H]} (every
     * h_t) and the last states {@code hT, cT} (0 to skip). Device addresses.
     */
    public void forward(long x, long h0, long c0, long y, long hT, long cT) {
        check(cudnnRNNForward(cudnn.handle(), rnn, CUDNN_FWD_MODE_TRAINING, devInts(seqLengths.pointer()), xDesc, dev(x), yDesc,
                dev(y), hDesc, dev(h0), dev(hT), hDesc, dev(c0), dev(cT), weightBytes, dev(weights.pointer()), workBytes,
                dev(work.pointer()), reserveBytes, dev(reserve.pointer())), "cudnnRNNForward", shape);
        this.x = x;
        this.y = y;
        this.h0 = h0;
        this.c0 = c0;
        forwardDone = true;
    }

    /**
     * Backward of the last {@link #forward}: {@code dy [T, B, H]} (gradient of every h_t) to
     * {@code dx [T, B, I]}, {@code dh0}, {@code dc0} ({@code [B, H]}, 0 to skip), then the weight
     * gradients into cuDNN's gradient space ({@link #weightGrads} unpacks them).
     */
    public void backward(long dy, long dx, long dh0, long dc0) {
        if (!forwardDone) {
            throw new IllegalStateException("CudnnLstm.backward needs a forward first [" + shape + "]");
        }
        check(cudnnRNNBackwardData_v8(cudnn.handle(), rnn, devInts(seqLengths.pointer()), yDesc, dev(y), dev(dy), xDesc, dev(dx),
                hDesc, dev(h0), dev(0), dev(dh0), hDesc, dev(c0), dev(0), dev(dc0), weightBytes, dev(weights.pointer()),
                workBytes, dev(work.pointer()), reserveBytes, dev(reserve.pointer())), "cudnnRNNBackwardData_v8", shape);
        // ADD is the only mode cudnnRNNBackwardWeights_v8 supports: start from zero, stream-ordered on the handle's stream.
        be.driver().memsetD8(dWeights.pointer(), (byte) 0, weightBytes);
        check(cudnnRNNBackwardWeights_v8(cudnn.handle(), rnn, settings.wgradMode(), devInts(seqLengths.pointer()), xDesc, dev(x),
                hDesc, dev(h0), yDesc, dev(y), weightBytes, dev(dWeights.pointer()), workBytes, dev(work.pointer()),
                reserveBytes, dev(reserve.pointer())), "cudnnRNNBackwardWeights_v8", shape);
    }

    /** The last {@link #backward}'s weight gradients in Kiln's layout: {@code dw [I, 4H]}, {@code du [H, 4H]}, {@code db [4H]}. */
    public void weightGrads(CudaBuffer dw, CudaBuffer du, CudaBuffer db) {
        unpack(be, dWeights, matrixAt, biasAt, dw, du, db, in, hidden);
    }

    /** Device address and byte size of cuDNN's weight-gradient space (for poisoning it before a checked call). */
    public long gradientSpace() {
        return dWeights.pointer();
    }

    public long weightSpaceBytes() {
        return weightBytes;
    }

    /** Weight-space, workspace and reserve sizes, for the benchmark's notes. */
    public String spaces() {
        return "weights " + (weightBytes >> 10) + " KiB, workspace " + (workBytes >> 10) + " KiB, reserve " + (reserveBytes >> 10)
                + " KiB";
    }

    private static IntPointer devInts(long address) {
        return new IntPointer(dev(address));
    }

    @Override
    public void close() {
        be.synchronize();
        cudnnDestroyRNNDataDescriptor(xDesc);
        cudnnDestroyRNNDataDescriptor(yDesc);
        cudnnDestroyTensorDescriptor(hDesc);
        cudnnDestroyRNNDescriptor(rnn);
        cudnnDestroyDropoutDescriptor(dropout);
        for (CudaBuffer b : new CudaBuffer[] {weights, dWeights, work, reserve, seqLengths, dropoutStates}) {
            b.close();
        }
    }
}
