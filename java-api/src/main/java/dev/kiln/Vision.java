package dev.kiln;

import dev.kiln.backend.Backend;
import dev.kiln.backend.ConvGeometry;
import dev.kiln.backend.PoolGeometry;
import dev.kiln.backend.UnaryOp;

/**
 * Differentiable vision ops on NCHW FLOAT32 tensors: convolution, pooling and batch norm. Each
 * records one autograd node whose backward calls the backend's gradient kernels; the
 * {@code dev.kiln.nn} layers ({@code Conv2d}, {@code MaxPool2d}, {@code BatchNorm2d}, …) are thin
 * wrappers around these.
 *
 * <pre>{@code
 * Tensor y = Vision.conv2d(x, w, b, 1, 1, 1, 1, false);        // 3×3 "same" conv, [N, K, H, W]
 * Tensor z = Vision.maxPool2d(y.relu(), 2, 2, 0);              // [N, K, H/2, W/2]
 * }</pre>
 */
public final class Vision {

    private Vision() {
    }

    // ---- convolution -------------------------------------------------------------------------

    /** Square convolution: the same stride, padding and dilation on both axes. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int groups, boolean relu) {
        return conv2d(x, w, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {dilation, dilation}, groups, relu);
    }

    /**
     * {@code y = act(conv(x, w) + bias)} for {@code x [N, C, H, W]}, {@code w [K, C/groups, R, S]},
     * optional {@code bias [K]}; {@code relu} fuses a ReLU into the op (its backward masks with the
     * output). Stride, padding and dilation are {@code {h, w}} pairs.
     *
     * @throws IllegalArgumentException naming expected and actual channel counts, or when the
     *                                  (dilated) kernel is larger than the padded input
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups,
                                boolean relu) {
        return conv(x, w, bias, stride, padding, dilation, groups, relu, false);
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int, boolean)} on channels-last
     * tensors: {@code x [N, H, W, C]}, {@code w [K, R, S, C/groups]} (KRSC), {@code y [N, P, Q, K]}.
     * On CUDA these run NHWC kernels of their own (every gather reads channels contiguously); the
     * CPU backend transposes around its NCHW code.
     */
    public static Tensor conv2dNhwc(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups,
                                    boolean relu) {
        return conv(x, w, bias, stride, padding, dilation, groups, relu, true);
    }

    private static Tensor conv(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups,
                               boolean relu, boolean nhwc) {
        String op = nhwc ? "conv2dNhwc" : "conv2d";
        float32(x, op + " input");
        float32(w, op + " weight");
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException(op + " needs input " + (nhwc ? "[N, H, W, C] and weight [K, R, S, C/groups]"
                    : "[N, C, H, W] and weight [K, C/groups, R, S]") + ", got " + Shapes.str(x.shape()) + " and " + Shapes.str(w.shape()));
        }
        sameDevice(op, x, w);
        int n = x.size(0), c = x.size(nhwc ? 3 : 1), h = x.size(nhwc ? 1 : 2), wd = x.size(nhwc ? 2 : 3);
        int k = w.size(0), r = w.size(nhwc ? 1 : 2), s = w.size(nhwc ? 2 : 3), wc = w.size(nhwc ? 3 : 1);
        if (groups < 1 || k % groups != 0) {
            throw new IllegalArgumentException(op + ": groups must be >= 1 and divide the " + k + " output channels, got " + groups);
        }
        if (c != wc * groups) {
            throw new IllegalArgumentException(op + ": expected input with " + wc * groups + " channels (weight "
                    + Shapes.str(w.shape()) + ", groups " + groups + "), got " + c + " channels in input " + Shapes.str(x.shape()));
        }
        if (bias != null) {
            float32(bias, op + " bias");
            sameDevice(op, x, bias);
            if (bias.rank() != 1 || bias.size(0) != k) {
                throw new IllegalArgumentException(op + ": bias must be [" + k + "], got " + Shapes.str(bias.shape()));
            }
        }
        checkPairs(op, stride, padding, dilation);
        int p = ConvGeometry.outSize(h, r, stride[0], padding[0], dilation[0]);
        int q = ConvGeometry.outSize(wd, s, stride[1], padding[1], dilation[1]);
        if (p < 1 || q < 1) {
            throw new IllegalArgumentException(op + ": kernel " + r + "x" + s + " (dilation " + dilation[0] + "x" + dilation[1]
                    + ", spans " + (dilation[0] * (r - 1) + 1) + "x" + (dilation[1] * (s - 1) + 1) + ") is larger than the padded input "
                    + (h + 2 * padding[0]) + "x" + (wd + 2 * padding[1]) + " (input " + h + "x" + wd + ", padding "
                    + padding[0] + "x" + padding[1] + ")");
        }
        ConvGeometry g = new ConvGeometry(n, c, h, wd, k, r, s, p, q, stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], groups, nhwc);
        Backend be = x.backend();
        Tensor y = nhwc ? Tensor.empty(x.device(), DType.FLOAT32, n, p, q, k) : Tensor.empty(x.device(), DType.FLOAT32, n, k, p, q);
        be.vision().conv2dForward(g, x.buffer(), w.buffer(), bias == null ? null : bias.buffer(), y.buffer(), relu);
        return Autograd.op(op, y, gy -> {
            Tensor gout = gy;
            if (relu) {
                gout = Tensor.empty(y.device(), DType.FLOAT32, y.shape());
                be.unaryBackward(UnaryOp.RELU, 0f, y.buffer(), y.buffer(), gy.buffer(), gout.buffer(), y.numel());
            }
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
                be.vision().conv2dBackwardData(g, gout.buffer(), w.buffer(), dx.buffer());
            }
            if (w.requiresGrad()) {
                dw = Tensor.empty(x.device(), DType.FLOAT32, w.shape());
                be.vision().conv2dBackwardWeight(g, x.buffer(), gout.buffer(), dw.buffer());
            }
            if (bias != null && bias.requiresGrad()) {
                db = Tensor.empty(x.device(), DType.FLOAT32, k);
                be.vision().conv2dBackwardBias(g, gout.buffer(), db.buffer());
            }
            return bias == null ? new Tensor[] {dx, dw} : new Tensor[] {dx, dw, db};
        }, bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias});
    }

    // ---- pooling -----------------------------------------------------------------------------

    /** Square max pooling with no dilation. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return maxPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1});
    }

    /** Max pooling (floor mode; padding at most half the kernel, as PyTorch requires). */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return maxPool2d(x, kernel, stride, padding, dilation, false);
    }

    /**
     * Max pooling; {@code ceilMode} as PyTorch's flag: the output size rounds up, so a last window
     * may hang over the bottom/right border (it takes the max of the taps inside), but every window
     * starts inside the input or the left/top padding.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        PoolGeometry g = poolGeometry("maxPool2d", x, kernel, stride, padding, dilation, ceilMode);
        Backend be = x.backend();
        Tensor y = Tensor.empty(x.device(), DType.FLOAT32, g.n(), g.c(), g.p(), g.q());
        boolean grad = Autograd.isEnabled() && x.requiresGrad();
        Tensor idx = grad ? Tensor.empty(x.device(), DType.INT64, g.n(), g.c(), g.p(), g.q()) : null;
        be.vision().maxPool2dForward(g, x.buffer(), y.buffer(), idx == null ? null : idx.buffer());
        return Autograd.op("maxPool2d", y, gy -> {
            Tensor dx = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
            be.vision().maxPool2dBackward(g, gy.buffer(), idx.buffer(), dx.buffer());
            return new Tensor[] {dx};
        }, x);
    }

    /** Square average pooling; the divisor counts padded positions (PyTorch's default). */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return avgPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, true);
    }

    /** Average pooling (floor mode); {@code countIncludePad} picks the divisor as PyTorch's flag does. */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return avgPool2d(x, kernel, stride, padding, countIncludePad, false);
    }

    /**
     * Average pooling with PyTorch's {@code ceil_mode} and {@code count_include_pad}. A window that
     * hangs over the bottom/right border in ceil mode averages the inputs it covers; with
     * {@code countIncludePad} its divisor counts the padded positions it covers but not the part
     * beyond the padding (PyTorch's rule: window end clamped to {@code size + padding}).
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad, boolean ceilMode) {
        PoolGeometry g = poolGeometry("avgPool2d", x, kernel, stride, padding, new int[] {1, 1}, ceilMode);
        Backend be = x.backend();
        Tensor y = Tensor.empty(x.device(), DType.FLOAT32, g.n(), g.c(), g.p(), g.q());
        be.vision().avgPool2dForward(g, x.buffer(), y.buffer(), countIncludePad);
        return Autograd.op("avgPool2d", y, gy -> {
            Tensor dx = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
            be.vision().avgPool2dBackward(g, gy.buffer(), dx.buffer(), countIncludePad);
            return new Tensor[] {dx};
        }, x);
    }

    /** Adaptive average pooling to {@code [N, C, outH, outW]} (PyTorch's window rule; up-sampling allowed). */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        float32(x, "adaptiveAvgPool2d input");
        rank4("adaptiveAvgPool2d", x);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive, got " + outH + "x" + outW);
        }
        PoolGeometry g = new PoolGeometry(x.size(0), x.size(1), x.size(2), x.size(3), outH, outW, 1, 1, 1, 1, 0, 0, 1, 1);
        Backend be = x.backend();
        Tensor y = Tensor.empty(x.device(), DType.FLOAT32, g.n(), g.c(), outH, outW);
        be.vision().adaptiveAvgPool2dForward(g, x.buffer(), y.buffer());
        return Autograd.op("adaptiveAvgPool2d", y, gy -> {
            Tensor dx = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
            be.vision().adaptiveAvgPool2dBackward(g, gy.buffer(), dx.buffer());
            return new Tensor[] {dx};
        }, x);
    }

    // ---- augmentation ------------------------------------------------------------------------

    /**
     * Random crop of each image of {@code x [N, C, H, W]} padded by {@code pad} zero pixels, and with
     * {@code flip} a horizontal flip with probability 1/2. The per-image offsets and flip bits are drawn
     * from {@code g} on the host (three ints per image: {@code dy}, {@code dx} in {@code [0, 2·pad]}, then
     * the flip bit when {@code flip}); the pixel work runs on {@code x}'s device. No gradient.
     */
    public static Tensor randomCropFlip(Tensor x, int pad, boolean flip, Generator g) {
        return randomCropFlip(x, pad, flip, 0f, g);
    }

    /** {@link #randomCropFlip(Tensor, int, boolean, Generator)} with the padding filled by {@code fill}. */
    public static Tensor randomCropFlip(Tensor x, int pad, boolean flip, float fill, Generator g) {
        rank4("randomCropFlip", x);
        if (pad < 0) {
            throw new IllegalArgumentException("randomCropFlip: padding must be >= 0, got " + pad);
        }
        int n = x.size(0);
        int[] params = new int[3 * n];
        for (int i = 0; i < n; i++) {
            params[3 * i] = pad == 0 ? pad : g.nextInt(2 * pad + 1);
            params[3 * i + 1] = pad == 0 ? pad : g.nextInt(2 * pad + 1);
            params[3 * i + 2] = flip ? g.nextInt(2) : 0;
        }
        return cropFlip(x, params, pad, fill);
    }

    /**
     * Crop-and-flip with given per-image parameters {@code params[3n .. 3n+2] = (dy, dx, flip)},
     * {@code dy, dx} in {@code [0, 2·pad]}: {@code y[n,c,i,j] = x[n, c, i+dy-pad, jj+dx-pad]} with
     * {@code jj = flip != 0 ? W-1-j : j}, and {@code fill} outside the image. The parameters travel to
     * the device as one small INT32 tensor; the pixels never leave it. No gradient.
     */
    public static Tensor cropFlip(Tensor x, int[] params, int pad, float fill) {
        float32(x, "cropFlip input");
        rank4("cropFlip", x);
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        if (pad < 0) {
            throw new IllegalArgumentException("cropFlip: padding must be >= 0, got " + pad);
        }
        if (params.length != 3 * n) {
            throw new IllegalArgumentException("cropFlip: need 3 parameters per image (" + 3 * n + "), got " + params.length);
        }
        for (int i = 0; i < n; i++) {
            if (params[3 * i] < 0 || params[3 * i] > 2 * pad || params[3 * i + 1] < 0 || params[3 * i + 1] > 2 * pad) {
                throw new IllegalArgumentException("cropFlip: offsets of image " + i + " must lie in [0, " + 2 * pad + "], got "
                        + params[3 * i] + ", " + params[3 * i + 1]);
            }
        }
        Tensor p = Tensor.fromIndices(params, n, 3).to(x.device());
        Tensor y = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
        x.backend().vision().cropFlip(x.buffer(), p.buffer(), y.buffer(), n, c, h, w, pad, fill);
        return y;
    }

    private static PoolGeometry poolGeometry(String op, Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                             boolean ceilMode) {
        float32(x, op + " input");
        rank4(op, x);
        checkPairs(op, stride, padding, dilation);
        if (kernel.length != 2 || kernel[0] < 1 || kernel[1] < 1) {
            throw new IllegalArgumentException(op + ": kernel must be two positive sizes, got " + java.util.Arrays.toString(kernel));
        }
        if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
            throw new IllegalArgumentException(op + ": padding " + padding[0] + "x" + padding[1] + " must be at most half the kernel "
                    + kernel[0] + "x" + kernel[1]);
        }
        int h = x.size(2), w = x.size(3);
        int p = ConvGeometry.poolOutSize(h, kernel[0], stride[0], padding[0], dilation[0], ceilMode);
        int q = ConvGeometry.poolOutSize(w, kernel[1], stride[1], padding[1], dilation[1], ceilMode);
        if (p < 1 || q < 1) {
            throw new IllegalArgumentException(op + ": kernel " + kernel[0] + "x" + kernel[1] + " is larger than the padded input "
                    + (h + 2 * padding[0]) + "x" + (w + 2 * padding[1]) + " (input " + Shapes.str(x.shape()) + ")");
        }
        return new PoolGeometry(x.size(0), x.size(1), h, w, p, q, kernel[0], kernel[1], stride[0], stride[1],
                padding[0], padding[1], dilation[0], dilation[1]);
    }

    // ---- batch norm --------------------------------------------------------------------------

    /**
     * Batch norm over the channels of {@code x [N, C, H, W]} (or {@code [N, C]}). In training mode it
     * normalises with the batch statistics and, when the running tensors are non-null, updates
     * them in place ({@code running = (1 − momentum)·running + momentum·batch}, unbiased variance);
     * in eval mode it uses the running statistics. {@code gamma}/{@code beta} may be null (1/0).
     */
    public static Tensor batchNorm2d(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                     boolean training, float momentum, float eps) {
        float32(x, "batchNorm2d input");
        if (x.rank() != 4 && x.rank() != 2) {
            throw new IllegalArgumentException("batchNorm2d needs [N, C, H, W] or [N, C] input, got " + Shapes.str(x.shape()));
        }
        int n = x.size(0), c = x.size(1);
        int hw = (int) (x.numel() / ((long) n * c));
        for (Tensor t : new Tensor[] {gamma, beta, runningMean, runningVar}) {
            if (t != null) {
                sameDevice("batchNorm2d", x, t);
                if (t.rank() != 1 || t.size(0) != c) {
                    throw new IllegalArgumentException("batchNorm2d: expected per-channel tensors of shape [" + c + "] for input "
                            + Shapes.str(x.shape()) + ", got " + Shapes.str(t.shape()));
                }
            }
        }
        Backend be = x.backend();
        Tensor y = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
        if (training) {
            if ((long) n * hw < 2) {
                throw new IllegalArgumentException("batchNorm2d in training mode needs more than one value per channel, input is "
                        + Shapes.str(x.shape()));
            }
            Tensor mean = Tensor.empty(x.device(), DType.FLOAT32, c);
            Tensor invstd = Tensor.empty(x.device(), DType.FLOAT32, c);
            be.vision().batchNorm2dForwardTrain(x.buffer(), y.buffer(), buf(gamma), buf(beta), buf(runningMean), buf(runningVar),
                    mean.buffer(), invstd.buffer(), n, c, hw, momentum, eps);
            return Autograd.op("batchNorm2d", y, gy -> {
                Tensor dx = x.requiresGrad() ? Tensor.empty(x.device(), DType.FLOAT32, x.shape()) : null;
                Tensor dg = gamma != null && gamma.requiresGrad() ? Tensor.empty(x.device(), DType.FLOAT32, c) : null;
                Tensor db = beta != null && beta.requiresGrad() ? Tensor.empty(x.device(), DType.FLOAT32, c) : null;
                be.vision().batchNorm2dBackward(gy.buffer(), x.buffer(), buf(gamma), mean.buffer(), invstd.buffer(),
                        buf(dx), buf(dg), buf(db), n, c, hw);
                return present(gamma, beta, dx, dg, db);
            }, present(gamma, beta, x, gamma, beta));
        }
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batchNorm2d in eval mode needs the running mean and variance");
        }
        be.vision().batchNorm2dForwardEval(x.buffer(), y.buffer(), buf(gamma), buf(beta), runningMean.buffer(), runningVar.buffer(), n, c, hw, eps);
        return Autograd.op("batchNorm2d", y, gy -> {
            // Frozen statistics: an affine map per channel, differentiated with ordinary ops.
            int[] bshape = x.rank() == 4 ? new int[] {1, c, 1, 1} : new int[] {1, c};
            Tensor invstd = runningVar.add(eps).pow(-0.5f).reshape(bshape);
            Tensor dx = null, dg = null, db = null;
            if (x.requiresGrad()) {
                dx = gamma == null ? gy.mul(invstd) : gy.mul(invstd.mul(gamma.reshape(bshape)));
            }
            if (gamma != null && gamma.requiresGrad()) {
                Tensor xhat = x.sub(runningMean.reshape(bshape)).mul(invstd);
                dg = channelSum(gy.mul(xhat));
            }
            if (beta != null && beta.requiresGrad()) {
                db = channelSum(gy);
            }
            return present(gamma, beta, dx, dg, db);
        }, present(gamma, beta, x, gamma, beta));
    }

    /** {@code {a, b, c}} without the slots whose optional {@code gamma}/{@code beta} is null (graph inputs are never null). */
    private static Tensor[] present(Tensor gamma, Tensor beta, Tensor a, Tensor b, Tensor c) {
        if (gamma != null && beta != null) {
            return new Tensor[] {a, b, c};
        }
        if (gamma != null) {
            return new Tensor[] {a, b};
        }
        return beta != null ? new Tensor[] {a, c} : new Tensor[] {a};
    }

    /** Sums {@code [N, C, ...]} to {@code [C]}. */
    private static Tensor channelSum(Tensor t) {
        Tensor s = t.sum(0, false);
        while (s.rank() > 1) {
            s = s.sum(s.rank() - 1, false);
        }
        return s;
    }

    /** {@code [N, d1, d2, …] → [N, d1·d2·…]} from {@code startDim} on (PyTorch's {@code flatten(x, 1)}). */
    public static Tensor flatten(Tensor x, int startDim) {
        int[] s = x.shape();
        int a = Shapes.axis(startDim, s.length);
        int[] out = new int[a + 1];
        long prod = 1;
        for (int i = 0; i < s.length; i++) {
            if (i < a) {
                out[i] = s[i];
            } else {
                prod *= s[i];
            }
        }
        out[a] = (int) prod;
        return x.reshape(out);
    }

    // ---- checks ------------------------------------------------------------------------------

    private static dev.kiln.backend.Buffer buf(Tensor t) {
        return t == null ? null : t.buffer();
    }

    private static void float32(Tensor t, String what) {
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(what + " must be FLOAT32, got " + t.dtype() + " " + Shapes.str(t.shape()));
        }
    }

    private static void rank4(String op, Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + " needs an [N, C, H, W] input, got " + Shapes.str(x.shape()));
        }
    }

    private static void sameDevice(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": tensors are on different devices, " + a.device() + " and " + b.device());
        }
    }

    private static void checkPairs(String op, int[] stride, int[] padding, int[] dilation) {
        if (stride.length != 2 || padding.length != 2 || dilation.length != 2 || stride[0] < 1 || stride[1] < 1
                || padding[0] < 0 || padding[1] < 0 || dilation[0] < 1 || dilation[1] < 1) {
            throw new IllegalArgumentException(op + ": stride and dilation must be two positive values and padding two "
                    + "non-negative values, got stride " + java.util.Arrays.toString(stride) + ", padding "
                    + java.util.Arrays.toString(padding) + ", dilation " + java.util.Arrays.toString(dilation));
        }
    }
}
