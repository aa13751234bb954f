package dev.kiln.nn;

import dev.kiln.Device;
import dev.kiln.Shapes;
import dev.kiln.Tensor;
import dev.kiln.TensorScope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Base of all layers and models: named parameters, buffers and sub-modules, train/eval mode,
 * state dicts and device moves. Subclasses register what they own in the constructor and read it
 * back by name, so {@link #to(Device)} and {@link #loadStateDict} can replace the tensors.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     Mlp(Generator g) {
 *         registerModule("fc1", new Linear(4, 16, g));
 *         registerModule("fc2", new Linear(16, 3, g));
 *     }
 *     public Tensor forward(Tensor x) {
 *         return module("fc2").forward(module("fc1").forward(x).relu());
 *     }
 * }
 * }</pre>
 */
public abstract class Module {

    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * Computes the module's output.
     *
     * @param input the batch, with the shape and device the module documents (for most layers the batch axis first)
     * @return the output, on the input's device; outside {@link dev.kiln.Autograd#noGrad()} it records the graph
     *     that {@link Tensor#backward()} follows back to the parameters
     */
    public abstract Tensor forward(Tensor input);

    // ---- registration ------------------------------------------------------------------------

    /**
     * Registers a trained parameter (made to require grad; a non-leaf is detached) under {@code name}; returns it.
     *
     * @param name  the parameter's name within this module: not empty, no {@code '.'}, not already used here
     * @param value the initial values, FLOAT32; taken out of any {@link TensorScope}, so the module owns it
     * @return the registered parameter ({@code value} itself when it is a leaf), which now requires grad
     * @throws IllegalArgumentException if the name is empty, contains a dot or is already registered, or
     *     {@code value} is not FLOAT32
     */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        Tensor p = TensorScope.unscoped(value.isLeaf() ? value : value.detach());   // the module's, not a scope's
        params.put(name, p.requiresGrad(true));
        return p;
    }

    /**
     * Registers non-trained state (running statistics) that is saved and moved with the module.
     *
     * @param name  the buffer's name within this module: not empty, no {@code '.'}, not already used here
     * @param value its initial values; a detached alias (same storage, outside any scope) is what is registered
     * @return {@code value}, as given; read the registered tensor back with {@link #buffer}
     * @throws IllegalArgumentException if the name is empty, contains a dot or is already registered
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, TensorScope.unscoped(value.detach()));
        return value;
    }

    /**
     * Registers a sub-module under {@code name} (its parameters appear as {@code name.param}); returns it.
     *
     * @param <M>    the sub-module's type
     * @param name   the sub-module's name within this module: not empty, no {@code '.'}, not already used here
     * @param module the sub-module; it follows this module's {@link #to(Device)} and {@link #train(boolean)}
     * @return {@code module}
     * @throws IllegalArgumentException if the name is empty, contains a dot or is already registered
     */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("Bad or duplicate name '" + name + "' in " + getClass().getSimpleName());
        }
    }

    /**
     * A parameter registered by this module.
     *
     * @param name the name it was registered under (not a dotted path)
     * @return the parameter's current tensor (replaced by {@link #to(Device)}, so read it back on each use)
     * @throws IllegalArgumentException if this module has no parameter of that name
     */
    protected final Tensor param(String name) {
        Tensor t = params.get(name);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        return t;
    }

    /**
     * A parameter if registered, else null (optional biases).
     *
     * @param name the name it was registered under
     * @return the parameter's current tensor, or null when none is registered under {@code name}
     */
    protected final Tensor paramOrNull(String name) {
        return params.get(name);
    }

    /**
     * A buffer registered by this module, or null.
     *
     * @param name the name it was registered under
     * @return the buffer's current tensor, or null when none is registered under {@code name}
     */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    /**
     * Replaces a registered buffer's tensor (for example updated running statistics).
     *
     * @param name  the name the buffer was registered under
     * @param value the new values; a detached alias outside any scope is stored
     * @throws IllegalArgumentException if this module has no buffer of that name
     */
    protected final void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'");
        }
        buffers.put(name, TensorScope.unscoped(value.detach()));
    }

    /**
     * A direct sub-module.
     *
     * @param <M>  the type the caller expects (an unchecked cast: a wrong type fails where the result is used)
     * @param name the name it was registered under
     * @return the sub-module
     * @throws IllegalArgumentException if this module has no sub-module of that name
     */
    @SuppressWarnings("unchecked")
    protected final <M extends Module> M module(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no sub-module '" + name + "'");
        }
        return (M) m;
    }

    /**
     * Direct sub-modules in registration order.
     *
     * @return a new list of the direct sub-modules (not their descendants)
     */
    public final List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /**
     * Direct sub-modules by name, in registration order.
     *
     * @return an unmodifiable live view: names to direct sub-modules
     */
    public final Map<String, Module> namedChildren() {
        return java.util.Collections.unmodifiableMap(children);
    }

    // ---- parameters and state ----------------------------------------------------------------

    /**
     * All parameters, depth first, keyed by dotted path ({@code "fc1.weight"}).
     *
     * @return a new map from dotted path to the live parameter tensors, in registration order (own parameters before
     *     those of sub-modules)
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    /**
     * All parameters, depth first, in registration order (what an optimiser takes).
     *
     * @return a new list of the live parameter tensors, in {@link #namedParameters()} order
     */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Number of trainable scalars.
     *
     * @return the total element count of all parameters, sub-modules included
     */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            n += t.numel();
        }
        return n;
    }

    /**
     * Parameters and buffers, keyed by dotted path.
     *
     * @return a new map from dotted path to the live tensors (not copies): each module's parameters, then its
     *     buffers, then its sub-modules'
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        params.forEach((k, v) -> out.put(prefix + k, v));
        if (withBuffers) {
            buffers.forEach((k, v) -> out.put(prefix + k, v));
        }
        children.forEach((k, m) -> m.collect(prefix + k + ".", out, withBuffers));
    }

    /**
     * Copies values from a state dict into this module's tensors. Every key must match and every
     * shape must agree; otherwise nothing is changed and the error names the keys or shapes.
     *
     * @param state dotted path to values, as {@link #stateDict()} returns them; tensors on any device (copied over)
     * @throws IllegalArgumentException if keys are missing or unexpected, or an entry's shape or dtype differs
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> mine = stateDict();
        Set<String> missing = new TreeSet<>(mine.keySet());
        missing.removeAll(state.keySet());
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(mine.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("State dict does not match " + getClass().getSimpleName()
                    + ": missing " + missing + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (!java.util.Arrays.equals(src.shape(), e.getValue().shape()) || src.dtype() != e.getValue().dtype()) {
                throw new IllegalArgumentException("State dict entry '" + e.getKey() + "' has shape " + Shapes.str(src.shape())
                        + " " + src.dtype() + ", the module expects " + Shapes.str(e.getValue().shape()) + " " + e.getValue().dtype());
            }
        }
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            e.getValue().assign(state.get(e.getKey()));
        }
    }

    /**
     * Moves every parameter and buffer to {@code device}. Create optimisers after moving.
     *
     * @param device the target device
     * @return this module, for chaining
     * @throws dev.kiln.DeviceUnavailableException if {@code device} has no usable backend here
     */
    public Module to(Device device) {
        params.replaceAll((k, v) -> v.device().equals(device) ? v
                : TensorScope.unscoped(v.detach().to(device)).requiresGrad(true));
        buffers.replaceAll((k, v) -> TensorScope.unscoped(v.to(device)));
        children.values().forEach(m -> m.to(device));
        return this;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) {
            p.setGrad(null);
            p.setSparseGrad(null);
        }
    }

    // ---- mode --------------------------------------------------------------------------------

    /**
     * Training mode (dropout active, batch statistics). Returns this.
     *
     * @return this module, for chaining
     */
    public final Module train() {
        return train(true);
    }

    /**
     * Evaluation mode (dropout off, running statistics). Returns this.
     *
     * @return this module, for chaining
     */
    public final Module eval() {
        return train(false);
    }

    /**
     * Training mode when {@code on}, else evaluation mode, for this module and all below it. Returns this.
     *
     * @param on true for training mode, false for evaluation mode
     * @return this module, for chaining
     */
    public final Module train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
        return this;
    }

    /**
     * Whether the module is in training mode (the default for a new module).
     *
     * @return true in training mode, false in evaluation mode
     */
    public final boolean isTraining() {
        return training;
    }

    /**
     * The class name and its sub-modules.
     *
     * @return the class name, then each sub-module indented under its name and each parameter with its shape
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        children.forEach((k, m) -> sb.append("\n  ").append(k).append(": ").append(m.toString().replace("\n", "\n  ")));
        params.forEach((k, v) -> sb.append(children.isEmpty() ? "" : "\n  ").append(k).append(Shapes.str(v.shape())).append(' '));
        return sb.append(children.isEmpty() ? "" : "\n").append(')').toString().replace(" )", ")").replace(" \n", "\n");
    }
}
