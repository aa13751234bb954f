package dev.kiln.bench.gpu;

import dev.kiln.DeviceUnavailableException;
import dev.kiln.cuda.CudaBackend;
import dev.kiln.cuda.CudaDriver;
import dev.kiln.cuda.CudaProvider;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The CUDA backend a GPU benchmark or check runs on, plus what they share: device-event timing
 * (warm-up, batches of at least about a millisecond, median of repeats), random non-zero data,
 * bf16 packing, and the library versions.
 *
 * <p>The driver is the one {@link CudaProvider} selects ({@code -Dkiln.cuda.driver} /
 * {@code KILN_CUDA_DRIVER}): the real GPU by default, the SIMT emulator for smoke runs.
 */
final class GpuContext {

    final CudaBackend backend;
    final CudaDriver driver;

    private GpuContext(CudaBackend backend) {
        this.backend = backend;
        this.driver = backend.driver();
    }

    /** Opens device 0; throws {@link DeviceUnavailableException} saying why when there is none. */
    static GpuContext open() {
        return new GpuContext(CudaProvider.open(CudaProvider.driverName(), 0));
    }

    boolean emulated() {
        return driver.name().equals("emulator");
    }

    boolean vendor() {
        return driver.hasVendorLibraries();
    }

    int cc() {
        return driver.computeCapability();
    }

    /**
     * One line: device, driver, the kernel image loaded (SASS or PTX), and the loaded CUDA runtime,
     * cuBLAS and cuDNN versions where the vendor libraries are present.
     */
    String describe() {
        String s = driver.name() + ": " + driver.describe();
        if (vendor()) {
            s += ", CUDA runtime " + runtimeVersion() + ", cuBLAS " + cublasVersion() + ", cuDNN " + cudnnVersion();
        }
        return s;
    }

    /** The CUDA runtime's version (cudaRuntimeGetVersion) as major.minor. */
    static String runtimeVersion() {
        try {
            int[] v = new int[1];
            int rc = org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion(v);
            return rc != 0 ? "unknown (cudaRuntimeGetVersion returned " + rc + ")" : v[0] / 1000 + "." + (v[0] % 1000) / 10;
        } catch (Throwable t) {
            return "unknown (" + t + ")";
        }
    }

    /** The loaded cuDNN's version (cudnnGetVersion), or why there is none. */
    static String cudnnVersion() {
        try {
            return dev.kiln.cuda.CudnnConv.version();
        } catch (Throwable t) {
            return "unavailable (" + t.getMessage() + ")";
        }
    }

    /** cuBLAS's version as major.minor.patch (cublasGetProperty; needs no handle). */
    static String cublasVersion() {
        try {
            int[] v = new int[3];
            int[] p = {org.bytedeco.cuda.global.cudart.MAJOR_VERSION, org.bytedeco.cuda.global.cudart.MINOR_VERSION,
                    org.bytedeco.cuda.global.cudart.PATCH_LEVEL};
            for (int i = 0; i < 3; i++) {
                int[] out = new int[1];
                int rc = org.bytedeco.cuda.global.cublas.cublasGetProperty(p[i], out);
                if (rc != 0) {
                    return "unknown (cublasGetProperty returned " + rc + ")";
                }
                v[i] = out[0];
            }
            return v[0] + "." + v[1] + "." + v[2];
        } catch (Throwable t) {
            return "unknown (" + t + ")";
        }
    }

    // ---- timing ------------------------------------------------------------------------------

    /** A timing: the median and the spread (min, max) of the per-call milliseconds. */
    record Timing(double medianMs, double minMs, double maxMs, int batch, int repeats) {
        String spread() {
            return String.format("%.1f%%", 100 * (maxMs - minMs) / medianMs);
        }
    }

    /**
     * Times {@code op} with device events: {@code warmup} calls, then batches of {@code batch}
     * calls between two events (batch chosen so a batch lasts at least {@code minBatchMs}, at
     * most 200 calls), {@code repeats} batches; per-call milliseconds, median over batches. The
     * device is synchronised (every return code checked) before and after.
     */
    Timing time(Runnable op, int warmup, int repeats, double minBatchMs) {
        for (int i = 0; i < warmup; i++) {
            op.run();
        }
        backend.synchronize();
        double one = backend.time(op);
        backend.synchronize();
        int batch = (int) Math.max(1, Math.min(200, Math.ceil(minBatchMs / Math.max(one, 1e-4))));
        double[] ms = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            ms[r] = backend.time(() -> {
                for (int i = 0; i < batch; i++) {
                    op.run();
                }
            }) / (double) batch;
        }
        backend.synchronize();
        double[] s = ms.clone();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
        return new Timing(med, s[0], s[s.length - 1], batch, repeats);
    }

    // ---- data --------------------------------------------------------------------------------

    /** Standard normal floats (never all zero), deterministic per seed. */
    static float[] normals(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller without the log(0) corner.
            double u = 1.0 - r.nextDouble(), v = r.nextDouble();
            x[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return x;
    }

    /** Round-to-nearest-even float to bf16 bits (NaN stays NaN). */
    static int bf16(float f) {
        int b = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (b >>> 16) | 0x40;
        }
        return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
    }

    static float fromBf16(int h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    /** Packs bf16 values two per int, element 2i in the low half (little-endian memory order). */
    static int[] packBf16(float[] x) {
        int[] p = new int[(x.length + 1) / 2];
        for (int i = 0; i < x.length; i++) {
            p[i >> 1] |= bf16(x[i]) << ((i & 1) * 16);
        }
        return p;
    }

    static float[] unpackBf16(int[] p, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = fromBf16(p[i >> 1] >>> ((i & 1) * 16));
        }
        return x;
    }

    /** The float values the bf16 kernels see for {@code x}. */
    static float[] roundBf16(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = fromBf16(bf16(x[i]));
        }
        return y;
    }

    /** Device copy of {@code x} as float32 (raw allocation; free with {@code driver.free}). */
    long uploadF32(float[] x) {
        long p = driver.malloc(4L * x.length);
        driver.copyHtoD(p, x, 0, 4L * x.length);
        return p;
    }

    /** Device copy of {@code x} rounded to bf16 (raw allocation, 16-byte aligned, padded to an even count). */
    long uploadBf16(float[] x) {
        int[] p = packBf16(x);
        long d = driver.malloc(4L * p.length);
        driver.copyHtoD(d, p, 0, 4L * p.length);
        return d;
    }

    float[] downloadF32(long p, int n) {
        float[] x = new float[n];
        driver.copyDtoH(x, 0, p, 4L * n);
        return x;
    }

    float[] downloadBf16(long p, int n) {
        int[] h = new int[(n + 1) / 2];
        driver.copyDtoH(h, 0, p, 4L * h.length);
        return unpackBf16(h, n);
    }

    /** Fills {@code bytes} of device memory with 0xFF (NaN as float32 and bf16) so unwritten outputs show. */
    void poison(long p, long bytes) {
        driver.memsetD8(p, (byte) 0xFF, bytes);
    }

    /** ‖got − want‖ / ‖want‖ in double; NaN if any NaN is present in {@code got}. */
    static double relErr(float[] got, double[] want) {
        double num = 0, den = 0;
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(got[i])) {
                return Double.NaN;
            }
            double d = got[i] - want[i];
            num += d * d;
            den += want[i] * want[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }

    static double relErr(float[] got, float[] want) {
        double[] w = new double[want.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = want[i];
        }
        return relErr(got, w);
    }

    /** Row-major reference C = op(A)·op(B) in double (A stored M×K or K×M, B stored K×N or N×K). */
    static double[] gemmRef(float[] a, float[] b, int m, int n, int k, boolean ta, boolean tb) {
        double[] c = new double[m * n];
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double av = ta ? a[p * m + i] : a[i * k + p];
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        row[j] += av * b[j * k + p];
                    }
                } else {
                    int o = p * n;
                    for (int j = 0; j < n; j++) {
                        row[j] += av * b[o + j];
                    }
                }
            }
            System.arraycopy(row, 0, c, i * n, n);
        }
        return c;
    }
}
