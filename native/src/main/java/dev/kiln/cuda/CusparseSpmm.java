package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * cuSPARSE's generic {@code cusparseSpMM} (CSR int32, row-major FP32 dense operands,
 * {@code CUSPARSE_SPMM_CSR_ALG2}, deterministic) as the vendor path of {@link CudaSparse}: selected
 * with {@code -Dkiln.cuda.impl.spmm=vendor} and used by {@code SparseBench} as the baseline.
 *
 * <p>One handle per backend; before each call the driver's context is made current on the thread
 * and the handle pointed at the backend's current stream. Per matrix and width, the sparse and
 * dense descriptors and the workspace are made once (the dense descriptors get each call's
 * pointers with {@code cusparseDnMatSetValues}). A matrix without stored values (all ones) gets a
 * ones array, made once. Under the emulator there is no cuSPARSE: {@link #of} says so.
 */
final class CusparseSpmm {

    /** CUSPARSE_SPMM_CSR_ALG2: deterministic, row-major friendly. */
    static final int ALG = 6;

    private static final Map<CudaBackend, CusparseSpmm> BY_BACKEND = new ConcurrentHashMap<>();
    private static volatile String loadFailure;
    private static volatile boolean loaded;

    private final CudaBackend be;
    private final JavaCppDriver driver;
    private final long handle;
    private final Map<CudaSparse.DeviceCsr, Map<Integer, long[]>> plans = new WeakHashMap<>();
    private final Map<CudaSparse.DeviceCsr, Buffer> ones = new WeakHashMap<>();
    private final Map<CudaSparse.DeviceCsr, Buffer[]> workspaces = new WeakHashMap<>();

    private CusparseSpmm(CudaBackend be, JavaCppDriver driver) {
        this.be = be;
        this.driver = driver;
        driver.cuStream(CudaDriver.DEFAULT_STREAM, "cusparseCreate");
        long[] out = new long[1];
        check(CusparseNative.create(out), "cusparseCreate");
        this.handle = out[0];
    }

    /** The cuSPARSE path of {@code be}; an error under the emulator or when libcusparse.so.12 cannot be loaded. */
    static CusparseSpmm of(CudaBackend be) {
        CusparseSpmm c = BY_BACKEND.get(be);
        if (c != null) {
            return c;
        }
        CudaDriver d = be.driver() instanceof StreamBoundDriver s ? s.unwrap() : be.driver();
        if (!(d instanceof JavaCppDriver jd)) {
            throw new UnsupportedOperationException("kiln.cuda.impl selects the vendor implementation of spmm (cuSPARSE), but the "
                    + "CUDA emulator has no vendor libraries: cuSPARSE needs a real GPU (driver 'cuda').");
        }
        load();
        synchronized (BY_BACKEND) {
            return BY_BACKEND.computeIfAbsent(be, b -> new CusparseSpmm(b, jd));
        }
    }

    private static synchronized void load() {
        if (loaded) {
            return;
        }
        if (loadFailure != null) {
            throw new CudaException(loadFailure);
        }
        String err;
        try {
            Path lib = NativeLibraries.locate("libkiln_cusparse.so");
            System.load(lib.toString());
            err = CusparseNative.open();
        } catch (Throwable t) {
            err = t.toString();
        }
        if (err != null) {
            loadFailure = "cuSPARSE is unavailable (kiln.cuda.impl.spmm=vendor): libcusparse.so.12 (CUDA 12/13) could not be "
                    + "loaded; put the CUDA lib directory on LD_LIBRARY_PATH before the JVM starts. Loader said: " + err;
            throw new CudaException(loadFailure);
        }
        loaded = true;
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new CudaException(call + " failed: " + CusparseNative.errorString(rc) + " (" + rc + ")");
        }
    }

    /** {@code y = A x} through cusparseSpMM. */
    synchronized void spmm(CudaSparse.DeviceCsr a, Buffer x, Buffer y, int n) {
        long stream = be.currentStream().handle();
        var st = driver.cuStream(stream, "cusparseSetStream(stream 0x" + Long.toHexString(stream) + ")");
        long streamPtr = st == null ? 0L : st.address();
        Buffer val = a.values != null ? a.values : ones.computeIfAbsent(a, m -> {
            float[] o = new float[Math.max(1, m.csr.nnz())];
            Arrays.fill(o, 1f);
            Buffer b = be.allocate(DType.FLOAT32, o.length);
            be.upload(o, b);
            return b;
        });
        String shape = "[A " + a.csr.rows() + "x" + a.csr.cols() + " nnz " + a.csr.nnz() + ", n " + n + "]";
        long[] plan = plans.computeIfAbsent(a, m -> new ConcurrentHashMap<>()).computeIfAbsent(n, w -> {
            long[] out = new long[2];
            check(CusparseNative.plan(handle, a.csr.rows(), a.csr.cols(), a.csr.nnz(), CudaSparse.p(a.rowPtr),
                    CudaSparse.p(a.colIdx), CudaSparse.p(val), n, CudaSparse.p(x), CudaSparse.p(y), ALG, out),
                    "cusparseCreateCsr/CreateDnMat/SpMM_bufferSize " + shape);
            return out;
        });
        Buffer[] ws = workspaces.computeIfAbsent(a, m -> new Buffer[1]);
        if (plan[1] > 0 && (ws[0] == null || ws[0].size() * 4 < plan[1])) {
            ws[0] = be.allocate(DType.FLOAT32, (plan[1] + 3) / 4);
        }
        check(CusparseNative.run(handle, plan[0], streamPtr, CudaSparse.p(x), CudaSparse.p(y),
                plan[1] > 0 ? CudaSparse.p(ws[0]) : 0L, ALG), "cusparseSpMM " + shape);
        Reference.reachabilityFence(new Object[] {a, x, y, val, ws});
    }
}
