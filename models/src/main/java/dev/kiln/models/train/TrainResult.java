package dev.kiln.models.train;

import java.util.Map;

/**
 * The outcome of {@link Trainer#fit}: the history of every epoch (including resumed ones) and
 * the evaluation after the last epoch.
 *
 * @param test      the last evaluation's metrics by name
 * @param seconds   wall time of this call's training and evaluation (not earlier, resumed epochs)
 * @param epochsRun epochs this call trained
 */
public record TrainResult(History history, Map<String, Double> test, double seconds, int epochsRun) {

    public TrainResult {
        test = Map.copyOf(test);
    }

    /** The last evaluation's metric {@code name}; throws naming the metrics there are when it is missing. */
    public double test(String name) {
        Double v = test.get(name);
        if (v == null) {
            throw new IllegalArgumentException("The evaluation has no metric '" + name + "'; it has " + test.keySet());
        }
        return v;
    }
}
