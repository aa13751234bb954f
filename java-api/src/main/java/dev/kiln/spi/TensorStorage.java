package dev.kiln.spi;

import dev.kiln.Tensor;
import dev.kiln.backend.Backend;
import dev.kiln.backend.Buffer;

/**
 * <b>Service-provider interface, not application API.</b> The storage behind a tensor, for the code
 * that implements ops: backends, kernel families, optimisers' fused updates. {@link Tensor} itself
 * exposes neither its buffer nor its backend, so application code cannot write a tensor's values
 * behind autograd's back. The buffer a tensor owns cannot be freed through {@link Buffer#close()}
 * either: it is released when the last tensor over it is closed (or collected).
 *
 * <pre>{@code
 * Buffer b = TensorStorage.buffer(t);         // inside a kernel family's op
 * TensorStorage.backend(t).fill(b, 0f);       // an in-place write: bump the version (see Tensor.assign)
 * }</pre>
 */
public final class TensorStorage {

    /** Implemented once, by {@link Tensor}. */
    public interface Access {
        Buffer buffer(Tensor t);

        Backend backend(Tensor t);
    }

    private static volatile Access access;

    private TensorStorage() {
    }

    /**
     * Called once by {@link Tensor}'s class initialiser; any other caller is refused.
     *
     * @throws SecurityException if the caller is not {@link Tensor} or access is already installed
     */
    public static void install(Access a) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != Tensor.class || access != null) {
            throw new SecurityException("TensorStorage.install is for dev.kiln.Tensor alone, called from " + caller.getName());
        }
        access = a;
    }

    /** The buffer holding {@code t}'s values (shared with its reshaped views). */
    public static Buffer buffer(Tensor t) {
        return access.buffer(t);
    }

    /** The backend that owns {@code t}'s buffer. */
    public static Backend backend(Tensor t) {
        return access.backend(t);
    }
}
