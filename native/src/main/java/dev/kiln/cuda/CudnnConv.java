package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.ConvGeometry;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnActivationStruct;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.bytedeco.cuda.global.cudnn.*;

/**
 * The cuDNN vendor path of {@link CudaBackend}'s convolution and batch-norm ops, selected with
 * {@code -Dkiln.cuda.impl=vendor} (or per op {@code kiln.cuda.impl.conv} / {@code .batchNorm}).
 *
 * <p>One cuDNN handle per backend, pointed with {@code cudnnSetStream} at the stream the
 * backend's work goes to at the time of each call (its current stream). Per convolution shape
 * (the {@link ConvGeometry} plus the math mode) the tensor, filter and convolution descriptors are
 * made once (NCHW FP32; groups via {@code cudnnSetConvolutionGroupCount}; padding, stride,
 * dilation; cross-correlation like Kiln's kernels), and the algorithm of each pass is chosen once
 * by {@code cudnnFindConvolution{Forward,BackwardData,BackwardFilter}AlgorithmEx} (which times
 * every algorithm on the call's own buffers) and cached with its workspace size and math type.
 * Workspaces come from the backend's caching allocator and go back to it after the call
 * (stream-ordered, like {@link CudaVision}'s split-K scratch).
 *
 * <p>Math: {@code kiln.cuda.conv.kernel=fp32} (the default) asks for {@code CUDNN_FMA_MATH}, i.e.
 * true FP32 like our default kernels ({@code CUDNN_DEFAULT_MATH} lets cuDNN use TF32 tensor cores
 * for FP32 data on Ampere and newer); {@code tf32} asks for {@code CUDNN_TENSOR_OP_MATH} (TF32
 * allowed), like our opt-in TF32 forward kernel. Forward with bias and ReLU is
 * {@code cudnnConvolutionForward}, then {@code cudnnAddTensor} (bias) and
 * {@code cudnnActivationForward} (ReLU, in place).
 *
 * <p>Batch norm uses the spatial mode ({@code CUDNN_BATCHNORM_SPATIAL}) with
 * {@code exponentialAverageFactor = momentum}. cuDNN's running variance takes the unbiased
 * (Bessel-corrected, {@code M/(M−1)}) batch variance and its saved "inverse variance" is
 * {@code 1/sqrt(var + eps)} of the biased variance: both Kiln's conventions (see
 * {@code kernels/CONV.md}), so the buffers are passed as they are. Null gamma/beta (1/0), a single
 * null running buffer, null gradient outputs and in-place {@code y == x} (which Kiln allows and
 * cuDNN does not promise) are served with scratch buffers.
 *
 * <p>Every cuDNN status is checked; a failure throws {@link CudaException} naming the call and
 * the shape. Under the emulator there is no cuDNN: {@link #of} says so. This class is only
 * loaded when the vendor path is selected, so runs without cuDNN are not affected.
 */
public final class CudnnConv {

    /** The passes whose algorithm is chosen by cudnnFind…AlgorithmEx. */
    public enum Pass { FORWARD, BACKWARD_DATA, BACKWARD_FILTER }

    /** The algorithm cudnnFind chose for one pass of one shape: its number, workspace, math type and cuDNN's time. */
    public record Choice(int algo, long workspaceBytes, int mathType, float findMs) {
        @Override
        public String toString() {
            return "algo " + algo + " (" + (workspaceBytes >> 10) + " KiB workspace, math " + mathName(mathType) + ", "
                    + String.format(java.util.Locale.ROOT, "%.3f", findMs) + " ms in cudnnFind)";
        }
    }

    private static final Map<CudaBackend, CudnnConv> BY_BACKEND = new ConcurrentHashMap<>();
    private static volatile String loadFailure;
    /** The cuDNN shared libraries JavaCPP's libjnicudnn.so needs (cuDNN 9 splits into sub-libraries). */
    static final String[] LIBRARIES = {"libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
        "libcudnn_adv.so.9", "libcudnn_engines_precompiled.so.9"};
    /** Default cap on the workspace offered to cudnnFind (MiB): algorithms needing more are not tried. */

    private final CudaBackend be;
    private final JavaCppDriver driver;
    private final cudnnContext handle;
    private long boundStream = -1;
    private final FloatPointer one;
    private final FloatPointer zero;
    private final Map<PlanKey, Plan> plans = new ConcurrentHashMap<>();
    private final Map<Long, cudnnTensorStruct> bnDescs = new ConcurrentHashMap<>();
    private cudnnActivationStruct relu;

    private record PlanKey(ConvGeometry g, int math) {
    }

    /** Descriptors of one shape and the algorithm chosen for each pass (null until its first call). */
    private static final class Plan {
        final cudnnTensorStruct x = new cudnnTensorStruct();
        final cudnnTensorStruct y = new cudnnTensorStruct();
        final cudnnTensorStruct bias = new cudnnTensorStruct();
        final cudnnFilterStruct w = new cudnnFilterStruct();
        /** One convolution descriptor per pass: each gets the math type of its chosen algorithm. */
        final cudnnConvolutionStruct[] conv = new cudnnConvolutionStruct[Pass.values().length];
        final Choice[] choice = new Choice[Pass.values().length];
    }

    private CudnnConv(CudaBackend be, JavaCppDriver driver) {
        this.be = be;
        this.driver = driver;
        load();
        driver.cuStream(CudaDriver.DEFAULT_STREAM, "cudnnCreate"); // makes the driver's context current on this thread
        cudnnContext h = new cudnnContext();
        check(cudnnCreate(h), "cudnnCreate", "");
        this.handle = h;
        this.one = new FloatPointer(1).put(0, 1f);
        this.zero = new FloatPointer(1).put(0, 0f);
    }

    /**
     * The cuDNN path of {@code be} (one per backend, created on first use: loads cuDNN, creates the
     * handle).
     *
     * @throws UnsupportedOperationException under the emulator (no cuDNN there)
     * @throws CudaException when cuDNN cannot be loaded (naming the missing library) or created
     */
    public static CudnnConv of(CudaBackend be) {
        CudnnConv c = BY_BACKEND.get(be);
        if (c != null) {
            return c;
        }
        CudaDriver d = be.driver() instanceof StreamBoundDriver s ? s.unwrap() : be.driver();
        if (!(d instanceof JavaCppDriver jd)) {
            throw new UnsupportedOperationException(emulatorMessage("conv"));
        }
        synchronized (BY_BACKEND) {
            return BY_BACKEND.computeIfAbsent(be, b -> new CudnnConv(b, jd));
        }
    }

    /** The error for the vendor path under a driver without vendor libraries (the emulator). */
    static String emulatorMessage(String op) {
        return "kiln.cuda.impl selects the vendor implementation of " + op
                + " (cuDNN), but the CUDA emulator has no vendor libraries: cuDNN needs a real GPU (driver 'cuda'). "
                + "Use kiln.cuda.impl=own (the default) under the emulator.";
    }

    static synchronized void load() {
        if (loadFailure != null) {
            throw new CudaException(loadFailure);
        }
        try {
            Loader.load(cudnn.class);
        } catch (Throwable e) {
            loadFailure = explainLoadFailure(e);
            throw new CudaException(loadFailure);
        }
    }

    /** Turns a failure to load JavaCPP's cuDNN bindings into a message naming what is missing. */
    static String explainLoadFailure(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        String msg = all.toString();
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String missing = missingLibraries();
        String what;
        if (msg.contains("libcublas") || msg.contains("libcudart")) {
            // JavaCPP loads the cuDNN preset's parents (cudart, cuBLAS) first.
            what = "the CUDA 13 runtime/cuBLAS libraries that JavaCPP's cuDNN bindings load first were not found (put the CUDA 13 "
                    + "lib directory on LD_LIBRARY_PATH)" + (missing.isEmpty() ? "" : "; cuDNN 9 (libcudnn.so.9 and its sub-libraries) "
                    + "is needed too, on LD_LIBRARY_PATH before the JVM starts");
        } else if (msg.contains("libcudnn") || !missing.isEmpty()) {
            what = "the cuDNN 9 libraries (libcudnn.so.9 and its sub-libraries libcudnn_graph/ops/cnn/adv.so.9) were not found: "
                    + "install cuDNN 9 for CUDA 13 (e.g. the nvidia-cudnn-cu13 wheel's nvidia/cudnn/lib) and put its lib directory "
                    + "on LD_LIBRARY_PATH before the JVM starts";
        } else if (e instanceof NoClassDefFoundError || msg.contains("jnicudnn")) {
            what = "JavaCPP's cuDNN bindings (libjnicudnn.so in org.bytedeco:cuda:linux-x86_64) are missing or could not be loaded";
        } else {
            what = "cuDNN could not be loaded";
        }
        return "cuDNN is unavailable (kiln.cuda.impl=vendor for conv/batchNorm): " + what + "."
                + (missing.isEmpty() ? "" : " Not found on this machine: " + missing + ".") + " Loader said: " + root;
    }

    /** Which of {@link #LIBRARIES} are absent from LD_LIBRARY_PATH and the usual system directories. */
    static String missingLibraries() {
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(Arrays.asList(ld.split(":")));
        }
        dirs.addAll(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu",
                "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"));
        StringBuilder sb = new StringBuilder();
        for (String lib : LIBRARIES) {
            boolean found = false;
            for (String d : dirs) {
                if (!d.isEmpty() && Files.exists(Path.of(d, lib))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                sb.append(sb.length() == 0 ? "" : ", ").append(lib);
            }
        }
        return sb.toString();
    }

    /** cuDNN's version as major.minor.patch (cudnnGetVersion). */
    public static String version() {
        load();
        long v = cudnnGetVersion();
        return v / 10000 + "." + (v % 10000) / 100 + "." + v % 100;
    }

    // ---- status checks -----------------------------------------------------------------------

    private static String status(int rc) {
        try {
            return cudnnGetErrorString(rc).getString() + " (" + rc + ")";
        } catch (Throwable t) {
            return "cuDNN status " + rc;
        }
    }

    static void check(int rc, String call, String shape) {
        if (rc != CUDNN_STATUS_SUCCESS) {
            throw new CudaException(call + (shape.isEmpty() ? "" : " [" + shape + "]") + " failed: " + status(rc), rc);
        }
    }

    static String shape(ConvGeometry g) {
        return "x " + g.n() + "x" + g.c() + "x" + g.h() + "x" + g.w() + ", w " + g.k() + "x" + g.cg() + "x" + g.r() + "x" + g.s()
                + ", y " + g.n() + "x" + g.k() + "x" + g.p() + "x" + g.q() + ", stride " + g.strideH() + "," + g.strideW()
                + ", pad " + g.padH() + "," + g.padW() + ", dilation " + g.dilH() + "," + g.dilW() + ", groups " + g.groups()
                + (g.nhwc() ? ", NHWC" : "");
    }

    static String mathName(int m) {
        switch (m) {
            case CUDNN_DEFAULT_MATH: return "default";
            case CUDNN_TENSOR_OP_MATH: return "tensor-op";
            case CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION: return "tensor-op-conversion";
            case CUDNN_FMA_MATH: return "fma";
            default: return String.valueOf(m);
        }
    }

    /** The math type {@code kiln.cuda.conv.kernel} asks for: fp32 → FMA only, tf32 → tensor cores allowed. */
    static int requestedMath(CudaOptions options) {
        return options.convKernel() == CudaOptions.ConvKernel.TF32 ? CUDNN_TENSOR_OP_MATH : CUDNN_FMA_MATH;
    }

    /**
     * The math type the convolution descriptor keeps after Find reported {@code found} for the
     * fastest algorithm: the requested one, unless tensor-op (TF32) math was requested, where
     * Find's choice stands (it may be FMA or default when those ran faster). So an FP32 request
     * ({@code CUDNN_FMA_MATH}) never becomes TF32 because Find timed an algorithm with other math.
     */
    static int descriptorMath(int requested, int found) {
        return requested == CUDNN_TENSOR_OP_MATH ? found : requested;
    }

    // ---- plumbing ----------------------------------------------------------------------------

    /** The backend's cuDNN handle, pointed at its current stream (for the other cuDNN paths, e.g. {@link CudnnLstm}). */
    cudnnContext handle() {
        bindStream();
        return handle;
    }

    /** Points the handle at the backend's current stream (and makes the context current on this thread). */
    private void bindStream() {
        long s = be.driver().stream();
        CUstream_st st = driver.cuStream(s, "cudnnSetStream(stream 0x" + Long.toHexString(s) + ")");
        if (s != boundStream) {
            check(cudnnSetStream(handle, st), "cudnnSetStream(stream 0x" + Long.toHexString(s) + ")", "");
            boundStream = s;
        }
    }

    private long ptr(Buffer b) {
        if (b == null) {
            return 0;
        }
        if (!(b instanceof CudaBuffer c) || c.backend() != be) {
            throw new IllegalArgumentException("Buffer " + b + " does not belong to the CUDA backend " + be.name());
        }
        if (c.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("cuDNN path: expected a FLOAT32 buffer, got " + c.dtype());
        }
        return c.pointer();
    }

    /** A JavaCPP pointer at a device address (cuDNN reads and writes device memory through it). */
    static Pointer dev(long address) {
        return new Pointer() {
            {
                this.address = address;
            }
        };
    }

    /** A scratch FLOAT32 buffer from the caching allocator, at least {@code bytes} long (null for 0). */
    private Buffer scratch(long bytes) {
        return bytes <= 0 ? null : be.allocate(DType.FLOAT32, (bytes + 3) / 4);
    }

    private static void release(Buffer b) {
        if (b != null) {
            b.close(); // back to the caching allocator; later work on the same stream is ordered after this call's
        }
    }

    private static cudnnTensorStruct tensor4d(cudnnTensorStruct d, int format, int n, int c, int h, int w, String what,
                                              String shape) {
        check(cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor(" + what + ")", shape);
        check(cudnnSetTensor4dDescriptor(d, format, CUDNN_DATA_FLOAT, n, c, h, w),
                "cudnnSetTensor4dDescriptor(" + what + " " + n + "x" + c + "x" + h + "x" + w + ")", shape);
        return d;
    }

    private Plan plan(ConvGeometry g) {
        int math = requestedMath(be.options());
        PlanKey key = new PlanKey(g, math);
        Plan p = plans.get(key);
        if (p != null) {
            return p;
        }
        String sh = shape(g);
        p = new Plan();
        // NHWC: the same logical n, c, h, w dimensions in channels-last memory; filters KRSC.
        int format = g.nhwc() ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW;
        tensor4d(p.x, format, g.n(), g.c(), g.h(), g.w(), "x", sh);
        tensor4d(p.y, format, g.n(), g.k(), g.p(), g.q(), "y", sh);
        tensor4d(p.bias, format, 1, g.k(), 1, 1, "bias", sh);
        check(cudnnCreateFilterDescriptor(p.w), "cudnnCreateFilterDescriptor", sh);
        check(cudnnSetFilter4dDescriptor(p.w, CUDNN_DATA_FLOAT, format, g.k(), g.cg(), g.r(), g.s()),
                "cudnnSetFilter4dDescriptor", sh);
        for (int i = 0; i < p.conv.length; i++) {
            cudnnConvolutionStruct c = new cudnnConvolutionStruct();
            check(cudnnCreateConvolutionDescriptor(c), "cudnnCreateConvolutionDescriptor", sh);
            check(cudnnSetConvolution2dDescriptor(c, g.padH(), g.padW(), g.strideH(), g.strideW(), g.dilH(), g.dilW(),
                    CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT), "cudnnSetConvolution2dDescriptor", sh);
            check(cudnnSetConvolutionGroupCount(c, g.groups()), "cudnnSetConvolutionGroupCount(" + g.groups() + ")", sh);
            check(cudnnSetConvolutionMathType(c, math), "cudnnSetConvolutionMathType(" + mathName(math) + ")", sh);
            p.conv[i] = c;
        }
        int[] n = new int[1], k = new int[1], oh = new int[1], ow = new int[1];
        check(cudnnGetConvolution2dForwardOutputDim(p.conv[0], p.x, p.w, n, k, oh, ow), "cudnnGetConvolution2dForwardOutputDim", sh);
        if (n[0] != g.n() || k[0] != g.k() || oh[0] != g.p() || ow[0] != g.q()) {
            throw new CudaException("cuDNN computes output " + n[0] + "x" + k[0] + "x" + oh[0] + "x" + ow[0] + " for [" + sh
                    + "], Kiln's geometry says " + g.n() + "x" + g.k() + "x" + g.p() + "x" + g.q());
        }
        plans.put(key, p);
        return p;
    }

    private long findWorkspaceBytes() {
        return be.options().cudnnFindWorkspaceMiB() << 20;
    }

    /** The algorithm of {@code pass} for {@code g}, found (once) on the given buffers. */
    private Choice choose(Plan p, ConvGeometry g, Pass pass, long a, long b, long out) {
        Choice c = p.choice[pass.ordinal()];
        if (c != null) {
            return c;
        }
        String sh = shape(g);
        int[] returned = new int[1];
        Buffer ws = scratch(findWorkspaceBytes());
        long wsBytes = ws == null ? 0 : findWorkspaceBytes();
        Pointer wsp = dev(ws == null ? 0 : ptr(ws));
        cudnnConvolutionStruct conv = p.conv[pass.ordinal()];
        List<Choice> found = new ArrayList<>();
        try {
            switch (pass) {
                case FORWARD: {
                    int[] max = new int[1];
                    check(cudnnGetConvolutionForwardAlgorithmMaxCount(handle, max), "cudnnGetConvolutionForwardAlgorithmMaxCount", sh);
                    cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(max[0]);
                    check(cudnnFindConvolutionForwardAlgorithmEx(handle, p.x, dev(a), p.w, dev(b), conv, p.y, dev(out), max[0],
                            returned, perf, wsp, wsBytes), "cudnnFindConvolutionForwardAlgorithmEx", sh);
                    for (int i = 0; i < returned[0]; i++) {
                        cudnnConvolutionFwdAlgoPerf_t r = perf.getPointer(i);
                        if (r.status() == CUDNN_STATUS_SUCCESS) {
                            found.add(new Choice(r.algo(), r.memory(), r.mathType(), r.time()));
                        }
                    }
                    perf.close();
                    break;
                }
                case BACKWARD_DATA: {
                    int[] max = new int[1];
                    check(cudnnGetConvolutionBackwardDataAlgorithmMaxCount(handle, max),
                            "cudnnGetConvolutionBackwardDataAlgorithmMaxCount", sh);
                    cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(max[0]);
                    check(cudnnFindConvolutionBackwardDataAlgorithmEx(handle, p.w, dev(b), p.y, dev(a), conv, p.x, dev(out), max[0],
                            returned, perf, wsp, wsBytes), "cudnnFindConvolutionBackwardDataAlgorithmEx", sh);
                    for (int i = 0; i < returned[0]; i++) {
                        cudnnConvolutionBwdDataAlgoPerf_t r = perf.getPointer(i);
                        if (r.status() == CUDNN_STATUS_SUCCESS) {
                            found.add(new Choice(r.algo(), r.memory(), r.mathType(), r.time()));
                        }
                    }
                    perf.close();
                    break;
                }
                default: {
                    int[] max = new int[1];
                    check(cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(handle, max),
                            "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount", sh);
                    cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(max[0]);
                    check(cudnnFindConvolutionBackwardFilterAlgorithmEx(handle, p.x, dev(a), p.y, dev(b), conv, p.w, dev(out), max[0],
                            returned, perf, wsp, wsBytes), "cudnnFindConvolutionBackwardFilterAlgorithmEx", sh);
                    for (int i = 0; i < returned[0]; i++) {
                        cudnnConvolutionBwdFilterAlgoPerf_t r = perf.getPointer(i);
                        if (r.status() == CUDNN_STATUS_SUCCESS) {
                            found.add(new Choice(r.algo(), r.memory(), r.mathType(), r.time()));
                        }
                    }
                    perf.close();
                    break;
                }
            }
        } finally {
            release(ws);
        }
        if (found.isEmpty()) {
            throw new CudaException("cudnnFind…AlgorithmEx(" + pass + ") [" + sh + "] returned no usable algorithm ("
                    + returned[0] + " tried, workspace offered " + (wsBytes >> 20) + " MiB; raise -Dkiln.cuda.cudnn.findWorkspaceMiB)");
        }
        c = found.get(0); // cuDNN sorts the results by time, fastest first
        int math = descriptorMath(requestedMath(be.options()), c.mathType());
        c = new Choice(c.algo(), c.workspaceBytes(), math, c.findMs());
        check(cudnnSetConvolutionMathType(conv, math), "cudnnSetConvolutionMathType(" + mathName(math) + ", " + pass + ")", sh);
        p.choice[pass.ordinal()] = c;
        return c;
    }

    /**
     * The algorithm cuDNN chose for {@code pass} of {@code g} under the current math setting, or
     * null when that pass has not run yet.
     */
    public Choice chosen(ConvGeometry g, Pass pass) {
        Plan p = plans.get(new PlanKey(g, requestedMath(be.options())));
        return p == null ? null : p.choice[pass.ordinal()];
    }

    // ---- convolution -------------------------------------------------------------------------

    /** {@code y = act(conv(x, w) + bias)}: cudnnConvolutionForward, cudnnAddTensor, cudnnActivationForward. */
    public void forward(ConvGeometry g, Buffer x, Buffer w, Buffer bias, Buffer y, boolean reluOut) {
        synchronized (be) {
            bindStream();
            Plan p = plan(g);
            long xp = ptr(x), wp = ptr(w), yp = ptr(y);
            Choice c = choose(p, g, Pass.FORWARD, xp, wp, yp);
            Buffer ws = scratch(c.workspaceBytes());
            try {
                check(cudnnConvolutionForward(handle, one, p.x, dev(xp), p.w, dev(wp), p.conv[Pass.FORWARD.ordinal()], c.algo(),
                        dev(ws == null ? 0 : ptr(ws)), c.workspaceBytes(), zero, p.y, dev(yp)),
                        "cudnnConvolutionForward(algo " + c.algo() + ")", shape(g));
            } finally {
                release(ws);
            }
            if (bias != null) {
                check(cudnnAddTensor(handle, one, p.bias, dev(ptr(bias)), one, p.y, dev(yp)), "cudnnAddTensor(bias)", shape(g));
            }
            if (reluOut) {
                check(cudnnActivationForward(handle, relu(), one, p.y, dev(yp), zero, p.y, dev(yp)),
                        "cudnnActivationForward(relu)", shape(g));
            }
            Reference.reachabilityFence(new Object[] {x, w, bias, y});
        }
    }

    private cudnnActivationStruct relu() {
        if (relu == null) {
            cudnnActivationStruct a = new cudnnActivationStruct();
            check(cudnnCreateActivationDescriptor(a), "cudnnCreateActivationDescriptor", "");
            check(cudnnSetActivationDescriptor(a, CUDNN_ACTIVATION_RELU, CUDNN_NOT_PROPAGATE_NAN, 0.0),
                    "cudnnSetActivationDescriptor(relu)", "");
            relu = a;
        }
        return relu;
    }

    /** {@code dx} (overwritten) from {@code dy} and {@code w}: cudnnConvolutionBackwardData. */
    public void backwardData(ConvGeometry g, Buffer dy, Buffer w, Buffer dx) {
        synchronized (be) {
            bindStream();
            Plan p = plan(g);
            long dyp = ptr(dy), wp = ptr(w), dxp = ptr(dx);
            Choice c = choose(p, g, Pass.BACKWARD_DATA, dyp, wp, dxp);
            Buffer ws = scratch(c.workspaceBytes());
            try {
                check(cudnnConvolutionBackwardData(handle, one, p.w, dev(wp), p.y, dev(dyp), p.conv[Pass.BACKWARD_DATA.ordinal()],
                        c.algo(), dev(ws == null ? 0 : ptr(ws)), c.workspaceBytes(), zero, p.x, dev(dxp)),
                        "cudnnConvolutionBackwardData(algo " + c.algo() + ")", shape(g));
            } finally {
                release(ws);
            }
            Reference.reachabilityFence(new Object[] {dy, w, dx});
        }
    }

    /** {@code dw} (overwritten) from {@code x} and {@code dy}: cudnnConvolutionBackwardFilter. */
    public void backwardFilter(ConvGeometry g, Buffer x, Buffer dy, Buffer dw) {
        synchronized (be) {
            bindStream();
            Plan p = plan(g);
            long xp = ptr(x), dyp = ptr(dy), dwp = ptr(dw);
            Choice c = choose(p, g, Pass.BACKWARD_FILTER, xp, dyp, dwp);
            Buffer ws = scratch(c.workspaceBytes());
            try {
                check(cudnnConvolutionBackwardFilter(handle, one, p.x, dev(xp), p.y, dev(dyp), p.conv[Pass.BACKWARD_FILTER.ordinal()],
                        c.algo(), dev(ws == null ? 0 : ptr(ws)), c.workspaceBytes(), zero, p.w, dev(dwp)),
                        "cudnnConvolutionBackwardFilter(algo " + c.algo() + ")", shape(g));
            } finally {
                release(ws);
            }
            Reference.reachabilityFence(new Object[] {x, dy, dw});
        }
    }

    /** {@code db[k] = Σ dy[n, k, p, q]} (overwritten): cudnnConvolutionBackwardBias. */
    public void backwardBias(ConvGeometry g, Buffer dy, Buffer db) {
        synchronized (be) {
            bindStream();
            Plan p = plan(g);
            check(cudnnConvolutionBackwardBias(handle, one, p.y, dev(ptr(dy)), zero, p.bias, dev(ptr(db))),
                    "cudnnConvolutionBackwardBias", shape(g));
            Reference.reachabilityFence(new Object[] {dy, db});
        }
    }

    // ---- batch norm --------------------------------------------------------------------------

    private static String bnShape(int n, int c, int hw) {
        return "batch norm x " + n + "x" + c + "x" + hw + " (N x C x H*W)";
    }

    /** The NCHW descriptor of an {@code n × c × hw × 1} tensor, or with {@code n = 0} the {@code 1 × c × 1 × 1} parameter one. */
    private cudnnTensorStruct bnDesc(int n, int c, int hw) {
        long key = n == 0 ? -c : ((long) n << 42) ^ ((long) c << 21) ^ hw;
        cudnnTensorStruct d = bnDescs.get(key);
        if (d == null) {
            d = n == 0 ? tensor4d(new cudnnTensorStruct(), CUDNN_TENSOR_NCHW, 1, c, 1, 1, "batch-norm parameters", bnShape(n, c, hw))
                    : tensor4d(new cudnnTensorStruct(), CUDNN_TENSOR_NCHW, n, c, hw, 1, "batch-norm x", bnShape(n, c, hw));
            bnDescs.put(key, d);
        }
        return d;
    }

    /** Buffer {@code b}, or a scratch buffer of {@code count} floats filled with {@code value} (added to {@code temps}). */
    private Buffer orFilled(Buffer b, long count, float value, List<Buffer> temps) {
        if (b != null) {
            return b;
        }
        Buffer t = scratch(4 * count);
        be.fill(t, value);
        temps.add(t);
        return t;
    }

    private Buffer orScratch(Buffer b, long count, List<Buffer> temps) {
        if (b != null) {
            return b;
        }
        Buffer t = scratch(4 * count);
        temps.add(t);
        return t;
    }

    /** Training-mode forward: cudnnBatchNormalizationForwardTraining (spatial, factor = momentum). */
    public void batchNormTrain(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer rm, Buffer rv, Buffer sm, Buffer si,
                               int n, int c, int hw, float momentum, float eps) {
        synchronized (be) {
            bindStream();
            String sh = bnShape(n, c, hw) + ", momentum " + momentum + ", eps " + eps;
            List<Buffer> temps = new ArrayList<>();
            try {
                Buffer g = orFilled(gamma, c, 1f, temps), b = orFilled(beta, c, 0f, temps);
                // cuDNN updates both running buffers or neither.
                Buffer m = rm, v = rv;
                if ((m == null) != (v == null)) {
                    m = orScratch(m, c, temps);
                    v = orScratch(v, c, temps);
                }
                boolean inPlace = ptr(x) == ptr(y);
                Buffer out = inPlace ? orScratch(null, (long) n * c * hw, temps) : y;
                cudnnTensorStruct xd = bnDesc(n, c, hw), pd = bnDesc(0, c, 0);
                check(cudnnBatchNormalizationForwardTraining(handle, CUDNN_BATCHNORM_SPATIAL, one, zero, xd, dev(ptr(x)), xd,
                        dev(ptr(out)), pd, dev(ptr(g)), dev(ptr(b)), momentum, dev(ptr(m)), dev(ptr(v)), eps, dev(ptr(sm)),
                        dev(ptr(si))), "cudnnBatchNormalizationForwardTraining", sh);
                if (inPlace) {
                    be.driver().copyDtoD(ptr(y), ptr(out), 4L * n * c * hw);
                }
            } finally {
                temps.forEach(CudnnConv::release);
            }
            Reference.reachabilityFence(new Object[] {x, y, gamma, beta, rm, rv, sm, si});
        }
    }

    /** Eval-mode forward with the running statistics: cudnnBatchNormalizationForwardInference. */
    public void batchNormEval(Buffer x, Buffer y, Buffer gamma, Buffer beta, Buffer rm, Buffer rv, int n, int c, int hw, float eps) {
        synchronized (be) {
            bindStream();
            String sh = bnShape(n, c, hw) + ", eps " + eps;
            List<Buffer> temps = new ArrayList<>();
            try {
                Buffer g = orFilled(gamma, c, 1f, temps), b = orFilled(beta, c, 0f, temps);
                boolean inPlace = ptr(x) == ptr(y);
                Buffer out = inPlace ? orScratch(null, (long) n * c * hw, temps) : y;
                cudnnTensorStruct xd = bnDesc(n, c, hw), pd = bnDesc(0, c, 0);
                check(cudnnBatchNormalizationForwardInference(handle, CUDNN_BATCHNORM_SPATIAL, one, zero, xd, dev(ptr(x)), xd,
                        dev(ptr(out)), pd, dev(ptr(g)), dev(ptr(b)), dev(ptr(rm)), dev(ptr(rv)), eps),
                        "cudnnBatchNormalizationForwardInference", sh);
                if (inPlace) {
                    be.driver().copyDtoD(ptr(y), ptr(out), 4L * n * c * hw);
                }
            } finally {
                temps.forEach(CudnnConv::release);
            }
            Reference.reachabilityFence(new Object[] {x, y, gamma, beta, rm, rv});
        }
    }

    /** Training-mode backward from the saved mean and inverse std: cudnnBatchNormalizationBackward. */
    public void batchNormBackward(Buffer dy, Buffer x, Buffer gamma, Buffer sm, Buffer si, Buffer dx, Buffer dg, Buffer db,
                                  int n, int c, int hw) {
        synchronized (be) {
            bindStream();
            String sh = bnShape(n, c, hw);
            List<Buffer> temps = new ArrayList<>();
            try {
                Buffer g = orFilled(gamma, c, 1f, temps);
                Buffer dxo = orScratch(dx, (long) n * c * hw, temps), dgo = orScratch(dg, c, temps), dbo = orScratch(db, c, temps);
                cudnnTensorStruct xd = bnDesc(n, c, hw), pd = bnDesc(0, c, 0);
                // epsilon is only used when the saved statistics are absent; they are always given here.
                check(cudnnBatchNormalizationBackward(handle, CUDNN_BATCHNORM_SPATIAL, one, zero, one, zero, xd, dev(ptr(x)), xd,
                        dev(ptr(dy)), xd, dev(ptr(dxo)), pd, dev(ptr(g)), dev(ptr(dgo)), dev(ptr(dbo)), 1e-5, dev(ptr(sm)),
                        dev(ptr(si))), "cudnnBatchNormalizationBackward", sh);
            } finally {
                temps.forEach(CudnnConv::release);
            }
            Reference.reachabilityFence(new Object[] {dy, x, gamma, sm, si, dx, dg, db});
        }
    }
}
