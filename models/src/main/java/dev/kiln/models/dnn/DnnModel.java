package dev.kiln.models.dnn;

import dev.kiln.Generator;
import dev.kiln.data.LabeledData;
import dev.kiln.models.Datasets;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.Classification;
import dev.kiln.models.train.RandomStream;
import dev.kiln.models.train.Recipe;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.Trainer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The DNN (multi-layer perceptron) classifier on Iris or Fashion-MNIST, trained with the
 * {@link Trainer} from a {@link DnnRecipe}.
 */
public final class DnnModel implements KilnModel {

    public static final String NAME = "dnn";

    /** Seeds derived from the run seed, so weights and dropout masks are independent streams. */
    private static final long DROPOUT_STREAM = 0x5EED_D80Bl;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "multi-layer perceptron classifier (Iris 4-64-32-3, Fashion-MNIST 784-256-128-10)";
    }

    @Override
    public List<String> datasets() {
        return List.of(Datasets.IRIS, Datasets.FASHION_MNIST);
    }

    @Override
    public List<DemoDataset> demoDatasets(RunRequest base) {
        return List.of(DemoDataset.available(Datasets.IRIS), Datasets.fashionMnistForDemo(base.dataDir()));
    }

    /** The preset for a dataset name. */
    public static DnnRecipe recipe(String dataset) {
        switch (dataset) {
            case Datasets.IRIS: return DnnRecipe.iris();
            case Datasets.FASHION_MNIST: return DnnRecipe.fashionMnist();
            default: throw new IllegalArgumentException("Unknown dataset '" + dataset + "' for dnn; expected one of "
                    + List.of(Datasets.IRIS, Datasets.FASHION_MNIST));
        }
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        long start = System.nanoTime();
        DnnRecipe r = recipe(req.dataset());
        LabeledData.TrainTest data = req.dataset().equals(Datasets.IRIS)
                ? Datasets.iris()
                : Datasets.fashionMnist(req.dataDir(), req.quick() ? r.quickTrain() : 0, req.quick() ? r.quickTest() : 0);
        Generator dropout = new Generator(req.seed() ^ DROPOUT_STREAM);
        Mlp model = new Mlp(r.mlp(), new Generator(req.seed()), dropout);
        Recipe recipe = new Recipe(req.quick() ? r.quickEpochs() : r.epochs(), r.batchSize(), r.lr(), r.weightDecay(),
                r.gradClip(), 1000);
        TrainResult result = recipe.fit(NAME, r.mlp().describe(), model, Map.of("dropout", RandomStream.of(dropout)),
                data.train(), data.test(), req);
        return new RunResult(NAME, req.dataset(), req.device(), "test_accuracy", result.test(Classification.ACCURACY),
                (System.nanoTime() - start) / 1e9, result);
    }
}
