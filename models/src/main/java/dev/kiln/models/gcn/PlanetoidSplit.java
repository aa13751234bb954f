package dev.kiln.models.gcn;

import java.util.SplittableRandom;

/**
 * The Planetoid split of a node-classification graph (Yang, Cohen and Salakhutdinov, 2016; used
 * by Kipf and Welling): {@code perClass} labelled nodes of every class, then {@code validation}
 * and {@code test} further nodes, all drawn from the seed (a random order of the nodes; the first
 * {@code perClass} of each class in that order are labelled, the next unlabelled ones validate,
 * then test).
 *
 * @param train      the labelled nodes ({@code classes · perClass})
 * @param validation nodes for model selection
 * @param test       the held-out nodes accuracy is reported on
 */
public record PlanetoidSplit(int[] train, int[] validation, int[] test) {

    /** Kipf and Welling's sizes: 20 labelled nodes per class, 500 validation, 1,000 test. */
    public static PlanetoidSplit standard(int[] labels, int classes, long seed) {
        return of(labels, classes, 20, 500, 1000, seed);
    }

    public static PlanetoidSplit of(int[] labels, int classes, int perClass, int validation, int test, long seed) {
        int n = labels.length;
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("node " + i + " has label " + labels[i] + ", outside [0, " + classes + ")");
            }
            count[labels[i]]++;
        }
        for (int c = 0; c < classes; c++) {
            if (count[c] < perClass) {
                throw new IllegalArgumentException("class " + c + " has " + count[c] + " nodes, fewer than the " + perClass
                        + " labelled nodes per class the split needs");
            }
        }
        if ((long) classes * perClass + validation + test > n) {
            throw new IllegalArgumentException("a split of " + perClass + " labelled nodes per class (" + classes + " classes), "
                    + validation + " validation and " + test + " test nodes needs more than the graph's " + n + " nodes");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] train = new int[classes * perClass], val = new int[validation], tst = new int[test];
        int[] taken = new int[classes];
        int t = 0, v = 0, s = 0;
        for (int node : order) {
            if (taken[labels[node]] < perClass) {
                taken[labels[node]]++;
                train[t++] = node;
            } else if (v < validation) {
                val[v++] = node;
            } else if (s < test) {
                tst[s++] = node;
            }
        }
        return new PlanetoidSplit(train, val, tst);
    }
}
