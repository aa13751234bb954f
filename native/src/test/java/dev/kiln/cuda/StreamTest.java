package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.backend.Backends;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.UnaryOp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams and events of {@link CudaBackend} under the emulated driver (where a stream runs its
 * work as it is queued). The same checks run through the real {@link JavaCppDriver} against the
 * fake libcuda, whose streams are deferred queues, in {@link FakeDriverTest}.
 */
class StreamTest {

    static CudaBackend cuda;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    @Test
    void twoStreamsWithAnEventDependency() {
        twoStreams(cuda);
    }

    @Test
    void asyncRoundTripsLargerThanTheStagingBuffer() {
        roundTrips(cuda);
    }

    @Test
    void badHandlesNameTheCall() {
        badHandles(cuda);
    }

    @Test
    void eventsWithoutTimingCannotBeTimed() {
        untimedEvents(cuda);
    }

    /**
     * The CU_EVENT_DISABLE_TIMING rule: an event created without timing orders work but
     * cuEventElapsedTime on it fails with CUDA_ERROR_INVALID_HANDLE, under every driver; timing
     * events (what {@link CudaBackend#time} and {@link CudaEvent} use) measure.
     */
    static void untimedEvents(CudaBackend be) {
        CudaDriver d = be.driver();
        long t0 = d.eventCreate(), t1 = d.eventCreate(), u0 = d.eventCreate(false), u1 = d.eventCreate(false);
        try {
            for (long e : new long[] {t0, u0}) {
                d.eventRecord(e);
            }
            Buffer work = be.allocate(DType.FLOAT32, 1024);
            be.fill(work, 1f);
            for (long e : new long[] {t1, u1}) {
                d.eventRecord(e);
            }
            d.eventSynchronize(u1); // ordering works without timing
            assertTrue(d.eventElapsed(t0, t1) >= 0f);
            for (long[] pair : new long[][] {{u0, u1}, {t0, u1}, {u0, t1}}) {
                CudaException e = fails("cuEventElapsedTime(0x" + Long.toHexString(pair[0]) + ", 0x" + Long.toHexString(pair[1]) + ")",
                        () -> d.eventElapsed(pair[0], pair[1]));
                assertEquals(400, e.code(), e.getMessage());
            }
            assertTrue(be.time(() -> be.fill(work, 2f)) >= 0f, "backend timing uses timing events");
            work.close();
        } finally {
            for (long e : new long[] {t0, t1, u0, u1}) {
                d.eventDestroy(e);
            }
        }
    }

    @Test
    void scopesNestAndTheComputeStreamIsTheDefault() {
        scopes(cuda);
    }

    @Test
    void eventsTimeWorkOnASideStream() {
        try (CudaStream side = cuda.newStream(); CudaEvent start = cuda.newEvent(); CudaEvent end = cuda.newEvent()) {
            Buffer b = cuda.allocate(DType.FLOAT32, 1000);
            start.record(side);
            try (CudaStream.Scope on = cuda.withStream(side)) {
                cuda.fill(b, 3f);
            }
            end.record(side);
            assertTrue(end.elapsedMillisSince(start) >= 0f);
            end.synchronize();
            b.close();
        }
    }

    static float[] ramp(int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * ((i % 1009) - 504);
        }
        return x;
    }

    /**
     * x is uploaded on the compute stream; a side stream waits for it, computes y = 2x + x and
     * copies y to z (the copy is the last thing queued there); the compute stream waits for the
     * side stream and computes w = z * z, which is downloaded.
     */
    static void twoStreams(CudaBackend be) {
        int n = 100_003;
        float[] x = ramp(n, 0.01f);
        int[] shape = {n}, unit = {1};
        Buffer bx = be.allocate(DType.FLOAT32, n), by = be.allocate(DType.FLOAT32, n), bz = be.allocate(DType.FLOAT32, n),
                bw = be.allocate(DType.FLOAT32, n);
        try (CudaStream side = be.newStream()) {
            assertNotSame(be.computeStream(), side);
            be.upload(x, bx);
            side.waitFor(be.computeStream());
            try (CudaStream.Scope on = be.withStream(side)) {
                assertSame(side, be.currentStream());
                be.unary(UnaryOp.SCALE, 2f, bx, by, n);
                be.binary(BinaryOp.ADD, by, unit, bx, unit, by, shape);
                be.driver().copyDtoD(((CudaBuffer) bz).pointer(), ((CudaBuffer) by).pointer(), 4L * n);
            }
            assertSame(be.computeStream(), be.currentStream());
            try (CudaEvent done = side.record()) {
                be.computeStream().waitFor(done);
            }
            be.binary(BinaryOp.MUL, bz, unit, bz, unit, bw, shape);
            float[] w = be.downloadFloats(bw);
            for (int i = 0; i < n; i++) {
                float y = x[i] * 2f + x[i];
                assertEquals(y * y, w[i], 0f, "element " + i);
            }
        } finally {
            for (Buffer b : new Buffer[] {bx, by, bz, bw}) {
                b.close();
            }
        }
    }

    /**
     * Uploads and downloads of several sizes on the compute stream and on a side stream, up to
     * 2.5 times the whole staging buffer (five staging chunks), for float, int and long arrays;
     * and three uploads in a row from one array rewritten between them, each smaller than a
     * staging half, so the third reuses the first one's half.
     */
    static void roundTrips(CudaBackend be) {
        long chunk = JavaCppDriver.STAGING_CHUNK;
        int[] sizes = {1, 1000, (int) (chunk / 4) - 1, (int) (chunk / 4), (int) (chunk / 4) + 1, (int) (5 * chunk / 4) + 7};
        try (CudaStream side = be.newStream()) {
            for (CudaStream s : new CudaStream[] {be.computeStream(), side}) {
                try (CudaStream.Scope on = be.withStream(s)) {
                    for (int n : sizes) {
                        float[] x = ramp(n, 0.5f);
                        Buffer b = be.allocate(DType.FLOAT32, n);
                        be.upload(x, b);
                        assertArrayEquals(x, be.downloadFloats(b), "float[" + n + "] on " + s);
                        b.close();
                    }
                    int n = (int) (3 * chunk / 8) + 5; // int64 on the device: 3 staging halves, then back
                    long[] l = new long[n];
                    int[] ints = new int[n];
                    for (int i = 0; i < n; i++) {
                        l[i] = (long) i * 3_000_000_011L - 7;
                        ints[i] = i * 7 - 1;
                    }
                    Buffer bl = be.allocate(DType.INT64, n), bi = be.allocate(DType.INT32, n);
                    be.upload(l, bl);
                    be.upload(ints, bi);
                    assertArrayEquals(l, be.downloadIndices(bl), "long[" + n + "] on " + s);
                    long[] back = be.downloadIndices(bi);
                    for (int i = 0; i < n; i++) {
                        assertEquals(ints[i], back[i], "int " + i + " on " + s);
                    }
                    bl.close();
                    bi.close();
                }
            }
        }
        int n = (int) (chunk / 4) - 3;
        float[] x = new float[n];
        Buffer[] bufs = new Buffer[3];
        for (int k = 0; k < 3; k++) {
            java.util.Arrays.fill(x, k + 1f);
            bufs[k] = be.allocate(DType.FLOAT32, n);
            be.upload(x, bufs[k]);
        }
        for (int k = 0; k < 3; k++) {
            float[] got = be.downloadFloats(bufs[k]);
            assertEquals(k + 1f, got[0], "upload " + k);
            assertEquals(k + 1f, got[n - 1], "upload " + k);
            bufs[k].close();
        }
    }

    static CudaException fails(String call, Runnable r) {
        CudaException e = assertThrows(CudaException.class, r::run, call);
        assertTrue(e.getMessage().contains(call), "'" + e.getMessage() + "' names " + call);
        assertTrue(e.getMessage().contains("CUDA_ERROR_INVALID_HANDLE"), e.getMessage());
        return e;
    }

    /** Operations on a stream or event the driver does not have fail naming the call. */
    static void badHandles(CudaBackend be) {
        CudaDriver d = be.driver();
        long bogus = 0xdead0L;
        fails("cuStreamSynchronize(stream 0xdead0)", () -> d.streamSynchronize(bogus));
        fails("cuStreamDestroy(stream 0xdead0)", () -> d.streamDestroy(bogus));
        fails("cuStreamDestroy(stream 0x0)", () -> d.streamDestroy(CudaDriver.DEFAULT_STREAM));
        long ev = d.eventCreate();
        try {
            fails("cuStreamWaitEvent(stream 0xdead0", () -> d.streamWaitEvent(bogus, ev));
            fails("cuEventRecord(event 0x" + Long.toHexString(ev) + ", stream 0xdead0)", () -> d.eventRecord(ev, bogus));
            fails("cuStreamWaitEvent(stream 0x" + Long.toHexString(be.computeStream().handle()) + ", event 0xdead0)",
                    () -> d.streamWaitEvent(be.computeStream().handle(), bogus));
        } finally {
            d.eventDestroy(ev);
        }
        fails("cuEventSynchronize(event 0xdead0)", () -> d.eventSynchronize(bogus));

        // A destroyed stream: every kind of work on it is refused, naming the call.
        CudaStream gone = be.newStream();
        String h = "stream 0x" + Long.toHexString(gone.handle());
        gone.close();
        gone.close(); // closing twice does nothing
        Buffer b = be.allocate(DType.FLOAT32, 16);
        try (CudaStream.Scope on = be.withStream(gone)) {
            fails("cuMemcpyHtoDAsync", () -> be.upload(new float[16], b));
            fails("cuMemcpyDtoHAsync", () -> be.downloadFloats(b));
            fails("cuLaunchKernel(kiln_memory_fill_f32 [memory], " + h, () -> be.fill(b, 1f));
            fails("cuMemcpyDtoDAsync", () -> d.copyDtoD(((CudaBuffer) b).pointer(), ((CudaBuffer) b).pointer(), 4));
            fails("cuMemsetD32Async", () -> d.memsetD32(((CudaBuffer) b).pointer(), 0, 4));
            fails("cuStreamSynchronize(" + h + ")", be::synchronize);
        }
        b.close();
        // The compute stream is unharmed.
        Buffer ok = be.allocate(DType.FLOAT32, 4);
        be.fill(ok, 2f);
        assertArrayEquals(new float[] {2f, 2f, 2f, 2f}, be.downloadFloats(ok));
        ok.close();
    }

    static void scopes(CudaBackend be) {
        CudaStream compute = be.computeStream();
        assertTrue(compute.isComputeStream());
        assertSame(compute, be.currentStream());
        assertEquals(compute.handle(), be.driver().stream());
        try (CudaStream a = be.newStream(); CudaStream b = be.newStream()) {
            try (CudaStream.Scope sa = be.withStream(a)) {
                assertSame(a, be.currentStream());
                try (CudaStream.Scope sb = be.withStream(b)) {
                    assertSame(b, be.currentStream());
                    assertEquals(b.handle(), be.driver().stream());
                    // Another thread's work still goes to the compute stream.
                    Supplier<CudaStream> other = () -> {
                        CudaStream[] seen = new CudaStream[1];
                        Thread t = new Thread(() -> seen[0] = be.currentStream());
                        t.start();
                        try {
                            t.join();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        return seen[0];
                    };
                    assertSame(compute, other.get());
                }
                assertSame(a, be.currentStream());
            }
            assertSame(compute, be.currentStream());
        }
        compute.close(); // the backend's own stream stays
        Buffer x = be.allocate(DType.FLOAT32, 8);
        be.fill(x, 1f);
        be.synchronize();
        assertEquals(1f, be.downloadFloats(x)[7]);
        x.close();
    }
}
