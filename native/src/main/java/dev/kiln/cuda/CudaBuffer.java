package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;

import java.lang.ref.Cleaner;

/**
 * Device memory of a {@link CudaBackend}: a block from its caching allocator. The block returns to
 * the allocator on {@link #close()} or, at the latest, when the buffer becomes unreachable.
 */
public final class CudaBuffer implements Buffer {

    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final DType dtype;
    private final long size;
    private final long ptr;
    private final Cleaner.Cleanable cleanable;

    CudaBuffer(CudaBackend backend, DType dtype, long size, long ptr, CachingAllocator allocator) {
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        this.ptr = ptr;
        this.cleanable = CLEANER.register(this, new Release(allocator, ptr));
    }

    private record Release(CachingAllocator allocator, long ptr) implements Runnable {
        @Override
        public void run() {
            allocator.release(ptr);
        }
    }

    /** The device address of element 0. */
    public long pointer() {
        return ptr;
    }

    /** The device address of element {@code index}. */
    public long pointer(long index) {
        return ptr + index * dtype.bytes();
    }

    /** Size in bytes. */
    public long bytes() {
        return size * dtype.bytes();
    }

    CudaBackend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + dtype + " x " + size + " at 0x" + Long.toHexString(ptr) + " on " + backend.name() + "]";
    }
}
