package dev.kiln;

import dev.kiln.backend.Backend;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.ReduceOp;
import dev.kiln.backend.UnaryOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense, row-major, n-dimensional array on a {@link Device}, with reverse-mode autograd.
 *
 * <pre>{@code
 * Generator g = new Generator(42);
 * Tensor w = Tensor.randn(g, 3, 2).requiresGrad(true);
 * Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();
 * float[] dw = w.grad().toFloatArray();
 * }</pre>
 *
 * <p>Tensors are immutable values as far as ops go: every op returns a new tensor. {@link #reshape}
 * shares storage; {@link #permute}, {@link #slice} and friends copy. Ops on tensors of different
 * devices, incompatible shapes or the wrong dtype throw {@link IllegalArgumentException} naming
 * the shapes, dtypes or devices involved.
 */
public final class Tensor {

    private final Backend backend;
    private final Buffer buffer;
    private final int[] shape;
    private boolean requiresGrad;
    private Tensor grad;
    private Node node;

    private Tensor(Backend backend, Buffer buffer, int[] shape) {
        this.backend = backend;
        this.buffer = buffer;
        this.shape = shape;
    }

    // =============================================================================================
    // Creation
    // =============================================================================================

    /** An uninitialised tensor (for backends and ops that write every element). */
    public static Tensor empty(Device device, DType dtype, int... shape) {
        checkShape(shape);
        Backend be = Backends.of(device);
        return new Tensor(be, be.allocate(dtype, Shapes.numel(shape)), shape.clone());
    }

    public static Tensor zeros(int... shape) {
        return full(Device.cpu(), 0f, shape);
    }

    public static Tensor zeros(Device device, int... shape) {
        return full(device, 0f, shape);
    }

    public static Tensor ones(int... shape) {
        return full(Device.cpu(), 1f, shape);
    }

    public static Tensor ones(Device device, int... shape) {
        return full(device, 1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        return full(Device.cpu(), value, shape);
    }

    public static Tensor full(Device device, float value, int... shape) {
        Tensor t = empty(device, DType.FLOAT32, shape);
        t.backend.fill(t.buffer, value);
        return t;
    }

    /** A zero-dimensional tensor holding {@code value}. */
    public static Tensor scalar(float value) {
        return fromArray(new float[] {value});
    }

    /** {@code [start, start + step, ...)} below {@code end}, as FLOAT32. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || (end - start) / step < 0) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") is empty or infinite");
        }
        int n = (int) Math.ceil((end - start) / step);
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = start + k * step;
        }
        return fromArray(v, n);
    }

    /** {@code [0, 1, ..., n-1]} as FLOAT32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** Uniform [0, 1) draws from {@code g} (see {@link Generator} for the exact stream). */
    public static Tensor rand(Generator g, int... shape) {
        return rand(g, Device.cpu(), shape);
    }

    public static Tensor rand(Generator g, Device device, int... shape) {
        return random(g, device, shape, false);
    }

    /** Standard-normal draws from {@code g}. */
    public static Tensor randn(Generator g, int... shape) {
        return randn(g, Device.cpu(), shape);
    }

    public static Tensor randn(Generator g, Device device, int... shape) {
        return random(g, device, shape, true);
    }

    private static Tensor random(Generator g, Device device, int[] shape, boolean normal) {
        Tensor t = empty(device, DType.FLOAT32, shape);
        long n = t.numel();
        t.backend.random(t.buffer, n, g.seed(), g.advance(n), normal);
        return t;
    }

    /** A FLOAT32 CPU tensor over a copy of {@code data}; with no shape given it is 1-D. */
    public static Tensor fromArray(float[] data, int... shape) {
        int[] s = shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape;
        checkCount(data.length, s);
        Tensor t = empty(Device.cpu(), DType.FLOAT32, s);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /** An INT32 index tensor (class targets, token ids) over a copy of {@code data}. */
    public static Tensor fromIndices(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape;
        checkCount(data.length, s);
        Tensor t = empty(Device.cpu(), DType.INT32, s);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /** An INT64 index tensor over a copy of {@code data}. */
    public static Tensor fromLongs(long[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape;
        checkCount(data.length, s);
        Tensor t = empty(Device.cpu(), DType.INT64, s);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /** A 2-D FLOAT32 tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Row " + r + " has " + rows[r].length + " values, expected " + cols);
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return fromArray(flat, rows.length, cols);
    }

    private static void checkShape(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Negative dimension in shape " + Shapes.str(shape));
            }
        }
    }

    private static void checkCount(int count, int[] shape) {
        checkShape(shape);
        if (Shapes.numel(shape) != count) {
            throw new IllegalArgumentException("Shape " + Shapes.str(shape) + " holds " + Shapes.numel(shape)
                    + " elements but " + count + " values were given");
        }
    }

    // =============================================================================================
    // Properties and host access
    // =============================================================================================

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis (negative counts from the end). */
    public int size(int axis) {
        return shape[Shapes.axis(axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    public DType dtype() {
        return buffer.dtype();
    }

    public Device device() {
        return backend.device();
    }

    /** The backend that owns this tensor's buffer (for optimisers and backend code). */
    public Backend backend() {
        return backend;
    }

    /** The storage (for optimisers and backend code); shared by reshaped views. */
    public Buffer buffer() {
        return buffer;
    }

    /** Copies the values to a new host array (FLOAT32 only; index tensors use {@link #toLongArray}). */
    public float[] toFloatArray() {
        requireFloat("toFloatArray");
        return backend.downloadFloats(buffer);
    }

    /** Copies index values (or truncated floats) to a host array. */
    public long[] toLongArray() {
        return backend.downloadIndices(buffer);
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item() needs a one-element tensor, shape is " + Shapes.str(shape));
        }
        return dtype() == DType.FLOAT32 ? toFloatArray()[0] : toLongArray()[0];
    }

    /** This tensor on {@code device} (itself when already there). Gradients flow back across the copy. */
    public Tensor to(Device device) {
        if (device.equals(device())) {
            return this;
        }
        Tensor out = empty(device, dtype(), shape);
        switch (dtype()) {
            case FLOAT32: out.backend.upload(backend.downloadFloats(buffer), out.buffer); break;
            default: out.backend.upload(backend.downloadIndices(buffer), out.buffer); break;
        }
        Device from = device();
        return record("to", out, g -> new Tensor[] {g.to(from)}, this);
    }

    /** Converts to another dtype (FLOAT32 to an index type truncates). */
    public Tensor toType(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        Tensor out = empty(device(), dtype, shape);
        backend.convert(buffer, out.buffer, numel());
        return out;
    }

    // =============================================================================================
    // Autograd
    // =============================================================================================

    /** Marks this leaf as a parameter whose gradient {@link #backward()} accumulates. Returns this. */
    public Tensor requiresGrad(boolean requires) {
        if (requires && dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("Only FLOAT32 tensors can require gradients, this is " + dtype());
        }
        if (node != null) {
            throw new IllegalStateException("requiresGrad can only be set on leaf tensors; use detach() first");
        }
        this.requiresGrad = requires;
        return this;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True when this tensor was not produced by a recorded op. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The accumulated gradient of a leaf, or null. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces (or with null, clears) the accumulated gradient. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("Gradient shape " + Shapes.str(g.shape) + " does not match tensor shape " + Shapes.str(shape));
        }
        this.grad = g;
    }

    /** The same storage, cut from the graph. */
    public Tensor detach() {
        return new Tensor(backend, buffer, shape);
    }

    /** Backpropagates from this scalar, accumulating into the {@code grad} of every leaf that requires it. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward() without a gradient needs a scalar, shape is " + Shapes.str(shape)
                    + "; call backward(gradient) instead");
        }
        backward(full(device(), 1f, shape));
    }

    /** Backpropagates {@code gradient} (same shape as this tensor) through the recorded graph. */
    public void backward(Tensor gradient) {
        if (!requiresGrad) {
            throw new IllegalStateException("This tensor does not require grad: no input of the graph that made it requires grad");
        }
        if (!Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("Gradient shape " + Shapes.str(gradient.shape) + " does not match " + Shapes.str(shape));
        }
        List<Tensor> order = topologicalOrder();
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(this, gradient);
        try (Autograd.Scope scope = Autograd.noGrad()) {
            for (Tensor t : order) {
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                if (t.node == null) {
                    t.grad = t.grad == null ? g : t.grad.add(g);
                    continue;
                }
                Tensor[] inGrads = t.node.backward.apply(g);
                for (int k = 0; k < inGrads.length; k++) {
                    Tensor in = t.node.inputs[k];
                    if (inGrads[k] == null || !in.requiresGrad) {
                        continue;
                    }
                    if (!Arrays.equals(inGrads[k].shape, in.shape)) {
                        throw new IllegalStateException("Backward of " + t.node.op + " produced gradient shape "
                                + Shapes.str(inGrads[k].shape) + " for input shape " + Shapes.str(in.shape));
                    }
                    grads.merge(in, inGrads[k], Tensor::add);
                }
            }
        }
    }

    /** Nodes reachable from this tensor, outputs before inputs (iterative: deep graphs must not overflow). */
    private List<Tensor> topologicalOrder() {
        List<Tensor> post = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        seen.put(this, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int next = (Integer) top[1];
            Tensor[] ins = t.node == null ? new Tensor[0] : t.node.inputs;
            if (next < ins.length) {
                top[1] = next + 1;
                Tensor in = ins[next];
                if (in.requiresGrad && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                post.add(t);
            }
        }
        Collections.reverse(post);
        return post;
    }

    /** Attaches a graph node to {@code out} when recording is on and some input requires grad. */
    static Tensor record(String op, Tensor out, Node.Backward backward, Tensor... inputs) {
        if (!Autograd.isEnabled()) {
            return out;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                out.requiresGrad = true;
                out.node = new Node(op, inputs, backward);
                return out;
            }
        }
        return out;
    }

    // =============================================================================================
    // Elementwise
    // =============================================================================================

    private Tensor unary(UnaryOp op, float alpha) {
        requireFloat(op.name().toLowerCase());
        Tensor out = empty(device(), DType.FLOAT32, shape);
        backend.unary(op, alpha, buffer, out.buffer, numel());
        return record(op.name().toLowerCase(), out, g -> {
            Tensor gx = empty(device(), DType.FLOAT32, shape);
            backend.unaryBackward(op, alpha, buffer, out.buffer, g.buffer, gx.buffer, numel());
            return new Tensor[] {gx};
        }, this);
    }

    public Tensor relu() {
        return unary(UnaryOp.RELU, 0f);
    }

    public Tensor leakyRelu(float negativeSlope) {
        return unary(UnaryOp.LEAKY_RELU, negativeSlope);
    }

    /** GELU, tanh approximation. */
    public Tensor gelu() {
        return unary(UnaryOp.GELU, 0f);
    }

    public Tensor tanh() {
        return unary(UnaryOp.TANH, 0f);
    }

    public Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID, 0f);
    }

    public Tensor exp() {
        return unary(UnaryOp.EXP, 0f);
    }

    public Tensor log() {
        return unary(UnaryOp.LOG, 0f);
    }

    public Tensor neg() {
        return unary(UnaryOp.NEG, 0f);
    }

    public Tensor sqrt() {
        return unary(UnaryOp.SQRT, 0f);
    }

    public Tensor square() {
        return unary(UnaryOp.SQUARE, 0f);
    }

    public Tensor abs() {
        return unary(UnaryOp.ABS, 0f);
    }

    /** log(1 + e^x), computed stably. */
    public Tensor softplus() {
        return unary(UnaryOp.SOFTPLUS, 0f);
    }

    public Tensor pow(float exponent) {
        return unary(UnaryOp.POW, exponent);
    }

    public Tensor mul(float s) {
        return unary(UnaryOp.SCALE, s);
    }

    public Tensor div(float s) {
        return unary(UnaryOp.SCALE, 1f / s);
    }

    public Tensor add(float s) {
        return unary(UnaryOp.ADD_SCALAR, s);
    }

    public Tensor sub(float s) {
        return unary(UnaryOp.ADD_SCALAR, -s);
    }

    private Tensor binary(BinaryOp op, Tensor o) {
        String name = op.name().toLowerCase();
        requireFloat(name);
        o.requireFloat(name);
        requireSameDevice(name, o);
        int[] outShape = Shapes.broadcast(shape, o.shape);
        Tensor out = empty(device(), DType.FLOAT32, outShape);
        backend.binary(op, buffer, Shapes.broadcastStrides(shape, outShape), o.buffer,
                Shapes.broadcastStrides(o.shape, outShape), out.buffer, outShape);
        Tensor a = this;
        return record(name, out, g -> {
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
        }, this, o);
    }

    public Tensor add(Tensor o) {
        return binary(BinaryOp.ADD, o);
    }

    public Tensor sub(Tensor o) {
        return binary(BinaryOp.SUB, o);
    }

    public Tensor mul(Tensor o) {
        return binary(BinaryOp.MUL, o);
    }

    public Tensor div(Tensor o) {
        return binary(BinaryOp.DIV, o);
    }

    /** Elementwise maximum (the gradient goes to {@code this} on ties). */
    public Tensor maximum(Tensor o) {
        return binary(BinaryOp.MAX, o);
    }

    public Tensor minimum(Tensor o) {
        return binary(BinaryOp.MIN, o);
    }

    /** 1 where equal, else 0 (no gradient). */
    public Tensor eq(Tensor o) {
        return binary(BinaryOp.EQ, o);
    }

    /** 1 where {@code this < o}, else 0 (no gradient). */
    public Tensor lt(Tensor o) {
        return binary(BinaryOp.LT, o);
    }

    /** 1 where {@code this > o}, else 0 (no gradient). */
    public Tensor gt(Tensor o) {
        return binary(BinaryOp.GT, o);
    }

    /** Sums broadcast axes away so the result has {@code target} shape (the adjoint of broadcasting). */
    public Tensor sumTo(int[] target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        Tensor t = this;
        int lead = shape.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("Cannot sum shape " + Shapes.str(shape) + " to larger rank " + Shapes.str(target));
        }
        for (int k = 0; k < lead; k++) {
            t = t.sum(0, false);
        }
        for (int k = 0; k < target.length; k++) {
            if (target[k] == 1 && t.shape[k] != 1) {
                t = t.sum(k, true);
            } else if (target[k] != t.shape[k]) {
                throw new IllegalArgumentException("Cannot sum shape " + Shapes.str(shape) + " to " + Shapes.str(target));
            }
        }
        return t;
    }

    /** Materialises this tensor broadcast to {@code target} (NumPy rules). */
    public Tensor expand(int... target) {
        int[] out = Shapes.broadcast(shape, target);
        if (!Arrays.equals(out, target)) {
            throw new IllegalArgumentException("Cannot expand shape " + Shapes.str(shape) + " to " + Shapes.str(target));
        }
        if (Arrays.equals(shape, target)) {
            return this;
        }
        Tensor r = empty(device(), dtype(), target);
        backend.copyStrided(buffer, 0, Shapes.broadcastStrides(shape, target), r.buffer, 0, Shapes.strides(target), target);
        return record("expand", r, g -> new Tensor[] {g.sumTo(shape)}, this);
    }

    /** Zeroes each element with probability {@code p} and scales the rest by 1/(1-p); identity when not training. */
    public Tensor dropout(float p, boolean training, Generator g) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p);
        }
        if (!training || p == 0) {
            return this;
        }
        Tensor mask;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            mask = rand(g, device(), shape).lt(full(device(), 1f - p)).mul(1f / (1f - p));
        }
        return mul(mask);
    }

    // =============================================================================================
    // Shape
    // =============================================================================================

    /** The same storage with a new shape; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int k = 0; k < s.length; k++) {
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
            if (known == 0 || numel() % known != 0) {
                throw new IllegalArgumentException("Cannot reshape " + Shapes.str(shape) + " to " + Shapes.str(newShape));
            }
            s[infer] = (int) (numel() / known);
        }
        if (Shapes.numel(s) != numel()) {
            throw new IllegalArgumentException("Cannot reshape " + Shapes.str(shape) + " (" + numel() + " elements) to "
                    + Shapes.str(newShape) + " (" + Shapes.numel(s) + " elements)");
        }
        Tensor out = new Tensor(backend, buffer, s);
        return record("reshape", out, g -> new Tensor[] {g.reshape(shape)}, this);
    }

    /** Alias of {@link #reshape}: every tensor is contiguous, so views and reshapes are the same. */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    /** Keeps axis 0 and flattens the rest: {@code [N, ...] -> [N, prod]}. */
    public Tensor flatten() {
        return shape.length == 0 ? reshape(1, 1) : reshape(shape[0], -1);
    }

    /** Inserts an axis of size 1. */
    public Tensor unsqueeze(int axis) {
        int a = Shapes.axis(axis, shape.length + 1);
        int[] s = new int[shape.length + 1];
        for (int k = 0, j = 0; k < s.length; k++) {
            s[k] = k == a ? 1 : shape[j++];
        }
        return reshape(s);
    }

    /** Removes an axis of size 1. */
    public Tensor squeeze(int axis) {
        int a = Shapes.axis(axis, shape.length);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("Cannot squeeze axis " + axis + " of shape " + Shapes.str(shape) + ": size is not 1");
        }
        int[] s = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k != a) {
                s[j++] = shape[k];
            }
        }
        return reshape(s);
    }

    /** Reorders axes: output axis k is input axis {@code perm[k]}. */
    public Tensor permute(int... perm) {
        if (perm.length != shape.length) {
            throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " needs " + shape.length + " axes for shape " + Shapes.str(shape));
        }
        int[] inv = new int[perm.length];
        Arrays.fill(inv, -1);
        int[] outShape = new int[perm.length];
        int[] srcStrides = new int[perm.length];
        int[] st = Shapes.strides(shape);
        for (int k = 0; k < perm.length; k++) {
            int p = Shapes.axis(perm[k], shape.length);
            if (inv[p] >= 0) {
                throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " repeats axis " + p);
            }
            inv[p] = k;
            outShape[k] = shape[p];
            srcStrides[k] = st[p];
        }
        Tensor out = empty(device(), dtype(), outShape);
        backend.copyStrided(buffer, 0, srcStrides, out.buffer, 0, Shapes.strides(outShape), outShape);
        return record("permute", out, g -> new Tensor[] {g.permute(inv)}, this);
    }

    /** Swaps two axes. */
    public Tensor transpose(int axis0, int axis1) {
        int[] perm = new int[shape.length];
        for (int k = 0; k < perm.length; k++) {
            perm[k] = k;
        }
        int a = Shapes.axis(axis0, shape.length), b = Shapes.axis(axis1, shape.length);
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Swaps the last two axes. */
    public Tensor t() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("t() needs rank >= 2, shape is " + Shapes.str(shape));
        }
        return transpose(-2, -1);
    }

    /** Elements {@code [start, end)} along {@code axis}. */
    public Tensor slice(int axis, int start, int end) {
        int a = Shapes.axis(axis, shape.length);
        if (start < 0 || end > shape[a] || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") is out of range for axis " + axis
                    + " of shape " + Shapes.str(shape));
        }
        int[] outShape = shape.clone();
        outShape[a] = end - start;
        int[] st = Shapes.strides(shape);
        Tensor out = empty(device(), dtype(), outShape);
        backend.copyStrided(buffer, (long) start * st[a], st, out.buffer, 0, Shapes.strides(outShape), outShape);
        return record("slice", out, g -> {
            Tensor gx = zeros(device(), shape);
            backend.copyStrided(g.buffer, 0, Shapes.strides(outShape), gx.buffer, (long) start * st[a], st, outShape);
            return new Tensor[] {gx};
        }, this);
    }

    /** Index {@code i} along {@code axis}, with that axis removed. */
    public Tensor select(int axis, int i) {
        return slice(axis, i, i + 1).squeeze(axis);
    }

    /** Rows picked by a 1-D index tensor along {@code axis}: {@code out[.., j, ..] = this[.., idx[j], ..]}. */
    public Tensor indexSelect(int axis, Tensor idx) {
        requireFloat("indexSelect");
        if (!idx.dtype().isIndex() || idx.rank() != 1) {
            throw new IllegalArgumentException("indexSelect needs a 1-D INT32/INT64 index tensor, got " + idx.dtype() + " " + Shapes.str(idx.shape));
        }
        requireSameDevice("indexSelect", idx);
        int a = Shapes.axis(axis, shape.length);
        int outer = Shapes.prod(shape, 0, a), dim = shape[a], inner = Shapes.prod(shape, a + 1, shape.length);
        int count = idx.shape[0];
        checkIndices(idx, dim, "indexSelect");
        int[] outShape = shape.clone();
        outShape[a] = count;
        Tensor out = empty(device(), DType.FLOAT32, outShape);
        backend.indexSelect(buffer, outer, dim, inner, idx.buffer, count, out.buffer);
        return record("indexSelect", out, g -> {
            Tensor gx = zeros(device(), shape);
            backend.indexAdd(g.buffer, outer, dim, inner, idx.buffer, count, gx.buffer);
            return new Tensor[] {gx, null};
        }, this, idx);
    }

    private static void checkIndices(Tensor idx, int bound, String op) {
        for (long v : idx.toLongArray()) {
            if (v < 0 || v >= bound) {
                throw new IllegalArgumentException(op + ": index " + v + " is out of range [0, " + bound + ")");
            }
        }
    }

    /** Joins tensors along an existing axis; all other axes must match. */
    public static Tensor cat(List<Tensor> parts, int axis) {
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
        Tensor out = empty(first.device(), first.dtype(), outShape);
        int[] outStrides = Shapes.strides(outShape);
        int offset = 0;
        int[] starts = new int[parts.size()];
        for (int k = 0; k < parts.size(); k++) {
            Tensor p = parts.get(k);
            starts[k] = offset;
            first.backend.copyStrided(p.buffer, 0, Shapes.strides(p.shape), out.buffer, (long) offset * outStrides[a], outStrides, p.shape);
            offset += p.shape[a];
        }
        return record("cat", out, g -> {
            Tensor[] gs = new Tensor[parts.size()];
            for (int k = 0; k < gs.length; k++) {
                gs[k] = g.slice(a, starts[k], starts[k] + parts.get(k).shape[a]);
            }
            return gs;
        }, parts.toArray(new Tensor[0]));
    }

    /** Joins tensors of equal shape along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
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
        return cat(expanded, a);
    }

    // =============================================================================================
    // Linear algebra
    // =============================================================================================

    /**
     * Matrix product. 2-D × 2-D; N-D × 2-D (leading axes of {@code this} are batch rows); N-D × N-D
     * with equal leading (batch) axes. 1-D operands are treated as a row (left) or column (right).
     */
    public Tensor matmul(Tensor o) {
        requireFloat("matmul");
        o.requireFloat("matmul");
        requireSameDevice("matmul", o);
        if (shape.length == 1) {
            return unsqueeze(0).matmul(o).squeeze(-2);
        }
        if (o.shape.length == 1) {
            return matmul(o.unsqueeze(1)).squeeze(-1);
        }
        int k = shape[shape.length - 1];
        if (o.shape[o.shape.length - 2] != k) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape)
                    + " are incompatible (" + k + " != " + o.shape[o.shape.length - 2] + ")");
        }
        if (o.shape.length == 2) {
            if (shape.length == 2) {
                return mm(this, false, o, false);
            }
            int[] outShape = shape.clone();
            outShape[outShape.length - 1] = o.shape[1];
            return mm(reshape(-1, k), false, o, false).reshape(outShape);
        }
        if (shape.length != o.shape.length || !Arrays.equals(Arrays.copyOf(shape, shape.length - 2), Arrays.copyOf(o.shape, o.shape.length - 2))) {
            throw new IllegalArgumentException("matmul: batch axes of " + Shapes.str(shape) + " and " + Shapes.str(o.shape) + " differ");
        }
        int batch = Shapes.prod(shape, 0, shape.length - 2);
        int m = shape[shape.length - 2], n = o.shape[o.shape.length - 1];
        int[] outShape = shape.clone();
        outShape[outShape.length - 1] = n;
        return mm(reshape(batch, m, k), false, o.reshape(batch, k, n), false).reshape(outShape);
    }

    /**
     * op(a)·op(b) for 2-D operands or 3-D batches of equal size, where op transposes the last two
     * axes when its flag is set. Backward uses the transpose flags instead of materialised transposes.
     */
    public static Tensor mm(Tensor a, boolean transA, Tensor b, boolean transB) {
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
        Tensor c = empty(a.device(), DType.FLOAT32, outShape);
        if (k == 0) {
            c.backend.fill(c.buffer, 0f);
        } else {
            c.backend.gemm(Gemm.of(transA, transB, m, n, k).batched(batch, (long) m * k, (long) k * n, (long) m * n),
                    BufferView.of(a.buffer), BufferView.of(b.buffer), BufferView.of(c.buffer));
        }
        return record("mm", c, g -> {
            Tensor ga, gb;
            if (!transA && !transB) {
                ga = mm(g, false, b, true);
                gb = mm(a, true, g, false);
            } else if (!transA) {
                ga = mm(g, false, b, false);
                gb = mm(g, true, a, false);
            } else if (!transB) {
                ga = mm(b, false, g, true);
                gb = mm(a, false, g, false);
            } else {
                ga = mm(b, true, g, true);
                gb = mm(g, true, a, true);
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

    // =============================================================================================
    // Reductions
    // =============================================================================================

    /** Sum of all elements, as a scalar (shape {@code []}). */
    public Tensor sum() {
        return reshape(1, (int) numel()).sum(1, false).reshape();
    }

    /** Sum along {@code axis}; {@code keepDim} keeps it with size 1. */
    public Tensor sum(int axis, boolean keepDim) {
        requireFloat("sum");
        int a = Shapes.axis(axis, shape.length);
        int[] outShape = reducedShape(a, keepDim);
        Tensor out = empty(device(), DType.FLOAT32, outShape);
        backend.reduce(ReduceOp.SUM, buffer, Shapes.prod(shape, 0, a), shape[a], Shapes.prod(shape, a + 1, shape.length), out.buffer);
        return record("sum", out, g -> new Tensor[] {g.reshape(reducedShape(a, true)).expand(shape)}, this);
    }

    /** Mean of all elements, as a scalar. */
    public Tensor mean() {
        return sum().mul(1f / numel());
    }

    public Tensor mean(int axis, boolean keepDim) {
        return sum(axis, keepDim).mul(1f / shape[Shapes.axis(axis, shape.length)]);
    }

    /** Maximum along {@code axis}; the gradient is shared equally among tied maxima. */
    public Tensor max(int axis, boolean keepDim) {
        requireFloat("max");
        int a = Shapes.axis(axis, shape.length);
        int[] outShape = reducedShape(a, keepDim);
        Tensor out = empty(device(), DType.FLOAT32, outShape);
        backend.reduce(ReduceOp.MAX, buffer, Shapes.prod(shape, 0, a), shape[a], Shapes.prod(shape, a + 1, shape.length), out.buffer);
        Tensor x = this;
        return record("max", out, g -> {
            int[] kept = reducedShape(a, true);
            Tensor mask = x.eq(out.reshape(kept));
            Tensor count = mask.sum(a, true);
            return new Tensor[] {mask.mul(g.reshape(kept).div(count))};
        }, this);
    }

    /** Maximum of all elements, as a scalar. */
    public Tensor max() {
        return reshape(1, (int) numel()).max(1, false).reshape();
    }

    /** Index of the maximum along {@code axis} (INT64, first on ties, no gradient). */
    public Tensor argmax(int axis) {
        requireFloat("argmax");
        int a = Shapes.axis(axis, shape.length);
        Tensor out = empty(device(), DType.INT64, reducedShape(a, false));
        backend.reduce(ReduceOp.ARGMAX, buffer, Shapes.prod(shape, 0, a), shape[a], Shapes.prod(shape, a + 1, shape.length), out.buffer);
        return out;
    }

    private int[] reducedShape(int a, boolean keepDim) {
        int[] s = new int[keepDim ? shape.length : shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k == a) {
                if (keepDim) {
                    s[j++] = 1;
                }
            } else {
                s[j++] = shape[k];
            }
        }
        return s;
    }

    // =============================================================================================
    // Softmax and losses
    // =============================================================================================

    public Tensor softmax(int axis) {
        return softmax(axis, false);
    }

    public Tensor logSoftmax(int axis) {
        return softmax(axis, true);
    }

    private Tensor softmax(int axis, boolean log) {
        requireFloat(log ? "logSoftmax" : "softmax");
        int a = Shapes.axis(axis, shape.length);
        int outer = Shapes.prod(shape, 0, a), dim = shape[a], inner = Shapes.prod(shape, a + 1, shape.length);
        Tensor out = empty(device(), DType.FLOAT32, shape);
        backend.softmax(buffer, out.buffer, outer, dim, inner, log);
        return record(log ? "logSoftmax" : "softmax", out, g -> {
            Tensor gx = empty(device(), DType.FLOAT32, shape);
            backend.softmaxBackward(out.buffer, g.buffer, gx.buffer, outer, dim, inner, log);
            return new Tensor[] {gx};
        }, this);
    }

    /**
     * Mean cross-entropy of {@code [N, C]} logits against {@code [N]} integer class targets, fused
     * (log-softmax, gather and its gradient in one backend call). Targets on the CPU are range-checked
     * (an error names the bad target); targets already on a GPU are not copied back for the check.
     */
    public Tensor crossEntropy(Tensor targets) {
        requireFloat("crossEntropy");
        requireSameDevice("crossEntropy", targets);
        if (rank() != 2 || targets.rank() != 1 || targets.shape[0] != shape[0] || !targets.dtype().isIndex()) {
            throw new IllegalArgumentException("crossEntropy needs [N, C] logits and [N] INT32/INT64 targets, got "
                    + Shapes.str(shape) + " and " + Shapes.str(targets.shape) + " " + targets.dtype());
        }
        int rows = shape[0], cols = shape[1];
        if (targets.device().kind() == Device.Kind.CPU) {
            // Host-resident targets are checked here for free; device-resident ones are not read
            // back (that would stall every step): the CUDA kernel yields a NaN loss for them.
            checkIndices(targets, cols, "crossEntropy target");
        }
        Tensor loss = empty(device(), DType.FLOAT32, rows);
        Tensor gradLogits = empty(device(), DType.FLOAT32, shape);
        backend.crossEntropy(buffer, targets.buffer, rows, cols, loss.buffer, gradLogits.buffer);
        Tensor perRow = record("crossEntropy", loss, g -> new Tensor[] {gradLogits.mul(g.unsqueeze(1)), null}, this, targets);
        return perRow.mean();
    }

    // =============================================================================================
    // In-place updates (optimisers, initialisers, state loading)
    // =============================================================================================

    /** Overwrites this tensor's values with {@code src}'s (same shape; no graph is recorded). */
    public void assign(Tensor src) {
        if (!Arrays.equals(src.shape, shape) || src.dtype() != dtype()) {
            throw new IllegalArgumentException("assign: source " + Shapes.str(src.shape) + " " + src.dtype()
                    + " does not match " + Shapes.str(shape) + " " + dtype());
        }
        Tensor s = src.to(device());
        backend.copyStrided(s.buffer, 0, Shapes.strides(shape), buffer, 0, Shapes.strides(shape), shape);
    }

    // =============================================================================================
    // Checks
    // =============================================================================================

    private void requireFloat(String op) {
        if (dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + " needs a FLOAT32 tensor, got " + dtype() + " " + Shapes.str(shape));
        }
    }

    private void requireSameDevice(String op, Tensor o) {
        if (!device().equals(o.device())) {
            throw new IllegalArgumentException(op + ": tensors are on different devices, " + device() + " and " + o.device());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape)).append(' ').append(dtype()).append(" on ").append(device());
        if (numel() <= 16) {
            sb.append(' ').append(dtype() == DType.FLOAT32 ? Arrays.toString(toFloatArray()) : Arrays.toString(toLongArray()));
        }
        return sb.toString();
    }
}
