package dev.kiln.models.gcn;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Dropout;
import dev.kiln.nn.Init;
import dev.kiln.nn.Module;
import dev.kiln.sparse.Sparse;
import dev.kiln.sparse.SparseTensor;

/**
 * Kipf and Welling's two-layer graph convolutional network ("Semi-Supervised Classification with
 * Graph Convolutional Networks", 2017): {@code H = ReLU(Â (drop(X) W1) + b1)},
 * {@code Z = Â (drop(H) W2) + b2} (the logits) with
 * {@code Â = D^-1/2 (A + I) D^-1/2} (a sparse matrix, fixed), Glorot-uniform weights and zero
 * biases. The products with Â run on the sparse family ({@link Sparse#mm}); their gradients
 * use Â's cached transpose.
 */
public final class Gcn extends Module {

    private SparseTensor propagation;

    /**
     * @param propagation {@code Â}, {@code [nodes, nodes]}
     * @param in          feature width
     * @param hidden      hidden width (16 in the paper)
     * @param classes     output width
     * @param dropout     dropout before each layer (0.5 in the paper)
     * @param init        weight initialisation stream
     * @param dropoutRng  dropout masks
     */
    public Gcn(SparseTensor propagation, int in, int hidden, int classes, float dropout, Generator init, Generator dropoutRng) {
        this.propagation = propagation;
        registerParameter("w1", Init.xavierUniform(init, in, hidden));
        registerParameter("b1", Tensor.zeros(hidden));
        registerParameter("w2", Init.xavierUniform(init, hidden, classes));
        registerParameter("b2", Tensor.zeros(classes));
        registerModule("drop1", new Dropout(dropout, dropoutRng));
        registerModule("drop2", new Dropout(dropout, dropoutRng));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = Sparse.mm(propagation, module("drop1").forward(x).matmul(param("w1"))).add(param("b1")).relu();
        return Sparse.mm(propagation, module("drop2").forward(h).matmul(param("w2"))).add(param("b2"));
    }

    /** {@code ½‖W1‖²}: the paper's weight decay applies to the first layer's weights. */
    public Tensor firstLayerL2() {
        return param("w1").square().sum().mul(0.5f);
    }

    @Override
    public Module to(Device device) {
        super.to(device);
        propagation = propagation.to(device);
        return this;
    }
}
