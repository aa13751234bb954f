package dev.kiln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void fitsMeanAndPopulationStd() {
        // column 0: 1,2,3,4 → mean 2.5, std sqrt(1.25); column 1 constant 7 → std reported as 1
        float[] x = {1, 7, 2, 7, 3, 7, 4, 7};
        Standardizer s = Standardizer.fit(x, 4, 2);
        assertArrayEquals(new float[] {2.5f, 7f}, s.mean(), 1e-6f);
        assertArrayEquals(new float[] {(float) Math.sqrt(1.25), 1f}, s.std(), 1e-6f);
        float[] y = s.apply(x);
        assertEquals(1f, x[0]); // input untouched
        assertEquals((1 - 2.5f) / (float) Math.sqrt(1.25), y[0], 1e-6f);
        assertEquals(0f, y[1]);
    }

    @Test
    void appliesTrainStatisticsToOtherData() {
        LabeledData.TrainTest tt = LabeledDataTest.sample(200, 4, 9).split(0.75, 1);
        Standardizer s = Standardizer.fit(tt.train());
        LabeledData train = s.apply(tt.train());
        LabeledData test = s.apply(tt.test());
        for (int j = 0; j < 2; j++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < train.size(); i++) {
                sum += train.feature(i, j);
                sq += train.feature(i, j) * train.feature(i, j);
            }
            double mean = sum / train.size();
            assertEquals(0, mean, 1e-4);
            assertEquals(1, sq / train.size() - mean * mean, 1e-3);
            // the test part uses the train statistics, not its own
            assertEquals((tt.test().feature(0, j) - s.mean()[j]) / s.std()[j], test.feature(0, j), 1e-5);
        }
        assertArrayEquals(tt.test().labels(), test.labels());
        assertEquals(tt.test().classNames(), test.classNames());
    }

    @Test
    void rejectsMismatchedShapes() {
        Standardizer s = Standardizer.fit(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.apply(new float[] {1, 2, 3, 4}));
        assertTrue(e.getMessage().contains("4 values") && e.getMessage().contains("3 features"), e.getMessage());
        LabeledData two = new LabeledData(new float[4], new int[] {0, 0}, new int[] {2}, 1, List.of());
        e = assertThrows(IllegalArgumentException.class, () -> s.apply(two));
        assertTrue(e.getMessage().contains("2 features") && e.getMessage().contains("fitted on 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("2 x 3 = 6"), e.getMessage());
        LabeledData empty = new LabeledData(new float[0], new int[0], new int[] {2}, 1, List.of());
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(empty));
    }
}
