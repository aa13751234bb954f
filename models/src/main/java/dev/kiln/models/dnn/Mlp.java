package dev.kiln.models.dnn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Dropout;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;

/**
 * A multi-layer perceptron classifier (the DNN model): Linear layers with an activation and
 * optional dropout between them, returning logits. Inputs of any shape {@code [N, ...]} are
 * flattened to {@code [N, inputs]} first, so image batches can be fed directly.
 *
 * <pre>{@code
 * Mlp mlp = new Mlp(new MlpConfig(784, List.of(256, 128), 10, "relu", 0.1f), new Generator(1), new Generator(2));
 * Tensor logits = mlp.forward(images);   // [N, 1, 28, 28] -> [N, 10]
 * }</pre>
 */
public final class Mlp extends Module {

    private final MlpConfig config;

    /**
     * @param init    draws the initial weights
     * @param dropout draws the dropout masks (the trainer saves its position in checkpoints)
     */
    public Mlp(MlpConfig config, Generator init, Generator dropout) {
        this.config = config;
        Sequential layers = new Sequential();
        int in = config.inputs();
        for (int h : config.hidden()) {
            layers.add(new Linear(in, h, init));
            layers.add(Activation.of(config.activation()));
            if (config.dropout() > 0) {
                layers.add(new Dropout(config.dropout(), dropout));
            }
            in = h;
        }
        layers.add(new Linear(in, config.classes(), init));
        registerModule("layers", layers);
    }

    public MlpConfig config() {
        return config;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor flat = x.rank() == 2 ? x : x.reshape(x.size(0), -1);
        if (flat.size(1) != config.inputs()) {
            throw new IllegalArgumentException("Mlp expects " + config.inputs() + " features per example, got input shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        return module("layers").forward(flat);
    }
}
