package dev.kiln.bench.gpu;

import dev.kiln.kernels.Kernels;
import dev.kiln.cuda.CudaDriver;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The GEMM cases the GPU benchmarks time: row-major {@code C = A·B} (A M×K, B K×N, no transposes,
 * alpha 1, beta 0) with Kiln's kernels launched raw through {@code CudaBackend.launch} and with
 * cuBLAS through the driver's vendor entry points, on the same device buffers.
 */
final class GemmCases {

    private GemmCases() {
    }

    /** Operand precision: what A, B and C hold and how products are formed. */
    enum Precision {
        FP32("FP32"), TF32("TF32 (FP32 in/out)"), BF16("BF16 (FP32 accumulate, BF16 out)");

        final String label;

        Precision(String label) {
            this.label = label;
        }
    }

    /** One implementation: ours (a gemm.cu entry point) or cuBLAS. */
    enum Impl {
        SIMTV4(Precision.FP32, Kernels.Gemm.SIMTV4_F32, 256, 128, 128),
        CUBLAS_SGEMM(Precision.FP32, null, 0, 0, 0),
        TF32V4(Precision.TF32, Kernels.Gemm.TF32V4_F32, 256, 128, 128),
        CUBLAS_TF32(Precision.TF32, null, 0, 0, 0),
        MMAV8(Precision.BF16, Kernels.Gemm.MMAV8_BF16, 256, 128, 128),
        WGMMA(Precision.BF16, Kernels.Gemm.WGMMA_BF16, 128, 64, 128),
        CUBLAS_BF16(Precision.BF16, null, 0, 0, 0);

        final Precision precision;
        final Kernels.Entry kernel;
        final int threads, bm, bn;

        Impl(Precision p, Kernels.Entry kernel, int threads, int bm, int bn) {
            this.precision = p;
            this.kernel = kernel;
            this.threads = threads;
            this.bm = bm;
            this.bn = bn;
        }

        boolean vendor() {
            return kernel == null;
        }

        String label() {
            switch (this) {
                case CUBLAS_SGEMM: return "cublasSgemm";
                case CUBLAS_TF32: return "cublasGemmEx TF32";
                case CUBLAS_BF16: return "cublasGemmEx BF16";
                default: return "kiln " + name().toLowerCase(Locale.ROOT);
            }
        }

        /** The cuBLAS implementation of the same precision. */
        Impl baseline() {
            switch (precision) {
                case FP32: return CUBLAS_SGEMM;
                case TF32: return CUBLAS_TF32;
                default: return CUBLAS_BF16;
            }
        }

        /** Null when this implementation can run on {@code g}, else why not. */
        String unavailable(GpuContext g) {
            if (vendor() && !g.vendor()) {
                return "cuBLAS needs a real GPU (the " + g.driver.name() + " driver has no vendor libraries)";
            }
            if (this == WGMMA && !(g.cc() == 90 && !g.emulated())) {
                return "wgmma needs the sm_90a PTX (compute capability 9.0), this device is " + g.cc() / 10 + "." + g.cc() % 10
                        + (g.emulated() ? " (emulator)" : "");
            }
            return null;
        }
    }

    /** M×N×K. */
    record Shape(int m, int n, int k) {
        static Shape parse(String s) {
            String[] p = s.toLowerCase(Locale.ROOT).split("x");
            if (p.length == 1) {
                int v = Integer.parseInt(p[0].trim());
                return new Shape(v, v, v);
            }
            if (p.length != 3) {
                throw new IllegalArgumentException("shape must be N or MxNxK, got '" + s + "'");
            }
            return new Shape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
        }

        double flops() {
            return 2.0 * m * n * k;
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k;
        }
    }

    /** Device operands of one precision and shape: A, B (random uniform in [-1, 1)) and C. */
    static final class Operands implements AutoCloseable {
        final GpuContext g;
        final Shape s;
        final boolean bf16;
        final float[] hostA, hostB;
        final long a, b, c;

        Operands(GpuContext g, Shape s, Precision p, long seed) {
            this.g = g;
            this.s = s;
            this.bf16 = p == Precision.BF16;
            float[] ha = uniforms((long) s.m() * s.k(), seed), hb = uniforms((long) s.k() * s.n(), seed + 1);
            this.hostA = bf16 ? GpuContext.roundBf16(ha) : ha;
            this.hostB = bf16 ? GpuContext.roundBf16(hb) : hb;
            this.a = bf16 ? g.uploadBf16(ha) : g.uploadF32(ha);
            this.b = bf16 ? g.uploadBf16(hb) : g.uploadF32(hb);
            this.c = g.driver.malloc(cBytes());
        }

        long cBytes() {
            long n = (long) s.m() * s.n();
            return bf16 ? 2 * (n + (n & 1)) : 4 * n;
        }

        float[] downloadC() {
            int n = Math.toIntExact((long) s.m() * s.n());
            return bf16 ? g.downloadBf16(c, n) : g.downloadF32(c, n);
        }

        @Override
        public void close() {
            g.driver.free(a);
            g.driver.free(b);
            g.driver.free(c);
        }
    }

    static float[] uniforms(long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[Math.toIntExact(n)];
        for (int i = 0; i < x.length; i++) {
            float v = (r.nextInt() >> 8) * 0x1p-23f;      // uniform in [-1, 1), 24 bits
            x[i] = v == 0f ? 0x1p-24f : v;
        }
        return x;
    }

    /** The call that computes C = A·B with {@code impl} on {@code o} (launches only; no synchronisation). */
    static Runnable op(GpuContext g, Impl impl, Operands o) {
        Shape s = o.s;
        CudaDriver d = g.driver;
        switch (impl) {
            case CUBLAS_SGEMM:
                return () -> d.vendorSgemm(false, false, 1, s.m(), s.n(), s.k(), 1f, o.a, 0, o.b, 0, 0f, o.c, 0);
            case CUBLAS_TF32:
                return () -> d.vendorGemmEx(false, false, 1, s.m(), s.n(), s.k(), 1f, o.a, 0, o.b, 0, 0f, o.c, 0,
                        CudaDriver.GemmType.F32, CudaDriver.GemmType.F32, CudaDriver.GemmCompute.TF32);
            case CUBLAS_BF16:
                return () -> d.vendorGemmEx(false, false, 1, s.m(), s.n(), s.k(), 1f, o.a, 0, o.b, 0, 0f, o.c, 0,
                        CudaDriver.GemmType.BF16, CudaDriver.GemmType.BF16, CudaDriver.GemmCompute.F32);
            default:
                int[] grid = {(s.n() + impl.bn - 1) / impl.bn, (s.m() + impl.bm - 1) / impl.bm, 1};
                int[] block = {impl.threads, 1, 1};
                return () -> g.backend.launch(impl.kernel, grid, block, 0, args -> args
                        .ptr(o.a).ptr(o.b).ptr(o.c).ptr(0)
                        .i32(s.m()).i32(s.n()).i32(s.k()).i32(s.k()).i32(s.n()).i32(s.n())
                        .i64(0).i64(0).i64(0)
                        .f32(1f).f32(0f).i32(0).i32(0).i32(0));
        }
    }

    /** Tolerance of ‖ours − reference‖/‖reference‖ for a precision (reference: cuBLAS or double on the host). */
    static double tolerance(Precision p) {
        switch (p) {
            case FP32: return 1e-4;
            case TF32: return 1e-2;
            default: return 2e-2;
        }
    }
}
