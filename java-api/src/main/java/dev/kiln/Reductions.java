package dev.kiln;

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

    static Tensor crossEntropy(Tensor self, Tensor targets) {
        self.requireFloat("crossEntropy");
        self.requireSameDevice("crossEntropy", targets);
        if (self.rank() != 2 || targets.rank() != 1 || targets.shape[0] != self.shape[0] || !targets.dtype().isIndex()) {
            throw new IllegalArgumentException("crossEntropy needs [N, C] logits and [N] INT32/INT64 targets, got "
                    + Shapes.str(self.shape) + " and " + Shapes.str(targets.shape) + " " + targets.dtype());
        }
        int rows = self.shape[0], cols = self.shape[1];
        if (targets.device().kind() == Device.Kind.CPU) {
            // Host-resident targets are checked here for free; device-resident ones are not read
            // back (that would stall every step): the CUDA kernel yields a NaN loss for them.
            ShapeOps.checkIndices(targets, cols, "crossEntropy target");
        }
        Tensor loss = Tensor.empty(self.device(), DType.FLOAT32, rows);
        Tensor gradLogits = Tensor.empty(self.device(), DType.FLOAT32, self.shape);
        self.backend.crossEntropy(self.buffer, targets.buffer, rows, cols, loss.buffer, gradLogits.buffer);
        Tensor perRow = Autograd.op("crossEntropy", loss, g -> new Tensor[] {gradLogits.mul(g.unsqueeze(1)), null}, self, targets);
        return perRow.mean();
    }

}
