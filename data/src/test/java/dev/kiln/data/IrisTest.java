package dev.kiln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IrisTest {

    @Test
    void loads150RowsOf4FeaturesIn3BalancedClasses() {
        LabeledData iris = Iris.load();
        assertEquals(150, iris.size());
        assertArrayEquals(new int[] {4}, iris.featureShape());
        assertEquals(3, iris.numClasses());
        assertEquals(Iris.CLASS_NAMES, iris.classNames());
        assertArrayEquals(new int[] {50, 50, 50}, iris.classCounts());
        // first and last rows of the published table
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, row(iris, 0));
        assertEquals(0, iris.label(0));
        assertArrayEquals(new float[] {5.9f, 3.0f, 5.1f, 1.8f}, row(iris, 149));
        assertEquals(2, iris.label(149));
        // column means of the full table (Fisher 1936): 5.843, 3.057, 3.758, 1.199
        float[] x = iris.features();
        double[] mean = new double[4];
        for (int i = 0; i < 150; i++) {
            for (int j = 0; j < 4; j++) {
                mean[j] += x[4 * i + j] / 150.0;
            }
        }
        assertArrayEquals(new double[] {5.8433, 3.0573, 3.7580, 1.1993}, mean, 1e-3);
    }

    @Test
    void standardTrainTestSplitIs120To30Stratified() {
        LabeledData.TrainTest tt = Iris.trainTestSplit(7);
        assertEquals(120, tt.train().size());
        assertEquals(30, tt.test().size());
        assertArrayEquals(new int[] {40, 40, 40}, tt.train().classCounts());
        assertArrayEquals(new int[] {10, 10, 10}, tt.test().classCounts());
        assertArrayEquals(tt.test().features(), Iris.trainTestSplit(7).test().features());
    }

    @Test
    void standardizedSplitUsesTrainingStatistics() {
        LabeledData.TrainTest raw = Iris.trainTestSplit(3);
        LabeledData.TrainTest std = Iris.standardizedTrainTestSplit(3);
        Standardizer s = Standardizer.fit(raw.train());
        assertArrayEquals(s.apply(raw.test()).features(), std.test().features(), 1e-6f);
        double sum = 0;
        for (int i = 0; i < std.train().size(); i++) {
            sum += std.train().feature(i, 2);
        }
        assertEquals(0, sum / std.train().size(), 1e-5);
        assertTrue(std.test().size() == 30);
    }

    private static float[] row(LabeledData d, int i) {
        float[] r = new float[d.featureSize()];
        d.copyFeatures(i, r, 0);
        return r;
    }
}
