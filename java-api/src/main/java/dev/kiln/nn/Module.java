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

    /** Computes the module's output. */
    public abstract Tensor forward(Tensor input);

    // ---- registration ------------------------------------------------------------------------

    /** Registers a trained parameter (made to require grad; a non-leaf is detached) under {@code name}; returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        Tensor p = TensorScope.unscoped(value.isLeaf() ? value : value.detach());   // the module's, not a scope's
        params.put(name, p.requiresGrad(true));
        return p;
    }

    /** Registers non-trained state (running statistics) that is saved and moved with the module. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, TensorScope.unscoped(value.detach()));
        return value;
    }

    /** Registers a sub-module under {@code name} (its parameters appear as {@code name.param}); returns it. */
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

    /** A parameter registered by this module. */
    protected final Tensor param(String name) {
        Tensor t = params.get(name);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        return t;
    }

    /** A parameter if registered, else null (optional biases). */
    protected final Tensor paramOrNull(String name) {
        return params.get(name);
    }

    /** A buffer registered by this module, or null. */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** Replaces a registered buffer's tensor (for example updated running statistics). */
    protected final void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'");
        }
        buffers.put(name, TensorScope.unscoped(value.detach()));
    }

    /** A direct sub-module. */
    @SuppressWarnings("unchecked")
    protected final <M extends Module> M module(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no sub-module '" + name + "'");
        }
        return (M) m;
    }

    /** Direct sub-modules in registration order. */
    public final List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** Direct sub-modules by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return java.util.Collections.unmodifiableMap(children);
    }

    // ---- parameters and state ----------------------------------------------------------------

    /** All parameters, depth first, keyed by dotted path ({@code "fc1.weight"}). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    /** All parameters, depth first, in registration order (what an optimiser takes). */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            n += t.numel();
        }
        return n;
    }

    /** Parameters and buffers, keyed by dotted path. */
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

    /** Moves every parameter and buffer to {@code device}. Create optimisers after moving. */
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

    /** Training mode (dropout active, batch statistics). Returns this. */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode. Returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Training mode when {@code on}, else evaluation mode, for this module and all below it. Returns this. */
    public final Module train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
        return this;
    }

    /** True in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /** The class name and its sub-modules. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        children.forEach((k, m) -> sb.append("\n  ").append(k).append(": ").append(m.toString().replace("\n", "\n  ")));
        params.forEach((k, v) -> sb.append(children.isEmpty() ? "" : "\n  ").append(k).append(Shapes.str(v.shape())).append(' '));
        return sb.append(children.isEmpty() ? "" : "\n").append(')').toString().replace(" )", ")").replace(" \n", "\n");
    }
}
