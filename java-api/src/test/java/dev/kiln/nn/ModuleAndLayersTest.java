package dev.kiln.nn;

import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Gemm;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.Checks.assertClose;
import static dev.kiln.Checks.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module bookkeeping, every layer's forward on hand-set weights, initialisers, losses, and the layers' names and errors. */
class ModuleAndLayersTest {

    private static Tensor t(float[] v, int... shape) {
        return Tensor.fromArray(v, shape);
    }

    /** A module with a parameter, a buffer and a child, to exercise the base class. */
    private static final class Box extends Module {
        Box() {
            registerParameter("w", t(new float[] {1, 2}, 2));
            registerBuffer("b", Tensor.zeros(2));
            registerModule("lin", new Linear(2, 1, new Generator(1)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return module("lin").forward(x.mul(param("w")).add(buffer("b")));
        }
    }

    @Test
    void namesStateDictsAndParameterCounts() {
        Box m = new Box();
        assertEquals(List.of("w", "lin.weight", "lin.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("w", "b", "lin.weight", "lin.bias"), List.copyOf(m.stateDict().keySet()));
        assertEquals(5, m.parameterCount());
        assertEquals(3, m.parameters().size());
        assertEquals(1, m.children().size());
        assertTrue(m.param("w").requiresGrad());
        assertNull(m.paramOrNull("nope"));
        assertThrows(IllegalArgumentException.class, () -> m.param("nope"));
        assertThrows(IllegalArgumentException.class, () -> m.module("nope"));
        assertThrows(IllegalArgumentException.class, () -> m.setBuffer("nope", Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("w", Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> m.registerBuffer("lin", Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> m.registerModule("b", new Flatten()));
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("", Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", Tensor.zeros(1)));
        m.setBuffer("b", t(new float[] {3, 4}, 2));
        assertClose(new float[] {3, 4}, m.buffer("b").toFloatArray(), "buffer");
        // a non-leaf registered as a parameter is detached first
        Tensor nonLeaf = Tensor.ones(2).requiresGrad(true).mul(2f);
        Tensor p = m.registerParameter("extra", nonLeaf);
        assertTrue(p.isLeaf());
        assertTrue(p.requiresGrad());
        assertTrue(m.toString().startsWith("Box("), m.toString());
        assertTrue(m.toString().contains("lin: Linear(2 -> 1)"), m.toString());
    }

    @Test
    void loadStateDictCopiesValuesOrRejectsWithoutChanges() {
        Box a = new Box(), b = new Box();
        a.param("w").assign(t(new float[] {5, 6}, 2));
        a.setBuffer("b", t(new float[] {7, 8}, 2));
        b.loadStateDict(a.stateDict());
        assertClose(new float[] {5, 6}, b.param("w").toFloatArray(), "w");
        assertClose(new float[] {7, 8}, b.stateDict().get("b").toFloatArray(), "b");
        Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
        bad.put("w", Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        Map<String, Tensor> wrongType = new LinkedHashMap<>(a.stateDict());
        wrongType.put("w", Tensor.fromIndices(new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrongType));
        Map<String, Tensor> missing = new LinkedHashMap<>(a.stateDict());
        missing.remove("b");
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(missing));
        assertTrue(e.getMessage().contains("missing [b]"), e.getMessage());
        Map<String, Tensor> extra = new LinkedHashMap<>(a.stateDict());
        extra.put("zzz", Tensor.zeros(1));
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(extra));
        assertTrue(e.getMessage().contains("unexpected [zzz]"), e.getMessage());
        Map<String, Tensor> partlyBad = new LinkedHashMap<>(a.stateDict());
        partlyBad.put("w", t(new float[] {-1, -1}, 2));
        partlyBad.put("lin.bias", Tensor.zeros(4));
        assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(partlyBad));
        assertClose(new float[] {5, 6}, b.param("w").toFloatArray(), "nothing changed by a rejected load");
    }

    @Test
    void trainEvalReachesChildrenAndToKeepsValues() {
        Sequential s = new Sequential(new Linear(2, 2, new Generator(1)), new Dropout(0.5f, new Generator(2)));
        assertTrue(s.isTraining());
        assertSame(s, s.eval());
        assertFalse(s.isTraining());
        assertFalse(s.children().get(1).isTraining());
        assertSame(s, s.train());
        assertTrue(s.children().get(0).isTraining());
        Map<String, Tensor> before = s.stateDict();
        assertSame(s, s.to(Device.cpu()));
        assertSame(before.get("0.weight"), s.stateDict().get("0.weight"), "already there: the same tensors");
        s.zeroGrad();
        s.parameters().forEach(p -> assertNull(p.grad()));
    }

    // ---- layers on hand-set weights ------------------------------------------------------------------

    @Test
    void linearComputesXWtPlusB() {
        Linear l = new Linear(3, 2, new Generator(3));
        l.param("weight").assign(t(new float[] {1, 0, -1, 0.5f, 0.5f, 0.5f}, 2, 3));
        l.param("bias").assign(t(new float[] {0.5f, -4}, 2));
        Tensor x = t(new float[] {1, 2, 3, -1, 0, 2}, 2, 3);
        assertTensor(new float[] {-1.5f, -1, -2.5f, -3.5f}, new int[] {2, 2}, l.forward(x), "linear");
        assertTensor(new float[] {0, 0, 0, 0}, new int[] {2, 2}, l.forward(x, Gemm.Activation.RELU), "linear + relu");
        assertEquals(3, l.inFeatures());
        assertEquals(2, l.outFeatures());
        assertEquals("Linear(3 -> 2)", l.toString());
        Linear nb = new Linear(3, 2, false, new Generator(3));
        assertNull(nb.paramOrNull("bias"));
        assertEquals("Linear(3 -> 2, no bias)", nb.toString());
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 2, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(2, 0, new Generator(1)));
        new Linear(1, 1, new Generator(1));
    }

    @Test
    void sequentialFusesLinearWithAFusableActivationOnly() {
        Linear l = new Linear(2, 2, new Generator(3));
        l.param("weight").assign(t(new float[] {1, -1, -1, 1}, 2, 2));
        l.param("bias").assign(t(new float[] {0, 0.5f}, 2));
        Tensor x = t(new float[] {3, 1}, 1, 2);
        assertTensor(new float[] {2, 0}, new int[] {1, 2}, new Sequential(l, Activation.relu()).forward(x), "relu");
        assertTensor(new float[] {2, -0.15f}, new int[] {1, 2}, new Sequential(l, Activation.leakyRelu(0.1f)).forward(x), "leaky");
        double g2 = 0.5 * 2 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (2 + 0.044715 * 8)));
        double gm = -1.5 * 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (-1.5 + 0.044715 * -3.375)));
        assertTensor(new float[] {(float) g2, (float) gm}, new int[] {1, 2}, new Sequential(l, Activation.gelu("tanh")).forward(x), "gelu tanh");
        // the exact GELU is not fused: x Φ(x) from erf(2/√2) = 0.954499736, erf(-1.5/√2) = -0.866385597
        assertTensor(new float[] {(float) (2 * 0.5 * (1 + 0.954499736103642)), (float) (-1.5 * 0.5 * (1 - 0.866385597462284))},
                new int[] {1, 2}, new Sequential(l, Activation.gelu()).forward(x), "gelu exact");
        assertTensor(new float[] {(float) Math.tanh(2), (float) Math.tanh(-1.5)}, new int[] {1, 2},
                new Sequential(l, Activation.tanh()).forward(x), "tanh");
        assertTensor(new float[] {(float) (1 / (1 + Math.exp(-2))), (float) (1 / (1 + Math.exp(1.5)))}, new int[] {1, 2},
                new Sequential(l, Activation.sigmoid()).forward(x), "sigmoid");
        // two activations in a row: the first is fused, the second runs on its own
        assertTensor(new float[] {2, 0}, new int[] {1, 2}, new Sequential(l, Activation.relu(), Activation.relu()).forward(x), "relu relu");
        Sequential s = new Sequential().add(new Flatten()).add(l);
        assertEquals(2, s.size());
        assertTrue(s.children().get(0) instanceof Flatten);
        assertSame(l, s.children().get(1));
        assertTensor(new float[] {2, -1.5f}, new int[] {1, 2}, s.forward(x), "flatten then linear");
    }

    @Test
    void activationsByNameAndTheirFusedForms() {
        assertEquals("ReLU", Activation.of("RELU").toString());
        assertEquals("LeakyReLU(0.01)", Activation.of("leaky_relu").toString());
        assertEquals("GELU", Activation.of("gelu").toString());
        assertEquals("GELU(tanh)", Activation.of("gelu_tanh").toString());
        assertThrows(IllegalArgumentException.class, () -> Activation.gelu("erf"));
        assertEquals("Tanh", Activation.of("tanh").toString());
        assertEquals("Sigmoid", Activation.of("sigmoid").toString());
        assertThrows(IllegalArgumentException.class, () -> Activation.of("swish"));
        assertEquals(Gemm.Activation.RELU, Activation.relu().fusable());
        assertEquals(Gemm.Activation.GELU, Activation.gelu("tanh").fusable());
        assertNull(Activation.gelu().fusable());
        assertNull(Activation.tanh().fusable());
        assertNull(Activation.sigmoid().fusable());
        assertNull(Activation.leakyRelu(0.2f).fusable());
        Tensor x = t(new float[] {-1, 2}, 2);
        assertTensor(new float[] {-0.01f, 2}, new int[] {2}, Activation.of("leaky_relu").forward(x), "leaky 0.01");
    }

    @Test
    void initialisersUseTheDocumentedBoundsAndFans() {
        assertEquals(3 * 5 * 5, Init.fanIn(new int[] {8, 3, 5, 5}));
        assertEquals(8 * 5 * 5, Init.fanOut(new int[] {8, 3, 5, 5}));
        assertEquals(4, Init.fanIn(new int[] {6, 4}));
        assertEquals(6, Init.fanOut(new int[] {6, 4}));
        assertEquals(7, Init.fanIn(new int[] {7}));
        float[] u = Init.uniform(new Generator(1), 0.5f, 2000).toFloatArray();
        float[] r = Tensor.rand(new Generator(1), 2000).toFloatArray();
        for (int k = 0; k < u.length; k++) {
            assertClose(r[k] - 0.5, u[k], 1e-6, "uniform = rand·2b - b");
        }
        float[] ku = Init.kaimingUniform(new Generator(2), 10, 6).toFloatArray();
        float[] ru = Tensor.rand(new Generator(2), 10, 6).toFloatArray();
        for (int k = 0; k < ku.length; k++) {
            assertClose((2 * ru[k] - 1) * 1.0, ku[k], 1e-6, "kaiming uniform bound sqrt(6/6) = 1");
        }
        float[] kn = Init.kaimingNormal(new Generator(3), 5, 8).toFloatArray();
        float[] n = Tensor.randn(new Generator(3), 5, 8).toFloatArray();
        for (int k = 0; k < kn.length; k++) {
            assertClose(n[k] * 0.5, kn[k], 1e-6, "kaiming normal std sqrt(2/8)");
        }
        float[] xu = Init.xavierUniform(new Generator(4), 2, 4).toFloatArray();
        float[] rx = Tensor.rand(new Generator(4), 2, 4).toFloatArray();
        for (int k = 0; k < xu.length; k++) {
            assertClose(2 * rx[k] - 1, xu[k], 1e-6, "xavier uniform bound sqrt(6/6)");
        }
        float[] xn = Init.xavierNormal(new Generator(5), 3, 5).toFloatArray();
        float[] nx = Tensor.randn(new Generator(5), 3, 5).toFloatArray();
        for (int k = 0; k < xn.length; k++) {
            assertClose(nx[k] * 0.5, xn[k], 1e-6, "xavier normal std sqrt(2/8)");
        }
    }

    @Test
    void lossesAndAccuracyByHand() {
        Tensor p = t(new float[] {1, 2, 3, 4}, 2, 2), y = t(new float[] {1.5f, 2, 1, 5}, 2, 2);
        assertClose(1.3125, F.mseLoss(p, y).item(), "mse (0.25 + 0 + 4 + 1) / 4");
        Tensor z = t(new float[] {0, 0}, 2), target = t(new float[] {1, 0}, 2);
        assertClose(Math.log(2), F.bceWithLogits(z, target).item(), "bce at logit 0");
        Tensor big = t(new float[] {100, -100}, 2);
        assertClose(0, F.bceWithLogits(big, target).item(), 1e-6, "bce is stable for large logits");
        assertThrows(IllegalArgumentException.class, () -> F.mseLoss(p, Tensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> F.bceWithLogits(z, Tensor.zeros(3)));
        Tensor logits = t(new float[] {1, 3, 2, 5, 0, 1, 0, 0, 9}, 3, 3);
        assertEquals(2.0 / 3, F.accuracy(logits, Tensor.fromIndices(new int[] {1, 1, 2})), 1e-12);
        assertEquals(1.0, F.accuracy(logits, Tensor.fromIndices(new int[] {1, 0, 2})), 1e-12);
        assertEquals(0.0, F.accuracy(Tensor.zeros(0, 3), Tensor.fromIndices(new int[0])));
        assertThrows(IllegalArgumentException.class, () -> F.accuracy(logits, Tensor.fromIndices(new int[] {1})));
        Tensor two = t(new float[] {0, 0, 0, 0}, 2, 2);
        assertClose(Math.log(2), F.crossEntropy(two, Tensor.fromIndices(new int[] {0, 1})).item(), "uniform logits");
    }

    @Test
    void linearValidatesAndHandlesEmptyInputs() {
        Tensor w = Tensor.ones(2, 3), b = Tensor.ones(2);
        assertThrows(IllegalArgumentException.class, () -> F.linear(Tensor.ones(1, 4), w, b));
        assertThrows(IllegalArgumentException.class, () -> F.linear(Tensor.ones(1, 3), Tensor.ones(3), null));
        assertThrows(IllegalArgumentException.class, () -> F.linear(Tensor.ones(1, 3), w, Tensor.ones(3)));
        assertThrows(IllegalArgumentException.class, () -> F.linear(Tensor.ones(1, 3), w, Tensor.ones(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> F.linear(Tensor.fromIndices(new int[] {1, 2, 3}, 1, 3), w, b));
        assertTensor(new float[0], new int[] {0, 2}, F.linear(Tensor.zeros(0, 3), w, b), "no rows");
        assertTensor(new float[] {1, 1, 1, 1}, new int[] {2, 2}, F.linear(Tensor.zeros(2, 0), Tensor.zeros(2, 0), b), "k = 0: the bias");
        assertTensor(new float[] {1, 1}, new int[] {1, 2}, F.linear(Tensor.zeros(1, 0), Tensor.zeros(2, 0), b, Gemm.Activation.RELU), "k = 0 relu");
        assertTensor(new float[] {0, 0}, new int[] {1, 2}, F.linear(Tensor.zeros(1, 0), Tensor.zeros(2, 0), null, Gemm.Activation.NONE), "k = 0 no bias");
        double g1 = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
        assertTensor(new float[] {(float) g1, (float) g1}, new int[] {1, 2},
                F.linear(Tensor.zeros(1, 0), Tensor.zeros(2, 0), b, Gemm.Activation.GELU), "k = 0 gelu");
        // GELU under a graph takes the unfused path and gives the same values
        Tensor x = t(new float[] {1, -2, 0.5f}, 1, 3);
        Tensor wg = t(new float[] {1, 1, 1, -1, 0, 2}, 2, 3).requiresGrad(true);
        Tensor fused;
        try (var s = Autograd.noGrad()) {
            fused = F.linear(x, wg, null, Gemm.Activation.GELU);
        }
        assertClose(fused.toFloatArray(), F.linear(x, wg, null, Gemm.Activation.GELU).toFloatArray(), "fused vs unfused GELU");
    }

    @Test
    void convAndPoolingLayersOnHandSetWeights() {
        Conv2d c = new Conv2d(1, 1, 2, new Generator(1));
        c.param("weight").assign(t(new float[] {1, 0, 0, -1}, 1, 1, 2, 2));
        c.param("bias").assign(t(new float[] {10}, 1));
        Tensor x = Tensor.arange(9).reshape(1, 1, 3, 3);
        assertTensor(new float[] {6, 6, 6, 6}, new int[] {1, 1, 2, 2}, c.forward(x), "x[i][j] - x[i+1][j+1] + 10");
        c.param("bias").assign(t(new float[] {-10}, 1));
        assertTensor(new float[] {0, 0, 0, 0}, new int[] {1, 1, 2, 2}, c.fuseRelu().forward(x), "fused relu");
        assertEquals(1, c.inChannels());
        assertEquals(1, c.outChannels());
        assertEquals("Conv2d(1 -> 1, 2x2, relu)", c.toString());
        assertEquals("Conv2d(4 -> 8, 3x3, stride 2, padding 1, dilation 2, groups 2, no bias)",
                new Conv2d(4, 8, 3, 2, 1, 2, 2, false, new Generator(1)).toString());
        assertEquals("Conv2d(2 -> 3, 3x3, padding 1)", new Conv2d(2, 3, 3, 1, 1, new Generator(1)).toString());
        Conv2d s2 = new Conv2d(1, 1, 1, 2, 0, new Generator(1));
        s2.param("weight").assign(t(new float[] {2}, 1, 1, 1, 1));
        s2.param("bias").assign(t(new float[] {0}, 1));
        assertTensor(new float[] {0, 4, 12, 16}, new int[] {1, 1, 2, 2}, s2.forward(x), "1x1 stride 2");
        int[][] bad = {{0, 1, 1, 1, 0, 1, 1}, {1, 0, 1, 1, 0, 1, 1}, {1, 1, 0, 1, 0, 1, 1}, {1, 1, 1, 0, 0, 1, 1},
                {1, 1, 1, 1, -1, 1, 1}, {1, 1, 1, 1, 0, 0, 1}, {1, 1, 1, 1, 0, 1, 0}, {3, 2, 1, 1, 0, 1, 2}, {2, 3, 1, 1, 0, 1, 2}};
        for (int[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> new Conv2d(b[0], b[1], b[2], b[3], b[4], b[5], b[6], true, new Generator(1)));
        }

        Tensor y = t(new float[] {1, 5, 2, 0, -1, 3, 8, 4, 7, 2, -5, 6, 0, 9, 1, 3}, 1, 1, 4, 4);
        assertTensor(new float[] {5, 8, 9, 6}, new int[] {1, 1, 2, 2}, new MaxPool2d(2).forward(y), "max pool 2");
        assertTensor(new float[] {5, 8, 9, 9}, new int[] {1, 1, 2, 2}, new MaxPool2d(3, 2, 1).forward(y), "max pool 3/2/1");
        assertTensor(new float[] {2, 3.5f, 4.5f, 1.25f}, new int[] {1, 1, 2, 2}, new AvgPool2d(2).forward(y), "avg pool 2");
        assertTensor(new float[] {8f / 9, 22f / 9, 20f / 9, 31f / 9}, new int[] {1, 1, 2, 2}, new AvgPool2d(3, 2, 1).forward(y), "avg pool 3/2/1");
        assertTensor(new float[] {2.8125f}, new int[] {1, 1, 1, 1}, new AdaptiveAvgPool2d(1, 1).forward(y), "global average");
        assertTensor(new float[] {2.75f, 2.875f}, new int[] {1, 1, 2, 1}, new AdaptiveAvgPool2d(2, 1).forward(y), "adaptive 2x1");
        assertTensor(Tensor.arange(16).toFloatArray(), new int[] {1, 16}, new Flatten().forward(Tensor.arange(16).reshape(1, 1, 4, 4)), "flatten");
        assertArrayEquals(new int[] {2, 3, 4}, new Flatten(2).forward(Tensor.zeros(2, 3, 2, 2)).shape());
        assertEquals("MaxPool2d(2, stride 2)", new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(3, stride 2, padding 1)", new MaxPool2d(3, 2, 1).toString());
        assertEquals("AvgPool2d(2, stride 2)", new AvgPool2d(2).toString());
        assertEquals("AvgPool2d(3, stride 1, padding 1)", new AvgPool2d(3, 1, 1).toString());
        assertEquals("AdaptiveAvgPool2d(2x1)", new AdaptiveAvgPool2d(2, 1).toString());
        assertEquals("Flatten(1)", new Flatten().toString());
        assertEquals("Flatten(2)", new Flatten(2).toString());
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(1, 0));
    }

    @Test
    void batchNormTrainsRunningStatisticsAndEvaluatesWithThem() {
        BatchNorm2d bn = new BatchNorm2d(1, 1e-5f, 0.5f);
        Tensor x = t(new float[] {1, 3, 5, 7}, 2, 1, 1, 2); // mean 4, biased var 5, unbiased 20/3
        double s = Math.sqrt(5 + 1e-5);
        assertTensor(new float[] {(float) (-3 / s), (float) (-1 / s), (float) (1 / s), (float) (3 / s)}, new int[] {2, 1, 1, 2},
                bn.forward(x), "training: batch statistics");
        assertClose(new float[] {2}, bn.stateDict().get("running_mean").toFloatArray(), "running mean 0.5·0 + 0.5·4");
        assertClose(new float[] {(float) (0.5 + 0.5 * 20 / 3.0)}, bn.stateDict().get("running_var").toFloatArray(), "running var");
        bn.eval();
        double rv = Math.sqrt(0.5 + 0.5 * 20 / 3.0 + 1e-5);
        assertTensor(new float[] {(float) (-1 / rv), (float) (1 / rv), (float) (3 / rv), (float) (5 / rv)}, new int[] {2, 1, 1, 2},
                bn.forward(x), "eval: running statistics");
        assertEquals("BatchNorm2d(1)", bn.toString());
        assertEquals(List.of("weight", "bias", "running_mean", "running_var"), List.copyOf(new BatchNorm2d(3).stateDict().keySet()));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2).forward(Tensor.zeros(1, 3, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(0));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(1, 0f, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(1, 1e-5f, -0.1f));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(1, 1e-5f, 1.1f));
        new BatchNorm2d(1, 1e-5f, 0f);
        new BatchNorm2d(1, 1e-5f, 1f);
    }

    @Test
    void dropoutIsTheIdentityInEvalAndScalesInTraining() {
        Dropout d = new Dropout(0.5f, new Generator(7));
        Tensor x = Tensor.ones(1000);
        float[] y = d.forward(x).toFloatArray();
        int kept = 0;
        for (float v : y) {
            assertTrue(v == 0f || v == 2f, "0 or 1/(1-p): " + v);
            kept += v == 2f ? 1 : 0;
        }
        assertTrue(kept > 400 && kept < 600, "about half kept: " + kept);
        d.eval();
        assertSame(x, d.forward(x));
        assertEquals("Dropout(0.5)", d.toString());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, new Generator(1)));
        assertSame(x, new Dropout(0f, new Generator(1)).forward(x));
    }

    @Test
    void embeddingLayerNormAndPositionalEncoding() {
        Embedding e = new Embedding(3, 2, new Generator(1));
        e.param("weight").assign(t(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertTensor(new float[] {5, 6, 1, 2, 3, 4}, new int[] {1, 3, 2}, e.forward(Tensor.fromIndices(new int[] {2, 0, 1}, 1, 3)), "ids");
        assertTensor(new float[] {3, 4, 5, 6}, new int[] {2, 2}, e.forward(t(new float[] {1.7f, 2.2f}, 2)), "float ids truncate");
        assertEquals(3, e.numEmbeddings());
        assertEquals(2, e.embeddingDim());
        assertEquals("Embedding(3, 2)", e.toString());
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 2, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(2, 0, new Generator(1)));

        LayerNorm ln = new LayerNorm(2);
        assertTensor(new float[] {-1, 1, 1, -1}, new int[] {2, 2}, ln.forward(t(new float[] {1, 3, 10, 0}, 2, 2)), 1e-4, "layer norm");
        assertEquals("LayerNorm(2)", ln.toString());
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0));
        LayerNorm bigEps = new LayerNorm(2, 3f);
        assertTensor(new float[] {-0.5f, 0.5f}, new int[] {1, 2}, bigEps.forward(t(new float[] {1, 3}, 1, 2)), "eps 3: (x - 2)/sqrt(1 + 3)");

        PositionalEncoding pe = PositionalEncoding.sinusoidal(3, 4);
        Tensor z = Tensor.zeros(1, 2, 4);
        double w1 = 1 / Math.pow(10000, 2 / 4.0);
        assertTensor(new float[] {0, 1, 0, 1, (float) Math.sin(1), (float) Math.cos(1), (float) Math.sin(w1), (float) Math.cos(w1)},
                new int[] {1, 2, 4}, pe.forward(z), "sinusoidal");
        assertEquals("SinusoidalPositionalEncoding(3)", pe.toString());
        assertTrue(pe.parameters().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> pe.forward(Tensor.zeros(1, 4, 4)));
        pe.forward(Tensor.zeros(1, 3, 4));
        PositionalEncoding lp = PositionalEncoding.learned(3, 2, new Generator(9));
        float[] table = Tensor.randn(new Generator(9), 3, 2).mul(0.02f).toFloatArray();
        assertTensor(new float[] {1 + table[0], 1 + table[1]}, new int[] {1, 1, 2}, lp.forward(Tensor.ones(1, 1, 2)), "learned");
        assertEquals(1, lp.parameters().size());
        assertEquals("LearnedPositionalEncoding(3)", lp.toString());
    }

    @Test
    void lstmLayerStacksLayersAndChecksItsInput() {
        LSTM l = new LSTM(1, 1, 2, new Generator(1));
        assertEquals(List.of("w_ih0", "w_hh0", "bias0", "w_ih1", "w_hh1", "bias1"), List.copyOf(l.namedParameters().keySet()));
        for (String n : l.namedParameters().keySet()) {
            l.namedParameters().get(n).assign(Tensor.zeros(l.namedParameters().get(n).shape()));
        }
        // zero weights: every gate is sigmoid(0) = 0.5, g = tanh(0) = 0, so c and h stay 0
        LSTM.Output o = l.forward(Tensor.ones(2, 3, 1), null, null, null);
        assertTensor(new float[6], new int[] {2, 3, 1}, o.output(), "output");
        assertArrayEquals(new int[] {2, 2, 1}, o.h().shape());
        // a bias of 1 on g: c1 = 0.5·tanh(1), h1 = 0.5·tanh(c1) in layer 0
        l.param("bias0").assign(t(new float[] {0, 0, 1, 0}, 4));
        o = l.forward(Tensor.ones(1, 1, 1), null, null, null);
        double c1 = 0.5 * Math.tanh(1), h1 = 0.5 * Math.tanh(c1);
        assertClose(new float[] {(float) h1, 0}, o.h().toFloatArray(), "h of both layers");
        assertClose(new float[] {(float) c1, 0}, o.c().toFloatArray(), "c of both layers");
        // initial states per layer
        Tensor h0 = Tensor.zeros(2, 1, 1), c0 = t(new float[] {0, 2}, 2, 1, 1);
        o = l.forward(Tensor.ones(1, 1, 1), h0, c0, null);
        assertClose(new float[] {(float) c1, 1}, o.c().toFloatArray(), "layer 1 keeps half its c0 (forget gate 0.5)");
        assertEquals(1, l.hiddenSize());
        assertEquals(2, l.numLayers());
        assertEquals("LSTM(1 -> 1, layers=2)", l.toString());
        assertTensor(new float[] {(float) h1, (float) h1}, new int[] {1, 2, 1},
                oneLayer().forward(Tensor.ones(1, 2, 1), null, null, Tensor.fromIndices(new int[] {1})).output(),
                "a masked step repeats the last valid output");
        assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.ones(1, 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.ones(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> new LSTM(0, 1, 1, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new LSTM(1, 0, 1, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new LSTM(1, 1, 0, new Generator(1)));
        assertArrayEquals(new int[] {2, 3, 1}, l.forward(Tensor.ones(2, 3, 1)).shape());
    }

    private static LSTM oneLayer() {
        LSTM l = new LSTM(1, 1, 1, new Generator(1));
        l.param("w_ih0").assign(Tensor.zeros(1, 4));
        l.param("w_hh0").assign(Tensor.zeros(1, 4));
        l.param("bias0").assign(t(new float[] {0, 0, 1, 0}, 4));
        return l;
    }
}
