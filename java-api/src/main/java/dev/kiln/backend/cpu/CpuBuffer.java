package dev.kiln.backend.cpu;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferOwner;

/** A CPU buffer: a Java array (float[] for FLOAT32, int[] for INT32, long[] for INT64). */
final class CpuBuffer implements Buffer {
    final DType dtype;
    private final long size;
    /** The arrays; dropped on close, so a closed buffer's memory is the collector's at once. */
    float[] f;
    int[] i;
    long[] l;
    private volatile boolean closed;
    private final BufferOwner owner = new BufferOwner();

    CpuBuffer(DType dtype, long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CPU tensors hold at most 2^31 - 9 elements, asked for " + n);
        }
        this.dtype = dtype;
        int len = (int) n;
        this.size = n;
        this.f = dtype == DType.FLOAT32 ? new float[len] : null;
        this.i = dtype == DType.INT32 ? new int[len] : null;
        this.l = dtype == DType.INT64 ? new long[len] : null;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    long index(int k) {
        return i != null ? i[k] : l[k];
    }

    /** This buffer, checked to belong to the CPU backend and to be open. */
    static CpuBuffer of(Buffer b) {
        if (!(b instanceof CpuBuffer)) {
            throw new IllegalArgumentException("Buffer " + b + " does not belong to the CPU backend");
        }
        CpuBuffer c = (CpuBuffer) b;
        if (c.closed) {
            throw new IllegalStateException("A CPU " + c.dtype + " buffer of " + c.size + " elements was used after its "
                    + "release: the tensor holding it was closed (Tensor.close() or the end of the TensorScope that made it)");
        }
        return c;
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

    /** Drops the arrays; any later use of this buffer throws {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        owner.checkClose(this);
        free();
    }

    private void free() {
        closed = true;
        f = null;
        i = null;
        l = null;
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + dtype + " x " + size + (closed ? ", closed]" : "]");
    }
}
