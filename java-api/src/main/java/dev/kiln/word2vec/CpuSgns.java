package dev.kiln.word2vec;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.cpu.CpuBackend;

/**
 * The {@link SgnsKernels} family on the CPU: the pairs one after another, in order, on the calling
 * thread (deterministic), each through {@link SgnsRows#pair} with the exact σ. Kiln's multi-threaded
 * word2vec trainer runs the same {@link SgnsRows#pair} on its own arrays; this is the reference the
 * CUDA kernel is compared with.
 */
public final class CpuSgns implements SgnsKernels {

    /** The provider line in {@code META-INF/services/dev.kiln.backend.KernelFamily}. */
    public static final class Provider extends FamilyProvider<SgnsKernels, CpuBackend> {
        public Provider() {
            super(SgnsKernels.class, CpuBackend.class, CpuSgns::new);
        }
    }

    private final CpuBackend be;

    CpuSgns(CpuBackend be) {
        this.be = be;
    }

    @Override
    public void update(Buffer in, Buffer out, Buffer inputs, Buffer targets, int pairs, int k1, int dim, float alpha) {
        long[] inp = be.downloadIndices(inputs), tg = be.downloadIndices(targets);
        float[] syn0 = CpuBackend.array(in), syn1 = CpuBackend.array(out);
        int[] t = new int[k1];
        float[] e = new float[dim];
        for (int p = 0; p < pairs; p++) {
            for (int j = 0; j < k1; j++) {
                t[j] = (int) tg[p * k1 + j];
            }
            SgnsRows.pair(syn0, syn1, (int) inp[p] * dim, t, 0, k1, dim, alpha, e, false);
        }
    }
}
