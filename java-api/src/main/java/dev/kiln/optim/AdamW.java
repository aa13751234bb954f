package dev.kiln.optim;

import dev.kiln.Tensor;

import java.util.List;

/** Adam with decoupled weight decay (Loshchilov and Hutter); default decay 0.01 as in PyTorch. */
public final class AdamW extends Adam {
    public AdamW(List<Tensor> params, float lr) {
        super(params, lr, true, 0.01f);
    }
}
