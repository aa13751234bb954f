package dev.kiln.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The error function behind the exact GELU ({@link UnaryOp#GELU_ERF}) against tabulated values. */
class ErfTest {

    @Test
    void matchesTabulatedValuesOnBothBranchesAndTheTails() {
        double[][] table = {
            {0.0, 0.0},
            {0.1, 0.1124629160182849},
            {0.5, 0.5204998778130465},
            {1.0, 0.8427007929497149},
            {1.5, 0.9661051464753108},
            {1.99, 0.995111413199617},
            {2.0, 0.9953222650189527},
            {2.9, 0.9999589021219005},
            {3.0, 0.9999779095030014},
            {3.5, 0.9999992569016276},
            {5.0, 0.9999999999984626},
            {-0.7, -0.6778011938374184},
            {-4.0, -0.9999999845827421},
        };
        for (double[] row : table) {
            double got = UnaryOp.erf(row[0]);
            assertEquals(row[1], got, 2e-15, "erf(" + row[0] + ")");
        }
        assertEquals(1.0, UnaryOp.erf(40), 0.0);
        assertEquals(-1.0, UnaryOp.erf(Double.NEGATIVE_INFINITY), 0.0);
        assertTrue(Double.isNaN(UnaryOp.erf(Double.NaN)));
        // continuity where the series hands over to the continued fraction
        assertEquals(UnaryOp.erf(Math.nextDown(2.0)), UnaryOp.erf(2.0), 1e-15);
    }
}
