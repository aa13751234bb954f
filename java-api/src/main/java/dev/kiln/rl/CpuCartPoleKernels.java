package dev.kiln.rl;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.cpu.CpuBackend;
import dev.kiln.backend.cpu.CpuThreads;


/**
 * {@link CartPoleKernels} on the CPU: plain array loops over the batch (split over
 * {@link CpuThreads}' pool from {@value #CHUNK} environments up), operation for operation the arithmetic of
 * {@code kernels/src/cartpole.cu}, so both backends give the same states for the same seed.
 */
public final class CpuCartPoleKernels implements CartPoleKernels {

    /** Registers this family for the CPU backend. */
    public static final class Provider extends FamilyProvider<CartPoleKernels, CpuBackend> {
        public Provider() {
            super(CartPoleKernels.class, CpuBackend.class, backend -> new CpuCartPoleKernels());
        }
    }

    static final int CHUNK = 2048;

    @Override
    public void reset(Buffer obsB, Buffer loB, Buffer stepsB, long n, long seed, long offset) {
        float[] obs = CpuBackend.array(obsB), lo = CpuBackend.array(loB), steps = CpuBackend.array(stepsB);
        float[] u = new float[4];
        for (int i = 0; i < n; i++) {
            resetOne(obs, lo, steps, i, seed, offset, u);
        }
    }

    private static void resetOne(float[] obs, float[] lo, float[] steps, int i, long seed, long offset, float[] u) {
        dev.kiln.Generator.uniform(seed, offset + 4L * i, u, 0, 4);
        for (int k = 0; k < 4; k++) {
            store(obs, lo, 4 * i + k, Math.fma(0.1, u[k], -0.05));
        }
        steps[i] = 0f;
    }

    /**
     * Splits d into three floats, hi = float(d), mid = float(d − hi), lo = float(d − hi − mid) (each
     * difference exact), whose sum in double is d again: obs[j] = hi, rest[2j] = mid, rest[2j + 1] = lo.
     */
    private static void store(float[] obs, float[] rest, int j, double d) {
        float h = (float) d;
        double r = d - h;
        float m = (float) r;
        obs[j] = h;
        rest[2 * j] = m;
        rest[2 * j + 1] = (float) (r - m);
    }

    private static double load(float[] obs, float[] rest, int j) {
        return ((double) obs[j] + (double) rest[2 * j]) + (double) rest[2 * j + 1];
    }

    @Override
    public void step(Buffer actionB, Buffer obsB, Buffer loB, Buffer stepsB, Buffer nextObsB, Buffer rewardB,
                     Buffer terminatedB, Buffer truncatedB, Buffer finishedB, Buffer errorB, long n, long seed,
                     long offset, int maxSteps) {
        float[] action = CpuBackend.array(actionB);
        for (int i = 0; i < n; i++) {
            if (action[i] != 0f && action[i] != 1f) {
                throw new IllegalArgumentException("CartPole action must be 0 or 1, got " + action[i]
                        + " for environment " + i + " of " + n);
            }
        }
        float[] obs = CpuBackend.array(obsB), lo = CpuBackend.array(loB), steps = CpuBackend.array(stepsB);
        float[] next = CpuBackend.array(nextObsB), reward = CpuBackend.array(rewardB);
        float[] term = CpuBackend.array(terminatedB), trunc = CpuBackend.array(truncatedB);
        float[] fin = CpuBackend.array(finishedB);
        int count = (int) n;
        if (count < 2 * CHUNK) {
            stepRange(0, count, action, obs, lo, steps, next, reward, term, trunc, fin, seed, offset, maxSteps);
        } else {
            int chunks = (count + CHUNK - 1) / CHUNK;
            CpuThreads.forEach(chunks, c -> stepRange(c * CHUNK, Math.min(count, (c + 1) * CHUNK),
                    action, obs, lo, steps, next, reward, term, trunc, fin, seed, offset, maxSteps));
        }
    }

    private static void stepRange(int from, int to, float[] action, float[] obs, float[] lo, float[] steps,
                                  float[] next, float[] reward, float[] term, float[] trunc, float[] fin,
                                  long seed, long offset, int maxSteps) {
        double[] s = new double[4];
        float[] u = new float[4];
        for (int i = from; i < to; i++) {
            int b = 4 * i;
            for (int k = 0; k < 4; k++) {
                s[k] = load(obs, lo, b + k);
            }
            CartPole.advance(s, action[i] == 1f ? 1 : 0, true);
            float t = steps[i] + 1f;
            boolean terminated = CartPole.terminated(s);
            boolean truncated = t >= maxSteps;
            for (int k = 0; k < 4; k++) {
                store(obs, lo, b + k, s[k]);
                next[b + k] = obs[b + k];
            }
            reward[i] = 1f;
            term[i] = terminated ? 1f : 0f;
            trunc[i] = truncated ? 1f : 0f;
            fin[i] = terminated || truncated ? t : 0f;
            if (terminated || truncated) {
                resetOne(obs, lo, steps, i, seed, offset, u);
            } else {
                steps[i] = t;
            }
        }
    }
}
