package dev.kiln.models;

import dev.kiln.data.DatasetLocator;
import dev.kiln.data.FashionMnist;
import dev.kiln.data.Iris;
import dev.kiln.data.LabeledData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The classification datasets the models share, prepared the same way for every model. */
public final class Datasets {

    public static final String IRIS = "iris";
    public static final String FASHION_MNIST = "fashion-mnist";

    /**
     * Iris is split the same way for every run seed so runs with different seeds are comparable.
     * The 30 held-out flowers matter more than the seed: the DNN preset scores 0.87 to 1.00 over
     * split seeds 0 to 9 (see the module README). The system property {@code kiln.iris.splitSeed}
     * picks another split.
     */
    public static final long IRIS_SPLIT_SEED = 0;

    /**
     * Mean and standard deviation of all Fashion-MNIST training pixels (scaled to [0, 1]); the
     * whole image set is normalised with these two numbers, not per pixel, so that the nearly
     * constant border pixels stay near zero.
     */
    public static final float FASHION_MNIST_MEAN = 0.2860f;
    public static final float FASHION_MNIST_STD = 0.3530f;

    private Datasets() {
    }

    /** Iris: stratified 120 / 30 split ({@link #IRIS_SPLIT_SEED}), standardized with statistics of the training part. */
    public static LabeledData.TrainTest iris() {
        return Iris.standardizedTrainTestSplit(Long.getLong("kiln.iris.splitSeed", IRIS_SPLIT_SEED));
    }

    /**
     * Fashion-MNIST's official 60,000 / 10,000 split, normalised; with {@code trainLimit} /
     * {@code testLimit} > 0 only the first that many examples of each file (the files are in
     * random order, so a prefix is a fair sample).
     *
     * @param dataDir an explicit directory, or null to search {@code $KILN_DATA}, the Debian path,
     *                the cache, and then download
     */
    public static LabeledData.TrainTest fashionMnist(Path dataDir, int trainLimit, int testLimit) throws IOException {
        LabeledData train = FashionMnist.load(dataDir, FashionMnist.Split.TRAIN);
        LabeledData test = FashionMnist.load(dataDir, FashionMnist.Split.TEST);
        return new LabeledData.TrainTest(normalize(prefix(train, trainLimit)), normalize(prefix(test, testLimit)));
    }

    /** Fashion-MNIST for the demo: available when its files are on this machine (nothing is downloaded to find out). */
    public static DemoDataset fashionMnistForDemo(Path dataDir) {
        return fashionMnistForDemo(FashionMnist.locatorBuilder().explicitDir(dataDir).download(false).progress(null).build());
    }

    /**
     * Fashion-MNIST for the demo as {@code locator} finds it: available, or skipped naming the
     * places looked in and the Debian package that installs it.
     */
    static DemoDataset fashionMnistForDemo(DatasetLocator locator) {
        try {
            locator.locate(FashionMnist.Split.TRAIN.imagesFile(), FashionMnist.Split.TRAIN.labelsFile(),
                    FashionMnist.Split.TEST.imagesFile(), FashionMnist.Split.TEST.labelsFile());
            return DemoDataset.available(FASHION_MNIST);
        } catch (IOException e) {
            String looked = locator.searchDirs().stream().map(Path::toString).collect(Collectors.joining(", "));
            return DemoDataset.skipped(FASHION_MNIST, "the Fashion-MNIST files are not on this machine (looked in " + looked
                    + "; the demo never downloads)", "sudo apt-get install " + FashionMnist.APT_PACKAGE);
        }
    }

    private static LabeledData prefix(LabeledData d, int limit) {
        if (limit <= 0 || limit >= d.size()) {
            return d;
        }
        int[] idx = new int[limit];
        for (int i = 0; i < limit; i++) {
            idx[i] = i;
        }
        return d.subset(idx);
    }

    private static LabeledData normalize(LabeledData d) {
        float[] x = d.features();
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - FASHION_MNIST_MEAN) / FASHION_MNIST_STD;
        }
        return new LabeledData(x, d.labels(), d.featureShape(), d.numClasses(), d.classNames());
    }
}
