package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.ConvGeometry;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.PoolGeometry;
import dev.kiln.backend.VisionKernels;
import dev.kiln.kernels.Kernels;
import dev.kiln.kernels.Kernels.Conv;
import dev.kiln.kernels.Kernels.Entry;
import dev.kiln.kernels.Kernels.Norm;
import dev.kiln.kernels.Kernels.Pool;

import java.lang.ref.Reference;

/**
 * The {@link VisionKernels} family on CUDA: launches of the {@code conv}, {@code pool}, {@code augment} and
 * {@code norm} kernel families with the geometry structs passed by value
 * ({@link LaunchArgs#struct32}), grids as {@code kernels/CONV.md} specifies.
 *
 * <p>Switches: {@code kiln.cuda.conv.kernel=fp32|tf32} ({@link CudaOptions}) picks the forward, data-gradient
 * and weight-gradient kernels (tf32 is opt-in, like PyTorch's {@code allow_tf32}); {@code kiln.cuda.conv.splits=N} forces the
 * weight-gradient reduction split (default: the CONV.md starting rule). The vendor path
 * ({@code kiln.cuda.impl[.conv|.batchNorm]=vendor}) hands the op to cuDNN ({@link CudnnConv});
 * under the emulator selecting it fails saying there is no cuDNN.
 */
public final class CudaVision implements VisionKernels {

    /** Registers this family for the CUDA backend. */
    public static final class Provider extends FamilyProvider<VisionKernels, CudaBackend> {
        public Provider() {
            super(VisionKernels.class, CudaBackend.class, CudaVision::new);
        }
    }

    private static final int BLOCK = 256;
    private static final int TILE = 64;
    private static final int MAX_GRID = 65535;
    /** SM count the split rule assumes (an H100 SXM); the rule is a starting point, not measured. */
    private static final int ASSUMED_SMS = 132;

    private final CudaBackend be;

    CudaVision(CudaBackend be) {
        this.be = be;
    }

    private long ptr(Buffer b) {
        if (b == null) {
            return 0;
        }
        if (!(b instanceof CudaBuffer) || ((CudaBuffer) b).backend() != be) {
            throw new IllegalArgumentException("Buffer " + b + " does not belong to the CUDA backend " + be.name());
        }
        CudaBuffer c = (CudaBuffer) b;
        if (c.dtype() != DType.FLOAT32 && c.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Expected a FLOAT32 (or INT64 index) buffer, got " + c.dtype());
        }
        return c.pointer();
    }

    private static int ceil(long a, long b) {
        return (int) ((a + b - 1) / b);
    }

    private static int grid1d(long n) {
        return (int) Math.max(1, Math.min(MAX_GRID, (n + BLOCK - 1) / BLOCK));
    }

    /** Whether {@code op} goes to cuDNN ({@code kiln.cuda.impl[.op]=vendor}); {@link CudnnConv} is only touched when selected. */
    private boolean vendor(String op) {
        return be.vendor(op, "cuDNN");
    }

    // ---- convolution -------------------------------------------------------------------------

    /** The conv passes with a kernel per layout and precision. */
    enum Pass { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHT }

    /** The entry point of {@code pass} for {@code g}'s layout (NCHW or NHWC) and {@code kiln.cuda.conv.kernel} (FP32 or TF32). */
    static Entry kernel(Pass pass, ConvGeometry g, CudaOptions.ConvKernel precision) {
        boolean tf32 = precision == CudaOptions.ConvKernel.TF32, nhwc = g.nhwc();
        switch (pass) {
            case FORWARD:
                return nhwc ? (tf32 ? Conv.FORWARD_NHWC_TF32_F32 : Conv.FORWARD_NHWC_F32) : (tf32 ? Conv.FORWARD_TF32_F32 : Conv.FORWARD_F32);
            case BACKWARD_DATA:
                return nhwc ? (tf32 ? Conv.BACKWARD_DATA_NHWC_TF32_F32 : Conv.BACKWARD_DATA_NHWC_F32)
                        : (tf32 ? Conv.BACKWARD_DATA_TF32_F32 : Conv.BACKWARD_DATA_F32);
            default:
                return nhwc ? (tf32 ? Conv.BACKWARD_WEIGHT_NHWC_TF32_F32 : Conv.BACKWARD_WEIGHT_NHWC_F32)
                        : (tf32 ? Conv.BACKWARD_WEIGHT_TF32_F32 : Conv.BACKWARD_WEIGHT_F32);
        }
    }

    @Override
    public void conv2dForward(ConvGeometry g, Buffer x, Buffer w, Buffer bias, Buffer y, boolean relu) {
        if (vendor("conv")) {
            CudnnConv.of(be).forward(g, x, w, bias, y, relu);
            return;
        }
        Entry kernel = kernel(Pass.FORWARD, g, be.options().convKernel());
        int[] grid = {ceil((long) g.n() * g.p() * g.q(), TILE), ceil(g.kg(), TILE), g.groups()};
        be.launch(kernel, grid, new int[] {BLOCK, 1, 1}, 0,
                a -> a.struct32(g.fields()).ptr(ptr(x)).ptr(ptr(w)).ptr(ptr(bias)).ptr(ptr(y)).i32(relu ? 1 : 0));
        Reference.reachabilityFence(new Object[] {x, w, bias, y});
    }

    @Override
    public void conv2dBackwardData(ConvGeometry g, Buffer dy, Buffer w, Buffer dx) {
        if (vendor("conv")) {
            CudnnConv.of(be).backwardData(g, dy, w, dx);
            return;
        }
        int[] grid = {ceil((long) g.n() * g.h() * g.w(), TILE), ceil(g.cg(), TILE), g.groups()};
        be.launch(kernel(Pass.BACKWARD_DATA, g, be.options().convKernel()), grid, new int[] {BLOCK, 1, 1}, 0,
                a -> a.struct32(g.fields()).ptr(ptr(dy)).ptr(ptr(w)).ptr(ptr(dx)));
        Reference.reachabilityFence(new Object[] {dy, w, dx});
    }

    /** Reduction slices for the weight gradient: CONV.md's starting rule, or {@code kiln.cuda.conv.splits}. */
    static int splits(ConvGeometry g, int forced) {
        long npq = (long) g.n() * g.p() * g.q();
        long tiles = (long) ceil((long) g.cg() * g.r() * g.s(), TILE) * ceil(g.kg(), TILE) * g.groups();
        long s = forced > 0 ? forced : Math.min((2L * ASSUMED_SMS + tiles - 1) / tiles, (npq + 1023) / 1024);
        s = Math.min(s, npq);
        s = Math.min(s, MAX_GRID / g.groups());
        return (int) Math.max(1, s);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Buffer x, Buffer dy, Buffer dw) {
        if (vendor("conv")) {
            CudnnConv.of(be).backwardFilter(g, x, dy, dw);
            return;
        }
        int splits = splits(g, be.options().convSplits());
        long count = (long) g.k() * g.cg() * g.r() * g.s();
        Buffer ws = splits == 1 ? dw : be.allocate(DType.FLOAT32, splits * count);
        try {
            int[] grid = {ceil((long) g.cg() * g.r() * g.s(), TILE), ceil(g.kg(), TILE), g.groups() * splits};
            be.launch(kernel(Pass.BACKWARD_WEIGHT, g, be.options().convKernel()), grid, new int[] {BLOCK, 1, 1}, 0,
                    a -> a.struct32(g.fields()).ptr(ptr(x)).ptr(ptr(dy)).ptr(ptr(ws)).i32(splits));
            if (splits > 1) {
                int rg = (int) Math.max(1, Math.min(4096, (count + BLOCK - 1) / BLOCK));
                be.launch(Conv.BACKWARD_WEIGHT_REDUCE_F32, new int[] {rg, 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                        a -> a.ptr(ptr(ws)).ptr(ptr(dw)).i64(count).i32(splits));
            }
        } finally {
            if (ws != dw) {
                // Back to the caching allocator; later work on the same stream is ordered after the reduce.
                ws.close();
            }
        }
        Reference.reachabilityFence(new Object[] {x, dy, dw});
    }

    @Override
    public void conv2dBackwardBias(ConvGeometry g, Buffer dy, Buffer db) {
        if (vendor("conv")) {
            CudnnConv.of(be).backwardBias(g, dy, db);
            return;
        }
        if (g.nhwc()) {
            // dy is a [N·P·Q, K] matrix: the bias gradient is its column sum.
            be.reduce(dev.kiln.backend.ReduceOp.SUM, dy, 1, g.n() * g.p() * g.q(), g.k(), db);
            return;
        }
        be.launch(Conv.BACKWARD_BIAS_F32, new int[] {g.k(), 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                a -> a.struct32(g.fields()).ptr(ptr(dy)).ptr(ptr(db)));
        Reference.reachabilityFence(new Object[] {dy, db});
    }

    // ---- pooling -----------------------------------------------------------------------------

    private void pool(Entry kernel, long count, java.util.function.Consumer<LaunchArgs> params) {
        be.launch(kernel, new int[] {grid1d(count), 1, 1}, new int[] {BLOCK, 1, 1}, 0, params);
    }

    private static long outCount(PoolGeometry g) {
        return (long) g.n() * g.c() * g.p() * g.q();
    }

    private static long inCount(PoolGeometry g) {
        return (long) g.n() * g.c() * g.h() * g.w();
    }

    @Override
    public void maxPool2dForward(PoolGeometry g, Buffer x, Buffer y, Buffer idx) {
        pool(Pool.MAX2D_FORWARD_F32, outCount(g), a -> a.struct32(g.fields()).ptr(ptr(x)).ptr(ptr(y)).ptr(ptr(idx)));
        Reference.reachabilityFence(new Object[] {x, y, idx});
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Buffer dy, Buffer idx, Buffer dx) {
        pool(Pool.MAX2D_BACKWARD_F32, inCount(g), a -> a.struct32(g.fields()).ptr(ptr(dy)).ptr(ptr(idx)).ptr(ptr(dx)));
        Reference.reachabilityFence(new Object[] {dy, idx, dx});
    }

    @Override
    public void avgPool2dForward(PoolGeometry g, Buffer x, Buffer y, boolean cip) {
        pool(Pool.AVG2D_FORWARD_F32, outCount(g), a -> a.struct32(g.fields()).ptr(ptr(x)).ptr(ptr(y)).i32(cip ? 1 : 0));
        Reference.reachabilityFence(new Object[] {x, y});
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx, boolean cip) {
        pool(Pool.AVG2D_BACKWARD_F32, inCount(g), a -> a.struct32(g.fields()).ptr(ptr(dy)).ptr(ptr(dx)).i32(cip ? 1 : 0));
        Reference.reachabilityFence(new Object[] {dy, dx});
    }

    @Override
    public void adaptiveAvgPool2dForward(PoolGeometry g, Buffer x, Buffer y) {
        pool(Pool.ADAPTIVE_AVG2D_FORWARD_F32, outCount(g), a -> a.struct32(g.fields()).ptr(ptr(x)).ptr(ptr(y)));
        Reference.reachabilityFence(new Object[] {x, y});
    }

    @Override
    public void adaptiveAvgPool2dBackward(PoolGeometry g, Buffer dy, Buffer dx) {
        pool(Pool.ADAPTIVE_AVG2D_BACKWARD_F32, inCount(g), a -> a.struct32(g.fields()).ptr(ptr(dy)).ptr(ptr(dx)));
        Reference.reachabilityFence(new Object[] {dy, dx});
    }

    // ---- augmentation ------------------------------------------------------------------------

    @Override
    public void cropFlip(Buffer x, Buffer params, Buffer y, int n, int c, int h, int w, int pad, float fill) {
        if (!(params instanceof CudaBuffer) || ((CudaBuffer) params).backend() != be || params.dtype() != DType.INT32) {
            throw new IllegalArgumentException("cropFlip parameters must be an INT32 buffer of the CUDA backend " + be.name()
                    + ", got " + params);
        }
        long pp = ((CudaBuffer) params).pointer();
        long count = (long) n * c * h * w;
        be.launch(Kernels.Augment.CROP_FLIP_F32, new int[] {grid1d(count), 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(ptr(x)).ptr(pp).ptr(ptr(y)).i32(n).i32(c).i32(h).i32(w).i32(pad).f32(fill));
        Reference.reachabilityFence(new Object[] {x, params, y});
    }

    // ---- batch norm --------------------------------------------------------------------------

    @Override
    public void batchNorm2dForwardTrain(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer rm, Buffer rv, Buffer sm, Buffer si,
                        int n, int c, int hw, float momentum, float eps) {
        if (vendor("batchNorm")) {
            CudnnConv.of(be).batchNormTrain(x, y, gamma, beta, rm, rv, sm, si, n, c, hw, momentum, eps);
            return;
        }
        be.launch(Norm.BATCH2D_FORWARD_TRAIN_F32, new int[] {c, 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(ptr(x)).ptr(ptr(y)).ptr(ptr(gamma)).ptr(ptr(beta)).ptr(ptr(rm)).ptr(ptr(rv)).ptr(ptr(sm)).ptr(ptr(si))
                        .i64(n).i64(c).i64(hw).f32(momentum).f32(eps));
        Reference.reachabilityFence(new Object[] {x, y, gamma, beta, rm, rv, sm, si});
    }

    @Override
    public void batchNorm2dForwardEval(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer rm, Buffer rv, int n, int c, int hw, float eps) {
        if (vendor("batchNorm")) {
            CudnnConv.of(be).batchNormEval(x, y, gamma, beta, rm, rv, n, c, hw, eps);
            return;
        }
        be.launch(Norm.BATCH2D_FORWARD_EVAL_F32, new int[] {grid1d((long) n * c * hw), 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(ptr(x)).ptr(ptr(y)).ptr(ptr(gamma)).ptr(ptr(beta)).ptr(ptr(rm)).ptr(ptr(rv))
                        .i64(n).i64(c).i64(hw).f32(eps));
        Reference.reachabilityFence(new Object[] {x, y, gamma, beta, rm, rv});
    }

    @Override
    public void batchNorm2dBackward(Buffer dy, Buffer x, Buffer gamma, Buffer sm, Buffer si, Buffer dx, Buffer dg, Buffer db,
                           int n, int c, int hw) {
        if (vendor("batchNorm")) {
            CudnnConv.of(be).batchNormBackward(dy, x, gamma, sm, si, dx, dg, db, n, c, hw);
            return;
        }
        be.launch(Norm.BATCH2D_BACKWARD_F32, new int[] {c, 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(ptr(dy)).ptr(ptr(x)).ptr(ptr(gamma)).ptr(ptr(sm)).ptr(ptr(si)).ptr(ptr(dx)).ptr(ptr(dg)).ptr(ptr(db))
                        .i64(n).i64(c).i64(hw));
        Reference.reachabilityFence(new Object[] {dy, x, gamma, sm, si, dx, dg, db});
    }
}
