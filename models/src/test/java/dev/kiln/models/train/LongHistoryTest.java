package dev.kiln.models.train;

import dev.kiln.Device;
import dev.kiln.models.Datasets;
import dev.kiln.models.RunRequest;
import dev.kiln.models.dnn.DnnModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's history has no size cap: 700 epochs (well over the 64 KiB a checkpoint string could hold) save, load and resume. */
class LongHistoryTest {

    @Test
    void sevenHundredEpochsOfHistoryRoundTripAndResume(@TempDir Path dir) throws Exception {
        DnnModel m = new DnnModel();
        m.train(RunRequest.of(Datasets.IRIS, Device.cpu(), 3).withEpochs(1).withOut(dir, false));
        Path file = Trainer.checkpointPath(dir);
        Checkpoint one = Checkpoint.load(file);
        EpochStats first = one.history().epochs().get(0);
        History h = new History();
        for (int e = 1; e <= 700; e++) {
            Map<String, Double> v = new LinkedHashMap<>(first.values());
            v.put(EpochStats.SECONDS, 0.001 * e + 1.0 / 3);
            h.add(new EpochStats(e, v));
        }
        assertTrue(h.toCsv().length() > 65_535, "more than writeUTF's limit: " + h.toCsv().length());
        Map<String, String> settings = new LinkedHashMap<>(one.settings());
        settings.put("epochs", "701");
        new Checkpoint(700, 700 * one.steps(), one.fingerprint(), one.modules(), one.optimizers(), one.schedulers(), one.random(),
                h, settings, one.files()).save(file);

        Checkpoint loaded = Checkpoint.load(file);
        assertEquals(700, loaded.epoch());
        assertEquals(h.toCsv(), loaded.history().toCsv());

        TrainResult r = m.train(RunRequest.of(Datasets.IRIS, Device.cpu(), 3).withEpochs(701).withOut(dir, true)).training();
        assertEquals(1, r.epochsRun());
        assertEquals(701, r.history().size());
        assertEquals(701, Checkpoint.load(file).history().size());
    }
}
