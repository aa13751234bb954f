package dev.kiln.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The kernel choice follows {@code kiln.cpu.simd}: the default test run requires the vector
 * kernels, the scalar-kernels execution turns them off, and {@code kiln info} says which ran.
 */
class CpuSimdTest {

    @Test
    void choiceFollowsTheProperty() {
        String mode = System.getProperty(CpuSimd.PROPERTY, "auto");
        if (mode.equals("true")) {
            assertTrue(CpuSimd.enabled());
            assertTrue(CpuSimd.description().startsWith("Vector API, "), CpuSimd.description());
        } else if (mode.equals("false")) {
            assertEquals(false, CpuSimd.enabled());
            assertEquals("scalar Java (-Dkiln.cpu.simd=false)", CpuSimd.description());
        } else {
            assertEquals(ModuleLayer.boot().findModule(CpuSimd.MODULE).isPresent(), CpuSimd.enabled(),
                    CpuSimd.description());
        }
    }

    @Test
    void providerDescriptionNamesTheKernels() {
        assertTrue(new CpuProvider().describe().endsWith("kernels: " + CpuSimd.description()),
                new CpuProvider().describe());
    }
}
