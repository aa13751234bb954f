package dev.kiln.cuda;

import java.nio.ByteBuffer;

/**
 * The layer under {@link CudaBackend}: modules, functions, device memory, copies, launches and
 * events. Two implementations share everything above it (module-by-name lookup, argument
 * marshalling, launch geometry): {@link JavaCppDriver} over the CUDA driver API and cuBLAS, and
 * {@link EmulatorDriver}, which runs the same kernels compiled for the host under Kiln's SIMT
 * emulator with host memory standing in for device memory.
 *
 * <p>Device pointers, streams and events are plain {@code long} handles. Work is queued on a
 * stream: {@link #DEFAULT_STREAM} is the legacy default stream (0); {@link #streamCreate()} makes
 * non-blocking streams, which do not synchronise with it. The stream-less methods ({@code launch},
 * {@code copyHtoD}, ...) queue on the legacy default stream; {@link CudaBackend#driver()} returns a
 * view of the driver whose stream-less methods queue on the backend's current stream instead.
 * Under the emulator a stream is an ordered queue that runs each operation when it is queued.
 *
 * <p>Every failing call throws {@link CudaException} naming the call and its arguments; a stream
 * or event handle the driver did not create (or already destroyed) is such a failure.
 */
public interface CudaDriver extends AutoCloseable {

    /** A loaded kernel: its family (module) and entry-point name, and the driver's handle. */
    interface Function {
        String family();

        String name();
    }

    /** Short name: {@code cuda} or {@code emulator}. */
    String name();

    /** One line: device name, compute capability, driver and library versions. */
    String describe();

    /** Compute capability as major * 10 + minor (the emulator reports 80). */
    int computeCapability();

    /** Whether vendor libraries (cuBLAS) are available; false under the emulator. */
    boolean hasVendorLibraries();

    /**
     * Loads the kernel family {@code family} (once; later calls return the cached module) and
     * resolves entry point {@code name} in it.
     *
     * @throws CudaException naming the kernel and family when it does not exist
     */
    Function function(String family, String name);

    long malloc(long bytes);

    void free(long ptr);

    /** The legacy default stream. */
    long DEFAULT_STREAM = 0L;

    // ---- streams and events -------------------------------------------------------------------

    /** Creates a stream that does not synchronise with the legacy default stream ({@code CU_STREAM_NON_BLOCKING}). */
    long streamCreate();

    /** Destroys a stream; work already queued on it still completes. */
    void streamDestroy(long stream);

    /** Waits until all work queued on {@code stream} is done. */
    void streamSynchronize(long stream);

    /** Work queued on {@code stream} after this call waits until {@code event}'s last recording completes. */
    void streamWaitEvent(long stream, long event);

    /** Creates an event with timing enabled ({@link #eventElapsed} can measure between two of them). */
    default long eventCreate() {
        return eventCreate(true);
    }

    /**
     * Creates an event; {@code timing=false} makes it {@code CU_EVENT_DISABLE_TIMING}, cheaper to
     * record and wait on, for ordering only: {@link #eventElapsed} on it fails with
     * CUDA_ERROR_INVALID_HANDLE (as the driver does), under every driver.
     */
    long eventCreate(boolean timing);

    /** Records {@code event} on {@code stream}: it completes when the work queued there before it does. */
    void eventRecord(long event, long stream);

    /** Waits until {@code event}'s last recording has completed. */
    void eventSynchronize(long event);

    /** Milliseconds between two recorded events (waits for the second). */
    float eventElapsed(long start, long end);

    void eventDestroy(long event);

    /** Waits until all queued work on every stream is done. */
    void synchronize();

    // ---- work on a stream ---------------------------------------------------------------------

    /**
     * Launches {@code f} on {@code stream}. {@code args} holds the {@code void**} parameter array
     * exactly as {@code cuLaunchKernel} takes it; the driver copies the values, so {@code args} may
     * be rewritten as soon as this returns.
     */
    void launch(long stream, Function f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, LaunchArgs args);

    /**
     * Queues a copy of {@code bytes} from a primitive Java array (starting at byte {@code arrayOffset})
     * to device memory on {@code stream}. The array may be reused as soon as this returns (its
     * contents have been staged); the device memory is written in stream order.
     */
    void copyHtoDAsync(long stream, long dst, Object array, long arrayOffset, long bytes);

    /**
     * Copies {@code bytes} of device memory into a primitive Java array (starting at byte
     * {@code arrayOffset}) after the work queued on {@code stream} before it; returns when the
     * array holds the data.
     */
    void copyDtoH(long stream, Object array, long arrayOffset, long src, long bytes);

    void copyDtoDAsync(long stream, long dst, long src, long bytes);

    void memsetD8Async(long stream, long dst, byte value, long bytes);

    void memsetD32Async(long stream, long dst, int value, long count);

    /**
     * Vendor SGEMM (cuBLAS) on {@code stream}, row-major, batched with strides, on device pointers
     * that already include the element offsets.
     *
     * @throws UnsupportedOperationException when {@link #hasVendorLibraries()} is false
     */
    void vendorSgemm(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     long a, long strideA, long b, long strideB, float beta, long c, long strideC);

    /**
     * Vendor mixed-precision GEMM ({@code cublasGemmStridedBatchedEx}) on {@code stream}, row-major
     * like {@link #vendorSgemm}: A and B of type {@code ab}, C of type {@code c}, alpha and beta FP32.
     *
     * @throws UnsupportedOperationException when {@link #hasVendorLibraries()} is false
     */
    void vendorGemmEx(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                      long a, long strideA, long b, long strideB, float beta, long c, long strideC,
                      GemmType ab, GemmType cType, GemmCompute compute);

    /** Native address of a direct buffer (where launch arguments are marshalled). */
    long address(ByteBuffer direct);

    // ---- the same on the stream this driver (view) queues stream-less work on ------------------

    /** The stream the stream-less methods below queue on: the legacy default stream here. */
    default long stream() {
        return DEFAULT_STREAM;
    }

    /** {@link #copyHtoDAsync} on {@link #stream()}. */
    default void copyHtoD(long dst, Object array, long arrayOffset, long bytes) {
        copyHtoDAsync(stream(), dst, array, arrayOffset, bytes);
    }

    /** {@link #copyDtoH(long, Object, long, long, long)} on {@link #stream()}. */
    default void copyDtoH(Object array, long arrayOffset, long src, long bytes) {
        copyDtoH(stream(), array, arrayOffset, src, bytes);
    }

    default void copyDtoD(long dst, long src, long bytes) {
        copyDtoDAsync(stream(), dst, src, bytes);
    }

    default void memsetD8(long dst, byte value, long bytes) {
        memsetD8Async(stream(), dst, value, bytes);
    }

    default void memsetD32(long dst, int value, long count) {
        memsetD32Async(stream(), dst, value, count);
    }

    default void launch(Function f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, LaunchArgs args) {
        launch(stream(), f, gx, gy, gz, bx, by, bz, sharedBytes, args);
    }

    default void eventRecord(long event) {
        eventRecord(event, stream());
    }

    default void vendorSgemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                             long a, long strideA, long b, long strideB, float beta, long c, long strideC) {
        vendorSgemm(stream(), transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC);
    }

    default void vendorGemmEx(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                              long a, long strideA, long b, long strideB, float beta, long c, long strideC,
                              GemmType ab, GemmType cType, GemmCompute compute) {
        vendorGemmEx(stream(), transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC, ab, cType, compute);
    }

    /** Element types for {@link #vendorGemmEx}. */
    enum GemmType { F32, BF16 }

    /** Compute modes for {@link #vendorGemmEx}: full FP32, or FP32 accumulation of TF32-rounded operands. */
    enum GemmCompute { F32, TF32 }

    @Override
    void close();
}
