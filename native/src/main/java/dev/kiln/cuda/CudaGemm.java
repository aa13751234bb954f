package dev.kiln.cuda;

import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.UnaryOp;
import dev.kiln.kernels.Kernels;
import dev.kiln.kernels.Kernels.Entry;

import java.lang.ref.Reference;

/**
 * The GEMM part of {@link CudaBackend} ({@code kernels/src/gemm.cu}, {@code GEMM.md}). Our kernels
 * apply the {@link Gemm.Epilogue} themselves: the bias pointer and the activation code go into the
 * launch, so {@code act(alpha·op(A)·op(B) + beta·C + bias)} is one kernel, for every shape, batch
 * stride and kernel variant (they handle ragged edges and K = 0). cuBLAS ({@code kiln.cuda.impl.gemm=vendor})
 * has no such epilogue: there the bias and the activation are composed as two more launches after
 * the product, which needs C contiguous from offset 0.
 */
final class CudaGemm {

    private static final int MAX_BATCH = 65535;

    private final CudaBackend be;

    CudaGemm(CudaBackend be) {
        this.be = be;
    }

    /** Our kernel for {@code variant}: the vectorised one when pointers, leading dimensions and strides allow. */
    static Entry kernel(CudaOptions.GemmKernel variant, boolean aligned) {
        switch (variant) {
            case NAIVE: return Kernels.Gemm.NAIVE_F32;
            case TF32: return aligned ? Kernels.Gemm.TF32V4_F32 : Kernels.Gemm.TF32_F32;
            default: return aligned ? Kernels.Gemm.SIMTV4_F32 : Kernels.Gemm.SIMT_F32;
        }
    }

    private static boolean aligned(long a, long b, long c, int lda, int ldb, int ldc, long sa, long sb, long sc) {
        return ((a | b | c) & 15) == 0 && ((lda | ldb | ldc) & 3) == 0 && ((sa | sb | sc) & 3) == 0;
    }

    /**
     * {@code C = act(alpha·op(A)·op(B) + beta·C + bias)}. {@code fused} false runs our kernel without
     * the epilogue and composes it as on the vendor path (for tests comparing the two).
     */
    void gemm(Gemm g, BufferView av, BufferView bv, BufferView cv, Gemm.Epilogue epilogue, boolean fused) {
        CudaBuffer as = be.floats(av.buffer()), bs = be.floats(bv.buffer()), cs = be.floats(cv.buffer());
        CudaBuffer bias = epilogue == null || epilogue.bias() == null ? null : be.floats(epilogue.bias());
        UnaryOp act = epilogue == null ? null : epilogue.unaryOp();
        if (g.batch() == 0 || g.m() == 0 || g.n() == 0) {
            return;
        }
        long aOff = av.offset(), bOff = bv.offset(), cOff = cv.offset();
        CudaOptions options = be.options();
        // An empty product (K = 0) is act(beta·C + bias): our kernels do that without cuBLAS.
        if (g.k() > 0 && be.vendor("gemm", "cuBLAS")) {
            CudaDriver driver = be.driver();
            if (options.gemmKernel() == CudaOptions.GemmKernel.TF32) {
                driver.vendorGemmEx(g.transA(), g.transB(), g.batch(), g.m(), g.n(), g.k(), g.alpha(), as.pointer(aOff), g.strideA(),
                        bs.pointer(bOff), g.strideB(), g.beta(), cs.pointer(cOff), g.strideC(),
                        CudaDriver.GemmType.F32, CudaDriver.GemmType.F32, CudaDriver.GemmCompute.TF32);
            } else {
                driver.vendorSgemm(g.transA(), g.transB(), g.batch(), g.m(), g.n(), g.k(), g.alpha(), as.pointer(aOff), g.strideA(),
                        bs.pointer(bOff), g.strideB(), g.beta(), cs.pointer(cOff), g.strideC());
            }
            composedEpilogue(g, cs, cOff, bias, act);
        } else if (fused) {
            own(g, as, aOff, bs, bOff, cs, cOff, bias, epilogue == null ? 0 : epilogue.activation().ordinal(), options);
        } else {
            own(g, as, aOff, bs, bOff, cs, cOff, null, 0, options);
            composedEpilogue(g, cs, cOff, bias, act);
        }
        Reference.reachabilityFence(new Object[] {as, bs, cs, bias});
    }

    private void own(Gemm g, CudaBuffer as, long aOff, CudaBuffer bs, long bOff, CudaBuffer cs, long cOff, CudaBuffer bias, int act,
                     CudaOptions options) {
        int m = g.m(), n = g.n(), lda = g.lda(), ldb = g.ldb(), ldc = n;
        long strideA = g.strideA(), strideB = g.strideB(), strideC = g.strideC();
        Entry f = kernel(options.gemmKernel(),
                aligned(as.pointer(aOff), bs.pointer(bOff), cs.pointer(cOff), lda, ldb, ldc, strideA, strideB, strideC));
        int tile = f == Kernels.Gemm.NAIVE_F32 ? 16 : 128;
        long biasPtr = bias == null ? 0 : bias.pointer();
        for (int b0 = 0; b0 < g.batch(); b0 += MAX_BATCH) {
            int nb = Math.min(MAX_BATCH, g.batch() - b0);
            be.begin().ptr(as.pointer(aOff + b0 * strideA)).ptr(bs.pointer(bOff + b0 * strideB)).ptr(cs.pointer(cOff + b0 * strideC))
                    .ptr(biasPtr).i32(m).i32(n).i32(g.k()).i32(lda).i32(ldb).i32(ldc).i64(strideA).i64(strideB).i64(strideC)
                    .f32(g.alpha()).f32(g.beta()).i32(g.transA() ? 1 : 0).i32(g.transB() ? 1 : 0).i32(act);
            be.launch(f, (n + tile - 1) / tile, (m + tile - 1) / tile, nb, 256, 1);
        }
    }

    /** The epilogue as separate launches after the product: a bias broadcast over rows, then the activation. */
    private void composedEpilogue(Gemm g, CudaBuffer c, long cOff, CudaBuffer bias, UnaryOp act) {
        if (bias == null && act == null) {
            return;
        }
        long mn = (long) g.m() * g.n();
        if (cOff != 0 || (g.batch() > 1 && g.strideC() != mn)) {
            throw new IllegalArgumentException("A GEMM epilogue on the vendor path needs C contiguous from offset 0, got offset "
                    + cOff + ", batch stride " + g.strideC() + " for " + g.m() + "x" + g.n() + " results");
        }
        if (bias != null) {
            int[] shape = {g.batch() * g.m(), g.n()};
            be.elementwise.binary(BinaryOp.ADD, c, new int[] {g.n(), 1}, bias, new int[] {0, 1}, c, shape);
        }
        if (act != null) {
            be.elementwise.unary(act, 0f, c, c, mn * g.batch());
        }
    }
}
