package dev.kiln.models.train;

import dev.kiln.Tensor;
import dev.kiln.data.DataLoader;
import dev.kiln.data.text.SequenceWindows;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the {@link Trainer}'s epochs iterate over. */
class StepsTest {

    private static int[] stream(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 1000;
        }
        return t;
    }

    /** Window starts (the first input id of each row, sorted) that the steps of each epoch saw. */
    private static List<List<Integer>> startsPerEpoch(SequenceWindows windows, int epochs) throws Exception {
        DataLoader loader = DataLoader.builder(windows).batchSize(5).shuffle(1).build();
        List<List<Integer>> out = new ArrayList<>();
        TrainStep record = s -> {
            if (out.size() < s.epoch()) {
                out.add(new ArrayList<>());
            }
            float[] x = s.batch().x().toFloatArray();
            for (int r = 0; r < s.batch().size(); r++) {
                out.get(s.epoch() - 1).add((int) x[r * windows.length()]);
            }
            return new Metrics().mean("loss", Tensor.scalar(0f), 1);
        };
        new Trainer(new TrainState(), TrainConfig.of(epochs, "windows", "windows")).fit(Steps.over(loader), record, null);
        out.forEach(l -> l.sort(null));
        return out;
    }

    @Test
    void randomWindowsAreRedrawnEveryEpochAndTheFirstEpochKeepsItsWindows() throws Exception {
        SequenceWindows windows = SequenceWindows.randomOffsets(stream(5000), 8, 20, 3);
        List<List<Integer>> seen = startsPerEpoch(windows, 3);
        assertEquals(3, seen.size());
        assertNotEquals(seen.get(0), seen.get(1), "epoch 2 must train on fresh windows, not epoch 1's reshuffled");
        assertNotEquals(seen.get(1), seen.get(2));

        // Epoch 1 draws the dataset's epoch-0 windows: what a run that never called setEpoch drew, so one-epoch runs keep their numbers.
        SequenceWindows reference = SequenceWindows.randomOffsets(stream(5000), 8, 20, 3);
        List<Integer> epoch0 = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            epoch0.add(reference.start(i) % 1000);
        }
        epoch0.sort(null);
        assertEquals(epoch0, seen.get(0));
    }

    @Test
    void fixedStepsCarryNoBatchAndCountTheirSamples() throws Exception {
        List<Step> calls = new ArrayList<>();
        TrainResult r = new Trainer(new TrainState(), TrainConfig.of(2, "fixed", "fixed").withSyncEvery(2))
                .fit(Steps.fixed(3, 8), s -> {
                    calls.add(s);
                    return new Metrics().ratio("hits", Tensor.scalar(s.index()), 4);
                }, null);
        assertEquals(6, calls.size());
        calls.forEach(s -> assertNull(s.batch()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), calls.stream().map(Step::globalStep).toList());
        assertEquals((1 + 2 + 3) / 12.0, r.history().last().train("hits"), 0.0);
        assertEquals(24, Steps.fixed(3, 8).samplesPerEpoch());
    }
}
