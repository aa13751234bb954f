package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads JMH's {@code -rf json} output of {@link CpuGemmBenchmark} and {@link CpuGemmScalarBenchmark}
 * and prints a Markdown table: size, Kiln's vector and scalar forms and OpenBLAS in GFLOP/s and
 * the ratios to OpenBLAS, from the mean time of all measured
 * iterations and from the fastest iteration of each. On a machine shared with other work the
 * mean mixes in the time a thread waited for a core; the best iteration shows what each
 * library does when it has the cores.
 *
 * <pre>{@code java -cp kiln-benchmarks.jar dev.kiln.bench.GemmReport result.json}</pre>
 */
public final class GemmReport {

    private GemmReport() {
    }

    public static void main(String[] args) throws Exception {
        // size -> {vector, scalar, openblas} x {mean ms, error ms, best ms}
        Map<Integer, double[]> rows = new TreeMap<>();
        List<JmhResults.Run> runs = new ArrayList<>(JmhResults.fromArgs("GemmReport", args, CpuGemmBenchmark.class));
        runs.addAll(JmhResults.read(new java.io.File(args[0]), CpuGemmScalarBenchmark.class));
        for (JmhResults.Run run : runs) {
            double[] row = rows.computeIfAbsent(Integer.parseInt(run.param("size")), s -> {
                double[] empty = new double[9];
                java.util.Arrays.fill(empty, Double.NaN);
                return empty;
            });
            int at = List.of("kiln", "kilnScalar", "openblas").indexOf(run.method());
            if (at >= 0) {
                row[3 * at] = run.ms();
                row[3 * at + 1] = run.errorMs();
                row[3 * at + 2] = run.bestMs();
            }
        }
        System.out.println("| size | Kiln vector GFLOP/s (mean) | Kiln scalar GFLOP/s (mean) | OpenBLAS GFLOP/s (mean) "
                + "| Kiln vector / OpenBLAS (mean) | Kiln vector (best iteration) | Kiln scalar (best iteration) "
                + "| OpenBLAS (best iteration) | Kiln vector / OpenBLAS (best) | Kiln scalar / OpenBLAS (best) |");
        System.out.println("|-----:|---------:|---------:|---------:|------:|---------:|---------:|---------:|------:|------:|");
        for (Map.Entry<Integer, double[]> e : rows.entrySet()) {
            int n = e.getKey();
            double[] r = e.getValue();
            double flop = 2.0 * n * n * n;
            double vec = gflops(flop, r[0]), sca = gflops(flop, r[3]), blas = gflops(flop, r[6]);
            double vecBest = gflops(flop, r[2]), scaBest = gflops(flop, r[5]), blasBest = gflops(flop, r[8]);
            System.out.printf("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", n, withError(vec, flop, r[0], r[1]),
                    withError(sca, flop, r[3], r[4]), withError(blas, flop, r[6], r[7]), ratio(vec, blas),
                    plain(vecBest), plain(scaBest), plain(blasBest), ratio(vecBest, blasBest), ratio(scaBest, blasBest));
        }
    }

    private static String plain(double g) {
        return Double.isNaN(g) ? "n/a" : String.format("%.1f", g);
    }

    private static String ratio(double kiln, double blas) {
        double r = kiln / blas;
        return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format("%.2f", r);
    }

    private static double gflops(double flop, double ms) {
        return flop / (ms * 1e-3) / 1e9;
    }

    /** GFLOP/s with the JMH 99.9% error of the time translated to a ± range. */
    private static String withError(double g, double flop, double ms, double errMs) {
        if (Double.isNaN(g)) {
            return "n/a";
        }
        if (Double.isNaN(errMs) || errMs <= 0 || errMs >= ms) {
            return String.format("%.1f", g);
        }
        double half = (gflops(flop, ms - errMs) - gflops(flop, ms + errMs)) / 2;
        return String.format("%.1f ± %.1f", g, half);
    }
}
