package dev.kiln.models.cnn;

import dev.kiln.Generator;
import dev.kiln.data.LabeledData;
import dev.kiln.models.Datasets;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.models.train.Classification;
import dev.kiln.models.train.RandomStream;
import dev.kiln.models.train.Recipe;
import dev.kiln.models.train.TrainResult;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Fashion-MNIST training run the CNN and ResNet models share. */
public final class VisionTraining {

    /** Normalised value of a black pixel: what crop padding fills in. */
    public static final float BLACK = -Datasets.FASHION_MNIST_MEAN / Datasets.FASHION_MNIST_STD;

    private static final long AUGMENT_STREAM = 0xA06_3E47L;

    private VisionTraining() {
    }

    public static void checkDataset(String model, String dataset) {
        if (!dataset.equals(Datasets.FASHION_MNIST)) {
            throw new IllegalArgumentException("Unknown dataset '" + dataset + "' for " + model + "; expected one of "
                    + List.of(Datasets.FASHION_MNIST));
        }
    }

    /**
     * Trains {@code net} (already built from the run seed) behind the augmentation module.
     *
     * @param rng the generator the net's dropout draws from (the trainer checkpoints its position)
     */
    public static RunResult run(String name, String describe, Module net, Generator rng, VisionRecipe r, RunRequest req)
            throws IOException {
        long start = System.nanoTime();
        checkDataset(name, req.dataset());
        LabeledData.TrainTest data = Datasets.fashionMnist(req.dataDir(), req.quick() ? r.quickTrain() : 0,
                req.quick() ? r.quickTest() : 0);
        RandomCropFlip augment = new RandomCropFlip(r.cropPad(), r.flip(), BLACK, req.seed() ^ AUGMENT_STREAM);
        Module model = new Sequential(augment, net);
        Recipe recipe = new Recipe(req.quick() ? r.quickEpochs() : r.epochs(), req.quick() ? r.quickBatch() : r.batchSize(),
                r.lr(), r.weightDecay(), 0f, 500);
        Map<String, RandomStream> random = new LinkedHashMap<>();
        random.put("dropout", RandomStream.of(rng));
        random.put("augment", augment.stream());
        TrainResult result = recipe.fit(name, describe, model, random, data.train(), data.test(), req);
        return new RunResult(name, req.dataset(), req.device(), "test_accuracy", result.test(Classification.ACCURACY),
                (System.nanoTime() - start) / 1e9, result);
    }
}
