package dev.kiln.models.ddpm;

/**
 * How well 2-D samples cover a mixture of isotropic Gaussians (the {@code ring} dataset): a sample
 * is of high quality when it lies within {@code 3σ} of some mode's centre, and a mode is covered
 * when at least 1 % of all samples lie within {@code 3σ} of it (Srivastava et al. 2017, VEEGAN).
 *
 * @param modes       how many modes are covered
 * @param highQuality the share of samples within {@code 3σ} of any mode
 * @param perMode     the share of samples within {@code 3σ} of each mode
 */
public record ModeCoverage(int modes, double highQuality, double[] perMode) {

    /** The share of all samples near a mode for it to count as covered. */
    public static final double COVERED = 0.01;

    /** The coverage of {@code samples [n, 2]} for modes at {@code centres [k, 2]} of standard deviation {@code sigma}. */
    public static ModeCoverage of(float[] samples, double[] centres, double sigma) {
        if (samples.length % 2 != 0 || samples.length == 0 || centres.length % 2 != 0 || centres.length == 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("need non-empty [n, 2] samples and [k, 2] centres and sigma > 0, got "
                    + samples.length + " and " + centres.length + " coordinates, sigma " + sigma);
        }
        int n = samples.length / 2, k = centres.length / 2;
        double r2 = 9 * sigma * sigma;
        long[] near = new long[k];
        long good = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestD2 = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double dx = samples[2 * i] - centres[2 * c], dy = samples[2 * i + 1] - centres[2 * c + 1], d2 = dx * dx + dy * dy;
                if (d2 < bestD2) {
                    bestD2 = d2;
                    best = c;
                }
            }
            if (bestD2 <= r2) {
                near[best]++;
                good++;
            }
        }
        double[] share = new double[k];
        int covered = 0;
        for (int c = 0; c < k; c++) {
            share[c] = near[c] / (double) n;
            covered += share[c] >= COVERED ? 1 : 0;
        }
        return new ModeCoverage(covered, good / (double) n, share);
    }
}
