package dev.kiln.models.ddpm;

import dev.kiln.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modes covered and high-quality share: hand-counted cases, the ring data itself, and a collapsed sampler. */
class ModeCoverageTest {

    @Test
    void handCounted() {
        double[] centres = {0, 0, 10, 0};
        // σ = 1: within 3 of (0,0): (0,0), (2,2) (2.83); (3,1) is 3.16 away (neither); (10,2.9) near mode 2.
        float[] s = {0, 0, 2, 2, 3, 1, 10, 2.9f};
        ModeCoverage c = ModeCoverage.of(s, centres, 1);
        assertEquals(2, c.modes());
        assertEquals(0.75, c.highQuality(), 0);
        assertArrayEquals(new double[] {0.5, 0.25}, c.perMode(), 0);
        // 1 % rule: one sample of 200 near a mode (0.5 %) does not cover it.
        float[] many = new float[400];
        many[0] = 10;
        ModeCoverage sparse = ModeCoverage.of(many, centres, 1);
        assertEquals(1, sparse.modes());
        assertEquals(1.0, sparse.highQuality(), 0);
        assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of(s, centres, 0));
    }

    @Test
    void theRingDataCoversItsEightModesAndACollapsedSamplerDoesNot() {
        float[] real = Toy2d.sample("ring", 10_000, new Generator(4));
        ModeCoverage c = ModeCoverage.of(real, Toy2d.ringCentres(), Toy2d.RING_SIGMA);
        assertEquals(8, c.modes());
        // Within 3σ of a 2-D Gaussian: 1 − e^(−4.5) = 98.9 %.
        assertEquals(1 - Math.exp(-4.5), c.highQuality(), 0.004);
        for (double share : c.perMode()) {
            assertEquals(0.125 * (1 - Math.exp(-4.5)), share, 0.01);
        }
        float[] collapsed = real.clone();
        for (int i = 0; i < collapsed.length; i += 2) {
            collapsed[i] = (float) (Toy2d.RING_RADIUS + 0.01 * (i % 7));
            collapsed[i + 1] = 0;
        }
        ModeCoverage one = ModeCoverage.of(collapsed, Toy2d.ringCentres(), Toy2d.RING_SIGMA);
        assertEquals(1, one.modes());
        assertEquals(1.0, one.highQuality(), 0);
        float[] noise = Toy2d.noise(5, 10_000);
        assertTrue(ModeCoverage.of(noise, Toy2d.ringCentres(), Toy2d.RING_SIGMA).highQuality() < 0.1, "Gaussian noise is low quality");
    }
}
