package dev.kiln.models.gan;

import dev.kiln.Device;
import dev.kiln.models.Models;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.ddpm.Toy2d;
import dev.kiln.models.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 2-D GAN: its quick run's samples beat the Gaussian noise baseline by a wide margin. */
class GanModelTest {

    @Test
    void quickRunBeatsTheNoiseBaseline() throws IOException {
        RunResult r = Models.find("gan").orElseThrow().train(RunRequest.of("rings", Device.cpu(), 2).withQuick(true));
        double noise = Toy2d.noiseBaseline("rings", 2, GanModel.QUICK.evalSize());
        assertEquals("sliced_w1", r.metric());
        assertTrue(r.value() < 0.5 * noise, "GAN samples at sliced W1 " + r.value() + " vs Gaussian noise " + noise);
        assertEquals(GanModel.QUICK.epochs(), r.training().history().size());
        assertTrue(r.training().history().last().get("train_d_loss") > 0, "the discriminator loss is logged");
    }

    @Test
    void anAbsurdLearningRateStopsTheRunNamingTheStepAndTheNetwork() {
        RunRequest req = RunRequest.of("ring", Device.cpu(), 3).withQuick(true).withLr(1e12f);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Models.find("gan").orElseThrow().train(req));
        assertTrue(e.getMessage().matches("Training diverged: the (discriminator loss \\(d_loss\\)|generator loss \\(g_loss\\)) is "
                + "(NaN|-?Infinity) at epoch 1, step \\d+ .*"), e.getMessage());
        assertEquals(1, e.epoch());
        assertTrue(e.step() >= 1 && e.step() <= GanModel.QUICK.stepsPerEpoch(), "step " + e.step());
        assertEquals(GanModel.network(e.metric()).split(" ")[0], e.getMessage().split(" ")[3], "the message names the network");
    }

    @Test
    void networksAreNamedForTheirMetrics() {
        assertEquals("discriminator loss (d_loss)", GanModel.network("d_loss"));
        assertEquals("generator loss (g_loss)", GanModel.network("g_loss"));
        assertEquals("loss", GanModel.network("loss"));
    }

    @Test
    void unknownDatasetIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Models.find("gan").orElseThrow().train(RunRequest.of("iris", Device.cpu(), 1).withQuick(true)));
    }
}
