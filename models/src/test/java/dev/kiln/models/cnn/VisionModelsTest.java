package dev.kiln.models.cnn;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.Datasets;
import dev.kiln.models.Models;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.resnet.ResNet;
import dev.kiln.models.resnet.ResNetModel;
import dev.kiln.models.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Quick-mode runs of the vision models on the CPU. Thresholds (cnn 0.60, cnn-bn 0.50, resnet 0.60)
 * sit 0.09–0.24 below what these presets measured on the shared 2-core machine here (cnn 0.764,
 * cnn-bn 0.740, resnet 0.682 with seed 1; see models/README.md): far above chance (0.10), and low
 * enough that the small thread-count-dependent float differences of the CPU backend cannot flip the
 * test. Each run takes 8–45 s here.
 */
class VisionModelsTest {

    private static RunRequest quick(long seed) {
        return RunRequest.of(Datasets.FASHION_MNIST, Device.cpu(), seed).withQuick(true);
    }

    private static void assumeData() {
        assumeTrue(Datasets.fashionMnistForDemo(null).isAvailable(), "Fashion-MNIST is not on this machine (apt-get install dataset-fashion-mnist)");
    }

    @Test
    void cnnQuickReachesSixtyPercent() throws Exception {
        assumeData();
        RunResult r = new CnnModel(false).train(quick(1));
        assertTrue(r.value() >= 0.60, "cnn quick test accuracy " + r.value() + " < 0.60");
        assertEquals("test_accuracy", r.metric());
    }

    @Test
    void cnnWithBatchNormQuickReachesFiftyPercent() throws Exception {
        assumeData();
        RunResult r = new CnnModel(true).train(quick(1));
        assertTrue(r.value() >= 0.50, "cnn-bn quick test accuracy " + r.value() + " < 0.50");
    }

    @Test
    void resnetQuickReachesSixtyPercent() throws Exception {
        assumeData();
        RunResult r = new ResNetModel().train(quick(1));
        assertTrue(r.value() >= 0.60, "resnet quick test accuracy " + r.value() + " < 0.60");
    }

    @Test
    void cnnHugeLearningRateStopsWithTheStepNamed() {
        assumeData();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new CnnModel(false).train(quick(1).withLr(1e30f)));
        assertEquals(1, e.epoch());
        assertTrue(e.getMessage().contains("epoch 1, step " + e.step()), e.getMessage());
    }

    @Test
    void modelsAreRegistered() {
        for (String name : new String[] {"cnn", "cnn-bn", "resnet"}) {
            assertTrue(Models.find(name).isPresent(), name + " missing from Models");
        }
    }

    @Test
    void networksMapImagesToTenLogits() {
        Tensor x = Tensor.randn(new Generator(2), 2, 1, 28, 28);
        assertArrayEquals(new int[] {2, 10}, new Cnn(true, 0.5f, new Generator(1), new Generator(3)).forward(x).shape());
        assertArrayEquals(new int[] {2, 10}, new ResNet(4, new int[] {1, 1, 1, 1}, 10, new Generator(1)).forward(x).shape());
    }

    @Test
    void wrongChannelCountIsNamed() {
        Tensor rgb = Tensor.randn(new Generator(2), 2, 3, 28, 28);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Cnn(false, 0f, new Generator(1), new Generator(3)).forward(rgb));
        assertTrue(e.getMessage().contains("expected input with 1 channels") && e.getMessage().contains("got 3 channels"), e.getMessage());
    }

    @Test
    void cropAndFlipKeepShapeAndOnlyActInTraining() {
        Tensor x = Tensor.randn(new Generator(2), 3, 1, 6, 5);
        RandomCropFlip aug = new RandomCropFlip(2, true, -1f, 9);
        Tensor y = aug.forward(x);
        assertArrayEquals(x.shape(), y.shape());
        aug.eval();
        assertArrayEquals(x.toFloatArray(), aug.forward(x).toFloatArray());
    }
}
