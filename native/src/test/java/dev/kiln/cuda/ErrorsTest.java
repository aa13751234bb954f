package dev.kiln.cuda;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.backend.cpu.CpuBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors say what went wrong: kernel names, launch geometry, arguments, unavailable vendor paths. */
class ErrorsTest {

    static CudaBackend cuda;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    @Test
    void unknownKernelNamesTheKernelAndFamily() {
        CudaException e = assertThrows(CudaException.class, () -> cuda.driver().function("memory", "kiln_memory_nope_f32"));
        assertTrue(e.getMessage().contains("kiln_memory_nope_f32"), e.getMessage());
        assertTrue(e.getMessage().contains("memory"), e.getMessage());
    }

    @Test
    void wrongArgumentCountNamesKernelGeometryAndArguments() {
        CudaDriver d = cuda.driver();
        LaunchArgs a = new LaunchArgs(d).reset().ptr(0).i64(4); // fill takes (float*, long long, float)
        CudaException e = assertThrows(CudaException.class,
                () -> d.launch(d.function("memory", "kiln_memory_fill_f32"), 1, 1, 1, 32, 1, 1, 0, a));
        assertTrue(e.getMessage().contains("kiln_memory_fill_f32"), e.getMessage());
        assertTrue(e.getMessage().contains("i64 4"), e.getMessage());
    }

    @Test
    void badLaunchGeometryIsReportedWithGridAndBlock() {
        CudaDriver d = cuda.driver();
        LaunchArgs a = new LaunchArgs(d).reset().ptr(0).i64(0).f32(1f);
        CudaException e = assertThrows(CudaException.class,
                () -> d.launch(d.function("memory", "kiln_memory_fill_f32"), 1, 1, 1, 4096, 1, 1, 0, a));
        assertTrue(e.getMessage().contains("grid=(1,1,1)") && e.getMessage().contains("block=(4096,1,1)"), e.getMessage());
    }

    @Test
    void vendorUnderTheEmulatorIsAClearError() {
        Tensor a = Tensor.randn(new Generator(1), cuda.device(), 4, 3), b = Tensor.randn(new Generator(2), cuda.device(), 3, 2);
        WithOption.run(cuda, "kiln.cuda.impl", "vendor", () -> {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> a.matmul(b));
            assertTrue(e.getMessage().contains("cuBLAS") && e.getMessage().contains("emulator"), e.getMessage());
        });
        WithOption.run(cuda, "kiln.cuda.impl.gemm", "vendor", () -> {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> a.matmul(b));
            assertTrue(e.getMessage().contains("gemm"), e.getMessage());
        });
        assertEquals(4 * 2, a.matmul(b).numel()); // own works again
    }

    @Test
    void foreignBuffersAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cuda.fill(CpuBackend.INSTANCE.allocate(dev.kiln.DType.FLOAT32, 3), 1f));
        assertTrue(e.getMessage().contains("does not belong to the CUDA backend"), e.getMessage());
    }

    @Test
    void describeNamesTheEmulator() {
        String s = new CudaProvider().describe();
        assertTrue(s.contains("emulator"), s);
    }
}
