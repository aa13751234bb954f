package dev.kiln.cuda;

import dev.kiln.backend.Backends;
import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without the emulator, {@code Backends.cuda(0)} on a machine without a GPU (or without the CUDA 13
 * libraries) fails with a message naming what is missing. Runs in its own JVM (surefire
 * reuseForks=false), so no other class's backend is cached.
 */
class UnavailableTest {

    @Test
    void realDriverSaysWhatIsMissing() {
        System.setProperty("kiln.cuda.driver", "cuda");
        try {
            CudaProvider.open("cuda", 0);
            Assumptions.abort("a usable CUDA device is present; nothing to check here");
        } catch (DeviceUnavailableException expected) {
            // the machine has no usable GPU: the case this test is about
        }
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Backends.cuda(0));
        String m = e.getMessage();
        assertTrue(m.startsWith("CUDA is unavailable") || m.startsWith("CUDA device"), m);
        assertTrue(m.contains("libcuda.so") || m.contains("libcudart.so.13") || m.contains("no CUDA device")
                || m.contains("cuInit"), "message should name what is missing: " + m);
        assertEquals(Device.cpu(), Backends.best(), "best() falls back to the CPU");
    }

    @Test
    void badDriverNameIsRejected() {
        System.setProperty("kiln.cuda.driver", "quantum");
        try {
            DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> new CudaProvider().open(0));
            assertTrue(e.getMessage().contains("quantum") && e.getMessage().contains("emulator"), e.getMessage());
        } finally {
            System.setProperty("kiln.cuda.driver", "cuda");
        }
    }
}
