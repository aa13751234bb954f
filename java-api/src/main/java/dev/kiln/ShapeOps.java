package dev.kiln;

import dev.kiln.backend.Buffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * Shape ops of {@link Tensor}: reshape, squeeze, permute, transpose, slice, index select, concatenation
 * and stacking, with their backward passes. Copies go through the backend's strided copy.
 */
final class ShapeOps {

    private ShapeOps() {
    }

    static Tensor reshape(Tensor self, int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int k = 0; k < s.length; k++) {
            if (s[k] < -1) {
                throw new IllegalArgumentException("reshape: bad size " + s[k] + " in " + Shapes.str(newShape)
                        + " (sizes are >= 0, or -1 for the one inferred)");
            }
            if (s[k] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("Only one -1 allowed in reshape " + Shapes.str(newShape));
                }
                infer = k;
            } else {
                known *= s[k];
            }
        }
        if (infer >= 0) {
            if (known == 0 || self.numel() % known != 0) {
                throw new IllegalArgumentException("Cannot reshape " + Shapes.str(self.shape) + " to " + Shapes.str(newShape));
            }
            s[infer] = (int) (self.numel() / known);
        }
        if (Shapes.numel(s) != self.numel()) {
            throw new IllegalArgumentException("Cannot reshape " + Shapes.str(self.shape) + " (" + self.numel() + " elements) to "
                    + Shapes.str(newShape) + " (" + Shapes.numel(s) + " elements)");
        }
        Tensor out = self.alias(s);
        return Autograd.op("reshape", out, g -> new Tensor[] {g.reshape(self.shape)}, self);
    }

    static Tensor unsqueeze(Tensor self, int axis) {
        int a = Shapes.axis(axis, self.shape.length + 1);
        int[] s = new int[self.shape.length + 1];
        for (int k = 0, j = 0; k < s.length; k++) {
            s[k] = k == a ? 1 : self.shape[j++];
        }
        return self.reshape(s);
    }

    static Tensor squeeze(Tensor self, int axis) {
        int a = Shapes.axis(axis, self.shape.length);
        if (self.shape[a] != 1) {
            throw new IllegalArgumentException("Cannot squeeze axis " + axis + " of shape " + Shapes.str(self.shape) + ": size is not 1");
        }
        int[] s = new int[self.shape.length - 1];
        for (int k = 0, j = 0; k < self.shape.length; k++) {
            if (k != a) {
                s[j++] = self.shape[k];
            }
        }
        return self.reshape(s);
    }

    static Tensor permute(Tensor self, int... perm) {
        if (perm.length != self.shape.length) {
            throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " needs " + self.shape.length + " axes for shape " + Shapes.str(self.shape));
        }
        int[] inv = new int[perm.length];
        Arrays.fill(inv, -1);
        int[] outShape = new int[perm.length];
        int[] srcStrides = new int[perm.length];
        int[] st = Shapes.strides(self.shape);
        for (int k = 0; k < perm.length; k++) {
            int p = Shapes.axis(perm[k], self.shape.length);
            if (inv[p] >= 0) {
                throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " repeats axis " + p);
            }
            inv[p] = k;
            outShape[k] = self.shape[p];
            srcStrides[k] = st[p];
        }
        Tensor out = Tensor.empty(self.device(), self.dtype(), outShape);
        self.backend.copyStrided(self.buffer, 0, srcStrides, out.buffer, 0, Shapes.strides(outShape), outShape);
        return Autograd.op("permute", out, g -> new Tensor[] {g.permute(inv)}, self);
    }

    static Tensor transpose(Tensor self, int axis0, int axis1) {
        int[] perm = new int[self.shape.length];
        for (int k = 0; k < perm.length; k++) {
            perm[k] = k;
        }
        int a = Shapes.axis(axis0, self.shape.length), b = Shapes.axis(axis1, self.shape.length);
        perm[a] = b;
        perm[b] = a;
        return self.permute(perm);
    }

    static Tensor slice(Tensor self, int axis, int start, int end) {
        int a = Shapes.axis(axis, self.shape.length);
        if (start < 0 || end > self.shape[a] || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") is out of range for axis " + axis
                    + " of shape " + Shapes.str(self.shape));
        }
        int[] outShape = self.shape.clone();
        outShape[a] = end - start;
        int[] st = Shapes.strides(self.shape);
        Tensor out = Tensor.empty(self.device(), self.dtype(), outShape);
        self.backend.copyStrided(self.buffer, (long) start * st[a], st, out.buffer, 0, Shapes.strides(outShape), outShape);
        return Autograd.op("slice", out, g -> {
            Tensor gx = Tensor.zeros(self.device(), self.shape);
            self.backend.copyStrided(g.buffer, 0, Shapes.strides(outShape), gx.buffer, (long) start * st[a], st, outShape);
            return new Tensor[] {gx};
        }, self);
    }

    static Tensor indexSelect(Tensor self, int axis, Tensor idx) {
        self.requireFloat("indexSelect");
        if (!idx.dtype().isIndex() || idx.rank() != 1) {
            throw new IllegalArgumentException("indexSelect needs a 1-D INT32/INT64 index tensor, got " + idx.dtype() + " " + Shapes.str(idx.shape));
        }
        self.requireSameDevice("indexSelect", idx);
        int a = Shapes.axis(axis, self.shape.length);
        int outer = Shapes.prod(self.shape, 0, a), dim = self.shape[a], inner = Shapes.prod(self.shape, a + 1, self.shape.length);
        int count = idx.shape[0];
        if (idx.device().kind() == Device.Kind.CPU) {
            checkIndices(idx, dim, "indexSelect"); // on a device the kernel checks them (an error at the next synchronisation)
        }
        int[] outShape = self.shape.clone();
        outShape[a] = count;
        Tensor out = Tensor.empty(self.device(), DType.FLOAT32, outShape);
        self.backend.indexSelect(self.buffer, outer, dim, inner, idx.buffer, count, out.buffer);
        return Autograd.op("indexSelect", out, g -> {
            Tensor gx = Tensor.zeros(self.device(), self.shape);
            self.backend.indexAdd(g.buffer, outer, dim, inner, idx.buffer, count, gx.buffer);
            return new Tensor[] {gx, null};
        }, self, idx);
    }

    static void checkIndices(Tensor idx, int bound, String op) {
        for (long v : idx.toLongArray()) {
            if (v < 0 || v >= bound) {
                throw new IllegalArgumentException(op + ": index " + v + " is out of range [0, " + bound + ")");
            }
        }
    }

    static Tensor cat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cat needs at least one tensor");
        }
        Tensor first = parts.get(0);
        int a = Shapes.axis(axis, first.rank());
        int[] outShape = first.shape.clone();
        outShape[a] = 0;
        for (Tensor p : parts) {
            if (p.rank() != first.rank() || p.dtype() != first.dtype()) {
                throw new IllegalArgumentException("cat: " + Shapes.str(p.shape) + " " + p.dtype() + " does not match "
                        + Shapes.str(first.shape) + " " + first.dtype());
            }
            first.requireSameDevice("cat", p);
            for (int k = 0; k < outShape.length; k++) {
                if (k != a && p.shape[k] != first.shape[k]) {
                    throw new IllegalArgumentException("cat along axis " + axis + ": shapes " + Shapes.str(first.shape)
                            + " and " + Shapes.str(p.shape) + " differ on axis " + k);
                }
            }
            outShape[a] += p.shape[a];
        }
        Tensor out = Tensor.empty(first.device(), first.dtype(), outShape);
        int[] outStrides = Shapes.strides(outShape);
        int offset = 0;
        int[] starts = new int[parts.size()];
        for (int k = 0; k < parts.size(); k++) {
            Tensor p = parts.get(k);
            starts[k] = offset;
            first.backend.copyStrided(p.buffer, 0, Shapes.strides(p.shape), out.buffer, (long) offset * outStrides[a], outStrides, p.shape);
            offset += p.shape[a];
        }
        return Autograd.op("cat", out, g -> {
            Tensor[] gs = new Tensor[parts.size()];
            for (int k = 0; k < gs.length; k++) {
                gs[k] = g.slice(a, starts[k], starts[k] + parts.get(k).shape[a]);
            }
            return gs;
        }, parts.toArray(new Tensor[0]));
    }

    static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one tensor");
        }
        int a = Shapes.axis(axis, parts.get(0).rank() + 1);
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (Tensor p : parts) {
            if (!Arrays.equals(p.shape, parts.get(0).shape)) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(parts.get(0).shape) + " and " + Shapes.str(p.shape) + " differ");
            }
            expanded.add(p.unsqueeze(a));
        }
        return Tensor.cat(expanded, a);
    }

}
