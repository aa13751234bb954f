package dev.kiln.optim;

import dev.kiln.Autograd;
import dev.kiln.RowSparseGrad;
import dev.kiln.DType;
import dev.kiln.Tensor;
import dev.kiln.TensorScope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimisers: a list of parameters, a learning rate (which schedulers change) and
 * per-parameter state buffers that live on the parameters' device. Each update is one fused
 * backend call per parameter, so on a GPU the step never leaves the device.
 */
public abstract class Optimizer {

    /** The parameters this optimizer updates, in the order it was given them (their index names their state). */
    protected final List<Tensor> params;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private float lr;
    private long steps;

    /**
     * Checks that {@code params} are FLOAT32 tensors requiring grad and {@code lr >= 0}.
     *
     * @param params the parameters to update (copied into a new list; the tensors themselves are updated in place),
     *     at least one
     * @param lr     the initial learning rate, &ge; 0
     * @throws IllegalArgumentException if {@code params} is empty, a parameter is not a FLOAT32 tensor that requires
     *     grad, or {@code lr} is negative or NaN
     */
    protected Optimizer(List<Tensor> params, float lr) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("Optimizer got an empty parameter list");
        }
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Learning rate must be >= 0, got " + lr);
        }
        for (Tensor p : params) {
            if (!p.requiresGrad() || p.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException("Optimizer parameters must be FLOAT32 tensors that require grad, got " + p);
            }
        }
        this.params = new ArrayList<>(params);
        this.lr = lr;
    }

    /**
     * The current learning rate.
     *
     * @return the learning rate the next {@link #step()} uses
     */
    public float lr() {
        return lr;
    }

    /**
     * Sets the learning rate for the next steps (schedulers call this).
     *
     * @param lr the new learning rate; not checked, so a scheduler may pass any value it computes
     */
    public void setLr(float lr) {
        this.lr = lr;
    }

    /**
     * Number of completed {@link #step()} calls.
     *
     * @return the step count, 0 for a new optimizer (restored by {@link #loadStateDict})
     */
    public long steps() {
        return steps;
    }

    /**
     * Applies one update to every parameter that has a gradient. A parameter with only a row-sparse
     * gradient ({@link Tensor#sparseGrad()}) goes to {@link #updateSparse}; one with both a dense
     * and a row-sparse gradient (a table also used densely) gets their dense sum.
     */
    public final void step() {
        steps++;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            for (int k = 0; k < params.size(); k++) {
                Tensor p = params.get(k);
                RowSparseGrad s = p.sparseGrad();
                if (s != null && p.grad() != null) {
                    Tensor g = p.grad().add(0f);
                    s.addTo(g, 1f);
                    update(k, p, g);
                } else if (s != null) {
                    updateSparse(k, p, s);
                } else if (p.grad() != null) {
                    update(k, p, p.grad());
                }
            }
        }
    }

    /**
     * Updates parameter {@code index} in place from its gradient.
     *
     * @param index the parameter's position in {@link #params}, which names its state ({@link #state})
     * @param param the parameter, updated in place (for example with {@link Tensor#assign} or a fused backend call)
     * @param grad  its dense gradient, of the parameter's shape and on its device
     */
    protected abstract void update(int index, Tensor param, Tensor grad);

    /**
     * Updates only the rows of parameter {@code index} that {@code grad} touches. This optimizer
     * has no such rule (its update of untouched rows is not zero, e.g. momentum or weight decay):
     * an error naming the parameter and the ones that do.
     *
     * @param index the parameter's position in {@link #params}
     * @param param the parameter, updated in place by optimizers that override this
     * @param grad  its row-sparse gradient: the touched rows and their gradient rows
     * @throws IllegalStateException always, here; optimizers with a sparse rule override this
     */
    protected void updateSparse(int index, Tensor param, RowSparseGrad grad) {
        throw new IllegalStateException(getClass().getSimpleName() + " cannot apply the row-sparse gradient of parameter " + index
                + " " + java.util.Arrays.toString(param.shape()) + ": use SGD (without momentum or weight decay) or SparseAdam for it, "
                + "or an Embedding without sparse gradients");
    }

    /** Clears every parameter's gradient (releasing those that backward() made inside a {@link TensorScope}). */
    public final void zeroGrad() {
        for (Tensor p : params) {
            p.setGrad(null);
            p.setSparseGrad(null);
        }
    }

    /**
     * A zero-initialised state buffer named {@code kind} for parameter {@code index}.
     *
     * @param kind  the buffer's name within the optimizer (for example Adam's {@code "m"} and {@code "v"}, SGD's
     *     {@code "velocity"}); it becomes part of the {@link #stateDict()} key {@code kind.index}
     * @param index the parameter's position in {@link #params}
     * @return the buffer, FLOAT32 of the parameter's shape on its device, created as zeros on first use and the same
     *     tensor afterwards (it lives outside any {@link TensorScope})
     */
    protected final Tensor state(String kind, int index) {
        // state outlives the step's scope
        return state.computeIfAbsent(kind + "." + index,
                key -> TensorScope.outside(() -> Tensor.zeros(params.get(index).device(), params.get(index).shape())));
    }

    /**
     * Whether the state buffer {@code kind} of parameter {@code index} exists yet.
     *
     * @param kind  the buffer's name, as passed to {@link #state}
     * @param index the parameter's position in {@link #params}
     * @return true once {@link #state} created it or {@link #loadStateDict} restored it
     */
    protected final boolean hasState(String kind, int index) {
        return state.containsKey(kind + "." + index);
    }

    /**
     * Optimiser state for checkpoints: the step count and every moment buffer.
     *
     * @return a new map: every state buffer under {@code kind.index}, in the order they were created (the live
     *     tensors, not copies), then {@code "steps"} (INT64 {@code [1]}) and {@code "lr"} (a FLOAT32 scalar)
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.put("steps", Tensor.fromLongs(new long[] {steps}));
        out.put("lr", Tensor.scalar(lr));
        return out;
    }

    /**
     * Restores {@link #stateDict()} output (buffers are moved to the parameters' device).
     * The buffers are copied, so the tensors in {@code saved} are never updated by later steps.
     *
     * @param saved a map as {@link #stateDict()} returns it, for an optimizer over parameters of the same shapes
     * @throws IllegalArgumentException if {@code "steps"} or {@code "lr"} is missing, or a buffer's index or shape does
     *     not fit the parameters
     */
    public final void loadStateDict(Map<String, Tensor> saved) {
        Tensor s = saved.get("steps");
        Tensor l = saved.get("lr");
        if (s == null || l == null) {
            throw new IllegalArgumentException("Optimizer state is missing 'steps' or 'lr'; keys are " + saved.keySet());
        }
        state.clear();
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            if (e.getKey().equals("steps") || e.getKey().equals("lr")) {
                continue;
            }
            int index = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('.') + 1));
            if (index < 0 || index >= params.size() || !java.util.Arrays.equals(params.get(index).shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("Optimizer state '" + e.getKey() + "' does not fit the parameters");
            }
            // a copy: the caller's tensors (perhaps another optimiser's live state) are not updated in place
            Tensor copy = TensorScope.outside(() -> Tensor.zeros(params.get(index).device(), params.get(index).shape()));
            copy.assign(e.getValue());
            state.put(e.getKey(), copy);
        }
        steps = (long) s.item();
        lr = l.item();
    }
}
