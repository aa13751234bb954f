package dev.kiln;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What backward() does to the graph: frees it, refuses a second pass, and catches in-place changes. */
class GraphLifetimeTest {

    @Test
    void aKeptLossNoLongerHoldsItsGraphAfterBackward() throws InterruptedException {
        Generator g = new Generator(1);
        Tensor w = Tensor.randn(g, 64, 64).requiresGrad(true);
        Tensor x = Tensor.randn(g, 32, 64);
        Tensor h = x.matmul(w).relu();
        WeakReference<Tensor> activation = new WeakReference<>(h);
        Tensor loss = h.square().mean();
        h = null;
        loss.backward();
        List<Tensor> kept = new ArrayList<>(List.of(loss)); // what a training loop that logs losses does
        for (int i = 0; i < 20 && activation.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(activation.get(), "the activation saved by the graph should be collectable once backward() ran");
        assertTrue(kept.get(0).item() > 0);
    }

    @Test
    @Tag("slow") // ten seconds of allocation; left out of mutation runs (mutation.sh), where it would run for every survivor
    void keepingThousandsOfLossesStaysFlat() {
        Generator g = new Generator(2);
        Tensor w = Tensor.randn(g, 128, 128).requiresGrad(true);
        Tensor x = Tensor.randn(g, 64, 128);
        List<Tensor> losses = new ArrayList<>();
        long[] used = new long[2];
        for (int step = 0; step < 2000; step++) {
            Tensor loss = x.matmul(w).tanh().square().mean(); // 64x128 floats of activations per step
            loss.backward();
            w.setGrad(null);
            losses.add(loss);
            if (step == 199 || step == 1999) {
                System.gc();
                used[step == 199 ? 0 : 1] = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            }
        }
        // With the graphs kept alive, 1,800 more steps would hold 1,800 × 2 × 32 KiB ≈ 110 MiB more.
        assertTrue(used[1] - used[0] < 40L << 20, "heap grew by " + ((used[1] - used[0]) >> 20) + " MiB over 1,800 kept losses");
    }

    @Test
    void aSecondBackwardThroughAFreedGraphIsAClearError() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor loss = x.mul(x).sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retainGraph"), e.getMessage());
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toFloatArray(), "the failed pass must not accumulate");
    }

    @Test
    void retainGraphAllowsASecondPassThatAccumulates() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor loss = x.mul(x).sum();
        loss.backward(true);
        loss.backward();
        assertArrayEquals(new float[] {4, 8, 12}, x.grad().toFloatArray());
    }

    @Test
    void anInPlaceChangeOfASavedTensorIsCaughtAtBackward() {
        Tensor x = Tensor.fromArray(new float[] {1}).requiresGrad(true);
        Tensor y = x.mul(x);            // dy/dx = 2x = 2 at x = 1
        x.assign(Tensor.fromArray(new float[] {50}));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("mul") && e.getMessage().contains("modified in place"), e.getMessage());
        assertNull(x.grad(), "no gradient is accumulated from a stale graph");
    }

    @Test
    void anInPlaceChangeThroughAViewIsCaughtToo() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}).requiresGrad(true);
        Tensor y = x.sigmoid();          // saves its output
        y.detach().reshape(2, 2).assign(Tensor.zeros(2, 2));
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    @Test
    void reshapeRejectsNegativeSizesOtherThanMinusOne() {
        Tensor x = Tensor.zeros(6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(-2, -3));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }
}
