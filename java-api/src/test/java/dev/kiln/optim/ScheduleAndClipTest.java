package dev.kiln.optim;

import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LRScheduler (step, cosine, resume) and GradClip.clipGradNorm against hand-computed values. */
class ScheduleAndClipTest {

    private static SGD sgd(float lr) {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), lr);
    }

    @Test
    void stepScheduleHalvesEveryTwoSteps() {
        SGD opt = sgd(0.8f);
        LRScheduler s = LRScheduler.step(opt, 2, 0.5f);
        float[] want = {0.8f, 0.4f, 0.4f, 0.2f, 0.2f, 0.1f};
        for (int k = 0; k < want.length; k++) {
            s.step();
            assertEquals(k + 1, s.steps());
            assertClose(want[k], opt.lr(), 1e-7, "lr after step " + (k + 1));
        }
        LRScheduler every = LRScheduler.step(sgd(1f), 1, 0.1f);
        every.step();
        every.step();
        assertEquals(1, 1); // stepSize 1 is allowed
        assertThrows(IllegalArgumentException.class, () -> LRScheduler.step(opt, 0, 0.5f));
        assertThrows(IllegalArgumentException.class, () -> LRScheduler.step(opt, -1, 0.5f));
    }

    @Test
    void cosineAnnealsToTheMinimumThenHolds() {
        SGD opt = sgd(1.1f);
        LRScheduler s = LRScheduler.cosine(opt, 4, 0.1f);
        // 0.1 + 1.0 · (1 + cos(π s / 4)) / 2
        double r = Math.sqrt(0.5);
        double[] want = {0.1 + (1 + r) / 2, 0.6, 0.1 + (1 - r) / 2, 0.1, 0.1, 0.1};
        for (int k = 0; k < want.length; k++) {
            s.step();
            assertClose(want[k], opt.lr(), 1e-6, "lr after step " + (k + 1));
        }
        LRScheduler one = LRScheduler.cosine(sgd(1f), 1, 0f);
        one.step();
        assertThrows(IllegalArgumentException.class, () -> LRScheduler.cosine(opt, 0, 0f));
    }

    @Test
    void setStepsResumesTheSchedule() {
        SGD opt = sgd(1f);
        LRScheduler s = LRScheduler.step(opt, 1, 0.5f);
        s.setSteps(3);
        assertEquals(3, s.steps());
        assertClose(0.125, opt.lr(), 1e-7, "lr at step 3");
        s.step();
        assertClose(0.0625, opt.lr(), 1e-7, "lr at step 4");
        // the base rate is the optimiser's rate when the scheduler was made, not the current one
        LRScheduler custom = new LRScheduler(opt, (base, step) -> base + step);
        custom.step();
        assertClose(1.0625, opt.lr(), 1e-7, "custom schedule");
    }

    @Test
    void clipScalesAllGradientsByOneJointFactor() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true), c = Tensor.zeros(1).requiresGrad(true);
        a.setGrad(Tensor.fromArray(new float[] {3, 4}, 2));
        b.setGrad(Tensor.fromArray(new float[] {12}, 1));
        Tensor norm = GradClip.clipGradNorm(List.of(a, b, c), 6.5f);
        assertClose(13, norm.item(), 1e-5, "norm before clipping");
        assertEquals(0, norm.rank());
        assertClose(new float[] {1.5f, 2f}, a.grad().toFloatArray(), "a scaled by 6.5/13");
        assertClose(new float[] {6f}, b.grad().toFloatArray(), "b scaled by 6.5/13");
        assertNull(c.grad());
    }

    @Test
    void clipLeavesSmallGradientsAlone() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        a.setGrad(Tensor.fromArray(new float[] {0.3f, -0.4f}, 2));
        Tensor norm = GradClip.clipGradNorm(List.of(a), 1f);
        assertClose(0.5, norm.item(), 1e-6, "norm");
        assertClose(new float[] {0.3f, -0.4f}, a.grad().toFloatArray(), 0, 1e-7, "unchanged");
        Tensor none = GradClip.clipGradNorm(List.of(Tensor.zeros(1).requiresGrad(true)), 1f);
        assertEquals(0f, none.item());
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(a), 0f));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(a), -1f));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(a), Float.NaN));
    }
}
