package dev.kiln.models.imagegen;

import dev.kiln.Device;
import dev.kiln.models.Datasets;
import dev.kiln.models.Models;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The quick Fashion-MNIST generators end to end (minutes on a loaded 2-core CPU, so only with
 * {@code -Dkiln.slowTests=true}): a grid per epoch, a Fréchet distance in the CNN's feature space
 * that falls from the first epoch to the last and stays above the real-vs-real floor, a class
 * histogram over all the samples, and the cached classifier reused by a second run.
 */
@EnabledIfSystemProperty(named = "kiln.slowTests", matches = "true")
class ImageGeneratorsSlowTest {

    @Test
    void quickDcgan(@TempDir Path dir) throws IOException {
        check("gan", ImageGan.QUICK.epochs(), ImageGan.QUICK.evalSamples(), dir, "samples.png");
    }

    @Test
    void quickDdpm(@TempDir Path dir) throws IOException {
        check("ddpm", ImageDdpm.QUICK.epochs(), ImageDdpm.QUICK.evalSamples(), dir, "samples-ddim50.png");
        assertTrue(Files.size(dir.resolve("samples-ddpm1000.png")) > 100, "the 1000-step DDPM grid");
        // The checkpoint holds the weights' moving average, which is what the samples come from.
        var c = dev.kiln.models.train.Checkpoint.load(dir.resolve(dev.kiln.models.train.Checkpoint.FILE_NAME));
        assertTrue(c.modules().containsKey(ImageDdpm.EMA) && c.modules().containsKey("denoiser"), c.modules().keySet().toString());
    }

    private static void check(String model, int epochs, int samples, Path dir, String finalGrid) throws IOException {
        assumeTrue(Datasets.fashionMnistForDemo(null).isAvailable(), "Fashion-MNIST is not on this machine");
        RunResult r = Models.find(model).orElseThrow().train(RunRequest.of(Datasets.FASHION_MNIST, Device.cpu(), 1)
                .withQuick(true).withOut(dir, false));
        assertEquals(ImageRun.METRIC, r.metric());
        History h = r.training().history();
        assertEquals(epochs, h.size());
        double first = h.epochs().get(0).get("test_" + ImageRun.METRIC), last = h.last().get("test_" + ImageRun.METRIC);
        assertTrue(last < first, model + ": the distance falls over training, " + first + " -> " + last);
        for (int e = 1; e <= epochs; e++) {
            assertTrue(Files.size(dir.resolve(String.format("grid-epoch-%02d.png", e))) > 100, "grid of epoch " + e);
        }
        assertTrue(Files.size(dir.resolve(finalGrid)) > 100);
        assertTrue(Files.isRegularFile(dir.resolve(FashionFeatures.DIR).resolve("checkpoint.kiln")), "the classifier is cached");
        String extra = r.extra();
        double floor = Double.parseDouble(extra.replaceAll(".*floor=([0-9.]+).*", "$1"));
        assertTrue(floor > 0 && floor < r.value(), "floor " + floor + " below the samples' " + r.value());
        int[] hist = Arrays.stream(extra.replaceAll(".*hist=([0-9,]+).*", "$1").split(",")).mapToInt(Integer::parseInt).toArray();
        assertEquals(10, hist.length);
        assertEquals(samples, Arrays.stream(hist).sum());
    }
}
