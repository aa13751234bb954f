package dev.kiln.bench.gpu;

import dev.kiln.cuda.CudaException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GpuParity's bookkeeping without a device: a sticky CUDA error stops the suite, and the PARITY line still comes. */
class GpuParityTest {

    @Test
    void aStickyErrorStopsTheSuiteAndThePARITYLineSaysSo() {
        GpuParity p = new GpuParity();
        p.run("first", () -> { });
        p.run("wrong", () -> GpuParity.expect(false, "rel. err too large"));
        p.run("faulting kernel", () -> {
            RuntimeException e = new RuntimeException("free failed");
            e.addSuppressed(new CudaException("kernel kiln_gemm_x [gemm] failed while running: CUDA_ERROR_ILLEGAL_ADDRESS", 700));
            throw e;
        });
        int[] ran = {0};
        p.run("later", () -> ran[0]++);
        p.run("later 2", () -> ran[0]++);
        assertEquals(0, ran[0], "no case runs after a sticky error");
        assertEquals("PARITY pass=1 fail=2 unsupported=0 skip=0 notrun=2 stopped=sticky", p.parityLine());
        assertEquals(1, p.exitCode());
    }

    @Test
    void ordinaryFailuresDoNotStopIt() {
        GpuParity p = new GpuParity();
        p.run("not sticky", () -> {
            throw new CudaException("cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY", 2);
        });
        int[] ran = {0};
        p.run("next", () -> ran[0]++);
        assertEquals(1, ran[0]);
        assertEquals("PARITY pass=1 fail=1 unsupported=0 skip=0", p.parityLine());
    }

    @Test
    void stickyCodesAreFoundInCausesAndSuppressed() {
        CudaException sticky = new CudaException("x", 719);
        assertSame(sticky, GpuParity.stickyIn(new RuntimeException("wrapper", sticky)));
        assertNull(GpuParity.stickyIn(new CudaException("y", 1)));
        assertTrue(GpuParity.isSticky(700) && GpuParity.isSticky(716) && !GpuParity.isSticky(2));
    }
}
