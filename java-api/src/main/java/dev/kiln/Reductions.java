package dev.kiln;

import dev.kiln.backend.Backend;
import dev.kiln.backend.ReduceOp;
import java.util.Arrays;

/**
 * Reductions, softmax and the fused cross-entropy of {@link Tensor}, with their backward passes.
 */
final class Reductions {

    private Reductions() {
    }

    static Tensor sum(Tensor self, int axis, boolean keepDim) {
        self.requireFloat("sum");
        int a = Shapes.axis(axis, self.shape.length);
        int[] outShape = reducedShape(self, a, keepDim);
        Tensor out = Tensor.empty(self.device(), DType.FLOAT32, outShape);
        self.backend.reduce(ReduceOp.SUM, self.buffer, Shapes.prod(self.shape, 0, a), self.shape[a], Shapes.prod(self.shape, a + 1, self.shape.length), out.buffer);
        return Autograd.op("sum", out, g -> new Tensor[] {g.reshape(reducedShape(self, a, true)).expand(self.shape)}, self);
    }

    static Tensor max(Tensor self, int axis, boolean keepDim) {
        self.requireFloat("max");
        int a = Shapes.axis(axis, self.shape.length);
        int[] outShape = reducedShape(self, a, keepDim);
        Tensor out = Tensor.empty(self.device(), DType.FLOAT32, outShape);
        self.backend.reduce(ReduceOp.MAX, self.buffer, Shapes.prod(self.shape, 0, a), self.shape[a], Shapes.prod(self.shape, a + 1, self.shape.length), out.buffer);
        Tensor x = self;
        return Autograd.op("max", out, g -> {
            int[] kept = reducedShape(self, a, true);
            Tensor mask = x.eq(out.reshape(kept));
            Tensor count = mask.sum(a, true);
            return new Tensor[] {mask.mul(g.reshape(kept).div(count))};
        }, self);
    }

    static Tensor argmax(Tensor self, int axis) {
        self.requireFloat("argmax");
        int a = Shapes.axis(axis, self.shape.length);
        Tensor out = Tensor.empty(self.device(), DType.INT64, reducedShape(self, a, false));
        self.backend.reduce(ReduceOp.ARGMAX, self.buffer, Shapes.prod(self.shape, 0, a), self.shape[a], Shapes.prod(self.shape, a + 1, self.shape.length), out.buffer);
        return out;
    }

    static int[] reducedShape(Tensor self, int a, boolean keepDim) {
        int[] s = new int[keepDim ? self.shape.length : self.shape.length - 1];
        for (int k = 0, j = 0; k < self.shape.length; k++) {
            if (k == a) {
                if (keepDim) {
                    s[j++] = 1;
                }
            } else {
                s[j++] = self.shape[k];
            }
        }
        return s;
    }

    static Tensor softmax(Tensor self, int axis, boolean log) {
        self.requireFloat(log ? "logSoftmax" : "softmax");
        int a = Shapes.axis(axis, self.shape.length);
        int outer = Shapes.prod(self.shape, 0, a), dim = self.shape[a], inner = Shapes.prod(self.shape, a + 1, self.shape.length);
        Tensor out = Tensor.empty(self.device(), DType.FLOAT32, self.shape);
        self.backend.softmax(self.buffer, out.buffer, outer, dim, inner, log);
        return Autograd.op(log ? "logSoftmax" : "softmax", out, g -> {
            Tensor gx = Tensor.empty(self.device(), DType.FLOAT32, self.shape);
            self.backend.softmaxBackward(out.buffer, g.buffer, gx.buffer, outer, dim, inner, log);
            return new Tensor[] {gx};
        }, self);
    }

    /** Largest ignore index the mean's on-device count compares exactly (floats hold integers up to 2^24). */
    private static final long MAX_IGNORE_INDEX = 1L << 24;

    /**
     * Mean cross-entropy of {@code [N, C]} logits with {@code [N]} targets, or of {@code [N, C, d1, …]}
     * logits with {@code [N, d1, …]} targets (the class axis second, as torch). Targets equal to
     * {@code ignoreIndex} count neither in the sum nor in the divisor ({@link Backend#NO_IGNORE_INDEX}:
     * none, and the mean divides by every target).
     */
    static Tensor crossEntropy(Tensor self, Tensor targets, long ignoreIndex) {
        self.requireFloat("crossEntropy");
        self.requireSameDevice("crossEntropy", targets);
        int r = self.rank();
        boolean shapeOk = r >= 2 && targets.rank() == r - 1 && targets.dtype().isIndex() && targets.shape[0] == self.shape[0];
        for (int k = 2; shapeOk && k < r; k++) {
            shapeOk = targets.shape[k - 1] == self.shape[k];
        }
        if (!shapeOk) {
            throw new IllegalArgumentException("crossEntropy needs [N, C] logits with [N] targets or [N, C, d1, ...] logits with"
                    + " [N, d1, ...] targets (INT32/INT64), got " + Shapes.str(self.shape) + " and " + Shapes.str(targets.shape)
                    + " " + targets.dtype());
        }
        if (ignoreIndex != Backend.NO_IGNORE_INDEX && Math.abs(ignoreIndex) > MAX_IGNORE_INDEX) {
            throw new IllegalArgumentException("crossEntropy: ignore index " + ignoreIndex + " must be within ±" + MAX_IGNORE_INDEX);
        }
        if (r > 2) {
            // [N, C, d...] -> [N, d..., C] rows; the targets' flat order is the rows' order.
            int[] perm = new int[r];
            perm[0] = 0;
            for (int k = 2; k < r; k++) {
                perm[k - 1] = k;
            }
            perm[r - 1] = 1;
            return crossEntropy(self.permute(perm).reshape(-1, self.shape[1]), targets.reshape(-1), ignoreIndex);
        }
        int rows = self.shape[0], cols = self.shape[1];
        // Every backend checks the targets: the CPU throws here, a GPU records the first bad one on
        // the device and raises it at the next synchronisation (no host round trip per step).
        Tensor loss = Tensor.empty(self.device(), DType.FLOAT32, rows);
        Tensor gradLogits = Tensor.empty(self.device(), DType.FLOAT32, self.shape);
        self.backend.crossEntropy(self.buffer, targets.buffer, rows, cols, ignoreIndex, loss.buffer, gradLogits.buffer);
        Tensor perRow = Autograd.op("crossEntropy", loss, g -> new Tensor[] {gradLogits.mul(g.unsqueeze(1)), null}, self, targets);
        if (ignoreIndex == Backend.NO_IGNORE_INDEX) {
            return perRow.mean();
        }
        // torch's ignore_index: the mean is over the counted targets (0/0 = NaN when none is).
        Tensor ignored = targets.toType(DType.FLOAT32).eq(Tensor.full(self.device(), (float) ignoreIndex, 1));
        Tensor counted = ignored.neg().add(1f).sum();
        return perRow.sum().div(counted);
    }

}
