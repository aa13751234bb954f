package dev.kiln.backend;

import dev.kiln.DType;

/**
 * A block of memory owned by a {@link Backend}: a Java array on the CPU, device memory on a GPU.
 * Tensors reference buffers; reshaped views share one. Part of the backend SPI.
 *
 * <p>A buffer that backs a tensor is owned by it ({@link #own}): only the owner's
 * {@link #release} frees it, and {@link #close()} refuses, so no caller can free memory a live
 * tensor uses. Scratch buffers a backend allocates for itself are closed with {@link #close()}.
 */
public interface Buffer extends AutoCloseable {
    /** Element type. */
    DType dtype();

    /** Number of elements. */
    long size();

    /**
     * Returns the memory to its backend. Using the buffer afterwards is an error.
     *
     * @throws IllegalStateException if the buffer is owned (the storage of a tensor: close the tensor)
     */
    @Override
    void close();

    /**
     * Makes {@code owner} the only key that frees this buffer ({@link #release}).
     *
     * @throws IllegalStateException if another owner holds it already
     */
    void own(Object owner);

    /**
     * Frees an owned buffer; {@code owner} must be the key given to {@link #own}.
     *
     * @throws IllegalStateException for any other key
     */
    void release(Object owner);
}
