package dev.kiln;

import dev.kiln.nn.LSTM;
import dev.kiln.nn.MultiheadAttention;
import dev.kiln.nn.TransformerLM;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward values of the sequence ops against compositions of plain tensor ops (the gradient checks
 * of {@code GradCheckTest} only prove the backward matches the forward), and the bad-input errors.
 */
class SequenceOpsTest {

    private static void close(float[] want, float[] got, float tol) {
        assertEquals(want.length, got.length);
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], tol * (1 + Math.abs(want[k])), "element " + k);
        }
    }

    @Test
    void fusedAttentionMatchesTheComposedPathWithMasks() {
        Generator g = new Generator(3);
        Tensor q = Tensor.randn(g, 2, 3, 7, 8), k = Tensor.randn(g, 2, 3, 9, 8), v = Tensor.randn(g, 2, 3, 9, 8);
        Tensor len = Tensor.fromIndices(new int[] {4, 9});
        for (boolean causal : new boolean[] {false, true}) {
            Tensor fused = SequenceOps.scaledDotProductAttention(q, k, v, causal, len, 0.4f);
            Tensor composed = SequenceOps.composedAttention(q, k, v, causal, len, 0.4f);
            close(composed.toFloatArray(), fused.toFloatArray(), 1e-5f);
        }
    }

    /** Softmax attention written out in doubles, one (b, h, i) row at a time, with a keep predicate. */
    private static float[] referenceAttention(Tensor q, Tensor k, Tensor v, float scale, float[] keep, int[] ms, boolean causal) {
        int b = q.size(0), h = q.size(1), lq = q.size(2), lk = k.size(2), d = q.size(3);
        float[] qa = q.toFloatArray(), ka = k.toFloatArray(), va = v.toFloatArray();
        float[] out = new float[b * h * lq * d];
        for (int bb = 0; bb < b; bb++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < lq; i++) {
                    double[] w = new double[lk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < lk; j++) {
                        int mi = ((bb % ms[0] * ms[1] + hh % ms[1]) * ms[2] + i % ms[2]) * lk + j;
                        if (keep[mi] == 0 || (causal && j > i)) {
                            w[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += qa[((bb * h + hh) * lq + i) * d + c] * (double) ka[((bb * h + hh) * lk + j) * d + c];
                        }
                        w[j] = dot * scale;
                        max = Math.max(max, w[j]);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        continue; // no visible key: the row stays 0
                    }
                    double sum = 0;
                    for (int j = 0; j < lk; j++) {
                        w[j] = Math.exp(w[j] - max);
                        sum += w[j];
                    }
                    for (int j = 0; j < lk; j++) {
                        for (int c = 0; c < d; c++) {
                            out[((bb * h + hh) * lq + i) * d + c] += (float) (w[j] / sum * va[((bb * h + hh) * lk + j) * d + c]);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void maskedAttentionFollowsAnyBroadcastMask() {
        Generator g = new Generator(5);
        Tensor q = Tensor.randn(g, 2, 3, 6, 4), k = Tensor.randn(g, 2, 3, 7, 4), v = Tensor.randn(g, 2, 3, 7, 4);
        int[][] shapes = {{2, 1, 1, 7}, {1, 1, 6, 7}, {2, 3, 6, 7}, {1, 3, 1, 7}};
        for (int[] ms : shapes) {
            int n = ms[0] * ms[1] * ms[2] * ms[3];
            float[] keep = new float[n];
            for (int x = 0; x < n; x++) {
                keep[x] = g.nextInt(3) == 0 ? 0f : 1f;
            }
            keep[0] = 0f;
            keep[1] = 1f; // never a prefix, so the composed path runs
            for (int j = 0; j < 7; j++) {
                keep[n - 1 - j] = 0f; // the last row sees no key at all
            }
            for (boolean causal : new boolean[] {false, true}) {
                Tensor got = SequenceOps.maskedAttention(q, k, v, causal, Tensor.fromArray(keep, ms), 0.5f);
                close(referenceAttention(q, k, v, 0.5f, keep, ms, causal), got.toFloatArray(), 1e-5f);
            }
        }
    }

    @Test
    void prefixKeyMaskEqualsKeyLengths() {
        Generator g = new Generator(6);
        Tensor q = Tensor.randn(g, 2, 2, 5, 4), k = Tensor.randn(g, 2, 2, 6, 4), v = Tensor.randn(g, 2, 2, 6, 4);
        Tensor mask = Tensor.fromIndices(new int[] {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1}, 2, 1, 1, 6);
        Tensor byMask = SequenceOps.maskedAttention(q, k, v, true, mask);
        Tensor byLen = SequenceOps.scaledDotProductAttention(q, k, v, true, Tensor.fromIndices(new int[] {3, 6}));
        assertArrayEquals(byLen.toFloatArray(), byMask.toFloatArray());
    }

    @Test
    void attentionMaskOfTheWrongShapeNamesBothShapes() {
        Generator g = new Generator(7);
        Tensor q = Tensor.randn(g, 2, 2, 5, 4), k = Tensor.randn(g, 2, 2, 6, 4);
        for (Tensor bad : new Tensor[] {Tensor.fromIndices(new int[12], 2, 6), Tensor.fromIndices(new int[10], 2, 1, 1, 5),
                Tensor.fromIndices(new int[36], 3, 2, 1, 6)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SequenceOps.maskedAttention(q, k, k, false, bad));
            assertTrue(e.getMessage().contains("[2, 2, 5, 6]") && e.getMessage().contains(java.util.Arrays.toString(bad.shape())),
                    e.getMessage());
        }
    }

    @Test
    void lstmMatchesAStepByStepComposition() {
        Generator g = new Generator(5);
        int b = 2, t = 3, in = 4, h = 3;
        Tensor x = Tensor.randn(g, b, t, in), w = Tensor.randn(g, in, 4 * h), u = Tensor.randn(g, h, 4 * h), bias = Tensor.randn(g, 4 * h);
        Tensor h0 = Tensor.randn(g, b, h), c0 = Tensor.randn(g, b, h);
        SequenceOps.LstmResult r = SequenceOps.lstm(x, h0, c0, w, u, bias, null);
        Tensor hp = h0, cp = c0;
        for (int s = 0; s < t; s++) {
            Tensor pre = x.select(1, s).matmul(w).add(hp.matmul(u)).add(bias);
            Tensor i = pre.slice(1, 0, h).sigmoid(), f = pre.slice(1, h, 2 * h).sigmoid();
            Tensor gg = pre.slice(1, 2 * h, 3 * h).tanh(), o = pre.slice(1, 3 * h, 4 * h).sigmoid();
            cp = f.mul(cp).add(i.mul(gg));
            hp = o.mul(cp.tanh());
            close(hp.toFloatArray(), r.output().select(1, s).toFloatArray(), 1e-5f);
        }
        close(hp.toFloatArray(), r.h().toFloatArray(), 1e-5f);
        close(cp.toFloatArray(), r.c().toFloatArray(), 1e-5f);
    }

    @Test
    void maskedLstmRowsStopAtTheirLength() {
        Generator g = new Generator(6);
        LSTM lstm = new LSTM(3, 4, 2, g);
        Tensor x = Tensor.randn(g, 2, 5, 3);
        LSTM.Output full = lstm.forward(x.slice(0, 1, 2).slice(1, 0, 2), null, null, null);
        LSTM.Output masked = lstm.forward(x, null, null, Tensor.fromIndices(new int[] {5, 2}));
        close(full.h().select(1, 0).toFloatArray(), masked.h().select(1, 1).toFloatArray(), 1e-5f);
        close(full.c().select(1, 0).toFloatArray(), masked.c().select(1, 1).toFloatArray(), 1e-5f);
    }

    @Test
    void layerNormNormalisesTheLastAxis() {
        Tensor x = Tensor.randn(new Generator(2), 4, 10).mul(3f).add(1f);
        float[] y = SequenceOps.layerNorm(x, null, null, 1e-5f).toFloatArray();
        for (int r = 0; r < 4; r++) {
            double m = 0, s = 0;
            for (int j = 0; j < 10; j++) {
                m += y[r * 10 + j];
                s += y[r * 10 + j] * y[r * 10 + j];
            }
            assertEquals(0, m / 10, 1e-5);
            assertEquals(1, s / 10, 1e-3);
        }
    }

    @Test
    void causalLmOutputsDoNotSeeTheFuture() {
        Generator g = new Generator(8);
        TransformerLM lm = new TransformerLM(11, 16, 2, 1, 32, 8, 0f, g, g);
        Tensor a = Tensor.fromIndices(new int[] {1, 2, 3, 4, 5}, 1, 5), b = Tensor.fromIndices(new int[] {1, 2, 3, 9, 9}, 1, 5);
        float[] la = lm.forward(a).slice(1, 0, 3).toFloatArray(), lb = lm.forward(b).slice(1, 0, 3).toFloatArray();
        assertArrayEquals(la, lb, 1e-5f);
    }

    @Test
    void tokenIdOutsideTheVocabularyNamesIdAndSize() {
        Tensor w = Tensor.randn(new Generator(1), 65, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceOps.embedding(w, Tensor.fromIndices(new int[] {3, 70})));
        assertTrue(e.getMessage().contains("70") && e.getMessage().contains("65"), e.getMessage());
    }

    @Test
    void maskOfTheWrongShapeIsAnError() {
        Generator g = new Generator(1);
        MultiheadAttention mha = new MultiheadAttention(8, 2, g);
        Tensor x = Tensor.randn(g, 2, 5, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mha.forward(x, x, x, false, Tensor.fromIndices(new int[] {5, 5, 5})));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                () -> new LSTM(8, 4, 1, g).forward(x, null, null, Tensor.fromIndices(new int[] {5, 6})));
        assertTrue(l.getMessage().contains("6"), l.getMessage());
    }
}
