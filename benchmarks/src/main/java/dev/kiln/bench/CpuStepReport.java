package dev.kiln.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH's {@code -rf json} output of {@link CpuStepBenchmark} and prints a Markdown table: one
 * row per workload and shape, milliseconds per step with the vector and the scalar kernels (mean ±
 * JMH's 99.9% error, and the fastest iteration) and the scalar / vector ratio of the best iterations.
 *
 * <pre>{@code java -cp kiln-benchmarks.jar dev.kiln.bench.CpuStepReport result.json}</pre>
 */
public final class CpuStepReport {

    private CpuStepReport() {
    }

    public static void main(String[] args) throws Exception {
        // "method shape" -> {vector ms, vector err, vector best, scalar ms, scalar err, scalar best}
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (JmhResults.Run run : JmhResults.fromArgs("CpuStepReport", args, CpuStepBenchmark.class)) {
            String shape = run.param("shape");
            String key = run.method() + (shape.isEmpty() ? " 784-256-128-10, batch 128" : " " + shape + ", batch 64");
            double[] row = rows.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN});
            int at = run.param("simd").equals("vector") ? 0 : 3;
            row[at] = run.ms();
            row[at + 1] = run.errorMs();
            row[at + 2] = run.bestMs();
        }
        System.out.println("| workload | vector ms/step (mean) | scalar ms/step (mean) | vector best | scalar best | scalar / vector (best) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            double[] r = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f |%n", e.getKey(), mean(r[0], r[1]),
                    mean(r[3], r[4]), r[2], r[5], r[5] / r[2]);
        }
    }

    private static String mean(double ms, double err) {
        return Double.isNaN(err) ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.2f ± %.2f", ms, err);
    }
}
