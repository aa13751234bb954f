package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import dev.kiln.kernels.Kernels;
import dev.kiln.kernels.Kernels.Entry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated {@link Kernels} constants against the kernels as built: every entry point of the
 * PTX is in the emulator library with the same parameters, and a launch whose packed arguments
 * disagree with its constant fails before reaching the driver.
 */
class KernelsTest {

    static CudaBackend cuda;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    /** The PTX type a host parameter type is passed as, or null for a by-value struct (size unknown here). */
    private static String ptxType(String cxx) {
        String t = cxx.trim();
        if (t.endsWith("*") || t.equals("long long") || t.equals("unsigned long long")) {
            return "u64";
        }
        if (t.equals("int") || t.equals("unsigned int")) {
            return "u32";
        }
        if (t.equals("float")) {
            return "f32";
        }
        return null;
    }

    @Test
    void everyConstantMatchesTheEmulatorLibrarySignature() {
        Set<String> names = new HashSet<>();
        int checked = 0;
        for (Entry e : Kernels.ALL) {
            assertTrue(names.add(e.name()), "duplicate constant " + e);
            assertTrue(e.name().startsWith("kiln_" + e.family() + "_"), e.name() + " is not named after its family " + e.family());
            assertEquals(e.args(), e.paramTypes().size(), e.toString());
            if (e.sm90aOnly()) {
                continue; // wgmma: device-only, not in the emulator library
            }
            String sig = EmulatorNative.signature(e.name());
            assertTrue(sig != null, e.name() + " is in the PTX but not in the emulator library");
            List<String> host = EmulatorDriver.parameters(sig);
            assertEquals(e.args(), host.size(), e + " vs host signature (" + sig + ")");
            for (int k = 0; k < host.size(); k++) {
                String want = ptxType(host.get(k));
                String got = e.paramTypes().get(k);
                if (want != null) {
                    assertEquals(want, got, "parameter " + k + " of " + e + " vs host (" + sig + ")");
                } else {
                    assertTrue(got.startsWith("b8["), "parameter " + k + " of " + e + " is a struct on the host (" + sig + ")");
                }
            }
            checked++;
        }
        assertTrue(checked > 100, "only " + checked + " entry points checked");
        assertTrue(Kernels.ALL.contains(Kernels.Memory.COPY_B32));
        assertEquals("u64,u64,b8[208]", Kernels.Memory.COPY_B32.params());
    }

    @Test
    void aLaunchWithTheWrongArgumentsFailsNamingBothLists() {
        Buffer b = cuda.allocate(DType.FLOAT32, 8);
        long p = ((CudaBuffer) b).pointer();
        long before = cuda.launches();
        // One argument missing.
        CudaException e = assertThrows(CudaException.class, () -> cuda.launch(Kernels.Memory.FILL_F32, new int[] {1, 1, 1},
                new int[] {32, 1, 1}, 0, a -> a.ptr(p).i64(8)));
        assertTrue(e.getMessage().contains("kiln_memory_fill_f32") && e.getMessage().contains("packed 2")
                && e.getMessage().contains("takes 3 (u64, u64, f32)"), e.getMessage());
        // The right count, but an int32 where the kernel takes a 64-bit count.
        e = assertThrows(CudaException.class, () -> cuda.launch(Kernels.Memory.FILL_F32, new int[] {1, 1, 1},
                new int[] {32, 1, 1}, 0, a -> a.ptr(p).i32(8).f32(1f)));
        assertTrue(e.getMessage().contains("(u64, u32, f32)") && e.getMessage().contains("i32 8"), e.getMessage());
        // A struct of the wrong size.
        e = assertThrows(CudaException.class, () -> cuda.launch(Kernels.Memory.COPY_B32, new int[] {1, 1, 1},
                new int[] {32, 1, 1}, 0, a -> a.ptr(p).ptr(p).struct(new long[20])));
        assertTrue(e.getMessage().contains("b8[160]") && e.getMessage().contains("b8[208]"), e.getMessage());
        assertEquals(before, cuda.launches(), "nothing was launched");
        cuda.launch(Kernels.Memory.FILL_F32, new int[] {1, 1, 1}, new int[] {32, 1, 1}, 0, a -> a.ptr(p).i64(8).f32(2f));
        for (float v : cuda.downloadFloats(b)) {
            assertEquals(2f, v);
        }
    }
}
