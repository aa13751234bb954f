package dev.kiln.bench.gpu;

import dev.kiln.kernels.Kernels;
import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.bench.gpu.GemmCases.Impl;
import dev.kiln.cuda.CudaException;
import dev.kiln.cuda.Parity;
import dev.kiln.ops.OpRegistry;
import dev.kiln.ops.OpSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The GPU/CPU parity suite as a plain program (the run script's parity step; no JUnit needed on
 * the GPU machine). It covers what {@code native/src/test/.../GpuParityTest} covers, and the bf16
 * GEMM kernels that have no SPI method:
 *
 * <ul>
 *   <li>every op of {@link OpRegistry#all()}, two seeds: CUDA output vs CPU, and for
 *       differentiable ops the gradients of a random-weighted sum (allocations NaN-poisoned:
 *       {@code kiln.cuda.poison=true} is set before the device opens);</li>
 *   <li>FP32 GEMM through the SPI, all transposes, ragged shapes: our simt kernels, our tf32
 *       kernels, and cuBLAS (SGEMM and TF32 GemmEx) vs the CPU;</li>
 *   <li>BF16 GEMM kernels launched raw (mma, mmaf32, mmav8, mmav8f32; wgmma and wgmmaf32 on
 *       sm_90a) and cuBLAS BF16 GemmEx vs a double-precision host reference on the bf16-rounded
 *       inputs, all transposes, C poisoned;</li>
 *   <li>Philox uniforms bit-exact with {@link Generator}.</li>
 * </ul>
 *
 * Runs with {@code kiln.cuda.sync=true} (a synchronise after every launch), so a faulting kernel fails
 * its own case, named. After a sticky CUDA error (illegal address, launch failure, ...: the context
 * is unusable) no further case runs. Prints one line per case and
 * {@code PARITY pass=P fail=F unsupported=U skip=S} last, always, also after a sticky error (then
 * with {@code notrun=N stopped=sticky}) or an unexpected exception (unsupported:
 * ops the CUDA backend throws {@code UnsupportedOperationException} for, listed by name). Exit code
 * 0 when nothing failed or was unsupported, 1 otherwise, 3 when no CUDA device is usable. {@code --smoke} keeps the GEMM
 * shapes small (for the emulator).
 */
public final class GpuParity {

    private int pass, fail, skip, unsupported, notRun;
    /** The case and error that left the context unusable, or null. */
    private String sticky;
    /** Double-precision references, shared by every implementation checked on the same inputs. */
    private final java.util.Map<String, double[]> refs = new java.util.HashMap<>();
    private final List<String> missing = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    GpuParity() {
    }

    public static void main(String[] argv) {
        boolean smoke = false;
        for (String a : argv) {
            if (a.equals("--smoke")) {
                smoke = true;
            } else {
                System.err.println("usage: GpuParity [--smoke]");
                System.exit(2);
            }
        }
        System.setProperty("kiln.cuda.poison", "true");
        // Synchronise after every launch: a faulting kernel is named at its own launch, not at a later call.
        System.setProperty("kiln.cuda.sync", "true");
        GpuContext g;
        Device cuda;
        try {
            g = GpuContext.open();
            cuda = g.backend.device();
        } catch (DeviceUnavailableException e) {
            System.out.println("GpuParity: no usable CUDA device: " + e.getMessage());
            System.exit(3);
            return;
        }
        System.out.println("GPU parity on " + g.describe());
        GpuParity p = new GpuParity();
        try {
            p.registry(cuda);
            p.gemmF32(g, cuda, smoke);
            p.gemmBf16(g, smoke);
            p.philox(cuda);
            if (p.sticky == null) {
                g.backend.synchronize();
            }
        } catch (Throwable t) {
            p.fail++;
            p.failures.add("parity suite: " + t);
            System.out.println("FAIL  parity suite: " + t);
        } finally {
            p.summary();
        }
        System.exit(p.exitCode());
    }

    /** Prints the failures, the ops missing on CUDA and the {@code PARITY} line (always, even after a sticky error). */
    void summary() {
        for (String f : failures) {
            System.out.println("FAILED: " + f);
        }
        for (String m : missing) {
            System.out.println("NOT ON CUDA: " + m);
        }
        if (sticky != null) {
            System.out.println("STOPPED: " + sticky + " (a sticky CUDA error: the context is unusable; " + notRun
                    + " later cases not run)");
        }
        System.out.println(parityLine());
        System.out.flush();
    }

    String parityLine() {
        return "PARITY pass=" + pass + " fail=" + fail + " unsupported=" + unsupported + " skip=" + skip
                + (sticky == null ? "" : " notrun=" + notRun + " stopped=sticky");
    }

    int exitCode() {
        return fail == 0 && unsupported == 0 && sticky == null ? 0 : 1;
    }

    /**
     * CUDA errors after which the context is unusable (every later call returns them): illegal or
     * misaligned address, launch failure or timeout, illegal instruction, device assert, and the like.
     */
    static boolean isSticky(int code) {
        switch (code) {
            case 700: // CUDA_ERROR_ILLEGAL_ADDRESS
            case 702: // CUDA_ERROR_LAUNCH_TIMEOUT
            case 710: // CUDA_ERROR_ASSERT
            case 714: // CUDA_ERROR_HARDWARE_STACK_ERROR
            case 715: // CUDA_ERROR_ILLEGAL_INSTRUCTION
            case 716: // CUDA_ERROR_MISALIGNED_ADDRESS
            case 717: // CUDA_ERROR_INVALID_ADDRESS_SPACE
            case 718: // CUDA_ERROR_INVALID_PC
            case 719: // CUDA_ERROR_LAUNCH_FAILED
            case 720: // CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE
                return true;
            default:
                return false;
        }
    }

    /** The first CUDA exception with a sticky code in {@code t}, its causes and suppressed exceptions, or null. */
    static CudaException stickyIn(Throwable t) {
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        todo.add(t);
        while (!todo.isEmpty()) {
            Throwable x = todo.poll();
            if (!seen.add(x)) {
                continue;
            }
            if (x instanceof CudaException c && isSticky(c.code())) {
                return c;
            }
            if (x.getCause() != null) {
                todo.add(x.getCause());
            }
            todo.addAll(java.util.Arrays.asList(x.getSuppressed()));
        }
        return null;
    }

    void run(String name, ThrowingRunnable check) {
        if (sticky != null) {
            notRun++;
            return;
        }
        try {
            check.run();
            pass++;
            System.out.println("ok    " + name);
        } catch (UnsupportedOperationException e) {
            // An op the CUDA backend does not implement yet: listed, not counted as a wrong result.
            unsupported++;
            missing.add(name + ": " + e.getMessage());
            System.out.println("MISS  " + name + ": " + e.getMessage());
        } catch (Throwable t) {
            fail++;
            String msg = name + ": " + t;
            failures.add(msg);
            System.out.println("FAIL  " + msg);
            CudaException c = stickyIn(t);
            if (c != null) {
                sticky = name + ": " + c.getMessage();
                System.out.println("STOP  sticky CUDA error in " + name + "; no further cases run");
            }
        }
    }

    private void skip(String name, String why) {
        skip++;
        System.out.println("skip  " + name + ": " + why);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- registry ops ------------------------------------------------------------------------

    /** Every registry op, two seeds, through {@link Parity#check}. */
    private void registry(Device cuda) {
        for (long seed : new long[] {7, 2024}) {
            for (OpSpec spec : OpRegistry.all()) {
                run("op " + spec.name() + " seed " + seed, () -> Parity.check(cuda, spec, seed));
            }
        }
    }

    static void expect(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    // ---- FP32 GEMM through the SPI -----------------------------------------------------------

    private void gemmF32(GpuContext g, Device cuda, boolean smoke) {
        int[][] shapes = smoke ? new int[][] {{1, 1, 1}, {17, 129, 17}, {129, 17, 33}}
                : new int[][] {{1, 1, 1}, {17, 129, 17}, {129, 17, 129}, {256, 256, 256}, {1000, 1000, 1000}};
        String[][] variants = {{"own", "simt"}, {"own", "tf32"}, {"vendor", "simt"}, {"vendor", "tf32"}};
        for (String[] v : variants) {
            String label = (v[0].equals("own") ? "kiln " : "cuBLAS ") + v[1];
            if (v[0].equals("vendor") && !g.vendor()) {
                skip("gemm " + label, "cuBLAS needs a real GPU (driver " + g.driver.name() + ")");
                continue;
            }
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    String name = "gemm " + label + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k;
                    run(name, () -> {
                        Tensor a = Tensor.randn(new Generator(1 + m + k), ta ? new int[] {k, m} : new int[] {m, k});
                        Tensor b = Tensor.randn(new Generator(2 + n + k), tb ? new int[] {n, k} : new int[] {k, n});
                        double[] want = refs.computeIfAbsent("f32 " + m + "x" + n + "x" + k + " " + ta + tb,
                                key -> GpuContext.gemmRef(a.toFloatArray(), b.toFloatArray(), m, n, k, ta, tb));
                        float[] got;
                        try (AutoCloseable scope = g.backend.withOptions(
                                g.backend.options().with("kiln.cuda.impl.gemm", v[0]).with("kiln.cuda.gemm.kernel", v[1]))) {
                            got = Tensor.mm(a.to(cuda), ta, b.to(cuda), tb).toFloatArray();
                        }
                        double e = GpuContext.relErr(got, want);
                        double tol = v[1].equals("tf32") ? 5e-3 : 1e-5;
                        expect(e <= tol, String.format(Locale.ROOT, "rel. err %.2e > %.0e", e, tol));
                    });
                }
            }
        }
    }

    // ---- BF16 GEMM kernels, raw launches -----------------------------------------------------

    private record Bf16Kernel(Kernels.Entry kernel, boolean f32Out, int threads, int bm, int bn, boolean wgmma) {
    }

    private void gemmBf16(GpuContext g, boolean smoke) {
        List<Bf16Kernel> kernels = List.of(
                new Bf16Kernel(Kernels.Gemm.MMA_BF16, false, 256, 128, 128, false),
                new Bf16Kernel(Kernels.Gemm.MMAF32_BF16, true, 256, 128, 128, false),
                new Bf16Kernel(Kernels.Gemm.MMAV8_BF16, false, 256, 128, 128, false),
                new Bf16Kernel(Kernels.Gemm.MMAV8F32_BF16, true, 256, 128, 128, false),
                new Bf16Kernel(Kernels.Gemm.WGMMA_BF16, false, 128, 64, 128, true),
                new Bf16Kernel(Kernels.Gemm.WGMMAF32_BF16, true, 128, 64, 128, true),
                new Bf16Kernel(null, false, 0, 0, 0, false));          // cuBLAS BF16 GemmEx
        // M, N, K multiples of 8 (ALIGN8 of the v8 kernels holds for every transpose) but not of the 128-wide tiles.
        int[][] shapes = smoke ? new int[][] {{16, 136, 40}, {136, 24, 72}}
                : new int[][] {{16, 136, 40}, {136, 24, 72}, {264, 136, 200}, {1000, 1000, 1000}};
        for (Bf16Kernel kn : kernels) {
            String label = kn.kernel == null ? "cuBLAS bf16" : kn.kernel.name();
            if (kn.kernel == null && !g.vendor()) {
                skip("gemm " + label, "cuBLAS needs a real GPU (driver " + g.driver.name() + ")");
                continue;
            }
            if (kn.wgmma && Impl.WGMMA.unavailable(g) != null) {
                skip("gemm " + label, Impl.WGMMA.unavailable(g));
                continue;
            }
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    run("gemm " + label + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k,
                            () -> bf16Case(g, kn, m, n, k, ta, tb, refs));
                }
            }
        }
    }

    private static void bf16Case(GpuContext g, Bf16Kernel kn, int m, int n, int k, boolean ta, boolean tb,
                                 java.util.Map<String, double[]> refs) {
        float[] ha = GemmCases.uniforms((long) m * k, 31L * m + k), hb = GemmCases.uniforms((long) k * n, 37L * n + k);
        double[] want = refs.computeIfAbsent("bf16 " + m + "x" + n + "x" + k + " " + ta + tb,
                key -> GpuContext.gemmRef(GpuContext.roundBf16(ha), GpuContext.roundBf16(hb), m, n, k, ta, tb));
        long a = g.uploadBf16(ha), b = g.uploadBf16(hb);
        boolean f32Out = kn.f32Out;
        long cBytes = f32Out ? 4L * m * n : 2L * m * n;
        long c = g.driver.malloc(cBytes);
        Throwable primary = null;
        try {
            g.poison(c, cBytes);
            int lda = ta ? m : k, ldb = tb ? k : n;
            if (kn.kernel == null) {
                g.driver.vendorGemmEx(ta, tb, 1, m, n, k, 1f, a, 0, b, 0, 0f, c, 0,
                        dev.kiln.cuda.CudaDriver.GemmType.BF16, dev.kiln.cuda.CudaDriver.GemmType.BF16,
                        dev.kiln.cuda.CudaDriver.GemmCompute.F32);
            } else {
                int[] grid = {(n + kn.bn - 1) / kn.bn, (m + kn.bm - 1) / kn.bm, 1};
                g.backend.launch(kn.kernel, grid, new int[] {kn.threads, 1, 1}, 0, args -> args
                        .ptr(a).ptr(b).ptr(c).ptr(0).i32(m).i32(n).i32(k).i32(lda).i32(ldb).i32(n)
                        .i64(0).i64(0).i64(0).f32(1f).f32(0f).i32(ta ? 1 : 0).i32(tb ? 1 : 0).i32(0));
            }
            g.backend.synchronize();
            float[] got = f32Out ? g.downloadF32(c, m * n) : g.downloadBf16(c, m * n);
            double e = GpuContext.relErr(got, want);
            double tol = f32Out ? 1e-5 : 8e-3;
            expect(e <= tol, String.format(Locale.ROOT, "rel. err %.2e > %.0e", e, tol));
        } catch (Throwable t) {
            primary = t;
            throw t;
        } finally {
            // After a fault the frees fail too: the first error stays the one thrown, the frees' go under it.
            RuntimeException freeError = null;
            for (long ptr : new long[] {a, b, c}) {
                try {
                    g.driver.free(ptr);
                } catch (RuntimeException freeFailed) {
                    if (primary != null) {
                        primary.addSuppressed(freeFailed);
                    } else if (freeError == null) {
                        freeError = freeFailed;
                    } else {
                        freeError.addSuppressed(freeFailed);
                    }
                }
            }
            if (freeError != null) {
                throw freeError;
            }
        }
    }

    // ---- Philox ------------------------------------------------------------------------------

    private void philox(Device cuda) {
        run("random uniforms bit-exact", () -> {
            float[] want = Tensor.rand(new Generator(3), 100_003).toFloatArray();
            float[] got = Tensor.rand(new Generator(3), cuda, 100_003).toFloatArray();
            expect(java.util.Arrays.equals(want, got), "Philox uniforms differ from dev.kiln.Generator");
        });
    }

}
