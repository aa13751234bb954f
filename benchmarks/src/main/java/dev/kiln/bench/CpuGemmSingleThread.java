package dev.kiln.bench;

import dev.kiln.backend.cpu.CpuSimd;
import dev.kiln.backend.cpu.CpuThreads;
import dev.kiln.backend.cpu.Sgemm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Single-threaded SGEMM timed by the calling thread's CPU time, so that time spent waiting for a
 * core on a shared machine does not count: the kernels' own speed. For each size, square row-major
 * {@code C = A·B}, best of the repetitions after a warm-up, printed as Markdown table rows
 * {@code | size | Kiln form | Kiln GFLOP/s | OpenBLAS GFLOP/s | Kiln / OpenBLAS |}.
 *
 * <pre>{@code
 * OPENBLAS_NUM_THREADS=1 java --add-modules jdk.incubator.vector -Dkiln.cpu.threads=1 \
 *     -cp kiln-benchmarks.jar dev.kiln.bench.CpuGemmSingleThread --openblas 512 1024 2048
 * }</pre>
 *
 * Kiln runs the form this JVM chose ({@link CpuSimd}); {@code --openblas} adds OpenBLAS, which
 * must be limited to one thread by {@code OPENBLAS_NUM_THREADS=1} (checked: the JavaCPP presets do
 * not map {@code openblas_get_num_threads}).
 */
public final class CpuGemmSingleThread {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private CpuGemmSingleThread() {
    }

    public static void main(String[] args) {
        boolean withBlas = false;
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--openblas")) {
                withBlas = true;
            } else {
                try {
                    sizes.add(Integer.parseInt(arg));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected --openblas or a matrix size, got " + arg);
                }
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(512, 1024, 2048);
        }
        if (CpuThreads.count() != 1) {
            throw new IllegalStateException("run with -Dkiln.cpu.threads=1 (Kiln would use " + CpuThreads.count() + " threads)");
        }
        String blasThreads = System.getenv("OPENBLAS_NUM_THREADS");
        if (withBlas && !"1".equals(blasThreads)) {
            throw new IllegalStateException("run with OPENBLAS_NUM_THREADS=1 (it is " + blasThreads + ")");
        }
        String form = CpuSimd.enabled() ? "vector" : "scalar";
        for (int n : sizes) {
            float[][] ab = CpuGemmInputs.inputs(n);
            float[] a = ab[0], b = ab[1], c = new float[n * n];
            double flop = 2.0 * n * n * n;
            double kiln = flop / best(() -> Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n), flop);
            String blas = "n/a";
            String ratio = "n/a";
            if (withBlas) {
                try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
                     FloatPointer pc = new FloatPointer(c)) {
                    double g = flop / best(() -> openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans,
                            openblas.CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n), flop);
                    blas = String.format("%.1f", g);
                    ratio = String.format("%.2f", kiln / g);
                }
            }
            System.out.printf("| %d | %s | %.1f | %s | %s |%n", n, form, kiln, blas, ratio);
        }
    }

    /** The least CPU nanoseconds of one run: warm-up for ~2 GFLOP·50, then at least 5 runs and ~3 s. */
    private static double best(Runnable product, double flop) {
        long warm = (long) Math.max(3, 1e11 / flop);
        for (long i = 0; i < warm; i++) {
            product.run();
        }
        double best = Double.MAX_VALUE;
        long spent = 0;
        for (int i = 0; i < 5 || spent < 3_000_000_000L; i++) {
            long t0 = MX.getCurrentThreadCpuTime();
            product.run();
            long t = MX.getCurrentThreadCpuTime() - t0;
            spent += t;
            best = Math.min(best, t);
        }
        return best;
    }
}
