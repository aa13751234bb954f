package dev.kiln;

import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.AdamW;
import dev.kiln.optim.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensor lifetimes on the CPU: close(), scopes, keep, shared storage, gradients and optimiser state. */
class TensorScopeTest {

    @Test
    void aClosedTensorThrowsInsteadOfReadingItsStorage() {
        Tensor t = Tensor.randn(new Generator(3), 4, 5);
        Tensor view = t.reshape(20);
        t.close();
        assertTrue(t.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("[4, 5]") && e.getMessage().contains("closed"), e.getMessage());
        assertTrue(t.toString().endsWith("(closed)"), "printing a closed tensor reads nothing: " + t);
        // the view still holds the storage: it stays readable
        assertEquals(20, view.toFloatArray().length);
        view.close();
        // an op on a tensor whose storage is gone fails in the backend, naming the release
        IllegalStateException op = assertThrows(IllegalStateException.class, () -> view.add(1f));
        assertTrue(op.getMessage().contains("release"), op.getMessage());
        t.close(); // idempotent
    }

    @Test
    void aScopeClosesWhatItMadeExceptKeptTensors() {
        Tensor outside = Tensor.randn(new Generator(1), 3, 3);
        Tensor kept;
        Tensor temp;
        Tensor alias;
        try (TensorScope scope = Tensor.scope()) {
            temp = outside.mul(2f);
            Tensor y = temp.add(1f);
            alias = outside.reshape(9);
            kept = scope.keep(y.reshape(9));   // a view of a temporary: its storage survives through it
            assertEquals(3, scope.size(), "temp, y, alias (kept is no longer the scope's)");
        }
        assertTrue(temp.isClosed());
        assertTrue(alias.isClosed());
        assertFalse(outside.isClosed(), "tensors made before the scope are not its own");
        assertFalse(kept.isClosed());
        float[] o = outside.toFloatArray();
        float[] k = kept.toFloatArray();
        for (int i = 0; i < 9; i++) {
            assertEquals(o[i] * 2f + 1f, k[i]);
        }
    }

    @Test
    void nestedScopesHandKeptTensorsOutward() {
        Tensor a = Tensor.ones(2);
        Tensor inner;
        Tensor kept;
        try (TensorScope outer = Tensor.scope()) {
            try (TensorScope in = Tensor.scope()) {
                inner = a.add(1f);
                kept = in.keep(inner);
                assertThrows(IllegalStateException.class, outer::close, "the inner scope is still open");
            }
            assertFalse(kept.isClosed(), "kept by the inner scope: now the outer scope's");
            assertEquals(1, outer.size());
        }
        assertTrue(kept.isClosed(), "closed with the outer scope");
        assertThrows(IllegalStateException.class, () -> {
            try (TensorScope s = Tensor.scope()) {
                Tensor t = Tensor.ones(1);
                t.close();
                s.keep(t);
            }
        });
    }

    @Test
    void gradientsAndOptimiserStateOutliveTheStepAndAreReleasedByZeroGrad() {
        Generator g = new Generator(7);
        Module net = new Linear(3, 2, g);
        Optimizer opt = new AdamW(net.parameters(), 1e-2f);
        Tensor x = Tensor.randn(g, 4, 3);
        Tensor w = net.parameters().get(0);
        Tensor grad;
        try (TensorScope scope = Tensor.scope()) {
            net.forward(x).square().mean().backward();
            opt.step();
            grad = w.grad();
        }
        assertFalse(grad.isClosed(), "a gradient belongs to its parameter, not to the scope");
        assertEquals(6, grad.toFloatArray().length);
        try (TensorScope scope = Tensor.scope()) {
            opt.zeroGrad();
            assertTrue(grad.isClosed(), "zeroGrad releases a gradient made inside a scope");
            assertNull(w.grad());
            net.forward(x).square().mean().backward();
            opt.step(); // reads the moment buffers made in the first step's scope
        }
        assertFalse(w.grad().isClosed());
        assertEquals(2, opt.steps());
    }

    @Test
    void gradientsFromOutsideAnyScopeAreNotClosedByZeroGrad() {
        Tensor leaf = Tensor.ones(3).requiresGrad(true);
        Tensor userGrad = Tensor.full(2f, 3);
        leaf.backward(userGrad);
        assertSame(userGrad, leaf.grad());
        leaf.setGrad(null);
        assertFalse(userGrad.isClosed());
    }

    @Test
    void oneGradientObjectReachingTwoLeavesIsOwnedByBothSafely() {
        Tensor a = Tensor.ones(2).requiresGrad(true);
        Tensor b = Tensor.ones(2).requiresGrad(true);
        try (TensorScope scope = Tensor.scope()) {
            a.add(b).sum().backward();    // add's backward hands the same gradient to both inputs
        }
        a.setGrad(null);
        assertArrayEquals(new float[] {1, 1}, b.grad().toFloatArray(), "b's gradient survives a's release");
    }

    /** Scopes change when memory is released, never a value: the same training run with and without them. */
    @Test
    void trainingInScopesGivesBitIdenticalLosses() {
        assertArrayEquals(train(false), train(true));
    }

    private static float[] train(boolean scoped) {
        Generator g = new Generator(11);
        Module net = new Sequential(new Linear(4, 16, g), Activation.relu(), new Linear(16, 3, g));
        Optimizer opt = new AdamW(net.parameters(), 1e-2f);
        Tensor x = Tensor.randn(g, 32, 4);
        Tensor y = Tensor.fromIndices(new int[32]);
        List<Float> losses = new ArrayList<>();
        for (int step = 0; step < 20; step++) {
            TensorScope scope = scoped ? Tensor.scope() : null;
            try {
                opt.zeroGrad();
                Tensor loss = net.forward(x).crossEntropy(y);
                loss.backward();
                opt.step();
                losses.add(loss.item());
            } finally {
                if (scope != null) {
                    scope.close();
                }
            }
        }
        float[] out = new float[losses.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = losses.get(i);
        }
        return out;
    }
}
