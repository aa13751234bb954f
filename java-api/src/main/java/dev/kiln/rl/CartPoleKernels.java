package dev.kiln.rl;

import dev.kiln.backend.Buffer;

/**
 * The batched cart-pole kernel family ({@code kernels/src/cartpole.cu} on CUDA, {@link CpuCartPoleKernels}
 * on the CPU), reached as {@code backend.kernels(CartPoleKernels.class)}. {@link BatchedCartPole} is the
 * user-facing class; the layout and semantics are those of the CUDA file's header: FLOAT32 buffers,
 * environment {@code i} at row {@code i}, the double-precision state held exactly as the float observation
 * {@code obs[N, 4]} plus two float remainders per variable {@code rest[N, 4, 2]}, per-episode step counts
 * {@code steps[N]}.
 */
public interface CartPoleKernels {

    /**
     * Starts every environment's episode: environment {@code i} draws its state from Philox block
     * {@code offset / 4 + i} of stream {@code seed} ({@code offset} a multiple of 4).
     */
    void reset(Buffer obs, Buffer rest, Buffer steps, long n, long seed, long offset);

    /**
     * One step of every environment for {@code action[i]} (0 or 1); episodes that end are reset from
     * Philox block {@code offset / 4 + i}. Writes {@code nextObs} (before resets), {@code reward},
     * {@code terminated}, {@code truncated} and {@code finishedReturn} (the ended episode's return, else
     * 0). An action other than 0 or 1 leaves that environment untouched and sets {@code error[0] = i + 1}
     * (the CPU implementation throws instead, before touching any environment).
     */
    void step(Buffer action, Buffer obs, Buffer rest, Buffer steps, Buffer nextObs, Buffer reward, Buffer terminated,
              Buffer truncated, Buffer finishedReturn, Buffer error, long n, long seed, long offset, int maxSteps);
}
