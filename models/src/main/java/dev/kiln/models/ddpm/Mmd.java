package dev.kiln.models.ddpm;

/**
 * The squared maximum mean discrepancy between two 2-D point sets under a sum of Gaussian kernels
 * {@code k(x, y) = Σ_σ exp(−|x − y|² / (2σ²))}, the biased (V-statistic) estimate
 * {@code mean k(a, a') + mean k(b, b') − 2·mean k(a, b)}: zero for identical sets, never negative.
 * With small bandwidths it sees the fine structure (thin rings, the arms of a spiral) that the
 * one-dimensional projections of {@link SlicedWasserstein} average away.
 */
public final class Mmd {

    /** The bandwidths the generative models report with: fine, medium and coarse for data of unit spread. */
    public static final double[] BANDWIDTHS = {0.05, 0.2, 0.8};

    private Mmd() {
    }

    public static double squared(float[] a, float[] b, double... bandwidths) {
        if (a.length % 2 != 0 || b.length % 2 != 0 || a.length == 0 || b.length == 0 || bandwidths.length == 0) {
            throw new IllegalArgumentException("need non-empty [n, 2] point sets and at least one bandwidth");
        }
        return meanKernel(a, a, bandwidths) + meanKernel(b, b, bandwidths) - 2 * meanKernel(a, b, bandwidths);
    }

    private static double meanKernel(float[] a, float[] b, double[] bandwidths) {
        double[] inv = new double[bandwidths.length];
        for (int k = 0; k < bandwidths.length; k++) {
            inv[k] = -1 / (2 * bandwidths[k] * bandwidths[k]);
        }
        int n = a.length / 2, m = b.length / 2;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double dx = a[2 * i] - b[2 * j], dy = a[2 * i + 1] - b[2 * j + 1], d2 = dx * dx + dy * dy;
                for (double c : inv) {
                    sum += Math.exp(c * d2);
                }
            }
        }
        return sum / ((double) n * m);
    }
}
