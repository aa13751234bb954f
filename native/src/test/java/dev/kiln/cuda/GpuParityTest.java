package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import dev.kiln.ops.OpRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The parity suite on a real GPU (driver {@code cuda}): every registry op against the CPU, our
 * GEMM against cuBLAS and the CPU, Philox uniforms bit-exact. Skipped, with the reason, where no
 * usable device is present. Runs in its own JVM (surefire reuseForks=false).
 */
@Tag("gpu")
class GpuParityTest {

    static Device gpu;

    @BeforeAll
    static void open() {
        System.setProperty("kiln.cuda.driver", "cuda");
        try {
            gpu = Backends.cuda(0);
        } catch (DeviceUnavailableException e) {
            Assumptions.abort("no usable GPU: " + e.getMessage());
        }
        System.out.println("GPU parity on " + ((CudaBackend) Backends.of(gpu)).driver().describe());
    }

    @TestFactory
    Stream<DynamicTest> everyOp() {
        return OpRegistry.all().stream().map(spec -> DynamicTest.dynamicTest(spec.name(), () -> Parity.check(gpu, spec, 7)));
    }

    @Test
    void gemmOwnAndVendorAgree() {
        CudaBackend be = (CudaBackend) Backends.of(gpu);
        for (int[] s : new int[][] {{1, 1, 1}, {17, 129, 17}, {129, 17, 129}, {256, 256, 256}}) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                Tensor a = Tensor.randn(new Generator(1), ta ? new int[] {k, m} : new int[] {m, k});
                Tensor b = Tensor.randn(new Generator(2), tb ? new int[] {n, k} : new int[] {k, n});
                float[] want = Tensor.mm(a, ta, b, tb).toFloatArray();
                Tensor ga = a.to(gpu), gb = b.to(gpu);
                float[][] own = new float[1][], vendor = new float[1][];
                WithOption.run(be, "kiln.cuda.impl.gemm", "own", () -> own[0] = Tensor.mm(ga, ta, gb, tb).toFloatArray());
                WithOption.run(be, "kiln.cuda.impl.gemm", "vendor", () -> vendor[0] = Tensor.mm(ga, ta, gb, tb).toFloatArray());
                String what = (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k;
                Parity.close("own " + what, want, own[0], 1e-4f, 1e-4f);
                Parity.close("cuBLAS " + what, want, vendor[0], 1e-4f, 1e-4f);
            }
        }
        be.synchronize();
    }

    @Test
    void uniformsBitExact() {
        float[] want = Tensor.rand(new Generator(3), 100_003).toFloatArray();
        assertArrayEquals(want, Tensor.rand(new Generator(3), gpu, 100_003).toFloatArray());
    }

    @Test
    void eventsTimeWork() {
        CudaBackend be = (CudaBackend) Backends.of(gpu);
        Buffer x = be.allocate(DType.FLOAT32, 1 << 20);
        float ms = be.time(() -> be.fill(x, 1f));
        assertEquals(true, ms >= 0f && ms < 1000f, "elapsed " + ms + " ms");
    }
}
