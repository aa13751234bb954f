package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.kernels.Kernels;
import dev.kiln.sparse.Csr;
import dev.kiln.sparse.SparseKernels;
import dev.kiln.sparse.SpmmPlan;

import java.lang.ref.Reference;

/**
 * The {@link SparseKernels} family on CUDA: launches of {@code kernels/src/sparse.cu}.
 *
 * <p>{@link #upload} copies the CSR structure to the device once and fixes the SpMM kernel with
 * {@link SpmmPlan} (row-split for even degrees, the nonzero-balanced split with its work items and
 * deterministic fix-up for skewed ones). Each product then picks the float4 variant when the
 * width is a multiple of 4 and the operands are 16-byte aligned, and {@link SpmmPlan#lanes} lanes
 * per row. {@code -Dkiln.cuda.impl.spmm=vendor} (or {@code kiln.cuda.impl=vendor}) sends
 * {@link #spmm} to cuSPARSE's {@code cusparseSpMM} ({@link CusparseSpmm}) instead; under the
 * emulator that is an error saying cuSPARSE needs a real GPU.
 */
public final class CudaSparse implements SparseKernels {

    /** Registers this family for the CUDA backend. */
    public static final class Provider extends FamilyProvider<SparseKernels, CudaBackend> {
        public Provider() {
            super(SparseKernels.class, CudaBackend.class, CudaSparse::new);
        }
    }

    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65535;

    private final CudaBackend be;

    CudaSparse(CudaBackend be) {
        this.be = be;
    }

    /** A CSR matrix on the device and its SpMM plan. */
    static final class DeviceCsr implements Matrix {
        final Csr csr;
        final SpmmPlan plan;
        final Buffer rowPtr;
        final Buffer colIdx;
        /** Null when every value is 1. */
        final Buffer values;
        final Buffer items;
        final Buffer splitRows;
        final Buffer splitPtr;

        DeviceCsr(CudaBackend be, Csr csr, SpmmPlan plan) {
            this.csr = csr;
            this.plan = plan;
            this.rowPtr = ints(be, csr.rowPtr());
            this.colIdx = ints(be, csr.colIdx());
            this.values = csr.unitValues() ? null : floats(be, csr.values());
            boolean split = plan.kind() == SpmmPlan.Kind.SPLIT;
            this.items = split ? ints(be, plan.items()) : null;
            this.splitRows = split && plan.splitRows().length > 0 ? ints(be, plan.splitRows()) : null;
            this.splitPtr = split && plan.splitRows().length > 0 ? ints(be, plan.splitPtr()) : null;
        }

        @Override
        public Csr csr() {
            return csr;
        }

        @Override
        public String kernel() {
            return plan.toString();
        }
    }

    private static Buffer ints(CudaBackend be, int[] a) {
        Buffer b = be.allocate(DType.INT32, Math.max(1, a.length));
        if (a.length > 0) {
            be.upload(a, b);
        }
        return b;
    }

    private static Buffer floats(CudaBackend be, float[] a) {
        Buffer b = be.allocate(DType.FLOAT32, Math.max(1, a.length));
        if (a.length > 0) {
            be.upload(a, b);
        }
        return b;
    }

    static long p(Buffer b) {
        return b == null ? 0L : ((CudaBuffer) b).pointer();
    }

    private static int[] grid(long threads) {
        return new int[] {(int) Math.max(1, Math.min(MAX_GRID, (threads + BLOCK - 1) / BLOCK)), 1, 1};
    }

    private static final int[] BLOCK_DIM = {BLOCK, 1, 1};

    @Override
    public Matrix upload(Csr csr) {
        return new DeviceCsr(be, csr, SpmmPlan.of(csr));
    }


    @Override
    public void spmm(Matrix matrix, Buffer x, Buffer y, int n) {
        DeviceCsr a = (DeviceCsr) matrix;
        int rows = a.csr.rows();
        if ((long) rows * n == 0) {
            return;
        }
        if (be.vendor("spmm", "cuSPARSE")) {
            CusparseSpmm.of(be).spmm(a, x, y, n);
            return;
        }
        own(a, x, y, n);
    }

    /** Our kernels, whatever {@code kiln.cuda.impl.spmm} says (benchmarks compare the two paths in one run). */
    public void own(Matrix matrix, Buffer x, Buffer y, int n) {
        DeviceCsr a = (DeviceCsr) matrix;
        int rows = a.csr.rows();
        if ((long) rows * n == 0) {
            return;
        }
        boolean v4 = n % 4 == 0 && aligned(x) && aligned(y);
        int lanes = SpmmPlan.lanes(n, v4 ? 4 : 1);
        if (a.plan.kind() == SpmmPlan.Kind.ROW_SPLIT) {
            be.launch(v4 ? Kernels.Sparse.SPMM_ROWSPLIT_V4_F32 : Kernels.Sparse.SPMM_ROWSPLIT_F32,
                    grid((long) rows * lanes), BLOCK_DIM, 0,
                    g -> g.ptr(p(a.rowPtr)).ptr(p(a.colIdx)).ptr(p(a.values)).ptr(p(x)).ptr(p(y)).i32(rows).i32(n).i32(lanes));
        } else {
            int count = a.plan.itemCount(), nsplit = a.plan.splitRows().length;
            Buffer partial = nsplit == 0 ? null : be.allocate(DType.FLOAT32, (long) a.plan.slots() * n);
            be.launch(v4 ? Kernels.Sparse.SPMM_SPLIT_V4_F32 : Kernels.Sparse.SPMM_SPLIT_F32,
                    grid((long) count * lanes), BLOCK_DIM, 0,
                    g -> g.ptr(p(a.items)).i32(count).ptr(p(a.colIdx)).ptr(p(a.values)).ptr(p(x)).ptr(p(y))
                            .ptr(p(partial)).i32(n).i32(lanes));
            if (nsplit > 0) {
                be.launch(Kernels.Sparse.SPMM_FIXUP_F32, grid((long) nsplit * n), BLOCK_DIM, 0,
                        g -> g.ptr(p(a.splitRows)).ptr(p(a.splitPtr)).ptr(p(partial)).ptr(p(y)).i32(nsplit).i32(n));
            }
            Reference.reachabilityFence(partial);
        }
        Reference.reachabilityFence(new Object[] {a, x, y});
    }

    private static boolean aligned(Buffer b) {
        return (p(b) & 15) == 0;
    }

    @Override
    public void segmentSum(Buffer offsets, Buffer src, Buffer out, int segments, int n) {
        segments(Kernels.Sparse.SEGMENT_SUM_F32, offsets, src, out, segments, n);
    }

    @Override
    public void segmentExpand(Buffer offsets, Buffer dout, Buffer dsrc, int segments, int n) {
        segments(Kernels.Sparse.SEGMENT_EXPAND_F32, offsets, dout, dsrc, segments, n);
    }

    /** A segment kernel: a group of lanes per segment, {@code (off, in, out, segments, n, lanes)}. */
    private void segments(Kernels.Entry kernel, Buffer offsets, Buffer in, Buffer out, int segments, int n) {
        if ((long) segments * n == 0) {
            return;
        }
        int lanes = SpmmPlan.lanes(n, 1);
        be.launch(kernel, grid((long) segments * lanes), BLOCK_DIM, 0,
                g -> g.ptr(p(offsets)).ptr(p(in)).ptr(p(out)).i32(segments).i32(n).i32(lanes));
        Reference.reachabilityFence(new Object[] {offsets, in, out});
    }

    @Override
    public void scatterAdd(Buffer index, Buffer src, Buffer out, int count, int n) {
        if ((long) count * n == 0) {
            return;
        }
        be.launch(Kernels.Sparse.SCATTER_ADD_F32, grid((long) count * n), BLOCK_DIM, 0,
                g -> g.ptr(p(index)).ptr(p(src)).ptr(p(out)).i64(count).i32(n));
        Reference.reachabilityFence(new Object[] {index, src, out});
    }
}
