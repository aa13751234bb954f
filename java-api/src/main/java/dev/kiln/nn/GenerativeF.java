package dev.kiln.nn;

import dev.kiln.spi.TensorStorage;
import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;
import dev.kiln.backend.Backend;
import dev.kiln.backend.ConvGeometry;

import java.util.Arrays;

/**
 * The functional forms of the layers generative models need (diffusion U-Nets, GAN generators):
 * transposed convolution, nearest upsampling, group norm, SiLU and the sinusoidal timestep
 * embedding. Each runs on every backend: the transposed convolution is the vision family's
 * convolution data gradient (its backward the forward convolution and the weight gradient), the
 * others are compositions of existing differentiable ops (group norm on the layer-norm kernel).
 */
public final class GenerativeF {

    private GenerativeF() {
    }

    /** Output size of a transposed convolution along one axis: {@code (in−1)·stride − 2·pad + dil·(k−1) + outPad + 1}. */
    public static int convTransposeOutSize(int in, int kernel, int stride, int padding, int outputPadding, int dilation) {
        return (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
    }

    /**
     * PyTorch's {@code conv_transpose2d}: {@code x [N, Cin, H, W]}, {@code w [Cin, Cout/groups, R, S]},
     * optional {@code bias [Cout]}, output {@code [N, Cout, Hout, Wout]} with
     * {@link #convTransposeOutSize}. Pairs are {@code {h, w}}; {@code outputPadding} must be smaller
     * than the stride (it picks one of the input sizes a strided convolution maps to the same size).
     */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int[] dilation, int groups) {
        String op = "convTranspose2d";
        if (x.dtype() != DType.FLOAT32 || w.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + " needs FLOAT32 input and weight, got " + x.dtype() + " and " + w.dtype());
        }
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException(op + " needs input [N, Cin, H, W] and weight [Cin, Cout/groups, R, S], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        if (!x.device().equals(w.device()) || (bias != null && !bias.device().equals(x.device()))) {
            throw new IllegalArgumentException(op + ": input, weight and bias must be on one device");
        }
        for (int[] pair : new int[][] {stride, padding, outputPadding, dilation}) {
            if (pair.length != 2) {
                throw new IllegalArgumentException(op + ": stride, padding, outputPadding and dilation are {h, w} pairs");
            }
        }
        int n = x.size(0), cin = x.size(1), h = x.size(2), wd = x.size(3);
        int r = w.size(2), s = w.size(3);
        if (groups < 1 || cin % groups != 0 || w.size(0) != cin) {
            throw new IllegalArgumentException(op + ": weight " + Arrays.toString(w.shape()) + " does not match " + cin
                    + " input channels in " + groups + " groups");
        }
        int cout = w.size(1) * groups;
        for (int a = 0; a < 2; a++) {
            if (stride[a] < 1 || dilation[a] < 1 || padding[a] < 0 || outputPadding[a] < 0
                    || outputPadding[a] >= stride[a]) {
                throw new IllegalArgumentException(op + ": bad stride " + Arrays.toString(stride) + ", padding "
                        + Arrays.toString(padding) + ", outputPadding " + Arrays.toString(outputPadding) + ", dilation "
                        + Arrays.toString(dilation) + " (outputPadding must be smaller than the stride)");
            }
        }
        int ho = convTransposeOutSize(h, r, stride[0], padding[0], outputPadding[0], dilation[0]);
        int wo = convTransposeOutSize(wd, s, stride[1], padding[1], outputPadding[1], dilation[1]);
        if (ho < 1 || wo < 1) {
            throw new IllegalArgumentException(op + ": output would be " + ho + "x" + wo + " for input " + h + "x" + wd);
        }
        if (bias != null && (bias.rank() != 1 || bias.size(0) != cout)) {
            throw new IllegalArgumentException(op + ": bias must be [" + cout + "], got " + Arrays.toString(bias.shape()));
        }
        // The convolution whose data gradient this is: input y [N, Cout, Hout, Wout] → output x [N, Cin, H, W].
        ConvGeometry g = new ConvGeometry(n, cout, ho, wo, cin, r, s, h, wd, stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], groups, false);
        Backend be = TensorStorage.backend(x);
        Tensor y = Tensor.empty(x.device(), DType.FLOAT32, n, cout, ho, wo);
        be.vision().conv2dBackwardData(g, TensorStorage.buffer(x), TensorStorage.buffer(w), TensorStorage.buffer(y));
        Tensor out = Autograd.op(op, y, gy -> {
            Tensor dx = null, dw = null;
            if (x.requiresGrad()) {
                dx = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
                be.vision().conv2dForward(g, TensorStorage.buffer(gy), TensorStorage.buffer(w), null, TensorStorage.buffer(dx), false);
            }
            if (w.requiresGrad()) {
                dw = Tensor.empty(x.device(), DType.FLOAT32, w.shape());
                be.vision().conv2dBackwardWeight(g, TensorStorage.buffer(gy), TensorStorage.buffer(x), TensorStorage.buffer(dw));
            }
            return new Tensor[] {dx, dw};
        }, x, w);
        return bias == null ? out : out.add(bias.reshape(1, cout, 1, 1));
    }

    /** Square transposed convolution, dilation 1, one group. */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int outputPadding) {
        return convTranspose2d(x, w, bias, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {outputPadding, outputPadding}, new int[] {1, 1}, 1);
    }

    /** Nearest-neighbour upsampling of {@code [N, C, H, W]} by integer factors: {@code y[.., i, j] = x[.., i/sh, j/sw]}. */
    public static Tensor upsampleNearest(Tensor x, int scaleH, int scaleW) {
        if (x.rank() != 4 || scaleH < 1 || scaleW < 1) {
            throw new IllegalArgumentException("upsampleNearest needs [N, C, H, W] input and factors >= 1, got "
                    + Arrays.toString(x.shape()) + " and " + scaleH + "x" + scaleW);
        }
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return x.reshape(n, c, h, 1, w, 1).expand(n, c, h, scaleH, w, scaleW).reshape(n, c, h * scaleH, w * scaleW);
    }

    /**
     * Group norm (Wu and He 2018) of {@code x [N, C, ...]}: the mean and biased variance over each
     * group of {@code C/groups} channels and all positions, then the per-channel affine
     * {@code gamma}, {@code beta} ({@code [C]}, either may be null). Runs on the layer-norm kernel.
     */
    public static Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, float eps) {
        if (x.rank() < 2 || groups < 1 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException("groupNorm needs [N, C, ...] input with C divisible by groups, got "
                    + Arrays.toString(x.shape()) + " and " + groups + " groups");
        }
        int n = x.size(0), c = x.size(1);
        for (Tensor p : new Tensor[] {gamma, beta}) {
            if (p != null && (p.rank() != 1 || p.size(0) != c)) {
                throw new IllegalArgumentException("groupNorm: affine parameters must be [" + c + "], got " + Arrays.toString(p.shape()));
            }
        }
        int per = (int) (x.numel() / Math.max(1, (long) n * groups));
        Tensor y = SequenceOps.layerNorm(x.reshape(n * groups, per), null, null, eps).reshape(x.shape());
        int[] bshape = new int[x.rank()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        if (gamma != null) {
            y = y.mul(gamma.reshape(bshape));
        }
        if (beta != null) {
            y = y.add(beta.reshape(bshape));
        }
        return y;
    }

    /** SiLU (swish): {@code x·sigmoid(x)}. */
    public static Tensor silu(Tensor x) {
        return x.mul(x.sigmoid());
    }

    /**
     * The sinusoidal embedding table {@code [steps, dim]} (Vaswani et al.; DDPM's timestep embedding):
     * with {@code half = dim/2} and {@code f_k = maxPeriod^(−k/half)}, row {@code t} is
     * {@code [sin(t·f_0) .. sin(t·f_{half−1}), cos(t·f_0) .. cos(t·f_{half−1})]}, a zero last column
     * when {@code dim} is odd. Computed in double, rounded once.
     */
    public static float[] sinusoidalTable(int steps, int dim, double maxPeriod) {
        if (steps < 1 || dim < 2 || !(maxPeriod > 1)) {
            throw new IllegalArgumentException("sinusoidal embedding needs steps >= 1, dim >= 2 and maxPeriod > 1, got "
                    + steps + ", " + dim + ", " + maxPeriod);
        }
        int half = dim / 2;
        float[] out = new float[steps * dim];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < half; k++) {
                double arg = t * Math.exp(-Math.log(maxPeriod) * k / half);
                out[t * dim + k] = (float) Math.sin(arg);
                out[t * dim + half + k] = (float) Math.cos(arg);
            }
        }
        return out;
    }

    /** Rows {@code t} (INT32/INT64 {@code [B]}) of {@code table [steps, dim]}: a gather on the table's device. */
    public static Tensor timestepEmbedding(Tensor table, Tensor t) {
        if (t.dtype() == DType.FLOAT32 || t.rank() != 1) {
            throw new IllegalArgumentException("timestepEmbedding needs INT32 or INT64 timesteps [B], got " + t.dtype() + " "
                    + Arrays.toString(t.shape()));
        }
        return table.indexSelect(0, t.device().equals(table.device()) ? t : t.to(table.device()));
    }
}
