package dev.kiln.bench.gpu;

import dev.kiln.DType;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.UnaryOp;
import dev.kiln.bench.gpu.GemmCases.Impl;
import dev.kiln.bench.gpu.GemmCases.Operands;
import dev.kiln.bench.gpu.GemmCases.Precision;
import dev.kiln.bench.gpu.GemmCases.Shape;
import dev.kiln.cuda.CudaBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GPU benchmark table in one JVM, timed with CUDA events (the run script's main; the JMH
 * benchmark {@link GpuGemmBenchmark} measures the same GEMM cases with JMH's harness):
 *
 * <ul>
 *   <li>GEMM, ours vs cuBLAS in the same run: FP32 (simtv4 vs cublasSgemm), TF32 (tf32v4 vs
 *       GemmEx TF32), BF16 (mmav8 and, on sm_90a, wgmma vs GemmEx BF16); TFLOP/s, ratio to
 *       cuBLAS, and every result checked against cuBLAS (or, without cuBLAS, a double-precision
 *       host reference) after NaN-poisoning C.</li>
 *   <li>Bandwidth: add, relu, softmax and AdamW through the backend's SPI (the launches the
 *       library makes) against a device-to-device copy measured in the same run; GB/s counting
 *       bytes read plus bytes written, and % of the copy.</li>
 * </ul>
 *
 * <pre>{@code
 * java -cp ... dev.kiln.bench.gpu.GpuBench [--smoke] [--md FILE] [--gemm-only | --bandwidth-only]
 *      [--shapes 1024,4096,16384x1024x1024] [--elements N]
 * }</pre>
 *
 * Exit code 0 when everything that could run ran and every check passed; 1 on a failed check; 3
 * when no CUDA device is usable (the reason is printed).
 */
public final class GpuBench {

    static final String[] FULL_SHAPES = {"1024", "2048", "4096", "8192", "16384x1024x1024", "1024x1024x16384"};
    static final String[] SMOKE_SHAPES = {"128", "160x96x256"};

    private GpuBench() {
    }

    public static void main(String[] argv) throws IOException {
        boolean smoke = false, gemm = true, bandwidth = true;
        Path md = null;
        String[] shapes = null;
        long elements = 0;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--smoke": smoke = true; break;
                case "--md": md = Path.of(argv[++i]); break;
                case "--gemm-only": bandwidth = false; break;
                case "--bandwidth-only": gemm = false; break;
                case "--shapes": shapes = argv[++i].split(","); break;
                case "--elements": elements = Long.parseLong(argv[++i]); break;
                default:
                    System.err.println("usage: GpuBench [--smoke] [--md FILE] [--gemm-only | --bandwidth-only] "
                            + "[--shapes S,S,...] [--elements N]");
                    System.exit(2);
            }
        }
        if (shapes == null) {
            shapes = smoke ? SMOKE_SHAPES : FULL_SHAPES;
        }
        if (elements == 0) {
            elements = smoke ? 1 << 16 : 1 << 26;
        }
        GpuContext g;
        try {
            g = GpuContext.open();
        } catch (DeviceUnavailableException e) {
            System.out.println("GpuBench: no usable CUDA device: " + e.getMessage());
            System.exit(3);
            return;
        }
        StringBuilder out = new StringBuilder();
        out.append("Device: ").append(g.describe()).append("\n\n");
        if (g.emulated()) {
            out.append("**Emulator run: times are host times of the SIMT emulator, not GPU timings; only the code paths "
                    + "and the result checks mean anything.**\n\n");
        }
        System.out.println("GpuBench on " + g.describe() + (smoke ? " (smoke sizes)" : ""));
        int failures = 0;
        int warmup = smoke ? 1 : 3, repeats = smoke ? 3 : 7;
        double minBatchMs = smoke ? 0 : 2;
        if (gemm) {
            failures += gemmTable(g, shapes, warmup, repeats, minBatchMs, out);
        }
        if (bandwidth) {
            bandwidthTable(g, elements, smoke ? 1 : 3, repeats, minBatchMs, out);
        }
        if (md != null) {
            Files.writeString(md, out.toString());
        }
        System.out.println();
        System.out.print(out);
        System.out.println(failures == 0 ? "GpuBench: all checks passed" : "GpuBench: " + failures + " check(s) FAILED");
        System.exit(failures == 0 ? 0 : 1);
    }

    // ---- GEMM --------------------------------------------------------------------------------

    static int gemmTable(GpuContext g, String[] shapeArgs, int warmup, int repeats, double minBatchMs, StringBuilder out) {
        int failures = 0;
        List<String> skipped = new ArrayList<>();
        out.append("### GEMM, ours vs cuBLAS (row-major C = A·B, A M×K, B K×N, same run)\n\n");
        out.append("| precision | M×N×K | implementation | ms (median) | spread | TFLOP/s | × cuBLAS | rel. err | check |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for (String sa : shapeArgs) {
            Shape s = Shape.parse(sa);
            for (Precision p : Precision.values()) {
                System.out.println("gemm " + p + " " + s + " ...");
                try (Operands o = new Operands(g, s, p, 1000L * s.m() + s.k())) {
                    Map<Impl, Double> tflops = new EnumMap<>(Impl.class);
                    Impl base = null;
                    for (Impl impl : Impl.values()) {
                        if (impl.precision == p && impl.vendor()) {
                            base = impl;
                        }
                    }
                    // Reference: cuBLAS's result where cuBLAS runs, else double on the host (small shapes only).
                    float[] refF = null;
                    double[] refD = null;
                    String refName;
                    String vendorError = null;
                    if (base.unavailable(g) == null) {
                        try {
                            g.poison(o.c, o.cBytes());
                            GemmCases.op(g, base, o).run();
                            g.backend.synchronize();
                            refF = o.downloadC();
                        } catch (RuntimeException e) {
                            // cuBLAS failing must not hide our kernels' rows: count it, go on without it.
                            vendorError = e.toString().replace('|', '/').replace('\n', ' ');
                            if (vendorError.length() > 200) {
                                vendorError = vendorError.substring(0, 200) + "…";
                            }
                            failures++;
                            System.out.println("  FAIL " + base.label() + " " + s + ": " + vendorError);
                        }
                    }
                    if (refF != null) {
                        refName = "cuBLAS";
                    } else if ((double) s.m() * s.n() * s.k() <= 2e8) {
                        refD = GpuContext.gemmRef(o.hostA, o.hostB, s.m(), s.n(), s.k(), false, false);
                        refName = "host double";
                    } else {
                        refName = null;
                    }
                    List<String[]> rows = new ArrayList<>();
                    // cuBLAS first, so the ratio column of ours has its denominator.
                    List<Impl> order = new ArrayList<>();
                    order.add(base);
                    for (Impl impl : Impl.values()) {
                        if (impl.precision == p && !impl.vendor()) {
                            order.add(impl);
                        }
                    }
                    for (Impl impl : order) {
                        String why = impl.unavailable(g);
                        if (impl.vendor() && vendorError != null) {
                            rows.add(new String[] {p.name(), s.toString(), impl.label(), "error: " + vendorError, "–", "–", "–", "–", "FAIL"});
                            continue;
                        }
                        if (why != null) {
                            String note = impl.label() + ": " + why;
                            if (!skipped.contains(note)) {
                                skipped.add(note);
                            }
                            rows.add(new String[] {p.name(), s.toString(), impl.label(), "–", "–", "–", "–", "–", "skipped"});
                            continue;
                        }
                        Runnable op = GemmCases.op(g, impl, o);
                        String err = "–", check = "–";
                        if (!impl.vendor() && refName != null) {
                            g.poison(o.c, o.cBytes());
                            op.run();
                            g.backend.synchronize();
                            float[] got = o.downloadC();
                            double e = refF != null ? GpuContext.relErr(got, refF) : GpuContext.relErr(got, refD);
                            boolean ok = e <= GemmCases.tolerance(p);
                            err = String.format(Locale.ROOT, "%.1e", e);
                            check = (ok ? "ok" : "FAIL") + " vs " + refName;
                            if (!ok) {
                                failures++;
                                System.out.println("  FAIL " + impl.label() + " " + s + ": rel. err " + err + " vs " + refName
                                        + " (tolerance " + GemmCases.tolerance(p) + ")");
                            }
                        }
                        GpuContext.Timing t = g.time(op, warmup, repeats, minBatchMs);
                        double tf = s.flops() / (t.medianMs() * 1e-3) / 1e12;
                        tflops.put(impl, tf);
                        Double b = tflops.get(base);
                        String ratio = impl.vendor() ? "1.00" : b == null ? "–" : String.format(Locale.ROOT, "%.2f", tf / b);
                        rows.add(new String[] {p.name(), s.toString(), impl.label(), fmt(t.medianMs()), t.spread(),
                                String.format(Locale.ROOT, "%.1f", tf), ratio, err, check});
                        System.out.printf(Locale.ROOT, "  %-20s %10.4f ms  %8.2f TFLOP/s  x%s  %s%n", impl.label(), t.medianMs(), tf, ratio, check);
                    }
                    for (String[] r : rows) {
                        out.append("| ").append(String.join(" | ", r)).append(" |\n");
                    }
                } catch (RuntimeException e) {
                    failures++;
                    System.out.println("  FAIL " + p + " " + s + ": " + e);
                    out.append("| ").append(p.name()).append(" | ").append(s).append(" | – | error: ")
                            .append(e.toString().replace('|', '/').replace('\n', ' ')).append(" | | | | | FAIL |\n");
                    g.backend.emptyCache();
                }
            }
        }
        out.append("\nTFLOP/s = 2·M·N·K / median time; × cuBLAS = our TFLOP/s over cuBLAS's in the same precision; "
                + "rel. err = ‖ours − reference‖ / ‖reference‖ with C NaN-poisoned before the checked call.\n");
        for (String s : skipped) {
            out.append("Skipped: ").append(s).append(".\n");
        }
        out.append('\n');
        return failures;
    }

    // ---- bandwidth-bound kernels -------------------------------------------------------------

    static void bandwidthTable(GpuContext g, long requested, int warmup, int repeats, double minBatchMs, StringBuilder out) {
        var be = g.backend;
        int cols = requested >= (1 << 20) ? 1024 : 256;
        int rows = (int) (requested / cols);
        long n = (long) rows * cols;
        System.out.println("bandwidth: " + n + " float32 elements per buffer");
        CudaBuffer a = alloc(g, n, 11), b = alloc(g, n, 12), c = alloc(g, n, 13), d = alloc(g, n, 14);
        int[] shape = {(int) n}, unit = {1};
        long bytes4 = 4L * n;
        List<String[]> table = new ArrayList<>();
        GpuContext.Timing copy = g.time(() -> g.driver.copyDtoD(b.pointer(), a.pointer(), bytes4), warmup, repeats, minBatchMs);
        double copyGbs = 2 * bytes4 / (copy.medianMs() * 1e-3) / 1e9;
        table.add(row("device-to-device copy (cuMemcpyDtoD)", 2, copy, copyGbs, copyGbs));
        GpuContext.Timing add = g.time(() -> be.binary(BinaryOp.ADD, a, unit, b, unit, c, shape), warmup, repeats, minBatchMs);
        table.add(row("add (kiln_elementwise_add_f32)", 3, add, 3 * bytes4 / (add.medianMs() * 1e-3) / 1e9, copyGbs));
        GpuContext.Timing relu = g.time(() -> be.unary(UnaryOp.RELU, 0f, a, c, n), warmup, repeats, minBatchMs);
        table.add(row("relu (kiln_elementwise_relu_f32)", 2, relu, 2 * bytes4 / (relu.medianMs() * 1e-3) / 1e9, copyGbs));
        GpuContext.Timing sm = g.time(() -> be.softmax(a, c, rows, cols, 1, false), warmup, repeats, minBatchMs);
        table.add(row("softmax " + rows + "×" + cols + " (kiln_softmax_forward_f32)", 2, sm,
                2 * bytes4 / (sm.medianMs() * 1e-3) / 1e9, copyGbs));
        // AdamW reads param, grad, m, v and writes param, m, v. v starts uniform in (0, 1): non-negative.
        GpuContext.Timing adam = g.time(() -> be.adamUpdate(a, b, c, d, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 0.1f, 0.001f),
                warmup, repeats, minBatchMs);
        table.add(row("AdamW (kiln_optim_adamw_f32)", 7, adam, 7 * bytes4 / (adam.medianMs() * 1e-3) / 1e9, copyGbs));
        for (CudaBuffer x : new CudaBuffer[] {a, b, c, d}) {
            x.close();
        }
        be.synchronize();
        out.append("### Bandwidth-bound kernels vs device-to-device copy (").append(n).append(" float32 per buffer, ")
                .append(bytes4 >> 20).append(" MiB)\n\n");
        out.append("| kernel | bytes moved | ms (median) | spread | GB/s | % of copy |\n|---|---:|---:|---:|---:|---:|\n");
        for (String[] r : table) {
            out.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        out.append("\nGB/s = (bytes read + bytes written) / median time; the copy counts its read and its write.\n\n");
    }

    private static CudaBuffer alloc(GpuContext g, long n, long seed) {
        CudaBuffer buf = (CudaBuffer) g.backend.allocate(DType.FLOAT32, n);
        g.backend.random(buf, n, seed, 0, false);   // uniform (0, 1): no zeros, v >= 0 for AdamW
        return buf;
    }

    private static String[] row(String name, int passes, GpuContext.Timing t, double gbs, double copyGbs) {
        System.out.printf(Locale.ROOT, "  %-50s %10.4f ms  %8.1f GB/s  %5.1f%%%n", name, t.medianMs(), gbs, 100 * gbs / copyGbs);
        return new String[] {name, passes + "·4n", fmt(t.medianMs()), t.spread(), String.format(Locale.ROOT, "%.0f", gbs),
                String.format(Locale.ROOT, "%.0f%%", 100 * gbs / copyGbs)};
    }

    static String fmt(double ms) {
        return ms >= 10 ? String.format(Locale.ROOT, "%.2f", ms) : ms >= 0.1 ? String.format(Locale.ROOT, "%.4f", ms)
                : String.format(Locale.ROOT, "%.5f", ms);
    }

}
