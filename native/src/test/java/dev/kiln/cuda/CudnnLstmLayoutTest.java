package dev.kiln.cuda;

import dev.kiln.spi.TensorStorage;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The weight packing of {@link CudnnLstm} (Kiln's {@code x·w} gate columns to cuDNN's per-gate
 * {@code W·x} matrices and back), on the emulator with a synthetic layout: cuDNN itself only
 * supplies the offsets, which a GPU run checks end to end (the LSTM benchmark compares cuDNN's
 * outputs and gradients against Kiln's).
 */
class CudnnLstmLayoutTest {

    static CudaBackend be;

    @BeforeAll
    static void open() {
        be = (CudaBackend) TensorStorage.backend(Tensor.zeros(Device.cuda(), 1));
    }

    private static Tensor upload(float[] v) {
        return Tensor.fromArray(v, v.length).to(Device.cuda());
    }

    private static CudaBuffer buf(Tensor t) {
        return (CudaBuffer) TensorStorage.buffer(t);
    }

    private static float[] download(CudaBuffer b, int n) {
        float[] a = new float[n];
        be.synchronize();
        be.driver().copyDtoH(a, 0, b.pointer(), 4L * n);
        return a;
    }

    @Test
    void packTransposesEachGateAndUnpackInvertsIt() {
        int in = 3, h = 5;
        Generator g = new Generator(9);
        float[] w = Tensor.randn(g, in * 4 * h).toFloatArray(), u = Tensor.randn(g, h * 4 * h).toFloatArray(),
                bias = Tensor.randn(g, 4 * h).toFloatArray();
        // A gap after every block, and the blocks out of order, as a real layout may be.
        long[] matrixAt = new long[8], biasAt = new long[4];
        long at = 7;
        for (int id : new int[] {4, 5, 6, 7, 0, 1, 2, 3}) {
            matrixAt[id] = at;
            at += (id < 4 ? h * in : h * h) + 2;
        }
        for (int id = 0; id < 4; id++) {
            biasAt[id] = at;
            at += h + 1;
        }
        int size = (int) at;
        CudaBuffer space = (CudaBuffer) be.allocate(DType.FLOAT32, size);
        Tensor wt = upload(w), ut = upload(u), bt = upload(bias);
        CudnnLstm.pack(be, buf(wt), buf(ut), buf(bt), space, matrixAt, biasAt, in, h);
        float[] packed = download(space, size);
        for (int k = 0; k < 4; k++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < in; c++) {
                    assertEquals(w[c * 4 * h + k * h + r], packed[(int) matrixAt[k] + r * in + c], "W gate " + k);
                }
                for (int c = 0; c < h; c++) {
                    assertEquals(u[c * 4 * h + k * h + r], packed[(int) matrixAt[4 + k] + r * h + c], "U gate " + k);
                }
                assertEquals(bias[k * h + r], packed[(int) biasAt[k] + r], "bias gate " + k);
            }
        }
        CudaBuffer w2 = (CudaBuffer) be.allocate(DType.FLOAT32, w.length), u2 = (CudaBuffer) be.allocate(DType.FLOAT32, u.length),
                b2 = (CudaBuffer) be.allocate(DType.FLOAT32, bias.length);
        CudnnLstm.unpack(be, space, matrixAt, biasAt, w2, u2, b2, in, h);
        assertArrayEquals(w, download(w2, w.length));
        assertArrayEquals(u, download(u2, u.length));
        assertArrayEquals(bias, download(b2, bias.length));
        java.lang.ref.Reference.reachabilityFence(new Object[] {wt, ut, bt});
    }

    /**
     * The descriptor settings cuDNN 9 accepts for Kiln's FP32 LSTM: the unpacked sequence-major
     * layout only with padded I/O enabled, weight gradients accumulated (ADD, the only mode of
     * cudnnRNNBackwardWeights_v8), and never tensor-op math for FP32 data (FMA by default, the
     * default math, which allows TF32, when tf32 is asked for). The cuDNN calls themselves need a GPU.
     */
    @Test
    void descriptorSettingsAreOnesCudnnAcceptsForFp32() {
        CudnnLstm.Settings s = CudnnLstm.settings(be.options());
        assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED, s.dataLayout());
        assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_RNN_PADDED_IO_ENABLED, s.paddedIo());
        assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_WGRAD_MODE_ADD, s.wgradMode());
        assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_FMA_MATH, s.mathType());
        assertEquals("layout seq-major-unpacked, padded I/O enabled, math fma, wgrad add", s.toString());
        WithOption.run(be, "kiln.cuda.conv.kernel", "tf32", () -> {
            CudnnLstm.Settings t = CudnnLstm.settings(be.options());
            assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_DEFAULT_MATH, t.mathType(), t.toString());
            assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_RNN_PADDED_IO_ENABLED, t.paddedIo());
            assertEquals(org.bytedeco.cuda.global.cudnn.CUDNN_WGRAD_MODE_ADD, t.wgradMode());
        });
    }
}
