package dev.kiln.bench.gpu;

import dev.kiln.DType;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.Buffer;
import dev.kiln.cuda.CudaOptions;
import dev.kiln.cuda.CudaSparse;
import dev.kiln.sparse.Csr;
import dev.kiln.sparse.SparseKernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * SpMM {@code Y = A·X}, ours vs cuSPARSE's {@code cusparseSpMM} (CSR, {@code CSR_ALG2}) in the same
 * run, timed with CUDA events (the run script's sparse step). Graphs: R-MAT (a = 0.57, b = c =
 * 0.19, d = 0.05; Graph500's parameters) at scales 16–18 with edge factor 16, made undirected
 * with duplicates merged and GCN-normalised values, and a Cora-sized graph (2,708 nodes, 5,278
 * undirected edges drawn uniformly, plus self loops); feature widths 32, 64, 128 and 256. Each row
 * is checked against a reference before it is timed: our output and cuSPARSE's, both NaN-poisoned
 * first, against each other (and against a host double-precision product on sampled rows, so a
 * wrong cuSPARSE call cannot pass). Per row: our kernel (row-split or split, from the degree
 * statistics), ms, GB/s (bytes of the CSR, X rows gathered once per nonzero and Y), ours/cuSPARSE
 * time and speed.
 *
 * <pre>{@code
 * java -cp 'lib/*' dev.kiln.bench.gpu.SparseBench [--smoke] [--md FILE] [--budget-s S]
 * }</pre>
 *
 * {@code --smoke}: R-MAT scale 8 and a 300-node random graph, widths 8 and 33, few repeats (the
 * emulator's speed); the cuSPARSE column says unavailable there. {@code --budget-s S}: no new
 * graph/width case starts after S seconds. Exit code 0 when every check passed, 1 on a failed
 * check or call, 3 when no CUDA device is usable.
 */
public final class SparseBench {

    private SparseBench() {
    }

    /** One benchmark graph, generated when its turn comes (R-MAT 18 takes seconds on the host). */
    record Graph(String name, Supplier<Csr> make) {
    }

    public static void main(String[] argv) throws IOException {
        boolean smoke = false;
        Path md = null;
        double budgetS = 0;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--smoke": smoke = true; break;
                case "--md": md = Path.of(argv[++i]); break;
                case "--budget-s": budgetS = Double.parseDouble(argv[++i]); break;
                default:
                    System.err.println("usage: SparseBench [--smoke] [--md FILE] [--budget-s S]");
                    System.exit(2);
            }
        }
        GpuContext g;
        try {
            g = GpuContext.open();
        } catch (DeviceUnavailableException e) {
            System.out.println("SparseBench: no usable CUDA device: " + e.getMessage());
            System.exit(3);
            return;
        }
        CudaSparse ours = (CudaSparse) g.backend.kernels(SparseKernels.class);
        String why = g.vendor() ? cusparseUnavailable(g, ours) : "unavailable under the emulator (cuSPARSE needs a real GPU)";
        Graph[] graphs = smoke
                ? new Graph[] {new Graph("R-MAT scale 8", () -> rmat(8, 16, 1)), new Graph("random 300 nodes", () -> uniform(300, 600, 2))}
                : new Graph[] {new Graph("Cora-sized (2,708 nodes)", () -> uniform(2708, 5278, 2)),
                    new Graph("R-MAT scale 16", () -> rmat(16, 16, 1)), new Graph("R-MAT scale 17", () -> rmat(17, 16, 1)),
                    new Graph("R-MAT scale 18", () -> rmat(18, 16, 1))};
        int[] widths = smoke ? new int[] {8, 33} : new int[] {32, 64, 128, 256};
        int warmup = smoke ? 1 : 3, repeats = smoke ? 3 : 7;
        double minBatchMs = smoke ? 0 : 2;

        StringBuilder out = new StringBuilder();
        String dev = g.describe();
        System.out.println("SparseBench on " + dev + (smoke ? " (smoke sizes)" : ""));
        out.append("### SpMM, ours vs cuSPARSE (cusparseSpMM CSR_ALG2, FP32, row-major X and Y, same run)\n\nDevice: ").append(dev)
                .append("\n\n");
        if (g.emulated()) {
            out.append("**Emulator run: times are host times of the SIMT emulator, not GPU timings; only the code paths "
                    + "and the result checks mean anything.**\n\n");
        }
        out.append("| graph | nodes | nnz | max/mean degree | n | our kernel | ours ms | ours GB/s | cuSPARSE ms | ours/cuSPARSE time "
                + "| speed × cuSPARSE | rel. err | check |\n");
        out.append("|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        int failures = 0, notStarted = 0;
        double logSum = 0;
        int logCount = 0;
        long t0 = System.nanoTime();
        for (Graph gr : graphs) {
            if (budgetS > 0 && (System.nanoTime() - t0) * 1e-9 > budgetS) {
                notStarted += widths.length;
                out.append("| ").append(gr.name).append(" | | | | all | | | | | | | | not started (--budget-s ").append((int) budgetS)
                        .append(" s spent) |\n");
                continue;
            }
            long g0 = System.nanoTime();
            Csr a = gr.make.get();
            SparseKernels.Matrix m = ours.upload(a);
            System.out.printf(Locale.ROOT, "%s: %d nodes, %d nonzeros, made and uploaded in %.1f s%n", gr.name, a.rows(), a.nnz(),
                    (System.nanoTime() - g0) * 1e-9);
            for (int n : widths) {
                String[] row = {gr.name, String.valueOf(a.rows()), String.valueOf(a.nnz()),
                    String.format(Locale.ROOT, "%d / %.1f", a.maxDegree(), a.meanDegree()), String.valueOf(n), m.kernel(),
                    "–", "–", "–", "–", "–", "–", "–"};
                if (budgetS > 0 && (System.nanoTime() - t0) * 1e-9 > budgetS) {
                    notStarted++;
                    row[12] = "not started (--budget-s " + (int) budgetS + " s spent)";
                    out.append("| ").append(String.join(" | ", row)).append(" |\n");
                    continue;
                }
                System.out.println("spmm " + gr.name + " n=" + n + " (" + m.kernel() + ") ...");
                try {
                    failures += measure(g, ours, m, a, n, why, warmup, repeats, minBatchMs, row);
                    if (!row[8].equals("–") && !row[8].startsWith("unavailable")) {
                        logSum += Math.log(Double.parseDouble(row[8]) / Double.parseDouble(row[6]));
                        logCount++;
                    }
                } catch (Exception e) {
                    failures++;
                    String msg = e.toString().replace('|', '/').replace('\n', ' ');
                    row[12] = "FAIL: " + (msg.length() > 200 ? msg.substring(0, 200) + "…" : msg);
                    System.out.println("  FAIL " + gr.name + " n=" + n + ": " + msg);
                }
                out.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
        }
        out.append('\n');
        if (notStarted > 0) {
            out.append(notStarted).append(" case(s) not started: the --budget-s limit was reached.\n\n");
        }
        String summary = logCount > 0
                ? String.format(Locale.ROOT, "%.2f× cuSPARSE (geomean of %d rows)", Math.exp(logSum / logCount), logCount)
                : "cuSPARSE " + (why == null ? "not timed" : why);
        out.append("Speed vs cuSPARSE: ").append(summary).append(".\n\n");
        if (md != null) {
            Files.writeString(md, out.toString());
        }
        System.out.println();
        System.out.print(out);
        System.out.println("SparseBench: " + (failures == 0 ? "all checks passed" : failures + " check(s) FAILED") + "; " + summary
                + (notStarted > 0 ? "; " + notStarted + " case(s) not started (budget)" : ""));
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Fills one row; returns the number of failed checks. */
    private static int measure(GpuContext g, CudaSparse ours, SparseKernels.Matrix m, Csr a, int n, String why, int warmup,
                               int repeats, double minBatchMs, String[] row) throws Exception {
        float[] xs = GpuContext.normals(a.cols() * n, 17L * n + a.nnz());
        Buffer x = g.backend.allocate(DType.FLOAT32, (long) a.cols() * n);
        Buffer y = g.backend.allocate(DType.FLOAT32, (long) a.rows() * n);
        g.backend.upload(xs, x);
        // Reference: the host in double on up to 256 sampled rows.
        int[] ptr = a.rowPtr(), col = a.colIdx();
        float[] val = a.values();
        int samples = Math.min(256, a.rows());
        int[] sampleRows = new int[samples];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < samples; i++) {
            sampleRows[i] = i == 0 ? argmaxDegree(ptr) : r.nextInt(a.rows());
        }
        double[] want = new double[samples * n];
        for (int i = 0; i < samples; i++) {
            int row0 = sampleRows[i];
            for (int k = ptr[row0]; k < ptr[row0 + 1]; k++) {
                for (int c = 0; c < n; c++) {
                    want[i * n + c] += (double) val[k] * xs[col[k] * n + c];
                }
            }
        }
        int failures = 0;
        g.backend.fill(y, Float.NaN);
        ours.own(m, x, y, n);
        g.backend.synchronize();
        float[] got = g.backend.downloadFloats(y);
        double e = sampledErr(got, want, sampleRows, n);
        float[] theirs = null;
        if (why == null) {
            try (AutoCloseable vendor = cusparse(g)) {
                g.backend.fill(y, Float.NaN);
                ours.spmm(m, x, y, n);
                g.backend.synchronize();
                theirs = g.backend.downloadFloats(y);
            }
            e = Math.max(e, sampledErr(theirs, want, sampleRows, n));
            e = Math.max(e, GpuContext.relErr(got, theirs));
        }
        boolean ok = e <= 1e-5 && !hasNaN(got);
        row[11] = String.format(Locale.ROOT, "%.1e", e);
        row[12] = (ok ? "ok" : "FAIL") + (theirs != null ? " vs cuSPARSE and host double" : " vs host double (sampled rows)");
        if (!ok) {
            failures++;
            System.out.println("  FAIL rel. err " + row[11]);
        }
        GpuContext.Timing to = g.time(() -> ours.own(m, x, y, n), warmup, repeats, minBatchMs);
        row[6] = String.format(Locale.ROOT, "%.4f", to.medianMs());
        double bytes = 4.0 * (a.rows() + 1 + 2L * a.nnz() + (double) a.nnz() * n + (double) a.rows() * n);
        row[7] = String.format(Locale.ROOT, "%.0f", bytes / (to.medianMs() * 1e-3) / 1e9);
        if (why == null) {
            try (AutoCloseable vendor = cusparse(g)) {
                GpuContext.Timing tc = g.time(() -> ours.spmm(m, x, y, n), warmup, repeats, minBatchMs);
                row[8] = String.format(Locale.ROOT, "%.4f", tc.medianMs());
                row[9] = String.format(Locale.ROOT, "%.2f", to.medianMs() / tc.medianMs());
                row[10] = String.format(Locale.ROOT, "%.2f×", tc.medianMs() / to.medianMs());
            }
        } else {
            row[8] = why;
        }
        x.close();
        y.close();
        return failures;
    }

    /** Null when cuSPARSE answers a 2 × 2 product correctly, else why not (libcusparse.so.12 missing, a failing call). */
    private static String cusparseUnavailable(GpuContext g, CudaSparse ours) {
        try (AutoCloseable vendor = cusparse(g)) {
            SparseKernels.Matrix m = ours.upload(Csr.fromCoo(2, 2, new int[] {0, 1}, new int[] {1, 0}, new float[] {2, 3}));
            Buffer x = g.backend.allocate(DType.FLOAT32, 2), y = g.backend.allocate(DType.FLOAT32, 2);
            g.backend.upload(new float[] {5, 7}, x);
            ours.spmm(m, x, y, 1);
            float[] got = g.backend.downloadFloats(y);
            return got[0] == 14 && got[1] == 15 ? null : "unavailable (cusparseSpMM gave " + got[0] + ", " + got[1] + " for 14, 15)";
        } catch (Exception e) {
            String msg = String.valueOf(e.getMessage()).replace('|', '/');
            System.out.println("SparseBench: cuSPARSE unavailable: " + msg);
            return "unavailable (" + (msg.length() > 120 ? msg.substring(0, 120) + "…" : msg) + ")";
        }
    }

    /** A scope in which the backend's SpMM goes to cuSPARSE ({@code kiln.cuda.impl.spmm=vendor}). */
    private static AutoCloseable cusparse(GpuContext g) {
        return g.backend.withOptions(g.backend.options().with(CudaOptions.IMPL_SPMM, "vendor"));
    }

    private static int argmaxDegree(int[] ptr) {
        int best = 0;
        for (int i = 1; i + 1 < ptr.length; i++) {
            if (ptr[i + 1] - ptr[i] > ptr[best + 1] - ptr[best]) {
                best = i;
            }
        }
        return best;
    }

    private static boolean hasNaN(float[] v) {
        for (float f : v) {
            if (Float.isNaN(f)) {
                return true;
            }
        }
        return false;
    }

    /** ‖got − want‖ / ‖want‖ over the sampled rows. */
    private static double sampledErr(float[] got, double[] want, int[] rows, int n) {
        double num = 0, den = 0;
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < n; c++) {
                double d = got[rows[i] * n + c] - want[i * n + c];
                num += d * d;
                den += want[i * n + c] * want[i * n + c];
            }
        }
        return Double.isNaN(num) ? Double.POSITIVE_INFINITY : Math.sqrt(num / Math.max(den, 1e-30));
    }

    /**
     * An undirected R-MAT graph with {@code 2^scale} nodes and {@code edgeFactor · 2^scale} edges
     * drawn (both directions stored, duplicates and self loops merged), GCN-normalised.
     */
    static Csr rmat(int scale, int edgeFactor, long seed) {
        return dev.kiln.sparse.Graphs.gcnNormalize(dev.kiln.sparse.Graphs.rmat(scale, edgeFactor, seed)).csr();
    }

    /** {@code edges} undirected edges between uniformly drawn distinct nodes, GCN-normalised. */
    static Csr uniform(int nodes, int edges, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] s = new int[edges], d = new int[edges];
        for (int e = 0; e < edges; e++) {
            s[e] = r.nextInt(nodes);
            int v;
            do {
                v = r.nextInt(nodes);
            } while (v == s[e]);
            d[e] = v;
        }
        return normalised(nodes, s, d);
    }

    private static Csr normalised(int nodes, int[] s, int[] d) {
        return dev.kiln.sparse.Graphs.gcnNormalize(dev.kiln.sparse.Graphs.undirected(nodes, s, d)).csr();
    }
}
