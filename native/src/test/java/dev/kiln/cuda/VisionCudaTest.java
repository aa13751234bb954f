package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.Vision;
import dev.kiln.ops.OpRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        System.setProperty("kiln.cuda.conv.splits", "3");
        try {
            for (String op : new String[] {"conv2d", "conv2dStride2", "conv2dGroups", "conv2dDepthwise"}) {
                Parity.check(cuda, OpRegistry.get(op), 11);
            }
        } finally {
            System.clearProperty("kiln.cuda.conv.splits");
        }
    }

    @Test
    void vendorConvolutionSaysTheEmulatorHasNoCudnn() {
        Tensor x = Tensor.randn(new Generator(1), cuda, 1, 2, 5, 5);
        Tensor w = Tensor.randn(new Generator(2), cuda, 3, 2, 3, 3);
        System.setProperty("kiln.cuda.impl.conv", "vendor");
        try {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Vision.conv2d(x, w, null, 1, 1, 1, 1, false));
            assertTrue(e.getMessage().contains("cuDNN") && e.getMessage().contains("emulator"), e.getMessage());
        } finally {
            System.clearProperty("kiln.cuda.impl.conv");
        }
    }
}
