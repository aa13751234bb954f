package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.kernels.Kernels.Cartpole;
import dev.kiln.rl.CartPoleKernels;

import java.lang.ref.Reference;

/**
 * The {@link CartPoleKernels} family on CUDA: {@code kiln_cartpole_reset_f32} and
 * {@code kiln_cartpole_step_f32} from {@code kernels/src/cartpole.cu}, one thread per environment,
 * block 256, every environment of a step in one launch (grid-stride beyond the grid cap).
 */
public final class CudaCartPole implements CartPoleKernels {

    /** Registers this family for the CUDA backend. */
    public static final class Provider extends FamilyProvider<CartPoleKernels, CudaBackend> {
        public Provider() {
            super(CartPoleKernels.class, CudaBackend.class, CudaCartPole::new);
        }
    }

    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65535;

    private final CudaBackend be;

    CudaCartPole(CudaBackend be) {
        this.be = be;
    }

    private long p(Buffer b) {
        if (!(b instanceof CudaBuffer) || ((CudaBuffer) b).backend() != be) {
            throw new IllegalArgumentException("Buffer " + b + " does not belong to the CUDA backend " + be.name());
        }
        CudaBuffer c = (CudaBuffer) b;
        if (c.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("CartPole buffers are FLOAT32, got " + c.dtype());
        }
        return c.pointer();
    }

    private static int[] grid(long n) {
        return new int[] {(int) Math.max(1, Math.min(MAX_GRID, (n + BLOCK - 1) / BLOCK)), 1, 1};
    }

    @Override
    public void reset(Buffer obs, Buffer lo, Buffer steps, long n, long seed, long offset) {
        be.launch(Cartpole.RESET_F32, grid(n), new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(p(obs)).ptr(p(lo)).ptr(p(steps)).i64(n).i64(seed).i64(offset));
        Reference.reachabilityFence(new Object[] {obs, lo, steps});
    }

    @Override
    public void step(Buffer action, Buffer obs, Buffer lo, Buffer steps, Buffer nextObs, Buffer reward,
                     Buffer terminated, Buffer truncated, Buffer finishedReturn, Buffer error, long n, long seed,
                     long offset, int maxSteps) {
        be.launch(Cartpole.STEP_F32, grid(n), new int[] {BLOCK, 1, 1}, 0,
                a -> a.ptr(p(action)).ptr(p(obs)).ptr(p(lo)).ptr(p(steps)).ptr(p(nextObs)).ptr(p(reward))
                        .ptr(p(terminated)).ptr(p(truncated)).ptr(p(finishedReturn)).ptr(p(error))
                        .i64(n).i64(seed).i64(offset).i32(maxSteps));
        Reference.reachabilityFence(new Object[] {action, obs, lo, steps, nextObs, reward, terminated, truncated,
                finishedReturn, error});
    }
}
