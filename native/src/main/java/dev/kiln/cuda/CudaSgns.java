package dev.kiln.cuda;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.kernels.Kernels;
import dev.kiln.word2vec.SgnsKernels;

import java.lang.ref.Reference;

/**
 * The {@link SgnsKernels} family on CUDA: {@code kiln_word2vec_sgns_f32} of
 * {@code kernels/src/word2vec.cu}, one warp per (input, positive, negatives) pair, lock-free updates
 * of both tables.
 */
public final class CudaSgns implements SgnsKernels {

    /** Registers this family for the CUDA backend. */
    public static final class Provider extends FamilyProvider<SgnsKernels, CudaBackend> {
        public Provider() {
            super(SgnsKernels.class, CudaBackend.class, CudaSgns::new);
        }
    }

    private static final int BLOCK = 256;
    private static final int PAIRS_PER_BLOCK = BLOCK / 32;
    private static final int MAX_GRID = 65535;
    private static final int[] BLOCK_DIM = {BLOCK, 1, 1};

    private final CudaBackend be;

    CudaSgns(CudaBackend be) {
        this.be = be;
    }

    @Override
    public void update(Buffer in, Buffer out, Buffer inputs, Buffer targets, int pairs, int k1, int dim, float alpha) {
        if (dim < 1 || dim > MAX_DIM) {
            throw new IllegalArgumentException("word2vec kernel: dim must be in 1.." + MAX_DIM + ", got " + dim);
        }
        if (pairs == 0) {
            return;
        }
        int[] grid = {(int) Math.min(MAX_GRID, (pairs + PAIRS_PER_BLOCK - 1) / PAIRS_PER_BLOCK), 1, 1};
        be.launch(Kernels.Word2vec.SGNS_F32, grid, BLOCK_DIM, 0,
                g -> g.ptr(CudaSparse.p(in)).ptr(CudaSparse.p(out)).ptr(CudaSparse.p(inputs)).ptr(CudaSparse.p(targets))
                        .i32(pairs).i32(k1).i32(dim).f32(alpha));
        Reference.reachabilityFence(new Object[] {in, out, inputs, targets});
    }
}
