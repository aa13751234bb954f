package dev.kiln.nn;

import dev.kiln.Autograd;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Gemm;
import dev.kiln.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kiln.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer initial values replayed from the documented draws, input checks and their messages, and the GELU-linear gradient paths. */
class InitAndChecksTest {

    @Test
    void linearConvAndLstmDrawTheirDocumentedInitialValues() {
        Linear l = new Linear(4, 3, new Generator(5));
        Generator g = new Generator(5);
        assertClose(Init.kaimingUniform(g, 3, 4).toFloatArray(), l.param("weight").toFloatArray(), 0, 0, "linear weight");
        assertClose(Init.uniform(g, 0.5f, 3).toFloatArray(), l.param("bias").toFloatArray(), 0, 0, "linear bias ±1/√4");

        Conv2d c = new Conv2d(4, 6, 3, 1, 0, 1, 2, true, new Generator(6));
        assertArrayEquals(new int[] {6, 2, 3, 3}, c.param("weight").shape());
        g = new Generator(6);
        assertClose(Init.kaimingUniform(g, 6, 2, 3, 3).toFloatArray(), c.param("weight").toFloatArray(), 0, 0, "conv weight");
        assertClose(Init.uniform(g, (float) (1 / Math.sqrt(18)), 6).toFloatArray(), c.param("bias").toFloatArray(), 0, 0,
                "conv bias ±1/√(in/groups·k·k)");

        LSTM lstm = new LSTM(2, 4, 1, new Generator(7));
        g = new Generator(7);
        assertClose(Init.uniform(g, 0.5f, 2, 16).toFloatArray(), lstm.param("w_ih0").toFloatArray(), 0, 0, "w_ih ±1/√H");
        assertClose(Init.uniform(g, 0.5f, 4, 16).toFloatArray(), lstm.param("w_hh0").toFloatArray(), 0, 0, "w_hh");
        assertClose(Init.uniform(g, 0.5f, 16).toFloatArray(), lstm.param("bias0").toFloatArray(), 0, 0, "bias");

        Embedding e = new Embedding(3, 2, new Generator(8));
        assertClose(Tensor.randn(new Generator(8), 3, 2).toFloatArray(), e.param("weight").toFloatArray(), 0, 0, "embedding N(0,1)");
        BatchNorm2d bn = new BatchNorm2d(2);
        assertClose(new float[] {1, 1, 0, 0, 0, 0, 1, 1}, concat(bn.stateDict()), "batch norm starts 1, 0, 0, 1");
        LayerNorm ln = new LayerNorm(2);
        assertClose(new float[] {1, 1, 0, 0}, concat(ln.stateDict()), "layer norm starts 1, 0");
    }

    private static float[] concat(Map<String, Tensor> sd) {
        List<Tensor> parts = sd.values().stream().map(t -> t.reshape(-1)).toList();
        return Tensor.cat(parts, 0).toFloatArray();
    }

    @Test
    void registrationReturnsWhatItRegistered() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        Tensor b = Tensor.zeros(2);
        assertSame(b, m.registerBuffer("b", b));
        Flatten f = new Flatten();
        assertSame(f, m.registerModule("f", f));
        Tensor p = Tensor.ones(2).requiresGrad(true);
        assertSame(p, m.registerParameter("p", p));
        m.registerModule("lin", new Linear(1, 1, false, new Generator(1)));
        // toString: children indented on their own lines, then parameters with their shapes
        assertEquals("(\n  f: Flatten(1)\n  lin: Linear(1 -> 1, no bias)\n  p[2]\n)",
                m.toString().substring(m.toString().indexOf('(')));
        Module leaf = new Module() {
            {
                registerParameter("w", Tensor.zeros(2, 3));
                registerParameter("v", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        assertEquals("(w[2, 3] v[1])", leaf.toString().substring(leaf.toString().indexOf('(')));
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Sequential s = new Sequential(new Linear(2, 2, new Generator(1)), new Linear(2, 1, new Generator(2)));
        s.forward(Tensor.ones(1, 2)).sum().backward();
        s.parameters().forEach(p -> assertTrue(p.grad() != null));
        s.zeroGrad();
        s.parameters().forEach(p -> assertNull(p.grad()));
    }

    @Test
    void lossesRejectShapesThatWouldOnlyBroadcast() {
        Tensor p = Tensor.zeros(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.mseLoss(p, Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("mseLoss: prediction shape [2, 2] and target shape [2] differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.bceWithLogits(p, Tensor.zeros(1, 2)));
        assertTrue(e.getMessage().startsWith("bceWithLogits"), e.getMessage());
    }

    @Test
    void layerInputChecksSayWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("expected input with 3 channels, got 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.linear(Tensor.ones(1, 4), Tensor.ones(2, 3), null));
        assertTrue(e.getMessage().contains("(expected last input axis 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.linear(Tensor.ones(1, 4), Tensor.ones(2, 3, 1), null));
        assertTrue(e.getMessage().contains("(expected last input axis ?)"), e.getMessage());
        Tensor ids = Tensor.fromIndices(new int[] {1, 2, 3}, 1, 3);
        e = assertThrows(IllegalArgumentException.class, () -> F.linear(ids, Tensor.ones(2, 3), null));
        assertTrue(e.getMessage().endsWith("INT32@cpu, FLOAT32@cpu"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.linear(ids, Tensor.ones(2, 3), Tensor.ones(2)));
        assertTrue(e.getMessage().endsWith("INT32@cpu, FLOAT32@cpu, FLOAT32@cpu"), e.getMessage());
    }

    /** GELU is fused only without a graph; with any one input requiring a gradient it must take the differentiable path. */
    @Test
    void geluLinearGradientWhicheverInputRequiresIt() {
        float[] xv = {1, -2, 0.5f, 0.25f, 1.5f, -1}, wv = {0.5f, -1, 2, 1, 0, -0.5f}, bv = {0.1f, -0.2f};
        for (int which = 0; which < 3; which++) {
            Tensor x = Tensor.fromArray(xv, 2, 3), w = Tensor.fromArray(wv, 2, 3), b = Tensor.fromArray(bv, 2);
            Tensor target = new Tensor[] {x, w, b}[which].requiresGrad(true);
            F.linear(x, w, b, Gemm.Activation.GELU).sum().backward();
            Tensor x2 = Tensor.fromArray(xv, 2, 3), w2 = Tensor.fromArray(wv, 2, 3), b2 = Tensor.fromArray(bv, 2);
            Tensor ref = new Tensor[] {x2, w2, b2}[which].requiresGrad(true);
            x2.matmul(w2.t()).add(b2).gelu("tanh").sum().backward();
            assertClose(ref.grad().toFloatArray(), target.grad().toFloatArray(), "input " + which);
        }
        try (var s = Autograd.noGrad()) {
            Tensor w = Tensor.fromArray(wv, 2, 3).requiresGrad(true);
            assertClose(Tensor.fromArray(xv, 2, 3).matmul(w.t()).gelu("tanh").toFloatArray(),
                    F.linear(Tensor.fromArray(xv, 2, 3), w, null, Gemm.Activation.GELU).toFloatArray(), "no graph: fused");
        }
    }

    @Test
    void languageModelForwardIsItsLayersInOrder() {
        TransformerLM lm = new TransformerLM(5, 4, 1, 2, 8, 6, 0f, new Generator(1), new Generator(2));
        assertEquals(List.of("embed", "pos", "block0", "block1", "norm", "head"),
                List.copyOf(lm.stateDict().keySet()).stream().map(k -> k.substring(0, k.indexOf('.'))).distinct().toList());
        Tensor ids = Tensor.fromIndices(new int[] {1, 2, 3}, 1, 3);
        List<Module> c = lm.children();
        Tensor h = c.get(1).forward(c.get(0).forward(ids));
        h = ((TransformerEncoderLayer) c.get(2)).forward(h, true, null);
        h = ((TransformerEncoderLayer) c.get(3)).forward(h, true, null);
        assertClose(c.get(5).forward(c.get(4).forward(h)).toFloatArray(), lm.forward(ids).toFloatArray(), "composition");
    }

    @Test
    void encoderDecoderForwardIsItsLayersInOrder() {
        Transformer tr = new Transformer(5, 4, 1, 2, 8, 6, 0.5f, new Generator(1), new Generator(2));
        tr.eval();
        Tensor src = Tensor.fromIndices(new int[] {1, 2, 3}, 1, 3), tgt = Tensor.fromIndices(new int[] {4, 0}, 1, 2);
        Tensor len = Tensor.fromIndices(new int[] {2});
        PositionalEncoding pos = tr.module("pos");
        float scale = 1f / (float) Math.sqrt(4) * 4f;
        Tensor x = pos.forward(tr.<Embedding>module("srcEmbed").forward(src).mul(scale));
        x = tr.<TransformerEncoderLayer>module("enc0").forward(x, false, len);
        x = tr.<TransformerEncoderLayer>module("enc1").forward(x, false, len);
        Tensor memory = tr.<LayerNorm>module("encNorm").forward(x);
        assertClose(memory.toFloatArray(), tr.encode(src, len).toFloatArray(), "encode");
        Tensor y = pos.forward(tr.<Embedding>module("tgtEmbed").forward(tgt).mul(scale));
        y = tr.<TransformerDecoderLayer>module("dec0").forward(y, memory, len);
        y = tr.<TransformerDecoderLayer>module("dec1").forward(y, memory, len);
        Tensor logits = tr.<Linear>module("head").forward(tr.<LayerNorm>module("decNorm").forward(y));
        assertClose(logits.toFloatArray(), tr.forward(src, len, tgt).toFloatArray(), "forward");
        assertEquals(2, tr.stateDict().keySet().stream().filter(k -> k.matches("enc\\d\\.ln1\\.weight")).count(), "two encoder layers");
        // dropout acts in training mode only, in the decoder too
        TransformerDecoderLayer dec = tr.module("dec0");
        float[] evalOut = dec.forward(y, memory, len).toFloatArray();
        dec.train();
        float[] trainOut = dec.forward(y, memory, len).toFloatArray();
        boolean differs = false;
        for (int k = 0; k < evalOut.length; k++) {
            differs |= Math.abs(evalOut[k] - trainOut[k]) > 1e-4;
        }
        assertTrue(differs, "decoder dropout in training mode");
    }

    @Test
    void loadingOptimizerStateDropsStateItDoesNotMention() {
        Tensor p = Tensor.fromArray(new float[] {1}, 1).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 1f).momentum(0.5f).dampening(0.5f);
        p.setGrad(Tensor.fromArray(new float[] {2}, 1));
        opt.step();
        opt.loadStateDict(Map.of("steps", Tensor.fromLongs(new long[] {1}), "lr", Tensor.scalar(1f)));
        assertEquals(List.of("steps", "lr"), List.copyOf(opt.stateDict().keySet()));
        opt.step(); // the velocity starts afresh at the gradient: p = -1 - 2
        assertClose(new float[] {-3f}, p.toFloatArray(), "p");
    }
}
