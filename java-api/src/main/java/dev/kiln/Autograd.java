package dev.kiln;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation: the graph recorder for ops ({@link #op}), the engine that
 * runs {@link Tensor#backward()}, and the switch for gradient recording. Inside a
 * {@link #noGrad()} scope, ops do not record a graph:
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     Tensor logits = model.forward(x);   // no graph kept
 * }
 * }</pre>
 */
public final class Autograd {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Autograd() {
    }

    /** Maps the gradient of an op's output to the gradients of its inputs (null where none). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * The engine behind {@link Tensor#backward(Tensor, boolean)}: reverse topological order,
     * gradients summed per input; unless {@code retainGraph}, every node it ran is freed afterwards
     * (its inputs and saved tensors released) so a kept output no longer holds the graph alive.
     */
    static void backward(Tensor self, Tensor gradient, boolean retainGraph) {
        if (!self.requiresGrad) {
            throw new IllegalStateException("This tensor does not require grad: no input of the graph that made it requires grad");
        }
        if (gradient == null) {
            if (self.numel() != 1) {
                throw new IllegalStateException("backward() without a gradient needs a scalar, shape is " + Shapes.str(self.shape)
                        + "; call backward(gradient) instead");
            }
            gradient = Tensor.full(self.device(), 1f, self.shape);
        }
        if (!Arrays.equals(gradient.shape, self.shape)) {
            throw new IllegalArgumentException("Gradient shape " + Shapes.str(gradient.shape) + " does not match " + Shapes.str(self.shape));
        }
        List<Tensor> order = topologicalOrder(self);
        for (Tensor t : order) {
            if (t.node != null) {
                t.node.checkVersions(t);
            }
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(self, gradient);
        try (Autograd.Scope scope = Autograd.noGrad()) {
            for (Tensor t : order) {
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                if (t.node == null) {
                    t.setGrad(t.grad == null ? g : t.grad.add(g));   // a gradient made in a scope now belongs to t
                    continue;
                }
                Tensor[] inGrads = t.node.backward.apply(g);
                for (int k = 0; k < inGrads.length; k++) {
                    Tensor in = t.node.inputs[k];
                    if (inGrads[k] == null || in == null || !in.requiresGrad) {
                        continue;
                    }
                    if (!Arrays.equals(inGrads[k].shape, in.shape)) {
                        throw new IllegalStateException("Backward of " + t.node.op + " produced gradient shape "
                                + Shapes.str(inGrads[k].shape) + " for input shape " + Shapes.str(in.shape));
                    }
                    grads.merge(in, inGrads[k], Tensor::add);
                }
            }
        }
        if (!retainGraph) {
            for (Tensor t : order) {
                if (t.node != null) {
                    t.node.free();
                }
            }
        }
    }

    /** Nodes reachable from this tensor, outputs before inputs (iterative: deep graphs must not overflow). */
    static List<Tensor> topologicalOrder(Tensor self) {
        List<Tensor> post = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {self, 0});
        seen.put(self, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int next = (Integer) top[1];
            if (t.node != null && t.node.freed()) {
                throw new IllegalStateException("Trying to backward through the graph a second time: the saved tensors of "
                        + t.node.op + " were freed by the first backward(); call backward(true) (retainGraph) the first time "
                        + "if you need to");
            }
            Tensor[] ins = t.node == null ? new Tensor[0] : t.node.inputs;
            if (next < ins.length) {
                top[1] = next + 1;
                Tensor in = ins[next];
                if (in != null && in.requiresGrad && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                post.add(t);
            }
        }
        Collections.reverse(post);
        return post;
    }

    /**
     * Records a differentiable op: when recording is on and some input requires grad, {@code out}
     * becomes a graph node whose {@code backward} maps the gradient of {@code out} to one gradient
     * per input (in the order of {@code inputs}; null where an input gets none). Returns {@code out}.
     * Ops written outside this package use it the same way Kiln's own do:
     *
     * <pre>{@code
     * static Tensor cube(Tensor x) {
     *     Tensor y = x.mul(x).mul(x).detach();          // forward without a graph of its own
     *     return Autograd.op("cube", y, g -> new Tensor[] {g.mul(x.square()).mul(3f)}, x);
     * }
     * }</pre>
     *
     * @param name     shown in errors from the backward pass
     * @param out      the op's result, freshly made (not yet part of a graph)
     * @param backward the gradient rule; it runs with recording off
     * @param inputs   the op's tensor inputs (nulls allowed for absent optional inputs)
     */
    public static Tensor op(String name, Tensor out, Backward backward, Tensor... inputs) {
        if (!out.isLeaf()) {
            throw new IllegalArgumentException("Autograd.op(" + name + "): the output already belongs to the graph of "
                    + out.node.op + "; pass a fresh tensor (detach() it first)");
        }
        if (!Autograd.isEnabled()) {
            return out;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                out.requiresGrad = true;
                out.node = new Node(name, out, inputs, backward);
                return out;
            }
        }
        return out;
    }


    /** True when ops on this thread record gradients. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which no graph is recorded; closing it restores the previous mode. */
    public static Scope noGrad() {
        return new Scope(false);
    }

    /** A scope that re-enables recording (for example inside a no-grad region). */
    public static Scope enableGrad() {
        return new Scope(true);
    }

    /** A gradient-mode scope for try-with-resources. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean enabled) {
            boolean[] flag = ENABLED.get();
            previous = flag[0];
            flag[0] = enabled;
        }

        @Override
        public void close() {
            ENABLED.get()[0] = previous;
        }
    }
}
