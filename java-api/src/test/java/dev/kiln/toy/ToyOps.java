package dev.kiln.toy;

import dev.kiln.spi.TensorStorage;
import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Tensor;

import java.util.Arrays;

/** A differentiable op written outside package {@code dev.kiln}, on a kernel family of its own. */
public final class ToyOps {

    private ToyOps() {
    }

    /** {@code a·x + b·y} for same-shaped FLOAT32 tensors. */
    public static Tensor axpby(Tensor x, Tensor y, float a, float b) {
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("axpby needs equal shapes");
        }
        Tensor out = Tensor.empty(x.device(), DType.FLOAT32, x.shape());
        TensorStorage.backend(x).kernels(ToyKernels.class).axpby(TensorStorage.buffer(x), TensorStorage.buffer(y), TensorStorage.buffer(out), x.numel(), a, b);
        return Autograd.op("axpby", out, g -> new Tensor[] {g.mul(a), g.mul(b)}, x, y);
    }
}
