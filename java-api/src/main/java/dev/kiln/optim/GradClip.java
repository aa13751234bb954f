package dev.kiln.optim;

import dev.kiln.Autograd;
import dev.kiln.Tensor;

import java.util.List;

/** Gradient clipping. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales all gradients so their joint L2 norm is at most {@code maxNorm}; returns the norm
     * before clipping as a scalar tensor on the parameters' device (no host round trip).
     */
    public static Tensor clipGradNorm(List<Tensor> params, float maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        try (Autograd.Scope scope = Autograd.noGrad()) {
            Tensor total = null;
            for (Tensor p : params) {
                if (p.grad() != null) {
                    Tensor s = p.grad().square().sum();
                    total = total == null ? s : total.add(s);
                }
            }
            if (total == null) {
                return Tensor.scalar(0f);
            }
            Tensor norm = total.sqrt();
            Tensor factor = norm.add(1e-6f).pow(-1f).mul(maxNorm).minimum(Tensor.full(norm.device(), 1f));
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.setGrad(p.grad().mul(factor));
                }
            }
            return norm;
        }
    }
}
