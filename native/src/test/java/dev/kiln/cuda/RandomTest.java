package dev.kiln.cuda;

import dev.kiln.backend.Backends;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Philox kernel reproduces {@link Generator}'s mapping: uniforms bit for bit, normals to float rounding. */
class RandomTest {

    @Test
    void uniformsAreBitExact() {
        Device cuda = Device.cuda();
        for (long seed : new long[] {0, 1, 42, 0x1234_5678_9ABC_DEF0L, -1}) {
            Generator gc = new Generator(seed), gg = new Generator(seed);
            for (int n : new int[] {1, 3, 17, 1029}) {
                float[] want = Tensor.rand(gc, n).toFloatArray();
                float[] got = Tensor.rand(gg, cuda, n).toFloatArray();
                assertArrayEquals(want, got, "seed " + seed + " n " + n);
            }
            assertEquals(gc.offset(), gg.offset());
        }
        // a draw at an odd offset that does not start a Philox block
        float[] want = new float[7], got;
        Generator.uniform(5, 1L << 33 | 3, want, 0, 7);
        CudaBackend be = (CudaBackend) Backends.of(cuda);
        dev.kiln.backend.Buffer b = be.allocate(dev.kiln.DType.FLOAT32, 7);
        be.random(b, 7, 5, 1L << 33 | 3, false);
        got = be.downloadFloats(b);
        assertArrayEquals(want, got);
    }

    @Test
    void normalsMatchToRounding() {
        Device cuda = Device.cuda();
        float[] want = Tensor.randn(new Generator(9), 1001).toFloatArray();
        float[] got = Tensor.randn(new Generator(9), cuda, 1001).toFloatArray();
        Parity.close("randn", want, got, 1e-5f, 1e-6f);
    }
}
