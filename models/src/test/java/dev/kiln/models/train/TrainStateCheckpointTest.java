package dev.kiln.models.train;

import dev.kiln.DType;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.optim.Adam;
import dev.kiln.optim.LRScheduler;
import dev.kiln.optim.Optimizer;
import dev.kiln.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint of several modules, optimizers, schedules and random streams round-trips through a file exactly. */
class TrainStateCheckpointTest {

    /** Two modules with an optimizer and a schedule each, two generators; {@code trained} takes a few steps first. */
    private static final class Parts {
        final Module a;
        final Module b;
        final Optimizer optA;
        final Optimizer optB;
        final LRScheduler schedA;
        final LRScheduler schedB;
        final Generator noise;
        final Generator explore;
        final TrainState state;

        Parts(long seed, boolean trained) {
            a = new Linear(3, 2, new Generator(seed));
            b = new Linear(2, 1, new Generator(seed + 1));
            optA = new Adam(a.parameters(), 0.1f);
            optB = new SGD(b.parameters(), 0.05f).momentum(0.9f);
            schedA = LRScheduler.cosine(optA, 10, 0f);
            schedB = LRScheduler.step(optB, 2, 0.5f);
            noise = new Generator(seed + 2);
            explore = new Generator(seed + 3);
            state = new TrainState().module("a", a).module("b", b).optimizer("opt-a", optA).optimizer("opt-b", optB)
                    .scheduler("sched-a", schedA).scheduler("sched-b", schedB).random("noise", noise).random("explore", explore);
            if (trained) {
                for (int k = 0; k < 3; k++) {
                    Tensor x = Tensor.randn(noise, 4, 3);
                    Tensor loss = b.forward(a.forward(x)).square().mean();
                    optA.zeroGrad();
                    optB.zeroGrad();
                    loss.backward();
                    optA.step();
                    optB.step();
                    schedA.step();
                    schedB.step();
                    explore.nextFloat();
                }
            }
        }
    }

    private static String text(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? Arrays.toString(t.toFloatArray()) : Arrays.toString(t.toLongArray());
    }

    private static void assertSameTensors(Map<String, Tensor> x, Map<String, Tensor> y, String what) {
        assertEquals(x.keySet(), y.keySet(), what);
        x.forEach((k, t) -> {
            assertEquals(Arrays.toString(t.shape()), Arrays.toString(y.get(k).shape()), what + " " + k);
            assertEquals(t.dtype(), y.get(k).dtype(), what + " " + k);
            assertEquals(text(t), text(y.get(k)), what + " " + k);
        });
    }

    @Test
    void everyPartRoundTripsThroughTheFile(@TempDir Path dir) throws IOException {
        Parts saved = new Parts(1, true);
        History h = new History();
        h.add(new EpochStats(1, Map.of("train_loss", 0.5, "lr_opt-a", 0.1)));
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        saved.state.snapshot(1, 3, "two parts", h).save(file);

        Checkpoint c = Checkpoint.load(file);
        assertEquals(1, c.epoch());
        assertEquals(3, c.steps());
        assertEquals("two parts", c.fingerprint());
        assertEquals(h.epochs(), c.history().epochs());

        Parts fresh = new Parts(1, false);
        fresh.state.restore(c, file);
        assertSameTensors(saved.a.stateDict(), fresh.a.stateDict(), "module a");
        assertSameTensors(saved.b.stateDict(), fresh.b.stateDict(), "module b");
        assertSameTensors(saved.optA.stateDict(), fresh.optA.stateDict(), "optimizer a");
        assertSameTensors(saved.optB.stateDict(), fresh.optB.stateDict(), "optimizer b");
        assertEquals(3, fresh.optA.steps());
        assertEquals(saved.optA.lr(), fresh.optA.lr());
        assertEquals(saved.optB.lr(), fresh.optB.lr());
        assertEquals(3, fresh.schedA.steps());
        assertEquals(3, fresh.schedB.steps());
        assertEquals(saved.noise.offset(), fresh.noise.offset());
        assertEquals(saved.explore.offset(), fresh.explore.offset());
        assertTrue(fresh.noise.offset() > 0 && fresh.explore.offset() > 0);
        assertEquals(saved.noise.nextFloat(), fresh.noise.nextFloat(), "the next draw");
    }

    @Test
    void anotherSeedOrOtherPartsAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(Checkpoint.FILE_NAME);
        History h = new History();
        h.add(new EpochStats(1, Map.of("train_loss", 0.5)));
        new Parts(1, true).state.snapshot(1, 3, "two parts", h).save(file);
        Checkpoint c = Checkpoint.load(file);

        IOException seed = assertThrows(IOException.class, () -> new Parts(2, false).state.restore(c, file));
        assertTrue(seed.getMessage().contains(file.toString()) && seed.getMessage().contains("seed"), seed.getMessage());

        Module m = new Linear(3, 2, new Generator(1));
        TrainState fewer = new TrainState().module("a", m).optimizer("opt-a", new Adam(m.parameters(), 0.1f));
        IOException names = assertThrows(IOException.class, () -> fewer.restore(c, file));
        assertTrue(names.getMessage().contains("[a, b]"), names.getMessage());

        Parts shapes = new Parts(1, false);
        Module wide = new Linear(3, 5, new Generator(1));
        TrainState wrongShape = new TrainState().module("a", wide).module("b", shapes.b).optimizer("opt-a", shapes.optA)
                .optimizer("opt-b", shapes.optB).scheduler("sched-a", shapes.schedA).scheduler("sched-b", shapes.schedB)
                .random("noise", shapes.noise).random("explore", shapes.explore);
        IOException shape = assertThrows(IOException.class, () -> wrongShape.restore(c, file));
        assertTrue(shape.getMessage().startsWith("Cannot resume from " + file), shape.getMessage());
    }

    @Test
    void namesAreChecked() {
        TrainState s = new TrainState().random("noise", new Generator(1));
        assertThrows(IllegalArgumentException.class, () -> s.random("noise", new Generator(2)));
        assertThrows(IllegalArgumentException.class, () -> s.module("Model.1", new Linear(1, 1, new Generator(1))));
    }
}
