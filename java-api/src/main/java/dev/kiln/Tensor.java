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
     *
     * @return the open scope, to be closed by the caller (try-with-resources)
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

    /**
     * Whether {@link #close()} ran (directly or through the {@link TensorScope} that owned it).
     *
     * @return true once this tensor is closed
     */
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

    /**
     * An uninitialised tensor (for backends and ops that write every element).
     *
     * @param device where the tensor is allocated
     * @param dtype  its element type
     * @param shape  the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new tensor whose values are whatever the allocator left there
     * @throws IllegalArgumentException if a dimension is negative
     * @throws DeviceUnavailableException if {@code device} has no usable backend here
     */
    public static Tensor empty(Device device, DType dtype, int... shape) {
        checkShape(shape);
        Backend be = Backends.of(device);
        return new Tensor(be, be.allocate(dtype, Shapes.numel(shape)), shape.clone());
    }

    /**
     * A FLOAT32 CPU tensor of zeros.
     *
     * @param shape the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new tensor filled with 0
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Tensor zeros(int... shape) {
        return full(Device.cpu(), 0f, shape);
    }

    /**
     * A FLOAT32 tensor of zeros on {@code device}.
     *
     * @param device where the tensor is allocated
     * @param shape  the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new tensor filled with 0
     * @throws IllegalArgumentException if a dimension is negative
     * @throws DeviceUnavailableException if {@code device} has no usable backend here
     */
    public static Tensor zeros(Device device, int... shape) {
        return full(device, 0f, shape);
    }

    /**
     * A FLOAT32 CPU tensor of ones.
     *
     * @param shape the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new tensor filled with 1
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Tensor ones(int... shape) {
        return full(Device.cpu(), 1f, shape);
    }

    /**
     * A FLOAT32 tensor of ones on {@code device}.
     *
     * @param device where the tensor is allocated
     * @param shape  the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new tensor filled with 1
     * @throws IllegalArgumentException if a dimension is negative
     * @throws DeviceUnavailableException if {@code device} has no usable backend here
     */
    public static Tensor ones(Device device, int... shape) {
        return full(device, 1f, shape);
    }

    /**
     * A FLOAT32 CPU tensor with every element {@code value}.
     *
     * @param value the value of every element
     * @param shape the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new tensor filled with {@code value}
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Tensor full(float value, int... shape) {
        return full(Device.cpu(), value, shape);
    }

    /**
     * A FLOAT32 tensor on {@code device} with every element {@code value}.
     *
     * @param device where the tensor is allocated
     * @param value  the value of every element
     * @param shape  the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new tensor filled with {@code value}
     * @throws IllegalArgumentException if a dimension is negative
     * @throws DeviceUnavailableException if {@code device} has no usable backend here
     */
    public static Tensor full(Device device, float value, int... shape) {
        Tensor t = empty(device, DType.FLOAT32, shape);
        t.backend.fill(t.buffer, value);
        return t;
    }

    /**
     * A zero-dimensional tensor holding {@code value}.
     *
     * @param value the tensor's only element
     * @return a new FLOAT32 CPU tensor of shape {@code []}
     */
    public static Tensor scalar(float value) {
        return fromArray(new float[] {value});
    }

    /**
     * {@code [start, start + step, ...)} below {@code end}, as FLOAT32.
     *
     * @param start the first value
     * @param end   the bound, excluded (above {@code start} for a positive step, below it for a negative one)
     * @param step  the distance between neighbours, not 0; negative counts down
     * @return a new 1-D CPU tensor of {@code ceil((end - start) / step)} values ({@code [0]} when {@code start == end})
     * @throws IllegalArgumentException if {@code step} is 0 or points away from {@code end}
     */
    public static Tensor arange(float start, float end, float step) {
        return Factories.arange(start, end, step);
    }

    /**
     * {@code [0, 1, ..., n-1]} as FLOAT32.
     *
     * @param n the number of values, &ge; 0
     * @return a new 1-D CPU tensor of shape {@code [n]}
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /**
     * Uniform [0, 1) draws from {@code g} (see {@link Generator} for the exact stream).
     *
     * @param g     the generator drawn from; it advances by one draw per element
     * @param shape the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new FLOAT32 CPU tensor of the draws, in row-major order
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Tensor rand(Generator g, int... shape) {
        return rand(g, Device.cpu(), shape);
    }

    /**
     * Uniform [0, 1) draws from {@code g}, made on {@code device} (the same values as on the CPU).
     *
     * @param g      the generator drawn from; it advances by one draw per element
     * @param device where the tensor is made (the draws are generated there)
     * @param shape  the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new FLOAT32 tensor of the draws, in row-major order
     * @throws IllegalArgumentException if a dimension is negative
     * @throws DeviceUnavailableException if {@code device} has no usable backend here
     */
    public static Tensor rand(Generator g, Device device, int... shape) {
        return Factories.random(g, device, shape, false);
    }

    /**
     * Standard-normal draws from {@code g}.
     *
     * @param g     the generator drawn from; it advances by one draw per element
     * @param shape the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new FLOAT32 CPU tensor of the draws (mean 0, standard deviation 1), in row-major order
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Tensor randn(Generator g, int... shape) {
        return randn(g, Device.cpu(), shape);
    }

    /**
     * Standard-normal draws from {@code g}, made on {@code device} (the same values as on the CPU).
     *
     * @param g      the generator drawn from; it advances by one draw per element
     * @param device where the tensor is made (the draws are generated there)
     * @param shape  the size of each axis, each &ge; 0; none for a zero-dimensional tensor
     * @return a new FLOAT32 tensor of the draws (mean 0, standard deviation 1), in row-major order
     * @throws IllegalArgumentException if a dimension is negative
     * @throws DeviceUnavailableException if {@code device} has no usable backend here
     */
    public static Tensor randn(Generator g, Device device, int... shape) {
        return Factories.random(g, device, shape, true);
    }

    /**
     * A FLOAT32 CPU tensor over a copy of {@code data}; with no shape given it is 1-D.
     *
     * @param data  the values in row-major order (copied; later changes to the array do not reach the tensor)
     * @param shape the size of each axis, holding exactly {@code data.length} elements; when omitted the tensor is
     *     {@code [data.length]}, or zero-dimensional if {@code data} has one value
     * @return a new FLOAT32 CPU tensor
     * @throws IllegalArgumentException if a dimension is negative or {@code shape} does not hold {@code data.length}
     *     elements
     */
    public static Tensor fromArray(float[] data, int... shape) {
        Tensor t = host(DType.FLOAT32, data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /**
     * An INT32 index tensor (class targets, token ids) over a copy of {@code data}.
     *
     * @param data  the values in row-major order (copied)
     * @param shape the size of each axis, holding exactly {@code data.length} elements; when omitted {@code [data.length]}
     * @return a new INT32 CPU tensor
     * @throws IllegalArgumentException if a dimension is negative or {@code shape} does not hold {@code data.length}
     *     elements
     */
    public static Tensor fromIndices(int[] data, int... shape) {
        Tensor t = host(DType.INT32, data.length, shape.length == 0 ? new int[] {data.length} : shape);
        t.backend.upload(data, t.buffer);
        return t;
    }

    /**
     * An INT64 index tensor over a copy of {@code data}.
     *
     * @param data  the values in row-major order (copied)
     * @param shape the size of each axis, holding exactly {@code data.length} elements; when omitted {@code [data.length]}
     * @return a new INT64 CPU tensor
     * @throws IllegalArgumentException if a dimension is negative or {@code shape} does not hold {@code data.length}
     *     elements
     */
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

    /**
     * A 2-D FLOAT32 tensor from rows of equal length.
     *
     * @param rows the rows, copied; row {@code r} becomes {@code out[r, :]}
     * @return a new FLOAT32 CPU tensor of shape {@code [rows.length, rows[0].length]} ({@code [0, 0]} for no rows)
     * @throws IllegalArgumentException if the rows differ in length (naming the first that does)
     */
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

    /**
     * The shape.
     *
     * @return the size of each axis, outermost first (a copy; empty for a zero-dimensional tensor)
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Size of one axis (negative counts from the end).
     *
     * @param axis the axis, in {@code [-rank, rank)}; {@code -1} is the last
     * @return the number of elements along {@code axis}
     * @throws IllegalArgumentException if {@code axis} is out of range for this rank
     */
    public int size(int axis) {
        return shape[Shapes.axis(axis, shape.length)];
    }

    /**
     * Number of axes.
     *
     * @return the rank: 0 for a scalar, 2 for a matrix
     */
    public int rank() {
        return shape.length;
    }

    /**
     * Number of elements (1 for a scalar).
     *
     * @return the product of the shape's sizes
     */
    public long numel() {
        return Shapes.numel(shape);
    }

    /**
     * Element type.
     *
     * @return FLOAT32 for values, INT32 or INT64 for indices
     */
    public DType dtype() {
        return buffer.dtype();
    }

    /**
     * Where the values live and ops on them run.
     *
     * @return this tensor's device
     */
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

    /**
     * Copies the values to a new host array (FLOAT32 only; index tensors use {@link #toLongArray}).
     * On a GPU this waits for the work queued so far, so errors the kernels recorded surface here.
     *
     * @return the {@link #numel()} values in row-major order, a new array
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     * @throws IllegalStateException if this tensor is closed
     */
    public float[] toFloatArray() {
        checkOpen("toFloatArray");
        requireFloat("toFloatArray");
        return backend.downloadFloats(buffer);
    }

    /**
     * Copies index values (or truncated floats) to a host array.
     * On a GPU this waits for the work queued so far, so errors the kernels recorded surface here.
     *
     * @return the {@link #numel()} values in row-major order, a new array (FLOAT32 values truncated toward zero)
     * @throws IllegalStateException if this tensor is closed
     */
    public long[] toLongArray() {
        checkOpen("toLongArray");
        return backend.downloadIndices(buffer);
    }

    /**
     * The single value of a one-element tensor.
     *
     * @return the value (an index value converted to {@code float}, exact up to 2<sup>24</sup>)
     * @throws IllegalArgumentException if the tensor does not hold exactly one element
     */
    public float item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item() needs a one-element tensor, shape is " + Shapes.str(shape));
        }
        return dtype() == DType.FLOAT32 ? toFloatArray()[0] : toLongArray()[0];
    }

    /**
     * This tensor on {@code device} (itself when already there). Gradients flow back across the copy.
     *
     * @param device the target device
     * @return this tensor if it is already on {@code device}, else a new tensor there with the same shape, dtype and
     *     values
     * @throws IllegalStateException if this tensor is closed
     * @throws DeviceUnavailableException if {@code device} has no usable backend here
     */
    public Tensor to(Device device) {
        checkOpen("to");
        return Factories.to(this, device);
    }

    /**
     * Converts to another dtype (FLOAT32 to an index type truncates). The conversion records no
     * gradient.
     *
     * @param dtype the element type of the result
     * @return this tensor if it already has {@code dtype}, else a new tensor of the same shape on the same device
     */
    public Tensor toType(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        Tensor out = empty(device(), dtype, shape);
        backend.convert(buffer, out.buffer, numel());
        return out;
    }

    // ---- autograd ----------------------------------------------------------------------------------

    /**
     * Marks this leaf as a parameter whose gradient {@link #backward()} accumulates. Returns this.
     *
     * @param requires whether {@link #backward()} computes this tensor's gradient
     * @return this tensor, for chaining ({@code Tensor.randn(g, 3, 2).requiresGrad(true)})
     * @throws IllegalArgumentException if {@code requires} is true and this tensor is not FLOAT32
     * @throws IllegalStateException if this tensor is not a leaf (an op's result; {@link #detach()} it first)
     */
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

    /**
     * Whether backward() computes a gradient for this tensor.
     *
     * @return true for a leaf marked with {@link #requiresGrad(boolean)} and for every op result recorded (outside
     *     {@link Autograd#noGrad()}) from such a tensor
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Whether this tensor was not produced by a recorded op.
     *
     * @return true for tensors made by factories, {@link #detach()} and ops run without gradient recording
     */
    public boolean isLeaf() {
        return node == null;
    }

    /**
     * The accumulated gradient of a leaf, or null.
     *
     * @return the dense gradient, the same shape as this tensor, or null before the first {@link #backward()} that
     *     reaches it and after {@link #setGrad setGrad(null)}
     */
    public Tensor grad() {
        return grad;
    }

    /**
     * Replaces (or with null, clears) the accumulated gradient. A gradient made inside a
     * {@link TensorScope} (as {@link #backward()} makes them) leaves that scope and belongs to this
     * tensor from then on: replacing or clearing it releases its memory.
     *
     * @param g the new gradient, of this tensor's shape, or null to clear it
     * @throws IllegalArgumentException if {@code g}'s shape differs from this tensor's
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
     *
     * @return the touched rows and their gradient rows, or null when no sparse lookup has reached this tensor since it
     *     was last cleared
     */
    public RowSparseGrad sparseGrad() {
        return sparseGrad;
    }

    /**
     * Replaces (or with null, clears) the accumulated row-sparse gradient.
     *
     * @param g the new row-sparse gradient, whose dense shape is this tensor's, or null to clear it
     * @throws IllegalArgumentException if {@code g}'s dense shape differs from this tensor's
     */
    public void setSparseGrad(RowSparseGrad g) {
        if (g != null && !Arrays.equals(g.shape(), shape)) {
            throw new IllegalArgumentException("Row-sparse gradient shape " + Shapes.str(g.shape()) + " does not match tensor shape "
                    + Shapes.str(shape));
        }
        this.sparseGrad = g;
    }

    /**
     * The same storage, cut from the graph.
     *
     * @return a leaf of the same shape that shares this tensor's storage and does not require grad
     * @throws IllegalStateException if this tensor is closed
     */
    public Tensor detach() {
        return alias(shape);
    }

    /**
     * Backpropagates from this scalar, accumulating into the {@code grad} of every leaf that requires
     * it, then frees the graph (the tensors its ops saved); a second backward through it is an error.
     *
     * @throws IllegalStateException if this tensor does not require grad or is not a one-element tensor
     */
    public void backward() {
        backward(false);
    }

    /**
     * As {@link #backward()}; with {@code retainGraph} the graph is kept for another backward.
     *
     * @param retainGraph true to keep the graph (and the tensors its ops saved) for another backward
     * @throws IllegalStateException if this tensor does not require grad or is not a one-element tensor
     */
    public void backward(boolean retainGraph) {
        Autograd.backward(this, null, retainGraph);
    }

    /**
     * Backpropagates {@code gradient} (same shape as this tensor) through the recorded graph, then frees it.
     *
     * @param gradient the gradient of the final result with respect to this tensor, of this tensor's shape; null
     *     behaves as {@link #backward()}
     * @throws IllegalArgumentException if {@code gradient}'s shape differs from this tensor's
     * @throws IllegalStateException if this tensor does not require grad
     */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * As {@link #backward(Tensor)}; with {@code retainGraph} the graph is kept for another backward.
     *
     * @param gradient    the gradient of the final result with respect to this tensor, of this tensor's shape; null
     *     behaves as {@link #backward(boolean)}
     * @param retainGraph true to keep the graph (and the tensors its ops saved) for another backward
     * @throws IllegalArgumentException if {@code gradient}'s shape differs from this tensor's
     * @throws IllegalStateException if this tensor does not require grad
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
    }

    // ---- elementwise -------------------------------------------------------------------------------

    Tensor unary(UnaryOp op, float alpha) {
        return Elementwise.unary(this, op, alpha);
    }

    /**
     * max(x, 0), elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor relu() {
        return unary(UnaryOp.RELU, 0f);
    }

    /**
     * {@code x} where {@code x > 0}, else {@code negativeSlope · x}.
     *
     * @param negativeSlope the factor applied to non-positive elements (torch's default is 0.01)
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor leakyRelu(float negativeSlope) {
        return unary(UnaryOp.LEAKY_RELU, negativeSlope);
    }

    /**
     * GELU, exact: {@code 0.5 x (1 + erf(x / √2))}, as torch's {@code gelu} by default.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor gelu() {
        return unary(UnaryOp.GELU_ERF, 0f);
    }

    /**
     * GELU with torch's {@code approximate} argument: {@code "none"} the exact erf form ({@link #gelu()}),
     * {@code "tanh"} the approximation {@code 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))} (what the
     * fused GEMM epilogue {@code Gemm.Activation.GELU} computes, and the transformer layers use).
     *
     * @param approximate {@code "none"} or {@code "tanh"}
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if {@code approximate} is neither, or this tensor is not FLOAT32
     */
    public Tensor gelu(String approximate) {
        switch (approximate) {
            case "none": return gelu();
            case "tanh": return unary(UnaryOp.GELU, 0f);
            default: throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
    }

    /**
     * The hyperbolic tangent, elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor tanh() {
        return unary(UnaryOp.TANH, 0f);
    }

    /**
     * 1 / (1 + e^-x), elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor sigmoid() {
        return unary(UnaryOp.SIGMOID, 0f);
    }

    /**
     * e^x, elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor exp() {
        return unary(UnaryOp.EXP, 0f);
    }

    /**
     * Natural logarithm, elementwise (NaN below 0, -∞ at 0).
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor log() {
        return unary(UnaryOp.LOG, 0f);
    }

    /**
     * -x, elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor neg() {
        return unary(UnaryOp.NEG, 0f);
    }

    /**
     * Square root, elementwise (NaN below 0).
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor sqrt() {
        return unary(UnaryOp.SQRT, 0f);
    }

    /**
     * x², elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor square() {
        return unary(UnaryOp.SQUARE, 0f);
    }

    /**
     * |x|, elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor abs() {
        return unary(UnaryOp.ABS, 0f);
    }

    /**
     * log(1 + e^x), computed stably, elementwise.
     *
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor softplus() {
        return unary(UnaryOp.SOFTPLUS, 0f);
    }

    /**
     * x raised to {@code exponent}, elementwise.
     *
     * @param exponent the power every element is raised to
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor pow(float exponent) {
        return unary(UnaryOp.POW, exponent);
    }

    /**
     * x · s, elementwise.
     *
     * @param s the factor
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor mul(float s) {
        return unary(UnaryOp.SCALE, s);
    }

    /**
     * x / s (as x · (1/s)), elementwise.
     *
     * @param s the divisor (0 gives infinities and NaN, as float division)
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor div(float s) {
        return unary(UnaryOp.SCALE, 1f / s);
    }

    /**
     * x + s, elementwise.
     *
     * @param s the value added to every element
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor add(float s) {
        return unary(UnaryOp.ADD_SCALAR, s);
    }

    /**
     * x − s, elementwise.
     *
     * @param s the value subtracted from every element
     * @return a new FLOAT32 tensor of this tensor's shape
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor sub(float s) {
        return unary(UnaryOp.ADD_SCALAR, -s);
    }

    Tensor binary(BinaryOp op, Tensor o) {
        return Elementwise.binary(this, op, o);
    }

    /**
     * Elementwise sum, broadcasting NumPy-style.
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return the elementwise result, FLOAT32, of the broadcast shape of the two operands
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor add(Tensor o) {
        return binary(BinaryOp.ADD, o);
    }

    /**
     * Elementwise difference, broadcasting.
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return {@code this - o}, FLOAT32, of the broadcast shape of the two operands
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor sub(Tensor o) {
        return binary(BinaryOp.SUB, o);
    }

    /**
     * Elementwise product, broadcasting.
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return the elementwise result, FLOAT32, of the broadcast shape of the two operands
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor mul(Tensor o) {
        return binary(BinaryOp.MUL, o);
    }

    /**
     * Elementwise quotient, broadcasting.
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return {@code this / o}, FLOAT32, of the broadcast shape of the two operands
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor div(Tensor o) {
        return binary(BinaryOp.DIV, o);
    }

    /**
     * Elementwise maximum (the gradient goes to {@code this} on ties).
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return the elementwise result, FLOAT32, of the broadcast shape of the two operands
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor maximum(Tensor o) {
        return binary(BinaryOp.MAX, o);
    }

    /**
     * Elementwise minimum (the gradient goes to {@code this} on ties).
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return the elementwise result, FLOAT32, of the broadcast shape of the two operands
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor minimum(Tensor o) {
        return binary(BinaryOp.MIN, o);
    }

    /**
     * 1 where equal, else 0 (no gradient).
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return 1.0 where the elements are equal and 0.0 elsewhere, FLOAT32, of the broadcast shape
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor eq(Tensor o) {
        return binary(BinaryOp.EQ, o);
    }

    /**
     * 1 where {@code this < o}, else 0 (no gradient).
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return 1.0 where {@code this < o} and 0.0 elsewhere, FLOAT32, of the broadcast shape
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor lt(Tensor o) {
        return binary(BinaryOp.LT, o);
    }

    /**
     * 1 where {@code this > o}, else 0 (no gradient).
     *
     * @param o the other operand: FLOAT32, on this tensor's device, with a shape that broadcasts with this one
     * @return 1.0 where {@code this > o} and 0.0 elsewhere, FLOAT32, of the broadcast shape
     * @throws IllegalArgumentException if either operand is not FLOAT32, the devices differ or the shapes do not
     *     broadcast
     */
    public Tensor gt(Tensor o) {
        return binary(BinaryOp.GT, o);
    }

    /**
     * Sums broadcast axes away so the result has {@code target} shape (the adjoint of broadcasting).
     *
     * @param target a shape this tensor's shape is a broadcast of (same or lower rank, sizes equal or 1)
     * @return this tensor if the shapes are already equal, else a new FLOAT32 tensor of shape {@code target}
     * @throws IllegalArgumentException if this tensor's shape is not a broadcast of {@code target}
     */
    public Tensor sumTo(int[] target) {
        return Elementwise.sumTo(this, target);
    }

    /**
     * Materialises this tensor broadcast to {@code target} (NumPy rules).
     *
     * @param target the result's shape, to which this tensor's shape broadcasts
     * @return this tensor if its shape is already {@code target}, else a new tensor of shape {@code target} (a copy,
     *     not a view)
     * @throws IllegalArgumentException if this tensor's shape does not broadcast to {@code target}
     */
    public Tensor expand(int... target) {
        return Elementwise.expand(this, target);
    }

    /**
     * Zeroes each element with probability {@code p} and scales the rest by 1/(1-p); identity when not training.
     *
     * @param p        the probability of zeroing an element, in [0, 1)
     * @param training whether to drop; when false (evaluation) nothing is dropped
     * @param g        the generator the mask is drawn from; it advances by one draw per element when dropping
     * @return this tensor itself when not training or {@code p == 0}, else a new FLOAT32 tensor of this shape
     * @throws IllegalArgumentException if {@code p} is outside [0, 1)
     */
    public Tensor dropout(float p, boolean training, Generator g) {
        return Elementwise.dropout(this, p, training, g);
    }

    // ---- shape -------------------------------------------------------------------------------------

    /**
     * The same storage with a new shape; one dimension may be -1 (inferred).
     *
     * @param newShape the sizes of the result's axes, holding {@link #numel()} elements; at most one may be -1,
     *     which takes the size that makes the count match
     * @return a tensor that shares this tensor's storage (writes through {@link #assign} show in both)
     * @throws IllegalArgumentException if the element counts differ, a size is below -1 or -1 appears twice
     */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    /**
     * Alias of {@link #reshape}: every tensor is contiguous, so views and reshapes are the same.
     *
     * @param newShape the sizes of the result's axes; at most one may be -1 (inferred)
     * @return a tensor that shares this tensor's storage
     * @throws IllegalArgumentException if the element counts differ, a size is below -1 or -1 appears twice
     */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    /**
     * Keeps axis 0 and flattens the rest: {@code [N, ...] -> [N, prod]}.
     *
     * @return a 2-D tensor sharing this tensor's storage: {@code [N, prod]}, {@code [N, 1]} for a 1-D tensor and
     *     {@code [1, 1]} for a scalar
     */
    public Tensor flatten() {
        return shape.length == 0 ? reshape(1, 1) : reshape(shape[0], -1);
    }

    /**
     * Inserts an axis of size 1.
     *
     * @param axis where the new axis goes in the result, in {@code [-(rank + 1), rank]}; -1 appends it
     * @return a tensor of rank {@code rank + 1} sharing this tensor's storage
     * @throws IllegalArgumentException if {@code axis} is out of range
     */
    public Tensor unsqueeze(int axis) {
        return ShapeOps.unsqueeze(this, axis);
    }

    /**
     * Removes an axis of size 1.
     *
     * @param axis the axis to remove, in {@code [-rank, rank)}
     * @return a tensor of rank {@code rank - 1} sharing this tensor's storage
     * @throws IllegalArgumentException if {@code axis} is out of range or its size is not 1
     */
    public Tensor squeeze(int axis) {
        return ShapeOps.squeeze(this, axis);
    }

    /**
     * Reorders axes: output axis k is input axis {@code perm[k]}.
     *
     * @param perm a permutation of this tensor's axes, one entry per axis (negative entries count from the end)
     * @return a new tensor (a copy) of shape {@code [shape[perm[0]], shape[perm[1]], ...]}
     * @throws IllegalArgumentException if {@code perm} has the wrong length, an axis out of range or a repeated axis
     */
    public Tensor permute(int... perm) {
        return ShapeOps.permute(this, perm);
    }

    /**
     * Swaps two axes.
     *
     * @param axis0 one axis, in {@code [-rank, rank)}
     * @param axis1 the other axis, in {@code [-rank, rank)}
     * @return a new tensor (a copy) with the two axes exchanged
     * @throws IllegalArgumentException if an axis is out of range
     */
    public Tensor transpose(int axis0, int axis1) {
        return ShapeOps.transpose(this, axis0, axis1);
    }

    /**
     * Swaps the last two axes.
     *
     * @return a new tensor (a copy): {@code [M, N] -> [N, M]}, with leading axes kept
     * @throws IllegalArgumentException if the rank is below 2
     */
    public Tensor t() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("t() needs rank >= 2, shape is " + Shapes.str(shape));
        }
        return transpose(-2, -1);
    }

    /**
     * Elements {@code [start, end)} along {@code axis}.
     *
     * @param axis  the axis to cut, in {@code [-rank, rank)}
     * @param start the first index kept, &ge; 0
     * @param end   the index after the last one kept, from {@code start} to the axis's size
     * @return a new tensor (a copy) whose {@code axis} has size {@code end - start}
     * @throws IllegalArgumentException if {@code axis} is out of range or {@code [start, end)} is not within the axis
     */
    public Tensor slice(int axis, int start, int end) {
        return ShapeOps.slice(this, axis, start, end);
    }

    /**
     * Index {@code i} along {@code axis}, with that axis removed.
     *
     * @param axis the axis to index, in {@code [-rank, rank)}
     * @param i    the index along it, in {@code [0, size(axis))}
     * @return a new tensor (a copy) of rank {@code rank - 1}
     * @throws IllegalArgumentException if {@code axis} or {@code i} is out of range
     */
    public Tensor select(int axis, int i) {
        return slice(axis, i, i + 1).squeeze(axis);
    }

    /**
     * Rows picked by a 1-D index tensor along {@code axis}: {@code out[.., j, ..] = this[.., idx[j], ..]}.
     *
     * @param axis the axis indexed, in {@code [-rank, rank)}
     * @param idx  a 1-D INT32 or INT64 tensor on this tensor's device; indices may repeat and must be in
     *     {@code [0, size(axis))} (the CPU checks at once, a GPU raises the error at the next synchronisation)
     * @return a new FLOAT32 tensor whose {@code axis} has size {@code idx.numel()}; the gradient of a repeated row adds
     * @throws IllegalArgumentException if this tensor is not FLOAT32, {@code idx} is not a 1-D index tensor on the same
     *     device, or (on the CPU) an index is out of range
     */
    public Tensor indexSelect(int axis, Tensor idx) {
        return ShapeOps.indexSelect(this, axis, idx);
    }

    /**
     * Joins tensors along an existing axis; all other axes must match.
     *
     * @param parts the tensors, in order; at least one, all of the same rank, dtype and device
     * @param axis  the axis joined along, in {@code [-rank, rank)}
     * @return a new tensor whose {@code axis} has the sum of the parts' sizes
     * @throws IllegalArgumentException if {@code parts} is empty, or ranks, dtypes, devices or the other axes' sizes
     *     differ
     */
    public static Tensor cat(List<Tensor> parts, int axis) {
        return ShapeOps.cat(parts, axis);
    }

    /**
     * Joins tensors of equal shape along a new axis.
     *
     * @param parts the tensors, in order; at least one, all of the same shape, dtype and device
     * @param axis  where the new axis goes in the result, in {@code [-(rank + 1), rank]}
     * @return a new tensor of rank {@code rank + 1} whose new axis has size {@code parts.size()}
     * @throws IllegalArgumentException if {@code parts} is empty or the shapes, dtypes or devices differ
     */
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
     *
     * @param o the right operand: FLOAT32, on this tensor's device, its second-to-last axis (or only axis) the size of
     *     this tensor's last
     * @return a new FLOAT32 tensor: the batch shape, then {@code [M, N]} (less the axes of 1-D operands)
     * @throws IllegalArgumentException if an operand is not FLOAT32, the devices differ, the inner sizes differ or the
     *     batch axes do not broadcast
     */
    public Tensor matmul(Tensor o) {
        return LinAlg.matmul(this, o);
    }

    /**
     * op(a)·op(b) for 2-D operands or 3-D batches of equal size, where op transposes the last two
     * axes when its flag is set. Backward uses the transpose flags instead of materialised transposes.
     *
     * @param a      the left operand, {@code [M, K]} or {@code [B, M, K]} ({@code [K, M]} or {@code [B, K, M]} when
     *     {@code transA}), FLOAT32
     * @param transA whether to use the transpose of {@code a}'s last two axes
     * @param b      the right operand, {@code [K, N]} or {@code [B, K, N]} ({@code [N, K]} or {@code [B, N, K]} when
     *     {@code transB}), FLOAT32, on {@code a}'s device
     * @param transB whether to use the transpose of {@code b}'s last two axes
     * @return a new FLOAT32 tensor {@code [M, N]} or {@code [B, M, N]}
     * @throws IllegalArgumentException if the operands are not both 2-D or both 3-D with equal batch, the inner sizes
     *     differ or the devices differ
     */
    public static Tensor mm(Tensor a, boolean transA, Tensor b, boolean transB) {
        return LinAlg.mm(a, transA, b, transB);
    }

    // ---- reductions --------------------------------------------------------------------------------

    /**
     * Sum of all elements, as a scalar (shape {@code []}).
     *
     * @return a new zero-dimensional FLOAT32 tensor
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor sum() {
        return reshape(1, (int) numel()).sum(1, false).reshape();
    }

    /**
     * Sum along {@code axis}; {@code keepDim} keeps it with size 1.
     *
     * @param axis    the axis summed over, in {@code [-rank, rank)}
     * @param keepDim true to keep {@code axis} with size 1 (so the result broadcasts against this tensor), false to
     *     remove it
     * @return a new FLOAT32 tensor
     * @throws IllegalArgumentException if this tensor is not FLOAT32 or {@code axis} is out of range
     */
    public Tensor sum(int axis, boolean keepDim) {
        return Reductions.sum(this, axis, keepDim);
    }

    /**
     * Mean of all elements, as a scalar.
     *
     * @return a new zero-dimensional FLOAT32 tensor (NaN for an empty tensor)
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor mean() {
        return sum().mul(1f / numel());
    }

    /**
     * Mean along {@code axis}; {@code keepDim} keeps it with size 1.
     *
     * @param axis    the axis averaged over, in {@code [-rank, rank)}
     * @param keepDim true to keep {@code axis} with size 1, false to remove it
     * @return a new FLOAT32 tensor
     * @throws IllegalArgumentException if this tensor is not FLOAT32 or {@code axis} is out of range
     */
    public Tensor mean(int axis, boolean keepDim) {
        return sum(axis, keepDim).mul(1f / shape[Shapes.axis(axis, shape.length)]);
    }

    /**
     * Maximum along {@code axis}; the gradient is shared equally among tied maxima.
     *
     * @param axis    the axis reduced, in {@code [-rank, rank)}
     * @param keepDim true to keep {@code axis} with size 1, false to remove it
     * @return a new FLOAT32 tensor of the maxima (their positions: {@link #argmax})
     * @throws IllegalArgumentException if this tensor is not FLOAT32 or {@code axis} is out of range
     */
    public Tensor max(int axis, boolean keepDim) {
        return Reductions.max(this, axis, keepDim);
    }

    /**
     * Maximum of all elements, as a scalar.
     *
     * @return a new zero-dimensional FLOAT32 tensor
     * @throws IllegalArgumentException if this tensor is not FLOAT32
     */
    public Tensor max() {
        return reshape(1, (int) numel()).max(1, false).reshape();
    }

    /**
     * Index of the maximum along {@code axis} (INT64, first on ties, no gradient).
     *
     * @param axis the axis searched, in {@code [-rank, rank)}; it is removed from the result
     * @return a new INT64 tensor of indices in {@code [0, size(axis))}
     * @throws IllegalArgumentException if this tensor is not FLOAT32 or {@code axis} is out of range
     */
    public Tensor argmax(int axis) {
        return Reductions.argmax(this, axis);
    }

    // ---- softmax and losses ------------------------------------------------------------------------

    /**
     * Softmax along {@code axis}.
     *
     * @param axis the axis normalised over, in {@code [-rank, rank)}
     * @return a new FLOAT32 tensor of this shape whose values along {@code axis} are positive and sum to 1
     * @throws IllegalArgumentException if this tensor is not FLOAT32 or {@code axis} is out of range
     */
    public Tensor softmax(int axis) {
        return softmax(axis, false);
    }

    /**
     * Log-softmax along {@code axis}, computed stably.
     *
     * @param axis the axis normalised over, in {@code [-rank, rank)}
     * @return a new FLOAT32 tensor of this shape: {@code x - log(sum(exp(x)))} along {@code axis}
     * @throws IllegalArgumentException if this tensor is not FLOAT32 or {@code axis} is out of range
     */
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
     *
     * @param targets INT32 or INT64 class indices on this tensor's device, of shape {@code [N]} or
     *     {@code [N, d1, …]}
     * @return a new zero-dimensional FLOAT32 tensor: the mean over all targets of {@code -log softmax(logits)[target]}
     * @throws IllegalArgumentException if this tensor is not FLOAT32, the shapes or dtypes do not fit, the devices
     *     differ, or (on the CPU) a target is out of range
     */
    public Tensor crossEntropy(Tensor targets) {
        return Reductions.crossEntropy(this, targets, Backend.NO_IGNORE_INDEX);
    }

    /**
     * {@link #crossEntropy(Tensor)} with torch's {@code ignore_index}: targets equal to
     * {@code ignoreIndex} (e.g. -100, torch's default, for padding) add nothing to the loss or the
     * gradient, and the mean divides by the number of other targets (NaN when every target is
     * ignored, as torch). {@code |ignoreIndex|} must be at most 2^24.
     *
     * @param targets     INT32 or INT64 class indices on this tensor's device, of shape {@code [N]} or
     *     {@code [N, d1, …]}; each in {@code [0, C)} or equal to {@code ignoreIndex}
     * @param ignoreIndex the target value that is skipped, with {@code |ignoreIndex| <= 2^24}
     * @return a new zero-dimensional FLOAT32 tensor: the mean loss over the targets not ignored
     * @throws IllegalArgumentException if {@code ignoreIndex} is out of range or reserved, or for any reason
     *     {@link #crossEntropy(Tensor)} gives
     */
    public Tensor crossEntropy(Tensor targets, long ignoreIndex) {
        if (ignoreIndex == Backend.NO_IGNORE_INDEX) {
            throw new IllegalArgumentException("crossEntropy: ignore index " + ignoreIndex + " is reserved for none;"
                    + " call crossEntropy(targets) to ignore no target");
        }
        return Reductions.crossEntropy(this, targets, ignoreIndex);
    }

    // ---- in-place updates (optimisers, initialisers, state loading) --------------------------------

    /**
     * Overwrites this tensor's values with {@code src}'s (same shape; no graph is recorded).
     * Tensors that share this storage ({@link #reshape}, {@link #detach}) see the new values.
     *
     * @param src the values to copy, of this tensor's shape and dtype, on any device (copied over when elsewhere)
     * @throws IllegalArgumentException if {@code src}'s shape or dtype differs from this tensor's
     */
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

    /**
     * Shape, dtype and device, and the values when there are at most 16 (or that it is closed).
     *
     * @return a one-line description such as {@code Tensor[2, 3] FLOAT32 on cpu [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}
     */
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
