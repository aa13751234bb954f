package dev.kiln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabeledDataTest {

    /** n examples of shape {2}, feature values i*10 + j + noise, label i % classes. */
    static LabeledData sample(int n, int classes, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i * 10 + r.nextFloat();
            x[2 * i + 1] = i * 10 + 1 + r.nextFloat();
            y[i] = i % classes;
        }
        return new LabeledData(x, y, new int[] {2}, classes, List.of());
    }

    @Test
    void accessorsAndCopies() {
        float[] x = {1, 2, 3, 4, 5, 6};
        int[] y = {0, 1, 1};
        LabeledData d = new LabeledData(x, y, new int[] {2}, 2, List.of("a", "b"));
        x[0] = 99;
        y[0] = 1;
        assertEquals(3, d.size());
        assertEquals(2, d.featureSize());
        assertEquals(1f, d.feature(0, 0));
        assertEquals(0, d.label(0));
        d.features()[0] = 42;
        d.labels()[0] = 1;
        d.featureShape()[0] = 7;
        assertEquals(1f, d.features()[0]);
        assertEquals(0, d.labels()[0]);
        assertArrayEquals(new int[] {2}, d.featureShape());
        assertEquals(List.of("a", "b"), d.classNames());
        assertArrayEquals(new int[] {1, 2}, d.classCounts());
        float[] dst = new float[5];
        d.copyFeatures(2, dst, 3);
        assertArrayEquals(new float[] {0, 0, 0, 5, 6}, dst);
        assertThrows(IndexOutOfBoundsException.class, () -> d.copyFeatures(2, dst, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> d.label(3));
    }

    @Test
    void emptyClassNamesAreGenerated() {
        LabeledData d = new LabeledData(new float[3], new int[] {0, 2, 1}, new int[] {1}, 3, List.of());
        assertEquals(List.of("0", "1", "2"), d.classNames());
    }

    @Test
    void constructorNamesBadValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[5], new int[] {0, 1}, new int[] {3}, 2, List.of()));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[4], new int[] {0, 7}, new int[] {2}, 3, List.of()));
        assertTrue(e.getMessage().contains("label 7 at index 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[4], new int[] {0, -1}, new int[] {2}, 3, List.of()));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[2], new int[] {0, 0}, new int[] {1}, 2, List.of("only one")));
        assertTrue(e.getMessage().contains("1 entries, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[0], new int[0], new int[] {2, 0}, 2, List.of()));
        assertTrue(e.getMessage().contains("[2, 0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[0], new int[0], new int[] {2}, 0, List.of()));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void subsetKeepsOrderAndAllowsRepeats() {
        LabeledData d = sample(10, 3, 1);
        LabeledData s = d.subset(new int[] {7, 2, 7});
        assertEquals(3, s.size());
        assertEquals(d.feature(7, 1), s.feature(0, 1));
        assertEquals(d.feature(2, 0), s.feature(1, 0));
        assertEquals(d.label(7), s.label(2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> d.subset(new int[] {0, 10}));
        assertTrue(e.getMessage().contains("indices[1] = 10"), e.getMessage());
    }

    @Test
    void splitIsStratifiedDisjointCompleteAndSeeded() {
        LabeledData d = sample(150, 3, 2);
        LabeledData.TrainTest a = d.split(0.8, 42);
        assertEquals(120, a.train().size());
        assertEquals(30, a.test().size());
        assertArrayEquals(new int[] {40, 40, 40}, a.train().classCounts());
        assertArrayEquals(new int[] {10, 10, 10}, a.test().classCounts());
        // every example exactly once (feature 0 identifies the example: i*10 + noise)
        Set<Integer> seen = new HashSet<>();
        for (LabeledData part : List.of(a.train(), a.test())) {
            for (int i = 0; i < part.size(); i++) {
                int id = (int) (part.feature(i, 0) / 10);
                assertTrue(seen.add(id), "duplicate example " + id);
                assertEquals(id % 3, part.label(i));
            }
        }
        assertEquals(150, seen.size());
        LabeledData.TrainTest b = d.split(0.8, 42);
        assertArrayEquals(a.train().features(), b.train().features());
        assertArrayEquals(a.test().labels(), b.test().labels());
        LabeledData.TrainTest c = d.split(0.8, 43);
        assertNotEquals(Arrays.toString(a.test().features()), Arrays.toString(c.test().features()));
        // not sorted by class
        int[] trainLabels = a.train().labels();
        int[] sorted = trainLabels.clone();
        Arrays.sort(sorted);
        assertNotEquals(Arrays.toString(sorted), Arrays.toString(trainLabels));
    }

    @Test
    void splitRoundsToExactTotalWithUnevenClasses() {
        // class sizes 7, 5, 3 → 15 examples; 0.5 → 8 (rounded) in the first part
        int[] y = new int[15];
        for (int i = 0; i < 15; i++) {
            y[i] = i < 7 ? 0 : i < 12 ? 1 : 2;
        }
        LabeledData d = new LabeledData(new float[15], y, new int[] {1}, 3, List.of());
        LabeledData.TrainTest tt = d.split(0.5, 5);
        assertEquals(8, tt.train().size());
        assertEquals(7, tt.test().size());
        int[] c = tt.train().classCounts();
        assertTrue(c[0] >= 3 && c[0] <= 4 && c[1] >= 2 && c[1] <= 3 && c[2] >= 1 && c[2] <= 2,
                Arrays.toString(c));
    }

    @Test
    void splitRejectsBadFraction() {
        LabeledData d = sample(10, 2, 3);
        for (double f : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(f, 1));
            assertTrue(e.getMessage().contains(String.valueOf(f)), e.getMessage());
        }
    }
}
