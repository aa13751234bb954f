package dev.kiln;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The numeric assertions every test uses. A comparison written as {@code if (|a - b| > tol) fail()}
 * passes when {@code a} is NaN (every comparison with NaN is false); these helpers reject NaN and
 * infinity in the actual value unless the expected value is that same NaN or infinity.
 */
public final class Checks {

    /** Default relative tolerance for float32 results against float64 references. */
    public static final double RTOL = 1e-5;
    /** Default absolute tolerance. */
    public static final double ATOL = 1e-5;

    private Checks() {
    }

    /** True when {@code actual} is within {@code atol + rtol·|expected|} of a finite {@code expected}, or is the same non-finite value. */
    public static boolean close(double expected, double actual, double rtol, double atol) {
        if (Double.isNaN(expected)) {
            return Double.isNaN(actual);
        }
        if (Double.isInfinite(expected)) {
            return expected == actual;
        }
        if (!Double.isFinite(actual)) {
            return false;
        }
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    public static void assertClose(double expected, double actual, double tol, String what) {
        if (!close(expected, actual, 0, tol)) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    public static void assertClose(double expected, double actual, String what) {
        if (!close(expected, actual, RTOL, ATOL)) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    public static void assertClose(float[] expected, float[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values but got " + actual.length);
        }
        for (int k = 0; k < expected.length; k++) {
            if (!close(expected[k], actual[k], rtol, atol)) {
                fail(what + ": element " + k + " expected " + expected[k] + " but was " + actual[k]
                        + (expected.length <= 64 ? "\n  expected " + Arrays.toString(expected) + "\n  actual   " + Arrays.toString(actual) : ""));
            }
        }
    }

    public static void assertClose(float[] expected, float[] actual, String what) {
        assertClose(expected, actual, RTOL, ATOL, what);
    }

    /** Shape and values of a FLOAT32 tensor. */
    public static void assertTensor(float[] expected, int[] shape, Tensor actual, String what) {
        assertArrayEquals(shape, actual.shape(), what + ": shape");
        assertClose(expected, actual.toFloatArray(), what);
    }

    public static void assertTensor(float[] expected, int[] shape, Tensor actual, double tol, String what) {
        assertArrayEquals(shape, actual.shape(), what + ": shape");
        assertClose(expected, actual.toFloatArray(), tol, tol, what);
    }

    /** Every value finite (no NaN, no infinity). */
    public static void assertFinite(float[] values, String what) {
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                fail(what + ": element " + k + " is " + values[k]);
            }
        }
    }

    public static void assertFinite(double value, String what) {
        if (!Double.isFinite(value)) {
            fail(what + " is " + value);
        }
    }
}
