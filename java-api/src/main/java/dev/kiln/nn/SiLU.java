package dev.kiln.nn;

import dev.kiln.Tensor;

/** The SiLU (swish) activation {@code x·sigmoid(x)}, as a module ({@link GenerativeF#silu}). */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return GenerativeF.silu(x);
    }

    @Override
    public String toString() {
        return "SiLU";
    }
}
