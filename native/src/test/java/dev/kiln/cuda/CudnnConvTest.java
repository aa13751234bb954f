package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.ConvGeometry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cuDNN vendor path where no cuDNN can run (the emulator): every conv and batch-norm SPI method
 * selected as {@code vendor} fails naming cuDNN and the emulator, the own path is untouched by a
 * vendor switch of another op, and the pure-Java parts of {@link CudnnConv} (load-failure message,
 * shape text, math mode) say what they should. The real path runs in {@code GpuParityTest} and
 * the benchmarks' {@code ConvBench} on a GPU.
 */
class CudnnConvTest {

    static CudaBackend be;

    @BeforeAll
    static void open() {
        be = (CudaBackend) Backends.of(Device.cuda());
    }

    private static Buffer floats(int n) {
        Buffer b = be.allocate(DType.FLOAT32, n);
        be.fill(b, 0.5f);
        return b;
    }

    private static void withProperty(String key, String value, Runnable r) {
        WithOption.run(be, key, value, r);
    }

    /**
     * Under the emulator: the "no cuDNN under the emulator" error. Under the real driver without
     * cuDNN (the fake libcuda.so.1, run with {@code -Dtest=CudnnConvTest}): the load failure naming
     * libcudnn.so.9.
     */
    private static void assertNoCudnnUnderEmulator(Runnable call) {
        if (be.driver().name().equals("emulator")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call::run);
            assertTrue(e.getMessage().contains("cuDNN") && e.getMessage().contains("emulator"), e.getMessage());
        } else {
            assumeTrue(CudnnConv.missingLibraries().contains("libcudnn.so.9"), "cuDNN is installed here");
            CudaException e = assertThrows(CudaException.class, call::run);
            assertTrue(e.getMessage().startsWith("cuDNN is unavailable") && e.getMessage().contains("libcudnn.so.9"), e.getMessage());
        }
    }

    @Test
    void everyVendorMethodSaysTheEmulatorHasNoCudnn() {
        ConvGeometry g = ConvGeometry.of(2, 4, 5, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2);
        Buffer x = floats(2 * 4 * 25), w = floats(6 * 2 * 9), y = floats(2 * 6 * 25), b = floats(6);
        List<Runnable> conv = List.of(
                () -> be.vision().conv2dForward(g, x, w, b, y, true),
                () -> be.vision().conv2dBackwardData(g, y, w, x),
                () -> be.vision().conv2dBackwardWeight(g, x, y, w),
                () -> be.vision().conv2dBackwardBias(g, y, b));
        Buffer c = floats(4), s1 = floats(4), s2 = floats(4);
        List<Runnable> bn = List.of(
                () -> be.vision().batchNorm2dForwardTrain(x, y, c, c, s1, s2, s1, s2, 2, 4, 25, 0.1f, 1e-5f),
                () -> be.vision().batchNorm2dForwardEval(x, y, c, c, s1, s2, 2, 4, 25, 1e-5f),
                () -> be.vision().batchNorm2dBackward(y, x, c, s1, s2, x, s1, s2, 2, 4, 25));
        for (String key : new String[] {"kiln.cuda.impl", "kiln.cuda.impl.conv"}) {
            withProperty(key, "vendor", () -> conv.forEach(CudnnConvTest::assertNoCudnnUnderEmulator));
        }
        for (String key : new String[] {"kiln.cuda.impl", "kiln.cuda.impl.batchNorm"}) {
            withProperty(key, "vendor", () -> bn.forEach(CudnnConvTest::assertNoCudnnUnderEmulator));
        }
        assertNoCudnnUnderEmulator(() -> CudnnConv.of(be));
    }

    @Test
    void aVendorSwitchOfOneOpLeavesTheOthersOnOurKernels() {
        ConvGeometry g = ConvGeometry.of(1, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        Buffer x = floats(2 * 16), w = floats(3 * 2 * 9), y = floats(3 * 16);
        Buffer c = floats(2), rm = floats(2), rv = floats(2), sm = floats(2), si = floats(2), bx = floats(2 * 16);
        Consumer<Boolean> both = conv -> {
            if (conv) {
                be.vision().conv2dForward(g, x, w, null, y, false);
            } else {
                be.vision().batchNorm2dForwardTrain(x, bx, c, c, rm, rv, sm, si, 1, 2, 16, 0.1f, 1e-5f);
            }
        };
        withProperty("kiln.cuda.impl.batchNorm", "vendor", () -> both.accept(true));
        withProperty("kiln.cuda.impl.conv", "vendor", () -> both.accept(false));
        // 3x3 conv of 0.5 everywhere, padding 1: the centre output sums 2 channels x 9 taps x 0.25.
        float[] out = be.downloadFloats(y);
        assertEquals(4.5f, out[5], 1e-5f);
    }

    @Test
    void aMissingCudnnIsNamedWithWhereToPutIt() {
        String msg = CudnnConv.explainLoadFailure(new UnsatisfiedLinkError(
                "/tmp/jcpp/libjnicudnn.so: libcudnn_cnn.so.9: cannot open shared object file: No such file or directory"));
        assertTrue(msg.startsWith("cuDNN is unavailable"), msg);
        assertTrue(msg.contains("libcudnn.so.9") && msg.contains("LD_LIBRARY_PATH"), msg);
        assertTrue(msg.contains("libcudnn_cnn.so.9: cannot open shared object file"), msg);
        // This machine has no cuDNN: the missing list names it.
        assertTrue(CudnnConv.missingLibraries().contains("libcudnn.so.9") || !msg.contains("Not found on this machine"), msg);
    }

    @Test
    void shapesAndMathModesAreNamed() {
        ConvGeometry g = ConvGeometry.of(64, 128, 14, 14, 256, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        String s = CudnnConv.shape(g);
        assertEquals("x 64x128x14x14, w 256x128x3x3, y 64x256x7x7, stride 2,2, pad 1,1, dilation 1,1, groups 1", s);
        assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_FMA_MATH, CudnnConv.requestedMath(be.options()));
        withProperty("kiln.cuda.conv.kernel", "tf32",
                () -> assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_TENSOR_OP_MATH, CudnnConv.requestedMath(be.options())));
        assertThrows(IllegalArgumentException.class, () -> be.options().with("kiln.cuda.conv.kernel", "bf16"));
        assertEquals("fma", CudnnConv.mathName(org.bytedeco.cuda.global.cudnn.CUDNN_FMA_MATH));
        assertFalse(CudnnConv.emulatorMessage("conv").isEmpty());
    }

    /** Find's reported math type never replaces an FP32 (FMA) request; under tf32 Find's choice stands. */
    @Test
    void findsMathTypeOnlyStandsWhenTf32WasAsked() {
        int fma = org.bytedeco.cuda.global.cudnn.CUDNN_FMA_MATH, op = org.bytedeco.cuda.global.cudnn.CUDNN_TENSOR_OP_MATH,
                def = org.bytedeco.cuda.global.cudnn.CUDNN_DEFAULT_MATH;
        for (int found : new int[] {fma, op, def, org.bytedeco.cuda.global.cudnn.CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION}) {
            assertEquals(fma, CudnnConv.descriptorMath(fma, found), "fp32 request, Find said " + CudnnConv.mathName(found));
            assertEquals(found, CudnnConv.descriptorMath(op, found), "tf32 request, Find said " + CudnnConv.mathName(found));
        }
        assertEquals(fma, CudnnConv.descriptorMath(CudnnConv.requestedMath(be.options()), op));
    }
}
