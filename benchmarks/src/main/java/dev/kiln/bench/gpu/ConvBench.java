package dev.kiln.bench.gpu;

import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.ConvGeometry;
import dev.kiln.bench.gpu.ConvCases.Layer;
import dev.kiln.bench.gpu.ConvCases.Operands;
import dev.kiln.bench.gpu.ConvCases.Pass;
import dev.kiln.cuda.CudnnConv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Convolution, ours vs cuDNN in the same run, timed with CUDA events (the run script's conv step;
 * {@link ConvBenchmark} measures the same cases under JMH): the ResNet-18 layer shapes of
 * {@link ConvCases#RESNET18_28} at batch 64 and 256, forward, backward-data and backward-filter.
 * Per row: our time and cuDNN's (its best algorithm: the one {@code cudnnFind…AlgorithmEx} picks,
 * named in the row), ours/cuDNN time ratio and cuDNN/ours speed, TFLOP/s, and our output checked
 * against cuDNN's (relative error, both outputs NaN-poisoned first; without cuDNN, against a
 * double-precision host reference at small sizes). Warm-up, then the median of repeated batches.
 *
 * <pre>{@code
 * java -cp 'lib/*' dev.kiln.bench.gpu.ConvBench [--smoke] [--md FILE] [--batches 64,256]
 *      [--layers stem,s1.conv,...] [--passes fwd,bwd-data,bwd-filter] [--math fp32|tf32] [--layout nchw|nhwc]
 * }</pre>
 *
 * {@code --budget-s S}: no new layer/batch case starts after S seconds (listed as not started), so
 * the table is written inside the run script's cap. {@code --smoke}: batch 2 and channel counts divided by 16, few repeats (the emulator's speed);
 * cuDNN rows say unavailable there. {@code --math tf32} runs our TF32 kernels (forward and both
 * gradients) and lets cuDNN use tensor cores (TF32). Exit code 0 when every
 * check passed, 1 on a failed check or a failing call, 3 when no CUDA device is usable.
 */
public final class ConvBench {

    private ConvBench() {
    }

    public static void main(String[] argv) throws IOException {
        boolean smoke = false;
        Path md = null;
        String layers = null, passes = "fwd,bwd-data,bwd-filter", math = "fp32", layout = "nchw";
        int[] batches = null;
        double budgetS = 0;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--smoke": smoke = true; break;
                case "--md": md = Path.of(argv[++i]); break;
                case "--layers": layers = argv[++i]; break;
                case "--passes": passes = argv[++i]; break;
                case "--math": math = argv[++i]; break;
                case "--layout": layout = argv[++i]; break;
                case "--budget-s": budgetS = Double.parseDouble(argv[++i]); break;
                case "--batches": batches = java.util.Arrays.stream(argv[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                default:
                    System.err.println("usage: ConvBench [--smoke] [--md FILE] [--batches 64,256] [--layers L,L,...] "
                            + "[--passes fwd,bwd-data,bwd-filter] [--math fp32|tf32] [--layout nchw|nhwc] [--budget-s S]");
                    System.exit(2);
            }
        }
        if (!math.equals("fp32") && !math.equals("tf32")) {
            System.err.println("ConvBench: --math must be fp32 or tf32");
            System.exit(2);
        }
        if (!layout.equals("nchw") && !layout.equals("nhwc")) {
            System.err.println("ConvBench: --layout must be nchw or nhwc");
            System.exit(2);
        }
        boolean nhwc = layout.equals("nhwc");
        if (batches == null) {
            batches = smoke ? new int[] {2} : new int[] {64, 256};
        }
        // "ours" goes through the SPI: make sure no vendor switch reroutes it to cuDNN.
        System.setProperty("kiln.cuda.impl.conv", "own");
        System.setProperty("kiln.cuda.conv.kernel", math);
        boolean tf32 = math.equals("tf32");
        GpuContext g;
        try {
            g = GpuContext.open();
        } catch (DeviceUnavailableException e) {
            System.out.println("ConvBench: no usable CUDA device: " + e.getMessage());
            System.exit(3);
            return;
        }
        String why = ConvCases.cudnnUnavailable(g);
        CudnnConv dnn = why == null ? CudnnConv.of(g.backend) : null;
        StringBuilder out = new StringBuilder();
        String dev = g.describe() + (dnn != null ? ", cuDNN " + CudnnConv.version() : ", cuDNN " + why);
        System.out.println("ConvBench on " + dev + (smoke ? " (smoke sizes)" : ""));
        out.append("### Convolution, ours vs cuDNN (ResNet-18 layers on 28×28, ").append(layout.toUpperCase(Locale.ROOT)).append(", ").append(math.toUpperCase(Locale.ROOT))
                .append(", same run)\n\nDevice: ").append(dev).append("\n\n");
        if (g.emulated()) {
            out.append("**Emulator run: times are host times of the SIMT emulator, not GPU timings; only the code paths "
                    + "and the result checks mean anything.**\n\n");
        }
        out.append("| pass | layer | N | shape | ours ms | cuDNN ms | ours/cuDNN time | speed × cuDNN | ours TFLOP/s "
                + "| cuDNN algorithm | rel. err | check |\n");
        out.append("|---|---|---:|---|---:|---:|---:|---:|---:|---|---:|---|\n");
        int warmup = smoke ? 1 : 3, repeats = smoke ? 3 : 7;
        double minBatchMs = smoke ? 0 : 2;
        int failures = 0;
        Map<Pass, double[]> logSpeed = new EnumMap<>(Pass.class); // {sum of log(cuDNN/ours), count}
        long t0 = System.nanoTime();
        int notStarted = 0;
        for (Layer l0 : ConvCases.select(layers)) {
            for (int n : batches) {
                Layer l = smoke ? l0.shrunk(16) : l0;
                ConvGeometry geo = l.geometry(n).withNhwc(nhwc);
                if (budgetS > 0 && (System.nanoTime() - t0) * 1e-9 > budgetS) {
                    notStarted++;
                    out.append("| – | ").append(l.name()).append(" | ").append(n).append(" | ").append(l.describe())
                            .append(" | not started (--budget-s ").append((int) budgetS).append(" s spent) | | | | | | | |\n");
                    continue;
                }
                try (Operands o = new Operands(g, geo, 7919L * n + l.c() * 31L + l.k())) {
                    for (Pass p : Pass.values()) {
                        if (!passes.contains(p.label)) {
                            continue;
                        }
                        System.out.println("conv " + p.label + " " + l.name() + " N=" + n + " " + l.describe() + " ...");
                        String[] row = {p.label, l.name(), String.valueOf(n), l.describe(), "–", "–", "–", "–", "–", "–", "–", "–"};
                        try {
                            failures += measure(g, dnn, why, o, p, tf32, warmup, repeats, minBatchMs, row, logSpeed);
                        } catch (RuntimeException e) {
                            failures++;
                            String m = e.toString().replace('|', '/').replace('\n', ' ');
                            row[11] = "FAIL: " + (m.length() > 200 ? m.substring(0, 200) + "…" : m);
                            System.out.println("  FAIL " + p.label + " " + l.name() + " N=" + n + ": " + m);
                        }
                        out.append("| ").append(String.join(" | ", row)).append(" |\n");
                    }
                }
            }
        }
        out.append('\n');
        if (notStarted > 0) {
            out.append(notStarted).append(" layer/batch case(s) not started: the --budget-s limit was reached.\n\n");
        }
        StringBuilder sum = new StringBuilder();
        for (Map.Entry<Pass, double[]> e : logSpeed.entrySet()) {
            double gm = Math.exp(e.getValue()[0] / e.getValue()[1]);
            sum.append(String.format(Locale.ROOT, "%s %.2f× cuDNN (geomean of %d rows); ", e.getKey().label, gm, (int) e.getValue()[1]));
        }
        if (sum.length() > 0) {
            out.append("Speed vs cuDNN's best algorithm (geometric mean over rows; the issue's target is ≥ 0.8×): ")
                    .append(sum.substring(0, sum.length() - 2)).append(".\n\n");
        } else {
            out.append("No cuDNN timings in this run (").append(why).append(").\n\n");
        }
        if (md != null) {
            Files.writeString(md, out.toString());
        }
        System.out.println();
        System.out.print(out);
        String summary = sum.length() > 0 ? sum.substring(0, sum.length() - 2) : "cuDNN " + (why == null ? "not timed" : why);
        System.out.println("ConvBench: " + (failures == 0 ? "all checks passed" : failures + " check(s) FAILED") + "; " + summary
                + (notStarted > 0 ? "; " + notStarted + " case(s) not started (budget)" : ""));
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Fills the row for one pass of one layer; returns the number of failed checks. */
    private static int measure(GpuContext g, CudnnConv dnn, String why, Operands o, Pass p, boolean tf32, int warmup,
                               int repeats, double minBatchMs, String[] row, Map<Pass, double[]> logSpeed) {
        int failures = 0;
        ConvGeometry geo = o.g;
        Runnable ours = ConvCases.ours(g, o, p);
        Runnable theirs = dnn == null ? null : ConvCases.cudnn(dnn, o, p);
        // Reference: cuDNN's output (its first call runs cudnnFind), else the host in double at small sizes.
        float[] refF = null;
        double[] refD = null;
        String refName = null;
        if (theirs != null) {
            o.poison(p);
            theirs.run();
            g.backend.synchronize();
            refF = o.download(p);
            refName = "cuDNN";
            for (float v : refF) {
                if (Float.isNaN(v)) {
                    throw new IllegalStateException("cuDNN left NaN (unwritten poison) in its " + p.label + " output");
                }
            }
        } else if (ConvCases.flops(geo) <= 2e8) {
            refD = ConvCases.reference(o, p);
            refName = "host double";
        }
        o.poison(p);
        ours.run();
        g.backend.synchronize();
        float[] got = o.download(p);
        if (refName != null) {
            double e = refF != null ? GpuContext.relErr(got, refF) : GpuContext.relErr(got, refD);
            // In tf32 mode both sides may round operands to TF32 in every pass.
            boolean ok = e <= ConvCases.tolerance(tf32);
            row[10] = String.format(Locale.ROOT, "%.1e", e);
            row[11] = (ok ? "ok" : "FAIL") + " vs " + refName;
            if (!ok) {
                failures++;
                System.out.println("  FAIL " + p.label + " " + geo + ": rel. err " + row[10] + " vs " + refName);
            }
        }
        GpuContext.Timing to = g.time(ours, warmup, repeats, minBatchMs);
        row[4] = String.format(Locale.ROOT, "%.4f", to.medianMs());
        row[8] = String.format(Locale.ROOT, "%.2f", ConvCases.flops(geo) / (to.medianMs() * 1e-3) / 1e12);
        if (theirs != null) {
            GpuContext.Timing tc = g.time(theirs, warmup, repeats, minBatchMs);
            row[5] = String.format(Locale.ROOT, "%.4f", tc.medianMs());
            row[6] = String.format(Locale.ROOT, "%.2f", to.medianMs() / tc.medianMs());
            row[7] = String.format(Locale.ROOT, "%.2f×", tc.medianMs() / to.medianMs());
            CudnnConv.Choice c = dnn.chosen(geo, p.cudnn());
            row[9] = c == null ? "?" : "algo " + c.algo() + ", " + (c.workspaceBytes() >> 10) + " KiB, " + CudnnConvMath.name(c.mathType());
            double[] acc = logSpeed.computeIfAbsent(p, k -> new double[2]);
            acc[0] += Math.log(tc.medianMs() / to.medianMs());
            acc[1]++;
        } else {
            row[5] = why.length() > 60 ? "unavailable (why: the Device line above)" : why;
        }
        return failures;
    }

    /** cuDNN math-type names for the table. */
    private static final class CudnnConvMath {
        static String name(int m) {
            switch (m) {
                case 0: return "default math";
                case 1: return "tensor-op math";
                case 2: return "tensor-op math (conversion)";
                case 3: return "FMA math";
                default: return "math " + m;
            }
        }
    }
}
