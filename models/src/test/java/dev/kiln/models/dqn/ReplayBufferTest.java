package dev.kiln.models.dqn;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device replay ring: blocks land where they should, wrap over the oldest, and samples are whole rows. */
class ReplayBufferTest {

    /** Block b's transition j: obs (b, j, 0, 1), action (b + j) % 2, reward b, next obs −obs, terminated j % 2. */
    private static void add(ReplayBuffer rb, int b, int n) {
        float[] obs = new float[n * 4], act = new float[n], rew = new float[n], next = new float[n * 4], term = new float[n];
        for (int j = 0; j < n; j++) {
            float[] row = {b, j, 0, 1};
            for (int k = 0; k < 4; k++) {
                obs[4 * j + k] = row[k];
                next[4 * j + k] = -row[k];
            }
            act[j] = (b + j) % 2;
            rew[j] = b;
            term[j] = j % 2;
        }
        rb.add(Tensor.fromArray(obs, n, 4), Tensor.fromArray(act, n), Tensor.fromArray(rew, n), Tensor.fromArray(next, n, 4),
                Tensor.fromArray(term, n));
    }

    @Test
    void blocksWrapAndSamplesAreConsistentRows() {
        ReplayBuffer rb = new ReplayBuffer(Device.cpu(), 10, 4, 3);
        assertEquals(12, rb.capacity(), "rounded up to a multiple of the block");
        assertThrows(IllegalStateException.class, () -> rb.sample(new Generator(1), 4));
        for (int b = 0; b < 6; b++) {
            add(rb, b, 3);
            assertEquals(Math.min(12, 3 * (b + 1)), rb.size());
        }
        // blocks 4 and 5 overwrote blocks 0 and 1
        float[] rew = rb.contents()[2].toFloatArray();
        assertEquals(4f, rew[0]);
        assertEquals(5f, rew[3]);
        assertEquals(2f, rew[6]);
        ReplayBuffer.Batch batch = rb.sample(new Generator(7), 500);
        float[] o = batch.obs().toFloatArray(), a = batch.action().toFloatArray(), r = batch.reward().toFloatArray();
        float[] n = batch.nextObs().toFloatArray(), t = batch.terminated().toFloatArray();
        Set<Float> blocks = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            float b = o[4 * i], j = o[4 * i + 1];
            assertTrue(b >= 2 && b <= 5, "only live blocks are sampled, got " + b);
            assertEquals(b, r[i]);
            assertEquals((b + j) % 2, a[i]);
            assertEquals(j % 2, t[i]);
            for (int k = 0; k < 4; k++) {
                assertEquals(-o[4 * i + k], n[4 * i + k]);
            }
            blocks.add(b);
        }
        assertEquals(4, blocks.size(), "every held block is drawn");
    }

    @Test
    void badBlocksAreRefused() {
        ReplayBuffer rb = new ReplayBuffer(Device.cpu(), 8, 4, 2);
        assertThrows(IllegalArgumentException.class,
                () -> rb.add(Tensor.zeros(3, 4), Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(3, 4), Tensor.zeros(3)));
    }
}
