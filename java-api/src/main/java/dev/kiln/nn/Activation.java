package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.backend.Gemm;

import java.util.function.UnaryOperator;

/** A parameter-free elementwise layer: {@link #relu()}, {@link #gelu()}, {@link #tanh()} and friends. */
public final class Activation extends Module {
    private final String name;
    private final UnaryOperator<Tensor> f;
    private final Gemm.Activation fusable;

    private Activation(String name, UnaryOperator<Tensor> f) {
        this(name, f, null);
    }

    private Activation(String name, UnaryOperator<Tensor> f, Gemm.Activation fusable) {
        this.name = name;
        this.f = f;
        this.fusable = fusable;
    }

    /** The GEMM epilogue that computes this activation, or null when it cannot be fused into a linear layer. */
    public Gemm.Activation fusable() {
        return fusable;
    }

    public static Activation relu() {
        return new Activation("ReLU", Tensor::relu, Gemm.Activation.RELU);
    }

    public static Activation leakyRelu(float negativeSlope) {
        return new Activation("LeakyReLU(" + negativeSlope + ")", t -> t.leakyRelu(negativeSlope));
    }

    /** GELU, exact (erf), as torch's {@code nn.GELU()}; not fused into a linear layer's GEMM. */
    public static Activation gelu() {
        return new Activation("GELU", Tensor::gelu, null);
    }

    /**
     * GELU with torch's {@code approximate} argument: {@code "none"} ({@link #gelu()}) or {@code "tanh"},
     * the approximation, which a preceding linear layer fuses into its GEMM epilogue.
     */
    public static Activation gelu(String approximate) {
        switch (approximate) {
            case "none": return gelu();
            case "tanh": return new Activation("GELU(tanh)", t -> t.gelu("tanh"), Gemm.Activation.GELU);
            default: throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
    }

    public static Activation tanh() {
        return new Activation("Tanh", Tensor::tanh);
    }

    public static Activation sigmoid() {
        return new Activation("Sigmoid", Tensor::sigmoid);
    }

    /** By name: relu, leaky_relu, gelu (exact), gelu_tanh, tanh, sigmoid. */
    public static Activation of(String name) {
        switch (name.toLowerCase()) {
            case "relu": return relu();
            case "leaky_relu": return leakyRelu(0.01f);
            case "gelu": return gelu();
            case "gelu_tanh": return gelu("tanh");
            case "tanh": return tanh();
            case "sigmoid": return sigmoid();
            default: throw new IllegalArgumentException("Unknown activation '" + name + "' (relu, leaky_relu, gelu, gelu_tanh, tanh, sigmoid)");
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
