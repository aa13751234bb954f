package dev.kiln.backend;

import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import dev.kiln.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backend discovery in kiln-api alone (no kiln-cuda on this module's test class path). */
class BackendsTest {

    @Test
    void theCpuComesFromItsProviderLikeAnyBackend() {
        assertSame(CpuBackend.INSTANCE, Backends.of(Device.cpu()));
        assertTrue(Backends.providers().stream().anyMatch(p -> p.kind() == Device.Kind.CPU), "the CPU registers as a provider");
    }

    @Test
    void cudaWithoutTheJarSaysSoAndBestFallsBack() {
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Backends.of(Device.cuda(0)));
        assertTrue(e.getMessage().contains("kiln-cuda"), e.getMessage());
        assertFalse(Backends.isAvailable(Device.cuda(1)));
        assertEquals(Device.cpu(), Backends.best());
        assertEquals(Device.cpu(), Backends.parse("auto"));
        assertThrows(DeviceUnavailableException.class, () -> Backends.parse("cuda:0"));
    }

    @Test
    void deviceIsAValueAndParsesItsNames() {
        assertEquals(Device.cuda(2), Device.parse(" CUDA:2 "));
        assertEquals(Device.cpu(), Device.parse("cpu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x"));
        assertTrue(e.getMessage().contains("cuda:x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Device.parse("auto"), "auto needs discovery: Backends.parse");
        assertThrows(UnsupportedOperationException.class, () -> Backends.of(Device.parse("cpu")).kernels(Runnable.class).run());
    }

    @Test
    void familiesAreOpenedOncePerBackend() {
        assertSame(CpuBackend.INSTANCE.vision(), CpuBackend.INSTANCE.vision());
        assertSame(CpuBackend.INSTANCE.sequence(), Backends.kernels(CpuBackend.INSTANCE, SequenceKernels.class));
    }
}
