package dev.kiln.models.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a run's history: the epoch and its named values, in column order. The
 * {@link Trainer} writes the step metrics' epoch values as {@code train_<name>}, the evaluation's
 * as {@code test_<name>}, the learning rate at the start of the epoch as {@code lr} (one optimizer)
 * or {@code lr_<optimizer>} (several), then {@code seconds} and {@code samples_per_second}.
 *
 * @param epoch  1-based
 * @param values column name to value (full double precision in the CSV, so a row round-trips exactly)
 */
public record EpochStats(int epoch, Map<String, Double> values) {

    /** Column of the epoch's wall time (training and evaluation). */
    public static final String SECONDS = "seconds";
    /** Column of the training throughput. */
    public static final String SAMPLES_PER_SECOND = "samples_per_second";
    /** Prefix of the step metrics' columns. */
    public static final String TRAIN = "train_";
    /** Prefix of the evaluation's columns. */
    public static final String TEST = "test_";

    public EpochStats {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A column's value; throws naming the columns there are when it is missing. */
    public double get(String column) {
        Double v = values.get(column);
        if (v == null) {
            throw new IllegalArgumentException("No column '" + column + "' in epoch " + epoch + "; columns are " + values.keySet());
        }
        return v;
    }

    /** The epoch value of step metric {@code name} ({@code train_<name>}). */
    public double train(String name) {
        return get(TRAIN + name);
    }

    /** The evaluation's metric {@code name} ({@code test_<name>}). */
    public double test(String name) {
        return get(TEST + name);
    }

    /** The names of the learning-rate columns ({@code lr} or {@code lr_<optimizer>}). */
    public List<String> lrColumns() {
        List<String> out = new ArrayList<>();
        for (String k : values.keySet()) {
            if (k.equals("lr") || k.startsWith("lr_")) {
                out.add(k);
            }
        }
        return out;
    }

    /** The values without the timing columns (seconds, samples/s): what a rerun with the same seed reproduces exactly. */
    public Map<String, Double> reproducible() {
        Map<String, Double> out = new LinkedHashMap<>(values);
        out.remove(SECONDS);
        out.remove(SAMPLES_PER_SECOND);
        return out;
    }
}
