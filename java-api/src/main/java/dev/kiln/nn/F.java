package dev.kiln.nn;

import dev.kiln.spi.TensorStorage;
import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Shapes;
import dev.kiln.Tensor;
import dev.kiln.backend.Backend;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.UnaryOp;

/** Functional forms of layers and losses (what {@code torch.nn.functional} is to PyTorch). */
public final class F {
    private F() {
    }

    /**
     * {@code x · wᵀ + b} for {@code x [..., in]}, {@code w [out, in]}, optional {@code b [out]}.
     * The transpose is a GEMM flag, not a copy, and the bias is added in the GEMM's epilogue.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return linear(x, w, b, Gemm.Activation.NONE);
    }

    /**
     * {@code act(x · wᵀ + b)} as one GEMM with a fused epilogue (bias and activation applied as the
     * results are stored, on every backend). ReLU is fused in training too (its gradient needs only
     * the output); GELU's gradient needs the pre-activation, so while a graph is recorded it runs as
     * a separate op after the fused bias.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b, Gemm.Activation act) {
        if (w.rank() != 2 || x.size(-1) != w.size(1)) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape()) + " does not match weight "
                    + Shapes.str(w.shape()) + " (expected last input axis " + (w.rank() == 2 ? w.size(1) : "?") + ")");
        }
        if (b != null && (b.rank() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException("linear: bias must be [" + w.size(0) + "], got " + Shapes.str(b.shape()));
        }
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = w.size(0);
        Tensor x2 = x.rank() == 2 ? x : x.reshape(-1, w.size(1));
        boolean graph = Autograd.isEnabled() && (x.requiresGrad() || w.requiresGrad() || (b != null && b.requiresGrad()));
        Gemm.Activation fused = act == Gemm.Activation.GELU && graph ? Gemm.Activation.NONE : act;
        Tensor y = fusedLinear(x2, w, b, fused);
        if (fused != act) {
            y = y.gelu("tanh");
        }
        return x.rank() == 2 ? y : y.reshape(outShape);
    }

    private static Tensor fusedLinear(Tensor x, Tensor w, Tensor b, Gemm.Activation act) {
        for (Tensor t : new Tensor[] {x, w, b}) {
            if (t != null && (t.dtype() != DType.FLOAT32 || !t.device().equals(x.device()))) {
                throw new IllegalArgumentException("linear: input, weight and bias must be FLOAT32 on one device, got "
                        + x.dtype() + "@" + x.device() + ", " + w.dtype() + "@" + w.device()
                        + (b == null ? "" : ", " + b.dtype() + "@" + b.device()));
            }
        }
        int m = x.size(0), n = w.size(0), k = w.size(1);
        if (m == 0 || k == 0) { // nothing to multiply: the composed ops handle the empty cases
            Tensor y = Tensor.mm(x, false, w, true);
            y = b == null ? y : y.add(b);
            return act == Gemm.Activation.NONE ? y : act == Gemm.Activation.RELU ? y.relu() : y.gelu("tanh");
        }
        Backend be = TensorStorage.backend(x);
        Tensor y = Tensor.empty(x.device(), DType.FLOAT32, m, n);
        be.gemm(Gemm.of(false, true, m, n, k), BufferView.of(TensorStorage.buffer(x)), BufferView.of(TensorStorage.buffer(w)), BufferView.of(TensorStorage.buffer(y)),
                new Gemm.Epilogue(b == null ? null : TensorStorage.buffer(b), act));
        return Autograd.op("linear", y, g -> {
            Tensor gp = g;
            if (act == Gemm.Activation.RELU) { // ReLU's derivative from its output: y > 0 exactly where x·wᵀ + b > 0
                gp = Tensor.empty(g.device(), DType.FLOAT32, m, n);
                be.unaryBackward(UnaryOp.RELU, 0f, TensorStorage.buffer(y), TensorStorage.buffer(y), TensorStorage.buffer(g), TensorStorage.buffer(gp), (long) m * n);
            }
            // Only the gradients an input needs: a first layer's input gradient is a product as
            // large as its weight gradient.
            return new Tensor[] {x.requiresGrad() ? Tensor.mm(gp, false, w, false) : null,
                    w.requiresGrad() ? Tensor.mm(gp, true, x, false) : null,
                    b == null || !b.requiresGrad() ? null : gp.sumTo(b.shape())};
        }, x, w, b);
    }

    /**
     * Mean cross-entropy of {@code [N, C]} logits and {@code [N]} integer targets, or of
     * {@code [N, C, d1, …]} logits and {@code [N, d1, …]} targets ({@link Tensor#crossEntropy(Tensor)}).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return logits.crossEntropy(targets);
    }

    /** The same with torch's {@code ignore_index} ({@link Tensor#crossEntropy(Tensor, long)}). */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, long ignoreIndex) {
        return logits.crossEntropy(targets, ignoreIndex);
    }

    /** Mean squared error. */
    public static Tensor mseLoss(Tensor prediction, Tensor target) {
        requireSameShape("mseLoss", prediction, target);
        return prediction.sub(target).square().mean();
    }

    /** Mean binary cross-entropy on logits, computed stably as softplus(x) - x·y. */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        requireSameShape("bceWithLogits", logits, target);
        return logits.softplus().sub(logits.mul(target)).mean();
    }

    /** Fraction of rows whose argmax equals the integer target (a host-side metric). */
    public static double accuracy(Tensor logits, Tensor targets) {
        long[] pred = logits.argmax(-1).toLongArray();
        long[] t = targets.toLongArray();
        if (pred.length != t.length) {
            throw new IllegalArgumentException("accuracy: " + pred.length + " predictions vs " + t.length + " targets");
        }
        int ok = 0;
        for (int k = 0; k < t.length; k++) {
            ok += pred[k] == t[k] ? 1 : 0;
        }
        return t.length == 0 ? 0 : (double) ok / t.length;
    }

    private static void requireSameShape(String op, Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": prediction shape " + Shapes.str(a.shape()) + " and target shape "
                    + Shapes.str(b.shape()) + " differ");
        }
    }
}
