package dev.kiln.models.ddpm;

import java.util.Arrays;

/**
 * The sliced Wasserstein-1 distance between two 2-D point sets: the mean, over {@code k} directions
 * evenly spaced on the half circle, of the 1-D Wasserstein-1 distance between the projections
 * (the mean absolute difference of matched quantiles of the sorted projections; sets of different
 * sizes are compared at {@code max(n, m)} quantiles). Zero for identical sets; in the data's units.
 */
public final class SlicedWasserstein {

    private SlicedWasserstein() {
    }

    public static double distance(float[] a, float[] b, int directions) {
        if (a.length % 2 != 0 || b.length % 2 != 0 || a.length == 0 || b.length == 0 || directions < 1) {
            throw new IllegalArgumentException("need non-empty [n, 2] point sets and at least one direction");
        }
        int n = a.length / 2, m = b.length / 2, q = Math.max(n, m);
        double total = 0;
        double[] pa = new double[n], pb = new double[m];
        for (int d = 0; d < directions; d++) {
            double th = Math.PI * (d + 0.5) / directions, c = Math.cos(th), s = Math.sin(th);
            for (int i = 0; i < n; i++) {
                pa[i] = c * a[2 * i] + s * a[2 * i + 1];
            }
            for (int i = 0; i < m; i++) {
                pb[i] = c * b[2 * i] + s * b[2 * i + 1];
            }
            Arrays.sort(pa);
            Arrays.sort(pb);
            double sum = 0;
            for (int i = 0; i < q; i++) {
                sum += Math.abs(pa[(int) ((long) i * n / q)] - pb[(int) ((long) i * m / q)]);
            }
            total += sum / q;
        }
        return total / directions;
    }
}
