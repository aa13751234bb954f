package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.backend.Backend;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.ReduceOp;
import dev.kiln.backend.UnaryOp;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA backend: every {@link Backend} method runs on the device, as one of Kiln's PTX
 * kernels ({@code own}, the default) or, where a vendor library has the op, through it
 * ({@code vendor}: GEMM via cuBLAS). The switch is {@code -Dkiln.cuda.impl=own|vendor}, per op
 * {@code -Dkiln.cuda.impl.gemm=...}. The host sees data only in {@code upload}/{@code download}.
 *
 * <p>The same code runs over the real driver and over the emulator ({@link CudaDriver}); kernels
 * are found by family and entry-point name, their arguments marshalled by {@link LaunchArgs} and
 * their launch geometry computed here. Methods are serialised (one stream).
 */
public final class CudaBackend implements Backend {

    static final String ELEMENTWISE = "elementwise";
    static final String GEMM = "gemm";
    static final String TENSOR = "tensor";
    static final String REDUCE = "reduce";
    static final String SOFTMAX = "softmax";
    static final String OPTIM = "optim";
    static final String RANDOM = "random";

    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65535;
    private static final int BCAST_DIMS = 6;
    private static final int STRIDED_DIMS = 8;
    private static final int SUMALL_MIN = 4096;

    private final int index;
    private final CudaDriver driver;
    private final CachingAllocator allocator;
    private final LaunchArgs args;
    private volatile Device device;
    private long launches;
    private final CudaStream computeStream;
    private final ThreadLocal<CudaStream> threadStream = new ThreadLocal<>();

    CudaBackend(int index, CudaDriver driver) {
        this.index = index;
        this.computeStream = new CudaStream(driver, driver.streamCreate(), true);
        // Everything below queues its work through this view: on the calling thread's current stream.
        this.driver = new StreamBoundDriver(driver, () -> currentStream().handle());
        this.allocator = new CachingAllocator(this.driver, Boolean.getBoolean("kiln.cuda.poison"));
        this.args = new LaunchArgs(this.driver);
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
        return new CudaStream(d, d.streamCreate(), false);
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

    /**
     * Which implementation op {@code op} uses: {@code kiln.cuda.impl.<op>}, else
     * {@code kiln.cuda.impl}, else {@code own}.
     */
    public static String impl(String op) {
        String v = System.getProperty("kiln.cuda.impl." + op, System.getProperty("kiln.cuda.impl", "own")).trim().toLowerCase();
        if (!v.equals("own") && !v.equals("vendor")) {
            throw new IllegalArgumentException("kiln.cuda.impl" + (System.getProperty("kiln.cuda.impl." + op) != null ? "." + op : "")
                    + " must be 'own' or 'vendor', got '" + v + "'");
        }
        return v;
    }

    private boolean vendor(String op, String library) {
        if (!impl(op).equals("vendor")) {
            return false;
        }
        if (!driver.hasVendorLibraries()) {
            throw new UnsupportedOperationException("kiln.cuda.impl selects the vendor implementation of " + op + " (" + library
                    + "), but the CUDA emulator has no vendor libraries: " + library + " needs a real GPU (driver 'cuda'). "
                    + "Use kiln.cuda.impl=own (the default) under the emulator.");
        }
        return true;
    }

    // ---- buffers -----------------------------------------------------------------------------

    private CudaBuffer cuda(Buffer b) {
        if (!(b instanceof CudaBuffer) || ((CudaBuffer) b).backend() != this) {
            throw new IllegalArgumentException("Buffer " + b + " does not belong to the CUDA backend " + name());
        }
        return (CudaBuffer) b;
    }

    private CudaBuffer floats(Buffer b) {
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

    private static void checkLength(long len, Buffer dst) {
        if (len > dst.size()) {
            throw new IllegalArgumentException("upload of " + len + " elements into a buffer of " + dst.size());
        }
    }

    @Override
    public synchronized void upload(float[] src, Buffer dst) {
        CudaBuffer d = cuda(dst);
        checkLength(src.length, d);
        switch (d.dtype()) {
            case FLOAT32: driver.copyHtoD(d.pointer(), src, 0, 4L * src.length); break;
            case INT32: {
                int[] v = new int[src.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (int) (long) src[k];
                }
                driver.copyHtoD(d.pointer(), v, 0, 4L * v.length);
                break;
            }
            default: {
                long[] v = new long[src.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (long) src[k];
                }
                driver.copyHtoD(d.pointer(), v, 0, 8L * v.length);
            }
        }
        Reference.reachabilityFence(d);
    }

    @Override
    public synchronized void upload(int[] src, Buffer dst) {
        CudaBuffer d = cuda(dst);
        checkLength(src.length, d);
        switch (d.dtype()) {
            case INT32: driver.copyHtoD(d.pointer(), src, 0, 4L * src.length); break;
            case INT64: {
                long[] v = new long[src.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = src[k];
                }
                driver.copyHtoD(d.pointer(), v, 0, 8L * v.length);
                break;
            }
            default: {
                float[] v = new float[src.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = src[k];
                }
                driver.copyHtoD(d.pointer(), v, 0, 4L * v.length);
            }
        }
        Reference.reachabilityFence(d);
    }

    @Override
    public synchronized void upload(long[] src, Buffer dst) {
        CudaBuffer d = cuda(dst);
        checkLength(src.length, d);
        switch (d.dtype()) {
            case INT64: driver.copyHtoD(d.pointer(), src, 0, 8L * src.length); break;
            case INT32: {
                int[] v = new int[src.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (int) src[k];
                }
                driver.copyHtoD(d.pointer(), v, 0, 4L * v.length);
                break;
            }
            default: {
                float[] v = new float[src.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = src[k];
                }
                driver.copyHtoD(d.pointer(), v, 0, 4L * v.length);
            }
        }
        Reference.reachabilityFence(d);
    }

    @Override
    public synchronized float[] downloadFloats(Buffer src) {
        CudaBuffer s = floats(src);
        float[] out = new float[(int) s.size()];
        driver.copyDtoH(out, 0, s.pointer(), 4L * out.length);
        Reference.reachabilityFence(s);
        return out;
    }

    @Override
    public synchronized long[] downloadIndices(Buffer src) {
        CudaBuffer s = cuda(src);
        int n = (int) s.size();
        long[] out = new long[n];
        switch (s.dtype()) {
            case INT64: driver.copyDtoH(out, 0, s.pointer(), 8L * n); break;
            case INT32: {
                int[] v = new int[n];
                driver.copyDtoH(v, 0, s.pointer(), 4L * n);
                for (int k = 0; k < n; k++) {
                    out[k] = v[k];
                }
                break;
            }
            default: {
                float[] v = new float[n];
                driver.copyDtoH(v, 0, s.pointer(), 4L * n);
                for (int k = 0; k < n; k++) {
                    out[k] = (long) v[k];
                }
            }
        }
        Reference.reachabilityFence(s);
        return out;
    }

    // ---- launching ---------------------------------------------------------------------------

    private CudaDriver.Function fn(String family, String name) {
        return driver.function(family, name);
    }

    private LaunchArgs begin() {
        return args.reset();
    }

    /** Block size for a grid-stride loop over n elements: a multiple of 32, at most 256. */
    static int block1d(long n) {
        return (int) Math.max(32, Math.min(BLOCK, (n + 31) / 32 * 32));
    }

    static int grid1d(long n, int block) {
        return (int) Math.max(1, Math.min(MAX_GRID, (n + block - 1) / block));
    }

    private void launch(CudaDriver.Function f, int gx, int gy, int gz, int block) {
        launch(f, gx, gy, gz, block, 1);
    }

    private void launch(CudaDriver.Function f, int gx, int gy, int gz, int bx, int by) {
        driver.launch(f, gx, gy, gz, bx, by, 1, 0, args);
        launches++;
    }

    private static int cap(long grid) {
        return (int) Math.max(1, Math.min(MAX_GRID, grid));
    }

    /**
     * Launches any kernel of any family by name, with parameters written by {@code params} (for
     * benchmarks and kernels without an SPI method, e.g. the bf16 GEMMs on raw device memory from
     * {@code driver().malloc}). Serialised with the backend's own launches.
     */
    public synchronized void launch(String family, String kernel, int[] grid, int[] block, int sharedBytes,
                                    java.util.function.Consumer<LaunchArgs> params) {
        params.accept(begin());
        driver.launch(fn(family, kernel), grid[0], grid[1], grid[2], block[0], block[1], block[2], sharedBytes, args);
        launches++;
    }

    /** Number of kernels this backend has launched. */
    public synchronized long launches() {
        return launches;
    }

    private void launch1d(String family, String name, long n) {
        int block = block1d(n);
        launch(fn(family, name), grid1d(n, block), 1, 1, block);
    }

    /** One block per row; block a power of two in [32, 256] covering up to {@code rowLength}. */
    private void launchRows(String name, long rows, int rowLength) {
        int block = 32;
        while (block < BLOCK && block < rowLength) {
            block <<= 1;
        }
        launch(fn(TENSOR, name), (int) Math.max(1, Math.min(MAX_GRID, rows)), 1, 1, block);
    }

    // ---- memory ops --------------------------------------------------------------------------

    @Override
    public synchronized void fill(Buffer dst, float value) {
        CudaBuffer d = floats(dst);
        if (d.size() == 0) {
            return;
        }
        begin().ptr(d.pointer()).i64(d.size()).f32(value);
        launch1d(ELEMENTWISE, "kiln_elementwise_fill_f32", d.size());
        Reference.reachabilityFence(d);
    }

    /**
     * Merges adjacent axes that are contiguous in every operand and drops size-1 axes.
     * Returns {shape, strides of operand 0, strides of operand 1, ...}.
     */
    static int[][] collapse(int[] shape, int[]... strides) {
        List<Integer> dims = new ArrayList<>();
        List<int[]> st = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 1) {
                continue;
            }
            int[] s = new int[strides.length];
            for (int o = 0; o < strides.length; o++) {
                s[o] = strides[o][k];
            }
            if (!dims.isEmpty()) {
                int last = dims.size() - 1;
                boolean merge = true;
                for (int o = 0; o < strides.length; o++) {
                    if ((long) st.get(last)[o] != (long) s[o] * shape[k]) {
                        merge = false;
                        break;
                    }
                }
                if (merge) {
                    dims.set(last, dims.get(last) * shape[k]);
                    st.set(last, s);
                    continue;
                }
            }
            dims.add(shape[k]);
            st.add(s);
        }
        if (dims.isEmpty()) {
            dims.add(1);
            st.add(new int[strides.length]);
        }
        int[][] out = new int[1 + strides.length][dims.size()];
        for (int k = 0; k < dims.size(); k++) {
            out[0][k] = dims.get(k);
            for (int o = 0; o < strides.length; o++) {
                out[1 + o][k] = st.get(k)[o];
            }
        }
        return out;
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public synchronized void copyStrided(Buffer src, long srcOff, int[] srcStrides, Buffer dst, long dstOff, int[] dstStrides,
                                         int[] shape) {
        CudaBuffer s = cuda(src), d = cuda(dst);
        if (s.dtype() != d.dtype()) {
            throw new IllegalArgumentException("copyStrided needs equal dtypes, got " + s.dtype() + " and " + d.dtype());
        }
        long n = numel(shape);
        if (n == 0) {
            return;
        }
        int[][] c = collapse(shape, srcStrides, dstStrides);
        copyCollapsed(s, srcOff, d, dstOff, c[0], c[1], c[2]);
        Reference.reachabilityFence(s);
        Reference.reachabilityFence(d);
    }

    private void copyCollapsed(CudaBuffer s, long srcOff, CudaBuffer d, long dstOff, int[] shape, int[] ss, int[] ds) {
        int eb = s.dtype().bytes();
        long n = numel(shape);
        int nd = shape.length;
        if (nd == 1 && (ss[0] == 1 || shape[0] == 1) && (ds[0] == 1 || shape[0] == 1)) {
            driver.copyDtoD(d.pointer(dstOff), s.pointer(srcOff), n * eb);
        } else if (nd > STRIDED_DIMS) {
            // More axes than the descriptor holds: one launch per index of the leading axis.
            int[] rs = java.util.Arrays.copyOfRange(shape, 1, nd);
            int[] rss = java.util.Arrays.copyOfRange(ss, 1, nd), rds = java.util.Arrays.copyOfRange(ds, 1, nd);
            for (int i = 0; i < shape[0]; i++) {
                copyCollapsed(s, srcOff + (long) i * ss[0], d, dstOff + (long) i * ds[0], rs, rss, rds);
            }
        } else {
            long[] desc = new long[2 + 3 * STRIDED_DIMS];
            desc[0] = nd;
            desc[1] = n;
            for (int k = 0; k < nd; k++) {
                desc[2 + k] = shape[k];
                desc[2 + STRIDED_DIMS + k] = ss[k];
                desc[2 + 2 * STRIDED_DIMS + k] = ds[k];
            }
            begin().ptr(s.pointer(srcOff)).ptr(d.pointer(dstOff)).struct(desc);
            launch1d(TENSOR, eb == 4 ? "kiln_tensor_copy_b32" : "kiln_tensor_copy_b64", n);
        }
    }

    private static String dtypeName(DType t) {
        switch (t) {
            case FLOAT32: return "f32";
            case INT32: return "i32";
            default: return "i64";
        }
    }

    @Override
    public synchronized void convert(Buffer src, Buffer dst, long n) {
        CudaBuffer s = cuda(src), d = cuda(dst);
        if (n == 0) {
            return;
        }
        if (s.dtype() == d.dtype()) {
            driver.copyDtoD(d.pointer(), s.pointer(), n * s.dtype().bytes());
        } else {
            begin().ptr(s.pointer()).ptr(d.pointer()).i64(n);
            launch1d(TENSOR, "kiln_tensor_convert_" + dtypeName(s.dtype()) + "_" + dtypeName(d.dtype()), n);
        }
        Reference.reachabilityFence(s);
        Reference.reachabilityFence(d);
    }

    // ---- elementwise -------------------------------------------------------------------------

    /** The elementwise family's name for an op, or null when only the tensor family has it. */
    private static String elementwiseName(UnaryOp op) {
        switch (op) {
            case RELU: return "relu";
            case LEAKY_RELU: return "leaky_relu";
            case GELU: return "gelu";
            case TANH: return "tanh";
            case SIGMOID: return "sigmoid";
            case EXP: return "exp";
            case LOG: return "log";
            case NEG: return "neg";
            case SQRT: return "sqrt";
            case SCALE: return "scale";
            default: return null;
        }
    }

    /** Whether the elementwise backward kernel takes the output y (else the input x) as its saved value. */
    private static boolean savesOutput(UnaryOp op) {
        return op == UnaryOp.TANH || op == UnaryOp.SIGMOID || op == UnaryOp.EXP || op == UnaryOp.SQRT;
    }

    @Override
    public synchronized void unary(UnaryOp op, float alpha, Buffer x, Buffer y, long n) {
        CudaBuffer xs = floats(x), ys = floats(y);
        if (n == 0) {
            return;
        }
        String ew = elementwiseName(op);
        if (ew != null) {
            begin().ptr(xs.pointer()).ptr(ys.pointer()).i64(n).f32(alpha);
            launch1d(ELEMENTWISE, "kiln_elementwise_" + ew + "_f32", n);
        } else {
            begin().ptr(xs.pointer()).ptr(ys.pointer()).i64(n).i32(op.ordinal()).f32(alpha);
            launch1d(TENSOR, "kiln_tensor_unary_f32", n);
        }
        Reference.reachabilityFence(xs);
        Reference.reachabilityFence(ys);
    }

    @Override
    public synchronized void unaryBackward(UnaryOp op, float alpha, Buffer x, Buffer y, Buffer gy, Buffer gx, long n) {
        CudaBuffer xs = floats(x), ys = floats(y), gys = floats(gy), gxs = floats(gx);
        if (n == 0) {
            return;
        }
        String ew = elementwiseName(op);
        if (ew != null) {
            begin().ptr(gys.pointer()).ptr(savesOutput(op) ? ys.pointer() : xs.pointer()).ptr(gxs.pointer()).i64(n).f32(alpha);
            launch1d(ELEMENTWISE, "kiln_elementwise_" + ew + "_backward_f32", n);
        } else {
            begin().ptr(xs.pointer()).ptr(gys.pointer()).ptr(gxs.pointer()).i64(n).i32(op.ordinal()).f32(alpha);
            launch1d(TENSOR, "kiln_tensor_unary_backward_f32", n);
        }
        Reference.reachabilityFence(xs);
        Reference.reachabilityFence(ys);
        Reference.reachabilityFence(gys);
        Reference.reachabilityFence(gxs);
    }

    private static String elementwiseName(BinaryOp op) {
        switch (op) {
            case ADD: return "add";
            case SUB: return "sub";
            case MUL: return "mul";
            case DIV: return "div";
            case MAX: return "max";
            default: return null;
        }
    }

    @Override
    public synchronized void binary(BinaryOp op, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape) {
        CudaBuffer as = floats(a), bs = floats(b), os = floats(out);
        long n = numel(outShape);
        if (n == 0) {
            return;
        }
        int rank = outShape.length;
        int[] outStrides = new int[rank];
        for (int k = rank - 1, s = 1; k >= 0; k--) {
            outStrides[k] = s;
            s *= outShape[k];
        }
        int[][] c = collapse(outShape, outStrides, rank == 0 ? new int[0] : aStrides, rank == 0 ? new int[0] : bStrides);
        binaryCollapsed(op, as, 0, bs, 0, os, 0, c[0], c[1], c[2], c[3]);
        Reference.reachabilityFence(as);
        Reference.reachabilityFence(bs);
        Reference.reachabilityFence(os);
    }

    private void binaryCollapsed(BinaryOp op, CudaBuffer as, long aOff, CudaBuffer bs, long bOff, CudaBuffer os, long oOff,
                                 int[] shape, int[] so, int[] sa, int[] sb) {
        long n = numel(shape);
        int nd = shape.length;
        String ew = elementwiseName(op);
        boolean same = nd == 1 && (shape[0] == 1 || sa[0] == 1 && sb[0] == 1);
        if (ew != null && same) {
            begin().ptr(as.pointer(aOff)).ptr(bs.pointer(bOff)).ptr(os.pointer(oOff)).i64(n);
            launch1d(ELEMENTWISE, "kiln_elementwise_" + ew + "_f32", n);
        } else if (nd > BCAST_DIMS) {
            // More axes than KilnBroadcast holds: one launch per index of the leading axis.
            int[] rs = java.util.Arrays.copyOfRange(shape, 1, nd);
            int[] rso = java.util.Arrays.copyOfRange(so, 1, nd), rsa = java.util.Arrays.copyOfRange(sa, 1, nd),
                    rsb = java.util.Arrays.copyOfRange(sb, 1, nd);
            for (int i = 0; i < shape[0]; i++) {
                binaryCollapsed(op, as, aOff + (long) i * sa[0], bs, bOff + (long) i * sb[0], os, oOff + (long) i * so[0],
                        rs, rso, rsa, rsb);
            }
        } else {
            long[] desc = new long[2 + 3 * BCAST_DIMS];
            desc[0] = nd;
            desc[1] = n;
            for (int k = 0; k < nd; k++) {
                desc[2 + k] = shape[k];
                desc[2 + BCAST_DIMS + k] = sa[k];
                desc[2 + 2 * BCAST_DIMS + k] = sb[k];
            }
            if (ew != null) {
                begin().ptr(as.pointer(aOff)).ptr(bs.pointer(bOff)).ptr(os.pointer(oOff)).struct(desc);
                launch1d(ELEMENTWISE, "kiln_elementwise_" + ew + "_bcast_f32", n);
            } else {
                begin().ptr(as.pointer(aOff)).ptr(bs.pointer(bOff)).ptr(os.pointer(oOff)).struct(desc).i32(op.ordinal());
                launch1d(TENSOR, "kiln_tensor_binary_f32", n);
            }
        }
    }

    // ---- linear algebra ----------------------------------------------------------------------

    @Override
    public synchronized void gemm(Gemm g, BufferView av, BufferView bv, BufferView cv, Gemm.Epilogue epilogue) {
        CudaBuffer as = floats(av.buffer()), bs = floats(bv.buffer()), cs = floats(cv.buffer());
        CudaBuffer bias = epilogue == null || epilogue.bias() == null ? null : floats(epilogue.bias());
        int act = epilogue == null ? 0 : epilogue.activation().ordinal();
        int batch = g.batch(), m = g.m(), n = g.n(), k = g.k();
        long aOff = av.offset(), bOff = bv.offset(), cOff = cv.offset();
        long strideA = g.strideA(), strideB = g.strideB(), strideC = g.strideC();
        float alpha = g.alpha(), beta = g.beta();
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        boolean vendor = k > 0 && vendor("gemm", "cuBLAS");
        if (k == 0) {
            // An empty product: C = beta * C.
            long mn = (long) m * n;
            for (int p = 0; p < batch; p++) {
                long at = cs.pointer(cOff + p * strideC);
                if (beta == 0f) {
                    begin().ptr(at).i64(mn).f32(0f);
                    launch1d(ELEMENTWISE, "kiln_elementwise_fill_f32", mn);
                } else {
                    begin().ptr(at).ptr(at).i64(mn).f32(beta);
                    launch1d(ELEMENTWISE, "kiln_elementwise_scale_f32", mn);
                }
            }
        } else if (vendor) {
            if ("tf32".equals(System.getProperty("kiln.cuda.gemm.kernel"))) {
                driver.vendorGemmEx(g.transA(), g.transB(), batch, m, n, k, alpha, as.pointer(aOff), strideA, bs.pointer(bOff), strideB,
                        beta, cs.pointer(cOff), strideC, CudaDriver.GemmType.F32, CudaDriver.GemmType.F32, CudaDriver.GemmCompute.TF32);
            } else {
                driver.vendorSgemm(g.transA(), g.transB(), batch, m, n, k, alpha, as.pointer(aOff), strideA, bs.pointer(bOff), strideB,
                        beta, cs.pointer(cOff), strideC);
            }
        } else {
            int lda = g.lda(), ldb = g.ldb(), ldc = n;
            String variant = System.getProperty("kiln.cuda.gemm.kernel", "simt");
            int tile;
            String name;
            switch (variant) {
                case "naive": name = "kiln_gemm_naive_f32"; tile = 16; break;
                case "tf32": name = aligned(as.pointer(aOff), bs.pointer(bOff), cs.pointer(cOff), lda, ldb, ldc, strideA, strideB, strideC)
                        ? "kiln_gemm_tf32v4_f32" : "kiln_gemm_tf32_f32"; tile = 128; break;
                case "simt": name = aligned(as.pointer(aOff), bs.pointer(bOff), cs.pointer(cOff), lda, ldb, ldc, strideA, strideB, strideC)
                        ? "kiln_gemm_simtv4_f32" : "kiln_gemm_simt_f32"; tile = 128; break;
                default: throw new IllegalArgumentException("kiln.cuda.gemm.kernel must be naive, simt or tf32, got '" + variant + "'");
            }
            CudaDriver.Function f = fn(GEMM, name);
            long biasPtr = bias == null ? 0 : bias.pointer();
            for (int b0 = 0; b0 < batch; b0 += MAX_GRID) {
                int nb = Math.min(MAX_GRID, batch - b0);
                begin().ptr(as.pointer(aOff + b0 * strideA)).ptr(bs.pointer(bOff + b0 * strideB)).ptr(cs.pointer(cOff + b0 * strideC))
                        .ptr(biasPtr).i32(m).i32(n).i32(k).i32(lda).i32(ldb).i32(ldc).i64(strideA).i64(strideB).i64(strideC)
                        .f32(alpha).f32(beta).i32(g.transA() ? 1 : 0).i32(g.transB() ? 1 : 0).i32(act);
                launch(f, (n + tile - 1) / tile, (m + tile - 1) / tile, nb, 256);
            }
            Reference.reachabilityFence(new Object[] {as, bs, cs, bias});
            return; // the kernels applied the epilogue
        }
        if (epilogue != null && (bias != null || act != 0)) {
            composedEpilogue(g, cs, cOff, bias, epilogue.unaryOp());
        }
        Reference.reachabilityFence(new Object[] {as, bs, cs, bias});
    }

    /** The epilogue as separate launches (after cuBLAS or an empty product): a bias broadcast over rows, then the activation. */
    private void composedEpilogue(Gemm g, CudaBuffer c, long cOff, CudaBuffer bias, UnaryOp act) {
        long mn = (long) g.m() * g.n();
        if (cOff != 0 || (g.batch() > 1 && g.strideC() != mn)) {
            throw new IllegalArgumentException("A GEMM epilogue on the vendor path needs C contiguous from offset 0, got offset "
                    + cOff + ", batch stride " + g.strideC() + " for " + g.m() + "x" + g.n() + " results");
        }
        int[] shape = {g.batch() * g.m(), g.n()};
        int[] rowMajor = {g.n(), 1};
        if (bias != null) {
            binary(BinaryOp.ADD, c, rowMajor, bias, new int[] {0, 1}, c, shape);
        }
        if (act != null) {
            unary(act, 0f, c, c, mn * g.batch());
        }
    }

    private static boolean aligned(long a, long b, long c, int lda, int ldb, int ldc, long sa, long sb, long sc) {
        return ((a | b | c) & 15) == 0 && ((lda | ldb | ldc) & 3) == 0 && ((sa | sb | sc) & 3) == 0;
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
            launch(fn(REDUCE, "kiln_reduce_sumall_partial_f32"), grid, 1, 1, BLOCK);
            begin().ptr(partial.pointer()).ptr(floats(os).pointer()).i64(grid).f32(1f);
            launch(fn(REDUCE, "kiln_reduce_sumall_final_f32"), 1, 1, 1, BLOCK);
            partial.close();
        } else {
            CudaBuffer target = op != ReduceOp.ARGMAX ? floats(os)
                    : os.dtype() == DType.INT64 ? os : (CudaBuffer) allocate(DType.INT64, rows);
            String name = op == ReduceOp.SUM ? "kiln_reduce_sum_f32" : op == ReduceOp.MAX ? "kiln_reduce_max_f32"
                    : "kiln_reduce_argmax_f32";
            begin().ptr(xs.pointer()).ptr(target.pointer()).i64(outer).i64(dim).i64(inner);
            long grid = inner == 1 ? (outer + 7) / 8 : (long) outer * ((inner + 31) / 32);
            launch(fn(REDUCE, name), cap(grid), 1, 1, 32, 8);
            if (target != os) {
                convert(target, os, rows);
                target.close();
            }
        }
        Reference.reachabilityFence(xs);
        Reference.reachabilityFence(os);
    }

    @Override
    public synchronized void softmax(Buffer x, Buffer y, int outer, int dim, int inner, boolean log) {
        CudaBuffer xs = floats(x), ys = floats(y);
        long rows = (long) outer * inner;
        if (rows == 0 || dim == 0) {
            return;
        }
        if (inner == 1) {
            begin().ptr(xs.pointer()).ptr(ys.pointer()).i64(outer).i64(dim);
            launch(fn(SOFTMAX, log ? "kiln_softmax_log_forward_f32" : "kiln_softmax_forward_f32"), cap((outer + 7) / 8), 1, 1, 32, 8);
        } else {
            begin().ptr(xs.pointer()).ptr(ys.pointer()).i32(outer).i32(dim).i32(inner).i32(log ? 1 : 0);
            launchRows("kiln_tensor_softmax_f32", rows, dim);
        }
        Reference.reachabilityFence(xs);
        Reference.reachabilityFence(ys);
    }

    @Override
    public synchronized void softmaxBackward(Buffer y, Buffer gy, Buffer gx, int outer, int dim, int inner, boolean log) {
        CudaBuffer ys = floats(y), gys = floats(gy), gxs = floats(gx);
        long rows = (long) outer * inner;
        if (rows == 0 || dim == 0) {
            return;
        }
        if (inner == 1) {
            begin().ptr(ys.pointer()).ptr(gys.pointer()).ptr(gxs.pointer()).i64(outer).i64(dim);
            launch(fn(SOFTMAX, log ? "kiln_softmax_log_backward_f32" : "kiln_softmax_backward_f32"), cap((outer + 7) / 8), 1, 1, 32, 8);
        } else {
            begin().ptr(ys.pointer()).ptr(gys.pointer()).ptr(gxs.pointer()).i32(outer).i32(dim).i32(inner).i32(log ? 1 : 0);
            launchRows("kiln_tensor_softmax_backward_f32", rows, dim);
        }
        Reference.reachabilityFence(ys);
        Reference.reachabilityFence(gys);
        Reference.reachabilityFence(gxs);
    }

    private static String indexSuffix(CudaBuffer idx) {
        switch (idx.dtype()) {
            case INT32: return "i32";
            case INT64: return "i64";
            default: throw new IllegalArgumentException("Expected an INT32 or INT64 index buffer, got " + idx.dtype());
        }
    }

    @Override
    public synchronized void crossEntropy(Buffer logits, Buffer targets, int rows, int cols, Buffer loss, Buffer grad) {
        CudaBuffer xs = floats(logits), ts = cuda(targets), ls = floats(loss), gs = floats(grad);
        if (rows == 0) {
            return;
        }
        if (ts.dtype() == DType.INT32) {
            begin().ptr(xs.pointer()).ptr(ts.pointer()).ptr(ls.pointer()).ptr(gs.pointer()).i64(rows).i64(cols).f32(1f);
            launch(fn(SOFTMAX, "kiln_softmax_xent_f32"), cap((rows + 7L) / 8), 1, 1, 32, 8);
        } else {
            begin().ptr(xs.pointer()).ptr(ts.pointer()).i32(rows).i32(cols).ptr(ls.pointer()).ptr(gs.pointer());
            launchRows("kiln_tensor_cross_entropy_f32_" + indexSuffix(ts), rows, cols);
        }
        Reference.reachabilityFence(xs);
        Reference.reachabilityFence(ts);
        Reference.reachabilityFence(ls);
        Reference.reachabilityFence(gs);
    }

    // ---- indexing ----------------------------------------------------------------------------

    @Override
    public synchronized void indexSelect(Buffer x, int outer, int dim, int inner, Buffer idx, int count, Buffer out) {
        launchIndex("kiln_tensor_index_select_f32_", floats(x), cuda(idx), floats(out), outer, dim, inner, count);
    }

    @Override
    public synchronized void indexAdd(Buffer g, int outer, int dim, int inner, Buffer idx, int count, Buffer gx) {
        launchIndex("kiln_tensor_index_add_f32_", floats(g), cuda(idx), floats(gx), outer, dim, inner, count);
    }

    /** indexSelect and its accumulating inverse take the same arguments: (src, idx, dst, outer, dim, inner, count). */
    private void launchIndex(String kernel, CudaBuffer src, CudaBuffer idx, CudaBuffer dst, int outer, int dim, int inner, int count) {
        long n = (long) outer * count * inner;
        if (n == 0) {
            return;
        }
        begin().ptr(src.pointer()).ptr(idx.pointer()).ptr(dst.pointer()).i32(outer).i32(dim).i32(inner).i32(count);
        launch1d(TENSOR, kernel + indexSuffix(idx), n);
        Reference.reachabilityFence(src);
        Reference.reachabilityFence(idx);
        Reference.reachabilityFence(dst);
    }

    // ---- random ------------------------------------------------------------------------------

    @Override
    public synchronized void random(Buffer dst, long n, long seed, long offset, boolean normal) {
        CudaBuffer d = floats(dst);
        if (n == 0) {
            return;
        }
        // uniform: (lo, hi) = (0, 1); normal: (mean, std) = (0, 1). Both reproduce dev.kiln.Generator exactly.
        begin().ptr(d.pointer()).i64(n).i64(seed).i64(offset).f32(0f).f32(1f);
        int block = block1d((n + 3) / 4);
        launch(fn(RANDOM, normal ? "kiln_random_normal_f32" : "kiln_random_uniform_f32"), grid1d((n + 3) / 4, block), 1, 1, block);
        Reference.reachabilityFence(d);
    }

    // ---- optimisers --------------------------------------------------------------------------

    @Override
    public synchronized void sgdUpdate(Buffer param, Buffer grad, Buffer velocity, long n, float lr, float momentum,
                                       float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        CudaBuffer p = floats(param), g = floats(grad), v = velocity == null ? null : floats(velocity);
        if (n == 0) {
            return;
        }
        begin().ptr(p.pointer()).ptr(g.pointer()).ptr(v == null ? 0 : v.pointer()).i64(n).f32(lr).f32(momentum)
                .f32(dampening).f32(weightDecay).i32(nesterov ? 1 : 0).i32(firstStep ? 1 : 0);
        if (v != null && momentum == 0f) {
            // The optim family skips the velocity when momentum is 0; the SPI still updates it.
            launch1d(TENSOR, "kiln_tensor_sgd_f32", n);
        } else {
            launch1d(OPTIM, "kiln_optim_sgd_f32", n);
        }
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(v);
    }

    @Override
    public synchronized void adamUpdate(Buffer param, Buffer grad, Buffer m, Buffer v, long n, float lr, float beta1, float beta2,
                                        float eps, float weightDecay, boolean decoupled, float bc1, float bc2) {
        CudaBuffer p = floats(param), g = floats(grad), ms = floats(m), vs = floats(v);
        if (n == 0) {
            return;
        }
        begin().ptr(p.pointer()).ptr(g.pointer()).ptr(ms.pointer()).ptr(vs.pointer()).i64(n).f32(lr).f32(beta1).f32(beta2)
                .f32(eps).f32(weightDecay).f32(bc1).f32(bc2);
        launch1d(OPTIM, decoupled ? "kiln_optim_adamw_f32" : "kiln_optim_adam_f32", n);
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(ms);
        Reference.reachabilityFence(vs);
    }

    @Override
    public void synchronize() {
        driver.streamSynchronize(driver.stream()); // the calling thread's current stream (the compute stream by default)
    }

    @Override
    public String toString() {
        return "CudaBackend[" + name() + "]";
    }
}
