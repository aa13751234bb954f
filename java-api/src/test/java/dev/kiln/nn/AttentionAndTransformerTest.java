package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kiln.Checks.assertClose;
import static dev.kiln.Checks.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Multi-head attention on identity projections against hand-computed softmax weights; Transformer blocks with zeroed branches. */
class AttentionAndTransformerTest {

    private static Tensor t(float[] v, int... shape) {
        return Tensor.fromArray(v, shape);
    }

    private static void set(Module m, String name, Tensor value) {
        m.stateDict().get(name).assign(value);
    }

    private static MultiheadAttention identity(int dim, int heads) {
        MultiheadAttention a = new MultiheadAttention(dim, heads, new Generator(1));
        float[] eye = new float[dim * dim];
        for (int i = 0; i < dim; i++) {
            eye[i * dim + i] = 1;
        }
        for (String p : new String[] {"q", "k", "v", "out"}) {
            set(a, p + ".weight", t(eye, dim, dim));
            set(a, p + ".bias", Tensor.zeros(dim));
        }
        return a;
    }

    @Test
    void identityProjectionsGiveScaledDotProductAttention() {
        MultiheadAttention a = identity(2, 1);
        // x = [[1, 0], [0, 1]]: scores x xᵀ / √2; row 0 weights (e^{1/√2}, 1) normalised
        Tensor x = t(new float[] {1, 0, 0, 1}, 1, 2, 2);
        double e = Math.exp(1 / Math.sqrt(2)), w0 = e / (e + 1), w1 = 1 / (e + 1);
        assertTensor(new float[] {(float) w0, (float) w1, (float) w1, (float) w0}, new int[] {1, 2, 2}, a.forward(x), "self-attention");
        assertTensor(new float[] {1, 0, (float) w1, (float) w0}, new int[] {1, 2, 2}, a.forward(x, x, x, true, null), "causal");
        assertTensor(new float[] {1, 0, 1, 0}, new int[] {1, 2, 2}, a.forward(x, x, x, false, Tensor.fromIndices(new int[] {1})), "one key");
        assertTensor(new float[] {0, 1, 0, 1}, new int[] {1, 2, 2},
                a.forwardMasked(x, x, x, false, Tensor.fromIndices(new int[] {0, 1}, 1, 1, 1, 2)), "mask keeps only key 1");
        assertEquals("MultiheadAttention(2, heads=1)", a.toString());
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(3, 2, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(2, 0, new Generator(1)));
    }

    @Test
    void headsAttendSeparately() {
        MultiheadAttention a = identity(2, 2);
        // one feature per head, scale 1: head 0 sees (1, 0) → key 0 preferred by query 0 only
        Tensor x = t(new float[] {1, 0, 0, 2}, 1, 2, 2);
        Tensor q = x.reshape(1, 2, 2, 1).permute(0, 2, 1, 3);
        Tensor want = SequenceOps.scaledDotProductAttention(q, q, q, false, null).permute(0, 2, 1, 3).reshape(1, 2, 2);
        double e1 = Math.E; // head 0, query 0: scores (1, 0)
        double e4 = Math.exp(4); // head 1, query 1: scores (0, 4)
        float h0q0 = (float) (e1 / (e1 + 1)), h1q1 = (float) (2 * e4 / (e4 + 1));
        assertClose(new float[] {h0q0, 1, 0.5f, h1q1}, a.forward(x).toFloatArray(), "two heads");
        assertClose(want.toFloatArray(), a.forward(x).toFloatArray(), "the fused op on split heads");
    }

    private static void zeroBranches(Module layer, String... linears) {
        for (String l : linears) {
            set(layer, l + ".weight", Tensor.zeros(layer.stateDict().get(l + ".weight").shape()));
            set(layer, l + ".bias", Tensor.zeros(layer.stateDict().get(l + ".bias").shape()));
        }
    }

    @Test
    void encoderLayerAddsBothBranchesToTheResidual() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(2, 1, 3, 0.5f, new Generator(1), new Generator(2));
        layer.eval();
        zeroBranches(layer, "attn.out", "ff2");
        Tensor x = t(new float[] {1, 2, 3, 5}, 1, 2, 2);
        assertTensor(x.toFloatArray(), new int[] {1, 2, 2}, layer.forward(x), "zero branches: the identity");
        set(layer, "ff2.bias", t(new float[] {1, -1}, 2));
        assertTensor(new float[] {2, 1, 4, 4}, new int[] {1, 2, 2}, layer.forward(x, true, null), "ff bias added once");
        set(layer, "attn.out.bias", t(new float[] {0.5f, 0.5f}, 2));
        // the attention branch adds 0.5; the feed-forward sees layer-normed x + 0.5 but its weights are zero
        assertTensor(new float[] {2.5f, 1.5f, 4.5f, 4.5f}, new int[] {1, 2, 2}, layer.forward(x), "both branches");
        layer.train();
        float[] trained = layer.forward(x).toFloatArray();
        boolean dropped = false;
        for (int k = 0; k < trained.length; k++) {
            dropped |= Math.abs(trained[k] - new float[] {2.5f, 1.5f, 4.5f, 4.5f}[k]) > 1e-3;
        }
        assertEquals(true, dropped, "dropout acts in training mode");
    }

    @Test
    void decoderLayerAddsThreeBranches() {
        TransformerDecoderLayer layer = new TransformerDecoderLayer(2, 1, 3, 0f, new Generator(1), new Generator(2));
        zeroBranches(layer, "self.out", "cross.out", "ff2");
        Tensor x = t(new float[] {1, 2, 3, 5}, 1, 2, 2), mem = t(new float[] {0, 1, 1, 0, 2, 2}, 1, 3, 2);
        assertTensor(x.toFloatArray(), new int[] {1, 2, 2}, layer.forward(x, mem, null), "identity");
        set(layer, "self.out.bias", t(new float[] {1, 0}, 2));
        set(layer, "cross.out.bias", t(new float[] {0, 2}, 2));
        set(layer, "ff2.bias", t(new float[] {-4, 0}, 2));
        assertTensor(new float[] {-2, 4, 0, 7}, new int[] {1, 2, 2}, layer.forward(x, mem, Tensor.fromIndices(new int[] {2})), "three biases");
        assertThrows(UnsupportedOperationException.class, () -> layer.forward(x));
    }

    @Test
    void languageModelAndEncoderDecoderShapes() {
        TransformerLM lm = new TransformerLM(5, 4, 2, 2, 8, 6, 0f, new Generator(1), new Generator(2));
        assertEquals(6, lm.maxLen());
        Tensor ids = Tensor.fromIndices(new int[] {1, 2, 3, 4, 0, 1}, 2, 3);
        assertArrayEquals(new int[] {2, 3, 5}, lm.forward(ids).shape());
        // causal: changing the last token leaves the earlier positions' logits unchanged
        Tensor ids2 = Tensor.fromIndices(new int[] {1, 2, 0, 4, 0, 3}, 2, 3);
        float[] a = lm.forward(ids).slice(1, 0, 2).toFloatArray(), b = lm.forward(ids2).slice(1, 0, 2).toFloatArray();
        assertClose(a, b, "earlier positions");
        assertEquals(java.util.List.of("embed.weight", "pos.table"), java.util.List.copyOf(lm.namedParameters().keySet()).subList(0, 2));

        Transformer tr = new Transformer(5, 4, 2, 1, 8, 6, 0f, new Generator(1), new Generator(2));
        Tensor src = Tensor.fromIndices(new int[] {1, 2, 3, 4}, 1, 4), tgt = Tensor.fromIndices(new int[] {0, 1}, 1, 2);
        assertArrayEquals(new int[] {1, 4, 4}, tr.encode(src, null).shape());
        assertArrayEquals(new int[] {1, 2, 5}, tr.forward(src, null, tgt).shape());
        assertThrows(UnsupportedOperationException.class, () -> tr.forward(src));
        // padding: source tokens past the length do not matter
        Tensor src2 = Tensor.fromIndices(new int[] {1, 2, 0, 0}, 1, 4), len = Tensor.fromIndices(new int[] {2});
        assertClose(tr.forward(src, len, tgt).toFloatArray(), tr.forward(src2, len, tgt).toFloatArray(), "padding ignored");
        Map<String, Tensor> sd = tr.stateDict();
        assertEquals(true, sd.containsKey("pos.table") && sd.containsKey("enc0.attn.q.weight") && sd.containsKey("dec0.cross.v.bias"));
    }

    @Test
    void transformerEmbeddingsAreScaledByFourOverRootDim() {
        Transformer tr = new Transformer(3, 4, 1, 1, 4, 4, 0f, new Generator(1), new Generator(2));
        for (String n : tr.stateDict().keySet()) {
            if (n.startsWith("enc0.") && (n.contains(".out.") || n.contains("ff2."))) {
                set(tr, n, Tensor.zeros(tr.stateDict().get(n).shape()));
            }
        }
        set(tr, "srcEmbed.weight", t(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -1}, 3, 4));
        Tensor memory = tr.encode(Tensor.fromIndices(new int[] {2}, 1, 1), null);
        // position 0 adds (sin 0, cos 0, sin 0, cos 0) = (0, 1, 0, 1); embedding (0, 0, 1, -1) · 4/√4 = (0, 0, 2, -2)
        float[] v = {0, 1, 2, -1};
        double mean = 0.5, var = (0.25 + 0.25 + 2.25 + 2.25) / 4;
        float[] want = new float[4];
        for (int k = 0; k < 4; k++) {
            want[k] = (float) ((v[k] - mean) / Math.sqrt(var + 1e-5));
        }
        assertTensor(want, new int[] {1, 1, 4}, memory, 1e-4, "layer-normed scaled embedding plus position");
    }
}
