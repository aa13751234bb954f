package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim}: integer ids of any shape in, their
 * rows out (shape {@code ids.shape + [dim]}). Weights start N(0, 1), as in PyTorch.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(65, 32, new Generator(1));
 * Tensor x = emb.forward(Tensor.fromIndices(new int[] {3, 1, 4}, 1, 3));   // [1, 3, 32]
 * }</pre>
 */
public final class Embedding extends Module {

    private final int num;
    private final int dim;

    public Embedding(int num, int dim, Generator g) {
        if (num <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding sizes must be positive, got num=" + num + " dim=" + dim);
        }
        this.num = num;
        this.dim = dim;
        registerParameter("weight", Tensor.randn(g, num, dim));
    }

    /** Token ids (INT32/INT64; FLOAT32 ids from a data loader are truncated to INT32) to vectors. */
    @Override
    public Tensor forward(Tensor ids) {
        Tensor i = ids.dtype().isIndex() ? ids : ids.toType(dev.kiln.DType.INT32);
        return SequenceOps.embedding(param("weight"), i);
    }

    public int numEmbeddings() {
        return num;
    }

    public int embeddingDim() {
        return dim;
    }

    @Override
    public String toString() {
        return "Embedding(" + num + ", " + dim + ")";
    }
}
