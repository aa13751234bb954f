package dev.kiln.bench.gpu;

import dev.kiln.DeviceUnavailableException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sequence-model benchmark table in one JVM, timed with CUDA events (warm-up, batches of at
 * least 2 ms, median of repeats; the run script's {@code sequence} step). {@link AttentionBenchmark}
 * and {@link LstmBenchmark} time the same cases under JMH.
 *
 * <ul>
 *   <li>Attention ({@link AttentionCases}), forward and backward, batch 8, heads 16, sequence 512,
 *       1024, 2048, 4096, head dim 64 and 128, causal and not: our flash kernels (FP32; BF16 mma
 *       forward and backward) vs the unfused path (materialised L×L scores, cuBLAS GEMMs, our softmax) in the
 *       same run; ms, TFLOP/s, speed-up over the unfused FP32 cuBLAS path, and the largest
 *       ‖ours − unfused‖/‖unfused‖ over the outputs.</li>
 *   <li>LSTM layer ({@link LstmCases}), forward and backward, hidden 256, 512, 1024, batch 1, 32,
 *       256, 100 steps: the fused cell vs separate elementwise kernels (same GEMMs) and vs cuDNN's RNN
 *       ({@code CudnnLstm}, same weights).</li>
 * </ul>
 *
 * <pre>{@code
 * java -cp ... dev.kiln.bench.gpu.SequenceBench [--smoke] [--md FILE] [--attention-only | --lstm-only]
 *      [--seq 512,1024] [--dims 64,128] [--hidden 256,512] [--batch 1,32] [--budget-s 100]
 * }</pre>
 *
 * Attention sizes not started within 60 % of {@code --budget-s} seconds, and LSTM sizes not
 * started within all of it, are listed as not started (so the run script's step timeout does not
 * hit before the table is written, and the LSTM table gets a share). Exit code 0 when every check
 * passed, 1 on a failed check, 3 without a usable CUDA device.
 */
public final class SequenceBench {

    private SequenceBench() {
    }

    private static long t0;
    private static double budgetS;

    private static boolean outOfTime() {
        return outOfTime(1.0);
    }

    /** Past {@code share} of the budget (attention stops at 60 % so the LSTM table gets the rest). */
    private static boolean outOfTime(double share) {
        return (System.nanoTime() - t0) / 1e9 > share * budgetS;
    }

    public static void main(String[] argv) throws IOException {
        boolean smoke = false, attention = true, lstm = true;
        Path md = null;
        int[] seqs = null, dims = null, hiddens = null, batches = null;
        budgetS = Double.NaN;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--smoke": smoke = true; break;
                case "--md": md = Path.of(argv[++i]); break;
                case "--attention-only": lstm = false; break;
                case "--lstm-only": attention = false; break;
                case "--seq": seqs = ints(argv[++i]); break;
                case "--dims": dims = ints(argv[++i]); break;
                case "--hidden": hiddens = ints(argv[++i]); break;
                case "--batch": batches = ints(argv[++i]); break;
                case "--budget-s": budgetS = Double.parseDouble(argv[++i]); break;
                default:
                    System.err.println("usage: SequenceBench [--smoke] [--md FILE] [--attention-only | --lstm-only] [--seq L,L] "
                            + "[--dims D,D] [--hidden H,H] [--batch B,B] [--budget-s S]");
                    System.exit(2);
            }
        }
        // Target size (2048) first, so a short budget still measures it; the table is sorted.
        seqs = seqs != null ? seqs : smoke ? new int[] {33, 64} : new int[] {2048, 512, 1024, 4096};
        dims = dims != null ? dims : new int[] {64, 128};
        hiddens = hiddens != null ? hiddens : smoke ? new int[] {16, 40} : new int[] {256, 512, 1024};
        batches = batches != null ? batches : smoke ? new int[] {1, 3} : new int[] {1, 32, 256};
        if (Double.isNaN(budgetS)) {
            budgetS = smoke ? 300 : 100;
        }
        t0 = System.nanoTime();
        GpuContext g;
        try {
            g = GpuContext.open();
        } catch (DeviceUnavailableException e) {
            System.out.println("SequenceBench: no usable CUDA device: " + e.getMessage());
            System.exit(3);
            return;
        }
        System.out.println("SequenceBench on " + g.describe() + (smoke ? " (smoke sizes)" : ""));
        StringBuilder out = new StringBuilder();
        if (g.emulated()) {
            out.append("**Emulator run: times are host times of the SIMT emulator, not GPU timings; only the code paths "
                    + "and the result checks mean anything.**\n\n");
        }
        int warmup = smoke ? 1 : 2, repeats = smoke ? 3 : 5;
        double minBatchMs = smoke ? 0 : 2;
        int failures = 0;
        if (attention) {
            failures += attentionTable(g, smoke ? 1 : 8, smoke ? 2 : 16, seqs, dims, warmup, repeats, minBatchMs, out);
        }
        if (lstm) {
            failures += lstmTable(g, hiddens, batches, smoke ? 5 : 100, warmup, repeats, minBatchMs, out);
        }
        if (md != null) {
            Files.writeString(md, out.toString());
        }
        System.out.println();
        System.out.print(out);
        System.out.printf(Locale.ROOT, "SequenceBench: %s (%.0f s)%n",
                failures == 0 ? "all checks passed" : failures + " check(s) FAILED", (System.nanoTime() - t0) / 1e9);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int[] ints(String s) {
        String[] p = s.split(",");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = Integer.parseInt(p[i].trim());
        }
        return r;
    }

    static String cell(String s) {
        s = s.replace('|', '/').replace('\n', ' ');
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    // ---- attention ---------------------------------------------------------------------------

    static int attentionTable(GpuContext g, int b, int h, int[] seqs, int[] dims, int warmup, int repeats, double minBatchMs,
                              StringBuilder out) {
        int failures = 0;
        Map<String, List<String>> rows = new TreeMap<>();   // key sorts by pass, L, D, causal
        List<String> notes = new ArrayList<>();
        AttentionCases.Impl base = g.vendor() ? AttentionCases.Impl.UNFUSED_CUBLAS : AttentionCases.Impl.UNFUSED_KILN;
        List<AttentionCases.Impl> impls = new ArrayList<>();
        impls.add(base);
        for (AttentionCases.Impl i : AttentionCases.Impl.values()) {
            if (i != base && !(i == AttentionCases.Impl.UNFUSED_KILN && g.vendor())) {
                impls.add(i);
            }
        }
        for (int l : seqs) {
            for (int d : dims) {
                if (outOfTime(0.6)) {
                    notes.add("L " + l + " D " + d + ": not started, past 60 % of the " + (int) budgetS + " s budget");
                    continue;
                }
                AttentionCases c;
                try {
                    c = new AttentionCases(g, new AttentionCases.Size(b, h, l, d, false), 1000L * l + d);
                } catch (RuntimeException e) {
                    failures++;
                    notes.add("L " + l + " D " + d + ": inputs could not be allocated: " + cell(e.toString()));
                    continue;
                }
                try {
                    for (boolean causal : new boolean[] {false, true}) {
                        c.causal(causal);
                        for (AttentionCases.Pass pass : AttentionCases.Pass.values()) {
                            String key = String.format(Locale.ROOT, "%d %05d %03d %d", pass.ordinal(), l, d, causal ? 1 : 0);
                            List<String> r = new ArrayList<>();
                            rows.put(key, r);
                            failures += attentionRows(g, c, pass, base, impls, warmup, repeats, minBatchMs, r, notes);
                        }
                    }
                } finally {
                    c.close();
                    g.backend.emptyCache();
                }
            }
        }
        out.append("### Attention: fused flash vs unfused (B ").append(b).append(", H ").append(h)
                .append(", self-attention, same run)\n\n");
        out.append("| pass | size | implementation | ms (median) | spread | TFLOP/s | × unfused | max rel. err | check |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---|\n");
        rows.values().forEach(r -> r.forEach(out::append));
        out.append("\nTFLOP/s = matrix-product FLOPs / median time: forward 4·B·H·L²·D, backward 2.5× that, causal half "
                + "(the unfused path computes the full L×L either way). × unfused = the ")
                .append(base.label).append(" row's time over this row's. max rel. err = the largest ‖out − ref‖/‖ref‖ over O "
                        + "(forward) or dQ, dK, dV (backward), on the leading ≤ 2²² elements (whole heads), outputs NaN-poisoned "
                        + "before the checked call; ref = the ").append(base.label)
                .append(" row. Tolerances: FP32 2e-4, TF32 1e-2, BF16 2e-2 (BF16 inputs are the FP32 inputs rounded). "
                        + "Backward rows time the backward alone (each path's own forward state saved once). "
                        + "BF16 backward: BF16 Q, K, V, dO and the BF16 forward's O and lse in, FP32 dQ, dK, dV out. "
                        + "cuDNN attention: not measured (Kiln has no cuDNN attention binding).\n");
        for (String n : notes) {
            out.append("Note: ").append(n).append(".\n");
        }
        out.append('\n');
        return failures;
    }

    private static int attentionRows(GpuContext g, AttentionCases c, AttentionCases.Pass pass, AttentionCases.Impl base,
                                     List<AttentionCases.Impl> impls, int warmup, int repeats, double minBatchMs,
                                     List<String> rows, List<String> notes) {
        int failures = 0;
        AttentionCases.Size s = c.s;
        float[][] ref = null;
        double baseMs = Double.NaN;
        System.out.println("attention " + pass + " " + s + " ...");
        for (AttentionCases.Impl impl : impls) {
            String prefix = "| " + pass.name().toLowerCase(Locale.ROOT) + " | " + s + " | " + impl.label + " | ";
            String why = impl.unavailable(g, pass);
            if (why != null) {
                rows.add(prefix + why + " | | | | | skipped |\n");
                continue;
            }
            try {
                Runnable op;
                try {
                    op = c.op(impl, pass);
                } catch (RuntimeException e) {
                    if (impl.unfused()) {
                        // The L×L buffers did not fit: say so and go on without that path.
                        String msg = String.format(Locale.ROOT, "skipped: L×L scores need %.1f GiB: %s",
                                s.scoresBytes(pass) / (double) (1L << 30), cell(e.getMessage() == null ? e.toString() : e.getMessage()));
                        rows.add(prefix + msg + " | | | | | skipped |\n");
                        notes.add(s + " " + pass.name().toLowerCase(Locale.ROOT) + ", " + impl.label + ": " + msg);
                        c.dropUnfused();
                        g.backend.emptyCache();
                        continue;
                    }
                    throw e;
                }
                c.poison(impl, pass);
                op.run();
                float[][] got = c.outputs(impl, pass);
                String err = "–", check = "–";
                if (impl == base) {
                    ref = got;
                    double e = 0;
                    for (float[] x : got) {
                        for (float v : x) {
                            if (!Float.isFinite(v)) {
                                e = Double.NaN;
                            }
                        }
                    }
                    check = Double.isNaN(e) ? "FAIL (non-finite)" : "reference";
                    if (Double.isNaN(e)) {
                        failures++;
                    }
                } else if (ref != null) {
                    double e = AttentionCases.maxRelErr(got, ref);
                    boolean ok = e <= AttentionCases.tolerance(impl);
                    err = String.format(Locale.ROOT, "%.1e", e);
                    check = ok ? "ok" : "FAIL";
                    if (!ok) {
                        failures++;
                        System.out.println("  FAIL " + impl.label + " " + pass + " " + s + ": max rel. err " + err);
                    }
                }
                GpuContext.Timing t = g.time(op, warmup, repeats, minBatchMs);
                if (impl == base) {
                    baseMs = t.medianMs();
                }
                double tf = s.flops(pass) / (t.medianMs() * 1e-3) / 1e12;
                String ratio = impl == base ? "1.00" : Double.isNaN(baseMs) ? "–" : String.format(Locale.ROOT, "%.2f", baseMs / t.medianMs());
                rows.add(prefix + GpuBench.fmt(t.medianMs()) + " | " + t.spread() + " | " + String.format(Locale.ROOT, "%.2f", tf)
                        + " | " + ratio + " | " + err + " | " + check + " |\n");
                System.out.printf(Locale.ROOT, "  %-40s %10.4f ms  %8.2f TFLOP/s  x%s  %s %s%n", impl.label, t.medianMs(), tf, ratio, err, check);
            } catch (RuntimeException e) {
                failures++;
                System.out.println("  FAIL " + impl.label + " " + pass + " " + s + ": " + e);
                rows.add(prefix + "error: " + cell(e.toString()) + " | | | | | FAIL |\n");
            }
        }
        return failures;
    }

    // ---- LSTM --------------------------------------------------------------------------------

    static int lstmTable(GpuContext g, int[] hiddens, int[] batches, int steps, int warmup, int repeats, double minBatchMs,
                         StringBuilder out) {
        int failures = 0;
        Map<String, List<String>> rows = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        for (int hd : hiddens) {
            for (int bt : batches) {
                LstmCases.Size s = new LstmCases.Size(hd, bt, steps);
                if (outOfTime()) {
                    notes.add(s + ": not started, past the " + (int) budgetS + " s budget");
                    continue;
                }
                try (LstmCases c = new LstmCases(g, s, 7L * hd + bt)) {
                    for (LstmCases.Pass pass : LstmCases.Pass.values()) {
                        String key = String.format(Locale.ROOT, "%d %05d %05d", pass.ordinal(), hd, bt);
                        List<String> r = new ArrayList<>();
                        rows.put(key, r);
                        failures += lstmRows(g, c, pass, warmup, repeats, minBatchMs, r);
                    }
                } catch (RuntimeException e) {
                    failures++;
                    notes.add(s + ": " + cell(e.toString()));
                }
                g.backend.emptyCache();
            }
        }
        out.append("### LSTM layer: fused cell vs unfused elementwise gates and cuDNN (input = hidden, time-major, same weights, same run)\n\n");
        out.append("| pass | size | implementation | ms (median) | spread | GEMM TFLOP/s | × unfused | × cuDNN | max rel. err | check |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        rows.values().forEach(r -> r.forEach(out::append));
        out.append("\nOne call = the whole layer over all steps (forward: input GEMM, then per step the recurrent GEMM and the "
                + "cell; backward: per step the cell backward and dh·Uᵀ, then dU, dW, dX, dbias). GEMM TFLOP/s = "
                + "16·T·B·H² (forward; backward 2×) / median time. Both paths use Kiln's own GEMM except the \"cuBLAS GEMMs\" "
                + "row (kiln.cuda.impl.gemm=vendor). × unfused = the unfused row's time over this row's; × cuDNN = the cuDNN row's "
                + "time over this row's (the issue's target for the fused cell: ≥ 0.8). cuDNN: CudnnLstm, the v8 RNN API with "
                + "CUDNN_FMA_MATH, Kiln's weights packed into its weight space; its forward is checked on every h_t (its c_t "
                + "stay inside cuDNN). max rel. err = the "
                + "largest ‖out − unfused‖/‖unfused‖ over every h_t, c_t (forward) or dU, dW, dX, dbias, dh₀, dc₀ (backward), "
                + "outputs NaN-poisoned before the checked call; tolerance 1e-4.\n");
        for (String n : notes) {
            out.append("Note: ").append(n).append(".\n");
        }
        out.append('\n');
        return failures;
    }

    private static int lstmRows(GpuContext g, LstmCases c, LstmCases.Pass pass, int warmup, int repeats, double minBatchMs,
                                List<String> rows) {
        int failures = 0;
        float[][] ref = null;
        double baseMs = Double.NaN, cudnnMs = Double.NaN;
        System.out.println("lstm " + pass + " " + c.s + " ...");
        for (LstmCases.Impl impl : new LstmCases.Impl[] {LstmCases.Impl.UNFUSED, LstmCases.Impl.CUDNN, LstmCases.Impl.FUSED,
                LstmCases.Impl.FUSED_CUBLAS_GEMM}) {
            String prefix = "| " + pass.name().toLowerCase(Locale.ROOT) + " | " + c.s + " | " + impl.label + " | ";
            String why = impl.unavailable(g);
            if (why != null) {
                rows.add(prefix + why + " | | | | | | skipped |\n");
                continue;
            }
            try {
                Runnable op = c.op(impl, pass);
                c.poison(impl, pass);
                op.run();
                float[][] got = c.outputs(impl, pass);
                String err = "–", check;
                if (impl == LstmCases.Impl.UNFUSED) {
                    ref = got;
                    check = "reference";
                } else {
                    double e = AttentionCases.maxRelErr(got, ref);
                    boolean ok = e <= LstmCases.TOLERANCE;
                    err = String.format(Locale.ROOT, "%.1e", e);
                    check = ok ? "ok" : "FAIL";
                    if (!ok) {
                        failures++;
                        System.out.println("  FAIL " + impl.label + " " + pass + " " + c.s + ": max rel. err " + err);
                    }
                }
                GpuContext.Timing t = g.time(op, warmup, repeats, minBatchMs);
                if (impl == LstmCases.Impl.UNFUSED) {
                    baseMs = t.medianMs();
                } else if (impl == LstmCases.Impl.CUDNN) {
                    cudnnMs = t.medianMs();
                }
                double tf = c.s.flops(pass) / (t.medianMs() * 1e-3) / 1e12;
                String ratio = impl == LstmCases.Impl.UNFUSED ? "1.00" : String.format(Locale.ROOT, "%.2f", baseMs / t.medianMs());
                String vsCudnn = Double.isNaN(cudnnMs) ? "–" : String.format(Locale.ROOT, "%.2f", cudnnMs / t.medianMs());
                rows.add(prefix + GpuBench.fmt(t.medianMs()) + " | " + t.spread() + " | " + String.format(Locale.ROOT, "%.2f", tf)
                        + " | " + ratio + " | " + vsCudnn + " | " + err + " | " + check + " |\n");
                System.out.printf(Locale.ROOT, "  %-32s %10.4f ms  %8.2f TFLOP/s  x%s  %s %s%n", impl.label, t.medianMs(), tf, ratio, err, check);
            } catch (RuntimeException e) {
                failures++;
                System.out.println("  FAIL " + impl.label + " " + pass + " " + c.s + ": " + e);
                rows.add(prefix + "error: " + cell(e.toString()) + " | | | | | | FAIL |\n");
                if (impl == LstmCases.Impl.UNFUSED) {
                    return failures;   // no reference, no ratio: the other rows would say nothing
                }
            }
        }
        return failures;
    }
}
