package dev.kiln.cuda;

/**
 * A CUDA event: recorded on a {@link CudaStream}, it completes when the work queued there before
 * the recording does. Other streams can wait for it ({@link CudaStream#waitFor(CudaEvent)}), the
 * host can wait for it ({@link #synchronize()}), and two recorded events time the work between
 * them ({@link #elapsedMillisSince}).
 */
public final class CudaEvent implements AutoCloseable {

    private final CudaDriver driver;
    private final long handle;
    private boolean closed;

    CudaEvent(CudaDriver driver) {
        this.driver = driver;
        this.handle = driver.eventCreate();
    }

    /** The driver's handle ({@code CUevent}). */
    public long handle() {
        return handle;
    }

    CudaDriver driver() {
        return driver;
    }

    /** Records the event (again) on {@code stream}. */
    public CudaEvent record(CudaStream stream) {
        if (stream.driver() != driver) {
            throw new IllegalArgumentException(stream + " belongs to another device's driver");
        }
        driver.eventRecord(handle, stream.handle());
        return this;
    }

    /** Waits until the last recording has completed. */
    public void synchronize() {
        driver.eventSynchronize(handle);
    }

    /** Milliseconds from {@code start}'s recording to this one's (waits for this one). */
    public float elapsedMillisSince(CudaEvent start) {
        return driver.eventElapsed(start.handle, handle);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            driver.eventDestroy(handle);
        }
    }

    @Override
    public String toString() {
        return "CudaEvent[0x" + Long.toHexString(handle) + "]";
    }
}
