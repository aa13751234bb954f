package dev.kiln.models.ddpm;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.models.Models;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 2-D DDPM: the quick run's samples are far closer to held-out data than the Gaussian noise
 * they start from; the generated datasets have their shapes; the sliced Wasserstein distance has
 * its hand-computable values.
 */
class DdpmModelTest {

    @Test
    void quickRunBeatsTheNoiseBaseline(@TempDir Path dir) throws IOException {
        RunRequest req = RunRequest.of("moons", Device.cpu(), 1).withQuick(true).withOut(dir, false);
        RunResult r = Models.find("ddpm").orElseThrow().train(req);
        double noise = Toy2d.noiseBaseline("moons", 1, DdpmModel.QUICK.evalSize());
        double floor = Toy2d.dataFloor("moons", 1, DdpmModel.QUICK.evalSize());
        assertEquals("sliced_w1", r.metric());
        assertTrue(r.value() < 0.5 * noise, "DDPM samples at sliced W1 " + r.value() + " vs Gaussian noise " + noise);
        assertTrue(floor < r.value(), "a second draw of the data (" + floor + ") is the floor, samples " + r.value());
        double lastTest = r.training().history().last().get("test_sliced_w1");
        assertTrue(lastTest < 0.6 * noise, "the 50-step DDIM samples after the last epoch: " + lastTest + " vs noise " + noise);
        double firstLoss = r.training().history().epochs().get(0).get("train_loss");
        double lastLoss = r.training().history().last().get("train_loss");
        assertTrue(lastLoss < firstLoss && lastLoss < 0.6, "epsilon-MSE " + firstLoss + " -> " + lastLoss + " (1 at chance)");
        byte[] png = Files.readAllBytes(dir.resolve("samples.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "samples.png is a PNG");
    }

    @Test
    void datasetsAreSeededAndShaped() {
        for (String name : Toy2d.NAMES) {
            float[] a = Toy2d.sample(name, 2000, new Generator(3)), b = Toy2d.sample(name, 2000, new Generator(3));
            assertArrayEquals(a, b, name + " is a function of the seed");
            assertFalse(java.util.Arrays.equals(a, Toy2d.sample(name, 2000, new Generator(4))), name + " depends on the seed");
            double m = 0, v = 0;
            for (float f : a) {
                m += f;
                v += f * f;
            }
            m /= a.length;
            double sd = Math.sqrt(v / a.length - m * m);
            assertTrue(Math.abs(m) < 0.25 && sd > 0.6 && sd < 1.4, name + ": mean " + m + ", sd " + sd);
        }
        float[] rings = Toy2d.sample("rings", 3000, new Generator(5));
        int inner = 0;
        for (int i = 0; i < 3000; i++) {
            double r = Math.hypot(rings[2 * i], rings[2 * i + 1]);
            assertTrue(Math.abs(r - 1.6) < 0.2 || Math.abs(r - 0.8) < 0.2, "ring radius " + r);
            inner += r < 1.2 ? 1 : 0;
        }
        assertEquals(1000, inner, 80, "a third of the points on the inner ring");
        float[] ring = Toy2d.sample("ring", 2000, new Generator(7));
        double[] centres = Toy2d.ringCentres();
        for (int i = 0; i < 2000; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 8; k++) {
                best = Math.min(best, Math.hypot(ring[2 * i] - centres[2 * k], ring[2 * i + 1] - centres[2 * k + 1]));
            }
            assertTrue(best < 6 * Toy2d.RING_SIGMA, "a ring point " + best + " from its mode");
        }
        assertEquals(Toy2d.RING_RADIUS, Math.hypot(centres[2], centres[3]), 1e-12);
        assertEquals(Math.PI / 4, Math.atan2(centres[3], centres[2]), 1e-12, "modes 45 degrees apart");
        float[] roll = Toy2d.sample("swissroll", 2000, new Generator(6));
        for (int i = 0; i < 2000; i++) {
            double r = Math.hypot(roll[2 * i], roll[2 * i + 1]);
            assertTrue(r > 0.6 && r < 2.6, "swiss roll radius t/6 in [0.79, 2.36] plus jitter: " + r);
        }
        assertThrows(IllegalArgumentException.class, () -> Toy2d.sample("spiral", 3, new Generator(1)));
    }

    @Test
    void slicedWassersteinByHand() {
        float[] a = Toy2d.sample("moons", 500, new Generator(1));
        assertEquals(0, SlicedWasserstein.distance(a, a, 16), 0);
        // Shifting every point by (d, 0) moves each projection by d·cos θ: the mean of |cos θ| over
        // the directions, times d (2/π in the limit).
        float[] b = a.clone();
        for (int i = 0; i < b.length; i += 2) {
            b[i] += 0.5f;
        }
        double mean = 0;
        for (int k = 0; k < 64; k++) {
            mean += Math.abs(Math.cos(Math.PI * (k + 0.5) / 64));
        }
        assertEquals(0.5 * mean / 64, SlicedWasserstein.distance(a, b, 64), 1e-5);
        // Single points (0,0) and (3,4): the mean over directions of |3 cos θ + 4 sin θ|.
        double want = 0;
        for (int k = 0; k < 8; k++) {
            double th = Math.PI * (k + 0.5) / 8;
            want += Math.abs(3 * Math.cos(th) + 4 * Math.sin(th));
        }
        assertEquals(want / 8, SlicedWasserstein.distance(new float[] {0, 0}, new float[] {3, 4}, 8), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.distance(new float[] {1}, a, 4));
    }

    @Test
    void mmdByHand() {
        // Single points (0,0) and (3,4), one bandwidth σ: 1 + 1 − 2·exp(−25 / (2σ²)).
        assertEquals(2 - 2 * Math.exp(-25 / 2.0), Mmd.squared(new float[] {0, 0}, new float[] {3, 4}, 1.0), 1e-12);
        float[] a = Toy2d.sample("rings", 400, new Generator(1)), b = Toy2d.sample("rings", 400, new Generator(2));
        assertEquals(0, Mmd.squared(a, a, Mmd.BANDWIDTHS), 1e-12);
        double same = Mmd.squared(a, b, Mmd.BANDWIDTHS), noise = Mmd.squared(Toy2d.noise(3, 400), b, Mmd.BANDWIDTHS);
        // The V-statistic keeps a bias of about (1/n + 1/m)·(Σ_σ 1 − mean k): 0.012 here for equal distributions.
        assertTrue(same > 0 && same < noise / 4, "two draws of the rings " + same + " vs noise " + noise);
        assertThrows(IllegalArgumentException.class, () -> Mmd.squared(a, b));
        // The MMD is the square root; beside() measures two sets against the same held points.
        float[] c = Toy2d.sample("rings", 300, new Generator(9));
        double[] both = Mmd.beside(c, b, a, Mmd.BANDWIDTHS);
        assertEquals(Math.sqrt(Mmd.squared(c, a, Mmd.BANDWIDTHS)), both[0], 1e-12);
        assertEquals(Math.sqrt(same), both[1], 1e-12);
        assertEquals(Math.sqrt(2 - 2 * Math.exp(-25 / 2.0)), Mmd.distance(new float[] {0, 0}, new float[] {3, 4}, 1.0), 1e-12);
    }
}
