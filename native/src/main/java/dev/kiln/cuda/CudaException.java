package dev.kiln.cuda;

/** A failed CUDA (or emulated) call; the message names the call, the kernel and its arguments. */
public final class CudaException extends RuntimeException {

    private final int code;

    public CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    public CudaException(String message) {
        this(message, -1);
    }

    /** The CUDA error code, or -1 when none applies. */
    public int code() {
        return code;
    }
}
