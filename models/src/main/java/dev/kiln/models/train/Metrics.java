package dev.kiln.models.train;

import dev.kiln.Autograd;
import dev.kiln.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The named measurements of one {@link TrainStep}, still on the device as scalar tensors, and how
 * each adds up over an epoch. The {@link Trainer} keeps every step's scalars, reads a window of
 * them in one transfer, checks each for NaN and infinity, and reports the epoch's value as
 * {@code Σ value·scale / Σ weight} over its steps:
 *
 * <ul>
 *   <li>{@link #mean(String, Tensor, double)}: a weighted mean of per-step values (a batch's mean
 *       loss, weighted by its size);</li>
 *   <li>{@link #ratio(String, Tensor, double)}: a count over a total (correct predictions over
 *       targets), exact however the batches are sized.</li>
 * </ul>
 *
 * <pre>{@code
 * return new Metrics().mean("loss", loss, batch.size()).ratio("accuracy", correct, targets);
 * }</pre>
 */
public final class Metrics {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** One metric of one step: its device scalar, and how it enters the epoch's value. */
    record Entry(Tensor value, double scale, double weight) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Adds a value averaged over the epoch with {@code weight} (e.g. the batch size). */
    public Metrics mean(String name, Tensor value, double weight) {
        return put(name, value, weight, weight);
    }

    /** Adds a count whose epoch value is the sum of counts over the sum of {@code total}s. */
    public Metrics ratio(String name, Tensor count, double total) {
        return put(name, count, 1.0, total);
    }

    private Metrics put(String name, Tensor value, double scale, double weight) {
        Objects.requireNonNull(value, "value");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A metric name is lower case letters, digits and '_', starting with a letter; got '"
                    + name + "'");
        }
        if (value.numel() != 1) {
            throw new IllegalArgumentException("Metric '" + name + "' must be a scalar, got " + value.numel() + " elements");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("Metric '" + name + "' needs a finite weight > 0, got " + weight);
        }
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("Metric '" + name + "' was added twice in one step");
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            entries.put(name, new Entry(value.detach().reshape(1), scale, weight));
        }
        return this;
    }

    /** The metrics in the order they were added. */
    Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }
}
