package dev.kiln.models.imagegen;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors,
 * {@code |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2·(Σ₁^½ Σ₂ Σ₁^½)^½)} (the squared 2-Wasserstein distance of the
 * Gaussians). The matrix square roots come from symmetric eigendecompositions
 * ({@link #symmetricEigen}, cyclic Jacobi rotations in double precision): {@code Σ₁^½ = V·√Λ·Vᵀ}
 * with negative round-off eigenvalues clamped to zero, then the trace of the square root of the
 * symmetric positive semi-definite {@code Σ₁^½ Σ₂ Σ₁^½} is the sum of the square roots of its
 * eigenvalues. No non-symmetric square root is ever taken, so there is no complex round-off to
 * discard.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** The mean and (biased, 1/n) covariance of {@code n} feature rows of width {@code d}. */
    public record Gaussian(double[] mean, double[][] cov) {
        public int dim() {
            return mean.length;
        }
    }

    /** Fits the Gaussian of {@code rows} ({@code [n][d]}, n ≥ 2). */
    public static Gaussian fit(double[][] rows) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 feature rows to fit a Gaussian, got " + n);
        }
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] r : rows) {
            if (r.length != d) {
                throw new IllegalArgumentException("feature rows of different widths: " + d + " and " + r.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                c[j] = r[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                if (c[a] == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += c[a] * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n;
                cov[b][a] = cov[a][b];
            }
        }
        return new Gaussian(mean, cov);
    }

    /** The Fréchet distance of the two Gaussians. */
    public static double distance(Gaussian g1, Gaussian g2) {
        int d = g1.dim();
        if (g2.dim() != d) {
            throw new IllegalArgumentException("Gaussians of different dimensions: " + d + " and " + g2.dim());
        }
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double t = g1.mean()[j] - g2.mean()[j];
            meanTerm += t * t;
        }
        double[][] s1 = sqrtPsd(g1.cov());
        double[][] m = multiply(multiply(s1, g2.cov()), s1);
        symmetrize(m);
        double[] lambda = symmetricEigen(m, null);
        double traceSqrt = 0;
        for (double l : lambda) {
            traceSqrt += Math.sqrt(Math.max(0, l));
        }
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += g1.cov()[j][j] + g2.cov()[j][j];
        }
        return meanTerm + trace - 2 * traceSqrt;
    }

    /** The Fréchet distance of the Gaussians fitted to two sets of feature rows. */
    public static double distance(double[][] a, double[][] b) {
        return distance(fit(a), fit(b));
    }

    /** The symmetric square root {@code V·√max(Λ, 0)·Vᵀ} of a symmetric positive semi-definite matrix. */
    public static double[][] sqrtPsd(double[][] a) {
        int d = a.length;
        double[][] v = new double[d][d];
        double[] lambda = symmetricEigen(a, v);
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += v[i][k] * Math.sqrt(Math.max(0, lambda[k])) * v[j][k];
                }
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }

    /**
     * The eigenvalues of the symmetric matrix {@code a} (not modified) by cyclic Jacobi rotations,
     * sweeping until the off-diagonal mass is below {@code 1e-22} of the total (at most 100
     * sweeps); with {@code vectors} non-null ({@code [d][d]}) the eigenvectors are written into
     * its columns, so {@code a = V·diag(λ)·Vᵀ}.
     *
     * @throws IllegalArgumentException if {@code a} is not square and symmetric (to 1e-9 relative)
     */
    public static double[] symmetricEigen(double[][] a, double[][] vectors) {
        int d = a.length;
        double[][] m = new double[d][];
        double scale = 0;
        for (int i = 0; i < d; i++) {
            if (a[i].length != d) {
                throw new IllegalArgumentException("not a square matrix: row " + i + " has " + a[i].length + " entries, expected " + d);
            }
            m[i] = a[i].clone();
            for (double x : a[i]) {
                scale = Math.max(scale, Math.abs(x));
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException("not a symmetric matrix: a[" + i + "][" + j + "] = " + a[i][j]
                            + " but a[" + j + "][" + i + "] = " + a[j][i]);
                }
            }
        }
        double[][] v = vectors;
        if (v != null) {
            for (int i = 0; i < d; i++) {
                java.util.Arrays.fill(v[i], 0);
                v[i][i] = 1;
            }
        }
        double total = 0;
        for (double[] row : m) {
            for (double x : row) {
                total += x * x;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off <= 1e-22 * total || off == 0) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = m[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    // The rotation that zeroes m[p][q] (Golub & Van Loan, algorithm 8.5.1 / Numerical Recipes' jacobi).
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++) {
                        double mkp = m[k][p], mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < d; k++) {
                        double mpk = m[p][k], mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    if (v != null) {
                        for (int k = 0; k < d; k++) {
                            double vkp = v[k][p], vkq = v[k][q];
                            v[k][p] = c * vkp - s * vkq;
                            v[k][q] = s * vkp + c * vkq;
                        }
                    }
                }
            }
        }
        double[] lambda = new double[d];
        for (int i = 0; i < d; i++) {
            lambda[i] = m[i][i];
        }
        return lambda;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double x = a[i][l];
                if (x == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    out[i][j] += x * b[l][j];
                }
            }
        }
        return out;
    }

    private static void symmetrize(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = i + 1; j < m.length; j++) {
                double s = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = s;
                m[j][i] = s;
            }
        }
    }
}
