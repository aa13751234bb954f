package dev.kiln.diffusion;

import dev.kiln.spi.TensorStorage;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;

/**
 * A diffusion noise schedule over {@code T} steps, precomputed once on its device by the
 * {@link DiffusionKernels} family: one {@code [ROWS, T]} FLOAT32 table whose rows the fused
 * kernels gather from ({@code t = 0 .. T-1} are the papers' steps {@code 1 .. T}).
 *
 * <ul>
 *   <li>{@link #linear}: β linear from 1e-4 to 0.02 (Ho et al. 2020, with T = 1000);</li>
 *   <li>{@link #cosine}: ᾱ_t = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s)·π/2), s = 0.008, each β
 *       clipped at 0.999 (Nichol &amp; Dhariwal 2021).</li>
 * </ul>
 *
 * <pre>{@code
 * NoiseSchedule s = NoiseSchedule.cosine(device, 1000);
 * Diffusion.Noised q = Diffusion.qSample(s, x0, t, g);                 // x_t and the eps drawn
 * Tensor loss = F.mseLoss(model.forward(q.xt(), t), q.eps());
 * }</pre>
 */
public final class NoiseSchedule {

    /** Schedule kinds. */
    public enum Kind { LINEAR, COSINE }

    /** Row of β_t. */
    public static final int BETA = 0;
    /** Row of ᾱ_t = ∏_{s ≤ t} (1 − β_s). */
    public static final int ALPHA_BAR = 1;
    /** Row of √ᾱ_t. */
    public static final int SQRT_ALPHA_BAR = 2;
    /** Row of √(1 − ᾱ_t). */
    public static final int SQRT_ONE_MINUS_ALPHA_BAR = 3;
    /** Row of the posterior variance β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) (0 at t = 0). */
    public static final int POSTERIOR_VARIANCE = 4;
    /** Row of the posterior standard deviation. */
    public static final int POSTERIOR_STD = 5;
    /** Row of the posterior mean's coefficient on x0: β_t √ᾱ_{t−1} / (1 − ᾱ_t). */
    public static final int POSTERIOR_COEF_X0 = 6;
    /** Row of the posterior mean's coefficient on x_t: (1 − ᾱ_{t−1}) √(1 − β_t) / (1 − ᾱ_t). */
    public static final int POSTERIOR_COEF_XT = 7;
    /** Row of √(1/ᾱ_t). */
    public static final int SQRT_RECIP_ALPHA_BAR = 8;
    /** Row of √(1/ᾱ_t − 1). */
    public static final int SQRT_RECIP_M1_ALPHA_BAR = 9;

    private final Kind kind;
    private final int steps;
    private final float beta0, beta1, s, maxBeta;
    private final Tensor table;

    private NoiseSchedule(Device device, Kind kind, int steps, float beta0, float beta1, float s, float maxBeta) {
        if (steps < 1) {
            throw new IllegalArgumentException("a noise schedule needs T >= 1 steps, got " + steps);
        }
        if (kind == Kind.LINEAR && !(beta0 > 0 && beta1 >= beta0 && beta1 < 1)) {
            throw new IllegalArgumentException("linear schedule needs 0 < beta0 <= beta1 < 1, got " + beta0 + ", " + beta1);
        }
        if (kind == Kind.COSINE && !(s >= 0 && maxBeta > 0 && maxBeta < 1)) {
            throw new IllegalArgumentException("cosine schedule needs s >= 0 and 0 < maxBeta < 1, got " + s + ", " + maxBeta);
        }
        this.kind = kind;
        this.steps = steps;
        this.beta0 = beta0;
        this.beta1 = beta1;
        this.s = s;
        this.maxBeta = maxBeta;
        this.table = Tensor.empty(device, DType.FLOAT32, DiffusionKernels.ROWS, steps);
        TensorStorage.backend(table).kernels(DiffusionKernels.class).schedule(TensorStorage.buffer(table), steps,
                kind == Kind.LINEAR ? DiffusionKernels.LINEAR : DiffusionKernels.COSINE, beta0, beta1, s, maxBeta);
    }

    /** Ho et al.'s linear schedule: β from 1e-4 to 0.02 (their values for T = 1000). */
    public static NoiseSchedule linear(Device device, int steps) {
        return linear(device, steps, 1e-4f, 0.02f);
    }

    /** β linear from {@code beta0} (t = 0) to {@code beta1} (t = T−1). */
    public static NoiseSchedule linear(Device device, int steps, float beta0, float beta1) {
        return new NoiseSchedule(device, Kind.LINEAR, steps, beta0, beta1, 0f, 0f);
    }

    /** Nichol and Dhariwal's cosine schedule with s = 0.008 and β clipped at 0.999. */
    public static NoiseSchedule cosine(Device device, int steps) {
        return cosine(device, steps, 0.008f, 0.999f);
    }

    public static NoiseSchedule cosine(Device device, int steps, float s, float maxBeta) {
        return new NoiseSchedule(device, Kind.COSINE, steps, 0f, 0f, s, maxBeta);
    }

    /** The same schedule computed on {@code device}. */
    public NoiseSchedule to(Device device) {
        return device.equals(table.device()) ? this : new NoiseSchedule(device, kind, steps, beta0, beta1, s, maxBeta);
    }

    public Kind kind() {
        return kind;
    }

    /** T, the number of diffusion steps. */
    public int steps() {
        return steps;
    }

    public Device device() {
        return table.device();
    }

    /** The whole {@code [ROWS, T]} table. */
    public Tensor table() {
        return table;
    }

    /** One row of the table, {@code [T]} (e.g. {@link #ALPHA_BAR}). */
    public Tensor row(int row) {
        if (row < 0 || row >= DiffusionKernels.ROWS) {
            throw new IllegalArgumentException("row must be in [0, " + DiffusionKernels.ROWS + "), got " + row);
        }
        return table.select(0, row);
    }

    public Tensor betas() {
        return row(BETA);
    }

    public Tensor alphaBar() {
        return row(ALPHA_BAR);
    }

    /** The row on the host. */
    public float[] rowArray(int row) {
        return row(row).toFloatArray();
    }

    @Override
    public String toString() {
        return kind == Kind.LINEAR ? "NoiseSchedule[linear " + beta0 + ".." + beta1 + ", T=" + steps + "]"
                : "NoiseSchedule[cosine s=" + s + ", T=" + steps + "]";
    }
}
