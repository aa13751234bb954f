package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim}: integer ids of any shape in, their
 * rows out (shape {@code ids.shape + [dim]}). Weights start N(0, 1), as in PyTorch. With
 * {@code sparse = true} (PyTorch's {@code sparse=True}) the backward gives the weight a row-sparse
 * gradient ({@link dev.kiln.Tensor#sparseGrad()}: the looked-up rows and their summed gradients)
 * instead of a dense {@code [num, dim]} one; optimise it with {@link dev.kiln.optim.SGD} or
 * {@link dev.kiln.optim.SparseAdam}, which update only those rows.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(65, 32, new Generator(1));
 * Tensor x = emb.forward(Tensor.fromIndices(new int[] {3, 1, 4}, 1, 3));   // [1, 3, 32]
 * }</pre>
 */
public final class Embedding extends Module {

    private final int num;
    private final int dim;
    private final boolean sparse;

    public Embedding(int num, int dim, Generator g) {
        this(num, dim, g, false);
    }

    /** @param sparse whether the weight's gradient is row-sparse (see the class comment) */
    public Embedding(int num, int dim, Generator g, boolean sparse) {
        if (num <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding sizes must be positive, got num=" + num + " dim=" + dim);
        }
        this.num = num;
        this.dim = dim;
        this.sparse = sparse;
        registerParameter("weight", Tensor.randn(g, num, dim));
    }

    /** Token ids (INT32/INT64; FLOAT32 ids from a data loader are truncated to INT32) to vectors. */
    @Override
    public Tensor forward(Tensor ids) {
        Tensor i = ids.dtype().isIndex() ? ids : ids.toType(dev.kiln.DType.INT32);
        return sparse ? dev.kiln.sparse.Sparse.embedding(param("weight"), i) : SequenceOps.embedding(param("weight"), i);
    }

    public int numEmbeddings() {
        return num;
    }

    public int embeddingDim() {
        return dim;
    }

    /** Whether the weight's gradient is row-sparse. */
    public boolean sparse() {
        return sparse;
    }

    @Override
    public String toString() {
        return "Embedding(" + num + ", " + dim + (sparse ? ", sparse" : "") + ")";
    }
}
