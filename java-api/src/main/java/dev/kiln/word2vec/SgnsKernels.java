package dev.kiln.word2vec;

import dev.kiln.backend.Buffer;

/**
 * The word2vec kernel family: the fused skip-gram negative-sampling update of word2vec's inner loop,
 * applied in place to the two embedding tables. On CUDA one warp runs one pair
 * ({@code kernels/src/word2vec.cu}); on the CPU the pairs run one after another ({@link CpuSgns}).
 *
 * <p>For pair {@code p}, input row {@code i = inputs[p]}, positive {@code t0 = targets[p·k1]} and
 * negatives {@code targets[p·k1 + 1 .. p·k1 + k1 - 1]} (a negative equal to {@code t0} is skipped):
 * for each target {@code t} with label 1 for the positive and 0 for the negatives,
 * {@code f = in[i]·out[t]}, {@code g = (label − σ(f))·alpha} (for {@code f > 6}: {@code (label − 1)·alpha},
 * for {@code f < −6}: {@code label·alpha}), {@code e += g·out[t]}, {@code out[t] += g·in[i]}; then
 * {@code in[i] += e}. Pairs that share rows race without locks on CUDA (Hogwild), as word2vec's
 * threads do.
 */
public interface SgnsKernels {

    /** The widest rows the kernels take. */
    int MAX_DIM = 512;

    /**
     * Applies {@code pairs} updates to {@code in [rows, dim]} and {@code out [rows, dim]} (FLOAT32) with
     * {@code inputs} INT32 {@code [pairs]} and {@code targets} INT32 {@code [pairs, k1]}; every index
     * must be below {@code rows} (the caller checks).
     */
    void update(Buffer in, Buffer out, Buffer inputs, Buffer targets, int pairs, int k1, int dim, float alpha);
}
