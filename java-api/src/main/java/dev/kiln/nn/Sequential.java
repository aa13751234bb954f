package dev.kiln.nn;

import dev.kiln.Tensor;

import java.util.List;

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
        List<Module> layers = children();
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            Module next = i + 1 < layers.size() ? layers.get(i + 1) : null;
            if (m instanceof Linear && next instanceof Activation && ((Activation) next).fusable() != null) {
                x = ((Linear) m).forward(x, ((Activation) next).fusable()); // one GEMM with the activation in its epilogue
                i++;
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }
}
