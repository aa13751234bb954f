package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator: size classes, reuse, statistics, and buffers returned by the cleaner. */
class AllocatorTest {

    static CudaBackend cuda;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    @Test
    void sizeClasses() {
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1L << 20, CachingAllocator.sizeClass(1L << 20));
        assertEquals(2L << 20, CachingAllocator.sizeClass((1L << 20) + 1));
        assertEquals(4L << 20, CachingAllocator.sizeClass((2L << 20) + 1));
    }

    @Test
    void freedBlocksAreReusedAndCounted() {
        CachingAllocator.Stats s0 = cuda.memoryStats();
        Buffer a = cuda.allocate(DType.FLOAT32, 1000); // 4000 B -> 4096 B class
        CachingAllocator.Stats s1 = cuda.memoryStats();
        assertEquals(s0.requests() + 1, s1.requests());
        assertEquals(s0.bytesInUse() + 4096, s1.bytesInUse());
        long ptr = ((CudaBuffer) a).pointer();
        a.close();
        a.close(); // idempotent
        CachingAllocator.Stats s2 = cuda.memoryStats();
        assertEquals(s0.bytesInUse(), s2.bytesInUse());
        assertTrue(s2.bytesCached() >= 4096);
        assertEquals(s1.frees() + 1, s2.frees());

        Buffer b = cuda.allocate(DType.INT32, 1010); // same size class: served from the cache
        CachingAllocator.Stats s3 = cuda.memoryStats();
        assertEquals(ptr, ((CudaBuffer) b).pointer());
        assertEquals(s2.cacheHits() + 1, s3.cacheHits());
        assertEquals(s2.allocations(), s3.allocations(), "a cache hit must not call the driver");
        b.close();

        long released = cuda.emptyCache();
        assertTrue(released >= 4096);
        CachingAllocator.Stats s4 = cuda.memoryStats();
        assertEquals(0, s4.bytesCached());
        assertTrue(s4.driverFrees() > s3.driverFrees());
    }

    @Test
    void unreachableTensorsReturnTheirMemory() throws InterruptedException {
        long inUse = cuda.memoryStats().bytesInUse();
        Device d = cuda.device();
        for (int step = 0; step < 100; step++) {
            Tensor t = Tensor.randn(new Generator(step), d, 32, 32);
            t.mul(2f).add(1f).sum().item();
        }
        CachingAllocator.Stats s = cuda.memoryStats();
        for (int k = 0; k < 100 && s.bytesInUse() > inUse; k++) {
            System.gc();
            Thread.sleep(20);
            s = cuda.memoryStats();
        }
        assertEquals(inUse, s.bytesInUse(), "the cleaner should return every dropped tensor's block, stats " + s);
        assertTrue(s.bytesCached() >= 4096, "returned blocks stay cached, stats " + s);
        Buffer again = cuda.allocate(DType.FLOAT32, 32 * 32);
        assertEquals(s.cacheHits() + 1, cuda.memoryStats().cacheHits(), "a returned block is reused");
        again.close();
    }

    /** A device that fills up: dropped tensors must be collected and their memory reused. */
    @Test
    void outOfMemoryCollectsUnreachableTensorsAndRetries() {
        CudaDriver real = cuda.driver();
        long limit = 64L << 10;
        long[] used = {0};
        java.util.Map<Long, Long> sizes = new java.util.HashMap<>();
        CudaDriver small = (CudaDriver) java.lang.reflect.Proxy.newProxyInstance(CudaDriver.class.getClassLoader(),
                new Class<?>[] {CudaDriver.class}, (proxy, m, args) -> {
                    if (m.getName().equals("malloc")) {
                        long bytes = (Long) args[0];
                        if (used[0] + bytes > limit) {
                            throw new CudaException("cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (test device of " + limit + " bytes)",
                                    CachingAllocator.OUT_OF_MEMORY);
                        }
                        long p = real.malloc(bytes);
                        used[0] += bytes;
                        sizes.put(p, bytes);
                        return p;
                    }
                    if (m.getName().equals("free")) {
                        used[0] -= sizes.remove((Long) args[0]);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CachingAllocator alloc = new CachingAllocator(small, false);
        java.lang.ref.Cleaner cleaner = java.lang.ref.Cleaner.create();
        for (int k = 0; k < 200; k++) {
            // Each block is 4 KiB and dropped at once; only the cleaner gives it back.
            Object owner = new Object();
            long p = alloc.allocate(4096);
            cleaner.register(owner, () -> alloc.release(p));
        }
        assertTrue(alloc.stats().allocations() >= 16, "the device should have filled up, stats " + alloc.stats());
        assertTrue(used[0] <= limit);
        CudaException e = assertThrows(CudaException.class, () -> {
            long[] kept = new long[32];
            for (int k = 0; k < kept.length; k++) {
                kept[k] = alloc.allocate(4096); // all reachable: nothing to reclaim
            }
        });
        assertTrue(e.getMessage().contains("out of device memory") && e.getMessage().contains("cannot allocate 4096 bytes"),
                e.getMessage());
        assertEquals(CachingAllocator.OUT_OF_MEMORY, e.code());
    }

    /** A driver error other than out-of-memory (a sticky fault) is thrown as it comes: no cache freeing, no retry. */
    @Test
    void otherDriverErrorsAreNotRetried() {
        int[] mallocs = {0};
        CudaDriver faulty = (CudaDriver) java.lang.reflect.Proxy.newProxyInstance(CudaDriver.class.getClassLoader(),
                new Class<?>[] {CudaDriver.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "stream" -> CudaDriver.DEFAULT_STREAM;
                    case "malloc" -> {
                        mallocs[0]++;
                        throw new CudaException("cuMemAlloc failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)", 700);
                    }
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> throw new AssertionError("unexpected driver call " + m.getName());
                });
        CachingAllocator alloc = new CachingAllocator(faulty, false);
        CudaException e = assertThrows(CudaException.class, () -> alloc.allocate(4096));
        assertEquals(700, e.code());
        assertEquals(1, mallocs[0], "not retried");
    }

    @Test
    void doubleReleaseIsAnError() {
        CachingAllocator alloc = new CachingAllocator(cuda.driver(), false);
        long p = alloc.allocate(100);
        alloc.release(p);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> alloc.release(p));
        assertTrue(e.getMessage().contains("already free"), e.getMessage());
        alloc.emptyCache();
    }

    /**
     * Stream tags, against a recording driver: reuse on the block's own stream needs nothing;
     * reuse on another stream makes that stream wait on an event recorded on the block's stream;
     * a closed stream's blocks are synchronised once and then reused without an event.
     */
    @Test
    void blocksAreReusedOnAnotherStreamOnlyBehindAnEvent() {
        long[] current = {100};
        java.util.List<String> calls = new java.util.ArrayList<>();
        long[] next = {0x10000, 7};
        CudaDriver rec = (CudaDriver) java.lang.reflect.Proxy.newProxyInstance(CudaDriver.class.getClassLoader(),
                new Class<?>[] {CudaDriver.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "stream" -> current[0];
                    case "malloc" -> (next[0] += 0x10000);
                    case "eventCreate" -> ++next[1];
                    case "eventRecord", "streamWaitEvent", "eventDestroy", "streamSynchronize", "free" -> {
                        calls.add(m.getName() + java.util.Arrays.toString(args));
                        yield null;
                    }
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> throw new AssertionError("unexpected driver call " + m.getName());
                });
        CachingAllocator alloc = new CachingAllocator(rec, false);
        long a = alloc.allocate(1000);                 // on stream 100
        alloc.release(a);
        assertEquals(a, alloc.allocate(1000));         // same stream: no event
        assertEquals(java.util.List.of(), calls);
        alloc.release(a);

        current[0] = 200;                              // a side stream's block...
        long b = alloc.allocate(5000);
        alloc.release(b);
        current[0] = 100;                              // ...handed to stream 100
        assertEquals(b, alloc.allocate(5000));
        assertEquals(java.util.List.of("eventRecord[8, 200]", "streamWaitEvent[100, 8]", "eventDestroy[8]"), calls);
        assertEquals(1, alloc.stats().crossStreamWaits());
        alloc.release(b);                              // now tagged with stream 100

        calls.clear();
        current[0] = 300;
        long c = alloc.allocate(9000);
        alloc.release(c);
        alloc.streamClosing(300);                      // stream 300 is about to be destroyed
        assertEquals(java.util.List.of("streamSynchronize[300]"), calls);
        alloc.streamClosing(400);                      // a stream without blocks: nothing to wait for
        assertEquals(1, calls.size());
        current[0] = 100;
        assertEquals(c, alloc.allocate(9000));         // settled: no event on the destroyed stream
        assertEquals(1, calls.size());
        assertEquals(1, alloc.stats().crossStreamWaits());
    }
}
