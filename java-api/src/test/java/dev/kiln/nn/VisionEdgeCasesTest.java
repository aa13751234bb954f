package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;
import org.junit.jupiter.api.Test;

import static dev.kiln.Checks.assertClose;
import static dev.kiln.Checks.assertTensor;

/** Vision paths the registry's cases leave out, against hand-computed values. */
class VisionEdgeCasesTest {

    private static Tensor t(float[] v, int... shape) {
        return Tensor.fromArray(v, shape);
    }

    @Test
    void convolutionWithReluAndNoBias() {
        Tensor x = t(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor w = t(new float[] {1, -1}, 2, 1, 1, 1);
        assertTensor(new float[] {1, 2, 3, 4, 0, 0, 0, 0}, new int[] {1, 2, 2, 2}, Vision.conv2d(x, w, null, 1, 0, 1, 1, true), "relu, no bias");
        assertTensor(new float[] {1, 2, 3, 4, -1, -2, -3, -4}, new int[] {1, 2, 2, 2}, Vision.conv2d(x, w, null, 1, 0, 1, 1, false), "no relu");
    }

    @Test
    void maxPoolDilatedAlongTheWidth() {
        // one row of 5: kernel 1x2, dilation (1, 2), stride 1: windows (0, 2), (1, 3), (2, 4)
        Tensor x = t(new float[] {1, 9, 3, 2, 5}, 1, 1, 1, 5);
        assertTensor(new float[] {3, 9, 5}, new int[] {1, 1, 1, 3},
                Vision.maxPool2d(x, new int[] {1, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 2}), "dilation 2 along W");
        Tensor y = t(new float[] {1, 9, 3, 2, 5}, 1, 1, 5, 1);
        assertTensor(new float[] {3, 9, 5}, new int[] {1, 1, 3, 1},
                Vision.maxPool2d(y, new int[] {2, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {2, 1}), "dilation 2 along H");
    }

    @Test
    void maxPoolSendsTheGradientToTheFirstOfTiedMaxima() {
        Tensor x = t(new float[] {4, 4, 1, 4}, 1, 1, 2, 2).requiresGrad(true);
        Vision.maxPool2d(x, 2, 2, 0).sum().backward();
        assertClose(new float[] {1, 0, 0, 0}, x.grad().toFloatArray(), "first tied maximum");
    }

    @Test
    void batchNormUsesEpsAndUpdatesRunningStatisticsEveryStep() {
        Tensor x = t(new float[] {1, 3}, 2, 1, 1, 1); // mean 2, biased var 1, unbiased 2
        Tensor rm = Tensor.fromArray(new float[] {1}, 1), rv = Tensor.fromArray(new float[] {1}, 1);
        // eps 3: (x - 2) / sqrt(1 + 3)
        assertTensor(new float[] {-0.5f, 0.5f}, new int[] {2, 1, 1, 1}, Vision.batchNorm2d(x, null, null, rm, rv, true, 0.25f, 3f), "train eps");
        assertClose(new float[] {1.25f}, rm.toFloatArray(), "running mean 0.75·1 + 0.25·2");
        assertClose(new float[] {1.25f}, rv.toFloatArray(), "running var 0.75·1 + 0.25·2");
        Vision.batchNorm2d(x, null, null, rm, rv, true, 0.25f, 3f);
        assertClose(new float[] {1.4375f}, rm.toFloatArray(), "second step mean");
        assertClose(new float[] {1.4375f}, rv.toFloatArray(), "second step var");
        // eval with eps 3: (x - 1.4375) / sqrt(1.4375 + 3), gamma 2, beta 1
        double s = Math.sqrt(1.4375 + 3);
        assertTensor(new float[] {(float) (2 * (1 - 1.4375) / s + 1), (float) (2 * (3 - 1.4375) / s + 1)}, new int[] {2, 1, 1, 1},
                Vision.batchNorm2d(x, t(new float[] {2}, 1), t(new float[] {1}, 1), rm, rv, false, 0.25f, 3f), "eval eps");
    }

    @Test
    void averagePoolsOverSeveralPlanes() {
        // two images of two channels: each plane averaged on its own
        Tensor x = Tensor.arange(16).reshape(2, 2, 2, 2);
        assertTensor(new float[] {1.5f, 5.5f, 9.5f, 13.5f}, new int[] {2, 2, 1, 1}, Vision.avgPool2d(x, 2, 2, 0), "avg pool");
        assertTensor(new float[] {1.5f, 5.5f, 9.5f, 13.5f}, new int[] {2, 2, 1, 1}, Vision.adaptiveAvgPool2d(x, 1, 1), "adaptive");
        assertTensor(new float[] {3, 7, 11, 15}, new int[] {2, 2, 1, 1}, Vision.maxPool2d(x, 2, 2, 0), "max pool");
        Tensor g = x.requiresGrad(true);
        Vision.avgPool2d(g, 2, 2, 0).mul(Tensor.arange(4).add(1f).reshape(2, 2, 1, 1)).sum().backward();
        assertClose(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.5f, 0.5f, 0.5f, 0.5f, 0.75f, 0.75f, 0.75f, 0.75f, 1, 1, 1, 1},
                g.grad().toFloatArray(), "avg pool backward per plane");
    }
}
