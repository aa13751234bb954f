package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.Vision;

/**
 * 2-D convolution over NCHW input, PyTorch's {@code nn.Conv2d}: weight
 * {@code [out, in/groups, k, k]} initialised like {@link Linear} (Kaiming uniform over the fan-in
 * {@code in/groups·k·k}), bias U(±1/sqrt(fan-in)).
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 32, 3, 1, 1, g);   // 3×3, stride 1, padding 1
 * Tensor y = conv.forward(x);                     // [N, 32, 28, 28] for [N, 1, 28, 28]
 * }</pre>
 */
public final class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
    private boolean relu;

    /** Stride 1, no padding, with bias. */
    public Conv2d(int in, int out, int kernel, Generator g) {
        this(in, out, kernel, 1, 0, 1, 1, true, g);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, Generator g) {
        this(in, out, kernel, stride, padding, 1, 1, true, g);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias, Generator g) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || dilation <= 0 || groups <= 0
                || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: bad configuration in=" + in + " out=" + out + " kernel=" + kernel
                    + " stride=" + stride + " padding=" + padding + " dilation=" + dilation + " groups=" + groups
                    + " (sizes positive, padding >= 0, groups dividing in and out)");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        int fanIn = in / groups * kernel * kernel;
        registerParameter("weight", Init.kaimingUniform(g, out, in / groups, kernel, kernel));
        if (bias) {
            registerParameter("bias", Init.uniform(g, (float) (1 / Math.sqrt(fanIn)), out));
        }
    }

    /** Fuses a ReLU into the convolution (one kernel, one output tensor). Returns this. */
    public Conv2d fuseRelu() {
        this.relu = true;
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Vision.conv2d(x, param("weight"), paramOrNull("bias"), stride, padding, dilation, groups, relu);
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + " -> " + out + ", " + kernel + "x" + kernel + (stride != 1 ? ", stride " + stride : "")
                + (padding != 0 ? ", padding " + padding : "") + (dilation != 1 ? ", dilation " + dilation : "")
                + (groups != 1 ? ", groups " + groups : "") + (paramOrNull("bias") == null ? ", no bias" : "")
                + (relu ? ", relu" : "") + ")";
    }
}
