package dev.kiln.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.DType;
import dev.kiln.Tensor;
import dev.kiln.data.Batch;
import dev.kiln.data.DataLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequenceWindowsTest {

    private static int[] iota(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    @Test
    void windowsAndShiftedTargets() {
        SequenceWindows w = SequenceWindows.of(iota(10), 4, 3);
        // starts 0, 3 (5 would need tokens up to index 9+1)
        assertEquals(2, w.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, w.inputs(0));
        assertArrayEquals(new int[] {1, 2, 3, 4}, w.targets(0));
        assertArrayEquals(new int[] {3, 4, 5, 6}, w.inputs(1));
        assertArrayEquals(new int[] {4, 5, 6, 7}, w.targets(1));
        assertArrayEquals(new int[] {4}, w.featureShape());
        assertArrayEquals(new int[] {4}, w.labelShape());
        // exactly fitting: 9 tokens, length 4, stride 4 -> starts 0 and 4 (targets up to index 8)
        SequenceWindows exact = SequenceWindows.of(iota(9), 4);
        assertEquals(2, exact.size());
        assertArrayEquals(new int[] {5, 6, 7, 8}, exact.targets(1));
        assertEquals(1, SequenceWindows.of(iota(5), 4).size());
        assertThrows(IndexOutOfBoundsException.class, () -> w.inputs(2));
    }

    @Test
    void fetchFillsFloatInputsAndIntTargets() {
        int[] tokens = {5, 9, 2, 7, 1, 3, 8};
        SequenceWindows w = SequenceWindows.of(tokens, 3, 2);
        assertEquals(2, w.size());   // starts 0 and 2; start 4 would need a target at index 7
        float[] x = new float[6];
        int[] y = new int[6];
        w.fetch(new int[] {1, 0}, x, y);
        assertArrayEquals(new float[] {2, 7, 1, 5, 9, 2}, x);
        assertArrayEquals(new int[] {7, 1, 3, 9, 2, 7}, y);
        int[] in = new int[6];
        int[] out = new int[6];
        w.fetchIds(new int[] {1, 0}, in, out);
        assertArrayEquals(new int[] {2, 7, 1, 5, 9, 2}, in);
        assertArrayEquals(y, out);
        assertThrows(IndexOutOfBoundsException.class, () -> w.fetch(new int[] {0, 1}, new float[5], new int[6]));
        assertThrows(IndexOutOfBoundsException.class, () -> w.fetch(new int[] {2}, new float[3], new int[3]));
    }

    @Test
    void dataLoaderBatchesWithSeededShuffling() {
        int[] tokens = CharVocab.build("abcdefghij", false).encode("abcdefghijabcdefghijabcdefghij");
        SequenceWindows w = SequenceWindows.of(tokens, 5, 5);
        assertEquals(5, w.size());
        DataLoader loader = DataLoader.builder(w).batchSize(2).shuffle(7).dropLast(true).build();
        List<Integer> firstColumn = new ArrayList<>();
        for (Batch b : loader.epoch(0)) {
            assertArrayEquals(new int[] {2, 5}, b.x().shape());
            assertEquals(DType.FLOAT32, b.x().dtype());
            assertEquals(DType.INT32, b.y().dtype());
            Tensor ids = SequenceWindows.inputIds(b);
            assertEquals(DType.INT32, ids.dtype());
            long[] in = ids.toLongArray();
            long[] tg = b.y().toLongArray();
            for (int r = 0; r < 2; r++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(in[r * 5 + j + 1], tg[r * 5 + j], "target j is input j+1");
                }
                assertEquals((in[r * 5 + 4] + 1) % 10, tg[r * 5 + 4]);
                firstColumn.add((int) in[r * 5]);
            }
        }
        assertEquals(4, firstColumn.size());
        // same seed, same epoch -> same batches
        DataLoader again = DataLoader.builder(w).batchSize(2).shuffle(7).dropLast(true).build();
        assertArrayEquals(loader.order(0), again.order(0));
        assertFalse(Arrays.equals(loader.order(0), loader.order(1)) && Arrays.equals(loader.order(1), loader.order(2)));
    }

    @Test
    void randomOffsetsAreReproducibleAndRedrawnPerEpoch() {
        int[] tokens = iota(1000);
        SequenceWindows a = SequenceWindows.randomOffsets(tokens, 16, 50, 42);
        SequenceWindows b = SequenceWindows.randomOffsets(tokens, 16, 50, 42);
        assertTrue(a.isRandom());
        assertEquals(50, a.size());
        Set<Integer> starts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int s = a.start(i);
            assertEquals(s, b.start(i));
            assertTrue(s >= 0 && s + 16 + 1 <= 1000, "window and target inside the stream");
            assertArrayEquals(Arrays.copyOfRange(tokens, s + 1, s + 17), a.targets(i));
            starts.add(s);
        }
        assertTrue(starts.size() > 40, "offsets are spread out: " + starts.size());
        int[] epoch0 = new int[50];
        for (int i = 0; i < 50; i++) {
            epoch0[i] = a.start(i);
        }
        a.setEpoch(1);
        int same = 0;
        for (int i = 0; i < 50; i++) {
            same += a.start(i) == epoch0[i] ? 1 : 0;
        }
        assertTrue(same < 5, "epoch 1 draws new offsets");
        a.setEpoch(0);
        assertEquals(epoch0[7], a.start(7));
        // the last possible start is reachable for a tiny stream
        SequenceWindows tiny = SequenceWindows.randomOffsets(iota(6), 4, 200, 1);
        Set<Integer> tinyStarts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            tinyStarts.add(tiny.start(i));
        }
        assertEquals(Set.of(0, 1), tinyStarts);
    }

    @Test
    void badArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SequenceWindows.of(iota(4), 4));
        assertTrue(e.getMessage().contains("needs at least 5 tokens, the stream has 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SequenceWindows.of(new int[] {1, -2, 3}, 1));
        assertTrue(e.getMessage().contains("token id -2 at position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceWindows.of(iota(10), 0));
        assertThrows(IllegalArgumentException.class, () -> SequenceWindows.of(iota(10), 2, 0));
        assertThrows(IllegalArgumentException.class, () -> SequenceWindows.randomOffsets(iota(10), 2, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> SequenceWindows.of(new int[] {SequenceWindows.MAX_TOKEN_ID, 0}, 1));
    }
}
