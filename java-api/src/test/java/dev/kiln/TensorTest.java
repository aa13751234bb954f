package dev.kiln;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    private static Tensor t(float[] v, int... shape) {
        return Tensor.fromArray(v, shape);
    }

    @Test
    void creation() {
        assertArrayEquals(new float[] {0, 0, 0}, Tensor.zeros(3).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(1, 2).toFloatArray());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7, 2).toFloatArray());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5f).toFloatArray());
        assertEquals(0, Tensor.scalar(3).rank());
        assertEquals(3f, Tensor.scalar(3).item());
        assertArrayEquals(new int[] {2, 3}, Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).shape());
        assertArrayEquals(new long[] {4, 2}, Tensor.fromIndices(new int[] {4, 2}).toLongArray());
        assertEquals(DType.INT64, Tensor.fromLongs(new long[] {1}).dtype());
    }

    @Test
    void randomIsSeededAndDistributedSensibly() {
        float[] a = Tensor.randn(new Generator(5), 10000).toFloatArray();
        float[] b = Tensor.randn(new Generator(5), 10000).toFloatArray();
        assertArrayEquals(a, b);
        double mean = 0, var = 0;
        for (float v : a) {
            mean += v;
        }
        mean /= a.length;
        for (float v : a) {
            var += (v - mean) * (v - mean);
        }
        var /= a.length;
        assertEquals(0, mean, 0.05);
        assertEquals(1, var, 0.05);
        float[] u = Tensor.rand(new Generator(6), 10000).toFloatArray();
        for (float v : u) {
            assertTrue(v >= 0 && v < 1);
        }
    }

    @Test
    void broadcastingArithmetic() {
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = t(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(b).toFloatArray());
        Tensor col = t(new float[] {2, 3}, 2, 1);
        assertArrayEquals(new float[] {2, 4, 6, 12, 15, 18}, a.mul(col).toFloatArray());
        assertArrayEquals(new float[] {-9, -18, -27, -6, -15, -24}, a.sub(b).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 4f / 3, 5f / 3, 2}, a.div(col).toFloatArray(), 1e-6f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void matmulMatchesHandComputation() {
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = t(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, a.matmul(b).toFloatArray());
        Tensor batched = Tensor.stack(List.of(a, a.mul(2)), 0).matmul(Tensor.stack(List.of(b, b), 0));
        assertArrayEquals(new float[] {58, 64, 139, 154, 116, 128, 278, 308}, batched.toFloatArray());
        assertArrayEquals(new float[] {58, 64, 139, 154}, Tensor.mm(a.t(), true, b.t(), true).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(a));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("3 != 2"), e.getMessage());
    }

    @Test
    void reductions() {
        Tensor a = t(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertEquals(21f, a.sum().item());
        assertArrayEquals(new float[] {5, 7, 9}, a.sum(0, false).toFloatArray());
        assertArrayEquals(new int[] {2, 1}, a.sum(1, true).shape());
        assertArrayEquals(new float[] {3, 4}, a.mean(1, false).toFloatArray());
        assertArrayEquals(new float[] {5, 6}, a.max(1, false).toFloatArray());
        assertArrayEquals(new long[] {1, 2}, a.argmax(1).toLongArray());
        assertEquals(6f, a.max().item());
    }

    @Test
    void softmaxRowsSumToOne() {
        Tensor x = Tensor.randn(new Generator(3), 4, 7).mul(5);
        float[] s = x.softmax(-1).sum(1, false).toFloatArray();
        for (float v : s) {
            assertEquals(1f, v, 1e-5f);
        }
        float[] ls = x.logSoftmax(-1).exp().toFloatArray();
        assertArrayEquals(x.softmax(1).toFloatArray(), ls, 1e-6f);
    }

    @Test
    void crossEntropyMatchesDefinition() {
        Tensor logits = t(new float[] {2, 1, 0, 0, 0, 3}, 2, 3);
        Tensor targets = Tensor.fromIndices(new int[] {0, 2});
        double l0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1));
        double l1 = -Math.log(Math.exp(3) / (2 + Math.exp(3)));
        assertEquals((l0 + l1) / 2, logits.crossEntropy(targets).item(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> logits.crossEntropy(Tensor.fromIndices(new int[] {0, 3})));
    }

    @Test
    void shapeOps() {
        Tensor a = Tensor.arange(24).reshape(2, 3, 4);
        assertArrayEquals(new int[] {4, 2, 3}, a.permute(2, 0, 1).shape());
        assertEquals(a.toFloatArray()[1 * 12 + 2 * 4 + 3], a.permute(2, 0, 1).toFloatArray()[3 * 6 + 1 * 3 + 2]);
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, a.select(0, 0).slice(0, 1, 3).toFloatArray());
        assertArrayEquals(new int[] {2, 6, 4}, Tensor.cat(List.of(a, a), 1).shape());
        assertArrayEquals(new int[] {2, 2, 3, 4}, Tensor.stack(List.of(a, a), 1).shape());
        assertArrayEquals(new int[] {2, 12}, a.reshape(2, -1).shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3}, Tensor.arange(4).expand(2, 4).toFloatArray());
        Tensor picked = Tensor.arange(6).reshape(3, 2).indexSelect(0, Tensor.fromIndices(new int[] {2, 0}));
        assertArrayEquals(new float[] {4, 5, 0, 1}, picked.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.reshape(5, 5));
        assertTrue(e.getMessage().contains("[2, 3, 4]") && e.getMessage().contains("[5, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.slice(1, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(a, Tensor.zeros(2, 3, 5)), 1));
    }

    @Test
    void dropoutScalesAndIsIdentityInEval() {
        Tensor x = Tensor.ones(10000);
        float[] y = x.dropout(0.25f, true, new Generator(1)).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            assertTrue(v == 0f || Math.abs(v - 4f / 3) < 1e-6);
            zeros += v == 0 ? 1 : 0;
        }
        assertEquals(2500, zeros, 150);
        assertArrayEquals(x.toFloatArray(), x.dropout(0.25f, false, new Generator(1)).toFloatArray());
    }
}
