package dev.kiln.models.cnn;

import dev.kiln.models.Datasets;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;

import java.util.List;

/**
 * What the Fashion-MNIST vision models (CNN, ResNet) share as {@link KilnModel}s: the one dataset
 * they train on, and a demo that runs only where that dataset is already on this machine. Their
 * training run is {@link VisionTraining#run}.
 */
public abstract class VisionModel implements KilnModel {

    protected VisionModel() {
    }

    @Override
    public final List<String> datasets() {
        return List.of(Datasets.FASHION_MNIST);
    }

    @Override
    public final List<DemoDataset> demoDatasets(RunRequest base) {
        return List.of(Datasets.fashionMnistForDemo(base.dataDir()));
    }
}
