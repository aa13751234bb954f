package dev.kiln.models.train;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The moving average of weights against the same recurrence in double precision. */
class WeightAverageTest {

    @Test
    void followsTheRecurrenceInDoublePrecision() {
        Linear online = new Linear(5, 3, new Generator(1));
        Linear avg = new Linear(5, 3, new Generator(2));
        WeightAverage wa = new WeightAverage(online, avg);
        List<Tensor> on = online.parameters(), av = avg.parameters();
        for (int i = 0; i < on.size(); i++) {
            assertArrayEquals(on.get(i).toFloatArray(), av.get(i).toFloatArray(), 0f, "starts as a copy");
        }
        double[][] ref = new double[on.size()][];
        for (int i = 0; i < on.size(); i++) {
            ref[i] = toDouble(on.get(i).toFloatArray());
        }
        Generator g = new Generator(3);
        float decay = 0.9f;
        for (int step = 1; step <= 30; step++) {
            // The online weights move (as an optimizer would move them), then the average follows.
            for (Tensor p : on) {
                p.assign(p.add(Tensor.randn(g, Device.cpu(), p.shape()).mul(0.1f)));
            }
            float rate = WeightAverage.warmRate(decay, step);
            wa.update(rate);
            for (int i = 0; i < on.size(); i++) {
                float[] w = on.get(i).toFloatArray();
                for (int j = 0; j < w.length; j++) {
                    ref[i][j] = (1 - rate) * ref[i][j] + rate * w[j];
                }
            }
        }
        for (int i = 0; i < on.size(); i++) {
            float[] got = av.get(i).toFloatArray();
            for (int j = 0; j < got.length; j++) {
                assertEquals(ref[i][j], got[j], 1e-5, "parameter " + i + " element " + j);
            }
            // After 30 steps the average lags the moving weights: it is not a copy of them.
            assertNotCopy(on.get(i).toFloatArray(), got);
        }
    }

    @Test
    void warmUpStartsFastAndEndsAtTheDecay() {
        assertEquals(0.9f, WeightAverage.warmRate(0.999f, 0), 1e-6f);
        assertEquals(1 - 11f / 20f, WeightAverage.warmRate(0.999f, 10), 1e-6f);
        assertEquals(0.001f, WeightAverage.warmRate(0.999f, 1_000_000), 1e-6f);
    }

    @Test
    void refusesMismatchedNetworksAndBadRates() {
        Module a = new Linear(4, 2, new Generator(1));
        Module b = new Linear(4, 2, new Generator(1));
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(a, new dev.kiln.nn.Sequential(a, b)));
        WeightAverage wa = new WeightAverage(a, b);
        assertThrows(IllegalArgumentException.class, () -> wa.update(0f));
        assertThrows(IllegalArgumentException.class, () -> wa.update(1.5f));
        assertThrows(IllegalArgumentException.class, () -> wa.update(Float.NaN));
    }

    private static void assertNotCopy(float[] a, float[] b) {
        double d = 0;
        for (int j = 0; j < a.length; j++) {
            d += Math.abs(a[j] - b[j]);
        }
        if (d < 1e-3) {
            throw new AssertionError("the average equals the online weights");
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
