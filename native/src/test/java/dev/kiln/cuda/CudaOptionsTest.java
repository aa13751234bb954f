package dev.kiln.cuda;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing of the {@code kiln.cuda.*} switches into {@link CudaOptions}: defaults, precedence, and errors naming the property. */
class CudaOptionsTest {

    private static CudaOptions parse(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return CudaOptions.parse(m, null);
    }

    private static void rejected(String property, String value, String... allowed) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(property, value));
        String m = e.getMessage();
        assertTrue(m.contains(property) && m.contains("'" + value + "'"), m);
        for (String a : allowed) {
            assertTrue(m.contains(a), "message should list '" + a + "': " + m);
        }
    }

    @Test
    void defaults() {
        CudaOptions o = parse();
        assertEquals(CudaOptions.Driver.CUDA, o.driver());
        assertEquals(CudaOptions.Impl.OWN, o.gemm());
        assertEquals(CudaOptions.Impl.OWN, o.conv());
        assertEquals(CudaOptions.Impl.OWN, o.batchNorm());
        assertEquals(CudaOptions.GemmKernel.SIMT, o.gemmKernel());
        assertEquals(CudaOptions.ConvKernel.FP32, o.convKernel());
        assertEquals(0, o.convSplits());
        assertFalse(o.poison());
        assertFalse(o.sync());
        assertEquals(256, o.cudnnFindWorkspaceMiB());
        assertNull(o.emulatorLibrary());
        assertNull(o.emulatorSeed());
        assertEquals(80L << 30, o.emulatorMemory());
    }

    @Test
    void emulatedDeviceSizes() {
        assertEquals(1073741824L, parse("kiln.cuda.emulator.memory", "1073741824").emulatorMemory());
        assertEquals(512L << 20, parse("kiln.cuda.emulator.memory", "512m").emulatorMemory());
        assertEquals(8L << 30, parse("kiln.cuda.emulator.memory", "8G").emulatorMemory());
        assertEquals(80L << 30, parse("kiln.cuda.emulator.memory", "80GiB").emulatorMemory());
        assertEquals(3L << 40, parse("kiln.cuda.emulator.memory", " 3 tb ").emulatorMemory());
        assertEquals(4096L, parse("kiln.cuda.emulator.memory", "4k").emulatorMemory());
        for (String bad : new String[] {"0", "-1", "lots", "1.5g", "8x", "9999999999t"}) {
            rejected("kiln.cuda.emulator.memory", bad, "positive size in bytes");
        }
        CudaOptions o = parse("kiln.cuda.emulator.memory", "2g");
        assertEquals(o, CudaOptions.parse(o.toProperties(), null), "round trip through the properties");
        assertTrue(o.describe().contains("kiln.cuda.emulator.memory=2147483648"), o.describe());
    }

    @Test
    void perOpImplWinsOverTheGlobalOne() {
        CudaOptions o = parse("kiln.cuda.impl", "vendor", "kiln.cuda.impl.conv", "own");
        assertEquals(CudaOptions.Impl.VENDOR, o.impl("gemm"));
        assertEquals(CudaOptions.Impl.OWN, o.impl("conv"));
        assertEquals(CudaOptions.Impl.VENDOR, o.impl("batchNorm"));
        assertThrows(IllegalArgumentException.class, () -> o.impl("softmax"));
    }

    @Test
    void valuesAreCaseInsensitiveAndTrimmed() {
        CudaOptions o = parse("kiln.cuda.gemm.kernel", " TF32 ", "kiln.cuda.conv.kernel", "Tf32", "kiln.cuda.poison", "TRUE",
                "kiln.cuda.sync", "true", "kiln.cuda.conv.splits", "3", "kiln.cuda.emulator.seed", "-9",
                "kiln.cuda.driver", "emu", "kiln.cuda.cudnn.findWorkspaceMiB", "64");
        assertEquals(CudaOptions.GemmKernel.TF32, o.gemmKernel());
        assertEquals(CudaOptions.ConvKernel.TF32, o.convKernel());
        assertTrue(o.poison() && o.sync());
        assertEquals(3, o.convSplits());
        assertEquals(-9L, o.emulatorSeed());
        assertEquals(CudaOptions.Driver.EMULATOR, o.driver());
        assertEquals(64, o.cudnnFindWorkspaceMiB());
    }

    @Test
    void badValuesNameThePropertyAndTheAllowedValues() {
        rejected("kiln.cuda.impl", "fast", "own", "vendor");
        rejected("kiln.cuda.impl.gemm", "cublas", "own", "vendor");
        rejected("kiln.cuda.impl.batchNorm", "x", "own", "vendor");
        rejected("kiln.cuda.gemm.kernel", "wgmma", "simt", "tf32", "naive");
        rejected("kiln.cuda.conv.kernel", "bf16", "fp32", "tf32");
        rejected("kiln.cuda.poison", "yes", "true", "false");
        rejected("kiln.cuda.sync", "1", "true", "false");
        rejected("kiln.cuda.conv.splits", "0", "integer >= 1");
        rejected("kiln.cuda.conv.splits", "many", "integer >= 1");
        rejected("kiln.cuda.cudnn.findWorkspaceMiB", "-1", "integer >= 0");
        rejected("kiln.cuda.emulator.seed", "0x10", "integer");
        rejected("kiln.cuda.driver", "quantum", "cuda", "emulator");
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> parse("kiln.cuda.gem.kernel", "tf32"));
        assertTrue(typo.getMessage().contains("unknown property kiln.cuda.gem.kernel")
                && typo.getMessage().contains("kiln.cuda.gemm.kernel"), typo.getMessage());
        assertEquals(CudaOptions.GemmKernel.SIMT, parse("java.version", "17").gemmKernel(), "other properties are ignored");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaOptions.parse(Map.of(), "opencl"));
        assertTrue(e.getMessage().contains("KILN_CUDA_DRIVER") && e.getMessage().contains("opencl"), e.getMessage());
    }

    @Test
    void thePropertyWinsOverTheEnvironmentVariable() {
        assertEquals(CudaOptions.Driver.EMULATOR, CudaOptions.parse(Map.of(), "emulator").driver());
        assertEquals(CudaOptions.Driver.CUDA, CudaOptions.parse(Map.of("kiln.cuda.driver", "cuda"), "emulator").driver());
        assertEquals(CudaOptions.Driver.CUDA, CudaOptions.parse(Map.of("kiln.cuda.driver", " "), null).driver());
    }

    @Test
    void withChangesOneSettingAndRoundTripsThroughProperties() {
        CudaOptions o = parse("kiln.cuda.impl.gemm", "vendor", "kiln.cuda.conv.splits", "5", "kiln.cuda.emulator.library", "/x.so");
        assertEquals(o, CudaOptions.parse(o.toProperties(), null));
        CudaOptions tf32 = o.with("kiln.cuda.gemm.kernel", "tf32");
        assertEquals(CudaOptions.GemmKernel.TF32, tf32.gemmKernel());
        assertEquals(CudaOptions.Impl.VENDOR, tf32.gemm());
        assertEquals(5, tf32.convSplits());
        CudaOptions allOwn = o.with("kiln.cuda.impl", "own");
        assertEquals(CudaOptions.Impl.OWN, allOwn.gemm(), "the global switch resets the per-op ones");
        assertEquals(CudaOptions.Impl.OWN, o.with("kiln.cuda.impl.gemm", null).gemm(), "null restores the default");
        assertThrows(IllegalArgumentException.class, () -> o.with("kiln.cuda.gemm.kernel", "fast"));
        assertThrows(IllegalArgumentException.class, () -> o.with("java.version", "1"));
        String text = o.describe();
        assertTrue(text.contains("kiln.cuda.impl.gemm=vendor") && text.contains("kiln.cuda.conv.splits=5")
                && text.contains("kiln.cuda.emulator.library=/x.so") && text.contains("kiln.cuda.poison=false"), text);
        assertTrue(parse().describe().contains("kiln.cuda.conv.splits=auto"), parse().describe());
    }

    @Test
    void theBackendKeepsItsOptionsAndScopesChanges() throws Exception {
        CudaBackend be = (CudaBackend) dev.kiln.backend.Backends.of(dev.kiln.Device.cuda());
        CudaOptions before = be.options();
        assertTrue(before.poison(), "surefire runs the suite with kiln.cuda.poison=true");
        assertEquals(CudaOptions.Driver.EMULATOR, before.driver());
        try (AutoCloseable s = be.withOptions(before.with("kiln.cuda.gemm.kernel", "naive"))) {
            assertEquals(CudaOptions.GemmKernel.NAIVE, be.options().gemmKernel());
        }
        assertEquals(before, be.options());
        assertThrows(IllegalArgumentException.class, () -> be.withOptions(before.with("kiln.cuda.driver", "cuda")));
        assertThrows(IllegalArgumentException.class, () -> be.withOptions(before.with("kiln.cuda.poison", "false")));
        assertTrue(new CudaProvider().describe().contains("options: kiln.cuda.driver=emulator"), new CudaProvider().describe());
    }
}
