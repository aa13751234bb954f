package dev.kiln.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads JMH's {@code -rf json} output of {@link CpuGemmBenchmark} and prints a Markdown table:
 * size, Kiln GFLOP/s, OpenBLAS GFLOP/s and their ratio, from the mean time of all measured
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
        // size -> {kiln ms, kiln err, openblas ms, openblas err, kiln best ms, openblas best ms}
        Map<Integer, double[]> rows = new TreeMap<>();
        for (JmhResults.Run run : JmhResults.fromArgs("GemmReport", args, CpuGemmBenchmark.class)) {
            double[] row = rows.computeIfAbsent(Integer.parseInt(run.param("size")), s -> new double[] {Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            int at = run.method().equals("kiln") ? 0 : run.method().equals("openblas") ? 1 : -1;
            if (at >= 0) {
                row[2 * at] = run.ms();
                row[2 * at + 1] = run.errorMs();
                row[4 + at] = run.bestMs();
            }
        }
        System.out.println("| size | Kiln GFLOP/s (mean) | OpenBLAS GFLOP/s (mean) | Kiln / OpenBLAS (mean) "
                + "| Kiln GFLOP/s (best iteration) | OpenBLAS GFLOP/s (best iteration) | Kiln / OpenBLAS (best) |");
        System.out.println("|-----:|---------:|---------:|------:|---------:|---------:|------:|");
        for (Map.Entry<Integer, double[]> e : rows.entrySet()) {
            int n = e.getKey();
            double[] r = e.getValue();
            double flop = 2.0 * n * n * n;
            double kiln = gflops(flop, r[0]), blas = gflops(flop, r[2]);
            double kilnBest = gflops(flop, r[4]), blasBest = gflops(flop, r[5]);
            System.out.printf("| %d | %s | %s | %s | %s | %s | %s |%n", n, withError(kiln, flop, r[0], r[1]),
                    withError(blas, flop, r[2], r[3]), ratio(kiln, blas),
                    Double.isNaN(kilnBest) ? "n/a" : String.format("%.1f", kilnBest),
                    Double.isNaN(blasBest) ? "n/a" : String.format("%.1f", blasBest), ratio(kilnBest, blasBest));
        }
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
