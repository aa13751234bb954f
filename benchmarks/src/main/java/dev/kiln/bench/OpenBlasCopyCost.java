package dev.kiln.bench;

import dev.kiln.backend.cpu.CpuThreads;
import dev.kiln.openblas.OpenBlasGemm;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * What {@code kiln-openblas} pays for Kiln's heap arrays: each GEMM of one MLP 784-256-128-10
 * training step at batch 128, timed through {@link OpenBlasGemm} (copies in and out of its cached
 * native buffers) and as a bare {@code cblas_sgemm} on native buffers filled once. Best of
 * {@code reps} (default 200) calls each; prints a Markdown table. Threads: {@code -Dkiln.cpu.threads}.
 */
public final class OpenBlasCopyCost {

    private OpenBlasCopyCost() {
    }

    private record Shape(String what, boolean ta, boolean tb, int m, int n, int k) {
    }

    public static void main(String[] args) {
        int reps = Integer.getInteger("reps", 200);
        Shape[] shapes = {
            new Shape("fc1 forward", false, true, 128, 256, 784),
            new Shape("fc1 weight grad", true, false, 256, 784, 128),
            new Shape("fc2 forward", false, true, 128, 128, 256),
            new Shape("fc2 input grad", false, false, 128, 256, 128),
            new Shape("fc2 weight grad", true, false, 128, 256, 128),
            new Shape("fc3 forward", false, true, 128, 10, 128),
        };
        OpenBlasGemm blas = new OpenBlasGemm();
        System.out.println(blas.describe() + "; Kiln threads " + CpuThreads.count() + "; best of " + reps + " calls");
        System.out.println();
        System.out.println("| GEMM (m×n×k) | through kiln-openblas µs | bare cblas_sgemm µs | copy share |");
        System.out.println("|---|---:|---:|---:|");
        Random r = new Random(1);
        double totalWith = 0, totalBare = 0;
        for (Shape s : shapes) {
            float[] a = random(r, s.m * s.k), b = random(r, s.k * s.n), c = new float[s.m * s.n];
            int lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
            double with = Double.MAX_VALUE, bare = Double.MAX_VALUE;
            try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b); FloatPointer pc = new FloatPointer(c)) {
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    blas.sgemm(s.ta, s.tb, s.m, s.n, s.k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, s.n);
                    long t1 = System.nanoTime();
                    openblas.cblas_sgemm(openblas.CblasRowMajor, s.ta ? openblas.CblasTrans : openblas.CblasNoTrans,
                            s.tb ? openblas.CblasTrans : openblas.CblasNoTrans, s.m, s.n, s.k, 1f, pa, lda, pb, ldb, 0f, pc, s.n);
                    long t2 = System.nanoTime();
                    with = Math.min(with, (t1 - t0) / 1e3);
                    bare = Math.min(bare, (t2 - t1) / 1e3);
                }
            }
            totalWith += with;
            totalBare += bare;
            System.out.printf(Locale.ROOT, "| %s (%d×%d×%d) | %.1f | %.1f | %.0f %% |%n", s.what, s.m, s.n, s.k, with, bare,
                    100 * (1 - bare / with));
        }
        System.out.printf(Locale.ROOT, "| all six | %.1f | %.1f | %.0f %% |%n", totalWith, totalBare, 100 * (1 - totalBare / totalWith));
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        return x;
    }
}
