package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferOwner;

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
    private volatile boolean closed;
    private final BufferOwner owner = new BufferOwner();

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
        checkOpen();
        return ptr;
    }

    /** The device address of element {@code index}. */
    public long pointer(long index) {
        checkOpen();
        return ptr + index * dtype.bytes();
    }

    /** Every launch and copy asks for a pointer, so a released block is never handed to a kernel. */
    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("A CUDA " + dtype + " buffer of " + size + " elements was used after its release "
                    + "to the allocator: the tensor holding it was closed (Tensor.close() or the end of the TensorScope "
                    + "that made it)");
        }
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

    /** Returns the block to the caching allocator now (at most once); refused for a tensor's storage. */
    @Override
    public synchronized void close() {
        owner.checkClose(this);
        free();
    }

    @Override
    public void own(Object key) {
        owner.own(key, this);
    }

    @Override
    public synchronized void release(Object key) {
        owner.checkRelease(key, this);
        free();
    }

    private void free() {
        closed = true;
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + dtype + " x " + size + " at 0x" + Long.toHexString(ptr) + " on " + backend.name() + "]";
    }
}
