package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.Vision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vision ops against direct loops, batch-norm running statistics, layer shapes and input errors. */
class VisionTest {

    @Test
    void conv2dMatchesTheDefinition() {
        Generator g = new Generator(5);
        int n = 5, c = 6, h = 13, w = 11, k = 8, r = 3, s = 3, groups = 2, stride = 2, pad = 1, dil = 1;
        Tensor x = Tensor.randn(g, n, c, h, w), wt = Tensor.randn(g, k, c / groups, r, s), b = Tensor.randn(g, k);
        Tensor y = Vision.conv2d(x, wt, b, stride, pad, dil, groups, false);
        int p = (h + 2 * pad - r) / stride + 1, q = (w + 2 * pad - s) / stride + 1;
        assertArrayEquals(new int[] {n, k, p, q}, y.shape());
        float[] xv = x.toFloatArray(), wv = wt.toFloatArray(), bv = b.toFloatArray(), yv = y.toFloatArray();
        int cg = c / groups, kg = k / groups;
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                for (int ip = 0; ip < p; ip++) {
                    for (int iq = 0; iq < q; iq++) {
                        double acc = bv[ik];
                        int gi = ik / kg;
                        for (int ic = 0; ic < cg; ic++) {
                            for (int ir = 0; ir < r; ir++) {
                                for (int is = 0; is < s; is++) {
                                    int hh = ip * stride - pad + ir * dil, ww = iq * stride - pad + is * dil;
                                    if (hh >= 0 && hh < h && ww >= 0 && ww < w) {
                                        acc += (double) xv[((in * c + gi * cg + ic) * h + hh) * w + ww] * wv[((ik * cg + ic) * r + ir) * s + is];
                                    }
                                }
                            }
                        }
                        assertEquals(acc, yv[((in * k + ik) * p + ip) * q + iq], 1e-4);
                    }
                }
            }
        }
    }

    /** NHWC equals NCHW on the same data (permuted), values and gradients, with groups, stride and dilation. */
    @Test
    void conv2dNhwcEqualsNchwPermuted() {
        Generator g = new Generator(6);
        Tensor x = Tensor.randn(g, 2, 6, 9, 7).requiresGrad(true), wt = Tensor.randn(g, 4, 3, 3, 2).requiresGrad(true);
        Tensor b = Tensor.randn(g, 4).requiresGrad(true);
        int[] st = {2, 1}, pad = {1, 0}, dil = {1, 2};
        Tensor y = Vision.conv2d(x, wt, b, st, pad, dil, 2, true);
        Tensor xl = x.detach().permute(0, 2, 3, 1).requiresGrad(true);
        Tensor wl = wt.detach().permute(0, 2, 3, 1).requiresGrad(true);
        Tensor bl = b.detach().requiresGrad(true);
        Tensor yl = Vision.conv2dNhwc(xl, wl, bl, st, pad, dil, 2, true);
        assertArrayEquals(y.permute(0, 2, 3, 1).toFloatArray(), yl.toFloatArray(), 1e-5f);
        Tensor gy = Tensor.randn(g, y.shape());
        y.mul(gy).sum().backward();
        yl.mul(gy.permute(0, 2, 3, 1)).sum().backward();
        assertArrayEquals(x.grad().permute(0, 2, 3, 1).toFloatArray(), xl.grad().toFloatArray(), 1e-4f);
        assertArrayEquals(wt.grad().permute(0, 2, 3, 1).toFloatArray(), wl.grad().toFloatArray(), 1e-4f);
        assertArrayEquals(b.grad().toFloatArray(), bl.grad().toFloatArray(), 1e-4f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vision.conv2dNhwc(xl, wt, null, st, pad, dil, 2, false));
        assertTrue(e.getMessage().contains("conv2dNhwc") && e.getMessage().contains("channels"), e.getMessage());
    }

    @Test
    void batchNormTracksRunningStatisticsAndEvaluatesWithThem() {
        BatchNorm2d bn = new BatchNorm2d(2);
        float[] v = new float[2 * 2 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Tensor x = Tensor.fromArray(v, 2, 2, 3, 1);
        Tensor y = bn.forward(x);
        // channel 0 holds 0,1,2,6,7,8: mean 4, biased var 9.667, unbiased 11.6
        float[] rm = bn.stateDict().get("running_mean").toFloatArray(), rv = bn.stateDict().get("running_var").toFloatArray();
        assertEquals(0.4f, rm[0], 1e-5);
        assertEquals(0.9f + 0.1f * 11.6f, rv[0], 1e-4);
        assertEquals((0 - 4) / Math.sqrt(29.0 / 3 + 1e-5), y.toFloatArray()[0], 1e-4);
        bn.eval();
        float[] e = bn.forward(x).toFloatArray();
        assertEquals((0 - rm[0]) / Math.sqrt(rv[0] + 1e-5), e[0], 1e-4);
    }

    @Test
    void layersProduceTorchShapes() {
        Generator g = new Generator(1);
        Tensor x = Tensor.randn(g, 2, 3, 9, 8);
        assertArrayEquals(new int[] {2, 4, 5, 4}, new Conv2d(3, 4, 3, 2, 1, g).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 4, 4}, new MaxPool2d(2).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 5, 4}, new AvgPool2d(3, 2, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 1, 1}, new AdaptiveAvgPool2d(1, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 216}, new Flatten().forward(x).shape());
    }

    @Test
    void badInputsNameWhatWasExpected() {
        Generator g = new Generator(1);
        Tensor x = Tensor.randn(g, 2, 3, 5, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(4, 8, 3, g).forward(x));
        assertTrue(e.getMessage().contains("expected input with 4 channels") && e.getMessage().contains("got 3 channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, 7, g).forward(x));
        assertTrue(e.getMessage().contains("larger than the padded input 5x5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(6).forward(x));
        assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(4).forward(x));
        assertTrue(e.getMessage().contains("expected input with 4 channels, got 3"), e.getMessage());
    }

    @Test
    void cropFlipShiftsMirrorsAndFills() {
        // One 1x3x3 image 1..9; crop offset (dy, dx) = (0, 2) with pad 1 shifts up-left by (-1, +1), then flip.
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        assertArrayEquals(new float[] {-1, -1, -1, 2, 3, -1, 5, 6, -1},
                Vision.cropFlip(x, new int[] {0, 2, 0}, 1, -1f).toFloatArray());
        assertArrayEquals(new float[] {-1, -1, -1, 3, 2, 1, 6, 5, 4},
                Vision.cropFlip(x, new int[] {0, 1, 1}, 1, -1f).toFloatArray());
        Tensor y = Vision.randomCropFlip(Tensor.randn(new Generator(3), 4, 2, 5, 5), 2, true, new Generator(9));
        assertArrayEquals(new int[] {4, 2, 5, 5}, y.shape());
        assertThrows(IllegalArgumentException.class, () -> Vision.cropFlip(x, new int[] {0, 3, 0}, 1, 0f));
        assertThrows(IllegalArgumentException.class, () -> Vision.cropFlip(x, new int[] {0, 0}, 1, 0f));
    }
}
