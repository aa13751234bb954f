package dev.kiln;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.Checks.assertClose;
import static dev.kiln.Checks.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensor's documented contracts: argument checks and their messages, identities, properties and edge shapes. */
class TensorContractsTest {

    private static void fails(Runnable r, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
    }

    @Test
    void creationChecks() {
        fails(() -> Tensor.zeros(2, -1), "Negative dimension in shape [2, -1]");
        fails(() -> Tensor.fromArray(new float[] {1, 2, 3}, 2, 2), "Shape [2, 2] holds 4 elements but 3 values were given");
        fails(() -> Tensor.fromIndices(new int[] {1}, 2), "holds 2 elements but 1 values");
        fails(() -> Tensor.fromLongs(new long[] {1, 2}, 3), "holds 3 elements");
        fails(() -> Tensor.of(new float[][] {{1, 2}, {3}}), "Row 1 has 1 values, expected 2");
        fails(() -> Tensor.arange(0, 1, 0), "is empty or infinite");
        fails(() -> Tensor.arange(1, 0, 1), "is empty or infinite");
        assertTensor(new float[] {3, 2.5f}, new int[] {2}, Tensor.arange(3, 2, -0.5f), "descending arange");
        assertTensor(new float[] {0, 1, 2}, new int[] {3}, Tensor.arange(3), "arange(n)");
        assertArrayEquals(new int[] {0}, Tensor.arange(2, 2, 1).shape());
        assertArrayEquals(new int[] {0, 0}, Tensor.of(new float[0][]).shape());
        assertEquals(0, Tensor.fromArray(new float[] {4}).rank(), "one value and no shape: a scalar");
        assertArrayEquals(new int[] {2}, Tensor.fromArray(new float[] {4, 5}).shape());
        assertArrayEquals(new int[] {1}, Tensor.fromArray(new float[] {4}, 1).shape());
        assertTensor(new float[] {1, 1}, new int[] {2}, Tensor.ones(Device.cpu(), 2), "ones on a device");
        assertTensor(new float[] {0}, new int[] {1}, Tensor.zeros(Device.cpu(), 1), "zeros on a device");
        assertTensor(new float[] {7, 7}, new int[] {1, 2}, Tensor.full(7f, 1, 2), "full");
    }

    @Test
    void propertiesAndHostAccess() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        assertEquals(2, t.rank());
        assertEquals(6, t.numel());
        assertEquals(3, t.size(-1));
        assertEquals(2, t.size(0));
        fails(() -> t.size(2), "Axis 2 is out of range for a tensor of rank 2");
        fails(() -> t.size(-3), "out of range");
        int[] s = t.shape();
        s[0] = 9;
        assertArrayEquals(new int[] {2, 3}, t.shape(), "shape() is a copy");
        fails(t::item, "item() needs a one-element tensor, shape is [2, 3]");
        assertEquals(5f, Tensor.fromArray(new float[] {5}, 1, 1).item());
        assertEquals(7f, Tensor.fromIndices(new int[] {7}).item());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, t.toLongArray(), "floats truncated to longs");
        fails(() -> Tensor.fromIndices(new int[] {1}).toFloatArray(), "toFloatArray needs a FLOAT32 tensor, got INT32 [1]");
        assertSame(t, t.to(Device.cpu()));
        assertSame(t, t.toType(DType.FLOAT32));
        assertArrayEquals(new long[] {-1, 2}, Tensor.fromArray(new float[] {-1.9f, 2.9f}).toType(DType.INT32).toLongArray(), "truncation");
        assertTensor(new float[] {3, -4}, new int[] {2}, Tensor.fromLongs(new long[] {3, -4}).toType(DType.FLOAT32), "longs to floats");
        assertEquals("Tensor[2, 3] FLOAT32 on cpu [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]", t.toString());
        assertEquals("Tensor[2] INT32 on cpu [1, 2]", Tensor.fromIndices(new int[] {1, 2}).toString());
        assertEquals("Tensor[17] FLOAT32 on cpu", Tensor.zeros(17).toString());
        assertTrue(Tensor.zeros(4, 4).toString().startsWith("Tensor[4, 4] FLOAT32 on cpu [0.0, "));
        assertTrue(Tensor.zeros(4, 4).toString().endsWith("0.0]"));
        assertSame(t.backend(), Tensor.zeros(1).backend());
        assertEquals(Device.cpu(), t.device());
        assertTrue(t.buffer() == t.reshape(3, 2).buffer(), "reshape shares storage");
        assertArrayEquals(new int[] {1, 1}, Tensor.scalar(2).flatten().shape());
        assertArrayEquals(new int[] {2, 3}, t.flatten().shape());
        assertArrayEquals(new int[] {3, 2}, t.view(3, 2).shape());
    }

    @Test
    void autogradContracts() {
        fails(() -> Tensor.fromIndices(new int[] {1}).requiresGrad(true), "Only FLOAT32 tensors can require gradients, this is INT32");
        Tensor.fromIndices(new int[] {1}).requiresGrad(false);
        Tensor leaf = Tensor.ones(2).requiresGrad(true);
        assertTrue(leaf.isLeaf());
        Tensor y = leaf.mul(2f);
        assertFalse(y.isLeaf());
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(true));
        fails(() -> leaf.setGrad(Tensor.zeros(3)), "Gradient shape [3] does not match tensor shape [2]");
        leaf.setGrad(Tensor.ones(2));
        leaf.setGrad(null);
        assertNull(leaf.grad());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.backward());
        assertTrue(e.getMessage().contains("backward() without a gradient needs a scalar, shape is [2]"), e.getMessage());
        y.backward(Tensor.fromArray(new float[] {1, 3}, 2));
        assertClose(new float[] {2, 6}, leaf.grad().toFloatArray(), "d(2x)·g");
        Tensor d = leaf.detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        assertSame(leaf.buffer(), d.buffer());
        Tensor z = Tensor.ones(1).requiresGrad(true);
        Tensor loss = z.mul(3f).sum();
        loss.backward(true);
        loss.backward();
        assertClose(new float[] {6}, z.grad().toFloatArray(), "two backward passes accumulate");
        fails(() -> Tensor.zeros(3).t(), "t() needs rank >= 2, shape is [3]");
        fails(() -> Tensor.zeros(2).assign(Tensor.zeros(3)), "assign: source [3] FLOAT32 does not match [2] FLOAT32");
        fails(() -> Tensor.zeros(2).assign(Tensor.fromIndices(new int[] {1, 2})), "does not match [2] FLOAT32");
        Tensor a = Tensor.zeros(2);
        a.assign(Tensor.fromArray(new float[] {4, 5}));
        assertTensor(new float[] {4, 5}, new int[] {2}, a, "assigned");
    }

    @Test
    void scalarOpsAndDivisions() {
        Tensor x = Tensor.fromArray(new float[] {1, -2, 4});
        assertTensor(new float[] {-1, -4, 2}, new int[] {3}, x.sub(2f), "sub(float)");
        assertTensor(new float[] {3, 0, 6}, new int[] {3}, x.add(2f), "add(float)");
        assertTensor(new float[] {0.25f, -0.5f, 1}, new int[] {3}, x.div(4f), "div(float)");
        assertTensor(new float[] {-0.5f, 1, -2}, new int[] {3}, x.mul(-0.5f), "mul(float)");
        assertTensor(new float[] {1, 4, 16}, new int[] {3}, x.square(), "square");
        assertTensor(new float[] {0.5f, -1, 2}, new int[] {3}, x.div(Tensor.full(2f, 1)), "div(tensor)");
        assertTensor(new float[] {1, 0, 1}, new int[] {3}, x.gt(Tensor.zeros(1)), "gt");
        assertTensor(new float[] {0, 1, 0}, new int[] {3}, x.lt(Tensor.zeros(1)), "lt");
        assertTensor(new float[] {0, 0, 1}, new int[] {3}, x.eq(Tensor.full(4f, 1)), "eq");
        assertTensor(new float[] {1, -2, 0}, new int[] {3}, x.minimum(Tensor.zeros(1).add(0f)).add(x.gt(Tensor.zeros(1)).mul(x))
                .sub(x.gt(Tensor.full(3f, 1)).mul(4f)), "composition");
        fails(() -> x.add(Tensor.fromIndices(new int[] {1, 2, 3})), "add needs a FLOAT32 tensor, got INT32");
        fails(() -> Tensor.fromIndices(new int[] {1}).relu(), "relu needs a FLOAT32 tensor");
        fails(() -> x.dropout(1f, true, new Generator(1)), "Dropout probability must be in [0, 1), got 1.0");
        fails(() -> x.dropout(-0.1f, true, new Generator(1)), "got -0.1");
        assertSame(x, x.dropout(0.5f, false, new Generator(1)));
        assertSame(x, x.dropout(0f, true, new Generator(1)));
    }

    @Test
    void shapeOpContracts() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        fails(() -> t.reshape(-1, -1), "Only one -1 allowed in reshape [-1, -1]");
        fails(() -> t.reshape(4, -1), "Cannot reshape [2, 3] to [4, -1]");
        fails(() -> t.reshape(0, -1), "Cannot reshape [2, 3] to [0, -1]");
        fails(() -> t.reshape(-2, 3), "reshape: bad size -2");
        assertArrayEquals(new int[] {6}, t.reshape(-1).shape());
        assertArrayEquals(new int[] {0, 5}, Tensor.zeros(0, 3).reshape(0, 5).shape());
        assertArrayEquals(new int[] {2, 1, 3}, t.unsqueeze(1).shape());
        assertArrayEquals(new int[] {2, 3, 1}, t.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 2, 3}, t.unsqueeze(0).shape());
        assertArrayEquals(new int[] {2, 3}, t.unsqueeze(1).squeeze(1).shape());
        fails(() -> t.squeeze(0), "Cannot squeeze axis 0 of shape [2, 3]: size is not 1");
        fails(() -> t.permute(0), "permute [0] needs 2 axes for shape [2, 3]");
        fails(() -> t.permute(0, 0), "permute");
        fails(() -> t.expand(3, 3), "Shapes [2, 3] and [3, 3] cannot be broadcast: axis 0 has 2 vs 3");
        fails(() -> t.expand(2, 1), "Cannot expand shape [2, 3] to [2, 1]");
        assertSame(t, t.expand(2, 3));
        assertSame(t, t.sumTo(new int[] {2, 3}));
        fails(() -> Tensor.zeros(3).sumTo(new int[] {2, 3}), "Cannot sum shape [3] to larger rank [2, 3]");
        fails(() -> Tensor.zeros(2, 3).sumTo(new int[] {2, 2}), "Cannot sum shape [2, 3] to [2, 2]");
        assertTensor(new float[] {3, 5, 7}, new int[] {3}, t.sumTo(new int[] {3}), "sumTo drops a leading axis");
        assertTensor(new float[] {3, 12}, new int[] {2, 1}, t.sumTo(new int[] {2, 1}), "sumTo keeps a size-1 axis");
        assertTensor(new float[] {15}, new int[] {1, 1}, t.sumTo(new int[] {1, 1}), "sumTo both");
        assertTensor(new float[] {0, 3, 1, 4, 2, 5}, new int[] {3, 2}, t.transpose(0, 1), "transpose");
        assertTensor(new float[] {0, 3, 1, 4, 2, 5}, new int[] {3, 2}, t.transpose(-1, -2), "transpose negative axes");
        assertTensor(new float[] {3, 4, 5}, new int[] {3}, t.select(0, 1), "select");
        assertTensor(new float[] {1, 4}, new int[] {2}, t.select(1, 1), "select axis 1");
        assertTensor(new float[] {}, new int[] {2, 0}, t.slice(1, 2, 2), "empty slice");
        assertTensor(new float[] {0, 1, 2, 3, 4, 5, 0, 1, 2}, new int[] {3, 3}, Tensor.cat(List.of(t, t.slice(0, 0, 1)), 0), "cat axis 0");
        assertTensor(new float[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, new int[] {2, 2, 3}, Tensor.stack(List.of(t, t), 1), "stack axis 1");
        assertTensor(new float[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, new int[] {2, 3, 2}, Tensor.stack(List.of(t, t), -1), "stack last");
    }

    @Test
    void reductionsOfAllElementsAndEmptyAxes() {
        Tensor t = Tensor.fromArray(new float[] {1, -5, 3, 2}, 2, 2);
        assertTensor(new float[] {1}, new int[] {}, t.sum(), "sum");
        assertTensor(new float[] {0.25f}, new int[] {}, t.mean(), "mean");
        assertTensor(new float[] {3}, new int[] {}, t.max(), "max");
        assertTensor(new float[] {-2, 2.5f}, new int[] {2}, t.mean(1, false), "mean axis 1");
        assertTensor(new float[] {-2, 2.5f}, new int[] {2}, t.mean(-1, false), "mean axis -1");
        fails(() -> Tensor.fromIndices(new int[] {1, 2}).sum(0, false), "sum needs a FLOAT32 tensor");
        fails(() -> Tensor.fromIndices(new int[] {1, 2}).argmax(0), "argmax needs a FLOAT32 tensor");
        fails(() -> Tensor.fromIndices(new int[] {1, 2}).softmax(0), "softmax needs a FLOAT32 tensor");
        fails(() -> Tensor.fromIndices(new int[] {1, 2}).logSoftmax(0), "logSoftmax needs a FLOAT32 tensor");
        fails(() -> t.crossEntropy(Tensor.fromArray(new float[] {0, 1})), "crossEntropy needs [N, C] logits with [N] targets or [N, C, d1, ...] logits with [N, d1, ...] targets (INT32/INT64)");
        fails(() -> t.crossEntropy(Tensor.fromIndices(new int[] {0, 1, 1})), "crossEntropy needs");
        fails(() -> Tensor.zeros(2, 2, 2).crossEntropy(Tensor.fromIndices(new int[] {0, 1})), "crossEntropy needs");
        fails(() -> t.crossEntropy(Tensor.fromIndices(new int[] {0, 1}, 1, 2)), "crossEntropy needs");
        assertClose(Math.log(1 + Math.exp(-6)), t.crossEntropy(Tensor.fromLongs(new long[] {0, 0})).item() * 2
                - (Math.log(Math.exp(3) + Math.exp(2)) - 3), 1e-5, "INT64 targets");
    }
}
