package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;

/**
 * Transposed 2-D convolution over NCHW input, PyTorch's {@code nn.ConvTranspose2d} (dilation 1):
 * weight {@code [in, out/groups, k, k]}, output size {@code (H−1)·stride − 2·padding + k + outputPadding}.
 * Initialised like PyTorch (Kaiming uniform over the fan-in {@code out/groups·k·k} it computes from
 * dimension 1 of the weight), bias U(±1/sqrt(that fan-in)). Runs on the convolution data-gradient
 * kernels ({@link GenerativeF#convTranspose2d}).
 *
 * <pre>{@code
 * ConvTranspose2d up = new ConvTranspose2d(64, 32, 4, 2, 1, 0, 1, true, g);   // doubles H and W
 * }</pre>
 */
public final class ConvTranspose2d extends Module {
    private final int in, out, kernel, stride, padding, outputPadding, groups;

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, Generator g) {
        this(in, out, kernel, stride, padding, 0, 1, true, g);
    }

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding, int groups, boolean bias,
                           Generator g) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || outputPadding < 0 || outputPadding >= stride
                || groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: bad configuration in=" + in + " out=" + out + " kernel=" + kernel
                    + " stride=" + stride + " padding=" + padding + " outputPadding=" + outputPadding + " groups=" + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.groups = groups;
        int fanIn = out / groups * kernel * kernel;
        float bound = (float) (1 / Math.sqrt(fanIn));
        registerParameter("weight", Init.uniform(g, bound, in, out / groups, kernel, kernel));
        if (bias) {
            registerParameter("bias", Init.uniform(g, bound, out));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return GenerativeF.convTranspose2d(x, param("weight"), paramOrNull("bias"), new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {outputPadding, outputPadding}, new int[] {1, 1}, groups);
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + in + " -> " + out + ", k=" + kernel + ", stride=" + stride + ", padding=" + padding
                + (outputPadding != 0 ? ", outputPadding=" + outputPadding : "") + (groups != 1 ? ", groups=" + groups : "")
                + (paramOrNull("bias") == null ? ", no bias" : "") + ")";
    }
}
