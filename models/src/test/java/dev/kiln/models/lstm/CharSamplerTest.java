package dev.kiln.models.lstm;

import dev.kiln.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The draw itself: top-k keeps the k largest, the unknown id is never drawn, the temperature sharpens. */
class CharSamplerTest {

    private static final float[] LOGITS = {5f, 1f, 2f, 0.5f, 1.5f};

    private static int[] counts(int skip, float t, int k, int n) {
        Generator g = new Generator(11);
        int[] c = new int[LOGITS.length];
        for (int i = 0; i < n; i++) {
            c[CharSampler.pick(LOGITS, skip, t, k, g)]++;
        }
        return c;
    }

    @Test
    void topKDrawsOnlyTheKLargest() {
        int[] c = counts(-1, 3f, 2, 4000);
        assertEquals(4000, c[0] + c[2], java.util.Arrays.toString(c));
        assertTrue(c[2] > 500, "the second largest is drawn too: " + java.util.Arrays.toString(c));
    }

    @Test
    void theSkippedIdIsNeverDrawn() {
        int[] c = counts(0, 1f, 0, 4000);
        assertEquals(0, c[0]);
        assertEquals(2, CharSampler.pick(LOGITS, 0, 1f, 1, new Generator(1)), "greedy skips it too");
    }

    @Test
    void temperatureOneMatchesTheSoftmax() {
        int n = 20000;
        int[] c = counts(-1, 1f, 0, n);
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int k = 0; k < LOGITS.length; k++) {
            double p = Math.exp(LOGITS[k]) / z;
            assertEquals(p, c[k] / (double) n, 4 * Math.sqrt(p * (1 - p) / n) + 1e-3, "id " + k);
        }
        int[] cold = counts(-1, 0.1f, 0, 2000);
        assertEquals(2000, cold[0], "temperature 0.1 leaves only the largest");
    }
}
