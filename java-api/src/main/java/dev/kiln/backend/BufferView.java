package dev.kiln.backend;

import java.util.Objects;

/**
 * A buffer addressed from an element offset: how a kernel argument points into the middle of a
 * larger buffer (one time step of a time-major sequence, one matrix of a batch) without a copy.
 *
 * @param buffer the storage
 * @param offset the first element, {@code >= 0}
 */
public record BufferView(Buffer buffer, long offset) {

    public BufferView {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0) {
            throw new IllegalArgumentException("Buffer offset must be >= 0, got " + offset);
        }
    }

    /** The whole buffer (offset 0); null for a null buffer, so optional arguments stay optional. */
    public static BufferView of(Buffer buffer) {
        return buffer == null ? null : new BufferView(buffer, 0);
    }

    /** The buffer from element {@code offset}; null for a null buffer. */
    public static BufferView of(Buffer buffer, long offset) {
        return buffer == null ? null : new BufferView(buffer, offset);
    }

    /** The buffer of a nullable view. */
    public static Buffer buffer(BufferView view) {
        return view == null ? null : view.buffer;
    }

    /** The offset of a nullable view (0 for null). */
    public static long offset(BufferView view) {
        return view == null ? 0 : view.offset;
    }
}
