package dev.kiln.word2vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SgnsRows#pair} on the Vector API: the dot product, the fused {@code e += g·o; o += g·in}
 * update and the final {@code in += e}, a full vector at a time (16 floats with AVX-512), the
 * {@code dim mod 16} tail in scalar code. Loaded only when {@code CpuSimd.enabled()}.
 */
final class SgnsRowsVector {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SgnsRowsVector() {
    }

    static void pair(float[] in, float[] out, int l1, int[] targets, int at, int k1, int dim, float alpha, float[] e,
                     boolean table) {
        int bound = S.loopBound(dim);
        int positive = targets[at];
        for (int j = 0; j < k1; j++) {
            int t = targets[at + j];
            if (j > 0 && t == positive) {
                continue;
            }
            int l2 = t * dim;
            float g = SgnsRows.gradient(dot(in, l1, out, l2, dim, bound), j == 0 ? 1f : 0f, alpha, table);
            FloatVector gv = FloatVector.broadcast(S, g);
            int c = 0;
            if (j == 0) {  // the positive is never skipped: e starts here
                for (; c < bound; c += L) {
                    FloatVector o = FloatVector.fromArray(S, out, l2 + c);
                    o.mul(gv).intoArray(e, c);
                    FloatVector.fromArray(S, in, l1 + c).fma(gv, o).intoArray(out, l2 + c);
                }
                for (; c < dim; c++) {
                    float o = out[l2 + c];
                    e[c] = g * o;
                    out[l2 + c] = o + g * in[l1 + c];
                }
            } else {
                for (; c < bound; c += L) {
                    FloatVector o = FloatVector.fromArray(S, out, l2 + c);
                    o.fma(gv, FloatVector.fromArray(S, e, c)).intoArray(e, c);
                    FloatVector.fromArray(S, in, l1 + c).fma(gv, o).intoArray(out, l2 + c);
                }
                for (; c < dim; c++) {
                    float o = out[l2 + c];
                    e[c] += g * o;
                    out[l2 + c] = o + g * in[l1 + c];
                }
            }
        }
        int c = 0;
        for (; c < bound; c += L) {
            FloatVector.fromArray(S, in, l1 + c).add(FloatVector.fromArray(S, e, c)).intoArray(in, l1 + c);
        }
        for (; c < dim; c++) {
            in[l1 + c] += e[c];
        }
    }

    /** Two vector accumulators (the FMA latency chain halved), reduced once, then the scalar tail. */
    static float dot(float[] a, int ia, float[] b, int ib, int n, int bound) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int c = 0;
        for (; c + L < bound; c += 2 * L) {
            s0 = FloatVector.fromArray(S, a, ia + c).fma(FloatVector.fromArray(S, b, ib + c), s0);
            s1 = FloatVector.fromArray(S, a, ia + c + L).fma(FloatVector.fromArray(S, b, ib + c + L), s1);
        }
        if (c < bound) {
            s0 = FloatVector.fromArray(S, a, ia + c).fma(FloatVector.fromArray(S, b, ib + c), s0);
            c += L;
        }
        float f = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; c < n; c++) {
            f += a[ia + c] * b[ib + c];
        }
        return f;
    }
}
