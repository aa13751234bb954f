package dev.kiln.backend.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Where the vector SGEMM's time goes, on one core, timed by thread CPU time: the core's fused
 * multiply-add peak as the JVM reaches it (twelve independent vector FMA chains, no memory), the
 * register-tile micro-kernel alone on packed panels that stay in L2, and the whole
 * {@link Sgemm#sgemm} at 512, 1024 and 2048 (packing, edges and merges included). Not a test: run it
 * by hand,
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -Dkiln.cpu.threads=1 \
 *     -cp java-api/target/classes:java-api/target/test-classes dev.kiln.backend.cpu.SgemmKernelSpeed
 * }</pre>
 */
final class SgemmKernelSpeed {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private SgemmKernelSpeed() {
    }

    public static void main(String[] args) {
        if (!CpuSimd.enabled() || CpuThreads.count() != 1) {
            throw new IllegalStateException("run with --add-modules jdk.incubator.vector -Dkiln.cpu.threads=1 ("
                    + CpuSimd.description() + ", " + CpuThreads.count() + " threads)");
        }
        System.out.printf("FMA peak: %.1f GFLOP/s (%d-bit vectors)%n", best(SgemmKernelSpeed::peak), F.vectorBitSize());
        System.out.printf("micro-kernel 6x%d vectors, K panel %d, in L2: %.1f GFLOP/s%n", SgemmVector.NV, Sgemm.KC,
                best(SgemmKernelSpeed::kernel));
        for (int n : new int[] {512, 1024, 2048}) {
            Random r = new Random(n);
            float[] a = SgemmTest.random(r, n * n), b = SgemmTest.random(r, n * n), c = new float[n * n];
            double flop = 2.0 * n * n * n;
            int reps = (int) Math.max(1, 2e9 / flop);
            System.out.printf("sgemm %d: %.1f GFLOP/s%n", n, best(() -> {
                for (int i = 0; i < reps; i++) {
                    Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
                }
                return flop * reps;
            }));
        }
    }

    /** Best GFLOP/s of five timed rounds after two warm-up rounds; {@code round} returns its flops. */
    private static double best(java.util.function.DoubleSupplier round) {
        double best = 0;
        for (int r = 0; r < 7; r++) {
            long t0 = MX.getCurrentThreadCpuTime();
            double flop = round.getAsDouble();
            long t = MX.getCurrentThreadCpuTime() - t0;
            if (r >= 2) {
                best = Math.max(best, flop / t);
            }
        }
        return best;
    }

    private static double peak() {
        long iters = 20_000_000L;
        FloatVector x = FloatVector.broadcast(F, 0.5f), y = FloatVector.broadcast(F, 0.999f);
        FloatVector c0 = x, c1 = x.add(1), c2 = x.add(2), c3 = x.add(3), c4 = x.add(4), c5 = x.add(5);
        FloatVector c6 = x.add(6), c7 = x.add(7), c8 = x.add(8), c9 = x.add(9), c10 = x.add(10), c11 = x.add(11);
        for (long i = 0; i < iters; i++) {
            c0 = c0.fma(y, x);
            c1 = c1.fma(y, x);
            c2 = c2.fma(y, x);
            c3 = c3.fma(y, x);
            c4 = c4.fma(y, x);
            c5 = c5.fma(y, x);
            c6 = c6.fma(y, x);
            c7 = c7.fma(y, x);
            c8 = c8.fma(y, x);
            c9 = c9.fma(y, x);
            c10 = c10.fma(y, x);
            c11 = c11.fma(y, x);
        }
        float sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
        if (Float.isNaN(sum)) {
            throw new IllegalStateException("the FMA chains overflowed");
        }
        return iters * 12.0 * F.length() * 2;
    }

    private static float[] panelA;
    private static float[] panelB;
    private static final float[] TILE = new float[SgemmVector.MR * 4 * F.length()];

    /** 24 A micro-panels against 8 B micro-panels (about 0.6 MiB, L2), 40 times over. */
    private static double kernel() {
        int kc = Sgemm.KC, mr = SgemmVector.MR, nr = SgemmVector.NV * F.length(), rows = 24, cols = 8;
        if (panelA == null) {
            Random r = new Random(1);
            panelA = SgemmTest.random(r, rows * mr * kc);
            panelB = SgemmTest.random(r, cols * nr * kc);
        }
        for (int rep = 0; rep < 40; rep++) {
            for (int q = 0; q < cols; q++) {
                for (int i = 0; i < rows; i++) {
                    if (SgemmVector.NV == 4) {
                        SgemmVector.kernel6x4(kc, panelA, i * mr * kc, panelB, q * nr * kc, TILE, 0, nr, false);
                    } else {
                        SgemmVector.kernel6x2(kc, panelA, i * mr * kc, panelB, q * nr * kc, TILE, 0, nr, false);
                    }
                }
            }
        }
        return 40.0 * cols * rows * 2.0 * mr * nr * kc;
    }
}
