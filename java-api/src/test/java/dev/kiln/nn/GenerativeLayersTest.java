package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Values of the generative-model layers computed by hand (and, for the transposed convolution, by a
 * direct scatter in double at random sizes); their gradients are checked through the op registry.
 */
class GenerativeLayersTest {

    private static void close(float[] want, float[] got, float tol) {
        assertEquals(want.length, got.length, "length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    @Test
    void convTransposeScattersEachInputTimesTheKernel() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor w = Tensor.fromArray(new float[] {1, 10, 100, 1000}, 1, 1, 2, 2);
        Tensor y = GenerativeF.convTranspose2d(x, w, Tensor.fromArray(new float[] {0.5f}, 1), 2, 0, 0);
        assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape());
        close(new float[] {1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000},
                y.sub(0.5f).toFloatArray(), 0f);
        // Stride 1: overlapping windows add up.
        Tensor y1 = GenerativeF.convTranspose2d(Tensor.fromArray(new float[] {1, 2}, 1, 1, 1, 2),
                Tensor.fromArray(new float[] {3, 5}, 1, 1, 1, 2), null, 1, 0, 0);
        close(new float[] {3, 11, 10}, y1.toFloatArray(), 0f);
        // Padding crops the border; output padding adds a row and column at the end.
        Tensor y2 = GenerativeF.convTranspose2d(x, w, null, 2, 1, 1);
        assertArrayEquals(new int[] {1, 1, 3, 3}, y2.shape());
        close(new float[] {1000, 200, 2000, 30, 4, 40, 3000, 400, 4000}, y2.toFloatArray(), 0f);
    }

    @Test
    void convTransposeMatchesADirectScatter() {
        Generator g = new Generator(17);
        int n = 2, cin = 4, h = 3, wd = 5, groups = 2, coutG = 3, r = 3, s = 2;
        int[] stride = {2, 3}, pad = {1, 0}, outPad = {1, 2}, dil = {1, 2};
        Tensor x = Tensor.randn(g, n, cin, h, wd), w = Tensor.randn(g, cin, coutG, r, s), b = Tensor.randn(g, coutG * groups);
        Tensor y = GenerativeF.convTranspose2d(x, w, b, stride, pad, outPad, dil, groups);
        int ho = (h - 1) * stride[0] - 2 * pad[0] + dil[0] * (r - 1) + outPad[0] + 1;
        int wo = (wd - 1) * stride[1] - 2 * pad[1] + dil[1] * (s - 1) + outPad[1] + 1;
        int cout = coutG * groups;
        assertArrayEquals(new int[] {n, cout, ho, wo}, y.shape());
        float[] xv = x.toFloatArray(), wv = w.toFloatArray(), bv = b.toFloatArray();
        double[] want = new double[n * cout * ho * wo];
        for (int i = 0; i < want.length; i++) {
            want[i] = bv[(i / (ho * wo)) % cout];
        }
        int cinG = cin / groups;
        for (int in = 0; in < n; in++) {
            for (int c = 0; c < cin; c++) {
                int grp = c / cinG;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        for (int oc = 0; oc < coutG; oc++) {
                            for (int a = 0; a < r; a++) {
                                for (int bb = 0; bb < s; bb++) {
                                    int oi = i * stride[0] - pad[0] + a * dil[0], oj = j * stride[1] - pad[1] + bb * dil[1];
                                    if (oi < 0 || oi >= ho || oj < 0 || oj >= wo) {
                                        continue;
                                    }
                                    int co = grp * coutG + oc;
                                    want[((in * cout + co) * ho + oi) * wo + oj] += (double) xv[((in * cin + c) * h + i) * wd + j]
                                            * wv[((c * coutG + oc) * r + a) * s + bb];
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] got = y.toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    @Test
    void convTransposeModuleDoublesTheResolution() {
        ConvTranspose2d up = new ConvTranspose2d(3, 5, 4, 2, 1, new Generator(2));
        assertArrayEquals(new int[] {2, 5, 14, 10}, up.forward(Tensor.randn(new Generator(3), 2, 3, 7, 5)).shape());
        assertEquals(3 * 5 * 16 + 5, up.parameterCount());
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(3, 5, 4, 2, 1, 2, 1, true, new Generator(2)));
        assertThrows(IllegalArgumentException.class, () -> up.forward(Tensor.randn(new Generator(3), 2, 4, 7, 5)));
    }

    @Test
    void upsampleRepeatsPixelsAndSumsTheirGradients() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 1, 2, 2).requiresGrad(true);
        Tensor y = new Upsample().forward(x);
        close(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.toFloatArray(), 0f);
        float[] w = new float[16];
        for (int i = 0; i < 16; i++) {
            w[i] = i;
        }
        y.mul(Tensor.fromArray(w, 1, 1, 4, 4)).sum().backward();
        // x[0,0] feeds positions 0, 1, 4, 5 and so on.
        close(new float[] {0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15}, x.grad().toFloatArray(), 0f);
        assertArrayEquals(new int[] {2, 3, 3, 12}, GenerativeF.upsampleNearest(Tensor.zeros(2, 3, 1, 4), 3, 3).shape());
    }

    @Test
    void groupNormByHand() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 2, 2);
        float sd = (float) Math.sqrt(1.25 + 1e-5);
        // One group: statistics over both channels, then the per-channel affine.
        Tensor y = GenerativeF.groupNorm(x, 1, Tensor.fromArray(new float[] {2, 1}, 2), Tensor.fromArray(new float[] {0, 10}, 2), 1e-5f);
        close(new float[] {-1.5f / sd * 2, -0.5f / sd * 2, 0.5f / sd + 10, 1.5f / sd + 10}, y.toFloatArray(), 1e-5f);
        // Two groups of one channel each: [1, 2] and [3, 4] each normalise to -1, 1.
        float one = (float) (0.5 / Math.sqrt(0.25 + 1e-5));
        close(new float[] {-one, one, -one, one}, new GroupNorm(2, 2, 1e-5f, false).forward(x).toFloatArray(), 1e-5f);
        GroupNorm gn = new GroupNorm(2, 4);
        Tensor z = gn.forward(Tensor.randn(new Generator(5), 3, 4, 5, 5).mul(3f).add(2f));
        float[] zv = z.toFloatArray();
        double m = 0, v = 0;
        for (int i = 0; i < 50; i++) {     // sample 0, group 0: channels 0 and 1
            m += zv[i];
            v += zv[i] * zv[i];
        }
        assertEquals(0, m / 50, 1e-5);
        assertEquals(1, v / 50, 1e-3);
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
    }

    @Test
    void siluByHand() {
        float[] y = new SiLU().forward(Tensor.fromArray(new float[] {0, 1, -2, 5}, 4)).toFloatArray();
        close(new float[] {0, 0.7310586f, -0.23840584f, 4.966536f}, y, 1e-6f);
    }

    @Test
    void sinusoidalEmbeddingByHand() {
        float[] t = GenerativeF.sinusoidalTable(10, 5, 10000.0);
        // dim 5: half 2, frequencies 1 and 10000^(-1/2) = 0.01, a zero fifth column.
        close(new float[] {0, 0, 1, 1, 0}, java.util.Arrays.copyOfRange(t, 0, 5), 0f);
        close(new float[] {(float) Math.sin(7), (float) Math.sin(0.07), (float) Math.cos(7), (float) Math.cos(0.07), 0},
                java.util.Arrays.copyOfRange(t, 35, 40), 1e-6f);
        TimestepEmbedding emb = new TimestepEmbedding(10, 5);
        Tensor e = emb.forward(Tensor.fromIndices(new int[] {7, 0, 7}));
        assertArrayEquals(new int[] {3, 5}, e.shape());
        float[] ev = e.toFloatArray();
        close(java.util.Arrays.copyOfRange(t, 35, 40), java.util.Arrays.copyOfRange(ev, 0, 5), 0f);
        close(java.util.Arrays.copyOfRange(t, 0, 5), java.util.Arrays.copyOfRange(ev, 5, 10), 0f);
        assertEquals(0, emb.parameterCount(), "the table is a buffer, not trained");
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.fromArray(new float[] {1}, 1)));
    }
}
