package dev.kiln.word2vec;

import dev.kiln.backend.cpu.CpuSimd;

/**
 * One skip-gram negative-sampling update on two flat {@code float[]} tables, the inner loop of
 * word2vec on the CPU: for the input row at {@code l1} and its targets (the positive first, then the
 * noise words), {@code f = in·out[t]}, {@code g = (label − σ(f))·alpha}, {@code e += g·out[t]},
 * {@code out[t] += g·in}; then {@code in += e} once (word2vec.c's and gensim's {@code neu1e}).
 * A noise word equal to the positive is skipped; beyond {@code |f| > 6} σ is clipped to 0 or 1.
 *
 * <p>Two forms with one contract: the Vector API form ({@code SgnsRowsVector}, loaded only when
 * {@link CpuSimd#enabled()}) and the scalar form here. Their results differ only by the order of the
 * dot product's float sums and by fused multiply-adds (a few ulps of a row; tested against a double
 * reference). Nothing is allocated; the tables are written without locks, so threads that share them
 * race as word2vec's Hogwild threads do.
 *
 * <p>σ comes either from word2vec.c's {@code EXP_TABLE} ({@value #EXP_TABLE_SIZE} entries over
 * [−{@value #MAX_EXP}, {@value #MAX_EXP}], what the multi-threaded trainer uses) or from
 * {@link Math#exp} (what {@link CpuSgns} uses, to match the CUDA kernel).
 */
public final class SgnsRows {

    /** Entries of the σ table. */
    public static final int EXP_TABLE_SIZE = 1000;
    /** σ is clipped beyond |f| > MAX_EXP. */
    public static final int MAX_EXP = 6;
    private static final float[] EXP_TABLE = new float[EXP_TABLE_SIZE];
    private static final boolean VECTOR = CpuSimd.enabled();

    static {
        for (int i = 0; i < EXP_TABLE_SIZE; i++) {
            double e = Math.exp((i / (double) EXP_TABLE_SIZE * 2 - 1) * MAX_EXP);
            EXP_TABLE[i] = (float) (e / (e + 1));
        }
    }

    private SgnsRows() {
    }

    /**
     * Applies one pair in place.
     *
     * @param in      the input table (word vectors), {@code rows × dim}
     * @param out     the output table, {@code rows × dim}
     * @param l1      offset of the input row in {@code in} (row × dim)
     * @param targets row ids: {@code targets[at]} the positive, {@code targets[at + 1 .. at + k1)} the noise words
     * @param e       scratch of at least {@code dim} floats (overwritten)
     * @param table   σ from the 1000-entry table (word2vec.c) rather than {@link Math#exp}
     */
    public static void pair(float[] in, float[] out, int l1, int[] targets, int at, int k1, int dim, float alpha, float[] e,
                            boolean table) {
        if (VECTOR) {
            SgnsRowsVector.pair(in, out, l1, targets, at, k1, dim, alpha, e, table);
        } else {
            pairScalar(in, out, l1, targets, at, k1, dim, alpha, e, table);
        }
    }

    /** The scalar form of {@link #pair} (the only one a JVM without the Vector API runs). */
    static void pairScalar(float[] in, float[] out, int l1, int[] targets, int at, int k1, int dim, float alpha, float[] e,
                           boolean table) {
        java.util.Arrays.fill(e, 0, dim, 0f);
        int positive = targets[at];
        for (int j = 0; j < k1; j++) {
            int t = targets[at + j];
            if (j > 0 && t == positive) {
                continue;
            }
            int l2 = t * dim;
            float g = gradient(dot(in, l1, out, l2, dim), j == 0 ? 1f : 0f, alpha, table);
            for (int c = 0; c < dim; c++) {
                float o = out[l2 + c];
                e[c] += g * o;
                out[l2 + c] = o + g * in[l1 + c];
            }
        }
        for (int c = 0; c < dim; c++) {
            in[l1 + c] += e[c];
        }
    }

    /** Four partial sums: the JIT does not reorder a float reduction, so one sum would be a latency chain. */
    static float dot(float[] a, int ia, float[] b, int ib, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int c = 0;
        for (; c + 3 < n; c += 4) {
            s0 += a[ia + c] * b[ib + c];
            s1 += a[ia + c + 1] * b[ib + c + 1];
            s2 += a[ia + c + 2] * b[ib + c + 2];
            s3 += a[ia + c + 3] * b[ib + c + 3];
        }
        for (; c < n; c++) {
            s0 += a[ia + c] * b[ib + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code (label − σ(f))·alpha}, clipped as word2vec does beyond |f| = {@value #MAX_EXP}. */
    public static float gradient(float f, float label, float alpha, boolean table) {
        if (f > MAX_EXP) {
            return (label - 1f) * alpha;
        }
        if (f < -MAX_EXP) {
            return label * alpha;
        }
        float s = table ? EXP_TABLE[(int) ((f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2))]
                : (float) (1.0 / (1.0 + Math.exp(-f)));
        return (label - s) * alpha;
    }
}
