package dev.kiln.bench.gpu;

import dev.kiln.spi.TensorStorage;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.cuda.CudaBuffer;
import dev.kiln.diffusion.DiffusionKernels;
import dev.kiln.diffusion.NoiseSchedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The noise-scheduling kernels ({@code kernels/src/diffusion.cu}) on the GPU, timed with CUDA
 * events in one run: a device-to-device copy of the same size as the bandwidth reference, then each
 * fused kernel (forward noising, DDPM step, DDIM step) and the same step composed from existing
 * tensor ops (random normal, gather, broadcast multiplies and adds), a cosine schedule with
 * T = 1000 and samples {@code [B, 1024]}. Per row: median ms, spread, GB/s counting the fused
 * kernel's bytes (read plus written: 12 bytes per element for each of the three), % of the copy,
 * and the speed of the fused kernel over the composed step. Before timing, every fused result is
 * checked against the composed one (relative error; the noise is the same Philox stream).
 *
 * <pre>{@code
 * java -cp 'lib/*' dev.kiln.bench.gpu.DiffusionBench [--smoke] [--md FILE] [--elements N]
 * }</pre>
 *
 * {@code --smoke}: 3·1027 elements under the emulator, one repeat: every path and check runs, times
 * mean nothing. Exit code 0 when every check passed, 1 otherwise, 3 when no CUDA device is usable.
 */
public final class DiffusionBench {

    private static final int T = 1000;
    private static final float TOL = 1e-4f;

    private DiffusionBench() {
    }

    public static void main(String[] argv) throws IOException {
        boolean smoke = false;
        Path md = null;
        long elements = 1L << 26;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--smoke": smoke = true; break;
                case "--md": md = Path.of(argv[++i]); break;
                case "--elements": elements = Long.parseLong(argv[++i]); break;
                default:
                    System.err.println("usage: DiffusionBench [--smoke] [--md FILE] [--elements N]");
                    System.exit(2);
            }
        }
        GpuContext g;
        try {
            g = GpuContext.open();
        } catch (DeviceUnavailableException e) {
            System.out.println("DiffusionBench: no usable CUDA device: " + e.getMessage());
            System.exit(3);
            return;
        }
        int dim = smoke ? 3 : 1024;
        int batch = (int) Math.max(1, (smoke ? 1027 : elements) / dim);
        long n = (long) batch * dim;
        int warmup = smoke ? 0 : 3, repeats = smoke ? 1 : 7;
        double minBatchMs = smoke ? 0 : 2;
        Device dev = g.backend.device();
        System.out.println("DiffusionBench on " + g.describe() + ": " + batch + " x " + dim + " float32 (" + (4 * n >> 20) + " MiB per buffer)");

        NoiseSchedule s = NoiseSchedule.cosine(dev, T);
        DiffusionKernels k = g.backend.kernels(DiffusionKernels.class);
        Generator data = new Generator(5);
        Tensor x0 = Tensor.randn(data, dev, batch, dim), epsIn = Tensor.randn(data, dev, batch, dim);
        int[] ts = new int[batch];
        for (int i = 0; i < batch; i++) {
            ts[i] = data.nextInt(T);
        }
        Tensor t = Tensor.fromIndices(ts).to(dev);
        Tensor xt = Tensor.empty(dev, DType.FLOAT32, batch, dim), eps = Tensor.empty(dev, DType.FLOAT32, batch, dim);
        Tensor out = Tensor.empty(dev, DType.FLOAT32, batch, dim);
        float[][] rows = new float[DiffusionKernels.ROWS][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = s.rowArray(r);
        }
        final long seed = 77;
        final int tStep = 500, tPrev = 480;

        List<String[]> table = new ArrayList<>();
        int failures = 0;
        long bytes4 = 4L * n;
        CudaBuffer a = (CudaBuffer) TensorStorage.buffer(x0), b = (CudaBuffer) TensorStorage.buffer(out);
        GpuContext.Timing copy = g.time(() -> g.driver.copyDtoD(b.pointer(), a.pointer(), bytes4), warmup, repeats, minBatchMs);
        double copyGbs = 2 * bytes4 / (copy.medianMs() * 1e-3) / 1e9;
        table.add(row("device-to-device copy (cuMemcpyDtoD)", "2·4n", copy, copyGbs, copyGbs, null));

        // ---- forward noising -------------------------------------------------------------------
        Runnable fusedQ = () -> k.qSample(TensorStorage.buffer(x0), TensorStorage.buffer(t), TensorStorage.buffer(s.table()), T, TensorStorage.buffer(xt), TensorStorage.buffer(eps), batch, dim, seed, 0);
        java.util.function.Supplier<Tensor[]> composedQ = () -> {
            Tensor e = Tensor.empty(dev, DType.FLOAT32, batch, dim);
            g.backend.random(TensorStorage.buffer(e), n, seed, 0, true);
            Tensor sa = s.row(NoiseSchedule.SQRT_ALPHA_BAR).indexSelect(0, t).reshape(batch, 1);
            Tensor s1 = s.row(NoiseSchedule.SQRT_ONE_MINUS_ALPHA_BAR).indexSelect(0, t).reshape(batch, 1);
            return new Tensor[] {x0.mul(sa).add(e.mul(s1)), e};
        };
        fusedQ.run();
        Tensor[] ref = composedQ.get();
        failures += check("q_sample x_t", xt, ref[0]) + check("q_sample eps", eps, ref[1]);
        timePair(g, "forward noising q_sample", fusedQ, () -> composedQ.get(), n, copyGbs, warmup, repeats, minBatchMs, table);

        // ---- DDPM ancestral step ---------------------------------------------------------------
        Runnable fusedP = () -> k.ddpmStep(TensorStorage.buffer(xt), TensorStorage.buffer(epsIn), TensorStorage.buffer(s.table()), T, tStep, TensorStorage.buffer(out), n, 0f, seed, 0);
        java.util.function.Supplier<Tensor> composedP = () -> {
            Tensor z = Tensor.empty(dev, DType.FLOAT32, batch, dim);
            g.backend.random(TensorStorage.buffer(z), n, seed, 0, true);
            Tensor x0hat = xt.mul(rows[NoiseSchedule.SQRT_RECIP_ALPHA_BAR][tStep])
                    .sub(epsIn.mul(rows[NoiseSchedule.SQRT_RECIP_M1_ALPHA_BAR][tStep]));
            return x0hat.mul(rows[NoiseSchedule.POSTERIOR_COEF_X0][tStep]).add(xt.mul(rows[NoiseSchedule.POSTERIOR_COEF_XT][tStep]))
                    .add(z.mul(rows[NoiseSchedule.POSTERIOR_STD][tStep]));
        };
        fusedP.run();
        failures += check("ddpm step", out, composedP.get());
        timePair(g, "DDPM step (t = " + tStep + ")", fusedP, composedP::get, n, copyGbs, warmup, repeats, minBatchMs, table);

        // ---- DDIM step ---------------------------------------------------------------------------
        Runnable fusedI = () -> k.ddimStep(TensorStorage.buffer(xt), TensorStorage.buffer(epsIn), TensorStorage.buffer(s.table()), T, tStep, tPrev, TensorStorage.buffer(out), n, 0f);
        java.util.function.Supplier<Tensor> composedI = () -> {
            Tensor x0hat = xt.mul(rows[NoiseSchedule.SQRT_RECIP_ALPHA_BAR][tStep])
                    .sub(epsIn.mul(rows[NoiseSchedule.SQRT_RECIP_M1_ALPHA_BAR][tStep]));
            return x0hat.mul(rows[NoiseSchedule.SQRT_ALPHA_BAR][tPrev]).add(epsIn.mul(rows[NoiseSchedule.SQRT_ONE_MINUS_ALPHA_BAR][tPrev]));
        };
        fusedI.run();
        failures += check("ddim step", out, composedI.get());
        timePair(g, "DDIM step (" + tStep + " → " + tPrev + ")", fusedI, composedI::get, n, copyGbs, warmup, repeats,
                minBatchMs, table);

        StringBuilder md0 = new StringBuilder();
        md0.append("### Noise-scheduling kernels vs copy and vs the composed step (").append(batch).append(" × ").append(dim)
                .append(" float32, ").append(bytes4 >> 20).append(" MiB per buffer, cosine schedule, T = ").append(T).append(")\n\n");
        md0.append("Device: ").append(g.describe()).append("\n\n");
        if (g.emulated()) {
            md0.append("**Emulator run: times are host times of the SIMT emulator, not GPU timings; only the code paths "
                    + "and the result checks mean anything.**\n\n");
        }
        md0.append("| kernel | bytes counted | ms (median) | spread | GB/s | % of copy | fused × composed |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String[] r : table) {
            md0.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md0.append("\nGB/s = the fused kernel's bytes (x_t: reads x0, writes x_t and eps; steps: read x_t and eps_pred, write the "
                + "output; 12 bytes an element) / median time, for the composed rows too, so their GB/s is an effective figure. "
                + "Composed: Tensor ops on the CUDA backend (Philox normal fill, gathers of the schedule rows, broadcast "
                + "multiplies and adds), the same arithmetic. Every fused result was checked against the composed one first "
                + "(relative error ≤ " + TOL + ").\n\n");
        if (md != null) {
            Files.writeString(md, md0.toString());
        }
        System.out.println();
        System.out.print(md0);
        System.out.println("DiffusionBench: " + (failures == 0 ? "all checks passed" : failures + " check(s) FAILED"));
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void timePair(GpuContext g, String name, Runnable fused, Runnable composed, long n, double copyGbs, int warmup,
                                int repeats, double minBatchMs, List<String[]> table) {
        GpuContext.Timing f = g.time(fused, warmup, repeats, minBatchMs);
        GpuContext.Timing c = g.time(composed, warmup, repeats, minBatchMs);
        double bytes = 12.0 * n;
        table.add(row(name + ", fused", "3·4n", f, bytes / (f.medianMs() * 1e-3) / 1e9, copyGbs,
                String.format(Locale.ROOT, "%.2f×", c.medianMs() / f.medianMs())));
        table.add(row(name + ", composed", "3·4n", c, bytes / (c.medianMs() * 1e-3) / 1e9, copyGbs, "1×"));
    }

    private static int check(String what, Tensor got, Tensor want) {
        float[] gv = got.toFloatArray(), wv = want.toFloatArray();
        double e = GpuContext.relErr(gv, wv);
        boolean ok = e <= TOL;
        System.out.printf(Locale.ROOT, "  check %-14s rel. err %.2e %s%n", what, e, ok ? "ok" : "FAIL");
        return ok ? 0 : 1;
    }

    private static String[] row(String name, String bytes, GpuContext.Timing t, double gbs, double copyGbs, String speed) {
        System.out.printf(Locale.ROOT, "  %-50s %10.4f ms  %8.1f GB/s  %5.1f%%%n", name, t.medianMs(), gbs, 100 * gbs / copyGbs);
        return new String[] {name, bytes, GpuBench.fmt(t.medianMs()), t.spread(), String.format(Locale.ROOT, "%.0f", gbs),
                String.format(Locale.ROOT, "%.0f%%", 100 * gbs / copyGbs), speed == null ? "–" : speed};
    }
}
