package dev.kiln;

/**
 * One recorded op of the autograd graph: its inputs, how to map the output gradient to theirs, and
 * the version of every tensor it may have saved (its inputs and its output) when it ran, so that an
 * in-place change before backward is caught instead of giving a wrong gradient.
 */
final class Node {

    final String op;
    /** Null once the graph has been freed by a backward pass. */
    Tensor[] inputs;
    /** Null once the graph has been freed by a backward pass. */
    Autograd.Backward backward;
    private final int[] inputVersions;
    private final int outputVersion;

    Node(String op, Tensor out, Tensor[] inputs, Autograd.Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
        this.inputVersions = new int[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            inputVersions[k] = inputs[k] == null ? 0 : inputs[k].version[0];
        }
        this.outputVersion = out.version[0];
    }

    boolean freed() {
        return backward == null;
    }

    /** Drops the inputs and the backward closure (with every tensor it saved). */
    void free() {
        inputs = null;
        backward = null;
    }

    /** Throws when a tensor this op may have saved was written in place since it ran. */
    void checkVersions(Tensor out) {
        if (out.version[0] != outputVersion) {
            throw modified("its output", outputVersion, out.version[0]);
        }
        for (int k = 0; k < inputs.length; k++) {
            if (inputs[k] != null && inputs[k].version[0] != inputVersions[k]) {
                throw modified("input " + k + " " + Shapes.str(inputs[k].shape), inputVersions[k], inputs[k].version[0]);
            }
        }
    }

    private IllegalStateException modified(String what, int was, int now) {
        return new IllegalStateException("A tensor needed for the gradient of " + op + " (" + what + ") was modified in place "
                + "(assign) after the op ran: version " + was + " then, " + now + " now. Compute on a copy, or assign "
                + "after backward()");
    }
}
