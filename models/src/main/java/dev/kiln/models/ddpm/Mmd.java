package dev.kiln.models.ddpm;

import dev.kiln.backend.cpu.CpuThreads;

/**
 * The maximum mean discrepancy between two 2-D point sets under a sum of Gaussian (RBF) kernels
 * {@code k(x, y) = Σ_σ exp(−|x − y|² / (2σ²))} at fixed bandwidths. {@link #squared} is the biased
 * (V-statistic) estimate {@code mean k(a, a') + mean k(b, b') − 2·mean k(a, b)}: zero for identical
 * sets, never negative; {@link #distance} its square root, the MMD. With small bandwidths it sees
 * the fine structure (thin rings, the arms of a spiral) that the one-dimensional projections of
 * {@link SlicedWasserstein} average away. Because the estimate is biased by about
 * {@code (1/n + 1/m)·(Σ_σ 1 − mean k)}, a generated set is judged beside a second draw of the true
 * data of the same size, not against zero.
 *
 * <p>Rows are summed in parallel and then added in row order, so the value does not depend on the
 * number of threads; terms below {@code e^−60} are skipped.
 */
public final class Mmd {

    /** The bandwidths the generative models report with: fine, medium and coarse for data of unit spread. */
    public static final double[] BANDWIDTHS = {0.05, 0.2, 0.8};

    private static final double NEGLIGIBLE = -60;

    private Mmd() {
    }

    public static double squared(float[] a, float[] b, double... bandwidths) {
        check(a, b, bandwidths);
        return meanKernel(a, a, bandwidths) + meanKernel(b, b, bandwidths) - 2 * meanKernel(a, b, bandwidths);
    }

    /** The MMD, {@code √}{@link #squared}. */
    public static double distance(float[] a, float[] b, double... bandwidths) {
        return Math.sqrt(Math.max(0, squared(a, b, bandwidths)));
    }

    /**
     * The MMD of {@code samples} and of {@code second} (another draw of the true data) to the same
     * {@code held} points, {@code {mmd(samples, held), mmd(second, held)}}; the held points' own
     * kernel mean is computed once.
     */
    public static double[] beside(float[] samples, float[] second, float[] held, double... bandwidths) {
        check(samples, held, bandwidths);
        check(second, held, bandwidths);
        double hh = meanKernel(held, held, bandwidths);
        double a = meanKernel(samples, samples, bandwidths) + hh - 2 * meanKernel(samples, held, bandwidths);
        double b = meanKernel(second, second, bandwidths) + hh - 2 * meanKernel(second, held, bandwidths);
        return new double[] {Math.sqrt(Math.max(0, a)), Math.sqrt(Math.max(0, b))};
    }

    private static void check(float[] a, float[] b, double[] bandwidths) {
        if (a.length % 2 != 0 || b.length % 2 != 0 || a.length == 0 || b.length == 0 || bandwidths.length == 0) {
            throw new IllegalArgumentException("need non-empty [n, 2] point sets and at least one bandwidth");
        }
    }

    private static double meanKernel(float[] a, float[] b, double[] bandwidths) {
        double[] inv = new double[bandwidths.length];
        for (int k = 0; k < bandwidths.length; k++) {
            inv[k] = -1 / (2 * bandwidths[k] * bandwidths[k]);
        }
        int n = a.length / 2, m = b.length / 2;
        double[] rows = new double[n];
        CpuThreads.forEach(n, i -> {
            double sum = 0, ax = a[2 * i], ay = a[2 * i + 1];
            for (int j = 0; j < m; j++) {
                double dx = ax - b[2 * j], dy = ay - b[2 * j + 1], d2 = dx * dx + dy * dy;
                for (double c : inv) {
                    double e = c * d2;
                    if (e > NEGLIGIBLE) {
                        sum += Math.exp(e);
                    }
                }
            }
            rows[i] = sum;
        });
        double sum = 0;
        for (double r : rows) {
            sum += r;
        }
        return sum / ((double) n * m);
    }
}
