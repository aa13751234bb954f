package dev.kiln.models.gcn;

import dev.kiln.Tensor;
import dev.kiln.sparse.Graphs;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A contextual stochastic block model (Deshpande et al., "Contextual Stochastic Block Models",
 * 2018), generated from a seed: {@code nodes} nodes split evenly into {@code classes} blocks;
 * each node's features are its block's mean plus standard normal noise (block means: {@code mu}
 * times orthogonal unit directions, so the features alone are only partly informative); edges
 * are drawn independently so that a node has {@code meanDegree} neighbours on average and a
 * fraction {@code homophily} of all edges join nodes of the same block. {@code trainPerClass}
 * nodes per block are labelled; the remaining nodes are the test set.
 *
 * @param nodes         number of nodes
 * @param classes       number of blocks
 * @param featureDim    feature dimensions (at least classes)
 * @param meanDegree    expected degree
 * @param homophily     expected fraction of intra-block edges
 * @param mu            distance of each block mean from the origin
 * @param trainPerClass labelled nodes per block
 */
public record Csbm(int nodes, int classes, int featureDim, double meanDegree, double homophily, double mu, int trainPerClass) {

    public Csbm {
        if (classes < 2 || nodes < classes * (trainPerClass + 1) || featureDim < classes) {
            throw new IllegalArgumentException("CSBM needs >= 2 classes, featureDim >= classes and more nodes than labels");
        }
        if (!(homophily >= 0 && homophily <= 1) || !(meanDegree > 0)) {
            throw new IllegalArgumentException("homophily must lie in [0, 1] and meanDegree be > 0");
        }
    }

    /** The preset: 2,000 nodes, 2 blocks, 32 features, mean degree 10, homophily 0.8, 20 labels per block. */
    public static Csbm preset() {
        return new Csbm(2000, 2, 32, 10, 0.8, 0.5, 20);
    }

    /** The quick preset: the same model on 600 nodes. */
    public static Csbm quick() {
        return new Csbm(600, 2, 32, 10, 0.8, 0.5, 20);
    }

    public GraphData generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] label = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            label[i] = i % classes;
        }
        for (int i = nodes - 1; i > 0; i--) { // shuffle so node ids say nothing about blocks
            int j = r.nextInt(i + 1), t = label[i];
            label[i] = label[j];
            label[j] = t;
        }
        // Features: mu along axis c for block c, plus N(0, 1) noise in every dimension.
        float[] x = new float[nodes * featureDim];
        for (int i = 0; i < nodes; i++) {
            for (int f = 0; f < featureDim; f++) {
                x[i * featureDim + f] = (float) (gaussian(r) + (f == label[i] ? mu : 0));
            }
        }
        // Edge probabilities: with block size m = n/c, intra pairs ≈ n·m/2 and inter pairs ≈ n·(n−m)/2;
        // n·d/2 edges of which a fraction h are intra.
        double m = (double) nodes / classes;
        double pIn = Math.min(1, homophily * meanDegree / m);
        double pOut = Math.min(1, (1 - homophily) * meanDegree / (nodes - m));
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, (long) (nodes * meanDegree));
        int[] s = new int[cap], d = new int[cap];
        int e = 0;
        for (int i = 0; i < nodes && e < cap; i++) {
            for (int j = i + 1; j < nodes && e < cap; j++) {
                if (r.nextDouble() < (label[i] == label[j] ? pIn : pOut)) {
                    s[e] = i;
                    d[e] = j;
                    e++;
                }
            }
        }
        int[] ss = java.util.Arrays.copyOf(s, e), dd = java.util.Arrays.copyOf(d, e);
        // The first trainPerClass nodes of each block (in node order, which is random) are labelled.
        int[] train = new int[classes * trainPerClass];
        int[] test = new int[nodes - train.length];
        int[] taken = new int[classes];
        int t = 0, u = 0;
        for (int i = 0; i < nodes; i++) {
            if (taken[label[i]] < trainPerClass) {
                taken[label[i]]++;
                train[t++] = i;
            } else {
                test[u++] = i;
            }
        }
        int intra = 0;
        for (int k = 0; k < e; k++) {
            intra += label[ss[k]] == label[dd[k]] ? 1 : 0;
        }
        String describe = String.format(Locale.ROOT,
                "CSBM: %d nodes, %d blocks, %d edges (mean degree %.1f, homophily %.2f), %d features (mu %.2f), %d labelled",
                nodes, classes, e, 2.0 * e / nodes, e == 0 ? 0 : (double) intra / e, featureDim, mu, train.length);
        return new GraphData(Graphs.undirected(nodes, ss, dd), Tensor.fromArray(x, nodes, featureDim), label, train, test,
                classes, describe);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
