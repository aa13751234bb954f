package dev.kiln.nn;

import dev.kiln.Generator;
import dev.kiln.SequenceOps;
import dev.kiln.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-layer, batch-first LSTM ({@code [B, T, input] -> [B, T, hidden]}), one
 * {@link SequenceOps#lstm} call per layer (the input projection of all steps is one GEMM, then a
 * recurrent GEMM and a fused cell kernel per step). Gate order i, f, g, o; weights stored as
 * {@code w_ih<l> [in, 4H]}, {@code w_hh<l> [H, 4H]}, {@code bias<l> [4H]}, uniform in ±1/√H.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(32, 128, 2, new Generator(1));
 * LSTM.Output out = lstm.forward(x, null, null, lengths);   // lengths: INT [B] or null
 * }</pre>
 */
public final class LSTM extends Module {

    /** Output sequence {@code [B, T, H]} and final states {@code h, c} as {@code [layers, B, H]}. */
    public record Output(Tensor output, Tensor h, Tensor c) {
    }

    private final int input;
    private final int hidden;
    private final int layers;

    public LSTM(int input, int hidden, int layers, Generator g) {
        if (input <= 0 || hidden <= 0 || layers <= 0) {
            throw new IllegalArgumentException("LSTM sizes must be positive, got input=" + input + " hidden=" + hidden + " layers=" + layers);
        }
        this.input = input;
        this.hidden = hidden;
        this.layers = layers;
        float bound = (float) (1 / Math.sqrt(hidden));
        for (int l = 0; l < layers; l++) {
            registerParameter("w_ih" + l, Init.uniform(g, bound, l == 0 ? input : hidden, 4 * hidden));
            registerParameter("w_hh" + l, Init.uniform(g, bound, hidden, 4 * hidden));
            registerParameter("bias" + l, Init.uniform(g, bound, 4 * hidden));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, null, null).output();
    }

    /**
     * @param h0      initial hidden states {@code [layers, B, H]} or null (zeros)
     * @param c0      initial cell states {@code [layers, B, H]} or null (zeros)
     * @param lengths valid steps per row (INT {@code [B]}) or null; later steps keep the state
     */
    public Output forward(Tensor x, Tensor h0, Tensor c0, Tensor lengths) {
        if (x.rank() != 3 || x.size(2) != input) {
            throw new IllegalArgumentException("LSTM(" + input + " -> " + hidden + ") needs input [B, T, " + input + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        Tensor out = x;
        for (int l = 0; l < layers; l++) {
            SequenceOps.LstmResult r = SequenceOps.lstm(out, h0 == null ? null : h0.select(0, l), c0 == null ? null : c0.select(0, l),
                    param("w_ih" + l), param("w_hh" + l), param("bias" + l), lengths);
            out = r.output();
            hs.add(r.h());
            cs.add(r.c());
        }
        return new Output(out, Tensor.stack(hs, 0), Tensor.stack(cs, 0));
    }

    public int hiddenSize() {
        return hidden;
    }

    public int numLayers() {
        return layers;
    }

    @Override
    public String toString() {
        return "LSTM(" + input + " -> " + hidden + ", layers=" + layers + ")";
    }
}
