package dev.kiln.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.DType;
import dev.kiln.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** n examples of shape {2, 3}; every feature of example i encodes i (i + j/10 + noise), label i % 5. */
    static LabeledData numbered(int n) {
        Random r = new Random(17);
        float[] x = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = i + j / 10f + r.nextFloat() / 100f;
            }
            y[i] = i % 5;
        }
        return new LabeledData(x, y, new int[] {2, 3}, 5, List.of());
    }

    /** The example ids in a batch, read back from the features, checked against the labels. */
    static int[] ids(Batch b, LabeledData source) {
        float[] x = b.x().toFloatArray();
        long[] y = b.y().toLongArray();
        int[] ids = new int[b.size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = (int) Math.floor(x[k * 6]);
            assertEquals(source.label(ids[k]), y[k], "label of example " + ids[k]);
            float[] expected = new float[6];
            source.copyFeatures(ids[k], expected, 0);
            assertArrayEquals(expected, Arrays.copyOfRange(x, k * 6, k * 6 + 6));
        }
        return ids;
    }

    static List<int[]> epochIds(Iterable<Batch> epoch, LabeledData source) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : epoch) {
            out.add(ids(b, source));
        }
        return out;
    }

    static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void sequentialBatchesWithPartialLastBatch() {
        LabeledData d = numbered(10);
        DataLoader loader = DataLoader.builder(d).batchSize(4).build();
        assertEquals(3, loader.numBatches());
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {4, 2, 3}, batches.get(0).x().shape());
        assertArrayEquals(new int[] {4}, batches.get(0).y().shape());
        assertEquals(DType.FLOAT32, batches.get(0).x().dtype());
        assertEquals(DType.INT32, batches.get(0).y().dtype());
        assertArrayEquals(new int[] {2, 2, 3}, batches.get(2).x().shape());
        assertEquals(2, batches.get(2).size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, ids(batches.get(0), d));
        assertArrayEquals(new int[] {4, 5, 6, 7}, ids(batches.get(1), d));
        assertArrayEquals(new int[] {8, 9}, ids(batches.get(2), d));
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        LabeledData d = numbered(10);
        DataLoader loader = DataLoader.builder(d).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.numBatches());
        List<int[]> epoch = epochIds(loader, d);
        assertEquals(2, epoch.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, flatten(epoch));
        // exact multiple: nothing dropped
        DataLoader exact = DataLoader.builder(numbered(8)).batchSize(4).dropLast(true).build();
        assertEquals(2, exact.numBatches());
        // fewer examples than one batch: no batch at all with dropLast, one small batch without
        assertFalse(DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build().iterator().hasNext());
        assertEquals(1, DataLoader.builder(numbered(3)).batchSize(4).build().numBatches());
    }

    @Test
    void shuffledEpochIsAPermutationAndDeterministicBySeed() {
        LabeledData d = numbered(23);
        DataLoader a = DataLoader.shuffled(d, 5, 42);
        DataLoader b = DataLoader.shuffled(d, 5, 42);
        List<int[]> a0 = epochIds(a, d);
        List<int[]> a1 = epochIds(a, d);
        List<int[]> b0 = epochIds(b, d);
        List<int[]> b1 = epochIds(b, d);
        assertEquals(5, a0.size());
        assertEquals(3, a0.get(4).length);
        int[] flat = flatten(a0);
        int[] sorted = flat.clone();
        Arrays.sort(sorted);
        int[] all = new int[23];
        Arrays.setAll(all, i -> i);
        assertArrayEquals(all, sorted, "every example exactly once per epoch");
        assertNotEquals(Arrays.toString(all), Arrays.toString(flat), "shuffled");
        // same seed → same epochs; the next epoch differs from the first
        assertArrayEquals(flat, flatten(b0));
        assertArrayEquals(flatten(a1), flatten(b1));
        assertNotEquals(Arrays.toString(flat), Arrays.toString(flatten(a1)));
        // another seed → another order
        List<int[]> c0 = epochIds(DataLoader.shuffled(d, 5, 43), d);
        assertNotEquals(Arrays.toString(flat), Arrays.toString(flatten(c0)));
        // order(e) and epoch(e) agree with iteration and do not move the counter
        assertArrayEquals(flat, a.order(0));
        assertEquals(2, a.nextEpoch());
        assertArrayEquals(flatten(a1), flatten(epochIds(a.epoch(1), d)));
        assertEquals(2, a.nextEpoch());
        a.setNextEpoch(0);
        assertArrayEquals(flat, flatten(epochIds(a, d)));
    }

    @Test
    void shuffledDropLastUsesAPrefixOfTheEpochOrder() {
        LabeledData d = numbered(11);
        DataLoader loader = DataLoader.builder(d).batchSize(3).shuffle(5).dropLast(true).build();
        int[] order = loader.order(0);
        List<int[]> epoch = epochIds(loader, d);
        assertEquals(3, epoch.size());
        assertArrayEquals(Arrays.copyOf(order, 9), flatten(epoch));
    }

    @Test
    void iteratorContract() {
        Iterator<Batch> it = DataLoader.builder(numbered(2)).batchSize(2).build().iterator();
        assertTrue(it.hasNext());
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void tensorDatasetWithMultiDimensionalTargets() {
        // 5 sequences of length 3: x = ids as floats, y = next ids (a language-model layout)
        float[] x = new float[15];
        int[] y = new int[15];
        for (int i = 0; i < 15; i++) {
            x[i] = i;
            y[i] = i + 1;
        }
        TensorDataset ds = new TensorDataset(Tensor.fromArray(x, 5, 3), Tensor.fromIndices(y, 5, 3));
        assertEquals(5, ds.size());
        assertArrayEquals(new int[] {3}, ds.featureShape());
        assertArrayEquals(new int[] {3}, ds.labelShape());
        List<Batch> batches = new ArrayList<>();
        DataLoader.builder(ds).batchSize(2).build().forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {2, 3}, batches.get(0).y().shape());
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, batches.get(1).x().toFloatArray());
        assertArrayEquals(new long[] {7, 8, 9, 10, 11, 12}, batches.get(1).y().toLongArray());
        assertArrayEquals(new int[] {1, 3}, batches.get(2).x().shape());
    }

    @Test
    void tensorDatasetFromArraysAndLabeledDataAgree() {
        LabeledData d = numbered(7);
        TensorDataset t = new TensorDataset(d.features(), d.featureShape(), d.labels(), new int[0]);
        assertEquals(7, t.size());
        assertEquals(1, t.labelSize());
        float[] x1 = new float[12];
        int[] y1 = new int[2];
        float[] x2 = new float[12];
        int[] y2 = new int[2];
        d.fetch(new int[] {6, 1}, x1, y1);
        t.fetch(new int[] {6, 1}, x2, y2);
        assertArrayEquals(x1, x2);
        assertArrayEquals(new int[] {1, 1}, y1);
        assertArrayEquals(y1, y2);
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(numbered(3)).batchSize(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(
                Tensor.fromArray(new float[6], 3, 2), Tensor.fromIndices(new int[] {0, 1}, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(
                Tensor.fromArray(new float[2], 2), Tensor.fromArray(new float[2], 2)));
        assertTrue(e.getMessage().contains("FLOAT32"), e.getMessage());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> numbered(3).fetch(new int[] {0, 3}, new float[12], new int[2]));
        assertTrue(oob.getMessage().contains("indices[1] = 3"), oob.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.shuffled(numbered(3), 1, 1).order(-1));
    }

    @Test
    void irisThroughTheLoader() {
        LabeledData.TrainTest tt = Iris.standardizedTrainTestSplit(1);
        DataLoader loader = DataLoader.builder(tt.train()).batchSize(32).shuffle(1).build();
        int seen = 0;
        int[] counts = new int[3];
        for (Batch b : loader) {
            assertEquals(4, b.x().size(1));
            seen += b.size();
            for (long label : b.y().toLongArray()) {
                counts[(int) label]++;
            }
        }
        assertEquals(120, seen);
        assertArrayEquals(new int[] {40, 40, 40}, counts);
    }
}
