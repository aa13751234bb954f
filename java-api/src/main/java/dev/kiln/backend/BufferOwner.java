package dev.kiln.backend;

/**
 * The owner key a {@link Buffer} implementation holds (see {@link Buffer#own}), with the checks
 * every implementation makes the same way: one owner, released only with its key, and no
 * {@link Buffer#close()} of an owned buffer.
 */
public final class BufferOwner {

    private Object key;

    /** Records {@code owner}; throws if {@code buffer} has another owner already. */
    public synchronized void own(Object owner, Buffer buffer) {
        if (key != null && key != owner) {
            throw new IllegalStateException(buffer + " is owned already");
        }
        key = owner;
    }

    /** Throws unless {@code owner} is the key given to {@link #own}. */
    public synchronized void checkRelease(Object owner, Buffer buffer) {
        if (key != owner) {
            throw new IllegalStateException(buffer + " can only be released by its owner");
        }
    }

    /** Throws when {@code buffer} is owned (the storage of a tensor). */
    public synchronized void checkClose(Buffer buffer) {
        if (key != null) {
            throw new IllegalStateException(buffer + " is the storage of a tensor: close the tensor instead");
        }
    }
}
