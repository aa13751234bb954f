package dev.kiln.models.dnn;

import java.util.List;

/**
 * Shape of a multi-layer perceptron classifier: {@code inputs → hidden[0] → … → classes}, the
 * activation after every hidden layer, and dropout after every hidden activation.
 *
 * <pre>{@code
 * MlpConfig iris = new MlpConfig(4, List.of(64, 32), 3, "relu", 0f);
 * }</pre>
 *
 * @param activation relu, leaky_relu, gelu (exact, erf), gelu_tanh, tanh or sigmoid
 * @param dropout    probability in [0, 1); 0 adds no dropout layers
 */
public record MlpConfig(int inputs, List<Integer> hidden, int classes, String activation, float dropout) {

    public MlpConfig {
        if (inputs < 1 || classes < 2) {
            throw new IllegalArgumentException("An MLP classifier needs >= 1 input and >= 2 classes, got inputs="
                    + inputs + " classes=" + classes);
        }
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("Hidden layer sizes must be >= 1, got " + hidden);
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("Dropout must be in [0, 1), got " + dropout);
        }
        dev.kiln.nn.Activation.of(activation); // validates the name
    }

    /** {@code 784-256-128-10 relu dropout 0.1}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (int h : hidden) {
            sb.append('-').append(h);
        }
        sb.append('-').append(classes).append(' ').append(activation);
        if (dropout > 0) {
            sb.append(" dropout ").append(dropout);
        }
        return sb.toString();
    }
}
