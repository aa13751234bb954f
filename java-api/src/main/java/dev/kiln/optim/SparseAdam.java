package dev.kiln.optim;

import dev.kiln.spi.TensorStorage;

import dev.kiln.RowSparseGrad;
import dev.kiln.Tensor;

import java.util.List;

/**
 * Adam for row-sparse gradients, with PyTorch's {@code SparseAdam} semantics: the moments of a row
 * are updated only in steps whose gradient touches it ("lazy" moments), and only touched rows of
 * the parameter move. With {@code g} a touched row's gradient and {@code t} the optimizer's step:
 * <pre>
 * m ← m + (1 − β1)(g − m),  v ← v + (1 − β2)(g² − v),
 * p ← p − lr · √(1 − β2^t) / (1 − β1^t) · m / (√v + ε)
 * </pre>
 * Dense gradients are an error (use {@link Adam} for those parameters). Defaults: lr 1e-3,
 * β = (0.9, 0.999), ε = 1e-8.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(vocab, 100, new Generator(1), true);
 * SparseAdam opt = new SparseAdam(emb.parameters(), 1e-3f);
 * }</pre>
 */
public final class SparseAdam extends Optimizer {
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float eps = 1e-8f;

    public SparseAdam(List<Tensor> params, float lr) {
        super(params, lr);
    }

    public SparseAdam betas(float b1, float b2) {
        if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + b1 + ", " + b2);
        }
        this.beta1 = b1;
        this.beta2 = b2;
        return this;
    }

    public SparseAdam eps(float e) {
        if (!(e >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got " + e);
        }
        this.eps = e;
        return this;
    }

    @Override
    protected void update(int index, Tensor p, Tensor g) {
        throw new IllegalStateException("SparseAdam takes row-sparse gradients only (Embedding with sparse gradients); parameter "
                + index + " " + java.util.Arrays.toString(p.shape()) + " has a dense one: optimise it with Adam");
    }

    @Override
    protected void updateSparse(int index, Tensor p, RowSparseGrad g) {
        if (g.touchedRows() == 0) {
            return;
        }
        Tensor m = state("m", index), v = state("v", index);
        Tensor rows = g.rows(), grad = g.values();
        Tensor mOld = m.indexSelect(0, rows), vOld = v.indexSelect(0, rows);
        Tensor mStep = grad.sub(mOld).mul(1 - beta1);
        Tensor vStep = grad.square().sub(vOld).mul(1 - beta2);
        int width = grad.size(1), k = g.touchedRows(), n = p.size(0);
        TensorStorage.backend(m).indexAdd(TensorStorage.buffer(mStep), 1, n, width, TensorStorage.buffer(rows), k, TensorStorage.buffer(m));
        TensorStorage.backend(v).indexAdd(TensorStorage.buffer(vStep), 1, n, width, TensorStorage.buffer(rows), k, TensorStorage.buffer(v));
        double bc1 = 1 - Math.pow(beta1, steps()), bc2 = 1 - Math.pow(beta2, steps());
        float stepSize = (float) (lr() * Math.sqrt(bc2) / bc1);
        Tensor update = mStep.add(mOld).div(vStep.add(vOld).sqrt().add(eps)).mul(-stepSize);
        TensorStorage.backend(p).indexAdd(TensorStorage.buffer(update), 1, n, width, TensorStorage.buffer(rows), k, TensorStorage.buffer(p));
    }
}
