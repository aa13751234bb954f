package dev.kiln.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinTask;

/**
 * Single-precision general matrix multiply on the CPU, in pure Java.
 *
 * <p>Computes {@code C = alpha * op(A) * op(B) + beta * C} on row-major matrices, where
 * {@code op(A)} is M×K (A is stored K×M when {@code transA}) and {@code op(B)} is K×N (B is
 * stored N×K when {@code transB}). Every matrix is addressed by an array, an offset and a
 * leading dimension (the distance between two consecutive stored rows), as in BLAS.
 * When {@code beta == 0} C is overwritten: values already there, NaN included, are ignored.
 *
 * <pre>{@code
 * float[] a = {1, 2, 3, 4, 5, 6};        // 2x3
 * float[] b = {1, 0, 0, 1, 1, 1};        // 3x2
 * float[] c = new float[4];              // 2x2
 * Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
 * // c = {4, 5, 10, 11}
 * }</pre>
 *
 * <h2>Algorithm</h2>
 * Goto-style blocking in two forms that compute bit-identical results, chosen once by
 * {@link CpuSimd}:
 *
 * <ul>
 * <li><b>Vector API</b> ({@link SgemmVector}, when the JVM runs with {@code --add-modules
 * jdk.incubator.vector}): the OpenBLAS/BLIS scheme. A micro-kernel keeps a 6-row × 4-vector C
 * tile (6×64 floats with AVX-512) in registers and accumulates it with vector fused
 * multiply-adds over packed micro-panels of A (6 rows) and B (64 columns); one packed
 * {@code KC}×2048 panel of op(B) is shared by all threads, each of which packs its own rows of A.
 * <li><b>Scalar</b> ({@link SgemmBlock}): for each panel of {@code KC} rows of op(B) and
 * {@code NC} columns, op(B) is packed into {@code KC} separate row arrays; for each block of
 * {@code MC} rows of op(A) the block (scaled by alpha) is packed K-contiguous. The micro-kernel then
 * streams three packed B rows at a time through an L1-resident accumulator block, three accumulator
 * rows per pass: {@code acc[i..i+2][j] += a[i..i+2][p..p+2] · b[p..p+2][j]}. The inner
 * {@code j} loop touches only distinct arrays at index {@code j} and carries nine fused
 * multiply-adds, which is the shape that HotSpot's C2 superword pass turns into full-width
 * FMA vectors (AVX2 / AVX-512) without the incubating Vector API. Two C2 limits shape it:
 * a larger body (four rows, or four B rows) is not unrolled far enough to vectorise, and
 * the loop must stay a method of its own (see {@code SgemmBlock.pass33}).
 * </ul>
 *
 * <p>In both, every element of C is a sequential chain of fused multiply-adds over each
 * {@code KC}-deep panel of K, merged into C (applying beta on the first panel), so the form, the
 * thread count and the block grid never change a bit of the result.
 *
 * <p>Large products are split into row/column blocks over {@link CpuThreads}' pool (sized by
 * {@code -Dkiln.cpu.threads}); each worker packs into its own thread-local buffers. Products
 * with {@code m*n*k} below {@value #SMALL_WORK} run on the calling thread without packing.
 *
 * <p>{@link #sgemmReference} is a plain triple loop with double accumulation, used as the
 * oracle in tests.
 */
public final class Sgemm {

    /** Below this many multiply-adds the product runs unpacked on the calling thread. */
    static final long SMALL_WORK = 64L * 64 * 64;
    /** Below this many multiply-adds per worker the product runs on one thread. */
    static final long PARALLEL_WORK_PER_TASK = 96L * 96 * 96;

    /** Rows of op(A) per packed block (a multiple of 3): the MC×NC accumulators stay in L1. */
    static final int MC = 12;
    /** Depth of one packed panel (a multiple of the scalar kernel's three B rows), in both forms. */
    static final int KC = 255;
    /** Columns of op(B) per packed panel. */
    static final int NC = 512;

    private Sgemm() {
    }

    // ---------------------------------------------------------------------------------------
    // Public API
    // ---------------------------------------------------------------------------------------

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, row-major.
     *
     * @param transA whether A is stored transposed (K×M, row-major) instead of M×K
     * @param transB whether B is stored transposed (N×K, row-major) instead of K×N
     * @param m      rows of op(A) and C
     * @param n      columns of op(B) and C
     * @param k      columns of op(A), rows of op(B)
     * @param alpha  scale of the product
     * @param a      A's storage; {@code lda >= (transA ? m : k)}
     * @param aOff   index of A's first element
     * @param lda    distance between two stored rows of A
     * @param b      B's storage; {@code ldb >= (transB ? k : n)}
     * @param bOff   index of B's first element
     * @param ldb    distance between two stored rows of B
     * @param beta   scale of the existing C; 0 overwrites C
     * @param c      C's storage (M×N); {@code ldc >= n}
     * @param cOff   index of C's first element
     * @param ldc    distance between two stored rows of C
     * @throws IllegalArgumentException if a dimension is negative, a leading dimension is too
     *                                  small, or an array is too short for the described matrix
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, true);
    }

    /**
     * Batched {@link #sgemm}: for {@code p} in {@code [0, batch)}, multiplies the matrices that
     * start at {@code aOff + p*strideA}, {@code bOff + p*strideB} and {@code cOff + p*strideC}.
     * A stride of 0 reuses the same matrix for every product (e.g. one weight matrix for a
     * batch of inputs). C matrices of different batch entries must not overlap.
     *
     * @throws IllegalArgumentException on negative sizes or strides, or arrays too short
     */
    public static void sgemmBatched(boolean transA, boolean transB, int m, int n, int k,
                                    float alpha, float[] a, int aOff, int lda, long strideA,
                                    float[] b, int bOff, int ldb, long strideB, float beta,
                                    float[] c, int cOff, int ldc, long strideC, int batch) {
        if (batch < 0 || strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException("sgemmBatched: expected batch >= 0 and strides >= 0, got batch="
                    + batch + " strideA=" + strideA + " strideB=" + strideB + " strideC=" + strideC);
        }
        if (batch == 0) {
            return;
        }
        // Check the first and the last entry; the ones between lie inside.
        long last = batch - 1L;
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        check(transA, transB, m, n, k, a, offset(aOff, last * strideA, "A"), lda,
                b, offset(bOff, last * strideB, "B"), ldb, c, offset(cOff, last * strideC, "C"), ldc);
        long work = (long) m * n * k;
        if (batch > 1 && work * batch >= SMALL_WORK * 4 && work < PARALLEL_WORK_PER_TASK * threads()) {
            // Many small products: run whole products in parallel, each single-threaded.
            List<ForkJoinTask<?>> tasks = new ArrayList<>();
            int chunks = Math.min(batch, threads() * 4);
            for (int t = 0; t < chunks; t++) {
                int lo = (int) ((long) batch * t / chunks), hi = (int) ((long) batch * (t + 1) / chunks);
                tasks.add(ForkJoinTask.adapt(() -> {
                    for (int p = lo; p < hi; p++) {
                        run(transA, transB, m, n, k, alpha, a, (int) (aOff + p * strideA), lda,
                                b, (int) (bOff + p * strideB), ldb, beta, c, (int) (cOff + p * strideC), ldc, false);
                    }
                }));
            }
            invokeAll(tasks);
            return;
        }
        for (int p = 0; p < batch; p++) {
            run(transA, transB, m, n, k, alpha, a, (int) (aOff + p * strideA), lda,
                    b, (int) (bOff + p * strideB), ldb, beta, c, (int) (cOff + p * strideC), ldc, true);
        }
    }

    /**
     * Naive reference: a triple loop accumulating in double. Same contract as {@link #sgemm};
     * slow, meant as a test oracle.
     */
    public static void sgemmReference(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) x * y;
                }
                int ci = cOff + i * ldc + j;
                double r = alpha * s;
                if (beta != 0) {
                    r += (double) beta * c[ci];
                }
                c[ci] = (float) r;
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Argument checks
    // ---------------------------------------------------------------------------------------

    private static int offset(int base, long delta, String name) {
        long o = base + delta;
        if (o > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sgemmBatched: last " + name + " offset " + o + " exceeds int range");
        }
        return (int) o;
    }

    private static void check(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: expected m, n, k >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("sgemm: leading dimension of " + name + " must be >= "
                    + Math.max(1, cols) + " (its stored row length), got " + ld);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        if (x == null) {
            throw new IllegalArgumentException("sgemm: " + name + " is null but is " + rows + "x" + cols);
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + "x" + cols + ", offset " + off
                    + ", leading dimension " + ld + ") needs " + end + " elements, array has " + x.length);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Driver
    // ---------------------------------------------------------------------------------------

    private static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, boolean parallel) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (work < SMALL_WORK) {
            small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int threads = parallel ? (int) Math.min(threads(), Math.max(1, work / PARALLEL_WORK_PER_TASK)) : 1;
        if (CpuSimd.enabled()) {
            SgemmVector.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads);
            return;
        }
        if (threads <= 1) {
            SgemmBlock.compute(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                    beta, c, cOff, ldc);
            return;
        }
        // Split C into a grid of blocks: more blocks than threads so that a slow worker
        // (a busy core) gets helped by work stealing. Rows are split in multiples of MC and
        // columns in multiples of 16 (one AVX-512 vector).
        int target = threads * 4;
        int rowBlocks = Math.max(1, Math.min(target, (m + MC - 1) / MC));
        int colBlocks = Math.max(1, Math.min((target + rowBlocks - 1) / rowBlocks, (n + 63) / 64));
        if (rowBlocks * colBlocks < threads) {
            colBlocks = Math.max(1, Math.min(threads, (n + 15) / 16));
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(rowBlocks * colBlocks);
        for (int rb = 0; rb < rowBlocks; rb++) {
            int i0 = split(m, rowBlocks, rb, MC), i1 = split(m, rowBlocks, rb + 1, MC);
            if (i0 >= i1) {
                continue;
            }
            for (int cb = 0; cb < colBlocks; cb++) {
                int j0 = split(n, colBlocks, cb, 16), j1 = split(n, colBlocks, cb + 1, 16);
                if (j0 >= j1) {
                    continue;
                }
                tasks.add(ForkJoinTask.adapt(() -> SgemmBlock.compute(transA, transB, i0, i1, j0, j1, k,
                        alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)));
            }
        }
        invokeAll(tasks);
    }

    /** Boundary {@code part} of {@code parts} equal pieces of {@code total}, rounded to {@code unit}. */
    private static int split(int total, int parts, int part, int unit) {
        if (part >= parts) {
            return total;
        }
        long units = (total + (long) unit - 1) / unit;
        long u = units * part / parts;
        return (int) Math.min(total, u * unit);
    }

    private static void invokeAll(List<ForkJoinTask<?>> tasks) {
        CpuThreads.invokeAll(tasks);
    }

    private static int threads() {
        return CpuThreads.count();
    }

    /** {@code C = beta * C} (beta 0 writes zeros). */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int o = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, o, o + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[o + j] *= beta;
                }
            }
        }
    }

    /**
     * Unpacked product for small shapes, on the calling thread: with op(B) stored K×N, each
     * {@code C[i][j]} is a chain of fused multiply-adds over p starting from {@code beta·C[i][j]},
     * with {@code alpha·op(A)[i][p]} as the multiplier; with B stored N×K (transB), a chain from zero,
     * then {@code C[i][j] + alpha·sum}. {@link SgemmVector#small} does the same operations per element
     * with vectors along j, so the forms give the same bits.
     */
    private static void small(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        scale(m, n, beta, c, cOff, ldc);
        if (CpuSimd.enabled()) {
            SgemmVector.small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        smallScalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    /** {@link #small}'s loops in plain Java, after C has been scaled by beta. */
    static void smallScalar(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc) {
        if (transB) {
            for (int i = 0; i < m; i++) {
                int co = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bo = bOff + j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        s = Math.fma(x, b[bo + p], s);
                    }
                    c[co + j] += alpha * s;
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int co = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float x = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                int bo = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[co + j] = Math.fma(x, b[bo + j], c[co + j]);
                }
            }
        }
    }
}
