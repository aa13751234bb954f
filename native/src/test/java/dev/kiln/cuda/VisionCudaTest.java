package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.Vision;
import dev.kiln.ops.OpRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CUDA vision paths the registry parity does not reach by default: split weight gradients, the vendor switch. */
class VisionCudaTest {

    static Device cuda;

    @BeforeAll
    static void open() {
        cuda = Device.cuda();
    }

    @Test
    void splitWeightGradientMatchesTheCpu() {
        WithOption.run(backend(), "kiln.cuda.conv.splits", "3", () -> {
            for (String op : new String[] {"conv2d", "conv2dStride2", "conv2dGroups", "conv2dDepthwise", "conv2dNhwc"}) {
                Parity.check(cuda, OpRegistry.get(op), 11);
            }
        });
    }

    /**
     * {@code kiln.cuda.conv.kernel=tf32} runs all three conv GEMMs on TF32 tensor cores: values and
     * gradients stay within TF32 rounding (10-bit mantissa operands, fp32 sums) of the CPU, and
     * differ from the fp32 kernels' (so the switch took effect for forward and backward).
     */
    @Test
    void tf32KernelsMatchTheCpuWithinTf32Rounding() {
        Tensor x = Tensor.randn(new Generator(3), 2, 5, 9, 9), w = Tensor.randn(new Generator(4), 7, 5, 3, 3);
        float[][] fp32 = convWithGrads(x, w);
        WithOption.run(backend(), "kiln.cuda.conv.kernel", "tf32", () -> {
            for (String op : new String[] {"conv2d", "conv2dStride2", "conv2dGroups", "conv2dDepthwise", "conv2dNhwc",
                "conv2dNhwcGroups"}) {
                Parity.check(cuda, OpRegistry.get(op), 12, 1e-2f, 2e-2f);
            }
            float[][] tf32 = convWithGrads(x, w);
            for (int i = 0; i < 3; i++) {
                Parity.close("tf32 vs fp32 " + i, fp32[i], tf32[i], 1e-2f, 2e-2f);
                assertFalse(java.util.Arrays.equals(fp32[i], tf32[i]), "tf32 kernel not used for result " + i);
            }
        });
    }

    private static CudaBackend backend() {
        return (CudaBackend) dev.kiln.backend.Backends.of(cuda);
    }

    /** Output, dx and dw of a 3×3 conv (padding 1) on CUDA. */
    private static float[][] convWithGrads(Tensor x, Tensor w) {
        Tensor xc = x.to(cuda).requiresGrad(true), wc = w.to(cuda).requiresGrad(true);
        Tensor y = Vision.conv2d(xc, wc, null, 1, 1, 1, 1, false);
        y.mul(Tensor.randn(new Generator(5), y.shape()).to(cuda)).sum().backward();
        return new float[][] {y.toFloatArray(), xc.grad().toFloatArray(), wc.grad().toFloatArray()};
    }

    @Test
    void vendorConvolutionSaysTheEmulatorHasNoCudnn() {
        Tensor x = Tensor.randn(new Generator(1), cuda, 1, 2, 5, 5);
        Tensor w = Tensor.randn(new Generator(2), cuda, 3, 2, 3, 3);
        WithOption.run(backend(), "kiln.cuda.impl.conv", "vendor", () -> {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Vision.conv2d(x, w, null, 1, 1, 1, 1, false));
            assertTrue(e.getMessage().contains("cuDNN") && e.getMessage().contains("emulator"), e.getMessage());
        });
    }
}
