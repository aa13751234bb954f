package dev.kiln.models.train;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.data.LabeledData;
import dev.kiln.models.Datasets;
import dev.kiln.models.RunRequest;
import dev.kiln.models.dnn.Mlp;
import dev.kiln.models.dnn.MlpConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipeTest {

    private static final Recipe PRESET = new Recipe(30, 16, 0.01f, 1e-4f, 0f, 1000);

    @Test
    void requestOverridesOnlyWhatTheUserSet() {
        RunRequest none = RunRequest.of(Datasets.IRIS, Device.cpu(), 1);
        assertEquals(PRESET, PRESET.overriddenBy(none));
        Recipe r = PRESET.overriddenBy(none.withEpochs(3).withLr(0.5f));
        assertEquals(new Recipe(3, 16, 0.5f, 1e-4f, 0f, 1000), r);
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Recipe(0, 16, 0.01f, 0f, 0f, 10));
        assertThrows(IllegalArgumentException.class, () -> new Recipe(1, 16, -0.01f, 0f, 0f, 10));
        assertThrows(IllegalArgumentException.class, () -> new Recipe(1, 16, 0.01f, Float.NaN, 0f, 10));
    }

    @Test
    void fitTrainsForTheOverriddenEpochsAndLearnsIris() throws Exception {
        LabeledData.TrainTest data = Datasets.iris();
        Generator drop = new Generator(2);
        Mlp net = new Mlp(new MlpConfig(4, List.of(16), 3, "relu", 0f), new Generator(1), drop);
        RunRequest req = RunRequest.of(Datasets.IRIS, Device.cpu(), 1).withEpochs(25);
        TrainResult result = PRESET.fit("test", "4-16-3", net, Map.of("dropout", RandomStream.of(drop)), data.train(), data.test(), req);
        assertEquals(25, result.history().size());
        assertTrue(result.test("accuracy") >= 0.85, "Iris accuracy " + result.test("accuracy"));
    }
}
