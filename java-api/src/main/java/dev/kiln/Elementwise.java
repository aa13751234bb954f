package dev.kiln;

import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.UnaryOp;
import java.util.Arrays;

/**
 * Elementwise ops of {@link Tensor}: unary functions, broadcasting binary arithmetic and comparisons, the
 * adjoint of broadcasting ({@code sumTo}), expansion and dropout, with their backward passes.
 */
final class Elementwise {

    private Elementwise() {
    }

    static Tensor unary(Tensor self, UnaryOp op, float alpha) {
        self.requireFloat(op.name().toLowerCase());
        Tensor out = Tensor.empty(self.device(), DType.FLOAT32, self.shape);
        self.backend.unary(op, alpha, self.buffer, out.buffer, self.numel());
        return Autograd.op(op.name().toLowerCase(), out, g -> {
            Tensor gx = Tensor.empty(self.device(), DType.FLOAT32, self.shape);
            self.backend.unaryBackward(op, alpha, self.buffer, out.buffer, g.buffer, gx.buffer, self.numel());
            return new Tensor[] {gx};
        }, self);
    }

    static Tensor binary(Tensor self, BinaryOp op, Tensor o) {
        String name = op.name().toLowerCase();
        self.requireFloat(name);
        o.requireFloat(name);
        self.requireSameDevice(name, o);
        int[] outShape = Shapes.broadcast(self.shape, o.shape);
        Tensor out = Tensor.empty(self.device(), DType.FLOAT32, outShape);
        self.backend.binary(op, self.buffer, Shapes.broadcastStrides(self.shape, outShape), o.buffer,
                Shapes.broadcastStrides(o.shape, outShape), out.buffer, outShape);
        Tensor a = self;
        return Autograd.op(name, out, g -> {
            switch (op) {
                case ADD: return new Tensor[] {g.sumTo(a.shape), g.sumTo(o.shape)};
                case SUB: return new Tensor[] {g.sumTo(a.shape), g.neg().sumTo(o.shape)};
                case MUL: return new Tensor[] {g.mul(o).sumTo(a.shape), g.mul(a).sumTo(o.shape)};
                case DIV: return new Tensor[] {g.div(o).sumTo(a.shape), g.mul(a).div(o.square()).neg().sumTo(o.shape)};
                case MAX:
                case MIN: {
                    Tensor fromA = out.binary(BinaryOp.EQ, a);
                    return new Tensor[] {g.mul(fromA).sumTo(a.shape), g.sub(g.mul(fromA)).sumTo(o.shape)};
                }
                default: return new Tensor[] {null, null};
            }
        }, self, o);
    }

    static Tensor sumTo(Tensor self, int[] target) {
        if (Arrays.equals(self.shape, target)) {
            return self;
        }
        Tensor t = self;
        int lead = self.shape.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("Cannot sum shape " + Shapes.str(self.shape) + " to larger rank " + Shapes.str(target));
        }
        for (int k = 0; k < lead; k++) {
            t = t.sum(0, false);
        }
        for (int k = 0; k < target.length; k++) {
            if (target[k] == 1 && t.shape[k] != 1) {
                t = t.sum(k, true);
            } else if (target[k] != t.shape[k]) {
                throw new IllegalArgumentException("Cannot sum shape " + Shapes.str(self.shape) + " to " + Shapes.str(target));
            }
        }
        return t;
    }

    static Tensor expand(Tensor self, int... target) {
        int[] out = Shapes.broadcast(self.shape, target);
        if (!Arrays.equals(out, target)) {
            throw new IllegalArgumentException("Cannot expand shape " + Shapes.str(self.shape) + " to " + Shapes.str(target));
        }
        if (Arrays.equals(self.shape, target)) {
            return self;
        }
        Tensor r = Tensor.empty(self.device(), self.dtype(), target);
        self.backend.copyStrided(self.buffer, 0, Shapes.broadcastStrides(self.shape, target), r.buffer, 0, Shapes.strides(target), target);
        return Autograd.op("expand", r, g -> new Tensor[] {g.sumTo(self.shape)}, self);
    }

    static Tensor dropout(Tensor self, float p, boolean training, Generator g) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p);
        }
        if (!training || p == 0) {
            return self;
        }
        Tensor mask;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            mask = Tensor.rand(g, self.device(), self.shape).lt(Tensor.full(self.device(), 1f - p)).mul(1f / (1f - p));
        }
        return self.mul(mask);
    }

}
