package dev.kiln;

/**
 * Element types of a {@link Tensor}. Floating-point tensors are {@code FLOAT32}; the integer
 * types hold indices (class targets, token ids, argmax results).
 */
public enum DType {
    FLOAT32(4),
    INT32(4),
    INT64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** True for the index types {@code INT32} and {@code INT64}. */
    public boolean isIndex() {
        return this != FLOAT32;
    }
}
