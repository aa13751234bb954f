package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real driver against the libcuda.so.1 test double set up as a compute capability 9.0 device
 * whose {@code kiln_memory_fill_f32} launches leave a sticky CUDA_ERROR_ILLEGAL_ADDRESS (the
 * surefire execution {@code fake-driver-faults}; skipped elsewhere). With {@code kiln.cuda.sync}
 * the faulting launch itself fails, naming the kernel, and the error stays: what GpuParity relies
 * on to stop at the first fault.
 */
class FakeDriverFaultTest {

    @Test
    void aFaultingKernelIsNamedAtItsLaunchAndTheErrorIsSticky() {
        Assumptions.assumeTrue(System.getenv("KILN_FAKE_CUDA_FAULT") != null,
                "runs only in the fake-driver-faults surefire execution");
        CudaBackend be = (CudaBackend) Backends.of(Device.cuda());
        assertEquals("cuda", be.driver().name());
        assertEquals(90, be.driver().computeCapability(), "KILN_FAKE_CUDA_CC=90");
        assertTrue(be.options().sync(), "kiln.cuda.sync=true");
        Buffer b = be.allocate(DType.FLOAT32, 64);
        CudaException e = assertThrows(CudaException.class, () -> be.fill(b, 1f));
        assertEquals(700, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("kiln_memory_fill_f32") && e.getMessage().contains("failed while running")
                && e.getMessage().contains("CUDA_ERROR_ILLEGAL_ADDRESS"), e.getMessage());
        CudaException later = assertThrows(CudaException.class, be::synchronize);
        assertEquals(700, later.code(), later.getMessage());
    }
}
