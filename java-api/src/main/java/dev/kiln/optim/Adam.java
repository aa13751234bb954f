package dev.kiln.optim;

import dev.kiln.spi.TensorStorage;
import dev.kiln.Tensor;

import java.util.List;

/**
 * Adam (weight decay added to the gradient) and, through {@link AdamW}, decoupled weight decay.
 * Bias-corrected first and second moments; defaults betas (0.9, 0.999), eps 1e-8.
 */
public class Adam extends Optimizer {
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float eps = 1e-8f;
    private float weightDecay;
    private final boolean decoupled;

    public Adam(List<Tensor> params, float lr) {
        this(params, lr, false, 0f);
    }

    Adam(List<Tensor> params, float lr, boolean decoupled, float weightDecay) {
        super(params, lr);
        this.decoupled = decoupled;
        this.weightDecay = weightDecay;
    }

    public Adam betas(float b1, float b2) {
        if (b1 < 0 || b1 >= 1 || b2 < 0 || b2 >= 1) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + b1 + ", " + b2);
        }
        this.beta1 = b1;
        this.beta2 = b2;
        return this;
    }

    public Adam eps(float e) {
        this.eps = e;
        return this;
    }

    public Adam weightDecay(float wd) {
        this.weightDecay = wd;
        return this;
    }

    @Override
    protected final void update(int index, Tensor p, Tensor g) {
        float bc1 = (float) (1 - Math.pow(beta1, steps()));
        float bc2 = (float) (1 - Math.pow(beta2, steps()));
        TensorStorage.backend(p).adamUpdate(TensorStorage.buffer(p), TensorStorage.buffer(g), TensorStorage.buffer(state("m", index)), TensorStorage.buffer(state("v", index)), p.numel(),
                lr(), beta1, beta2, eps, weightDecay, decoupled, bc1, bc2);
    }
}
