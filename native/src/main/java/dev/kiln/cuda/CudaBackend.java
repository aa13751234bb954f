package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.backend.Backend;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.ReduceOp;
import dev.kiln.backend.TargetErrors;
import dev.kiln.backend.UnaryOp;
import dev.kiln.kernels.Kernels;
import dev.kiln.kernels.Kernels.Entry;

import java.lang.ref.Reference;
import java.util.function.Consumer;

/**
 * The CUDA backend: every {@link Backend} method runs on the device, as one of Kiln's PTX
 * kernels ({@code own}, the default) or, where a vendor library has the op, through it
 * ({@code vendor}: GEMM via cuBLAS). The switches are read once into {@link CudaOptions} when the
 * backend is created ({@link #options()}, {@link #withOptions}). The host sees data only in
 * {@code upload}/{@code download}.
 *
 * <p>The same code runs over the real driver and over the emulator ({@link CudaDriver}). Kernels
 * are named by the generated {@link Kernels} constants; every launch goes through
 * {@link #launch(Entry, int, int, int, int, int)}, which checks the arguments {@link LaunchArgs}
 * packed against the entry point's PTX parameter list. Memory ops live in {@link CudaMemory},
 * elementwise ops in {@link CudaElementwise}, GEMM in {@link CudaGemm}; the vision and sequence
 * families are {@link CudaVision} and {@link CudaSequence} ({@link #vision()}, {@link #sequence()}).
 * Methods are serialised.
 */
public final class CudaBackend implements Backend {

    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65535;
    private static final int SUMALL_MIN = 4096;

    private final int index;
    private final CudaDriver driver;
    private final CachingAllocator allocator;
    private final LaunchArgs args;
    private volatile Device device;
    private volatile CudaOptions options;
    private long launches;
    private final CudaStream computeStream;
    private final ThreadLocal<CudaStream> threadStream = new ThreadLocal<>();
    final CudaMemory memory;
    final CudaElementwise elementwise;
    final CudaGemm gemm;

    CudaBackend(int index, CudaDriver driver, CudaOptions options) {
        this.index = index;
        this.options = options;
        this.computeStream = new CudaStream(driver, driver.streamCreate(), true);
        // Everything below queues its work through this view: on the calling thread's current stream.
        this.driver = new StreamBoundDriver(driver, () -> currentStream().handle());
        this.allocator = new CachingAllocator(this.driver, options.poison());
        this.args = new LaunchArgs(this.driver);
        this.memory = new CudaMemory(this);
        this.elementwise = new CudaElementwise(this);
        this.gemm = new CudaGemm(this);
    }

    @Override
    public Device device() {
        Device d = device;
        if (d == null) {
            d = Device.cuda(index);
            device = d;
        }
        return d;
    }

    /**
     * The driver underneath ({@code cuda} or {@code emulator}), as a view whose stream-less
     * methods queue on the calling thread's {@link #currentStream()}.
     */
    public CudaDriver driver() {
        return driver;
    }

    // ---- options -----------------------------------------------------------------------------

    /** The switches this backend runs with (read from the system properties when it was created). */
    public CudaOptions options() {
        return options;
    }

    /**
     * Runs this backend with {@code changed} options until the returned scope is closed (for tests
     * and benchmarks that compare implementations). The driver, poisoning and the emulator
     * settings are fixed when the backend is created; changing them here is an error.
     */
    public AutoCloseable withOptions(CudaOptions changed) {
        CudaOptions previous = options;
        if (changed.driver() != previous.driver() || changed.poison() != previous.poison()
                || !java.util.Objects.equals(changed.emulatorLibrary(), previous.emulatorLibrary())
                || !java.util.Objects.equals(changed.emulatorSeed(), previous.emulatorSeed())
                || changed.emulatorMemory() != previous.emulatorMemory()) {
            throw new IllegalArgumentException("kiln.cuda.driver, .poison and .emulator.* are fixed when a backend is created ("
                    + name() + ")");
        }
        options = changed;
        return () -> options = previous;
    }

    /**
     * Whether {@code op} goes to the vendor library ({@code kiln.cuda.impl[.op]=vendor}). Under the
     * emulator that is an error saying there is no such library.
     */
    boolean vendor(String op, String library) {
        if (options.impl(op) != CudaOptions.Impl.VENDOR) {
            return false;
        }
        if (!driver.hasVendorLibraries()) {
            throw new UnsupportedOperationException("kiln.cuda.impl selects the vendor implementation of " + op + " (" + library
                    + "), but the CUDA emulator has no vendor libraries: " + library + " needs a real GPU (driver 'cuda'). "
                    + "Use kiln.cuda.impl=own (the default) under the emulator.");
        }
        return true;
    }

    // ---- streams (CudaStream, CudaEvent) --------------------------------------------------------

    /** The stream this backend's work goes to unless {@link #withStream} says otherwise. */
    public CudaStream computeStream() {
        return computeStream;
    }

    /** The stream the calling thread's work on this backend goes to now. */
    public CudaStream currentStream() {
        CudaStream s = threadStream.get();
        return s != null ? s : computeStream;
    }

    /** A new non-blocking stream on this backend's device; close it when done. */
    public CudaStream newStream() {
        CudaDriver d = ((StreamBoundDriver) driver).unwrap();
        return new CudaStream(d, d.streamCreate(), false, allocator::streamClosing);
    }

    /** A new event of this backend's device; record it with {@link CudaStream#record()} or {@link CudaEvent#record}. */
    public CudaEvent newEvent() {
        return new CudaEvent(((StreamBoundDriver) driver).unwrap());
    }

    /**
     * Sends the calling thread's kernels and copies on this backend to {@code stream} until the
     * returned scope is closed, which restores the previous stream. Scopes nest.
     */
    public CudaStream.Scope withStream(CudaStream stream) {
        if (stream.driver() != ((StreamBoundDriver) driver).unwrap()) {
            throw new IllegalArgumentException(stream + " belongs to another device's driver, not " + name());
        }
        CudaStream previous = threadStream.get();
        threadStream.set(stream);
        return new CudaStream.Scope() {
            private boolean closed;

            @Override
            public CudaStream stream() {
                return stream;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    threadStream.set(previous);
                }
            }
        };
    }

    /** {@code cuda:N (driver)}. */
    public String name() {
        return "cuda:" + index + " (" + driver.name() + ")";
    }

    /** Statistics of the caching allocator. */
    public CachingAllocator.Stats memoryStats() {
        return allocator.stats();
    }

    @Override
    public dev.kiln.MemoryStats memoryUsage() {
        CachingAllocator.Stats s = allocator.stats();
        return new dev.kiln.MemoryStats(s.bytesInUse(), s.bytesCached(), s.peakBytesInUse());
    }

    /** Returns cached device memory to the driver; returns the bytes released. */
    public long emptyCache() {
        driver.synchronize(); // every stream: a cached block may have been used on any of them
        return allocator.emptyCache();
    }

    /** Runs {@code work} between two device events and returns the elapsed milliseconds. */
    public float time(Runnable work) {
        long start = driver.eventCreate(), end = driver.eventCreate();
        try {
            driver.eventRecord(start);
            work.run();
            driver.eventRecord(end);
            return driver.eventElapsed(start, end);
        } finally {
            driver.eventDestroy(start);
            driver.eventDestroy(end);
        }
    }

    // ---- buffers -----------------------------------------------------------------------------

    CudaBuffer cuda(Buffer b) {
        if (!(b instanceof CudaBuffer) || ((CudaBuffer) b).backend() != this) {
            throw new IllegalArgumentException("Buffer " + b + " does not belong to the CUDA backend " + name());
        }
        return (CudaBuffer) b;
    }

    CudaBuffer floats(Buffer b) {
        CudaBuffer c = cuda(b);
        if (c.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("Expected a FLOAT32 buffer, got " + c.dtype());
        }
        return c;
    }

    @Override
    public synchronized Buffer allocate(DType dtype, long n) {
        long ptr = allocator.allocate(Math.max(1, n) * dtype.bytes());
        return new CudaBuffer(this, dtype, n, ptr, allocator);
    }

    // ---- launching ---------------------------------------------------------------------------

    /** Starts the parameter list of the next launch. */
    LaunchArgs begin() {
        return args.reset();
    }

    /** Block size for a grid-stride loop over n elements: a multiple of 32, at most 256. */
    static int block1d(long n) {
        return (int) Math.max(32, Math.min(BLOCK, (n + 31) / 32 * 32));
    }

    static int grid1d(long n, int block) {
        return (int) Math.max(1, Math.min(MAX_GRID, (n + block - 1) / block));
    }

    static int cap(long grid) {
        return (int) Math.max(1, Math.min(MAX_GRID, grid));
    }

    /** Launches {@code kernel} with the arguments written since {@link #begin()}, after checking them against its parameters. */
    void launch(Entry kernel, int gx, int gy, int gz, int bx, int by) {
        launch(kernel, gx, gy, gz, bx, by, 1, 0);
    }

    private void launch(Entry kernel, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes) {
        args.check(kernel);
        driver.launch(driver.function(kernel.family(), kernel.name()), gx, gy, gz, bx, by, bz, sharedBytes, args);
        launches++;
    }

    /** A 1-D grid-stride launch over {@code n} elements. */
    void launch1d(Entry kernel, long n) {
        int block = block1d(n);
        launch(kernel, grid1d(n, block), 1, 1, block, 1);
    }

    /**
     * Launches {@code kernel} with parameters written by {@code params} (the vision and sequence
     * families, benchmarks, and kernels without an SPI method such as the bf16 GEMMs on raw device
     * memory from {@code driver().malloc}). The parameters are checked against the kernel's PTX
     * parameter list. Serialised with the backend's own launches.
     */
    public synchronized void launch(Entry kernel, int[] grid, int[] block, int sharedBytes, Consumer<LaunchArgs> params) {
        params.accept(begin());
        launch(kernel, grid[0], grid[1], grid[2], block[0], block[1], block[2], sharedBytes);
    }

    /** Number of kernels this backend has launched. */
    public synchronized long launches() {
        return launches;
    }

    // ---- memory (CudaMemory) -------------------------------------------------------------------

    @Override
    public synchronized void upload(float[] src, Buffer dst) {
        upload(src, src.length, dst);
    }

    @Override
    public synchronized void upload(int[] src, Buffer dst) {
        upload(src, src.length, dst);
    }

    @Override
    public synchronized void upload(long[] src, Buffer dst) {
        upload(src, src.length, dst);
    }

    private void upload(Object src, int length, Buffer dst) {
        CudaBuffer d = cuda(dst);
        memory.upload(src, length, d);
        Reference.reachabilityFence(d);
    }

    /** Host reads of device buffers so far ({@link #downloadFloats}, {@link #downloadIndices}): what "no host round trip" counts. */
    public synchronized long hostReads() {
        return hostReads;
    }

    private long hostReads;

    @Override
    public synchronized float[] downloadFloats(Buffer src) {
        hostReads++;
        checkDeviceErrors();
        CudaBuffer s = floats(src);
        float[] out = memory.downloadFloats(s);
        Reference.reachabilityFence(s);
        return out;
    }

    @Override
    public synchronized long[] downloadIndices(Buffer src) {
        hostReads++;
        checkDeviceErrors();
        CudaBuffer s = cuda(src);
        long[] out = memory.downloadIndices(s);
        Reference.reachabilityFence(s);
        return out;
    }

    @Override
    public synchronized void fill(Buffer dst, float value) {
        CudaBuffer d = floats(dst);
        memory.fill(d.pointer(), d.size(), value);
        Reference.reachabilityFence(d);
    }

    @Override
    public synchronized void copyStrided(Buffer src, long srcOff, int[] srcStrides, Buffer dst, long dstOff, int[] dstStrides,
                                         int[] shape) {
        CudaBuffer s = cuda(src), d = cuda(dst);
        memory.copyStrided(s, srcOff, srcStrides, d, dstOff, dstStrides, shape);
        Reference.reachabilityFence(new Object[] {s, d});
    }

    @Override
    public synchronized void convert(Buffer src, Buffer dst, long n) {
        CudaBuffer s = cuda(src), d = cuda(dst);
        memory.convert(s, d, n);
        Reference.reachabilityFence(new Object[] {s, d});
    }

    // ---- elementwise (CudaElementwise) and GEMM (CudaGemm) --------------------------------------

    @Override
    public synchronized void unary(UnaryOp op, float alpha, Buffer x, Buffer y, long n) {
        CudaBuffer xs = floats(x), ys = floats(y);
        elementwise.unary(op, alpha, xs, ys, n);
        Reference.reachabilityFence(new Object[] {xs, ys});
    }

    @Override
    public synchronized void unaryBackward(UnaryOp op, float alpha, Buffer x, Buffer y, Buffer gy, Buffer gx, long n) {
        CudaBuffer xs = floats(x), ys = floats(y), gys = floats(gy), gxs = floats(gx);
        elementwise.unaryBackward(op, alpha, xs, ys, gys, gxs, n);
        Reference.reachabilityFence(new Object[] {xs, ys, gys, gxs});
    }

    @Override
    public synchronized void binary(BinaryOp op, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape) {
        CudaBuffer as = floats(a), bs = floats(b), os = floats(out);
        elementwise.binary(op, as, aStrides, bs, bStrides, os, outShape);
        Reference.reachabilityFence(new Object[] {as, bs, os});
    }

    @Override
    public synchronized void gemm(Gemm g, BufferView a, BufferView b, BufferView c, Gemm.Epilogue epilogue) {
        gemm.gemm(g, a, b, c, epilogue, true);
    }

    // ---- reductions and normalisation --------------------------------------------------------

    @Override
    public synchronized void reduce(ReduceOp op, Buffer x, int outer, int dim, int inner, Buffer out) {
        CudaBuffer xs = floats(x), os = cuda(out);
        long rows = (long) outer * inner;
        if (rows == 0) {
            return;
        }
        if (dim == 0) {
            if (op != ReduceOp.SUM) {
                throw new IllegalArgumentException(op + " over an empty axis");
            }
            fill(os, 0f);
            return;
        }
        if (op == ReduceOp.SUM && rows == 1 && dim > SUMALL_MIN) {
            // Whole-tensor sum: deterministic two-stage reduction.
            int grid = (int) Math.min(1024, (dim + 2047) / 2048);
            CudaBuffer partial = (CudaBuffer) allocate(DType.FLOAT32, grid);
            begin().ptr(xs.pointer()).ptr(partial.pointer()).i64(dim);
            launch(Kernels.Reduce.SUMALL_PARTIAL_F32, grid, 1, 1, BLOCK, 1);
            begin().ptr(partial.pointer()).ptr(floats(os).pointer()).i64(grid).f32(1f);
            launch(Kernels.Reduce.SUMALL_FINAL_F32, 1, 1, 1, BLOCK, 1);
            partial.close();
        } else {
            CudaBuffer target = op != ReduceOp.ARGMAX ? floats(os)
                    : os.dtype() == DType.INT64 ? os : (CudaBuffer) allocate(DType.INT64, rows);
            Entry kernel;
            switch (op) {
                case SUM: kernel = Kernels.Reduce.SUM_F32; break;
                case MAX: kernel = Kernels.Reduce.MAX_F32; break;
                default: kernel = Kernels.Reduce.ARGMAX_F32;
            }
            begin().ptr(xs.pointer()).ptr(target.pointer()).i64(outer).i64(dim).i64(inner);
            long grid = inner == 1 ? (outer + 7) / 8 : (long) outer * ((inner + 31) / 32);
            launch(kernel, cap(grid), 1, 1, 32, 8);
            if (target != os) {
                memory.convert(target, os, rows);
                target.close();
            }
        }
        Reference.reachabilityFence(new Object[] {xs, os});
    }

    @Override
    public synchronized void softmax(Buffer x, Buffer y, int outer, int dim, int inner, boolean log) {
        CudaBuffer xs = floats(x), ys = floats(y);
        long rows = (long) outer * inner;
        if (rows > 0 && dim > 0) {
            begin().ptr(xs.pointer()).ptr(ys.pointer()).i64(outer).i64(dim).i64(inner);
            launch(log ? Kernels.Softmax.LOG_FORWARD_F32 : Kernels.Softmax.FORWARD_F32, cap((rows + 7) / 8), 1, 1, 32, 8);
        }
        Reference.reachabilityFence(new Object[] {xs, ys});
    }

    @Override
    public synchronized void softmaxBackward(Buffer y, Buffer gy, Buffer gx, int outer, int dim, int inner, boolean log) {
        CudaBuffer ys = floats(y), gys = floats(gy), gxs = floats(gx);
        long rows = (long) outer * inner;
        if (rows > 0 && dim > 0) {
            begin().ptr(ys.pointer()).ptr(gys.pointer()).ptr(gxs.pointer()).i64(outer).i64(dim).i64(inner);
            launch(log ? Kernels.Softmax.LOG_BACKWARD_F32 : Kernels.Softmax.BACKWARD_F32, cap((rows + 7) / 8), 1, 1, 32, 8);
        }
        Reference.reachabilityFence(new Object[] {ys, gys, gxs});
    }

    /** Whether {@code idx} holds INT64 (else INT32) indices; anything else is an error. */
    private static boolean wideIndices(CudaBuffer idx) {
        switch (idx.dtype()) {
            case INT32: return false;
            case INT64: return true;
            default: throw new IllegalArgumentException("Expected an INT32 or INT64 index buffer, got " + idx.dtype());
        }
    }

    @Override
    public synchronized void crossEntropy(Buffer logits, Buffer targets, int rows, int cols, long ignoreIndex, Buffer loss,
                                          Buffer grad) {
        CudaBuffer xs = floats(logits), ts = cuda(targets), ls = floats(loss), gs = floats(grad);
        if (rows > 0) {
            // An out-of-range target is never read; the kernel records it in the error word (checkDeviceErrors).
            CudaBuffer err = errorWord();
            begin().ptr(xs.pointer()).ptr(ts.pointer()).ptr(ls.pointer()).ptr(gs.pointer()).i64(rows).i64(cols).f32(1f)
                    .i64(ignoreIndex).ptr(err.pointer()).i32(DeviceCheck.CROSS_ENTROPY.ordinal());
            launch(wideIndices(ts) ? Kernels.Softmax.XENT_I64_F32 : Kernels.Softmax.XENT_F32, cap((rows + 7L) / 8), 1, 1, 32, 8);
            deviceChecksPending = true;
        }
        Reference.reachabilityFence(new Object[] {xs, ts, ls, gs});
    }

    // ---- indexing ----------------------------------------------------------------------------

    @Override
    public synchronized void indexSelect(Buffer x, int outer, int dim, int inner, Buffer idx, int count, Buffer out) {
        CudaBuffer i = cuda(idx);
        launchIndex(wideIndices(i) ? Kernels.Index.SELECT_F32_I64 : Kernels.Index.SELECT_F32_I32, floats(x), i, floats(out),
                outer, dim, inner, count, DeviceCheck.INDEX_SELECT);
    }

    @Override
    public synchronized void indexAdd(Buffer g, int outer, int dim, int inner, Buffer idx, int count, Buffer gx) {
        CudaBuffer i = cuda(idx);
        launchIndex(wideIndices(i) ? Kernels.Index.ADD_F32_I64 : Kernels.Index.ADD_F32_I32, floats(g), i, floats(gx),
                outer, dim, inner, count, DeviceCheck.INDEX_ADD);
    }

    /**
     * indexSelect and its accumulating inverse take the same arguments: (src, idx, dst, outer, dim, inner, count, error
     * word, op). The indices are bounds-checked by the kernel, not read back: a bad one is raised by {@link #checkDeviceErrors}.
     */
    private void launchIndex(Entry kernel, CudaBuffer src, CudaBuffer idx, CudaBuffer dst, int outer, int dim, int inner, int count,
                             DeviceCheck op) {
        long n = (long) outer * count * inner;
        if (n > 0) {
            CudaBuffer err = errorWord();
            begin().ptr(src.pointer()).ptr(idx.pointer()).ptr(dst.pointer()).i32(outer).i32(dim).i32(inner).i32(count)
                    .ptr(err.pointer()).i32(op.ordinal());
            launch1d(kernel, n);
            deviceChecksPending = true;
        }
        Reference.reachabilityFence(new Object[] {src, idx, dst});
    }

    // ---- errors found on the device --------------------------------------------------------------

    /** The operations that check their inputs on the device; the ordinal is the code the kernel records. */
    enum DeviceCheck {
        NONE("?"), INDEX_SELECT("indexSelect (Tensor.indexSelect, embedding lookups)"), INDEX_ADD("indexAdd (the gradient of indexSelect)"),
        CROSS_ENTROPY("crossEntropy (a target)");

        final String label;

        DeviceCheck(String label) {
            this.label = label;
        }
    }

    /**
     * {@code unsigned long long[8]}: flag, bad value, position, op code, bound (kernels/include/kiln/device_error.cuh),
     * shared by every kernel that checks its inputs; allocated at the first such launch.
     */
    private CudaBuffer errorWord;
    private boolean deviceChecksPending;

    private CudaBuffer errorWord() {
        if (errorWord == null) {
            CudaBuffer w = (CudaBuffer) allocate(DType.INT64, 8);
            memory.upload(new long[8], 8, w);
            errorWord = w;
        }
        return errorWord;
    }

    /**
     * Raises an error a kernel recorded since the last check (an index or a cross-entropy target out of range), then
     * clears it. Called at every host read and {@link #synchronize}: the kernels do not stop the stream, so the error
     * surfaces at the next point where the host waits for the device anyway. Costs one 64-byte read, only after a
     * checked kernel ran. Only the first error since the last check is kept.
     */
    public synchronized void checkDeviceErrors() {
        if (!deviceChecksPending) {
            return;
        }
        deviceChecksPending = false;
        long[] w = memory.downloadIndices(errorWord);
        if (w[0] != 0) {
            memory.upload(new long[8], 8, errorWord);
            if (w[3] == DeviceCheck.CROSS_ENTROPY.ordinal()) {
                throw TargetErrors.outOfRange(w[2], w[1], w[4]);   // row, target, classes: the CPU's message
            }
            DeviceCheck[] ops = DeviceCheck.values();
            String op = w[3] >= 0 && w[3] < ops.length ? ops[(int) w[3]].label : "kernel code " + w[3];
            throw new IndexOutOfBoundsException(op + " on " + name() + ": index " + w[1] + " at position " + w[2]
                    + " is out of range [0, " + w[4] + ") (checked on the device; raised at the next synchronisation)");
        }
    }

    // ---- random and optimisers -----------------------------------------------------------------

    @Override
    public synchronized void random(Buffer dst, long n, long seed, long offset, boolean normal) {
        CudaBuffer d = floats(dst);
        if (n > 0) {
            // uniform: (lo, hi) = (0, 1); normal: (mean, std) = (0, 1). Both reproduce dev.kiln.Generator exactly.
            begin().ptr(d.pointer()).i64(n).i64(seed).i64(offset).f32(0f).f32(1f);
            int block = block1d((n + 3) / 4);
            launch(normal ? Kernels.Random.NORMAL_F32 : Kernels.Random.UNIFORM_F32, grid1d((n + 3) / 4, block), 1, 1, block, 1);
        }
        Reference.reachabilityFence(d);
    }

    @Override
    public synchronized void sgdUpdate(Buffer param, Buffer grad, Buffer velocity, long n, float lr, float momentum,
                                       float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        CudaBuffer p = floats(param), g = floats(grad), v = velocity == null ? null : floats(velocity);
        if (n > 0) {
            // The kernel updates the velocity whenever one is passed, also with momentum 0 (as the SPI says).
            begin().ptr(p.pointer()).ptr(g.pointer()).ptr(v == null ? 0 : v.pointer()).i64(n).f32(lr).f32(momentum)
                    .f32(dampening).f32(weightDecay).i32(nesterov ? 1 : 0).i32(firstStep ? 1 : 0);
            launch1d(Kernels.Optim.SGD_F32, n);
        }
        Reference.reachabilityFence(new Object[] {p, g, v});
    }

    @Override
    public synchronized void adamUpdate(Buffer param, Buffer grad, Buffer m, Buffer v, long n, float lr, float beta1, float beta2,
                                        float eps, float weightDecay, boolean decoupled, float bc1, float bc2) {
        CudaBuffer p = floats(param), g = floats(grad), ms = floats(m), vs = floats(v);
        if (n > 0) {
            begin().ptr(p.pointer()).ptr(g.pointer()).ptr(ms.pointer()).ptr(vs.pointer()).i64(n).f32(lr).f32(beta1).f32(beta2)
                    .f32(eps).f32(weightDecay).f32(bc1).f32(bc2);
            launch1d(decoupled ? Kernels.Optim.ADAMW_F32 : Kernels.Optim.ADAM_F32, n);
        }
        Reference.reachabilityFence(new Object[] {p, g, ms, vs});
    }

    @Override
    public void synchronize() {
        driver.streamSynchronize(driver.stream()); // the calling thread's current stream (the compute stream by default)
        checkDeviceErrors();
    }

    @Override
    public String toString() {
        return "CudaBackend[" + name() + "]";
    }
}
