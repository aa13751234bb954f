package dev.kiln.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fisher's Iris data (1936): 150 flowers, 4 measurements in cm (sepal length, sepal width,
 * petal length, petal width), 3 species with 50 flowers each. Ships inside the jar, so it
 * needs no download.
 *
 * <pre>{@code
 * LabeledData.TrainTest tt = Iris.standardizedTrainTestSplit(42);  // 120 / 30, standardized on train
 * }</pre>
 */
public final class Iris {

    /** Number of examples. */
    public static final int SIZE = 150;
    /** Feature names, in column order. */
    public static final List<String> FEATURE_NAMES =
            List.of("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)");
    /** Class names, index = label. */
    public static final List<String> CLASS_NAMES = List.of("setosa", "versicolor", "virginica");

    private static final String RESOURCE = "iris.csv";

    private Iris() {
    }

    /**
     * All 150 examples in the published order (50 setosa, 50 versicolor, 50 virginica),
     * feature shape {@code {4}}.
     */
    public static LabeledData load() {
        try (InputStream in = Iris.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/kiln/data/" + RESOURCE + " is missing from the classpath");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource dev/kiln/data/" + RESOURCE, e);
        }
    }

    /** A stratified 120 / 30 split (40 / 10 per species), the same for the same seed. */
    public static LabeledData.TrainTest trainTestSplit(long seed) {
        return load().split(0.8, seed);
    }

    /**
     * {@link #trainTestSplit(long)} with both parts standardized by a {@link Standardizer}
     * fitted on the training part only.
     */
    public static LabeledData.TrainTest standardizedTrainTestSplit(long seed) {
        LabeledData.TrainTest tt = trainTestSplit(seed);
        Standardizer s = Standardizer.fit(tt.train());
        return new LabeledData.TrainTest(s.apply(tt.train()), s.apply(tt.test()));
    }

    private static LabeledData parse(BufferedReader reader) throws IOException {
        float[] features = new float[SIZE * 4];
        int[] labels = new int[SIZE];
        int row = 0;
        boolean header = true;
        int lineNo = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] parts = line.split(",");
            if (parts.length != 5) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + ": expected 5 fields, found "
                        + parts.length + ": " + line);
            }
            if (row >= SIZE) {
                throw new IllegalStateException(RESOURCE + ": more than " + SIZE + " data rows");
            }
            for (int j = 0; j < 4; j++) {
                features[row * 4 + j] = Float.parseFloat(parts[j]);
            }
            String species = parts[4].startsWith("Iris-") ? parts[4].substring(5) : parts[4];
            int label = CLASS_NAMES.indexOf(species);
            if (label < 0) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + ": unknown species " + parts[4]);
            }
            labels[row] = label;
            row++;
        }
        if (row != SIZE) {
            throw new IllegalStateException(RESOURCE + ": expected " + SIZE + " data rows, found " + row);
        }
        return new LabeledData(features, labels, new int[] {4}, CLASS_NAMES.size(), CLASS_NAMES, true);
    }
}
