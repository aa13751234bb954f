package dev.kiln.backend;

import dev.kiln.DType;

/**
 * A block of memory owned by a {@link Backend}: a Java array on the CPU, device memory on a GPU.
 * Tensors reference buffers; reshaped views share one.
 */
public interface Buffer extends AutoCloseable {
    /** Element type. */
    DType dtype();

    /** Number of elements. */
    long size();

    /** Returns the memory to its backend. Using the buffer afterwards is an error. */
    @Override
    void close();
}
