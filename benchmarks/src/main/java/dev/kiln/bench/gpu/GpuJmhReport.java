package dev.kiln.bench.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.bench.gpu.GemmCases.Impl;
import dev.kiln.bench.gpu.GemmCases.Shape;

import java.io.File;
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
        if (args.length != 1) {
            System.err.println("usage: GpuJmhReport <jmh-result.json>");
            System.exit(2);
        }
        JsonNode root = new ObjectMapper().readTree(new File(args[0]));
        Map<String, Map<Impl, double[]>> byShape = new LinkedHashMap<>();
        for (JsonNode run : root) {
            if (!run.path("benchmark").asText().startsWith(GpuGemmBenchmark.class.getName() + ".")) {
                continue;
            }
            String shape = run.path("params").path("shape").asText();
            Impl impl = Impl.valueOf(run.path("params").path("impl").asText());
            JsonNode m = run.path("primaryMetric");
            double scale = m.path("scoreUnit").asText().startsWith("us") ? 1e-3 : m.path("scoreUnit").asText().startsWith("s/") ? 1e3 : 1;
            byShape.computeIfAbsent(shape, s -> new LinkedHashMap<>())
                    .put(impl, new double[] {m.path("score").asDouble() * scale, m.path("scoreError").asDouble(Double.NaN) * scale});
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
