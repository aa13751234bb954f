package dev.kiln.openblas;

import dev.kiln.backend.cpu.CpuGemmProvider;
import dev.kiln.backend.cpu.CpuThreads;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS's {@code cblas_sgemm} (row-major) behind Kiln's {@link CpuGemmProvider}.
 *
 * <p>Kiln's tensors live in Java {@code float[]} arrays, which native code cannot be handed
 * without a copy that HotSpot makes anyway ({@code Get<Float>ArrayElements}) or a critical
 * section that blocks the garbage collector for the whole product. So each product copies the
 * part of A, B (and C, when {@code beta != 0} or C's rows have gaps) that it reads into native
 * buffers, and the result back: O(mk + kn + mn) copying against O(mnk) arithmetic. The native
 * buffers belong to the calling thread and only grow, so no product allocates after the first few.
 *
 * <p>Threads: a product big enough to split runs as {@link CpuThreads#count()} row blocks
 * ({@code -Dkiln.cpu.threads}) on Kiln's CPU pool, each a single-threaded {@code cblas_sgemm} on
 * its rows of A and C; OpenBLAS's own thread pool is set to one thread when the library loads.
 * OpenBLAS's waiting threads spin, and beside Kiln's pool on a busy machine they oversubscribed
 * the cores: an MLP epoch on 2 shared cores took 21.8 s with OpenBLAS's 2 threads against 2.0 s
 * with one (benchmarks/cpu-vs-libtorch.sh). One pool for every CPU kernel avoids that.
 */
public final class OpenBlasGemm implements CpuGemmProvider {

    /** Below this many multiply-adds a product is one call on the calling thread. */
    static final long PARALLEL_WORK = 1L << 21;
    /** The fewest rows of C a parallel block gets. */
    static final int MIN_ROWS = 16;

    /** The JavaCPP artifact whose native library this class needs. */
    static final String ARTIFACT = "org.bytedeco:openblas with the classifier of this platform (e.g. linux-x86_64)";

    /** Loads the native library once, on first use, and sets its thread count. */
    private static final class Library {
        static final String DESCRIPTION;
        static final Throwable ERROR;

        static {
            String d = null;
            Throwable err = null;
            try {
                Loader.load(openblas.class);
                openblas.blas_set_num_threads(1);
                d = "OpenBLAS " + openblas.OPENBLAS_VERSION.strip().replaceFirst("^OpenBLAS\\s*", "") + " (JavaCPP), "
                        + "kernels autodetected (OPENBLAS_VERBOSE=2 names them), " + CpuThreads.count()
                        + " thread(s) of Kiln's CPU pool, each calling OpenBLAS single-threaded";
            } catch (LinkageError | RuntimeException e) {
                err = e;
            }
            DESCRIPTION = d;
            ERROR = err;
        }

        static void check() {
            if (ERROR != null) {
                throw new IllegalStateException("OpenBLAS's native library did not load (kiln-openblas needs " + ARTIFACT
                        + " on the class path): " + ERROR, ERROR);
            }
        }
    }

    /** The calling thread's native copies of A, B and C; they only grow. */
    private static final class Scratch {
        FloatPointer a, b, c;
        /** True while a product uses these buffers (a pool thread that helps another task may re-enter). */
        boolean busy;

        void free() {
            for (FloatPointer p : new FloatPointer[] {a, b, c}) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Public for {@link java.util.ServiceLoader}. */
    public OpenBlasGemm() {
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public String describe() {
        Library.check();
        return Library.DESCRIPTION;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: expected m, n, k >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        int aLen = span("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        int bLen = span("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        int cLen = span("C", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        Library.check();
        Scratch mine = SCRATCH.get();
        Scratch s = mine.busy ? new Scratch() : mine;
        s.busy = true;
        try {
            run(s, transA, transB, m, n, k, alpha, a, aOff, aLen, lda, b, bOff, bLen, ldb, beta, c, cOff, cLen, ldc);
        } finally {
            s.busy = false;
            if (s != mine) {
                s.free();
            }
        }
    }

    private static void run(Scratch s, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int aLen, int lda, float[] b, int bOff, int bLen, int ldb,
                            float beta, float[] c, int cOff, int cLen, int ldc) {
        s.a = fill(s.a, a, aOff, aLen);
        s.b = fill(s.b, b, bOff, bLen);
        // C is read when beta != 0; with gaps between its rows it is copied in too, so that copying
        // the whole span back leaves the gaps as they were.
        boolean readC = beta != 0f || ldc != n;
        s.c = readC ? fill(s.c, c, cOff, cLen) : grow(s.c, cLen);
        int blocks = (int) Math.min(CpuThreads.count(), Math.min(m / MIN_ROWS, (long) m * n * k / PARALLEL_WORK));
        if (blocks <= 1) {
            multiply(transA, transB, 0, m, n, k, alpha, s.a, lda, s.b, ldb, beta, s.c, ldc);
        } else {
            FloatPointer pa = s.a, pb = s.b, pc = s.c;
            CpuThreads.forEach(blocks, blk -> {
                int lo = (int) ((long) m * blk / blocks), hi = (int) ((long) m * (blk + 1) / blocks);
                multiply(transA, transB, lo, hi, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            });
        }
        s.c.position(0).get(c, cOff, cLen);
    }

    /** Rows {@code [lo, hi)} of C, through views of the shared native buffers (their positions stay 0). */
    private static void multiply(boolean transA, boolean transB, int lo, int hi, int n, int k, float alpha,
                                 FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        FloatPointer rowsOfA = a.getPointer(transA ? lo : (long) lo * lda);
        FloatPointer rowsOfC = c.getPointer((long) lo * ldc);
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, hi - lo, n, k, alpha, rowsOfA, lda, b, ldb, beta,
                rowsOfC, ldc);
    }

    /** Elements from a matrix's first to its last stored element; checks that the array holds them. */
    private static int span(String name, float[] x, int off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("sgemm: leading dimension of " + name + " must be >= "
                    + Math.max(1, cols) + " (its stored row length), got " + ld);
        }
        if (rows == 0 || cols == 0) {
            return 0;
        }
        if (x == null) {
            throw new IllegalArgumentException("sgemm: " + name + " is null but is " + rows + "x" + cols);
        }
        long len = (long) (rows - 1) * ld + cols;
        if (off < 0 || off + len > x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + "x" + cols + ", offset " + off
                    + ", leading dimension " + ld + ") needs " + (off + len) + " elements, array has " + x.length);
        }
        return (int) len;
    }

    /** {@code C = beta * C} (zero when beta is 0, whatever C held): the product with an empty inner dimension. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0, o = cOff + i * ldc; j < n; j++, o++) {
                c[o] = beta == 0f ? 0f : beta * c[o];
            }
        }
    }

    private static FloatPointer fill(FloatPointer p, float[] x, int off, int len) {
        FloatPointer q = grow(p, len);
        q.position(0).put(x, off, len);
        return q;
    }

    /** {@code p} if it holds {@code len} floats, else a new buffer of at least that (the old one freed). */
    private static FloatPointer grow(FloatPointer p, int len) {
        if (p != null && p.capacity() >= len) {
            return p.position(0);
        }
        if (p != null) {
            p.close();
        }
        long cap = Math.max(1024L, Long.highestOneBit(Math.max(1, len)) << 1);
        return new FloatPointer(cap);
    }
}
