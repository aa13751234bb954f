package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.rl.BatchedCartPole;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batched cart-pole kernel ({@code kiln_cartpole_step_f32}) against the CPU family, step by step: the
 * same seed and actions give the same observations, flags, returns and auto-reset states on both.
 */
class CartPoleCudaTest {

    private static void assertSame(float[] cpu, float[] gpu, double tol, String what) {
        assertEquals(cpu.length, gpu.length, what);
        for (int i = 0; i < cpu.length; i++) {
            assertEquals(cpu[i], gpu[i], tol, what + " at " + i);
        }
    }

    /** Returns the number of elements that differed at all (the rest are bit-equal). */
    private static int run(int n, int maxSteps, int steps, long seed) {
        Device cuda = Device.cuda();
        BatchedCartPole cpu = new BatchedCartPole(Device.cpu(), n, maxSteps);
        BatchedCartPole gpu = new BatchedCartPole(cuda, n, maxSteps);
        assertArrayEquals(cpu.reset(seed).toFloatArray(), gpu.reset(seed).toFloatArray(), "reset, n " + n);
        Generator g = new Generator(seed ^ 0x5eed);
        int episodes = 0, inexact = 0;
        float[] obs = cpu.observation().toFloatArray();
        for (int t = 0; t < steps; t++) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = i % 3 == 0 ? g.nextInt(2) : obs[4 * i + 2] + 0.5f * obs[4 * i + 3] > 0 ? 1 : 0;
            }
            BatchedCartPole.Step c = cpu.step(Tensor.fromArray(a, n));
            BatchedCartPole.Step d = gpu.step(Tensor.fromArray(a, n).to(cuda));
            String at = "n " + n + " step " + (t + 1);
            float[] cn = c.nextObservation().toFloatArray(), dn = d.nextObservation().toFloatArray();
            assertSame(cn, dn, 0, "next observation, " + at);
            assertArrayEquals(c.reward().toFloatArray(), d.reward().toFloatArray(), "reward, " + at);
            assertArrayEquals(c.terminated().toFloatArray(), d.terminated().toFloatArray(), "terminated, " + at);
            assertArrayEquals(c.truncated().toFloatArray(), d.truncated().toFloatArray(), "truncated, " + at);
            float[] fin = c.finishedReturn().toFloatArray();
            assertArrayEquals(fin, d.finishedReturn().toFloatArray(), "finished return, " + at);
            obs = cpu.observation().toFloatArray();
            float[] gobs = gpu.observation().toFloatArray();
            assertSame(obs, gobs, 0, "observation after auto-reset, " + at);
            assertArrayEquals(cpu.episodeSteps().toFloatArray(), gpu.episodeSteps().toFloatArray(), "steps, " + at);
            for (int i = 0; i < cn.length; i++) {
                inexact += cn[i] == dn[i] ? 0 : 1;
            }
            for (float f : fin) {
                episodes += f > 0 ? 1 : 0;
            }
        }
        gpu.checkActions();
        assertTrue(episodes > 0, "episodes end and reset (n " + n + ")");
        return inexact;
    }

    @Test
    void cudaMatchesTheCpuStepByStep() {
        // Both run the same unfused double operations and the same polynomial sine and cosine: bit for bit.
        int inexact = run(1, 500, 600, 11) + run(37, 500, 150, 12) + run(300, 9, 40, 13);
        assertEquals(0, inexact, "observation elements that differed in any bit");
    }

    @Test
    void aBadActionIsReportedByCheckActions() {
        Device cuda = Device.cuda();
        BatchedCartPole env = new BatchedCartPole(cuda, 4);
        float[] before = env.reset(3).toFloatArray();
        env.step(Tensor.fromArray(new float[] {1, 0, 1, 3}, 4).to(cuda));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, env::checkActions);
        assertTrue(e.getMessage().contains("environment 3 of 4"), e.getMessage());
        float[] after = env.observation().toFloatArray();
        for (int k = 12; k < 16; k++) {
            assertEquals(before[k], after[k], "the bad environment did not move");
        }
    }
}
