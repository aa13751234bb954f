package dev.kiln;

import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;

import java.util.Arrays;

/**
 * Matrix products of {@link Tensor} ({@code matmul}, {@code mm}) on the backend GEMM, with backward passes
 * that use transpose flags instead of materialised transposes.
 */
final class LinAlg {

    private LinAlg() {
    }

    static Tensor matmul(Tensor self, Tensor o) {
        self.requireFloat("matmul");
        o.requireFloat("matmul");
        self.requireSameDevice("matmul", o);
        if (self.shape.length == 1) {
            return self.unsqueeze(0).matmul(o).squeeze(-2);
        }
        if (o.shape.length == 1) {
            return self.matmul(o.unsqueeze(1)).squeeze(-1);
        }
        int k = self.shape[self.shape.length - 1];
        if (o.shape[o.shape.length - 2] != k) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(self.shape) + " and " + Shapes.str(o.shape)
                    + " are incompatible (" + k + " != " + o.shape[o.shape.length - 2] + ")");
        }
        if (o.shape.length == 2) {
            if (self.shape.length == 2) {
                return Tensor.mm(self, false, o, false);
            }
            int[] outShape = self.shape.clone();
            outShape[outShape.length - 1] = o.shape[1];
            return Tensor.mm(self.reshape(-1, k), false, o, false).reshape(outShape);
        }
        // Batch axes broadcast as in torch.matmul: [B, M, K] x [1, K, N], [M, K] x [B, K, N],
        // [A, 1, M, K] x [B, K, N] ... An operand is expanded (copied) only along the axes where it
        // broadcasts; expand's backward sums the gradient over them.
        int ra = self.shape.length, rb = o.shape.length;
        int m = self.shape[ra - 2], n = o.shape[rb - 1];
        int[] ba = Arrays.copyOf(self.shape, ra - 2), bb = Arrays.copyOf(o.shape, rb - 2);
        int[] batchShape;
        try {
            batchShape = Shapes.broadcast(ba, bb);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch axes " + Shapes.str(ba) + " of " + Shapes.str(self.shape) + " and "
                    + Shapes.str(bb) + " of " + Shapes.str(o.shape) + " do not broadcast");
        }
        int batch = Shapes.prod(batchShape, 0, batchShape.length);
        int[] outShape = concat(batchShape, m, n);
        if (Shapes.prod(bb, 0, bb.length) == 1 && Arrays.equals(ba, batchShape)) {
            // One right-hand matrix for every batch entry: fold the batch into the rows.
            return Tensor.mm(self.reshape(-1, k), false, o.reshape(k, n), false).reshape(outShape);
        }
        Tensor a = Arrays.equals(ba, batchShape) ? self : self.expand(concat(batchShape, m, k));
        Tensor b = Arrays.equals(bb, batchShape) ? o : o.expand(concat(batchShape, k, n));
        return Tensor.mm(a.reshape(batch, m, k), false, b.reshape(batch, k, n), false).reshape(outShape);
    }

    private static int[] concat(int[] lead, int x, int y) {
        int[] s = Arrays.copyOf(lead, lead.length + 2);
        s[lead.length] = x;
        s[lead.length + 1] = y;
        return s;
    }

    static Tensor mm(Tensor a, boolean transA, Tensor b, boolean transB) {
        a.requireSameDevice("mm", b);
        int r = a.rank();
        if ((r != 2 && r != 3) || b.rank() != r || (r == 3 && a.shape[0] != b.shape[0])) {
            throw new IllegalArgumentException("mm needs two 2-D tensors or two 3-D tensors with equal batch, got "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        int batch = r == 3 ? a.shape[0] : 1;
        int m = transA ? a.shape[r - 1] : a.shape[r - 2];
        int k = transA ? a.shape[r - 2] : a.shape[r - 1];
        int kb = transB ? b.shape[r - 1] : b.shape[r - 2];
        int n = transB ? b.shape[r - 2] : b.shape[r - 1];
        if (k != kb) {
            throw new IllegalArgumentException("mm: shapes " + Shapes.str(a.shape) + (transA ? "ᵀ" : "") + " and "
                    + Shapes.str(b.shape) + (transB ? "ᵀ" : "") + " are incompatible (" + k + " != " + kb + ")");
        }
        int[] outShape = r == 3 ? new int[] {batch, m, n} : new int[] {m, n};
        Tensor c = Tensor.empty(a.device(), DType.FLOAT32, outShape);
        if (k == 0) {
            c.backend.fill(c.buffer, 0f);
        } else {
            c.backend.gemm(Gemm.of(transA, transB, m, n, k).batched(batch, (long) m * k, (long) k * n, (long) m * n),
                    BufferView.of(a.buffer), BufferView.of(b.buffer), BufferView.of(c.buffer));
        }
        return Autograd.op("mm", c, g -> {
            // Only the gradients an operand needs (the other is a product as large as the forward).
            boolean da = a.requiresGrad(), db = b.requiresGrad();
            Tensor ga, gb;
            if (!transA && !transB) {
                ga = da ? Tensor.mm(g, false, b, true) : null;
                gb = db ? Tensor.mm(a, true, g, false) : null;
            } else if (!transA) {
                ga = da ? Tensor.mm(g, false, b, false) : null;
                gb = db ? Tensor.mm(g, true, a, false) : null;
            } else if (!transB) {
                ga = da ? Tensor.mm(b, false, g, true) : null;
                gb = db ? Tensor.mm(a, false, g, false) : null;
            } else {
                ga = da ? Tensor.mm(b, true, g, true) : null;
                gb = db ? Tensor.mm(g, true, a, true) : null;
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

}
