package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device that fills up. Under the emulator the device is given 64 MiB
 * ({@code kiln.cuda.emulator.memory=64m}, set before the backend opens: this class runs in its own
 * JVM); in the {@code fake-driver-sm90} execution it is the libcuda.so.1 double's 256 MiB device
 * ({@code KILN_FAKE_CUDA_MEMORY}), whose cuMemAlloc fails with CUDA_ERROR_OUT_OF_MEMORY beyond it.
 * Either way the caching allocator frees its cache and retries before giving up, and then says how
 * many bytes were requested, live and cached; the device stays usable after.
 */
class DeviceMemoryLimitTest {

    static CudaBackend cuda;
    static long device;
    static final long MIB = 1L << 20;

    @BeforeAll
    static void open() {
        String fake = System.getenv("KILN_FAKE_CUDA_MEMORY");
        if (fake != null) {
            device = Long.parseLong(fake);
        } else {
            device = 64 * MIB;
            System.setProperty(CudaOptions.EMULATOR_MEMORY, "64m");
        }
        cuda = (CudaBackend) Backends.of(Device.cuda());
        String describe = cuda.driver().describe();
        assertTrue(fake != null ? describe.contains((device >> 20) + " MiB") : describe.contains("device size " + device + " bytes"),
                describe);
    }

    /** A block of {@code bytes} (a multiple of 2 MiB, so it is its own size class). */
    static Buffer block(long bytes) {
        return cuda.allocate(DType.FLOAT32, (int) (bytes / 4));
    }

    /** Lets the cleaner return the blocks of tensors other tests dropped, then empties the cache. */
    static void settle() throws InterruptedException {
        for (int k = 0; k < 5; k++) {
            System.gc();
            Thread.sleep(20);
        }
        cuda.emptyCache();
    }

    @Test
    void theCacheIsFreedAndTheAllocationRetriedBeforeGivingUp() throws InterruptedException {
        settle();
        long d = device;
        block(d / 8 * 5).close(); // 5/8 of the device, now cached
        CachingAllocator.Stats before = cuda.memoryStats();
        assertEquals(d / 8 * 5, before.bytesCached());

        // Half the device does not fit beside the cached block: the first cuMemAlloc fails, the cache goes, the retry fits.
        Buffer half = block(d / 2);
        CachingAllocator.Stats after = cuda.memoryStats();
        assertEquals(0, after.bytesCached(), "the cache was freed, stats " + after);
        assertTrue(after.driverFrees() > before.driverFrees(), "stats " + after);
        assertEquals(before.allocations() + 1, after.allocations());
        assertEquals(before.bytesInUse() + d / 2, after.bytesInUse());
        assertTrue(after.peakBytesInUse() >= d / 8 * 5, "the first block was live once, stats " + after);

        // Now too much even with the cache freed: a clear error naming requested, live and cached bytes.
        block(d / 8).close(); // cached again
        long cached = cuda.memoryStats().bytesCached();
        assertEquals(d / 8, cached);
        long request = d / 8 * 5;
        CudaException e = assertThrows(CudaException.class, () -> block(request));
        String m = e.getMessage();
        long live = cuda.memoryStats().bytesInUse();
        assertTrue(live >= d / 2, "the half-device block is live, stats " + cuda.memoryStats());
        assertEquals(CachingAllocator.OUT_OF_MEMORY, e.code(), m);
        assertTrue(m.startsWith("out of device memory on " + cuda.driver().name() + ": cannot allocate " + request + " bytes ("
                + CachingAllocator.human(request) + ","), m);
        assertTrue(m.contains(live + " bytes (" + CachingAllocator.human(live) + ") are live in tensors"), m);
        assertTrue(m.contains(cached + " bytes (" + CachingAllocator.human(cached) + ") were cached and have been freed"), m);
        assertTrue(m.contains("CUDA_ERROR_OUT_OF_MEMORY"), m);
        if (cuda.driver().name().equals("emulator")) {
            assertTrue(m.contains(CudaOptions.EMULATOR_MEMORY), m);
        }
        assertEquals(0, cuda.memoryStats().bytesCached());
        assertEquals(live, cuda.memoryStats().bytesInUse(), "a failed allocation holds nothing");
        half.close();
    }

    @Test
    void aZerosBiggerThanTheDeviceFailsCleanlyAndTheDeviceStaysUsable() {
        int n = (int) (device / 4 + 1024);
        Device dev = cuda.device();
        CudaException e = assertThrows(CudaException.class, () -> Tensor.zeros(dev, n));
        assertTrue(e.getMessage().contains("cannot allocate " + 4L * n + " bytes"), e.getMessage());
        assertEquals(CachingAllocator.OUT_OF_MEMORY, e.code());
        Tensor small = Tensor.zeros(dev, 3).add(2f);
        assertArrayEquals(new float[] {2f, 2f, 2f}, small.toFloatArray());
    }

    /**
     * Device memory is host memory under the emulator: on a device larger than the host, a request
     * the host cannot back fails as out of memory, naming the host, instead of being promised by the
     * kernel and killing the JVM when written.
     */
    @Test
    void anEmulatedRequestTheHostCannotBackIsOutOfMemory() {
        org.junit.jupiter.api.Assumptions.assumeTrue(cuda.driver().name().equals("emulator"), "emulator only");
        long host = EmulatorDriver.hostAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(host != Long.MAX_VALUE, "needs /proc/meminfo");
        EmulatorDriver big = new EmulatorDriver(CudaOptions.parse(java.util.Map.of(CudaOptions.EMULATOR_MEMORY, "1024t"), "emulator"));
        CudaException e = assertThrows(CudaException.class, () -> big.malloc(2 * host));
        assertEquals(CachingAllocator.OUT_OF_MEMORY, e.code());
        assertTrue(e.getMessage().contains("the host cannot back it") && e.getMessage().contains("available"), e.getMessage());
        long p = big.malloc(EmulatorDriver.HOST_CHECK_BYTES); // what the host can back still works
        big.free(p);
    }
}
