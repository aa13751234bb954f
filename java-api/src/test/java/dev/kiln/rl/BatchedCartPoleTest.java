package dev.kiln.rl;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BatchedCartPole} on the CPU against one double-precision state per environment stepped with
 * {@link CartPole}'s equations (and its portable sine and cosine): bit for bit, every step.
 */
class BatchedCartPoleTest {

    /**
     * Steps {@code n} environments {@code steps} times with a mix of random and balancing actions and checks
     * every environment, every step: observations, rewards, flags, finished returns and the auto-reset state.
     * Returns the number of episodes that ended.
     */
    static int checkAgainstReference(Device device, int n, int maxSteps, int steps, long seed) {
        BatchedCartPole env = new BatchedCartPole(device, n, maxSteps);
        Tensor obs0 = env.reset(seed);
        double[][] ref = new double[n][];
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            ref[i] = CartPole.initialState(seed, 4L * i);
        }
        assertClose(ref, obs0.toFloatArray(), 0, "reset");
        Generator g = new Generator(seed + 1000);
        int episodes = 0;
        for (int step = 0; step < steps; step++) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = i % 4 == 0 ? g.nextInt(2) : CartPoleTest.lean(ref[i]);
            }
            BatchedCartPole.Step st = env.step(Tensor.fromArray(a, n).to(device));
            float[] next = st.nextObservation().toFloatArray(), r = st.reward().toFloatArray();
            float[] term = st.terminated().toFloatArray(), trunc = st.truncated().toFloatArray();
            float[] fin = st.finishedReturn().toFloatArray();
            long resetCounter = 4L * n * (step + 1);
            for (int i = 0; i < n; i++) {
                CartPole.advance(ref[i], (int) a[i], true);
                t[i]++;
            }
            assertClose(ref, next, step + 1, "next observation");
            for (int i = 0; i < n; i++) {
                String at = "env " + i + " step " + (step + 1);
                boolean te = CartPole.terminated(ref[i]), tr = t[i] >= maxSteps;
                assertEquals(1f, r[i], at);
                assertEquals(te ? 1f : 0f, term[i], "terminated, " + at);
                assertEquals(tr ? 1f : 0f, trunc[i], "truncated, " + at);
                assertEquals(te || tr ? t[i] : 0f, fin[i], "finished return, " + at);
                if (te || tr) {
                    ref[i] = CartPole.initialState(seed, resetCounter + 4L * i);
                    t[i] = 0;
                    episodes++;
                }
            }
            assertClose(ref, env.observation().toFloatArray(), step + 1, "observation after auto-reset");
            float[] counts = env.episodeSteps().toFloatArray();
            for (int i = 0; i < n; i++) {
                assertEquals(t[i], counts[i], "episode steps of env " + i);
            }
        }
        env.checkActions();
        return episodes;
    }

    /** The float observation is the double state rounded, exactly. */
    static void assertClose(double[][] ref, float[] obs, int step, String what) {
        for (int i = 0; i < ref.length; i++) {
            for (int k = 0; k < 4; k++) {
                assertEquals((float) ref[i][k], obs[4 * i + k], what + ": env " + i + " variable " + k + " at step " + step);
            }
        }
    }

    @Test
    void everyEnvironmentFollowsItsReferenceWithAutoReset() {
        assertTrue(checkAgainstReference(Device.cpu(), 1, 500, 700, 3) >= 1);
        assertTrue(checkAgainstReference(Device.cpu(), 13, 500, 300, 4) > 13);
        assertTrue(checkAgainstReference(Device.cpu(), 6, 7, 30, 5) >= 6 * 4, "7-step truncation");
    }

    @Test
    void theParallelPathAgreesWithTheReference() {
        checkAgainstReference(Device.cpu(), 2 * CpuCartPoleKernels.CHUNK + 37, 500, 25, 6);
    }

    @Test
    void environmentZeroStartsLikeTheSingleEnvironment() {
        float[] obs = new BatchedCartPole(Device.cpu(), 3).reset(77).toFloatArray();
        double[] single = new CartPole().reset(77);
        for (int k = 0; k < 4; k++) {
            assertEquals((float) single[k], obs[k]);
        }
    }

    @Test
    void thePortableSineStaysCloseToStrictMath() {
        for (int k = -2100; k <= 2100; k++) {
            double t = k * 1e-4 + k * 3.1e-11;
            assertEquals(StrictMath.sin(t), CartPole.sin(t), 2 * Math.ulp(StrictMath.sin(t)), "sin " + t);
            assertEquals(StrictMath.cos(t), CartPole.cos(t), 2 * Math.ulp(1.0), "cos " + t);
        }
        // and the batch follows the single StrictMath environment closely for a couple of hundred steps
        BatchedCartPole env = new BatchedCartPole(Device.cpu(), 1);
        env.reset(8);
        CartPole single = new CartPole();
        double[] s = single.reset(8);
        for (int t = 1; t <= 150; t++) {
            int a = CartPoleTest.lean(s);
            CartPole.Step st = single.step(a);
            s = st.observation();
            float[] got = env.step(Tensor.fromArray(new float[] {a}, 1)).nextObservation().toFloatArray();
            for (int k = 0; k < 4; k++) {
                assertEquals(s[k], got[k], 1e-6, "step " + t + " variable " + k);
            }
            assertTrue(!st.done(), "the leaning policy keeps the pole up for 150 steps");
        }
    }

    @Test
    void badActionsAreClearErrors() {
        BatchedCartPole env = new BatchedCartPole(Device.cpu(), 3);
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> env.step(Tensor.zeros(3)));
        assertTrue(early.getMessage().contains("before reset"), early.getMessage());
        float[] before = env.reset(1).toFloatArray();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> env.step(Tensor.fromArray(new float[] {0, 2, 1}, 3)));
        assertTrue(bad.getMessage().contains("got 2.0 for environment 1"), bad.getMessage());
        assertArrayEquals(before, env.observation().toFloatArray(), "no environment moved");
        assertThrows(IllegalArgumentException.class, () -> env.step(Tensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> env.step(Tensor.empty(Device.cpu(), DType.INT64, 3)));
        assertThrows(IllegalArgumentException.class, () -> new BatchedCartPole(Device.cpu(), 0));
    }
}
