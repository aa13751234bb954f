package dev.kiln.optim;

import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kiln.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SGD, Adam and AdamW steps against values worked out by hand from the update rules. */
class OptimizerStepTest {

    private static Tensor param(float... v) {
        return Tensor.fromArray(v, v.length).requiresGrad(true);
    }

    private static void grad(Tensor p, float... g) {
        p.setGrad(Tensor.fromArray(g, g.length));
    }

    private static float[] v(Tensor p) {
        return p.toFloatArray();
    }

    // ---- SGD -------------------------------------------------------------------------------------

    @Test
    void sgdPlainStep() {
        Tensor p = param(1, -2);
        SGD opt = new SGD(List.of(p), 0.1f);
        grad(p, 0.5f, 1);
        opt.step();
        assertClose(new float[] {0.95f, -2.1f}, v(p), "p after one step");
        assertEquals(1, opt.steps());
        opt.step(); // the same gradient again: plain SGD has no memory
        assertClose(new float[] {0.9f, -2.2f}, v(p), "p after two steps");
        assertEquals(2, opt.steps());
    }

    @Test
    void sgdWeightDecayAddsTheL2TermToTheGradient() {
        Tensor p = param(1, -2);
        SGD opt = new SGD(List.of(p), 0.1f).weightDecay(0.1f);
        grad(p, 0.5f, 1);
        opt.step();
        // d = g + 0.1 p = (0.6, 0.8)
        assertClose(new float[] {0.94f, -2.08f}, v(p), "p");
    }

    @Test
    void sgdMomentumStartsTheVelocityAtTheFirstGradient() {
        Tensor p = param(1, -2);
        SGD opt = new SGD(List.of(p), 0.1f).momentum(0.9f);
        grad(p, 0.5f, 1);
        opt.step(); // v = (0.5, 1)
        assertClose(new float[] {0.95f, -2.1f}, v(p), "step 1");
        opt.step(); // v = 0.9 v + g = (0.95, 1.9)
        assertClose(new float[] {0.855f, -2.29f}, v(p), "step 2");
        grad(p, -1, 0);
        opt.step(); // v = 0.9 (0.95, 1.9) + (-1, 0) = (-0.145, 1.71)
        assertClose(new float[] {0.8695f, -2.461f}, v(p), "step 3");
        assertClose(new float[] {-0.145f, 1.71f}, opt.stateDict().get("velocity.0").toFloatArray(), "velocity");
    }

    @Test
    void sgdDampeningScalesTheNewGradientAfterTheFirstStep() {
        Tensor p = param(1);
        SGD opt = new SGD(List.of(p), 0.1f).momentum(0.5f).dampening(0.5f);
        grad(p, 2);
        opt.step(); // v = 2 (first step: no dampening)
        assertClose(new float[] {0.8f}, v(p), "step 1");
        opt.step(); // v = 0.5·2 + 0.5·2 = 2
        assertClose(new float[] {0.6f}, v(p), "step 2");
        grad(p, 4);
        opt.step(); // v = 0.5·2 + 0.5·4 = 3
        assertClose(new float[] {0.3f}, v(p), "step 3");
    }

    @Test
    void sgdVelocityStartsAtAParametersFirstGradientEvenAfterTheFirstStep() {
        Tensor a = param(1), b = param(1);
        SGD opt = new SGD(List.of(a, b), 0.1f).momentum(0.5f).dampening(0.5f);
        grad(a, 1);
        opt.step(); // b has no gradient yet
        grad(b, 2);
        opt.step(); // b's velocity starts at 2 (undamped), as a's did at step 1
        assertClose(new float[] {0.8f}, v(b), "b");
        assertClose(new float[] {2f}, opt.stateDict().get("velocity.1").toFloatArray(), "b's velocity");
    }

    @Test
    void sgdNesterovLooksAhead() {
        Tensor p = param(1, -2);
        SGD opt = new SGD(List.of(p), 0.1f).momentum(0.9f).nesterov(true);
        grad(p, 0.5f, 1);
        opt.step(); // v = g; d = g + 0.9 v = 1.9 g = (0.95, 1.9)
        assertClose(new float[] {0.905f, -2.19f}, v(p), "step 1");
        opt.step(); // v = 0.9 g + g = 1.9 g; d = g + 0.9·1.9 g = 2.71 g = (1.355, 2.71)
        assertClose(new float[] {0.7695f, -2.461f}, v(p), "step 2");
    }

    @Test
    void sgdNesterovWithWeightDecayAndMomentum() {
        Tensor p = param(2);
        SGD opt = new SGD(List.of(p), 0.5f).momentum(0.5f).nesterov(true).weightDecay(0.25f);
        grad(p, 1);
        opt.step(); // d = 1 + 0.5 = 1.5; v = 1.5; d = 1.5 + 0.75 = 2.25; p = 2 - 1.125
        assertClose(new float[] {0.875f}, v(p), "p");
    }

    @Test
    void sgdRejectsBadSettings() {
        Tensor p = param(1);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1f).momentum(-0.1f));
        new SGD(List.of(p), 0.1f).momentum(0f); // zero is allowed
        grad(p, 1);
        SGD noMomentum = new SGD(List.of(p), 0.1f).nesterov(true);
        assertThrows(IllegalStateException.class, noMomentum::step);
        SGD damped = new SGD(List.of(p), 0.1f).momentum(0.9f).dampening(0.1f).nesterov(true);
        assertThrows(IllegalStateException.class, damped::step);
        assertClose(new float[] {1f}, v(p), "untouched by the refused steps");
    }

    @Test
    void sgdWithoutMomentumKeepsNoState() {
        Tensor p = param(1);
        SGD opt = new SGD(List.of(p), 0.1f);
        grad(p, 1);
        opt.step();
        assertEquals(List.of("steps", "lr"), List.copyOf(opt.stateDict().keySet()));
    }

    // ---- Adam / AdamW ----------------------------------------------------------------------------

    /** One Adam update in double precision, written out from the paper's algorithm. */
    private static double[] adam(double p, double m, double v, double g, int t, double lr, double b1, double b2, double eps) {
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        double mh = m / (1 - Math.pow(b1, t)), vh = v / (1 - Math.pow(b2, t));
        return new double[] {p - lr * mh / (Math.sqrt(vh) + eps), m, v};
    }

    @Test
    void adamFirstStepMovesEachParameterByTheLearningRate() {
        Tensor p = param(1, -3, 0.5f);
        Adam opt = new Adam(List.of(p), 0.1f);
        grad(p, 0.5f, -2, 1e-3f);
        opt.step();
        // bias-corrected m/sqrt(v) is sign(g) on the first step
        assertClose(new float[] {0.9f, -2.9f, 0.4f}, v(p), 1e-5, 1e-5, "p");
        assertClose(new float[] {0.05f, -0.2f, 1e-4f}, opt.stateDict().get("m.0").toFloatArray(), "m");
        assertClose(new float[] {0.00025f, 0.004f, 1e-9f}, opt.stateDict().get("v.0").toFloatArray(), 1e-4, 1e-12, "v (1 - 0.999 rounded to float)");
    }

    @Test
    void adamSecondStepFollowsTheBiasCorrectedMoments() {
        Tensor p = param(1);
        Adam opt = new Adam(List.of(p), 0.1f).betas(0.8f, 0.9f).eps(0.01f);
        grad(p, 0.5f);
        opt.step();
        grad(p, -1);
        opt.step();
        double[] s = adam(1, 0, 0, 0.5, 1, 0.1, 0.8, 0.9, 0.01);
        s = adam(s[0], s[1], s[2], -1, 2, 0.1, 0.8, 0.9, 0.01);
        // by hand: step 1 m = 0.1, v = 0.025, mh = 0.5, vh = 0.25, p = 1 - 0.1·0.5/0.51 = 0.90196;
        // step 2 m = -0.12, v = 0.1225, mh = -0.3333, vh = 0.6447, p += 0.1·0.3333/(0.8030 + 0.01) = 0.04100
        assertClose(s[0], v(p)[0], 1e-6, "p after two steps");
        assertClose(0.9430, v(p)[0], 1e-4, "p after two steps (rounded by hand)");
    }

    @Test
    void adamCoupledWeightDecayAddsToTheGradient() {
        Tensor p = param(2);
        Adam opt = new Adam(List.of(p), 0.1f).betas(0.5f, 0.5f).eps(0f).weightDecay(0.5f);
        grad(p, -3);
        opt.step(); // g = -3 + 0.5·2 = -2: first step moves by lr·sign(g)
        assertClose(new float[] {2.1f}, v(p), "p");
        assertClose(new float[] {-1f}, opt.stateDict().get("m.0").toFloatArray(), "m = 0.5·g");
    }

    @Test
    void adamWDecaysTheParameterBeforeTheAdamStep() {
        Tensor p = param(2, -4);
        AdamW opt = new AdamW(List.of(p), 0.5f);
        grad(p, 1, 1);
        opt.step(); // p -= 0.5·0.01·p, then -= 0.5·sign(g)
        assertClose(new float[] {2 * 0.995f - 0.5f, -4 * 0.995f - 0.5f}, v(p), "p");
        assertClose(new float[] {0.1f, 0.1f}, opt.stateDict().get("m.0").toFloatArray(), "m sees the raw gradient");
        AdamW none = new AdamW(List.of(param(1)), 0.5f);
        none.weightDecay(0f);
        none.params.get(0).setGrad(Tensor.fromArray(new float[] {-2}, 1));
        none.step();
        assertClose(new float[] {1.5f}, v(none.params.get(0)), "AdamW without decay is Adam");
    }

    @Test
    void adamBetasAreChecked() {
        Adam opt = new Adam(List.of(param(1)), 0.1f);
        assertThrows(IllegalArgumentException.class, () -> opt.betas(-0.1f, 0.9f));
        assertThrows(IllegalArgumentException.class, () -> opt.betas(1f, 0.9f));
        assertThrows(IllegalArgumentException.class, () -> opt.betas(0.9f, -0.1f));
        assertThrows(IllegalArgumentException.class, () -> opt.betas(0.9f, 1f));
        assertSame(opt, opt.betas(0f, 0f));
        assertSame(opt, opt.eps(1e-6f));
        assertSame(opt, opt.weightDecay(0f));
    }

    @Test
    void adamWithBetasZeroIsSignDescent() {
        Tensor p = param(0, 0);
        Adam opt = new Adam(List.of(p), 1f).betas(0f, 0f).eps(0f);
        grad(p, 3, -0.25f);
        opt.step();
        grad(p, -5, -7);
        opt.step();
        assertClose(new float[] {0f, 2f}, v(p), "p");
    }

    // ---- the base class --------------------------------------------------------------------------

    @Test
    void parametersWithoutGradientsAreSkippedAndZeroGradClears() {
        Tensor a = param(1), b = param(5);
        SGD opt = new SGD(List.of(a, b), 1f);
        grad(a, 0.5f);
        opt.step();
        assertClose(new float[] {0.5f}, v(a), "a");
        assertClose(new float[] {5f}, v(b), "b without gradient");
        opt.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
        opt.step();
        assertClose(new float[] {0.5f}, v(a), "a after a step with no gradients");
        assertEquals(2, opt.steps());
    }

    @Test
    void constructorChecks() {
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(param(1)), -0.1f));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(param(1)), Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.fromArray(new float[] {1}, 1)), 0.1f));
        SGD zero = new SGD(List.of(param(1)), 0f);
        assertEquals(0f, zero.lr());
        zero.setLr(0.25f);
        assertEquals(0.25f, zero.lr());
    }

    @Test
    void stateDictRoundTripContinuesTheSameTrajectory() {
        Tensor p1 = param(1, 2), p2 = param(1, 2);
        Adam a = new Adam(List.of(p1), 0.1f);
        grad(p1, 0.5f, -1);
        a.step();
        a.setLr(0.05f);
        Map<String, Tensor> sd = a.stateDict();
        assertEquals(List.of("m.0", "v.0", "steps", "lr"), List.copyOf(sd.keySet()));
        assertArrayEquals(new long[] {1}, sd.get("steps").toLongArray());
        assertEquals(0.05f, sd.get("lr").item());

        p2.assign(p1.detach());
        Adam b = new Adam(List.of(p2), 0.1f);
        b.loadStateDict(sd);
        assertEquals(1, b.steps());
        assertEquals(0.05f, b.lr());
        grad(p1, 0.25f, 0.75f);
        grad(p2, 0.25f, 0.75f);
        a.step();
        b.step();
        assertClose(v(p1), v(p2), 0, 0, "same second step");
        // the loaded state is a copy: b's steps do not move a's moments
        assertClose(a.stateDict().get("m.0").toFloatArray(), sd.get("m.0").toFloatArray(), 0, 0, "a's live state");
        b.step();
        assertClose(a.stateDict().get("m.0").toFloatArray(), sd.get("m.0").toFloatArray(), 0, 0, "a's state after b stepped");
    }

    @Test
    void loadStateDictRejectsStateThatDoesNotFit() {
        Tensor p = param(1, 2);
        SGD opt = new SGD(List.of(p), 0.1f).momentum(0.9f);
        Tensor steps = Tensor.fromLongs(new long[] {3});
        Tensor lr = Tensor.scalar(0.1f);
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("lr", lr)));
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("steps", steps)));
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("steps", steps, "lr", lr,
                "velocity.1", Tensor.zeros(2))));
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("steps", steps, "lr", lr,
                "velocity.-1", Tensor.zeros(2))));
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(Map.of("steps", steps, "lr", lr,
                "velocity.0", Tensor.zeros(3))));
        opt.loadStateDict(Map.of("steps", steps, "lr", Tensor.scalar(0.5f), "velocity.0", Tensor.fromArray(new float[] {1, -1}, 2)));
        assertEquals(3, opt.steps());
        assertEquals(0.5f, opt.lr());
        grad(p, 1, 1);
        opt.step(); // not the first step: v = 0.9 (1, -1) + (1, 1) = (1.9, 0.1)
        assertClose(new float[] {1 - 0.95f, 2 - 0.05f}, v(p), "p");
        assertTrue(opt.stateDict().containsKey("velocity.0"));
    }
}
