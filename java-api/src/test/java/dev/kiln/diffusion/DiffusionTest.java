package dev.kiln.diffusion;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The noise-scheduling family on the CPU backend: schedule tables against published values and
 * closed forms, forward noising against its formula and the Philox stream, the DDPM and DDIM steps
 * against hand-written formulas, and both samplers driven by the exact noise predictor of a known
 * target distribution.
 */
class DiffusionTest {

    private static final Device CPU = Device.cpu();

    @Test
    void linearScheduleHasHoEtAlValues() {
        NoiseSchedule s = NoiseSchedule.linear(CPU, 1000);
        float[] beta = s.rowArray(NoiseSchedule.BETA), abar = s.rowArray(NoiseSchedule.ALPHA_BAR);
        assertEquals(1e-4f, beta[0]);
        assertEquals(0.02f, beta[999], 1e-9f);
        assertEquals(0.0001f + (0.02f - 0.0001f) * 500 / 999, beta[500], 1e-8f);
        assertEquals(4.0358e-5, abar[999], 1e-8, "abar_T of the DDPM linear schedule");
        double prod = 1;
        for (int t = 0; t < 1000; t++) {
            prod *= 1 - (1e-4 + (0.02 - 1e-4) * t / 999.0);
            assertEquals(prod, abar[t], 1e-6 * prod, "abar at " + t);
        }
    }

    @Test
    void cosineScheduleFollowsItsClosedFormAndClipsBeta() {
        int T = 1000;
        NoiseSchedule s = NoiseSchedule.cosine(CPU, T);
        float[] abar = s.rowArray(NoiseSchedule.ALPHA_BAR), beta = s.rowArray(NoiseSchedule.BETA);
        for (int t : new int[] {0, 3, 250, 500, 750, 980}) {
            double want = f(t + 1, T) / f(0, T);
            assertEquals(want, abar[t], 2e-6 * want, "abar at " + t);
        }
        assertEquals(0.999f, beta[T - 1], "the last beta is clipped");
        assertTrue(beta[T - 2] < 0.999f && beta[T - 2] > 0.5f, "beta before the clip: " + beta[T - 2]);
    }

    private static double f(double t, int T) {
        double s = 0.008f;
        double c = Math.cos((t / T + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    @Test
    void everyRowMatchesADoublePrecisionReference() {
        int T = 200;
        NoiseSchedule s = NoiseSchedule.cosine(CPU, T);
        double prev = 1;
        for (int t = 0; t < T; t++) {
            double beta = Math.min(1 - f(t + 1, T) / f(t, T), (double) 0.999f); // the float constants the kernel gets
            double abar = prev * (1 - beta), pv = beta * (1 - prev) / (1 - abar);
            double[] want = {beta, abar, Math.sqrt(abar), Math.sqrt(1 - abar), pv, Math.sqrt(pv),
                    beta * Math.sqrt(prev) / (1 - abar), (1 - prev) * Math.sqrt(1 - beta) / (1 - abar),
                    Math.sqrt(1 / abar), Math.sqrt(1 / abar - 1)};
            for (int r = 0; r < want.length; r++) {
                assertEquals(want[r], s.rowArray(r)[t], 1e-6 * Math.abs(want[r]) + 1e-12, "row " + r + " at t=" + t);
            }
            prev = abar;
        }
        assertEquals(0f, s.rowArray(NoiseSchedule.POSTERIOR_VARIANCE)[0]);
        assertEquals(1f, s.rowArray(NoiseSchedule.POSTERIOR_COEF_X0)[0]);
        assertEquals(0f, s.rowArray(NoiseSchedule.POSTERIOR_COEF_XT)[0]);
    }

    @Test
    void qSampleIsTheClosedFormWithTheGeneratorsNoise() {
        Generator g = new Generator(5);
        NoiseSchedule s = NoiseSchedule.linear(CPU, 100);
        Tensor x0 = Tensor.randn(g, 7, 3, 2);
        int[] ts = {0, 99, 50, 7, 7, 1, 63};
        Generator noise = new Generator(77, 8);
        Diffusion.Noised q = Diffusion.qSample(s, x0, Tensor.fromIndices(ts), noise);
        assertEquals(8 + 44, noise.offset(), "42 draws rounded up to whole Philox blocks");
        float[] eps = new float[42];
        Generator.normal(77, 8, eps, 0, 42);
        assertArrayEquals(eps, q.eps().toFloatArray());
        float[] x = x0.toFloatArray(), xt = q.xt().toFloatArray(), abar = s.rowArray(NoiseSchedule.ALPHA_BAR);
        for (int i = 0; i < 42; i++) {
            double a = abar[ts[i / 6]];
            assertEquals(Math.sqrt(a) * x[i] + Math.sqrt(1 - a) * eps[i], xt[i], 1e-5, "x_t[" + i + "]");
        }
        // INT64 timesteps give the same result.
        Diffusion.Noised q64 = Diffusion.qSample(s, x0, Tensor.fromLongs(new long[] {0, 99, 50, 7, 7, 1, 63}), new Generator(77, 8));
        assertArrayEquals(xt, q64.xt().toFloatArray());
    }

    @Test
    void qSampleNoiseIsStandardNormalAndTheDataFadeOut() {
        NoiseSchedule s = NoiseSchedule.cosine(CPU, 1000);
        int b = 4000;
        Tensor x0 = Tensor.full(3f, b, 2);
        int[] last = new int[b];
        java.util.Arrays.fill(last, 999);
        float[] xt = Diffusion.qSample(s, x0, Tensor.fromIndices(last), new Generator(9)).xt().toFloatArray();
        double m = 0, v = 0;
        for (float f : xt) {
            m += f;
            v += f * f;
        }
        m /= xt.length;
        v = v / xt.length - m * m;
        assertEquals(0, m, 0.05, "x_T mean");
        assertEquals(1, v, 0.05, "x_T variance");
    }

    @Test
    void ddpmStepIsThePosteriorMeanPlusScaledNoise() {
        NoiseSchedule s = NoiseSchedule.linear(CPU, 50);
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 4, 5), e = Tensor.randn(g, 4, 5);
        float[] xv = x.toFloatArray(), ev = e.toFloatArray();
        for (int t : new int[] {0, 1, 30, 49}) {
            Generator noise = new Generator(11, 4);
            float[] out = Diffusion.ddpmStep(s, x, e, t, 0f, noise).toFloatArray();
            assertEquals(t == 0 ? 4 : 24, noise.offset(), "t = 0 draws nothing");
            float[] z = new float[20];
            Generator.normal(11, 4, z, 0, 20);
            double a = s.rowArray(1)[t], prev = t == 0 ? 1 : s.rowArray(1)[t - 1], beta = s.rowArray(0)[t];
            for (int i = 0; i < 20; i++) {
                double x0 = (xv[i] - Math.sqrt(1 - a) * ev[i]) / Math.sqrt(a);
                double mean = beta * Math.sqrt(prev) / (1 - a) * x0 + (1 - prev) * Math.sqrt(1 - beta) / (1 - a) * xv[i];
                double sd = Math.sqrt(beta * (1 - prev) / (1 - a));
                assertEquals(mean + (t == 0 ? 0 : sd * z[i]), out[i], 2e-4 * Math.max(1, Math.abs(out[i])), "t=" + t + " i=" + i);
            }
        }
        // t = 0 returns the x0 estimate; clipping bounds it.
        float[] clipped = Diffusion.ddpmStep(s, x.mul(50f), e, 0, 1f, g).toFloatArray();
        for (float c : clipped) {
            assertTrue(Math.abs(c) <= 1f, "clipped x0 " + c);
        }
    }

    @Test
    void ddimJumpsExactlyWhenTheNoiseIsKnown() {
        NoiseSchedule s = NoiseSchedule.cosine(CPU, 1000);
        Generator g = new Generator(4);
        Tensor x0 = Tensor.randn(g, 8, 3), e = Tensor.randn(g, 8, 3);
        float[] sa = s.rowArray(2), s1 = s.rowArray(3);
        // Not from t = 999: there sqrt(1/abar) is about 3e4 and amplifies the float rounding of x_t.
        int[][] jumps = {{900, 500}, {500, 499}, {40, 0}, {10, -1}};
        for (int[] j : jumps) {
            Tensor xt = x0.mul(sa[j[0]]).add(e.mul(s1[j[0]]));
            Tensor want = j[1] < 0 ? x0 : x0.mul(sa[j[1]]).add(e.mul(s1[j[1]]));
            float[] got = Diffusion.ddimStep(s, xt, e, j[0], j[1], 0f).toFloatArray(), w = want.toFloatArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], got[i], 2e-4, j[0] + "->" + j[1] + " at " + i);
            }
        }
    }

    /**
     * The exact ε-predictor of data concentrated at {@code c} is {@code (x − √ᾱ_t·c)/√(1−ᾱ_t)}: both
     * samplers must then land on {@code c} from pure noise.
     */
    @Test
    void samplersRecoverAPointMassFromItsExactNoisePredictor() {
        NoiseSchedule s = NoiseSchedule.linear(CPU, 200, 1e-3f, 0.05f);
        float[] sa = s.rowArray(2), s1 = s.rowArray(3);
        Tensor c = Tensor.fromArray(new float[] {1.5f, -0.75f}, 1, 2);
        Diffusion.EpsModel oracle = (x, t) -> x.sub(c.mul(sa[t])).div(s1[t]);
        for (Tensor out : new Tensor[] {Diffusion.sampleDdpm(s, oracle, new int[] {64, 2}, new Generator(1)),
                Diffusion.sampleDdim(s, oracle, new int[] {64, 2}, 20, new Generator(2))}) {
            float[] v = out.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(i % 2 == 0 ? 1.5f : -0.75f, v[i], 1e-3f, "sample coordinate " + i);
            }
        }
    }

    @Test
    void ddimSubsequencesAndErrors() {
        assertArrayEquals(new int[] {999, 749, 499, 250, 0}, Diffusion.ddimTimesteps(1000, 5));
        assertArrayEquals(new int[] {9}, Diffusion.ddimTimesteps(10, 1));
        assertArrayEquals(new int[] {3, 2, 1, 0}, Diffusion.ddimTimesteps(4, 4));
        NoiseSchedule s = NoiseSchedule.linear(CPU, 10);
        Tensor x = Tensor.zeros(2, 2);
        assertThrows(IllegalArgumentException.class, () -> Diffusion.ddimStep(s, x, x, 5, 5, 0f));
        assertThrows(IllegalArgumentException.class, () -> Diffusion.ddpmStep(s, x, x, 10, 0f, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> Diffusion.ddpmStep(s, x, Tensor.zeros(4), 3, 0f, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> Diffusion.qSample(s, x, Tensor.fromIndices(new int[] {1}), new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.linear(CPU, 0));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.linear(CPU, 10, 0.1f, 0.01f));
        assertThrows(IllegalArgumentException.class, () -> Diffusion.ddimTimesteps(10, 11));
    }

    @Test
    void qSampleGradientIsSqrtAlphaBar() {
        NoiseSchedule s = NoiseSchedule.cosine(CPU, 30);
        Tensor x0 = Tensor.randn(new Generator(8), 3, 2).requiresGrad(true);
        int[] ts = {29, 0, 14};
        Diffusion.qSample(s, x0, Tensor.fromIndices(ts), new Generator(2)).xt().sum().backward();
        float[] gr = x0.grad().toFloatArray(), sa = s.rowArray(NoiseSchedule.SQRT_ALPHA_BAR);
        for (int i = 0; i < 6; i++) {
            assertEquals(sa[ts[i / 2]], gr[i], 0f);
        }
    }
}
