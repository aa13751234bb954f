package dev.kiln.backend.cpu;

/**
 * A vendor SGEMM for the CPU backend, found through {@link java.util.ServiceLoader} when
 * {@code -Dkiln.cpu.impl.gemm=vendor} asks for one (see {@link CpuGemm}). Kiln's own
 * implementation is {@code kiln-openblas} (OpenBLAS through JavaCPP); {@code kiln-api} itself has
 * no native code.
 *
 * <p>The contract is {@link Sgemm#sgemm}'s: {@code C = alpha * op(A) * op(B) + beta * C} on
 * row-major matrices given as array, offset and leading dimension; {@code beta == 0} overwrites
 * C (NaN already there included); elements of C between its stored rows are left untouched;
 * a bad dimension, leading dimension or short array throws {@link IllegalArgumentException}.
 * Implementations must be safe to call from several threads at once. A batched product reaches
 * a provider as one call per batch entry (the backend's {@code gemm} walks the batch).
 */
public interface CpuGemmProvider {

    /** A short name for logs, e.g. {@code openblas}. */
    String name();

    /**
     * One line for {@code kiln info}: library, version, the kernels it picked and its threads.
     * Loads the library if needed.
     *
     * @throws IllegalStateException naming what is missing when the library cannot be used
     */
    String describe();

    /** {@code C = alpha * op(A) * op(B) + beta * C}, row-major; the contract of {@link Sgemm#sgemm}. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);
}
