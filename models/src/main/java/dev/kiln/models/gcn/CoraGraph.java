package dev.kiln.models.gcn;

import dev.kiln.Tensor;
import dev.kiln.data.Cora;
import dev.kiln.sparse.Graphs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Cora ({@link Cora}) prepared as Kipf and Welling prepare it: each paper's binary word vector
 * divided by its number of words (row-normalised), the citations made undirected, and the
 * Planetoid split ({@link PlanetoidSplit#standard}) drawn from a seed.
 */
public final class CoraGraph {

    private CoraGraph() {
    }

    /** Loads Cora from {@code dataDir} (null: the standard places, else a checked download) and splits it with {@code splitSeed}. */
    public static GraphData load(Path dataDir, long splitSeed) throws IOException {
        return of(Cora.load(dataDir), splitSeed);
    }

    /** The GCN's view of a read Cora graph. */
    public static GraphData of(Cora.Graph g, long splitSeed) {
        int n = g.nodes(), f = g.featureDim();
        float[] x = g.features().clone();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < f; k++) {
                sum += x[i * f + k];
            }
            if (sum != 0) {
                for (int k = 0; k < f; k++) {
                    x[i * f + k] = (float) (x[i * f + k] / sum);
                }
            }
        }
        PlanetoidSplit split = PlanetoidSplit.standard(g.labels(), g.classes(), splitSeed);
        String describe = String.format(Locale.ROOT, "Cora: %d papers, %d citations, %d word features, %d classes; "
                        + "%d labelled, %d validation, %d test papers", n, g.edges(), f, g.classes(), split.train().length,
                split.validation().length, split.test().length);
        return new GraphData(Graphs.undirected(n, g.citing(), g.cited()), Tensor.fromArray(x, n, f), g.labels(), split.train(),
                split.test(), g.classes(), describe);
    }
}
