package dev.kiln.cuda;

import java.nio.ByteBuffer;

/**
 * The layer under {@link CudaBackend}: modules, functions, device memory, copies, launches and
 * events. Two implementations share everything above it (module-by-name lookup, argument
 * marshalling, launch geometry): {@link JavaCppDriver} over the CUDA driver API and cuBLAS, and
 * {@link EmulatorDriver}, which runs the same kernels compiled for the host under Kiln's SIMT
 * emulator with host memory standing in for device memory.
 *
 * <p>Device pointers are plain {@code long} addresses. Every failing call throws
 * {@link CudaException} naming the call and its arguments.
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

    /** Copies {@code bytes} from a primitive Java array (starting at byte {@code arrayOffset}) to device memory. */
    void copyHtoD(long dst, Object array, long arrayOffset, long bytes);

    /** Copies {@code bytes} of device memory into a primitive Java array (starting at byte {@code arrayOffset}). */
    void copyDtoH(Object array, long arrayOffset, long src, long bytes);

    void copyDtoD(long dst, long src, long bytes);

    void memsetD8(long dst, byte value, long bytes);

    void memsetD32(long dst, int value, long count);

    /** Native address of a direct buffer (where launch arguments are marshalled). */
    long address(ByteBuffer direct);

    /**
     * Launches {@code f} on the default stream. {@code args} holds the {@code void**} parameter
     * array exactly as {@code cuLaunchKernel} takes it.
     */
    void launch(Function f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, LaunchArgs args);

    /** Waits until all queued work is done. */
    void synchronize();

    /** Creates an event (for timing); {@link #eventRecord} it on the default stream. */
    long eventCreate();

    void eventRecord(long event);

    /** Milliseconds between two recorded events (waits for the second). */
    float eventElapsed(long start, long end);

    void eventDestroy(long event);

    /**
     * Vendor SGEMM (cuBLAS), row-major, batched with strides, on device pointers that already
     * include the element offsets.
     *
     * @throws UnsupportedOperationException when {@link #hasVendorLibraries()} is false
     */
    void vendorSgemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     long a, long strideA, long b, long strideB, float beta, long c, long strideC);

    /** Element types for {@link #vendorGemmEx}. */
    enum GemmType { F32, BF16 }

    /** Compute modes for {@link #vendorGemmEx}: full FP32, or FP32 accumulation of TF32-rounded operands. */
    enum GemmCompute { F32, TF32 }

    /**
     * Vendor mixed-precision GEMM ({@code cublasGemmStridedBatchedEx}), row-major like
     * {@link #vendorSgemm}: A and B of type {@code ab}, C of type {@code c}, alpha and beta FP32.
     *
     * @throws UnsupportedOperationException when {@link #hasVendorLibraries()} is false
     */
    void vendorGemmEx(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                      long a, long strideA, long b, long strideB, float beta, long c, long strideC,
                      GemmType ab, GemmType cType, GemmCompute compute);

    @Override
    void close();
}
