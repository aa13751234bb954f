package dev.kiln.nn;

import dev.kiln.Shapes;
import dev.kiln.Tensor;

/** Functional forms of layers and losses (what {@code torch.nn.functional} is to PyTorch). */
public final class F {
    private F() {
    }

    /**
     * {@code x · wᵀ + b} for {@code x [..., in]}, {@code w [out, in]}, optional {@code b [out]}.
     * The transpose is a GEMM flag, not a copy.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (w.rank() != 2 || x.size(-1) != w.size(1)) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape()) + " does not match weight "
                    + Shapes.str(w.shape()) + " (expected last input axis " + (w.rank() == 2 ? w.size(1) : "?") + ")");
        }
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = w.size(0);
        Tensor y = Tensor.mm(x.rank() == 2 ? x : x.reshape(-1, w.size(1)), false, w, true);
        if (b != null) {
            y = y.add(b);
        }
        return x.rank() == 2 ? y : y.reshape(outShape);
    }

    /** Mean cross-entropy of {@code [N, C]} logits and {@code [N]} integer targets. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return logits.crossEntropy(targets);
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
