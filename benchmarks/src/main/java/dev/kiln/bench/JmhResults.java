package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs of one benchmark class in JMH's {@code -rf json} output, times in milliseconds per op:
 * what the report mains ({@link GemmReport}, {@code gpu.GpuJmhReport}) read.
 */
public final class JmhResults {

    /**
     * One benchmark method at one parameter setting.
     *
     * @param method  the benchmark method's name
     * @param params  JMH's {@code params} object ({@link #param})
     * @param ms      mean time per op
     * @param errorMs JMH's 99.9% error of the mean (NaN where JMH gives none)
     * @param bestMs  the fastest measured iteration (NaN where there is no raw data)
     */
    public record Run(String method, JsonNode params, double ms, double errorMs, double bestMs) {

        /** The value of benchmark parameter {@code name}, as text. */
        public String param(String name) {
            return params.path(name).asText();
        }
    }

    private JmhResults() {
    }

    /**
     * The runs of {@code benchmark} in the file named by the one argument; with any other number of
     * arguments prints {@code usage: <tool> <jmh-result.json>} and exits with status 2.
     */
    public static List<Run> fromArgs(String tool, String[] args, Class<?> benchmark) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: " + tool + " <jmh-result.json>");
            System.exit(2);
        }
        return read(new File(args[0]), benchmark);
    }

    /** The runs of {@code benchmark} in {@code json}, in file order. */
    public static List<Run> read(File json, Class<?> benchmark) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (JsonNode run : new ObjectMapper().readTree(json)) {
            String name = run.path("benchmark").asText();
            if (!name.startsWith(benchmark.getName() + ".")) {
                continue;
            }
            JsonNode metric = run.path("primaryMetric");
            String unit = metric.path("scoreUnit").asText();
            double best = Double.NaN;
            for (JsonNode fork : metric.path("rawData")) {
                for (JsonNode iteration : fork) {
                    double v = toMillis(iteration.asDouble(), unit);
                    best = Double.isNaN(best) ? v : Math.min(best, v);
                }
            }
            runs.add(new Run(name.substring(name.lastIndexOf('.') + 1), run.path("params"),
                    toMillis(metric.path("score").asDouble(), unit),
                    toMillis(metric.path("scoreError").asDouble(Double.NaN), unit), best));
        }
        return runs;
    }

    private static double toMillis(double v, String unit) {
        switch (unit) {
            case "s/op":
                return v * 1e3;
            case "ms/op":
                return v;
            case "us/op":
                return v * 1e-3;
            case "ns/op":
                return v * 1e-6;
            default:
                throw new IllegalArgumentException("unexpected JMH score unit " + unit + " (expected a time per op)");
        }
    }
}
