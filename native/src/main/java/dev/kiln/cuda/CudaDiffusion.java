package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.diffusion.DiffusionKernels;
import dev.kiln.kernels.Kernels.Diffusion;

import java.lang.ref.Reference;

/**
 * The {@link DiffusionKernels} family on CUDA: launches of {@code kernels/src/diffusion.cu} with the
 * launch configuration its header gives (the schedule on one block of 256 threads; the fused
 * noising and reverse steps as 1-D grid-stride loops of 256-thread blocks, one Philox block of four
 * elements per thread and step where noise is drawn).
 */
public final class CudaDiffusion implements DiffusionKernels {

    /** Registers this family for the CUDA backend. */
    public static final class Provider extends FamilyProvider<DiffusionKernels, CudaBackend> {
        public Provider() {
            super(DiffusionKernels.class, CudaBackend.class, CudaDiffusion::new);
        }
    }

    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65535;

    private final CudaBackend be;

    CudaDiffusion(CudaBackend be) {
        this.be = be;
    }

    private long ptr(Buffer b, DType want) {
        if (!(b instanceof CudaBuffer) || ((CudaBuffer) b).backend() != be) {
            throw new IllegalArgumentException("Buffer " + b + " does not belong to the CUDA backend " + be.name());
        }
        CudaBuffer c = (CudaBuffer) b;
        if (c.dtype() != want) {
            throw new IllegalArgumentException("Expected a " + want + " buffer, got " + c.dtype());
        }
        return c.pointer();
    }

    private long f32(Buffer b) {
        return ptr(b, DType.FLOAT32);
    }

    private static int grid(long items) {
        return (int) Math.max(1, Math.min(MAX_GRID, (items + BLOCK - 1) / BLOCK));
    }

    /** Threads needed to cover n elements starting at stream offset {@code offset}, one Philox block each. */
    private static long philoxBlocks(long n, long offset) {
        return n <= 0 ? 0 : ((offset + n - 1) >>> 2) - (offset >>> 2) + 1;
    }

    @Override
    public void schedule(Buffer table, int T, int kind, float beta0, float beta1, float s, float maxBeta) {
        be.launch(Diffusion.SCHEDULE_F32, new int[] {1, 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(f32(table)).i32(T).i32(kind).f32(beta0).f32(beta1).f32(s).f32(maxBeta));
        Reference.reachabilityFence(table);
    }

    @Override
    public void qSample(Buffer x0, Buffer t, Buffer table, int T, Buffer xt, Buffer eps, long batch, long dim,
                        long seed, long offset) {
        be.launch(Diffusion.Q_SAMPLE_F32, new int[] {grid(philoxBlocks(batch * dim, offset)), 1, 1},
                new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(f32(x0)).ptr(ptr(t, DType.INT32)).ptr(f32(table)).i32(T).ptr(f32(xt)).ptr(f32(eps))
                        .i64(batch).i64(dim).i64(seed).i64(offset));
        Reference.reachabilityFence(new Object[] {x0, t, table, xt, eps});
    }

    @Override
    public void ddpmStep(Buffer xt, Buffer epsPred, Buffer table, int T, int t, Buffer out, long n, float clip,
                         long seed, long offset) {
        be.launch(Diffusion.DDPM_STEP_F32, new int[] {grid(philoxBlocks(n, offset)), 1, 1},
                new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(f32(xt)).ptr(f32(epsPred)).ptr(f32(table)).i32(T).i32(t).ptr(f32(out)).i64(n).f32(clip)
                        .i64(seed).i64(offset));
        Reference.reachabilityFence(new Object[] {xt, epsPred, table, out});
    }

    @Override
    public void ddimStep(Buffer xt, Buffer epsPred, Buffer table, int T, int t, int tPrev, Buffer out, long n, float clip) {
        be.launch(Diffusion.DDIM_STEP_F32, new int[] {grid(n), 1, 1}, new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(f32(xt)).ptr(f32(epsPred)).ptr(f32(table)).i32(T).i32(t).i32(tPrev).ptr(f32(out)).i64(n)
                        .f32(clip));
        Reference.reachabilityFence(new Object[] {xt, epsPred, table, out});
    }
}
