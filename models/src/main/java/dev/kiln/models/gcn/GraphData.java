package dev.kiln.models.gcn;

import dev.kiln.Tensor;
import dev.kiln.sparse.SparseTensor;

/**
 * A node-classification dataset: one graph, node features, a label per node and which nodes are
 * labelled for training and which are held out.
 *
 * @param adjacency the raw symmetric 0/1 adjacency (no self loops)
 * @param features  {@code [nodes, featureDim]}
 * @param labels    class per node
 * @param train     the labelled nodes
 * @param test      the nodes accuracy is measured on
 * @param classes   number of classes
 * @param describe  one line: sizes and how it was made
 */
public record GraphData(SparseTensor adjacency, Tensor features, int[] labels, int[] train, int[] test, int classes,
                        String describe) {

    public int nodes() {
        return labels.length;
    }

    /** The labels of {@code nodes} as an index tensor. */
    public Tensor labelsOf(int[] nodes) {
        int[] y = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            y[i] = labels[nodes[i]];
        }
        return Tensor.fromIndices(y);
    }
}
