package dev.kiln.models.imagegen;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fréchet distance and its symmetric eigensolver: eigenpairs of known matrices, A = V·Λ·Vᵀ on
 * random symmetric matrices, closed forms for 1-D and commuting (diagonal) covariances, and a
 * non-commuting 2-D case worked by hand.
 */
class FrechetDistanceTest {

    @Test
    void eigenvaluesOfKnownMatrices() {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3.
        double[] l = FrechetDistance.symmetricEigen(new double[][] {{2, 1}, {1, 2}}, null);
        Arrays.sort(l);
        assertEquals(1, l[0], 1e-12);
        assertEquals(3, l[1], 1e-12);
        // The 3×3 tridiagonal [2 -1 0; -1 2 -1; 0 -1 2]: 2 − √2, 2, 2 + √2.
        l = FrechetDistance.symmetricEigen(new double[][] {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}}, null);
        Arrays.sort(l);
        assertEquals(2 - Math.sqrt(2), l[0], 1e-12);
        assertEquals(2, l[1], 1e-12);
        assertEquals(2 + Math.sqrt(2), l[2], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.symmetricEigen(new double[][] {{1, 2}, {0, 1}}, null));
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.symmetricEigen(new double[][] {{1, 2}, {2}}, null));
    }

    @Test
    void eigendecompositionRebuildsRandomSymmetricMatrices() {
        SplittableRandom r = new SplittableRandom(7);
        for (int d : new int[] {1, 2, 5, 17, 40}) {
            double[][] a = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    a[i][j] = a[j][i] = r.nextDouble(-1, 1);
                }
            }
            double[][] v = new double[d][d];
            double[] l = FrechetDistance.symmetricEigen(a, v);
            double trace = 0, sum = 0;
            for (int i = 0; i < d; i++) {
                trace += a[i][i];
                sum += l[i];
                for (int j = 0; j < d; j++) {
                    double back = 0, orth = 0;
                    for (int k = 0; k < d; k++) {
                        back += v[i][k] * l[k] * v[j][k];
                        orth += v[k][i] * v[k][j];
                    }
                    assertEquals(a[i][j], back, 1e-10, "V·Λ·Vᵀ at " + i + "," + j + " for d = " + d);
                    assertEquals(i == j ? 1 : 0, orth, 1e-10, "VᵀV at " + i + "," + j + " for d = " + d);
                }
            }
            assertEquals(trace, sum, 1e-10, "the eigenvalues sum to the trace");
            // The square root of AᵀA (positive semi-definite) squares back to AᵀA.
            double[][] psd = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int k = 0; k < d; k++) {
                        psd[i][j] += a[k][i] * a[k][j];
                    }
                }
            }
            double[][] s = FrechetDistance.sqrtPsd(psd);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double sq = 0;
                    for (int k = 0; k < d; k++) {
                        sq += s[i][k] * s[k][j];
                    }
                    assertEquals(psd[i][j], sq, 1e-9, "√M·√M at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void closedForms() {
        // 1-D: (μ₁ − μ₂)² + (σ₁ − σ₂)².
        var g1 = new FrechetDistance.Gaussian(new double[] {1}, new double[][] {{4}});
        var g2 = new FrechetDistance.Gaussian(new double[] {-2}, new double[][] {{9}});
        assertEquals(9 + 1, FrechetDistance.distance(g1, g2), 1e-12);
        // Diagonal covariances commute: |Δμ|² + Σ (√a − √b)².
        var d1 = new FrechetDistance.Gaussian(new double[] {0, 0, 1}, new double[][] {{1, 0, 0}, {0, 4, 0}, {0, 0, 0.25}});
        var d2 = new FrechetDistance.Gaussian(new double[] {1, 1, 1}, new double[][] {{9, 0, 0}, {0, 1, 0}, {0, 0, 0.25}});
        assertEquals(2 + 4 + 1 + 0, FrechetDistance.distance(d1, d2), 1e-12);
        assertEquals(0, FrechetDistance.distance(d1, d1), 1e-12);
        // Non-commuting 2-D case by hand: Σ₁ = I, Σ₂ = [[2, 1], [1, 2]]: tr(I + Σ₂ − 2·Σ₂^½) = 2 + 4 − 2·(1 + √3).
        var i2 = new FrechetDistance.Gaussian(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}});
        var s2 = new FrechetDistance.Gaussian(new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}});
        assertEquals(6 - 2 * (1 + Math.sqrt(3)), FrechetDistance.distance(i2, s2), 1e-12);
        assertEquals(FrechetDistance.distance(i2, s2), FrechetDistance.distance(s2, i2), 1e-12, "symmetric in its arguments");
    }

    @Test
    void fittedSamplesOfOneDistributionAreCloseAndOfAShiftedOneFar() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] a = new double[4000][6], b = new double[4000][6], c = new double[4000][6];
        for (int i = 0; i < 4000; i++) {
            for (int j = 0; j < 6; j++) {
                a[i][j] = gauss(r) * (j + 1);
                b[i][j] = gauss(r) * (j + 1);
                c[i][j] = gauss(r) * (j + 1) + (j == 0 ? 3 : 0);
            }
        }
        double same = FrechetDistance.distance(a, b), shifted = FrechetDistance.distance(a, c);
        assertTrue(same < 0.3, "two samples of one Gaussian: " + same);
        assertEquals(9, shifted, 1, "a mean shifted by 3 in one coordinate: " + shifted);
        var fit = FrechetDistance.fit(new double[][] {{1, 2}, {3, 6}});
        assertEquals(2, fit.mean()[0], 0);
        assertEquals(4, fit.mean()[1], 0);
        assertEquals(1, fit.cov()[0][0], 0);
        assertEquals(2, fit.cov()[0][1], 0);
        assertEquals(4, fit.cov()[1][1], 0);
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.fit(new double[][] {{1}}));
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
