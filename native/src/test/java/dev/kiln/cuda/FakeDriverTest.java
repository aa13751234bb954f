package dev.kiln.cuda;

import dev.kiln.backend.Backends;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.ops.OpRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real driver ({@link JavaCppDriver}: JavaCPP bindings, PointerPointer launch parameters,
 * pinned staging, PTX loading from kiln-kernels, return-code checks) run end to end against a
 * test double of libcuda.so.1 ({@code src/test/c/fake_libcuda.c}) whose cuLaunchKernel runs the
 * kernels in the SIMT emulator. Only the surefire execution {@code fake-driver} sets it up
 * (LD_LIBRARY_PATH, KILN_FAKE_CUDA_EMU); elsewhere the class is skipped.
 */
class FakeDriverTest {

    static Device cuda;
    static CudaBackend backend;

    @BeforeAll
    static void open() {
        Assumptions.assumeTrue(System.getenv("KILN_FAKE_CUDA_EMU") != null,
                "runs only in the fake-driver surefire execution (needs the libcuda.so.1 test double)");
        System.setProperty("kiln.cuda.driver", "cuda");
        cuda = Device.cuda();
        backend = (CudaBackend) Backends.of(cuda);
        assertEquals("cuda", backend.driver().name());
        assertTrue(backend.driver().describe().contains("fake"), backend.driver().describe());
    }

    @TestFactory
    Stream<DynamicTest> everyOpThroughTheRealDriver() {
        return OpRegistry.all().stream().map(spec -> DynamicTest.dynamicTest(spec.name(), () -> Parity.check(cuda, spec, 3)));
    }

    @Test
    void raggedGemmAndRandom() {
        for (int[] s : new int[][] {{1, 17, 129}, {129, 1, 17}, {17, 129, 1}}) {
            Tensor a = Tensor.randn(new Generator(1), s[0], s[2]), b = Tensor.randn(new Generator(2), s[1], s[2]);
            Parity.close("gemm NT " + s[0] + "x" + s[1] + "x" + s[2], Tensor.mm(a, false, b, true).toFloatArray(),
                    Tensor.mm(a.to(cuda), false, b.to(cuda), true).toFloatArray(), 1e-4f, 1e-4f);
        }
        assertArrayEquals(Tensor.rand(new Generator(4), 1001).toFloatArray(), Tensor.rand(new Generator(4), cuda, 1001).toFloatArray());
    }

    @Test
    void largeTransfersGoThroughTheStagingBufferInChunks() {
        int n = (12 << 20) / 4 + 13; // 12 MiB + a tail: more than the whole 8 MiB staging buffer
        float[] x = Tensor.randn(new Generator(5), n).toFloatArray();
        Tensor t = Tensor.fromArray(x, n).to(cuda);
        assertArrayEquals(x, t.toFloatArray());
    }

    @Test
    void errorsNameTheCallAndKernel() {
        CudaException e = assertThrows(CudaException.class, () -> backend.driver().function("memory", "kiln_memory_missing_f32"));
        assertTrue(e.getMessage().contains("kiln_memory_missing_f32") && e.getMessage().contains("CUDA_ERROR_NOT_FOUND"), e.getMessage());
        e = assertThrows(CudaException.class, () -> backend.launch(dev.kiln.kernels.Kernels.Memory.FILL_F32,
                new int[] {1, 1, 1}, new int[] {4096, 1, 1}, 0, a -> a.ptr(0).i64(0).f32(0f)));
        assertTrue(e.getMessage().startsWith("cuLaunchKernel(kiln_memory_fill_f32 [memory], grid=(1,1,1), block=(4096,1,1)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("args=[ptr 0x0, i64 0, f32 0.0]"), e.getMessage());
    }

    @Test
    void vendorGemmNeedsCublas() {
        Tensor a = Tensor.randn(new Generator(7), cuda, 3, 4), b = Tensor.randn(new Generator(8), cuda, 4, 2);
        WithOption.run(backend, "kiln.cuda.impl.gemm", "vendor", () -> {
            // The fake driver cannot host cuBLAS: without libcublas.so.13 the error says it is missing, with it
            // cublasCreate fails on the fake driver; either way the message names cuBLAS.
            CudaException e = assertThrows(CudaException.class, () -> a.matmul(b));
            assertTrue(e.getMessage().toLowerCase().contains("cublas"), e.getMessage());
            if (JavaCppDriver.missingLibraries().contains("libcublas.so.13")) {
                assertTrue(e.getMessage().contains("cuBLAS is unavailable") && e.getMessage().contains("libcublas"), e.getMessage());
            }
        });
    }

    @Test
    void twoStreamsWithAnEventDependency() {
        StreamTest.twoStreams(backend);
    }

    @Test
    void asyncRoundTripsLargerThanTheStagingBuffer() {
        StreamTest.roundTrips(backend);
    }

    @Test
    void badStreamAndEventHandlesNameTheCall() {
        StreamTest.badHandles(backend);
    }

    @Test
    void untimedEventsCannotBeTimed() {
        StreamTest.untimedEvents(backend);
    }

    @Test
    void streamScopes() {
        StreamTest.scopes(backend);
    }

    /**
     * The fake's streams really are deferred: without the event, the compute stream's download
     * does not see what the side stream last queued; after synchronising the side stream it does.
     * (This is what gives the two-stream test its teeth.)
     */
    @Test
    void aMissingWaitIsVisibleOnTheFakeDriver() {
        int n = 4096;
        float[] x = StreamTest.ramp(n, 1f);
        dev.kiln.backend.Buffer a = backend.allocate(dev.kiln.DType.FLOAT32, n), b = backend.allocate(dev.kiln.DType.FLOAT32, n);
        backend.upload(x, a);
        backend.fill(b, -1f);
        backend.synchronize();
        try (CudaStream side = backend.newStream()) {
            try (CudaStream.Scope on = backend.withStream(side)) {
                backend.driver().copyDtoD(((CudaBuffer) b).pointer(), ((CudaBuffer) a).pointer(), 4L * n);
            }
            assertEquals(-1f, backend.downloadFloats(b)[0], "the side stream's copy has not run yet");
            side.synchronize();
            assertArrayEquals(x, backend.downloadFloats(b));
        } finally {
            a.close();
            b.close();
        }
    }

    /**
     * A block freed while side-stream work on it is still queued, then handed to the compute
     * stream: the compute stream's work must start after the side stream's (the allocator makes it
     * wait on an event). Without that wait the side stream's late memset overwrites the new owner's
     * data, which the fake's deferred streams show.
     */
    @Test
    void aBlockFreedWithSideStreamWorkPendingIsReusedBehindAnEvent() {
        int n = 3000; // a size class no other test here allocates
        backend.synchronize();
        long waits = backend.memoryStats().crossStreamWaits();
        try (CudaStream side = backend.newStream()) {
            long ptr;
            try (CudaStream.Scope on = backend.withStream(side)) {
                CudaBuffer b = (CudaBuffer) backend.allocate(dev.kiln.DType.FLOAT32, n);
                ptr = b.pointer();
                backend.driver().memsetD32(ptr, Float.floatToIntBits(1f), n); // queued on side, not run yet
                b.close();
            }
            CudaBuffer c = (CudaBuffer) backend.allocate(dev.kiln.DType.FLOAT32, n);
            assertEquals(ptr, c.pointer(), "the freed block is handed out again");
            assertEquals(waits + 1, backend.memoryStats().crossStreamWaits());
            backend.fill(c, 2f);
            assertEquals(2f, backend.downloadFloats(c)[0]);
            side.synchronize();
            float[] later = backend.downloadFloats(c);
            assertEquals(2f, later[0], "the side stream's memset ran after the block's new owner wrote it");
            assertEquals(2f, later[n - 1]);
            c.close();
        }
    }

    /** Closing a side stream settles its blocks: reusing them afterwards needs no event on the destroyed stream. */
    @Test
    void blocksOfAClosedSideStreamAreSettled() {
        int n = 3500;
        long ptr;
        try (CudaStream side = backend.newStream(); CudaStream.Scope on = backend.withStream(side)) {
            CudaBuffer b = (CudaBuffer) backend.allocate(dev.kiln.DType.FLOAT32, n);
            ptr = b.pointer();
            backend.driver().memsetD32(ptr, Float.floatToIntBits(3f), n);
            b.close();
        }
        long waits = backend.memoryStats().crossStreamWaits();
        CudaBuffer c = (CudaBuffer) backend.allocate(dev.kiln.DType.FLOAT32, n);
        assertEquals(ptr, c.pointer());
        assertEquals(waits, backend.memoryStats().crossStreamWaits(), "no event on a destroyed stream");
        backend.fill(c, 4f);
        backend.synchronize();
        assertEquals(4f, backend.downloadFloats(c)[n - 1]);
        c.close();
    }

    /**
     * The fake's current context is per thread, like the real driver's: a kernel looked up from a
     * thread that never made the context current (its module already loaded by another thread)
     * must still work.
     */
    @Test
    void kernelLookupsFromAFreshThreadMakeTheContextCurrent() throws Exception {
        JavaCppDriver d = JavaCppDriver.open(0, backend.options());
        try {
            assertEquals("kiln_memory_fill_f32", d.function("memory", "kiln_memory_fill_f32").name());
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    d.function("memory", "kiln_memory_copy_b32");
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            t.start();
            t.join();
            if (failure[0] != null) {
                throw new AssertionError("lookup on a fresh thread failed: " + failure[0], failure[0]);
            }
        } finally {
            d.close();
        }
    }

    @Test
    void eventsMeasureTime() {
        float ms = backend.time(() -> Tensor.randn(new Generator(6), cuda, 64, 64).sum().item());
        assertTrue(ms >= 0f, "elapsed " + ms);
    }
}
