package dev.kiln.openblas;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.Tensor;
import dev.kiln.backend.cpu.CpuGemm;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the {@code no-native} test execution, whose class path lacks OpenBLAS's platform
 * jar: asking for the vendor GEMM must fail and name the missing artifact, not fall back.
 */
class OpenBlasMissingTest {

    @Test
    void vendorWithoutTheNativeLibraryNamesTheMissingJar() {
        assumeTrue(Boolean.getBoolean("kiln.openblas.test.noNative"), "runs in the no-native test execution only");
        IllegalStateException e = OpenBlasModelStepTest.withGemm("vendor", () -> assertThrows(IllegalStateException.class,
                () -> Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2).matmul(Tensor.fromArray(new float[] {1, 0, 0, 1}, 2, 2))));
        String m = e.getMessage();
        assertTrue(m.startsWith("-Dkiln.cpu.impl.gemm=vendor, but the CPU GEMM provider openblas cannot run: "
                + "OpenBLAS's native library did not load"), m);
        assertTrue(m.contains("org.bytedeco:openblas with the classifier of this platform"), m);
        assertTrue(CpuGemm.description().startsWith("own (Sgemm; no vendor library"), CpuGemm.description());
    }
}
