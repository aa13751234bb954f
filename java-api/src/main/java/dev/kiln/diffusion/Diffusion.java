package dev.kiln.diffusion;

import dev.kiln.spi.TensorStorage;
import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;

import java.util.Arrays;

/**
 * The diffusion ops on the {@link DiffusionKernels} family: fused forward noising (one launch per
 * batch) and the fused DDPM ancestral and DDIM reverse steps (one launch per step), plus the
 * sampling loops built from them.
 *
 * <pre>{@code
 * NoiseSchedule s = NoiseSchedule.linear(device, 1000);
 * Tensor t = Diffusion.randomTimesteps(g, device, batch, s.steps());
 * Diffusion.Noised q = Diffusion.qSample(s, x0, t, g);
 * Tensor loss = F.mseLoss(denoiser.forward(q.xt(), t), q.eps());
 * ...
 * Tensor samples = Diffusion.sampleDdpm(s, (x, step) -> denoiser.predict(x, step), new int[] {512, 2}, g);
 * }</pre>
 */
public final class Diffusion {

    private Diffusion() {
    }

    /** A noised batch: {@code xt} and the noise {@code eps} drawn for it (the ε-prediction target). */
    public record Noised(Tensor xt, Tensor eps) {
    }

    /** The noise predictor the samplers call: ε̂ for {@code xt} at timestep {@code t} (all samples). */
    @FunctionalInterface
    public interface EpsModel {
        Tensor predict(Tensor xt, int t);
    }

    private static DiffusionKernels kernels(Tensor x) {
        return TensorStorage.backend(x).kernels(DiffusionKernels.class);
    }

    private static void checkFloat(String op, Tensor x, NoiseSchedule s) {
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + " needs FLOAT32 samples, got " + x.dtype());
        }
        if (!x.device().equals(s.device())) {
            throw new IllegalArgumentException(op + ": samples on " + x.device() + " but the schedule on " + s.device()
                    + " (use schedule.to(device))");
        }
    }

    private static void checkStep(String op, int t, NoiseSchedule s) {
        if (t < 0 || t >= s.steps()) {
            throw new IllegalArgumentException(op + ": timestep " + t + " outside [0, " + s.steps() + ")");
        }
    }

    /** {@code batch} timesteps uniform in {@code [0, T)}, INT32, drawn from {@code g} on the host. */
    public static Tensor randomTimesteps(Generator g, Device device, int batch, int steps) {
        int[] t = new int[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = g.nextInt(steps);
        }
        return Tensor.fromIndices(t).to(device);
    }

    /**
     * Forward noising {@code x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε} with one timestep per sample ({@code t}:
     * INT32 or INT64 {@code [B]}, values in {@code [0, T)}; {@code x0}: {@code [B, ...]}) and ε drawn
     * inside the kernel from {@code g}'s Philox stream. Differentiable in {@code x0}.
     */
    public static Noised qSample(NoiseSchedule s, Tensor x0, Tensor t, Generator g) {
        checkFloat("qSample", x0, s);
        if (x0.rank() < 1 || t.rank() != 1 || t.size(0) != x0.size(0)) {
            throw new IllegalArgumentException("qSample needs x0 [B, ...] and timesteps [B], got "
                    + Arrays.toString(x0.shape()) + " and " + Arrays.toString(t.shape()));
        }
        if (t.dtype() == DType.FLOAT32) {
            throw new IllegalArgumentException("qSample needs INT32 or INT64 timesteps, got FLOAT32");
        }
        Tensor ts = t.dtype() == DType.INT32 ? t : t.toType(DType.INT32);
        if (!ts.device().equals(x0.device())) {
            ts = ts.to(x0.device());
        }
        int batch = x0.size(0);
        long dim = batch == 0 ? 0 : x0.numel() / batch;
        Tensor xt = Tensor.empty(x0.device(), DType.FLOAT32, x0.shape());
        Tensor eps = Tensor.empty(x0.device(), DType.FLOAT32, x0.shape());
        long offset = g.advance(x0.numel());
        kernels(x0).qSample(TensorStorage.buffer(x0), TensorStorage.buffer(ts), TensorStorage.buffer(s.table()), s.steps(), TensorStorage.buffer(xt), TensorStorage.buffer(eps),
                batch, dim, g.seed(), offset);
        Tensor tsFinal = ts;
        Tensor out = Autograd.op("qSample", xt, gy -> {
            int[] bshape = new int[x0.rank()];
            Arrays.fill(bshape, 1);
            bshape[0] = batch;
            Tensor a = s.row(NoiseSchedule.SQRT_ALPHA_BAR).indexSelect(0, tsFinal).reshape(bshape);
            return new Tensor[] {gy.mul(a)};
        }, x0);
        return new Noised(out, eps);
    }

    /**
     * One DDPM ancestral step from {@code x_t} to {@code x_{t−1}} given the predicted noise (one
     * launch): the x0 estimate (clipped to {@code ±clip} when {@code clip > 0}), the posterior mean,
     * and posterior-std noise from {@code g} (none at {@code t = 0}). Not differentiable.
     */
    public static Tensor ddpmStep(NoiseSchedule s, Tensor xt, Tensor epsPred, int t, float clip, Generator g) {
        checkFloat("ddpmStep", xt, s);
        checkPair("ddpmStep", xt, epsPred);
        checkStep("ddpmStep", t, s);
        Tensor out = Tensor.empty(xt.device(), DType.FLOAT32, xt.shape());
        long offset = t > 0 ? g.advance(xt.numel()) : g.offset();
        kernels(xt).ddpmStep(TensorStorage.buffer(xt), TensorStorage.buffer(epsPred), TensorStorage.buffer(s.table()), s.steps(), t, TensorStorage.buffer(out), xt.numel(),
                clip, g.seed(), offset);
        return out;
    }

    /**
     * One deterministic DDIM step (η = 0) from {@code t} to {@code tPrev} ({@code -1}: straight to the
     * x0 estimate), any {@code tPrev < t}: one launch. Not differentiable.
     */
    public static Tensor ddimStep(NoiseSchedule s, Tensor xt, Tensor epsPred, int t, int tPrev, float clip) {
        checkFloat("ddimStep", xt, s);
        checkPair("ddimStep", xt, epsPred);
        checkStep("ddimStep", t, s);
        if (tPrev < -1 || tPrev >= t) {
            throw new IllegalArgumentException("ddimStep: tPrev must be in [-1, t) = [-1, " + t + "), got " + tPrev);
        }
        Tensor out = Tensor.empty(xt.device(), DType.FLOAT32, xt.shape());
        kernels(xt).ddimStep(TensorStorage.buffer(xt), TensorStorage.buffer(epsPred), TensorStorage.buffer(s.table()), s.steps(), t, tPrev, TensorStorage.buffer(out),
                xt.numel(), clip);
        return out;
    }

    private static void checkPair(String op, Tensor xt, Tensor eps) {
        if (!Arrays.equals(xt.shape(), eps.shape()) || eps.dtype() != DType.FLOAT32 || !eps.device().equals(xt.device())) {
            throw new IllegalArgumentException(op + ": the predicted noise must be FLOAT32 of the sample's shape "
                    + Arrays.toString(xt.shape()) + " on " + xt.device() + ", got " + eps.dtype() + " "
                    + Arrays.toString(eps.shape()) + " on " + eps.device());
        }
    }

    /**
     * {@code count} timesteps of a DDIM sub-sequence, descending from {@code T−1}:
     * {@code T−1 − round(i·(T−1)/(count−1))}, the last one 0 (for {@code count = 1}: just {@code T−1}).
     */
    public static int[] ddimTimesteps(int steps, int count) {
        if (count < 1 || count > steps) {
            throw new IllegalArgumentException("DDIM needs 1 <= count <= T = " + steps + ", got " + count);
        }
        int[] ts = new int[count];
        for (int i = 0; i < count; i++) {
            ts[i] = count == 1 ? steps - 1 : (int) (steps - 1 - Math.round((double) i * (steps - 1) / (count - 1)));
        }
        return ts;
    }

    /** x_T ~ N(0, I) of {@code shape}, then T DDPM steps; gradients are off. */
    public static Tensor sampleDdpm(NoiseSchedule s, EpsModel model, int[] shape, Generator g) {
        try (var scope = Autograd.noGrad()) {
            Tensor x = Tensor.randn(g, s.device(), shape);
            for (int t = s.steps() - 1; t >= 0; t--) {
                x = ddpmStep(s, x, model.predict(x, t), t, 0f, g);
            }
            return x;
        }
    }

    /** x_T ~ N(0, I), then DDIM over {@link #ddimTimesteps}{@code (T, count)} and a last step to x0. */
    public static Tensor sampleDdim(NoiseSchedule s, EpsModel model, int[] shape, int count, Generator g) {
        try (var scope = Autograd.noGrad()) {
            int[] ts = ddimTimesteps(s.steps(), count);
            Tensor x = Tensor.randn(g, s.device(), shape);
            for (int i = 0; i < ts.length; i++) {
                int prev = i + 1 < ts.length ? ts[i + 1] : -1;
                x = ddimStep(s, x, model.predict(x, ts[i]), ts[i], prev, 0f);
            }
            return x;
        }
    }
}
