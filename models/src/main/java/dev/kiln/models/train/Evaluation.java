package dev.kiln.models.train;

import java.util.Map;

/**
 * The held-out measurement a {@link Trainer} runs after every epoch, with every module of the
 * {@link TrainState} in eval mode and gradients off: a classifier's test loss and accuracy, a
 * GAN's sample statistics, an agent's greedy return. The names become the {@code test_*} columns
 * of {@code history.csv} and join the train metric of the same name in the curves.
 */
@FunctionalInterface
public interface Evaluation {

    /** Named metrics in a fixed order (read from the device once, by the implementation). */
    Map<String, Double> evaluate();
}
