package dev.kiln.bench.gpu;

import dev.kiln.bench.JmhResults;
import dev.kiln.bench.gpu.GemmCases.Impl;
import dev.kiln.bench.gpu.GemmCases.Shape;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH's {@code -rf json} output of {@link GpuGemmBenchmark} and prints one Markdown table:
 * shape, implementation, ms per product, TFLOP/s, and the ratio to cuBLAS of the same precision.
 *
 * <pre>{@code java -cp 'lib/*' dev.kiln.bench.gpu.GpuJmhReport gemm.json}</pre>
 */
public final class GpuJmhReport {

    private GpuJmhReport() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Map<Impl, double[]>> byShape = new LinkedHashMap<>();
        for (JmhResults.Run run : JmhResults.fromArgs("GpuJmhReport", args, GpuGemmBenchmark.class)) {
            byShape.computeIfAbsent(run.param("shape"), s -> new LinkedHashMap<>())
                    .put(Impl.valueOf(run.param("impl")), new double[] {run.ms(), run.errorMs()});
        }
        System.out.println("| M×N×K | implementation | ms/product (JMH avg ± err) | TFLOP/s | × cuBLAS |");
        System.out.println("|---|---|---:|---:|---:|");
        for (var e : byShape.entrySet()) {
            Shape s = Shape.parse(e.getKey());
            for (Impl impl : Impl.values()) {
                double[] r = e.getValue().get(impl);
                if (r == null) {
                    continue;
                }
                double tf = s.flops() / (r[0] * 1e-3) / 1e12;
                double[] base = e.getValue().get(impl.baseline());
                String ratio = base == null ? "–" : String.format(Locale.ROOT, "%.2f", base[0] / r[0]);
                System.out.printf(Locale.ROOT, "| %s | %s | %.4f ± %.4f | %.1f | %s |%n", s, impl.label(), r[0], r[1], tf, ratio);
            }
        }
    }
}
