package dev.kiln.backend.cpu;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;

/** A CPU buffer: a Java array (float[] for FLOAT32, int[] for INT32, long[] for INT64). */
final class CpuBuffer implements Buffer {
    final DType dtype;
    final float[] f;
    final int[] i;
    final long[] l;

    CpuBuffer(DType dtype, long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CPU tensors hold at most 2^31 - 9 elements, asked for " + n);
        }
        this.dtype = dtype;
        int len = (int) n;
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
        return f != null ? f.length : i != null ? i.length : l.length;
    }

    long index(int k) {
        return i != null ? i[k] : l[k];
    }

    @Override
    public void close() {
        // garbage-collected
    }
}
