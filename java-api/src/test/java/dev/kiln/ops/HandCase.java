package dev.kiln.ops;

import dev.kiln.DType;
import dev.kiln.Tensor;

import java.util.function.Supplier;

/** One hand-computed case: literal inputs (fresh tensors per call) and the expected output. */
final class HandCase {

    final Expected expected;
    private final Supplier<Tensor>[] inputs;

    @SafeVarargs
    HandCase(Expected expected, Supplier<Tensor>... inputs) {
        this.expected = expected;
        this.inputs = inputs;
    }

    /** The expected output: FLOAT32 values or index values, with its shape. */
    record Expected(DType dtype, float[] floats, long[] longs, int[] shape) {
    }

    Tensor[] make() {
        Tensor[] t = new Tensor[inputs.length];
        for (int k = 0; k < t.length; k++) {
            t[k] = inputs[k].get();
        }
        return t;
    }

    static Supplier<Tensor> floats(float[] v, int... shape) {
        return () -> Tensor.fromArray(v, shape);
    }

    static Supplier<Tensor> ints(int[] v, int... shape) {
        return () -> Tensor.fromIndices(v, shape.length == 0 ? new int[] {v.length} : shape);
    }

    static Expected expectFloats(float[] v, int... shape) {
        return new Expected(DType.FLOAT32, v, null, shape);
    }

    static Expected expectLongs(long[] v, int... shape) {
        return new Expected(DType.INT64, null, v, shape);
    }
}
