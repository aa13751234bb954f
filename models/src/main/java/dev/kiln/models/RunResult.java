package dev.kiln.models;

import dev.kiln.Device;
import dev.kiln.models.train.TrainResult;

import java.util.Locale;

/**
 * The outcome of one {@code kiln} run, printed as the machine-readable {@link #resultLine()}.
 *
 * @param metric  the headline metric's name ({@code test_accuracy})
 * @param seconds wall time of the run: data loading, training and evaluation
 * @param extra   further {@code name=value} fields for the RESULT line, or empty
 */
public record RunResult(String model, String dataset, Device device, String metric, double value, double seconds,
                        TrainResult training, String extra) {

    /** A result without extra fields. */
    public RunResult(String model, String dataset, Device device, String metric, double value, double seconds,
                     TrainResult training) {
        this(model, dataset, device, metric, value, seconds, training, "");
    }

    /**
     * {@code RESULT model=<m> dataset=<d> device=<cpu|cuda> metric=<name> value=<x> seconds=<t>}, then
     * {@code extra} ({@code name=value} fields, e.g. a baseline measured in the same run) when not empty.
     */
    public String resultLine() {
        return String.format(Locale.ROOT, "RESULT model=%s dataset=%s device=%s metric=%s value=%.4f seconds=%.1f",
                model, dataset, device.kind() == Device.Kind.CPU ? "cpu" : "cuda", metric, value, seconds)
                + (extra == null || extra.isEmpty() ? "" : " " + extra);
    }
}
