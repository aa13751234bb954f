package dev.kiln;

/** One recorded op of the autograd graph: its inputs and how to map the output gradient to theirs. */
final class Node {

    final String op;
    final Tensor[] inputs;
    final Autograd.Backward backward;

    Node(String op, Tensor[] inputs, Autograd.Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }
}
