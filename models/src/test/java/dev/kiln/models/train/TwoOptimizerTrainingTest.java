package dev.kiln.models.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Trainer} hosts a model that is not a classifier: a GAN with two modules, two
 * optimizers, two schedules and two random streams in alternating steps. Killed in the middle of
 * an epoch and resumed from the last checkpoint, it computes bit for bit what the uninterrupted
 * run computed, step by step and epoch by epoch.
 */
class TwoOptimizerTrainingTest {

    static final int EPOCHS = 4;

    @Test
    void aGanTrainsAndItsHistoryHasOneColumnPerMetric(@TempDir Path dir) throws Exception {
        ToyGan gan = ToyGan.create(EPOCHS, 5);
        TrainResult r = gan.fit(gan.trainer(EPOCHS, dir, false));
        assertEquals(EPOCHS, r.history().size());
        assertEquals(List.of("train_d_loss", "train_g_loss", "train_fake_mean", "test_fake_mean", "test_fake_std", "lr_g", "lr_d",
                "seconds", "samples_per_second"), r.history().columns());
        assertEquals(Files.readString(dir.resolve("history.csv")).lines().findFirst().orElseThrow(),
                "epoch," + String.join(",", r.history().columns()));
        // Generated samples moved from around 0 towards the data's mean of 3.
        assertTrue(r.test("fake_mean") > 1.5, "mean of generated samples " + r.test("fake_mean"));
        assertTrue(Files.size(dir.resolve("curves.png")) > 1000);
        Checkpoint c = Checkpoint.load(Trainer.checkpointPath(dir));
        assertEquals(List.of("generator", "discriminator"), List.copyOf(c.modules().keySet()));
        assertEquals(List.of("g", "d"), List.copyOf(c.optimizers().keySet()));
        assertEquals((long) EPOCHS * gan.steps().perEpoch(), c.steps());
        assertEquals(EPOCHS * gan.steps().perEpoch(), c.schedulers().get("d"));
    }

    @Test
    void killedMidEpochAndResumedItMatchesTheUninterruptedRunBitForBit(@TempDir Path dir) throws Exception {
        List<StepRecord> fullSteps = new ArrayList<>();
        ToyGan full = ToyGan.create(EPOCHS, 7);
        History fullHistory = full.fit(full.trainer(EPOCHS, dir.resolve("full"), false).onStep(fullSteps::add)).history();
        assertEquals(EPOCHS * full.steps().perEpoch(), fullSteps.size());

        // Run to the middle of epoch 3, then "kill" it: the checkpoint of epoch 2 is what remains.
        Path out = dir.resolve("killed");
        List<StepRecord> killedSteps = new ArrayList<>();
        ToyGan killed = ToyGan.create(EPOCHS, 7);
        Trainer dying = killed.trainer(EPOCHS, out, false).onStep(s -> {
            if (s.epoch() == 3 && s.index() == 6) {
                throw new IllegalStateException("killed");
            }
            killedSteps.add(s);
        });
        assertThrows(IllegalStateException.class, () -> killed.fit(dying));
        assertEquals(2, Checkpoint.load(Trainer.checkpointPath(out)).epoch());
        int perEpoch = full.steps().perEpoch();
        assertEquals(2 * perEpoch + 5, killedSteps.size());
        assertEquals(fullSteps.subList(0, killedSteps.size()), killedSteps, "steps before the kill");

        // A fresh process: new objects, resumed from the checkpoint.
        List<StepRecord> resumedSteps = new ArrayList<>();
        ToyGan again = ToyGan.create(EPOCHS, 7);
        TrainResult resumed = again.fit(again.trainer(EPOCHS, out, true).onStep(resumedSteps::add));
        assertEquals(2, resumed.epochsRun());
        assertEquals(fullSteps.subList(2 * perEpoch, fullSteps.size()), resumedSteps, "steps after the resume");
        assertEquals(EPOCHS, resumed.history().size());
        for (int k = 0; k < EPOCHS; k++) {
            assertEquals(fullHistory.epochs().get(k).reproducible(), resumed.history().epochs().get(k).reproducible(),
                    "epoch " + (k + 1));
        }
        Checkpoint a = Checkpoint.load(Trainer.checkpointPath(dir.resolve("full")));
        Checkpoint b = Checkpoint.load(Trainer.checkpointPath(out));
        assertEquals(a.random(), b.random());
        assertEquals(a.schedulers(), b.schedulers());
        for (String m : a.modules().keySet()) {
            a.module(m).forEach((k, t) -> assertEquals(java.util.Arrays.toString(t.toFloatArray()),
                    java.util.Arrays.toString(b.module(m).get(k).toFloatArray()), m + "." + k));
        }
    }
}
