package dev.kiln.cuda;

import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.UnaryOp;
import dev.kiln.kernels.Kernels.Elementwise;
import dev.kiln.kernels.Kernels.Entry;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The elementwise part of {@link CudaBackend} ({@code kernels/src/elementwise.cu}): one forward and
 * one backward kernel per {@link UnaryOp}, one same-shape and one broadcasting kernel per
 * {@link BinaryOp}. Broadcasts over more axes than {@code KilnBroadcast} holds are split into one
 * launch per index of the leading axis.
 */
final class CudaElementwise {

    /** Axes a {@code KilnBroadcast} descriptor holds. */
    static final int BCAST_DIMS = 6;

    /** Forward, backward kernel of each unary op. */
    static final Map<UnaryOp, Entry[]> UNARY = new EnumMap<>(UnaryOp.class);
    /** Same-shape, broadcasting kernel of each binary op. */
    static final Map<BinaryOp, Entry[]> BINARY = new EnumMap<>(BinaryOp.class);

    static {
        UNARY.put(UnaryOp.RELU, new Entry[] {Elementwise.RELU_F32, Elementwise.RELU_BACKWARD_F32});
        UNARY.put(UnaryOp.LEAKY_RELU, new Entry[] {Elementwise.LEAKY_RELU_F32, Elementwise.LEAKY_RELU_BACKWARD_F32});
        UNARY.put(UnaryOp.GELU, new Entry[] {Elementwise.GELU_F32, Elementwise.GELU_BACKWARD_F32});
        UNARY.put(UnaryOp.GELU_ERF, new Entry[] {Elementwise.GELU_ERF_F32, Elementwise.GELU_ERF_BACKWARD_F32});
        UNARY.put(UnaryOp.TANH, new Entry[] {Elementwise.TANH_F32, Elementwise.TANH_BACKWARD_F32});
        UNARY.put(UnaryOp.SIGMOID, new Entry[] {Elementwise.SIGMOID_F32, Elementwise.SIGMOID_BACKWARD_F32});
        UNARY.put(UnaryOp.EXP, new Entry[] {Elementwise.EXP_F32, Elementwise.EXP_BACKWARD_F32});
        UNARY.put(UnaryOp.LOG, new Entry[] {Elementwise.LOG_F32, Elementwise.LOG_BACKWARD_F32});
        UNARY.put(UnaryOp.NEG, new Entry[] {Elementwise.NEG_F32, Elementwise.NEG_BACKWARD_F32});
        UNARY.put(UnaryOp.SQRT, new Entry[] {Elementwise.SQRT_F32, Elementwise.SQRT_BACKWARD_F32});
        UNARY.put(UnaryOp.SQUARE, new Entry[] {Elementwise.SQUARE_F32, Elementwise.SQUARE_BACKWARD_F32});
        UNARY.put(UnaryOp.ABS, new Entry[] {Elementwise.ABS_F32, Elementwise.ABS_BACKWARD_F32});
        UNARY.put(UnaryOp.SOFTPLUS, new Entry[] {Elementwise.SOFTPLUS_F32, Elementwise.SOFTPLUS_BACKWARD_F32});
        UNARY.put(UnaryOp.SCALE, new Entry[] {Elementwise.SCALE_F32, Elementwise.SCALE_BACKWARD_F32});
        UNARY.put(UnaryOp.ADD_SCALAR, new Entry[] {Elementwise.ADD_SCALAR_F32, Elementwise.ADD_SCALAR_BACKWARD_F32});
        UNARY.put(UnaryOp.POW, new Entry[] {Elementwise.POW_F32, Elementwise.POW_BACKWARD_F32});
        BINARY.put(BinaryOp.ADD, new Entry[] {Elementwise.ADD_F32, Elementwise.ADD_BCAST_F32});
        BINARY.put(BinaryOp.SUB, new Entry[] {Elementwise.SUB_F32, Elementwise.SUB_BCAST_F32});
        BINARY.put(BinaryOp.MUL, new Entry[] {Elementwise.MUL_F32, Elementwise.MUL_BCAST_F32});
        BINARY.put(BinaryOp.DIV, new Entry[] {Elementwise.DIV_F32, Elementwise.DIV_BCAST_F32});
        BINARY.put(BinaryOp.MAX, new Entry[] {Elementwise.MAX_F32, Elementwise.MAX_BCAST_F32});
        BINARY.put(BinaryOp.MIN, new Entry[] {Elementwise.MIN_F32, Elementwise.MIN_BCAST_F32});
        BINARY.put(BinaryOp.EQ, new Entry[] {Elementwise.EQ_F32, Elementwise.EQ_BCAST_F32});
        BINARY.put(BinaryOp.LT, new Entry[] {Elementwise.LT_F32, Elementwise.LT_BCAST_F32});
        BINARY.put(BinaryOp.GT, new Entry[] {Elementwise.GT_F32, Elementwise.GT_BCAST_F32});
    }

    private final CudaBackend be;

    CudaElementwise(CudaBackend be) {
        this.be = be;
    }

    /** Whether the backward kernel takes the output y (else the input x) as its saved value. */
    static boolean savesOutput(UnaryOp op) {
        return op == UnaryOp.TANH || op == UnaryOp.SIGMOID || op == UnaryOp.EXP || op == UnaryOp.SQRT;
    }

    void unary(UnaryOp op, float alpha, CudaBuffer x, CudaBuffer y, long n) {
        if (n > 0) {
            be.begin().ptr(x.pointer()).ptr(y.pointer()).i64(n).f32(alpha);
            be.launch1d(UNARY.get(op)[0], n);
        }
    }

    void unaryBackward(UnaryOp op, float alpha, CudaBuffer x, CudaBuffer y, CudaBuffer gy, CudaBuffer gx, long n) {
        if (n > 0) {
            be.begin().ptr(gy.pointer()).ptr(savesOutput(op) ? y.pointer() : x.pointer()).ptr(gx.pointer()).i64(n).f32(alpha);
            be.launch1d(UNARY.get(op)[1], n);
        }
    }

    void binary(BinaryOp op, CudaBuffer a, int[] aStrides, CudaBuffer b, int[] bStrides, CudaBuffer out, int[] outShape) {
        if (CudaMemory.numel(outShape) == 0) {
            return;
        }
        int rank = outShape.length;
        int[] outStrides = new int[rank];
        for (int k = rank - 1, s = 1; k >= 0; k--) {
            outStrides[k] = s;
            s *= outShape[k];
        }
        int[][] c = CudaMemory.collapse(outShape, outStrides, rank == 0 ? new int[0] : aStrides, rank == 0 ? new int[0] : bStrides);
        binaryCollapsed(BINARY.get(op), a, 0, b, 0, out, 0, c[0], c[1], c[2], c[3]);
    }

    private void binaryCollapsed(Entry[] kernels, CudaBuffer as, long aOff, CudaBuffer bs, long bOff, CudaBuffer os, long oOff,
                                 int[] shape, int[] so, int[] sa, int[] sb) {
        long n = CudaMemory.numel(shape);
        int nd = shape.length;
        if (nd == 1 && (shape[0] == 1 || sa[0] == 1 && sb[0] == 1)) {
            be.begin().ptr(as.pointer(aOff)).ptr(bs.pointer(bOff)).ptr(os.pointer(oOff)).i64(n);
            be.launch1d(kernels[0], n);
        } else if (nd > BCAST_DIMS) {
            // More axes than KilnBroadcast holds: one launch per index of the leading axis.
            int[] rs = Arrays.copyOfRange(shape, 1, nd);
            int[] rso = Arrays.copyOfRange(so, 1, nd), rsa = Arrays.copyOfRange(sa, 1, nd), rsb = Arrays.copyOfRange(sb, 1, nd);
            for (int i = 0; i < shape[0]; i++) {
                binaryCollapsed(kernels, as, aOff + (long) i * sa[0], bs, bOff + (long) i * sb[0], os, oOff + (long) i * so[0],
                        rs, rso, rsa, rsb);
            }
        } else {
            be.begin().ptr(as.pointer(aOff)).ptr(bs.pointer(bOff)).ptr(os.pointer(oOff))
                    .struct(CudaMemory.descriptor(BCAST_DIMS, shape, sa, sb));
            be.launch1d(kernels[1], n);
        }
    }
}
