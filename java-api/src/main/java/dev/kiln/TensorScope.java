package dev.kiln;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Deterministic release of tensor memory: every tensor created on this thread while the scope is
 * open belongs to it, and {@link #close()} closes each one that was not {@linkplain #keep kept}.
 * On a GPU the blocks go straight back to the caching allocator at the end of the scope, instead
 * of waiting for the garbage collector (which stays a backstop for tensors made outside scopes).
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     try (TensorScope scope = Tensor.scope()) {
 *         opt.zeroGrad();
 *         Tensor loss = net.forward(b.x().to(device)).crossEntropy(b.y().to(device));
 *         loss.backward();
 *         opt.step();
 *         lossSum = lossSum.add(scope.keep(loss.detach()));   // or read it: loss.item()
 *     }   // activations, saved tensors and temporary gradients are released here
 * }
 * }</pre>
 *
 * <p>What survives a scope:
 * <ul>
 *   <li>tensors created before it opened (parameters, data already on the device);</li>
 *   <li>tensors passed to {@link #keep(Tensor)}: they move to the enclosing scope, or become
 *       unscoped (closed by {@link Tensor#close()} or the garbage collector) when there is none;</li>
 *   <li>gradients that {@link Tensor#backward()} accumulates into leaves: a gradient belongs to its
 *       tensor and is released when {@link Tensor#setGrad replaced or cleared} (as
 *       {@code Optimizer.zeroGrad()} does);</li>
 *   <li>optimiser state, and whatever library code creates inside {@link #outside(Supplier)}.</li>
 * </ul>
 *
 * <p>Closing a tensor closes that tensor object; its storage is released when the last tensor
 * sharing it ({@link Tensor#reshape} views, {@link Tensor#detach()}) is closed. Using a closed
 * tensor, or a view of released storage, throws {@link IllegalStateException}; memory is never read
 * after its release. A graph kept past its scope cannot be backpropagated if the tensors its ops
 * saved were released: call {@code backward()} inside the scope.
 *
 * <p>Scopes nest and belong to the thread that opened them; they must be closed in reverse order
 * (try-with-resources does that). Only the opening thread's tensors join a scope.
 */
public final class TensorScope implements AutoCloseable {

    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final Thread owner;
    private List<Tensor> owned = new ArrayList<>();

    TensorScope() {
        this.owner = Thread.currentThread();
        this.parent = CURRENT.get();
        CURRENT.set(this);
    }

    /** The innermost open scope of this thread, or null. */
    static TensorScope current() {
        return CURRENT.get();
    }

    /** Called by every tensor constructor: the new tensor joins the innermost open scope, if any. */
    static void register(Tensor t) {
        TensorScope s = CURRENT.get();
        if (s != null) {
            t.scope = s;
            s.owned.add(t);
        }
    }

    /**
     * Lets {@code t} outlive this scope: it moves to the enclosing scope, or becomes unscoped when
     * there is none. A tensor that does not belong to this scope is returned unchanged. Returns
     * {@code t}, so a result can escape in one expression: {@code return scope.keep(y);}.
     *
     * @throws IllegalStateException if {@code t} is closed, or this scope is
     */
    public Tensor keep(Tensor t) {
        if (owned == null) {
            throw new IllegalStateException("keep() on a closed TensorScope");
        }
        if (t.isClosed()) {
            throw new IllegalStateException("keep(): the tensor " + Shapes.str(t.shape) + " is already closed");
        }
        if (t.scope == this) {
            t.scope = parent;
            if (parent != null) {
                parent.owned.add(t);
            }
        }
        return t;
    }

    /** {@link #keep(Tensor)} for each tensor; returns {@code tensors}. */
    public <C extends Iterable<Tensor>> C keepAll(C tensors) {
        for (Tensor t : tensors) {
            keep(t);
        }
        return tensors;
    }

    /**
     * Runs {@code make} with no scope open on this thread, so the tensors it creates belong to no
     * scope: for state that lives across scopes (optimiser moments, lazily built tables and caches).
     */
    public static <T> T outside(Supplier<T> make) {
        TensorScope saved = CURRENT.get();
        CURRENT.remove();
        try {
            return make.get();
        } finally {
            if (saved != null) {
                CURRENT.set(saved);
            }
        }
    }

    /**
     * Takes {@code t} out of whatever scope holds it: from now on it is closed only by
     * {@link Tensor#close()} or the garbage collector. For tensors that an object owns beyond the
     * scope they were made in (a module's parameters and buffers). Returns {@code t}.
     */
    public static Tensor unscoped(Tensor t) {
        t.scope = null;
        return t;
    }

    /** Number of tensors this scope would close now (for tests and diagnostics). */
    public int size() {
        if (owned == null) {
            return 0;
        }
        int n = 0;
        for (Tensor t : owned) {
            if (t.scope == this && !t.isClosed()) {
                n++;
            }
        }
        return n;
    }

    /** Removes {@code t} from whatever scope holds it (it is now owned by someone else, e.g. as a gradient). */
    static void release(Tensor t) {
        t.scope = null;
    }

    /**
     * Closes every tensor of this scope that was not kept, and makes the enclosing scope current
     * again. Closing twice does nothing.
     *
     * @throws IllegalStateException if called from another thread, or while a scope opened inside
     *                               this one is still open
     */
    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("A TensorScope must be closed by the thread that opened it (" + owner.getName() + ")");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("TensorScopes must be closed in reverse order: a scope opened inside this one is still open");
        }
        List<Tensor> list = owned;
        owned = null;
        if (parent != null) {
            CURRENT.set(parent);
        } else {
            CURRENT.remove();
        }
        for (Tensor t : list) {
            if (t.scope == this) {
                t.scope = null;
                t.close();
            }
        }
    }
}
