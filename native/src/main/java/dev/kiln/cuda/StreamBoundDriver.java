package dev.kiln.cuda;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * A view of a {@link CudaDriver} whose stream-less methods ({@code launch}, {@code copyHtoD},
 * {@code copyDtoH}, {@code memsetD8}, {@code eventRecord}, the vendor GEMMs, ...) queue on the stream
 * {@code current} names at the time of the call; everything else goes straight to the driver.
 * {@link CudaBackend} hands this view to its own code, its allocator, {@link CudaVision},
 * {@link CudaSequence} and {@link CudaBackend#driver()} callers, so all of it runs on the
 * backend's current stream without naming one.
 */
final class StreamBoundDriver implements CudaDriver {

    private final CudaDriver driver;
    private final LongSupplier current;

    StreamBoundDriver(CudaDriver driver, LongSupplier current) {
        this.driver = driver;
        this.current = current;
    }

    /** The driver underneath. */
    CudaDriver unwrap() {
        return driver;
    }

    @Override
    public long stream() {
        return current.getAsLong();
    }

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public String describe() {
        return driver.describe();
    }

    @Override
    public int computeCapability() {
        return driver.computeCapability();
    }

    @Override
    public boolean hasVendorLibraries() {
        return driver.hasVendorLibraries();
    }

    @Override
    public Function function(String family, String name) {
        return driver.function(family, name);
    }

    @Override
    public long malloc(long bytes) {
        return driver.malloc(bytes);
    }

    @Override
    public void free(long ptr) {
        driver.free(ptr);
    }

    @Override
    public long streamCreate() {
        return driver.streamCreate();
    }

    @Override
    public void streamDestroy(long stream) {
        driver.streamDestroy(stream);
    }

    @Override
    public void streamSynchronize(long stream) {
        driver.streamSynchronize(stream);
    }

    @Override
    public void streamWaitEvent(long stream, long event) {
        driver.streamWaitEvent(stream, event);
    }

    @Override
    public long eventCreate(boolean timing) {
        return driver.eventCreate(timing);
    }

    @Override
    public void eventRecord(long event, long stream) {
        driver.eventRecord(event, stream);
    }

    @Override
    public void eventSynchronize(long event) {
        driver.eventSynchronize(event);
    }

    @Override
    public float eventElapsed(long start, long end) {
        return driver.eventElapsed(start, end);
    }

    @Override
    public void eventDestroy(long event) {
        driver.eventDestroy(event);
    }

    @Override
    public void synchronize() {
        driver.synchronize();
    }

    @Override
    public void launch(long stream, Function f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, LaunchArgs args) {
        driver.launch(stream, f, gx, gy, gz, bx, by, bz, sharedBytes, args);
    }

    @Override
    public void copyHtoDAsync(long stream, long dst, Object array, long arrayOffset, long bytes) {
        driver.copyHtoDAsync(stream, dst, array, arrayOffset, bytes);
    }

    @Override
    public void copyDtoH(long stream, Object array, long arrayOffset, long src, long bytes) {
        driver.copyDtoH(stream, array, arrayOffset, src, bytes);
    }

    @Override
    public void copyDtoDAsync(long stream, long dst, long src, long bytes) {
        driver.copyDtoDAsync(stream, dst, src, bytes);
    }

    @Override
    public void memsetD8Async(long stream, long dst, byte value, long bytes) {
        driver.memsetD8Async(stream, dst, value, bytes);
    }

    @Override
    public void memsetD32Async(long stream, long dst, int value, long count) {
        driver.memsetD32Async(stream, dst, value, count);
    }

    @Override
    public void vendorSgemm(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                            long a, long strideA, long b, long strideB, float beta, long c, long strideC) {
        driver.vendorSgemm(stream, transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC);
    }

    @Override
    public void vendorGemmEx(long stream, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                             long a, long strideA, long b, long strideB, float beta, long c, long strideC,
                             GemmType ab, GemmType cType, GemmCompute compute) {
        driver.vendorGemmEx(stream, transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC,
                ab, cType, compute);
    }

    @Override
    public long address(ByteBuffer direct) {
        return driver.address(direct);
    }

    @Override
    public void close() {
        driver.close();
    }
}
