package dev.kiln.models.imagegen;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Conv2d;
import dev.kiln.nn.GenerativeF;
import dev.kiln.nn.GroupNorm;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.TimestepEmbedding;
import dev.kiln.nn.Upsample;

import java.util.List;

/**
 * The ε-prediction network of the Fashion-MNIST DDPM: a small U-Net over three resolutions
 * (28, 14, 7) with base width {@code C}:
 * <pre>
 * conv 1→C ─ res C→C (28) ──────────────────────────────┐ skip
 *   conv C→C stride 2 ─ res C→2C (14) ────────────┐ skip │
 *     conv 2C→2C stride 2 ─ res 2C→2C (7)          │      │
 *   upsample ×2 ─ cat ─ res 4C→2C (14) ───────────┘      │
 * upsample ×2 ─ cat ─ res 3C→C (28) ────────────────────┘
 * GroupNorm ─ SiLU ─ conv C→1
 * </pre>
 * Each residual block is {@code GroupNorm → SiLU → conv 3×3 → + W·e → GroupNorm → SiLU → conv 3×3},
 * plus its input (through a 1×1 conv when the width changes); {@code e = silu(W_e·emb(t))} with
 * {@code emb} the sinusoidal {@link TimestepEmbedding} of width {@code 4C}. GroupNorm uses 8 groups.
 */
public final class UNet extends Module {

    static final int GROUPS = 8;

    private final int base;

    public UNet(int steps, int base, Generator g) {
        if (base <= 0 || base % GROUPS != 0) {
            throw new IllegalArgumentException("the U-Net's base width must be a positive multiple of " + GROUPS + ", got " + base);
        }
        this.base = base;
        int c = base, e = 4 * base;
        registerModule("embedding", new TimestepEmbedding(steps, e));
        registerModule("time", new Linear(e, e, g));
        registerModule("in", new Conv2d(1, c, 3, 1, 1, g));
        registerModule("res1", new Res(c, c, e, g));
        registerModule("down1", new Conv2d(c, c, 3, 2, 1, g));
        registerModule("res2", new Res(c, 2 * c, e, g));
        registerModule("down2", new Conv2d(2 * c, 2 * c, 3, 2, 1, g));
        registerModule("mid", new Res(2 * c, 2 * c, e, g));
        registerModule("up2", new Res(4 * c, 2 * c, e, g));
        registerModule("up1", new Res(3 * c, c, e, g));
        registerModule("norm", new GroupNorm(GROUPS, c));
        registerModule("out", new Conv2d(c, 1, 3, 1, 1, g));
        registerModule("upsample", new Upsample(2));
    }

    /** The base width {@code C}. */
    public int base() {
        return base;
    }

    /** ε̂ for images {@code x [B, 1, 28, 28]} at timesteps {@code t} (INT32 {@code [B]}). */
    public Tensor predict(Tensor x, Tensor t) {
        Tensor e = GenerativeF.silu(this.<Linear>module("time").forward(this.<TimestepEmbedding>module("embedding").forward(t)));
        Tensor h0 = this.<Conv2d>module("in").forward(x);
        Tensor s1 = this.<Res>module("res1").apply(h0, e);
        Tensor s2 = this.<Res>module("res2").apply(this.<Conv2d>module("down1").forward(s1), e);
        Tensor m = this.<Res>module("mid").apply(this.<Conv2d>module("down2").forward(s2), e);
        Upsample up = module("upsample");
        Tensor u2 = this.<Res>module("up2").apply(Tensor.cat(List.of(up.forward(m), s2), 1), e);
        Tensor u1 = this.<Res>module("up1").apply(Tensor.cat(List.of(up.forward(u2), s1), 1), e);
        return this.<Conv2d>module("out").forward(GenerativeF.silu(this.<GroupNorm>module("norm").forward(u1)));
    }

    /** Not a one-input module: use {@link #predict}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("the U-Net takes images and timesteps: call predict(x, t)");
    }

    /** A residual block conditioned on the time vector. */
    static final class Res extends Module {
        private final int out;
        private final boolean project;

        Res(int in, int out, int embDim, Generator g) {
            this.out = out;
            this.project = in != out;
            registerModule("norm1", new GroupNorm(GROUPS, in));
            registerModule("conv1", new Conv2d(in, out, 3, 1, 1, g));
            registerModule("time", new Linear(embDim, out, g));
            registerModule("norm2", new GroupNorm(GROUPS, out));
            registerModule("conv2", new Conv2d(out, out, 3, 1, 1, g));
            if (project) {
                registerModule("skip", new Conv2d(in, out, 1, 1, 0, g));
            }
        }

        Tensor apply(Tensor x, Tensor e) {
            Tensor h = this.<Conv2d>module("conv1").forward(GenerativeF.silu(this.<GroupNorm>module("norm1").forward(x)));
            h = h.add(this.<Linear>module("time").forward(e).reshape(x.size(0), out, 1, 1));
            h = this.<Conv2d>module("conv2").forward(GenerativeF.silu(this.<GroupNorm>module("norm2").forward(h)));
            return h.add(project ? this.<Conv2d>module("skip").forward(x) : x);
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("a conditioned block: call apply(x, e)");
        }
    }
}
