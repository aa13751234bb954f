package dev.kiln;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest {

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}).requiresGrad(true);
        x.square().sum().backward();
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toFloatArray());
        x.square().sum().backward();
        assertArrayEquals(new float[] {4, 8, 12}, x.grad().toFloatArray());
        x.setGrad(null);
        assertNull(x.grad());
    }

    @Test
    void sharedSubexpressionsSumTheirGradients() {
        Tensor x = Tensor.fromArray(new float[] {3}).requiresGrad(true);
        Tensor y = x.mul(x).add(x); // y = x^2 + x, dy/dx = 2x + 1 = 7
        y.sum().backward();
        assertArrayEquals(new float[] {7}, x.grad().toFloatArray());
    }

    @Test
    void noGradAndDetachStopRecording() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        try (Autograd.Scope s = Autograd.noGrad()) {
            assertFalse(x.mul(2).requiresGrad());
        }
        assertTrue(x.mul(2).requiresGrad());
        Tensor d = x.mul(2).detach();
        assertFalse(d.requiresGrad());
        Tensor y = x.mul(d).sum();
        y.backward();
        assertArrayEquals(new float[] {2, 2}, x.grad().toFloatArray());
    }

    @Test
    void backwardNeedsAScalarOrAGradient() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> x.mul(2).backward());
        x.mul(3).backward(Tensor.fromArray(new float[] {1, 2}));
        assertArrayEquals(new float[] {3, 6}, x.grad().toFloatArray());
        assertThrows(IllegalStateException.class, () -> Tensor.ones(1).sum().backward());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.ones(1).requiresGrad(true);
        Tensor y = x;
        for (int k = 0; k < 20000; k++) {
            y = y.add(1f);
        }
        y.sum().backward();
        assertArrayEquals(new float[] {1}, x.grad().toFloatArray());
    }
}
