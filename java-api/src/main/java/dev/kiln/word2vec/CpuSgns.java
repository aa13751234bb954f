package dev.kiln.word2vec;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.cpu.CpuBackend;

/**
 * The {@link SgnsKernels} family on the CPU: the pairs one after another, in order, on the calling
 * thread (deterministic). Kiln's multi-threaded word2vec trainer works on its own arrays; this is
 * the reference the CUDA kernel is compared with.
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
        float[] e = new float[dim];
        for (int p = 0; p < pairs; p++) {
            update(syn0, syn1, (int) inp[p] * dim, tg, (long) p * k1, k1, dim, alpha, e);
        }
    }

    /** One pair: input row at {@code l1}, targets {@code tg[at .. at + k1)}, {@code e} a scratch row. */
    private static void update(float[] syn0, float[] syn1, int l1, long[] tg, long at, int k1, int dim, float alpha, float[] e) {
        java.util.Arrays.fill(e, 0f);
        int positive = (int) tg[(int) at];
        for (int j = 0; j < k1; j++) {
            int t = (int) tg[(int) at + j];
            if (j > 0 && t == positive) {
                continue;
            }
            int l2 = t * dim;
            float f = 0f;
            for (int c = 0; c < dim; c++) {
                f += syn0[l1 + c] * syn1[l2 + c];
            }
            float g = gradient(f, j == 0 ? 1f : 0f, alpha);
            for (int c = 0; c < dim; c++) {
                e[c] += g * syn1[l2 + c];
                syn1[l2 + c] += g * syn0[l1 + c];
            }
        }
        for (int c = 0; c < dim; c++) {
            syn0[l1 + c] += e[c];
        }
    }

    /** {@code (label − σ(f))·alpha}, clipped as word2vec does beyond |f| = 6. */
    public static float gradient(float f, float label, float alpha) {
        if (f > 6f) {
            return (label - 1f) * alpha;
        }
        if (f < -6f) {
            return label * alpha;
        }
        return (label - (float) (1.0 / (1.0 + Math.exp(-f)))) * alpha;
    }
}
