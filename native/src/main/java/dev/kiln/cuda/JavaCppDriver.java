package dev.kiln.cuda;

import dev.kiln.DeviceUnavailableException;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The real driver: CUDA driver API and cuBLAS through JavaCPP's CUDA 13 bindings. Uses the
 * device's primary context (so cuBLAS shares it); loads each kernel family from the
 * {@code kiln-kernels} resources: SASS ({@code sm_90a} cubin on compute capability 9.0,
 * {@code sm_80} cubin on 8.x) or, on any other card, the {@code sm_80} PTX for the driver to JIT
 * ({@link #image(int)}).
 * Every return code is checked.
 *
 * <p>Streams are {@code CU_STREAM_NON_BLOCKING}; a handle this driver did not create (or already
 * destroyed) is rejected before it reaches the driver. Host transfers go through one pinned
 * staging buffer split in two halves used in turn, each guarded by an event recorded after the
 * copy that last used it: a half is refilled (host to device) or copied into (device to host)
 * only once that event has completed, so a copy in flight never has its staging overwritten, and
 * a device-to-host transfer copies one half out to the Java array while the next chunk is in
 * flight into the other.
 */
final class JavaCppDriver implements CudaDriver {

    private static final String PTX_DIR = "dev/kiln/kernels/ptx/";
    private static final String CUBIN_DIR = "dev/kiln/kernels/cubin/";
    private static final long STAGING_BYTES = 8L << 20;
    /** Bytes per staging half: the chunk size of host transfers. */
    static final long STAGING_CHUNK = STAGING_BYTES / 2;
    private static final int INVALID_HANDLE = 400;

    private record CuFunction(String family, String name, CUfunc_st handle) implements Function {
    }

    private static volatile String loadFailure;

    private final int ordinal;
    /** Synchronise after every launch ({@code kiln.cuda.sync}) so a faulting kernel is named. */
    private final boolean sync;
    private final CUctx_st context = new CUctx_st();
    private final int cc;
    private final String deviceName;
    private final int driverVersion;
    private final long totalMemory;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final Map<String, CUmod_st> modules = new ConcurrentHashMap<>();
    private final Map<String, CuFunction> functions = new ConcurrentHashMap<>();
    private final Map<String, Image> loadedFrom = new ConcurrentHashMap<>();
    private final Map<Long, CUevent_st> events = new ConcurrentHashMap<>();
    private final Map<Long, CUstream_st> streams = new ConcurrentHashMap<>();
    private final Object stagingLock = new Object();
    private Pointer staging;
    private final Pointer[] halves = new Pointer[2];
    private final CUevent_st[] halfDone = new CUevent_st[2];
    private int nextHalf;
    private LaunchArgs wrappedArgs;
    private PointerPointer<?> params;
    private cublasContext blas;
    private FloatPointer alphaHost;
    private FloatPointer betaHost;
    private long blasStream = DEFAULT_STREAM;

    private JavaCppDriver(int ordinal, boolean sync) {
        this.ordinal = ordinal;
        this.sync = sync;
        check(cuDevicePrimaryCtxRetain(context, ordinal), "cuDevicePrimaryCtxRetain(device " + ordinal + ")");
        makeCurrent();
        int[] v = new int[1];
        check(cuDeviceGetAttribute(v, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, ordinal), "cuDeviceGetAttribute(CC major)");
        int major = v[0];
        check(cuDeviceGetAttribute(v, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, ordinal), "cuDeviceGetAttribute(CC minor)");
        this.cc = major * 10 + v[0];
        byte[] nameBytes = new byte[256];
        check(cuDeviceGetName(nameBytes, nameBytes.length, ordinal), "cuDeviceGetName");
        int len = 0;
        while (len < nameBytes.length && nameBytes[len] != 0) {
            len++;
        }
        this.deviceName = new String(nameBytes, 0, len);
        check(cuDriverGetVersion(v), "cuDriverGetVersion");
        this.driverVersion = v[0];
        SizeTPointer mem = new SizeTPointer(1);
        check(cuDeviceTotalMem(mem, ordinal), "cuDeviceTotalMem");
        this.totalMemory = mem.get();
        if (cc < 80) {
            throw new DeviceUnavailableException("CUDA device " + ordinal + " (" + deviceName + ") has compute capability "
                    + major + "." + (cc % 10) + "; Kiln's PTX needs 8.0 (Ampere) or newer");
        }
    }

    /** Loads the CUDA runtime bindings and opens device {@code ordinal}, or says what is missing. */
    static JavaCppDriver open(int ordinal, CudaOptions options) {
        if (loadFailure != null) {
            // A class whose static initialiser failed reports only NoClassDefFoundError afterwards: keep the first reason.
            throw new DeviceUnavailableException(loadFailure);
        }
        try {
            Loader.load(cudart.class);
        } catch (Throwable e) {
            loadFailure = explainLoadFailure(e);
            throw new DeviceUnavailableException(loadFailure, e);
        }
        int rc = cuInit(0);
        if (rc == CUDA_ERROR_NO_DEVICE) {
            throw new DeviceUnavailableException("CUDA is unavailable: the NVIDIA driver found no CUDA device (cuInit: "
                    + errorName(rc) + ")");
        }
        if (rc != CUDA_SUCCESS) {
            throw new DeviceUnavailableException("CUDA is unavailable: cuInit failed with " + errorName(rc)
                    + " (is the NVIDIA kernel driver loaded and new enough for CUDA 13?)");
        }
        int[] count = new int[1];
        rc = cuDeviceGetCount(count);
        if (rc != CUDA_SUCCESS || count[0] == 0) {
            throw new DeviceUnavailableException("CUDA is unavailable: no CUDA device found (cuDeviceGetCount: "
                    + errorName(rc) + ", count " + count[0] + ")");
        }
        if (ordinal >= count[0]) {
            throw new DeviceUnavailableException("CUDA device " + ordinal + " requested, but only " + count[0] + " present");
        }
        try {
            return new JavaCppDriver(ordinal, options.sync());
        } catch (CudaException e) {
            throw new DeviceUnavailableException("CUDA device " + ordinal + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Turns a JavaCPP loading failure into a message naming the missing library. */
    static String explainLoadFailure(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        String msg = all.toString();
        String what;
        if (msg.contains("libcuda.so")) {
            what = "the NVIDIA driver library libcuda.so.1 is not installed (no NVIDIA driver on this machine)";
        } else if (msg.contains("libcudart.so")) {
            what = "the CUDA 13 runtime libcudart.so.13 was not found (install CUDA 13 or put its lib directory on LD_LIBRARY_PATH)";
        } else if (msg.contains("libcublas")) {
            what = "cuBLAS (libcublas.so.13) was not found (put the CUDA 13 lib directory on LD_LIBRARY_PATH)";
        } else if (e instanceof NoClassDefFoundError || msg.contains("jnicudart") && msg.contains("no ")) {
            what = "JavaCPP's CUDA bindings for " + Loader.getPlatform()
                    + " are missing (add org.bytedeco:cuda and org.bytedeco:javacpp with the platform classifier)";
        } else {
            what = "the CUDA libraries could not be loaded";
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String missing = missingLibraries();
        return "CUDA is unavailable: " + what + "." + (missing.isEmpty() ? "" : " Not found on this machine: " + missing + ".")
                + " Loader said: " + root;
    }

    /** Which of the libraries the CUDA backend needs are absent from LD_LIBRARY_PATH and the usual system directories. */
    static String missingLibraries() {
        java.util.List<String> dirs = new java.util.ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(java.util.Arrays.asList(ld.split(":")));
        }
        dirs.addAll(java.util.List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu",
                "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/wsl/lib"));
        StringBuilder sb = new StringBuilder();
        for (String lib : new String[] {"libcuda.so.1", "libcudart.so.13", "libcublas.so.13"}) {
            boolean found = false;
            for (String d : dirs) {
                if (!d.isEmpty() && java.nio.file.Files.exists(java.nio.file.Path.of(d, lib))) {
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

    private void makeCurrent() {
        if (!current.get()) {
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            current.set(Boolean.TRUE);
        }
    }

    static String errorName(int rc) {
        try {
            PointerPointer<?> pp = new PointerPointer<>(1);
            if (cuGetErrorName(rc, pp) == CUDA_SUCCESS && pp.get(0) != null) {
                String name = new BytePointer(pp.get(0)).getString();
                pp.close();
                return name + " (" + rc + ")";
            }
        } catch (Throwable ignored) {
            // fall through
        }
        return "CUDA error " + rc;
    }

    private static void check(int rc, String call) {
        if (rc != CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + errorName(rc), rc);
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String describe() {
        return deviceName + " (device " + ordinal + ", compute capability " + cc / 10 + "." + cc % 10 + ", "
                + (totalMemory >> 20) + " MiB), driver CUDA " + driverVersion / 1000 + "." + (driverVersion % 1000) / 10
                + ", kernels " + image();
    }

    @Override
    public int computeCapability() {
        return cc;
    }

    @Override
    public boolean hasVendorLibraries() {
        return true;
    }

    /**
     * A kernel image in the kiln-kernels jar: SASS ({@code cubin/<family>.<arch>.cubin}, loaded as is)
     * or PTX ({@code ptx/<family>.<arch>.ptx}, JIT-compiled by the driver).
     */
    record Image(boolean sass, String arch) {
        String path(String family) {
            return sass ? CUBIN_DIR + family + "." + arch + ".cubin" : PTX_DIR + family + "." + arch + ".ptx";
        }

        String file(String family) {
            return family + "." + arch + (sass ? ".cubin" : ".ptx");
        }

        @Override
        public String toString() {
            return sass ? "SASS " + arch : "PTX " + arch + " (JIT)";
        }
    }

    /**
     * The image a device of compute capability {@code cc} (major * 10 + minor) loads: the
     * {@code sm_90a} cubin on 9.0 (its Hopper-only instructions run nowhere else), the {@code sm_80}
     * cubin on any 8.x (SASS runs on later minor versions of its major one), and the
     * {@code compute_80} PTX, JIT-compiled by the driver, on every other card.
     */
    static Image image(int cc) {
        if (cc == 90) {
            return new Image(true, "sm_90a");
        }
        if (cc >= 80 && cc < 90) {
            return new Image(true, "sm_80");
        }
        return new Image(false, "sm_80");
    }

    /** The kind of image this device's kernel families are loaded from, e.g. {@code SASS sm_90a}. */
    Image image() {
        return image(cc);
    }

    /** The image each loaded family actually came from (family to image). */
    Map<String, Image> loadedImages() {
        return Map.copyOf(loadedFrom);
    }

    private CUmod_st module(String family) {
        CUmod_st m = modules.get(family);
        if (m != null) {
            return m;
        }
        synchronized (modules) {
            m = modules.get(family);
            if (m != null) {
                return m;
            }
            makeCurrent();
            Image img = image();
            byte[] bytes = resource(img.path(family));
            if (bytes == null && img.sass()) {
                // A kernels jar built before cubins were packaged: the same code as PTX, JIT-compiled.
                Image ptx = new Image(false, img.arch());
                System.getLogger("dev.kiln.cuda").log(System.Logger.Level.WARNING, "no " + img.path(family)
                        + " in the class path; loading " + ptx.path(family) + " (driver JIT) instead");
                img = ptx;
                bytes = resource(img.path(family));
            }
            if (bytes == null) {
                throw new CudaException("kernel family '" + family + "' not found: no resource " + image().path(family)
                        + " (is the kiln-kernels jar on the class path?)");
            }
            byte[] z = bytes;
            if (!img.sass()) {
                z = new byte[bytes.length + 1]; // PTX is passed as a NUL-terminated string
                System.arraycopy(bytes, 0, z, 0, bytes.length);
            }
            m = new CUmod_st();
            BytePointer image = new BytePointer(z);
            // Ask for the error log, so an image the driver rejects (e.g. a newer PTX ISA) says why.
            int logBytes = 8192;
            BytePointer log = new BytePointer(logBytes);
            log.put(0, (byte) 0);
            PointerPointer<?> values = new PointerPointer<>(2);
            values.put(0, log);
            values.put(1, new Pointer() {
                {
                    this.address = logBytes; // CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES is passed by value in the pointer slot
                }
            });
            int[] options = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
            int rc = cuModuleLoadDataEx(m, image, options.length, options, values);
            if (rc != CUDA_SUCCESS) {
                String jit = log.getString().trim();
                throw new CudaException("cuModuleLoadDataEx(" + img.file(family) + ", " + img + ", " + bytes.length
                        + " bytes, device compute capability " + cc / 10 + "." + cc % 10 + ") failed: " + errorName(rc)
                        + (jit.isEmpty() ? "" : "; log: " + jit), rc);
            }
            image.close();
            log.close();
            values.close();
            modules.put(family, m);
            loadedFrom.put(family, img);
            return m;
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = JavaCppDriver.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new CudaException("cannot read " + path + ": " + e.getMessage());
        }
    }

    @Override
    public Function function(String family, String name) {
        CuFunction f = functions.get(name);
        if (f != null) {
            return f;
        }
        makeCurrent(); // module() skips it when the module is loaded already (by another thread)
        CUmod_st m = module(family);
        CUfunc_st h = new CUfunc_st();
        int rc = cuModuleGetFunction(h, m, name);
        if (rc != CUDA_SUCCESS) {
            String image = loadedFrom.getOrDefault(family, image()).file(family);
            throw new CudaException((rc == CUDA_ERROR_NOT_FOUND ? "kernel '" + name + "' not found in family '" + family + "' ("
                    + image + "): cuModuleGetFunction" : "cuModuleGetFunction(" + name + ", family '" + family + "', " + image + ")")
                    + " failed with " + errorName(rc), rc);
        }
        f = new CuFunction(family, name, h);
        functions.put(name, f);
        return f;
    }

    @Override
    public long malloc(long bytes) {
        makeCurrent();
        long[] p = new long[1];
        check(cuMemAlloc(p, Math.max(bytes, 1)), "cuMemAlloc(" + bytes + " bytes)");
        return p[0];
    }

    @Override
    public void free(long ptr) {
        makeCurrent();
        check(cuMemFree(ptr), "cuMemFree(0x" + Long.toHexString(ptr) + ")");
    }

    /** Allocates the pinned staging buffer and its two halves' events on first use. */
    private void staging() {
        if (staging == null) {
            PointerPointer<?> pp = new PointerPointer<>(1);
            check(cuMemAllocHost(pp, STAGING_BYTES), "cuMemAllocHost(" + STAGING_BYTES + " bytes, pinned staging)");
            staging = pp.get(0);
            for (int i = 0; i < 2; i++) {
                long at = staging.address() + i * STAGING_CHUNK;
                halves[i] = new Pointer() {
                    {
                        this.address = at;
                    }
                };
                CUevent_st e = new CUevent_st();
                check(cuEventCreate(e, CU_EVENT_DISABLE_TIMING), "cuEventCreate(staging half " + i + ")");
                halfDone[i] = e;
            }
        }
    }

    /** Takes the next staging half once the copy that last used it has completed. */
    private int takeHalf() {
        int h = nextHalf;
        nextHalf ^= 1;
        check(cuEventSynchronize(halfDone[h]), "cuEventSynchronize(staging half " + h + ")");
        return h;
    }

    private static int elementBytes(Object array) {
        if (array instanceof float[] || array instanceof int[]) {
            return 4;
        }
        if (array instanceof long[] || array instanceof double[]) {
            return 8;
        }
        if (array instanceof byte[]) {
            return 1;
        }
        throw new IllegalArgumentException("unsupported host array " + array.getClass().getSimpleName());
    }

    /** Copies {@code count} elements between a Java array and the pinned buffer. */
    private static void stage(Pointer pinned, Object array, int index, int count, boolean toPinned) {
        if (array instanceof float[]) {
            FloatPointer p = new FloatPointer(pinned);
            if (toPinned) {
                p.put((float[]) array, index, count);
            } else {
                p.get((float[]) array, index, count);
            }
        } else if (array instanceof int[]) {
            IntPointer p = new IntPointer(pinned);
            if (toPinned) {
                p.put((int[]) array, index, count);
            } else {
                p.get((int[]) array, index, count);
            }
        } else if (array instanceof long[]) {
            LongPointer p = new LongPointer(pinned);
            if (toPinned) {
                p.put((long[]) array, index, count);
            } else {
                p.get((long[]) array, index, count);
            }
        } else {
            BytePointer p = new BytePointer(pinned);
            if (toPinned) {
                p.put((byte[]) array, index, count);
            } else {
                p.get((byte[]) array, index, count);
            }
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** The stream behind a handle; {@code 0} is the legacy default stream. */
    private CUstream_st stream(long stream, String call) {
        if (stream == DEFAULT_STREAM) {
            return null;
        }
        CUstream_st s = streams.get(stream);
        if (s == null) {
            throw new CudaException(call + " failed: stream " + hex(stream) + " is not a live stream of this driver"
                    + " (never created or already destroyed): CUDA_ERROR_INVALID_HANDLE (" + INVALID_HANDLE + ")", INVALID_HANDLE);
        }
        return s;
    }

    /**
     * For vendor libraries that take a stream (cuDNN, {@link CudnnConv}): makes this driver's
     * context current on the calling thread and returns the stream behind {@code stream} (null for
     * the legacy default stream), refusing a handle this driver did not create like every call here.
     */
    CUstream_st cuStream(long stream, String call) {
        makeCurrent();
        return stream(stream, call);
    }

    @Override
    public void copyHtoDAsync(long stream, long dst, Object array, long arrayOffset, long bytes) {
        makeCurrent();
        int eb = elementBytes(array);
        CUstream_st st = stream(stream, "cuMemcpyHtoDAsync(" + hex(dst) + ", " + bytes + " bytes, stream " + hex(stream) + ")");
        synchronized (stagingLock) {
            staging();
            for (long done = 0; done < bytes; ) {
                long chunk = Math.min(STAGING_CHUNK, bytes - done);
                int h = takeHalf();
                stage(halves[h], array, (int) ((arrayOffset + done) / eb), (int) (chunk / eb), true);
                check(cuMemcpyHtoDAsync(dst + done, halves[h], chunk, st),
                        "cuMemcpyHtoDAsync(" + hex(dst + done) + ", " + chunk + " bytes, stream " + hex(stream) + ")");
                check(cuEventRecord(halfDone[h], st), "cuEventRecord(staging half " + h + ", stream " + hex(stream) + ")");
                done += chunk;
            }
        }
    }

    @Override
    public void copyDtoH(long stream, Object array, long arrayOffset, long src, long bytes) {
        makeCurrent();
        int eb = elementBytes(array);
        CUstream_st st = stream(stream, "cuMemcpyDtoHAsync(" + hex(src) + ", " + bytes + " bytes, stream " + hex(stream) + ")");
        synchronized (stagingLock) {
            staging();
            // Chunk i+1 is in flight into one half while chunk i is copied out of the other.
            long issued = 0;
            int[] half = new int[2];
            long[] at = new long[2], len = new long[2];
            int inFlight = 0;
            for (long done = 0; done < bytes; ) {
                while (inFlight < 2 && issued < bytes) {
                    long chunk = Math.min(STAGING_CHUNK, bytes - issued);
                    int h = takeHalf();
                    check(cuMemcpyDtoHAsync(halves[h], src + issued, chunk, st),
                            "cuMemcpyDtoHAsync(" + hex(src + issued) + ", " + chunk + " bytes, stream " + hex(stream) + ")");
                    check(cuEventRecord(halfDone[h], st), "cuEventRecord(staging half " + h + ", stream " + hex(stream) + ")");
                    int slot = (int) ((issued / STAGING_CHUNK) & 1);
                    half[slot] = h;
                    at[slot] = issued;
                    len[slot] = chunk;
                    issued += chunk;
                    inFlight++;
                }
                int slot = (int) ((done / STAGING_CHUNK) & 1);
                int h = half[slot];
                check(cuEventSynchronize(halfDone[h]), "cuEventSynchronize(staging half " + h + ", after cuMemcpyDtoHAsync("
                        + hex(src + at[slot]) + ", " + len[slot] + " bytes, stream " + hex(stream) + "))");
                stage(halves[h], array, (int) ((arrayOffset + done) / eb), (int) (len[slot] / eb), false);
                done += len[slot];
                inFlight--;
            }
        }
    }

    @Override
    public void copyDtoDAsync(long stream, long dst, long src, long bytes) {
        makeCurrent();
        String call = "cuMemcpyDtoDAsync(" + hex(dst) + ", " + hex(src) + ", " + bytes + " bytes, stream " + hex(stream) + ")";
        check(cuMemcpyDtoDAsync(dst, src, bytes, stream(stream, call)), call);
    }

    @Override
    public void memsetD8Async(long stream, long dst, byte value, long bytes) {
        makeCurrent();
        String call = "cuMemsetD8Async(" + hex(dst) + ", " + bytes + " bytes, stream " + hex(stream) + ")";
        check(cuMemsetD8Async(dst, value, bytes, stream(stream, call)), call);
    }

    @Override
    public void memsetD32Async(long stream, long dst, int value, long count) {
        makeCurrent();
        String call = "cuMemsetD32Async(" + hex(dst) + ", " + count + " words, stream " + hex(stream) + ")";
        check(cuMemsetD32Async(dst, value, count, stream(stream, call)), call);
    }

    @Override
    public long address(ByteBuffer direct) {
        return new BytePointer(direct).address();
    }

    @Override
    public void launch(long stream, Function f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, LaunchArgs args) {
        makeCurrent();
        CUstream_st st = stream(stream, "cuLaunchKernel(" + f.name() + " [" + f.family() + "], stream " + hex(stream) + ")");
        if (args != wrappedArgs) {
            // Wrapped once per LaunchArgs: the pointer array is rewritten in place for every launch.
            params = new PointerPointer<>(new BytePointer(args.pointerBuffer()));
            wrappedArgs = args;
        }
        int rc = cuLaunchKernel(((CuFunction) f).handle(), gx, gy, gz, bx, by, bz, sharedBytes, st,
                params, (PointerPointer<?>) null);
        if (rc != CUDA_SUCCESS) {
            throw new CudaException("cuLaunchKernel(" + f.name() + " [" + f.family() + "], grid=(" + gx + "," + gy + "," + gz
                    + "), block=(" + bx + "," + by + "," + bz + "), smem=" + sharedBytes + ", args=" + args.describe()
                    + ", stream " + hex(stream) + ") failed: " + errorName(rc), rc);
        }
        if (sync) {
            rc = cuCtxSynchronize();
            if (rc != CUDA_SUCCESS) {
                throw new CudaException("kernel " + f.name() + " [" + f.family() + "], grid=(" + gx + "," + gy + "," + gz
                        + "), block=(" + bx + "," + by + "," + bz + "), args=" + args.describe() + " failed while running: "
                        + errorName(rc), rc);
            }
        }
    }

    @Override
    public void synchronize() {
        makeCurrent();
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    @Override
    public long streamCreate() {
        makeCurrent();
        CUstream_st s = new CUstream_st();
        check(cuStreamCreate(s, CU_STREAM_NON_BLOCKING), "cuStreamCreate(CU_STREAM_NON_BLOCKING)");
        streams.put(s.address(), s);
        return s.address();
    }

    @Override
    public void streamDestroy(long stream) {
        makeCurrent();
        String call = "cuStreamDestroy(stream " + hex(stream) + ")";
        if (stream == DEFAULT_STREAM) {
            throw new CudaException(call + " failed: the default stream cannot be destroyed: CUDA_ERROR_INVALID_HANDLE ("
                    + INVALID_HANDLE + ")", INVALID_HANDLE);
        }
        CUstream_st s = stream(stream, call);
        streams.remove(stream);
        check(cuStreamDestroy(s), call);
    }

    @Override
    public void streamSynchronize(long stream) {
        makeCurrent();
        String call = "cuStreamSynchronize(stream " + hex(stream) + ")";
        check(cuStreamSynchronize(stream(stream, call)), call);
    }

    @Override
    public void streamWaitEvent(long stream, long event) {
        makeCurrent();
        String call = "cuStreamWaitEvent(stream " + hex(stream) + ", event " + hex(event) + ")";
        check(cuStreamWaitEvent(stream(stream, call), event(event, call), 0), call);
    }

    @Override
    public long eventCreate(boolean timing) {
        makeCurrent();
        CUevent_st e = new CUevent_st();
        check(cuEventCreate(e, timing ? CU_EVENT_DEFAULT : CU_EVENT_DISABLE_TIMING),
                timing ? "cuEventCreate(CU_EVENT_DEFAULT)" : "cuEventCreate(CU_EVENT_DISABLE_TIMING)");
        events.put(e.address(), e);
        return e.address();
    }

    private CUevent_st event(long id, String call) {
        CUevent_st e = events.get(id);
        if (e == null) {
            throw new CudaException(call + " failed: event " + hex(id) + " is not a live event of this driver"
                    + " (never created or already destroyed): CUDA_ERROR_INVALID_HANDLE (" + INVALID_HANDLE + ")", INVALID_HANDLE);
        }
        return e;
    }

    @Override
    public void eventRecord(long event, long stream) {
        makeCurrent();
        String call = "cuEventRecord(event " + hex(event) + ", stream " + hex(stream) + ")";
        check(cuEventRecord(event(event, call), stream(stream, call)), call);
    }

    @Override
    public void eventSynchronize(long event) {
        makeCurrent();
        String call = "cuEventSynchronize(event " + hex(event) + ")";
        check(cuEventSynchronize(event(event, call)), call);
    }

    @Override
    public float eventElapsed(long start, long end) {
        makeCurrent();
        String call = "cuEventElapsedTime(" + hex(start) + ", " + hex(end) + ")";
        check(cuEventSynchronize(event(end, call)), "cuEventSynchronize(event " + hex(end) + ")");
        float[] ms = new float[1];
        check(cuEventElapsedTime(ms, event(start, call), event(end, call)), call);
        return ms[0];
    }

    @Override
    public void eventDestroy(long event) {
        makeCurrent();
        CUevent_st e = events.remove(event);
        if (e != null) {
            check(cuEventDestroy(e), "cuEventDestroy");
        }
    }

    /** A FloatPointer at a device address (cuBLAS reads device memory through it). */
    private static FloatPointer device(long address) {
        return new FloatPointer() {
            {
                this.address = address;
            }
        };
    }

    private synchronized cublasContext blas() {
        if (blas == null) {
            makeCurrent();
            try {
                Loader.load(cublas.class);
            } catch (Throwable e) {
                throw new CudaException(explainLoadFailure(e).replace("CUDA is unavailable", "cuBLAS is unavailable"));
            }
            cublasContext h = new cublasContext();
            int rc = cublas.cublasCreate_v2(h);
            if (rc != cublas.CUBLAS_STATUS_SUCCESS) {
                throw new CudaException("cublasCreate failed: " + cublasStatus(rc), rc);
            }
            blas = h;
            alphaHost = new FloatPointer(1);
            betaHost = new FloatPointer(1);
        }
        return blas;
    }

    /** Points cuBLAS at {@code stream} (it queues its kernels there) unless it is already there. */
    private void blasStream(cublasContext h, long stream) {
        if (blasStream != stream) {
            String call = "cublasSetStream(stream " + hex(stream) + ")";
            int rc = cublas.cublasSetStream_v2(h, stream(stream, call));
            if (rc != cublas.CUBLAS_STATUS_SUCCESS) {
                throw new CudaException(call + " failed: " + cublasStatus(rc), rc);
            }
            blasStream = stream;
        }
    }

    private static String cublasStatus(int rc) {
        try {
            return cublas.cublasGetStatusString(rc).getString() + " (" + rc + ")";
        } catch (Throwable e) {
            return "cuBLAS status " + rc;
        }
    }

    @Override
    public synchronized void vendorSgemm(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                                         long a, long strideA, long b, long strideB, float beta, long c, long strideC) {
        cublasContext h = blas();
        makeCurrent();
        blasStream(h, stream);
        int lda = transA ? m : k, ldb = transB ? k : n;
        FloatPointer al = alphaHost.put(0, alpha), be = betaHost.put(0, beta);
        // Row-major C = op(A)·op(B) is column-major C^T = op(B)^T·op(A)^T: swap the operands.
        int rc = cublas.cublasSgemmStridedBatched(h, transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, n, m, k, al, device(b), ldb, strideB,
                device(a), lda, strideA, be, device(c), n, strideC, batch);
        if (rc != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException("cublasSgemmStridedBatched(transA=" + transA + ", transB=" + transB + ", batch=" + batch
                    + ", m=" + m + ", n=" + n + ", k=" + k + ", A=0x" + Long.toHexString(a) + ", B=0x" + Long.toHexString(b)
                    + ", C=0x" + Long.toHexString(c) + ") failed: " + cublasStatus(rc), rc);
        }
    }

    @Override
    public synchronized void vendorGemmEx(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                                          long a, long strideA, long b, long strideB, float beta, long c, long strideC,
                                          GemmType ab, GemmType cType, GemmCompute compute) {
        cublasContext h = blas();
        makeCurrent();
        blasStream(h, stream);
        int lda = transA ? m : k, ldb = transB ? k : n;
        FloatPointer al = alphaHost.put(0, alpha), be = betaHost.put(0, beta);
        int abType = ab == GemmType.BF16 ? CUDA_R_16BF : CUDA_R_32F, ct = cType == GemmType.BF16 ? CUDA_R_16BF : CUDA_R_32F;
        int computeType = compute == GemmCompute.TF32 ? cublas.CUBLAS_COMPUTE_32F_FAST_TF32 : cublas.CUBLAS_COMPUTE_32F;
        // Row-major C = op(A)·op(B) is column-major C^T = op(B)^T·op(A)^T: swap the operands.
        int rc = cublas.cublasGemmStridedBatchedEx(h, transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, n, m, k, al, device(b), abType, ldb, strideB,
                device(a), abType, lda, strideA, be, device(c), ct, n, strideC, batch, computeType, cublas.CUBLAS_GEMM_DEFAULT);
        if (rc != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException("cublasGemmStridedBatchedEx(" + ab + " x " + ab + " -> " + cType + ", compute " + compute
                    + ", transA=" + transA + ", transB=" + transB + ", batch=" + batch + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", A=0x" + Long.toHexString(a) + ", B=0x" + Long.toHexString(b) + ", C=0x" + Long.toHexString(c)
                    + ") failed: " + cublasStatus(rc), rc);
        }
    }

    @Override
    public synchronized void close() {
        makeCurrent();
        if (blas != null) {
            cublas.cublasDestroy_v2(blas);
            blas = null;
        }
        cuCtxSynchronize();
        if (staging != null) {
            cuMemFreeHost(staging);
            staging = null;
            for (CUevent_st e : halfDone) {
                cuEventDestroy(e);
            }
        }
        for (CUstream_st st : streams.values()) {
            cuStreamDestroy(st);
        }
        streams.clear();
        for (CUmod_st m : modules.values()) {
            cuModuleUnload(m);
        }
        modules.clear();
        functions.clear();
        cuDevicePrimaryCtxRelease(ordinal);
    }
}
