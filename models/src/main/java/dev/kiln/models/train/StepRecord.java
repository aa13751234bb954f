package dev.kiln.models.train;

import java.util.Map;

/**
 * One training step's metrics as read from the device, passed to {@link Trainer#onStep}
 * listeners in step order once per sync window.
 *
 * @param values metric name to the step's value (before any epoch averaging)
 */
public record StepRecord(int epoch, int index, long globalStep, Map<String, Float> values) {

    public StepRecord {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
