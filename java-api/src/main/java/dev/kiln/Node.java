package dev.kiln;

/** One recorded op of the autograd graph: its inputs and how to map the output gradient to theirs. */
final class Node {

    /** Maps the gradient of an op's output to the gradients of its inputs (null where none). */
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final String op;
    final Tensor[] inputs;
    final Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }
}
