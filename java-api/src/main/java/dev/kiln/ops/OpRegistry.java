package dev.kiln.ops;

import dev.kiln.DType;
import dev.kiln.Generator;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;
import dev.kiln.backend.Gemm;
import dev.kiln.nn.F;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Every op of the library, declared once with sample inputs. The CPU backend implements each
 * through the {@link dev.kiln.backend.Backend} SPI, and so does every other backend; the test
 * suites iterate this list, so a new op is gradient-checked and parity-tested the day it is added.
 */
public final class OpRegistry {

    private static final List<OpSpec> ALL = build();

    private OpRegistry() {
    }

    /** All registered ops, in declaration order. */
    public static List<OpSpec> all() {
        return ALL;
    }

    /** The op with this name, or an error listing the names. */
    public static OpSpec get(String name) {
        for (OpSpec s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("No op named '" + name + "'");
    }

    private static Tensor n(Generator g, int... shape) {
        return Tensor.randn(g, shape);
    }

    /** Strictly positive inputs in [0.5, 2) for log, sqrt, pow and division. */
    private static Tensor pos(Generator g, int... shape) {
        return Tensor.rand(g, shape).mul(1.5f).add(0.5f);
    }

    private static Tensor idx(Generator g, int bound, int count) {
        int[] v = new int[count];
        for (int k = 0; k < count; k++) {
            v[k] = g.nextInt(bound);
        }
        return Tensor.fromIndices(v);
    }

    private static List<OpSpec> build() {
        List<OpSpec> l = new ArrayList<>();
        // unary
        unary(l, "relu", Tensor::relu, false);
        unary(l, "leakyRelu", t -> t.leakyRelu(0.1f), false);
        unary(l, "gelu", Tensor::gelu, false);
        unary(l, "geluTanh", t -> t.gelu("tanh"), false);
        unary(l, "tanh", Tensor::tanh, false);
        unary(l, "sigmoid", Tensor::sigmoid, false);
        unary(l, "exp", Tensor::exp, false);
        unary(l, "log", Tensor::log, true);
        unary(l, "neg", Tensor::neg, false);
        unary(l, "sqrt", Tensor::sqrt, true);
        unary(l, "square", Tensor::square, false);
        unary(l, "abs", Tensor::abs, false);
        unary(l, "softplus", Tensor::softplus, false);
        unary(l, "pow", t -> t.pow(1.7f), true);
        unary(l, "mulScalar", t -> t.mul(-2.5f), false);
        unary(l, "addScalar", t -> t.add(0.75f), false);
        // binary with broadcasting
        l.add(new OpSpec("add", g -> new Tensor[] {n(g, 3, 1, 5), n(g, 4, 1)}, in -> in[0].add(in[1]), true));
        l.add(new OpSpec("sub", g -> new Tensor[] {n(g, 2, 3, 4), n(g, 4)}, in -> in[0].sub(in[1]), true));
        l.add(new OpSpec("mul", g -> new Tensor[] {n(g, 3, 4), n(g, 3, 1)}, in -> in[0].mul(in[1]), true));
        l.add(new OpSpec("div", g -> new Tensor[] {n(g, 3, 4), pos(g, 1, 4)}, in -> in[0].div(in[1]), true));
        l.add(new OpSpec("maximum", g -> new Tensor[] {n(g, 5, 3), n(g, 5, 3)}, in -> in[0].maximum(in[1]), true));
        l.add(new OpSpec("minimum", g -> new Tensor[] {n(g, 5, 3), n(g, 3)}, in -> in[0].minimum(in[1]), true));
        l.add(new OpSpec("lt", g -> new Tensor[] {n(g, 4, 3), n(g, 4, 3)}, in -> in[0].lt(in[1]), false));
        l.add(new OpSpec("gt", g -> new Tensor[] {n(g, 4, 3), n(g, 3)}, in -> in[0].gt(in[1]), false));
        // eq on values that do collide: both operands rounded to halves
        l.add(new OpSpec("eq", g -> new Tensor[] {n(g, 5, 4), n(g, 1, 4)},
                in -> in[0].mul(2f).toType(DType.INT32).toType(DType.FLOAT32).eq(in[1].mul(2f).toType(DType.INT32).toType(DType.FLOAT32)), false));
        l.add(new OpSpec("toTypeInt64", g -> new Tensor[] {n(g, 3, 5)}, in -> in[0].mul(4f).toType(DType.INT64), false));
        // random: the same Philox stream on every backend, so parity holds bit for bit
        l.add(new OpSpec("dropout", g -> new Tensor[] {n(g, 6, 7)}, in -> in[0].dropout(0.3f, true, new Generator(11)), true));
        l.add(new OpSpec("rand", g -> new Tensor[] {n(g, 1)}, in -> Tensor.rand(new Generator(12), in[0].device(), 4, 9), false));
        l.add(new OpSpec("randn", g -> new Tensor[] {n(g, 1)}, in -> Tensor.randn(new Generator(13), in[0].device(), 3, 7), false));
        l.add(new OpSpec("full", g -> new Tensor[] {n(g, 1)}, in -> Tensor.full(in[0].device(), -2.5f, 2, 3), false));
        // shape
        l.add(new OpSpec("reshape", g -> new Tensor[] {n(g, 2, 6)}, in -> in[0].reshape(3, -1), true));
        l.add(new OpSpec("permute", g -> new Tensor[] {n(g, 2, 3, 5)}, in -> in[0].permute(2, 0, 1), true));
        l.add(new OpSpec("transpose", g -> new Tensor[] {n(g, 4, 7)}, in -> in[0].t(), true));
        l.add(new OpSpec("expand", g -> new Tensor[] {n(g, 3, 1)}, in -> in[0].expand(2, 3, 4), true));
        l.add(new OpSpec("slice", g -> new Tensor[] {n(g, 4, 6, 3)}, in -> in[0].slice(1, 1, 5), true));
        l.add(new OpSpec("select", g -> new Tensor[] {n(g, 4, 5)}, in -> in[0].select(0, 2), true));
        l.add(new OpSpec("indexSelect", g -> new Tensor[] {n(g, 5, 3), idx(g, 5, 7)}, in -> in[0].indexSelect(0, in[1]), true));
        l.add(new OpSpec("cat", g -> new Tensor[] {n(g, 2, 3), n(g, 2, 5)}, in -> Tensor.cat(List.of(in[0], in[1]), 1), true));
        l.add(new OpSpec("stack", g -> new Tensor[] {n(g, 2, 3), n(g, 2, 3)}, in -> Tensor.stack(List.of(in[0], in[1]), 1), true));
        // linear algebra
        l.add(new OpSpec("matmul", g -> new Tensor[] {n(g, 5, 7), n(g, 7, 3)}, in -> in[0].matmul(in[1]), true));
        l.add(new OpSpec("matmulNd2d", g -> new Tensor[] {n(g, 2, 3, 4), n(g, 4, 5)}, in -> in[0].matmul(in[1]), true));
        l.add(new OpSpec("bmm", g -> new Tensor[] {n(g, 3, 4, 5), n(g, 3, 5, 2)}, in -> in[0].matmul(in[1]), true));
        // torch.matmul batch broadcasting: both operands broadcast, a 2-D left operand, a 1-D one
        l.add(new OpSpec("matmulBatchBroadcast", g -> new Tensor[] {n(g, 2, 1, 3, 4), n(g, 3, 4, 5)}, in -> in[0].matmul(in[1]), true));
        l.add(new OpSpec("matmul2dBatch", g -> new Tensor[] {n(g, 3, 4), n(g, 2, 4, 5)}, in -> in[0].matmul(in[1]), true));
        l.add(new OpSpec("matmulVecBatch", g -> new Tensor[] {n(g, 4), n(g, 2, 1, 4, 3)}, in -> in[0].matmul(in[1]), true));
        l.add(new OpSpec("mmTransA", g -> new Tensor[] {n(g, 6, 4), n(g, 6, 3)}, in -> Tensor.mm(in[0], true, in[1], false), true));
        l.add(new OpSpec("mmTransB", g -> new Tensor[] {n(g, 4, 6), n(g, 3, 6)}, in -> Tensor.mm(in[0], false, in[1], true), true));
        l.add(new OpSpec("mmTransAB", g -> new Tensor[] {n(g, 6, 4), n(g, 3, 6)}, in -> Tensor.mm(in[0], true, in[1], true), true));
        l.add(new OpSpec("linear", g -> new Tensor[] {n(g, 5, 4), n(g, 3, 4), n(g, 3)}, in -> F.linear(in[0], in[1], in[2]), true));
        l.add(new OpSpec("linearRelu", g -> new Tensor[] {n(g, 7, 5), n(g, 6, 5), n(g, 6)},
                in -> F.linear(in[0], in[1], in[2], Gemm.Activation.RELU), true));
        l.add(new OpSpec("linearGelu3d", g -> new Tensor[] {n(g, 2, 3, 5), n(g, 4, 5), n(g, 4)},
                in -> F.linear(in[0], in[1], in[2], Gemm.Activation.GELU), true));
        l.add(new OpSpec("linearReluNoBias", g -> new Tensor[] {n(g, 3, 5), n(g, 4, 5)},
                in -> F.linear(in[0], in[1], null, Gemm.Activation.RELU), true));
        // reductions
        l.add(new OpSpec("sumAll", g -> new Tensor[] {n(g, 3, 4)}, in -> in[0].sum(), true));
        l.add(new OpSpec("sumAxis", g -> new Tensor[] {n(g, 3, 4, 5)}, in -> in[0].sum(1, false), true));
        l.add(new OpSpec("meanAxis", g -> new Tensor[] {n(g, 3, 4)}, in -> in[0].mean(-1, true), true));
        l.add(new OpSpec("maxAxis", g -> new Tensor[] {n(g, 4, 6)}, in -> in[0].max(1, false), true));
        l.add(new OpSpec("argmax", g -> new Tensor[] {n(g, 4, 6)}, in -> in[0].argmax(1), false));
        // softmax and losses
        l.add(new OpSpec("softmax", g -> new Tensor[] {n(g, 3, 5)}, in -> in[0].softmax(-1), true));
        l.add(new OpSpec("softmaxAxis0", g -> new Tensor[] {n(g, 4, 3)}, in -> in[0].softmax(0), true));
        l.add(new OpSpec("logSoftmax", g -> new Tensor[] {n(g, 3, 5)}, in -> in[0].logSoftmax(-1), true));
        l.add(new OpSpec("crossEntropy", g -> new Tensor[] {n(g, 6, 4), idx(g, 4, 6)}, in -> in[0].crossEntropy(in[1]), true));
        // torch's ignore_index (-100 marks padding); [N, C, d1, d2] logits with [N, d1, d2] targets
        l.add(new OpSpec("crossEntropyIgnoreIndex", g -> new Tensor[] {n(g, 6, 4), Tensor.fromIndices(new int[] {1, -100, 3, 0, -100, 2})},
                in -> in[0].crossEntropy(in[1], -100), true));
        l.add(new OpSpec("crossEntropyNd", g -> new Tensor[] {n(g, 2, 3, 2, 3), idx(g, 3, 12).reshape(2, 2, 3)},
                in -> in[0].crossEntropy(in[1]), true));
        l.add(new OpSpec("mseLoss", g -> new Tensor[] {n(g, 4, 3), n(g, 4, 3)}, in -> F.mseLoss(in[0], in[1]), true));
        l.add(new OpSpec("bceWithLogits", g -> new Tensor[] {n(g, 5, 2), Tensor.rand(g, 5, 2)}, in -> F.bceWithLogits(in[0], in[1]), true));
        sequence(l);
        VisionOps.register(l); // vision: conv, pooling, batch norm, flatten (VisionOps.java)
        SparseOps.register(l); // sparse: SpMM, segment and scatter sums (SparseOps.java)
        SparseOps.registerRowSparse(l); // row-sparse embedding gradients, SGD and SparseAdam on them (SparseOps.java)
        GenerativeOps.register(l); // diffusion noise scheduling and generative layers (GenerativeOps.java)
        return Collections.unmodifiableList(l);
    }

    // ---- sequence models: embedding, layer norm, attention, LSTM ------------------------------
    // Ragged sizes on purpose: head dims 4 and 20 take the CUDA padding path, 32 the direct one;
    // lengths below and above tile sizes, and a row with no visible key / a zero-length sequence.
    private static void sequence(List<OpSpec> l) {
        l.add(new OpSpec("embedding", g -> new Tensor[] {n(g, 7, 3), Tensor.fromIndices(new int[] {0, 6, 2, 2, 5, 1, 3, 6}, 2, 4)},
                in -> SequenceOps.embedding(in[0], in[1]), true));
        l.add(new OpSpec("layerNorm", g -> new Tensor[] {n(g, 5, 7), n(g, 7), n(g, 7)},
                in -> SequenceOps.layerNorm(in[0], in[1], in[2], 1e-5f), true));
        l.add(new OpSpec("layerNormNoAffine", g -> new Tensor[] {n(g, 3, 2, 9)},
                in -> SequenceOps.layerNorm(in[0], null, null, 1e-5f), true));
        l.add(new OpSpec("attention", g -> new Tensor[] {n(g, 2, 2, 5, 4), n(g, 2, 2, 5, 4), n(g, 2, 2, 5, 4)},
                in -> SequenceOps.scaledDotProductAttention(in[0], in[1], in[2], false, null), true));
        l.add(new OpSpec("attentionCausalPadded", g -> new Tensor[] {n(g, 2, 2, 6, 4), n(g, 2, 2, 7, 4), n(g, 2, 2, 7, 4),
                Tensor.fromIndices(new int[] {5, 0})},
                in -> SequenceOps.scaledDotProductAttention(in[0], in[1], in[2], true, in[3]), true));
        l.add(new OpSpec("attentionD32Ragged", g -> new Tensor[] {n(g, 1, 2, 17, 32), n(g, 1, 2, 19, 32), n(g, 1, 2, 19, 32),
                Tensor.fromIndices(new int[] {13})},
                in -> SequenceOps.scaledDotProductAttention(in[0], in[1], in[2], true, in[3]), true));
        l.add(new OpSpec("attentionD20", g -> new Tensor[] {n(g, 1, 1, 9, 20), n(g, 1, 1, 11, 20), n(g, 1, 1, 11, 20)},
                in -> SequenceOps.scaledDotProductAttention(in[0], in[1], in[2], false, null, 0.3f), true));
        l.add(new OpSpec("attentionKeyMask", g -> new Tensor[] {n(g, 2, 2, 5, 4), n(g, 2, 2, 6, 4), n(g, 2, 2, 6, 4),
                Tensor.fromIndices(new int[] {1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0}, 2, 1, 1, 6)},
                in -> SequenceOps.maskedAttention(in[0], in[1], in[2], true, in[3]), true));
        l.add(new OpSpec("attentionHeadMask", g -> new Tensor[] {n(g, 1, 2, 4, 4), n(g, 1, 2, 5, 4), n(g, 1, 2, 5, 4),
                Tensor.fromIndices(new int[] {1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
                        0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1}, 1, 2, 4, 5)},
                in -> SequenceOps.maskedAttention(in[0], in[1], in[2], false, in[3]), true));
        // value width Dv != key width D: fused (Dv > D, padded to one kernel head dim) and composed paths
        l.add(new OpSpec("attentionDvWide", g -> new Tensor[] {n(g, 2, 2, 6, 4), n(g, 2, 2, 7, 4), n(g, 2, 2, 7, 9),
                Tensor.fromIndices(new int[] {5, 0})},
                in -> SequenceOps.scaledDotProductAttention(in[0], in[1], in[2], true, in[3]), true));
        l.add(new OpSpec("attentionDvNarrow", g -> new Tensor[] {n(g, 1, 2, 5, 36), n(g, 1, 2, 6, 36), n(g, 1, 2, 6, 3)},
                in -> SequenceOps.scaledDotProductAttention(in[0], in[1], in[2], false, null), true));
        l.add(new OpSpec("attentionDvMasked", g -> new Tensor[] {n(g, 1, 2, 4, 4), n(g, 1, 2, 5, 4), n(g, 1, 2, 5, 6),
                Tensor.fromIndices(new int[] {1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1}, 1, 1, 4, 5)},
                in -> SequenceOps.maskedAttention(in[0], in[1], in[2], false, in[3]), true));
        l.add(new OpSpec("lstm", g -> new Tensor[] {n(g, 3, 4, 3), n(g, 3, 5), n(g, 3, 5), n(g, 3, 20).mul(0.5f),
                n(g, 5, 20).mul(0.5f), n(g, 20).mul(0.5f)},
                in -> lstmAll(SequenceOps.lstm(in[0], in[1], in[2], in[3], in[4], in[5], null)), true));
        l.add(new OpSpec("lstmMasked", g -> new Tensor[] {n(g, 4, 5, 2), n(g, 2, 12).mul(0.5f), n(g, 3, 12).mul(0.5f),
                Tensor.fromIndices(new int[] {5, 2, 0, 3})},
                in -> lstmAll(SequenceOps.lstm(in[0], null, null, in[1], in[2], null, in[3])), true));
    }

    /** Every output of an LSTM layer in one tensor, so checks cover the gradients of all three. */
    private static Tensor lstmAll(SequenceOps.LstmResult r) {
        return Tensor.cat(List.of(r.output().reshape(-1), r.h().reshape(-1), r.c().reshape(-1)), 0);
    }

    private static void unary(List<OpSpec> l, String name, Function<Tensor, Tensor> f, boolean positive) {
        l.add(new OpSpec(name, g -> new Tensor[] {positive ? pos(g, 3, 7) : n(g, 3, 7)}, in -> f.apply(in[0]), true));
    }
}
