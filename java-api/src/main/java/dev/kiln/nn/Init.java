package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.Tensor;

/**
 * Weight initialisers. Fan-in/fan-out follow PyTorch: for a {@code [out, in, k...]} weight,
 * fanIn = in·prod(k) and fanOut = out·prod(k).
 */
public final class Init {
    private Init() {
    }

    public static int fanIn(int[] shape) {
        int r = 1;
        for (int k = 1; k < shape.length; k++) {
            r *= shape[k];
        }
        return shape.length == 1 ? shape[0] : r;
    }

    public static int fanOut(int[] shape) {
        int r = shape[0];
        for (int k = 2; k < shape.length; k++) {
            r *= shape[k];
        }
        return r;
    }

    /** U(-bound, bound). */
    public static Tensor uniform(Generator g, float bound, int... shape) {
        return Tensor.rand(g, shape).mul(2 * bound).sub(bound);
    }

    /** Kaiming (He) uniform for ReLU: U(±sqrt(6 / fanIn)). */
    public static Tensor kaimingUniform(Generator g, int... shape) {
        return uniform(g, (float) Math.sqrt(6.0 / fanIn(shape)), shape);
    }

    /** Kaiming (He) normal for ReLU: N(0, 2 / fanIn). */
    public static Tensor kaimingNormal(Generator g, int... shape) {
        return Tensor.randn(g, shape).mul((float) Math.sqrt(2.0 / fanIn(shape)));
    }

    /** Xavier (Glorot) uniform: U(±sqrt(6 / (fanIn + fanOut))). */
    public static Tensor xavierUniform(Generator g, int... shape) {
        return uniform(g, (float) Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape))), shape);
    }

    /** Xavier (Glorot) normal: N(0, 2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal(Generator g, int... shape) {
        return Tensor.randn(g, shape).mul((float) Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape))));
    }
}
