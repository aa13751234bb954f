package dev.kiln.cuda;

/**
 * A CUDA stream of one {@link CudaBackend}: an ordered queue of kernels and copies that runs
 * concurrently with other streams ({@code CU_STREAM_NON_BLOCKING}: it does not synchronise with
 * the legacy default stream either).
 *
 * <p>Every backend has a compute stream ({@link CudaBackend#computeStream()}) where its work goes
 * by default. {@link CudaBackend#newStream()} makes more; {@link CudaBackend#withStream} sends the
 * calling thread's work to one of them for the extent of a try block:
 *
 * <pre>{@code
 * try (CudaStream side = backend.newStream()) {
 *     try (var on = backend.withStream(side)) {
 *         b = a.mul(2f);                       // queued on side
 *     }
 *     backend.computeStream().waitFor(side);   // later compute-stream work sees b
 *     c = b.add(1f);
 * }
 * }</pre>
 *
 * <p>Ordering across streams is only what events give: work queued on stream S after
 * {@code S.waitFor(event)} starts after the work queued before {@code event}'s recording.
 * Buffers from the caching allocator remember the stream they were allocated on: one freed while
 * work on it is still queued there is handed to another stream only behind an event on that
 * stream (see {@link CachingAllocator}). A buffer allocated on one stream and used on another
 * should stay referenced until that use is joined back into its own stream (or synchronised).
 */
public final class CudaStream implements AutoCloseable {

    private final CudaDriver driver;
    private final long handle;
    private final boolean backendOwned;
    private final java.util.function.LongConsumer beforeDestroy;
    private volatile boolean closed;

    CudaStream(CudaDriver driver, long handle, boolean backendOwned) {
        this(driver, handle, backendOwned, h -> { });
    }

    /** {@code beforeDestroy} runs with the handle just before the stream is destroyed (the allocator settles its blocks). */
    CudaStream(CudaDriver driver, long handle, boolean backendOwned, java.util.function.LongConsumer beforeDestroy) {
        this.driver = driver;
        this.handle = handle;
        this.backendOwned = backendOwned;
        this.beforeDestroy = beforeDestroy;
    }

    /** The driver's handle ({@code CUstream}). */
    public long handle() {
        return handle;
    }

    CudaDriver driver() {
        return driver;
    }

    /** Creates an event and records it here: it completes when the work queued so far does. */
    public CudaEvent record() {
        CudaEvent e = new CudaEvent(driver);
        try {
            e.record(this);
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** Work queued here from now on starts only after {@code event}'s recording has completed. */
    public void waitFor(CudaEvent event) {
        if (event.driver() != driver) {
            throw new IllegalArgumentException("event " + event + " belongs to another device's driver");
        }
        driver.streamWaitEvent(handle, event.handle());
    }

    /** Work queued here from now on starts only after the work queued on {@code other} so far. */
    public void waitFor(CudaStream other) {
        if (other == this) {
            return;
        }
        try (CudaEvent e = other.record()) {
            waitFor(e);
        }
    }

    /** Waits until the work queued here has completed. */
    public void synchronize() {
        driver.streamSynchronize(handle);
    }

    /** Whether this is a backend's compute stream (which {@link #close()} leaves alone). */
    public boolean isComputeStream() {
        return backendOwned;
    }

    /**
     * Destroys the stream (work already queued still completes). The backend's compute stream is
     * not destroyed. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (backendOwned || closed) {
            return;
        }
        closed = true;
        try {
            beforeDestroy.accept(handle);
        } finally {
            driver.streamDestroy(handle);
        }
    }

    @Override
    public String toString() {
        return "CudaStream[0x" + Long.toHexString(handle) + (backendOwned ? ", compute" : "") + (closed ? ", closed" : "") + "]";
    }

    /** Restores the previous stream of the thread that called {@link CudaBackend#withStream}. */
    public interface Scope extends AutoCloseable {
        /** The stream work goes to inside this scope. */
        CudaStream stream();

        @Override
        void close();
    }
}
