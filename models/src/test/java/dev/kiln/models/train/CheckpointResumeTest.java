package dev.kiln.models.train;

import dev.kiln.Device;
import dev.kiln.models.Datasets;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.dnn.DnnModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointResumeTest {

    private static RunRequest iris(int epochs, Path out, boolean resume) {
        return RunRequest.of(Datasets.IRIS, Device.cpu(), 3).withEpochs(epochs).withOut(out, resume);
    }

    @Test
    void resumedRunContinuesAtTheNextEpoch(@TempDir Path dir) throws Exception {
        DnnModel m = new DnnModel();
        RunResult a = m.train(iris(3, dir, false));
        assertEquals(3, Checkpoint.load(Trainer.checkpointPath(dir)).epoch());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        IOException refused = assertThrows(IOException.class, () -> m.train(iris(6, dir, true)));
        assertTrue(refused.getMessage().contains("changes its schedule (--epochs 3 -> 6)"), refused.getMessage());
        RunResult b = m.train(iris(6, dir, true).withAllowScheduleChange(true)
                .withLog(new PrintStream(log, true, StandardCharsets.UTF_8)));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("resuming with a changed schedule: --epochs 3 -> 6"), text);
        assertTrue(text.contains("resumed from") && text.contains("after epoch 3"), text);
        assertTrue(text.contains("epoch 4/6") && !text.contains("epoch 3/6"), text);
        assertEquals(6, b.training().history().size());
        assertEquals(3, b.training().epochsRun());
        assertEquals(a.training().history().epochs(), b.training().history().epochs().subList(0, 3));
        assertEquals(6, Checkpoint.load(Trainer.checkpointPath(dir)).epoch());
    }

    /** An interrupted run, resumed, computes exactly what the uninterrupted run computed. */
    @Test
    void resumingAnInterruptedRunReproducesTheUninterruptedRun(@TempDir Path dir) throws Exception {
        History full = IrisRun.create(4, dir.resolve("full"), false).fit();

        Path out = dir.resolve("interrupted");
        IrisRun crashing = IrisRun.create(4, out, false);
        crashing.trainer().onEpochEnd(s -> {
            if (s.epoch() == 2) {
                throw new IllegalStateException("simulated crash after epoch 2");
            }
        });
        assertThrows(IllegalStateException.class, crashing::fit);
        assertEquals(2, Checkpoint.load(Trainer.checkpointPath(out)).epoch());

        History resumed = IrisRun.create(4, out, true).fit();
        assertEquals(4, resumed.size());
        for (int k = 0; k < 4; k++) {
            EpochStats x = full.epochs().get(k);
            EpochStats y = resumed.epochs().get(k);
            assertEquals(x.reproducible(), y.reproducible(), "losses, accuracies and learning rate of epoch " + (k + 1));
        }
    }

    @Test
    void corruptCheckpointGivesAClearError(@TempDir Path dir) throws Exception {
        DnnModel m = new DnnModel();
        m.train(iris(2, dir, false));
        Path file = Trainer.checkpointPath(dir);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> m.train(iris(4, dir, true)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("corrupt") || e.getMessage().toLowerCase().contains("damaged"),
                e.getMessage());

        Files.write(file, Arrays.copyOf(bytes, 40));
        IOException truncated = assertThrows(IOException.class, () -> m.train(iris(4, dir, true)));
        assertTrue(truncated.getMessage().contains(file.toString()), truncated.getMessage());
    }

    @Test
    void resumeWithoutACheckpointOrFromAnotherModelIsRefused(@TempDir Path dir) throws Exception {
        DnnModel m = new DnnModel();
        IOException none = assertThrows(IOException.class, () -> m.train(iris(2, dir.resolve("empty"), true)));
        assertTrue(none.getMessage().contains("no checkpoint"), none.getMessage());

        m.train(iris(1, dir, false));
        IOException seed = assertThrows(IOException.class,
                () -> m.train(RunRequest.of(Datasets.IRIS, Device.cpu(), 99).withEpochs(2).withOut(dir, true)));
        assertTrue(seed.getMessage().contains("it was trained with --seed 3, this run has --seed 99"), seed.getMessage());
        IOException quick = assertThrows(IOException.class, () -> m.train(iris(2, dir, true).withQuick(true)));
        assertTrue(quick.getMessage().contains("written for"), quick.getMessage());
    }

    @Test
    void writesAValidPngOfTheCurvesAndTheHistory(@TempDir Path dir) throws Exception {
        new DnnModel().train(iris(3, dir, false));
        Path png = dir.resolve("curves.png");
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO cannot decode " + png);
        assertTrue(img.getWidth() >= 1000 && img.getHeight() >= 300, img.getWidth() + "x" + img.getHeight());
        History h = History.parseCsv(Files.readString(dir.resolve("history.csv")));
        assertEquals(3, h.size());
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left behind");
        }
    }
}
