package dev.kiln.nn;

import dev.kiln.Tensor;

/** Runs its modules in order; they are named "0", "1", ... in the state dict. */
public final class Sequential extends Module {
    private int count;

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module. Returns this. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(count++), m);
        return this;
    }

    public int size() {
        return count;
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : children()) {
            x = m.forward(x);
        }
        return x;
    }
}
