package dev.kiln.optim;

import dev.kiln.RowSparseGrad;
import dev.kiln.spi.TensorStorage;
import dev.kiln.Tensor;

import java.util.List;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, with PyTorch's update rule. Row-sparse gradients ({@link Tensor#sparseGrad()}) update only
 * their rows, {@code p[rows] -= lr · g}, when momentum and weight decay are 0 (as in PyTorch; with
 * either, untouched rows would change too).
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1f).momentum(0.9f).nesterov(true).weightDecay(5e-4f);
 * }</pre>
 */
public final class SGD extends Optimizer {
    private float momentum;
    private float dampening;
    private float weightDecay;
    private boolean nesterov;

    public SGD(List<Tensor> params, float lr) {
        super(params, lr);
    }

    public SGD momentum(float m) {
        if (m < 0) {
            throw new IllegalArgumentException("momentum must be >= 0, got " + m);
        }
        this.momentum = m;
        return this;
    }

    public SGD dampening(float d) {
        this.dampening = d;
        return this;
    }

    public SGD weightDecay(float wd) {
        this.weightDecay = wd;
        return this;
    }

    public SGD nesterov(boolean on) {
        this.nesterov = on;
        return this;
    }

    @Override
    protected void update(int index, Tensor p, Tensor g) {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalStateException("Nesterov momentum needs momentum > 0 and dampening 0");
        }
        // The velocity starts at the first gradient this parameter sees (not at the optimiser's
        // first step: a parameter may get its first gradient later, or state may have been loaded).
        Tensor v = null;
        boolean fresh = false;
        if (momentum > 0) {
            fresh = !hasState("velocity", index);
            v = state("velocity", index);
        }
        TensorStorage.backend(p).sgdUpdate(TensorStorage.buffer(p), TensorStorage.buffer(g), v == null ? null : TensorStorage.buffer(v), p.numel(), lr(), momentum,
                dampening, weightDecay, nesterov, fresh);
    }

    @Override
    protected void updateSparse(int index, Tensor p, RowSparseGrad g) {
        if (momentum != 0 || weightDecay != 0) {
            throw new IllegalStateException("SGD applies the row-sparse gradient of parameter " + index + " only without momentum and "
                    + "weight decay (they would change every row), got momentum " + momentum + ", weight decay " + weightDecay);
        }
        g.addTo(p, -lr());
    }
}
