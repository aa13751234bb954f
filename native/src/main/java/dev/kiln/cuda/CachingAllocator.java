package dev.kiln.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching device allocator: freed blocks go to a free list per size class and are handed out
 * again without a driver call. Size classes: multiples of 512 bytes up to 1 MiB, multiples of
 * 2 MiB above. When the driver runs out of memory ({@code CUDA_ERROR_OUT_OF_MEMORY}: a full
 * card, or the emulated device's size) the cache is released, unreachable tensors are collected,
 * and the allocation retried; if it still fails, the {@link CudaException} (code
 * {@link #OUT_OF_MEMORY}) names the bytes requested, live and cached. Other driver errors (a
 * sticky fault, say) are thrown as they come, without retrying. Thread-safe (buffers may be
 * returned from a cleaner thread). {@link #stats()} gives live, cached and peak bytes.
 *
 * <p>Streams: every block is tagged with the stream it was allocated on (the calling thread's
 * current stream), where its work is queued. A freed block handed out again on the same stream
 * needs nothing (stream order protects it); handed out on another stream, the new stream first
 * waits for an event recorded on the block's stream at that moment, which covers all work queued
 * there before the free (so a block freed while side-stream work on it is pending is never
 * overwritten by compute-stream work early). Before a side stream is destroyed
 * ({@link #streamClosing}) it is synchronised and its blocks become free of any stream. Like
 * PyTorch's allocator, a block used on a stream other than its allocation stream must stay
 * referenced until that work is joined back (see {@link CudaStream}).
 *
 * <p>With poisoning on ({@code -Dkiln.cuda.poison=true}), every block handed out is filled with
 * 0xFF bytes (NaN for float32, -1 for integers), so a kernel that leaves part of its output
 * unwritten shows up as NaN in tests.
 */
public final class CachingAllocator {

    /** Allocator statistics (bytes are size-class bytes). */
    public record Stats(long bytesInUse, long bytesCached, long allocations, long requests, long cacheHits,
                        long frees, long driverFrees, long peakBytesInUse, long crossStreamWaits) {
    }

    private static final long SMALL = 1L << 20;
    private static final long SMALL_STEP = 512;
    private static final long LARGE_STEP = 2L << 20;
    private static final int RECLAIM_ATTEMPTS = 4;
    /** {@code CUDA_ERROR_OUT_OF_MEMORY}: the code of the driver's and this allocator's out-of-memory errors. */
    public static final int OUT_OF_MEMORY = 2;

    private final CudaDriver driver;
    private final boolean poison;
    private final TreeMap<Long, ArrayDeque<Long>> free = new TreeMap<>();
    private final Map<Long, Long> live = new HashMap<>();
    /** Stream tag of every block, live or cached: the stream its last owner's work went to, or {@link #SETTLED}. */
    private final Map<Long, Long> streamOf = new HashMap<>();
    /** The tag of a block with no work pending on any stream (its stream was synchronised and destroyed). */
    static final long SETTLED = Long.MIN_VALUE;
    private long bytesInUse, bytesCached, allocations, requests, cacheHits, frees, driverFrees, peak, crossStreamWaits;

    CachingAllocator(CudaDriver driver, boolean poison) {
        this.driver = driver;
        this.poison = poison;
    }

    /** The size class a request of {@code bytes} is served from. */
    public static long sizeClass(long bytes) {
        long b = Math.max(bytes, 1);
        long step = b <= SMALL ? SMALL_STEP : LARGE_STEP;
        return (b + step - 1) / step * step;
    }

    /** A device block of at least {@code bytes}. */
    public long allocate(long bytes) {
        long size = sizeClass(bytes);
        long stream = driver.stream();
        long ptr, previous = SETTLED;
        synchronized (this) {
            requests++;
            ArrayDeque<Long> list = free.get(size);
            if (list != null && !list.isEmpty()) {
                ptr = list.pop();
                bytesCached -= size;
                cacheHits++;
                previous = streamOf.get(ptr);
                track(ptr, size, stream);
                if (previous != SETTLED && previous != stream) {
                    crossStreamWaits++;
                }
            } else {
                ptr = 0;
            }
        }
        if (ptr != 0 && previous != SETTLED && previous != stream) {
            // Work queued on the block's old stream before its free must finish before this stream touches it.
            long event = driver.eventCreate(false); // ordering only: no timestamp needed
            try {
                driver.eventRecord(event, previous);
                driver.streamWaitEvent(stream, event);
            } finally {
                driver.eventDestroy(event);
            }
        }
        if (ptr == 0) {
            try {
                ptr = driver.malloc(size);
            } catch (CudaException e) {
                if (e.code() != OUT_OF_MEMORY) {
                    throw e;
                }
                ptr = reclaimAndRetry(bytes, size, e);
            }
            synchronized (this) {
                allocations++;
                track(ptr, size, stream);
            }
        }
        if (poison) {
            driver.memsetD8(ptr, (byte) 0xFF, size);
        }
        return ptr;
    }

    /**
     * After a failed allocation: release the cache and retry; then let the garbage collector run
     * the cleaners of unreachable tensors (their blocks come back to the cache) and retry again.
     * A training loop drops many small Java objects that each hold device memory, and the Java
     * heap alone rarely makes the collector run before the device fills.
     */
    private long reclaimAndRetry(long bytes, long size, CudaException first) {
        long cachedBefore, liveBefore;
        synchronized (this) {
            cachedBefore = bytesCached;
            liveBefore = bytesInUse;
        }
        CudaException last = first;
        for (int attempt = 0; attempt < RECLAIM_ATTEMPTS; attempt++) {
            emptyCache();
            try {
                return driver.malloc(size);
            } catch (CudaException again) {
                if (again.code() != OUT_OF_MEMORY) {
                    throw again;
                }
                last = again;
                System.gc();
                try {
                    Thread.sleep(10L << attempt); // cleaners run on their own thread
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        emptyCache();
        try {
            return driver.malloc(size);
        } catch (CudaException again) {
            if (again.code() != OUT_OF_MEMORY) {
                throw again;
            }
            last = again;
        }
        long live, peakNow;
        synchronized (this) {
            live = bytesInUse;
            peakNow = peak;
        }
        CudaException oom = new CudaException("out of device memory on " + driver.name() + ": cannot allocate " + bytes
                + " bytes (" + human(bytes) + ", size class " + human(size) + "); " + live + " bytes (" + human(live)
                + ") are live in tensors, " + cachedBefore + " bytes (" + human(cachedBefore) + ") were cached and have been"
                + " freed, and the allocation was retried after collecting unreachable tensors (live then: " + human(liveBefore)
                + ", peak live: " + human(peakNow) + "). The driver said: " + last.getMessage()
                + ". Free tensors that are no longer needed (close them), use smaller batches"
                + (driver.name().equals("emulator") ? ", or give the emulated device more memory (" + CudaOptions.EMULATOR_MEMORY
                        + ")" : "") + ".", OUT_OF_MEMORY);
        oom.addSuppressed(first);
        throw oom;
    }

    /** {@code bytes} in the largest binary unit that keeps it at least 1, one decimal: {@code 1.5 GiB}. */
    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private void track(long ptr, long size, long stream) {
        live.put(ptr, size);
        streamOf.put(ptr, stream);
        bytesInUse += size;
        peak = Math.max(peak, bytesInUse);
    }

    /** Returns a block to the cache. */
    public synchronized void release(long ptr) {
        Long size = live.remove(ptr);
        if (size == null) {
            throw new IllegalStateException("device block 0x" + Long.toHexString(ptr) + " was not allocated here or is already free");
        }
        bytesInUse -= size;
        bytesCached += size;
        frees++;
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(ptr);
    }

    /** Frees every cached block back to the driver; returns the bytes released. */
    public synchronized long emptyCache() {
        long released = 0;
        for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) {
            for (long p : e.getValue()) {
                streamOf.remove(p);
                driver.free(p);
                released += e.getKey();
                driverFrees++;
            }
        }
        free.clear();
        bytesCached = 0;
        return released;
    }

    /**
     * Called before side stream {@code stream} is destroyed: waits for its work, then marks the
     * blocks tagged with it as free of any stream (no event could be recorded on it later).
     */
    public void streamClosing(long stream) {
        synchronized (this) {
            if (!streamOf.containsValue(stream)) {
                return;
            }
        }
        driver.streamSynchronize(stream);
        synchronized (this) {
            streamOf.replaceAll((p, s) -> s == stream ? SETTLED : s);
        }
    }

    public synchronized Stats stats() {
        return new Stats(bytesInUse, bytesCached, allocations, requests, cacheHits, frees, driverFrees, peak, crossStreamWaits);
    }

    /** Frees everything, cached and live (at backend shutdown). */
    synchronized void releaseAll() {
        emptyCache();
        for (long p : live.keySet()) {
            driver.free(p);
        }
        live.clear();
        streamOf.clear();
        bytesInUse = 0;
    }
}
