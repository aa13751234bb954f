package dev.kiln.models.train;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Linear;
import dev.kiln.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A NaN or infinite step metric stops training naming the exact step and metric; the last good checkpoint stays. */
class DivergenceTest {

    @Test
    void theFirstBadStepAndMetricAreNamed(@TempDir Path dir) throws Exception {
        Linear m = new Linear(1, 1, new Generator(1));
        SGD opt = new SGD(m.parameters(), 0.1f);
        TrainState state = new TrainState().module("critic", m).optimizer("critic", opt);
        // 7 steps an epoch, read every 3: epoch 2's step 5 is the first bad one, in the middle of a window.
        TrainStep step = s -> {
            float bad = s.epoch() == 2 && s.index() >= 5 ? Float.NaN : 1f;
            float inf = s.epoch() == 2 && s.index() >= 6 ? Float.POSITIVE_INFINITY : 0.5f;
            return new Metrics().mean("loss", Tensor.scalar(1f), 1).mean("critic_loss", Tensor.scalar(bad), 1)
                    .mean("gap", Tensor.scalar(inf), 1);
        };
        Trainer t = new Trainer(state, TrainConfig.of(3, "nan", "nan").withOutDir(dir, false).withSyncEvery(3));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(Steps.fixed(7, 4), step, null));
        assertEquals(2, e.epoch());
        assertEquals(5, e.step());
        assertEquals("critic_loss", e.metric());
        assertTrue(Float.isNaN(e.value()));
        assertTrue(e.getMessage().startsWith("Training diverged: the critic_loss is NaN at epoch 2, step 5 (step 12 of the run, lr 0.100"),
                e.getMessage());
        assertEquals(1, Checkpoint.load(Trainer.checkpointPath(dir)).epoch(), "the last good checkpoint is kept");
    }
}
