package dev.kiln.nn;

import dev.kiln.Tensor;

import java.util.function.UnaryOperator;

/** A parameter-free elementwise layer: {@link #relu()}, {@link #gelu()}, {@link #tanh()} and friends. */
public final class Activation extends Module {
    private final String name;
    private final UnaryOperator<Tensor> f;

    private Activation(String name, UnaryOperator<Tensor> f) {
        this.name = name;
        this.f = f;
    }

    public static Activation relu() {
        return new Activation("ReLU", Tensor::relu);
    }

    public static Activation leakyRelu(float negativeSlope) {
        return new Activation("LeakyReLU(" + negativeSlope + ")", t -> t.leakyRelu(negativeSlope));
    }

    public static Activation gelu() {
        return new Activation("GELU", Tensor::gelu);
    }

    public static Activation tanh() {
        return new Activation("Tanh", Tensor::tanh);
    }

    public static Activation sigmoid() {
        return new Activation("Sigmoid", Tensor::sigmoid);
    }

    /** By name: relu, leaky_relu, gelu, tanh, sigmoid. */
    public static Activation of(String name) {
        switch (name.toLowerCase()) {
            case "relu": return relu();
            case "leaky_relu": return leakyRelu(0.01f);
            case "gelu": return gelu();
            case "tanh": return tanh();
            case "sigmoid": return sigmoid();
            default: throw new IllegalArgumentException("Unknown activation '" + name + "' (relu, leaky_relu, gelu, tanh, sigmoid)");
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return f.apply(x);
    }

    @Override
    public String toString() {
        return name;
    }
}
