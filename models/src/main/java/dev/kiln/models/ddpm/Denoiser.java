package dev.kiln.models.ddpm;

import dev.kiln.DType;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.GenerativeF;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.TimestepEmbedding;

/**
 * The ε-prediction network of the 2-D DDPM: an MLP over the point whose hidden layers each add a
 * projection of the sinusoidal timestep embedding before their SiLU,
 * {@code h_k = silu(W_k h_{k−1} + U_k e)}, {@code e = silu(W_e·emb(t))}, output {@code [B, 2]}.
 * {@link #forward(Tensor)} takes the packed rows {@code [x, y, t]} (t as a float), the form
 * one-tensor training loops hand over; {@link #predict} takes the point and INT32 timesteps.
 */
public final class Denoiser extends Module {

    private final int layers;

    public Denoiser(int steps, int embDim, int hidden, int layers, Generator g) {
        this.layers = layers;
        registerModule("embedding", new TimestepEmbedding(steps, embDim));
        registerModule("time", new Linear(embDim, hidden, g));
        for (int k = 0; k < layers; k++) {
            registerModule("layer" + k, new Linear(k == 0 ? 2 : hidden, hidden, g));
            registerModule("cond" + k, new Linear(hidden, hidden, false, g));
        }
        registerModule("out", new Linear(hidden, 2, g));
    }

    /** ε̂ for points {@code x [B, 2]} at timesteps {@code t} (INT32 or INT64 {@code [B]}). */
    public Tensor predict(Tensor x, Tensor t) {
        TimestepEmbedding emb = module("embedding");
        Linear time = module("time");
        Tensor e = GenerativeF.silu(time.forward(emb.forward(t)));
        Tensor h = x;
        for (int k = 0; k < layers; k++) {
            Linear layer = module("layer" + k), cond = module("cond" + k);
            h = GenerativeF.silu(layer.forward(h).add(cond.forward(e)));
        }
        Linear out = module("out");
        return out.forward(h);
    }

    /** Packed rows {@code [B, 3]}: the point and its timestep as a float. */
    @Override
    public Tensor forward(Tensor packed) {
        return predict(packed.slice(1, 0, 2), packed.select(1, 2).toType(DType.INT32));
    }
}
