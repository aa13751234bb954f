package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;

/** Inverted dropout: active in training mode, the identity in eval mode. */
public final class Dropout extends Module {
    private final float p;
    private final Generator g;

    public Dropout(float p, Generator g) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.g = g;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.dropout(p, isTraining(), g);
    }

    @Override
    public String toString() {
        return "Dropout(" + p + ")";
    }
}
