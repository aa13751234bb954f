package dev.kiln;

import dev.kiln.backend.Backend;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import dev.kiln.spi.TensorStorage;
import dev.kiln.backend.UnaryOp;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p><b>Memory.</b> A tensor is {@link AutoCloseable}: {@link #close()} releases its storage at once
 * (on a GPU, back to the caching allocator) when no other tensor shares it. A
 * {@link TensorScope} ({@link #scope()}) closes every tensor created inside it except those it is
 * told to {@linkplain TensorScope#keep keep}, which is how a training step returns its temporaries
 * at the end of the step. Tensors made outside any scope are released by the garbage collector.
 * A closed tensor throws {@link IllegalStateException} when used.
 */
public final class Tensor implements AutoCloseable {

    final Backend backend;
    final Buffer buffer;
    final int[] shape;
    boolean requiresGrad;
    Tensor grad;
    RowSparseGrad sparseGrad;
    Node node;

    /** Bumped by every in-place write to the storage; shared by tensors that share it (reshape, detach). */
    final int[] version;

    static {
        TensorStorage.install(new TensorStorage.Access() {
            @Override
            public Buffer buffer(Tensor t) {
                return t.buffer;
            }

            @Override
            public Backend backend(Tensor t) {
                return t.backend;
            }
        });
    }

    /** Key that makes a buffer this class's to release: {@link Buffer#close()} refuses a tensor's storage. */
    private static final Object OWNER = new Object();

    /** Open tensors over this storage (shared by aliases); the storage is released when it drops to 0. */
    private final AtomicInteger refs;
    /** The scope that will close this tensor, or null. */
    TensorScope scope;
    private volatile boolean closed;
    /** Set on a gradient that belongs to its leaf (released when replaced or cleared). */
    private boolean ownedGrad;

    /** A tensor over a freshly allocated buffer, which it owns from now on. */
    Tensor(Backend backend, Buffer buffer, int[] shape) {
        this(backend, buffer, shape, new int[1], new AtomicInteger(1));
        buffer.own(OWNER);
    }

    private Tensor(Backend backend, Buffer buffer, int[] shape, int[] version, AtomicInteger refs) {
        this.backend = backend;
        this.buffer = buffer;
        this.shape = shape;
        this.version = version;
        this.refs = refs;
        TensorScope.register(this);
    }

    /** Another shape over the same storage (and the same version counter), outside the graph. */
    Tensor alias(int[] newShape) {
        checkOpen("reshape");
        refs.incrementAndGet();
        return new Tensor(backend, buffer, newShape, version, refs);
    }

    // ---- lifetime ----------------------------------------------------------------------------------

    /**
     * A new {@link TensorScope} on this thread: tensors created until it closes are closed with it,
     * except those passed to {@link TensorScope#keep}.
     */
    public static TensorScope scope() {
        return new TensorScope();
    }

    /**
     * Releases this tensor: its storage goes back to its backend (on a GPU, the caching allocator)
     * once no other open tensor shares it. Using the tensor afterwards throws
     * {@link IllegalStateException}. Closing twice does nothing. The tensor's gradient, if any, is
     * not closed.
     */
    @Override
    public void close() {
        synchronized (refs) {
            if (closed) {
                return;
            }
            closed = true;
            if (refs.decrementAndGet() == 0) {
                buffer.release(OWNER);
            }
        }
    }

    /** True once {@link #close()} ran (directly or through the {@link TensorScope} that owned it). */
    public boolean isClosed() {
        return closed;
    }

    void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": this tensor " + Shapes.str(shape) + " " + buffer.dtype() + " was closed "
                    + "(by close() or at the end of the TensorScope that created it); keep it with scope.keep(t) to use it "
                    + "after its scope");
        }
    }

    // ---- creation ----------------------------------------------------------------------------------

    /** An uninitialised tensor (for backends and ops that write every element). */
    public static Tensor empty(Device device, DType dtype, int... shape) {
        checkShape(shape);
        Backend be = Backends.of(device);
        return new Tensor(be, be.allocate(dtype, Shapes.numel(shape)), shape.clone());
    }

    /** A FLOAT32 CPU tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return full(Device.cpu(), 0f, shape);
    }

    /** A FLOAT32 tensor of zeros on {@code device}. */
    public static Tensor zeros(Device device, int... shape) {
        return full(device, 0f, shape);
    }

    /** A FLOAT32 CPU tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(Device.cpu(), 1f, shape);
    }

    /** A FLOAT32 tensor of ones on {@code device}. */
    public static Tensor ones(Device device, int... shape) {
        return full(device, 1f, shape);
    }

    /** A FLOAT32 CPU tensor with every element {@code value}. */
    public static Tensor full(float value, int... shape) {
        return full(Device.cpu(), value, shape);
    }

    /** A FLOAT32 tensor on {@code device} with every element {@code value}. */
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
        return Factories.arange(start, end, step);
    }

    /** {@code [0, 1, ..., n-1]} as FLOAT32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** Uniform [0, 1) draws from {@code g} (see {@link Generator} for the exact stream). */
    public static Tensor rand(Generator g, int... shape) {
        return rand(g, Device.cpu(), shape);
    }

    /** Uniform [0, 1) draws from {@code g}, made on {@code device} (the same values as on the CPU). */
    public static Tensor rand(Generator g, Device device, int... shape) {
        return Factories.random(g, device, shape, false);
    }

    /** Standard-normal draws from {@code g}. */
    public static Tensor randn(Generator g, int... shape) {
        return randn(g, Device.cpu(), shape);
    }

    /** Standard-normal draws from {@code g}, made on {@code device} (the same values as on the CPU). */
    public static Tensor randn(Generator g, Device device, int... shape) {
        return Factories.random(g, device, shape, true);
    }

    /** A FLOAT32 CPU tensor over a copy of {@code data}; with no shape given it is 1-D. */
    public static Tensor fromArray(float[] data, int... shape) {
        Tensor t = host(DType.FLOAT32, data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /** An INT32 index tensor (class targets, token ids) over a copy of {@code data}. */
    public static Tensor fromIndices(int[] data, int... shape) {
        Tensor t = host(DType.INT32, data.length, shape.length == 0 ? new int[] {data.length} : shape);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /** An INT64 index tensor over a copy of {@code data}. */
    public static Tensor fromLongs(long[] data, int... shape) {
        Tensor t = host(DType.INT64, data.length, shape.length == 0 ? new int[] {data.length} : shape);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /** An uninitialised CPU tensor of {@code shape}, checked to hold exactly {@code count} values. */
    private static Tensor host(DType dtype, int count, int[] shape) {
        checkShape(shape);
        if (Shapes.numel(shape) != count) {
            throw new IllegalArgumentException("Shape " + Shapes.str(shape) + " holds " + Shapes.numel(shape)
                    + " elements but " + count + " values were given");
        }
        return empty(Device.cpu(), dtype, shape);
    }

    /** A 2-D FLOAT32 tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        return Factories.of(rows);
    }

    static void checkShape(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Negative dimension in shape " + Shapes.str(shape));
            }
        }
    }

    // ---- properties and host access ----------------------------------------------------------------

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis (negative counts from the end). */
    public int size(int axis) {
        return shape[Shapes.axis(axis, shape.length)];
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for a scalar). */
    public long numel() {
        return Shapes.numel(shape);
    }

    /** Element type. */
    public DType dtype() {
        return buffer.dtype();
    }

    /** Where the values live and ops on them run. */
    public Device device() {
        return backend.device();
    }

    /** The backend that owns this tensor's buffer (other packages: {@link TensorStorage#backend}). */
    Backend backend() {
        return backend;
    }

    /** The storage, shared by reshaped views (other packages: {@link TensorStorage#buffer}). */
    Buffer buffer() {
        return buffer;
    }

    /** Copies the values to a new host array (FLOAT32 only; index tensors use {@link #toLongArray}). */
    public float[] toFloatArray() {
        checkOpen("toFloatArray");
        requireFloat("toFloatArray");
        return backend.downloadFloats(buffer);
    }

    /** Copies index values (or truncated floats) to a host array. */
    public long[] toLongArray() {
        checkOpen("toLongArray");
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
        checkOpen("to");
        return Factories.to(this, device);
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

    // ---- autograd ----------------------------------------------------------------------------------

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

    /** True when backward() computes a gradient for this tensor. */
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

    /**
     * Replaces (or with null, clears) the accumulated gradient. A gradient made inside a
     * {@link TensorScope} (as {@link #backward()} makes them) leaves that scope and belongs to this
     * tensor from then on: replacing or clearing it releases its memory.
     */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("Gradient shape " + Shapes.str(g.shape) + " does not match tensor shape " + Shapes.str(shape));
        }
        Tensor old = grad;
        this.grad = g == null ? null : adoptAsGrad(g);
        if (old != null && old.ownedGrad && old != grad) {
            old.close();
        }
    }

    /** {@code g}, taken out of its scope to be owned as a gradient (an alias when another tensor already owns it). */
    private static Tensor adoptAsGrad(Tensor g) {
        if (g.ownedGrad) {
            Tensor a = TensorScope.outside(() -> g.alias(g.shape));
            a.ownedGrad = true;
            return a;
        }
        if (g.scope != null) {
            TensorScope.release(g);
            g.ownedGrad = true;
        }
        return g;
    }

    /**
     * The accumulated row-sparse gradient of a leaf (from lookups with
     * {@link dev.kiln.sparse.Sparse#embedding}, e.g. an {@code Embedding} made with
     * {@code sparse = true}), or null. Kept apart from {@link #grad()}, which stays dense.
     */
    public RowSparseGrad sparseGrad() {
        return sparseGrad;
    }

    /** Replaces (or with null, clears) the accumulated row-sparse gradient. */
    public void setSparseGrad(RowSparseGrad g) {
        if (g != null && !Arrays.equals(g.shape(), shape)) {
            throw new IllegalArgumentException("Row-sparse gradient shape " + Shapes.str(g.shape()) + " does not match tensor shape "
                    + Shapes.str(shape));
        }
        this.sparseGrad = g;
    }

    /** The same storage, cut from the graph. */
    public Tensor detach() {
        return alias(shape);
    }

    /**
     * Backpropagates from this scalar, accumulating into the {@code grad} of every leaf that requires
     * it, then frees the graph (the tensors its ops saved); a second backward through it is an error.
     */
    public void backward() {
        backward(false);
    }

    /** As {@link #backward()}; with {@code retainGraph} the graph is kept for another backward. */
    public void backward(boolean retainGraph) {
        Autograd.backward(this, null, retainGraph);
    }

    /** Backpropagates {@code gradient} (same shape as this tensor) through the recorded graph, then frees it. */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /** As {@link #backward(Tensor)}; with {@code retainGraph} the graph is kept for another backward. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
    }

    // ---- elementwise -------------------------------------------------------------------------------

    Tensor unary(UnaryOp op, float alpha) {
        return Elementwise.unary(this, op, alpha);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return unary(UnaryOp.RELU, 0f);
    }

    /** {@code x} where {@code x > 0}, else {@code negativeSlope · x}. */
    public Tensor leakyRelu(float negativeSlope) {
        return unary(UnaryOp.LEAKY_RELU, negativeSlope);
    }

    /** GELU, exact: {@code 0.5 x (1 + erf(x / √2))}, as torch's {@code gelu} by default. */
    public Tensor gelu() {
        return unary(UnaryOp.GELU_ERF, 0f);
    }

    /**
     * GELU with torch's {@code approximate} argument: {@code "none"} the exact erf form ({@link #gelu()}),
     * {@code "tanh"} the approximation {@code 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))} (what the
     * fused GEMM epilogue {@code Gemm.Activation.GELU} computes, and the transformer layers use).
     */
    public Tensor gelu(String approximate) {
        switch (approximate) {
            case "none": return gelu();
            case "tanh": return unary(UnaryOp.GELU, 0f);
            default: throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
    }

    /** The hyperbolic tangent. */
    public Tensor tanh() {
        return unary(UnaryOp.TANH, 0f);
    }

    /** 1 / (1 + e^-x). */
    public Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID, 0f);
    }

    /** e^x. */
    public Tensor exp() {
        return unary(UnaryOp.EXP, 0f);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return unary(UnaryOp.LOG, 0f);
    }

    /** -x. */
    public Tensor neg() {
        return unary(UnaryOp.NEG, 0f);
    }

    /** Square root. */
    public Tensor sqrt() {
        return unary(UnaryOp.SQRT, 0f);
    }

    /** x². */
    public Tensor square() {
        return unary(UnaryOp.SQUARE, 0f);
    }

    /** |x|. */
    public Tensor abs() {
        return unary(UnaryOp.ABS, 0f);
    }

    /** log(1 + e^x), computed stably. */
    public Tensor softplus() {
        return unary(UnaryOp.SOFTPLUS, 0f);
    }

    /** x raised to {@code exponent}. */
    public Tensor pow(float exponent) {
        return unary(UnaryOp.POW, exponent);
    }

    /** x · s. */
    public Tensor mul(float s) {
        return unary(UnaryOp.SCALE, s);
    }

    /** x / s (as x · (1/s)). */
    public Tensor div(float s) {
        return unary(UnaryOp.SCALE, 1f / s);
    }

    /** x + s. */
    public Tensor add(float s) {
        return unary(UnaryOp.ADD_SCALAR, s);
    }

    /** x − s. */
    public Tensor sub(float s) {
        return unary(UnaryOp.ADD_SCALAR, -s);
    }

    Tensor binary(BinaryOp op, Tensor o) {
        return Elementwise.binary(this, op, o);
    }

    /** Elementwise sum, broadcasting NumPy-style. */
    public Tensor add(Tensor o) {
        return binary(BinaryOp.ADD, o);
    }

    /** Elementwise difference, broadcasting. */
    public Tensor sub(Tensor o) {
        return binary(BinaryOp.SUB, o);
    }

    /** Elementwise product, broadcasting. */
    public Tensor mul(Tensor o) {
        return binary(BinaryOp.MUL, o);
    }

    /** Elementwise quotient, broadcasting. */
    public Tensor div(Tensor o) {
        return binary(BinaryOp.DIV, o);
    }

    /** Elementwise maximum (the gradient goes to {@code this} on ties). */
    public Tensor maximum(Tensor o) {
        return binary(BinaryOp.MAX, o);
    }

    /** Elementwise minimum (the gradient goes to {@code this} on ties). */
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
        return Elementwise.sumTo(this, target);
    }

    /** Materialises this tensor broadcast to {@code target} (NumPy rules). */
    public Tensor expand(int... target) {
        return Elementwise.expand(this, target);
    }

    /** Zeroes each element with probability {@code p} and scales the rest by 1/(1-p); identity when not training. */
    public Tensor dropout(float p, boolean training, Generator g) {
        return Elementwise.dropout(this, p, training, g);
    }

    // ---- shape -------------------------------------------------------------------------------------

    /** The same storage with a new shape; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
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
        return ShapeOps.unsqueeze(this, axis);
    }

    /** Removes an axis of size 1. */
    public Tensor squeeze(int axis) {
        return ShapeOps.squeeze(this, axis);
    }

    /** Reorders axes: output axis k is input axis {@code perm[k]}. */
    public Tensor permute(int... perm) {
        return ShapeOps.permute(this, perm);
    }

    /** Swaps two axes. */
    public Tensor transpose(int axis0, int axis1) {
        return ShapeOps.transpose(this, axis0, axis1);
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
        return ShapeOps.slice(this, axis, start, end);
    }

    /** Index {@code i} along {@code axis}, with that axis removed. */
    public Tensor select(int axis, int i) {
        return slice(axis, i, i + 1).squeeze(axis);
    }

    /** Rows picked by a 1-D index tensor along {@code axis}: {@code out[.., j, ..] = this[.., idx[j], ..]}. */
    public Tensor indexSelect(int axis, Tensor idx) {
        return ShapeOps.indexSelect(this, axis, idx);
    }

    /** Joins tensors along an existing axis; all other axes must match. */
    public static Tensor cat(List<Tensor> parts, int axis) {
        return ShapeOps.cat(parts, axis);
    }

    /** Joins tensors of equal shape along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
        return ShapeOps.stack(parts, axis);
    }

    // ---- linear algebra ----------------------------------------------------------------------------

    /**
     * Matrix product with torch.matmul's rules: 2-D × 2-D; N-D × 2-D (leading axes of {@code this}
     * are batch rows); otherwise the leading (batch) axes broadcast (NumPy rules), e.g.
     * {@code [B, 1, M, K] × [H, K, N] → [B, H, M, N]} and {@code [M, K] × [B, K, N] → [B, M, N]}, and the
     * gradient of an operand sums over the axes it was broadcast along. A 1-D left operand is a row
     * (its axis removed from the result), a 1-D right operand a column.
     */
    public Tensor matmul(Tensor o) {
        return LinAlg.matmul(this, o);
    }

    /**
     * op(a)·op(b) for 2-D operands or 3-D batches of equal size, where op transposes the last two
     * axes when its flag is set. Backward uses the transpose flags instead of materialised transposes.
     */
    public static Tensor mm(Tensor a, boolean transA, Tensor b, boolean transB) {
        return LinAlg.mm(a, transA, b, transB);
    }

    // ---- reductions --------------------------------------------------------------------------------

    /** Sum of all elements, as a scalar (shape {@code []}). */
    public Tensor sum() {
        return reshape(1, (int) numel()).sum(1, false).reshape();
    }

    /** Sum along {@code axis}; {@code keepDim} keeps it with size 1. */
    public Tensor sum(int axis, boolean keepDim) {
        return Reductions.sum(this, axis, keepDim);
    }

    /** Mean of all elements, as a scalar. */
    public Tensor mean() {
        return sum().mul(1f / numel());
    }

    /** Mean along {@code axis}; {@code keepDim} keeps it with size 1. */
    public Tensor mean(int axis, boolean keepDim) {
        return sum(axis, keepDim).mul(1f / shape[Shapes.axis(axis, shape.length)]);
    }

    /** Maximum along {@code axis}; the gradient is shared equally among tied maxima. */
    public Tensor max(int axis, boolean keepDim) {
        return Reductions.max(this, axis, keepDim);
    }

    /** Maximum of all elements, as a scalar. */
    public Tensor max() {
        return reshape(1, (int) numel()).max(1, false).reshape();
    }

    /** Index of the maximum along {@code axis} (INT64, first on ties, no gradient). */
    public Tensor argmax(int axis) {
        return Reductions.argmax(this, axis);
    }

    // ---- softmax and losses ------------------------------------------------------------------------

    /** Softmax along {@code axis}. */
    public Tensor softmax(int axis) {
        return softmax(axis, false);
    }

    /** Log-softmax along {@code axis}, computed stably. */
    public Tensor logSoftmax(int axis) {
        return softmax(axis, true);
    }

    Tensor softmax(int axis, boolean log) {
        return Reductions.softmax(this, axis, log);
    }

    /**
     * Mean cross-entropy of {@code [N, C]} logits against {@code [N]} integer class targets, or of
     * {@code [N, C, d1, …]} logits against {@code [N, d1, …]} targets (class axis second, as torch's
     * {@code cross_entropy}), fused (log-softmax, gather and its gradient in one backend call). Every
     * target must be in {@code [0, C)}: the CPU throws an error naming the bad target and its index;
     * on a GPU the kernel records it on the device and the error is raised at the next
     * synchronisation (reading a value back), so no step waits for a check.
     */
    public Tensor crossEntropy(Tensor targets) {
        return Reductions.crossEntropy(this, targets, Backend.NO_IGNORE_INDEX);
    }

    /**
     * {@link #crossEntropy(Tensor)} with torch's {@code ignore_index}: targets equal to
     * {@code ignoreIndex} (e.g. -100, torch's default, for padding) add nothing to the loss or the
     * gradient, and the mean divides by the number of other targets (NaN when every target is
     * ignored, as torch). {@code |ignoreIndex|} must be at most 2^24.
     */
    public Tensor crossEntropy(Tensor targets, long ignoreIndex) {
        if (ignoreIndex == Backend.NO_IGNORE_INDEX) {
            throw new IllegalArgumentException("crossEntropy: ignore index " + ignoreIndex + " is reserved for none;"
                    + " call crossEntropy(targets) to ignore no target");
        }
        return Reductions.crossEntropy(this, targets, ignoreIndex);
    }

    // ---- in-place updates (optimisers, initialisers, state loading) --------------------------------

    /** Overwrites this tensor's values with {@code src}'s (same shape; no graph is recorded). */
    public void assign(Tensor src) {
        if (!Arrays.equals(src.shape, shape) || src.dtype() != dtype()) {
            throw new IllegalArgumentException("assign: source " + Shapes.str(src.shape) + " " + src.dtype()
                    + " does not match " + Shapes.str(shape) + " " + dtype());
        }
        Tensor s = src.to(device());
        backend.copyStrided(s.buffer, 0, Shapes.strides(shape), buffer, 0, Shapes.strides(shape), shape);
        version[0]++;
    }

    // ---- checks ------------------------------------------------------------------------------------

    void requireFloat(String op) {
        if (dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + " needs a FLOAT32 tensor, got " + dtype() + " " + Shapes.str(shape));
        }
    }

    void requireSameDevice(String op, Tensor o) {
        if (!device().equals(o.device())) {
            throw new IllegalArgumentException(op + ": tensors are on different devices, " + device() + " and " + o.device());
        }
    }

    /** Shape, dtype and device, and the values when there are at most 16 (or that it is closed). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape)).append(' ').append(dtype()).append(" on ").append(device());
        if (closed) {
            sb.append(" (closed)");
        } else if (numel() <= 16) {
            sb.append(' ').append(dtype() == DType.FLOAT32 ? Arrays.toString(toFloatArray()) : Arrays.toString(toLongArray()));
        }
        return sb.toString();
    }
}
