package dev.kiln;

import java.util.Arrays;

/** Shape arithmetic shared by tensors and layers: element counts, strides, broadcasting. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a shape (1 for a scalar). */
    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Row-major strides of a contiguous tensor. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            s[k] = acc;
            acc *= shape[k];
        }
        return s;
    }

    /** The broadcast of two shapes (NumPy rules), or an error naming both. */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int k = 0; k < rank; k++) {
            int da = k - (rank - a.length) >= 0 ? a[k - (rank - a.length)] : 1;
            int db = k - (rank - b.length) >= 0 ? b[k - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("Shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast: axis " + k + " has " + da + " vs " + db);
            }
            out[k] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a tensor of shape {@code from} as if broadcast to {@code to} (0 on broadcast axes). */
    public static int[] broadcastStrides(int[] from, int[] to) {
        int[] s = strides(from);
        int[] out = new int[to.length];
        int lead = to.length - from.length;
        for (int k = 0; k < to.length; k++) {
            int f = k - lead;
            out[k] = f < 0 || from[f] == 1 ? 0 : s[f];
        }
        return out;
    }

    /** Normalises a possibly negative axis for a given rank, or an error naming both. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("Axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Product of dims in {@code [from, to)}. */
    public static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int k = from; k < to; k++) {
            p *= shape[k];
        }
        return p;
    }

    /** {@code [2, 3]}-style text. */
    public static String str(int... shape) {
        return Arrays.toString(shape);
    }
}
