package dev.kiln.diffusion;

import dev.kiln.backend.Buffer;

/**
 * The noise-scheduling kernel family of denoising diffusion models: the schedule table, fused
 * forward noising and the fused DDPM and DDIM reverse steps, FLOAT32. Reached as
 * {@code backend.kernels(DiffusionKernels.class)}; the CPU reference is {@link CpuDiffusion}, the
 * CUDA kernels are {@code kernels/src/diffusion.cu} behind {@code dev.kiln.cuda.CudaDiffusion}.
 *
 * <p>The schedule {@code table} is {@code [ROWS, T]} (see {@link NoiseSchedule} for the rows);
 * samples are contiguous {@code [batch, dim]}; timesteps are INT32 in {@code [0, T)}. Random draws
 * follow {@link dev.kiln.Generator}'s Philox mapping: element {@code i} uses the normal of stream
 * counter {@code offset + i} under {@code seed}, so every backend draws the same noise (to the
 * rounding of the transcendentals, as for {@code Tensor.randn}).
 */
public interface DiffusionKernels {

    /** Number of rows of a schedule table. */
    int ROWS = 10;

    /** Schedule kinds of {@link #schedule}. */
    int LINEAR = 0;
    int COSINE = 1;

    /**
     * Fills {@code table [ROWS, T]}: {@code kind} {@link #LINEAR} ({@code beta} from {@code beta0}
     * to {@code beta1}) or {@link #COSINE} (offset {@code s}, beta clipped at {@code maxBeta}).
     */
    void schedule(Buffer table, int T, int kind, float beta0, float beta1, float s, float maxBeta);

    /**
     * Forward noising: {@code eps[i] = N(seed, offset + i)},
     * {@code xt[i] = sqrt(abar[t[b]])·x0[i] + sqrt(1 − abar[t[b]])·eps[i]} for {@code b = i / dim}.
     */
    void qSample(Buffer x0, Buffer t, Buffer table, int T, Buffer xt, Buffer eps, long batch, long dim,
                 long seed, long offset);

    /**
     * One DDPM ancestral step at timestep {@code t} for all {@code n} elements: the x0 estimate from
     * {@code epsPred} (clipped to {@code ±clip} when {@code clip > 0}), the posterior mean, plus the
     * posterior standard deviation times {@code N(seed, offset + i)} (nothing at {@code t = 0}).
     * {@code out} may be {@code xt}.
     */
    void ddpmStep(Buffer xt, Buffer epsPred, Buffer table, int T, int t, Buffer out, long n, float clip,
                  long seed, long offset);

    /**
     * One deterministic DDIM step (η = 0) from {@code t} to {@code tPrev} ({@code -1}: to x0).
     * {@code out} may be {@code xt}.
     */
    void ddimStep(Buffer xt, Buffer epsPred, Buffer table, int T, int t, int tPrev, Buffer out, long n, float clip);
}
