package dev.kiln.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

/** The own|vendor switch of the CPU GEMM, on a class path without a vendor library. */
class CpuGemmTest {

    private static void with(String value, Runnable body) {
        String old = System.getProperty(CpuGemm.PROPERTY);
        System.setProperty(CpuGemm.PROPERTY, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(CpuGemm.PROPERTY);
            } else {
                System.setProperty(CpuGemm.PROPERTY, old);
            }
        }
    }

    @Test
    void ownIsTheDefaultAndRunsSgemm() {
        assertFalse(CpuGemm.vendorSelected());
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        CpuGemm.sgemm(false, false, 2, 2, 3, 1f, new float[] {1, 2, 3, 4, 5, 6}, 0, 3, new float[] {1, 0, 0, 1, 1, 1}, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {4, 5, 10, 11}, c);
        with(" OWN ", () -> assertFalse(CpuGemm.vendorSelected()));
        assertTrue(CpuGemm.description().startsWith("own (Sgemm; no vendor library"), CpuGemm.description());
    }

    @Test
    void vendorWithoutALibraryNamesWhatIsMissing() {
        with("vendor", () -> {
            Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.matmul(a).toFloatArray());
            assertTrue(e.getMessage().contains("-Dkiln.cpu.impl.gemm=vendor, but no CPU GEMM library is on the class path"), e.getMessage());
            assertTrue(e.getMessage().contains("kiln-openblas"), e.getMessage());
            assertTrue(e.getMessage().contains("org.bytedeco:openblas"), e.getMessage());
            assertTrue(CpuGemm.description().startsWith("error: kiln.cpu.impl.gemm=vendor, but no CPU GEMM library"), CpuGemm.description());
            assertTrue(new CpuProvider().describe().contains("GEMM: error:"), new CpuProvider().describe());
        });
    }

    @Test
    void aBadValueIsNamed() {
        with("openblas", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CpuGemm::vendorSelected);
            assertTrue(e.getMessage().contains("-Dkiln.cpu.impl.gemm=openblas is not one of own, vendor"), e.getMessage());
            assertTrue(CpuGemm.description().contains("is not one of own, vendor"));
        });
    }
}
