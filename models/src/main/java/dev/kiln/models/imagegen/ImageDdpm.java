package dev.kiln.models.imagegen;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.diffusion.Diffusion;
import dev.kiln.diffusion.NoiseSchedule;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.ddpm.DdpmModel;
import dev.kiln.models.train.Evaluation;
import dev.kiln.models.train.Steps;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.TrainState;
import dev.kiln.models.train.TrainStep;
import dev.kiln.models.train.WeightAverage;
import dev.kiln.models.train.Trainer;
import dev.kiln.optim.AdamW;
import dev.kiln.optim.LRScheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * {@code kiln train ddpm --dataset fashion-mnist}: ε-prediction with the MSE loss under the linear
 * schedule, T = 1000, with the {@link UNet}. After every epoch: 50 DDIM steps from fixed noise give
 * the evaluation samples (their Fréchet distance, {@code test_frechet_cnn}, and
 * {@code grid-epoch-NN.png}); at the end the samples of 50 DDIM steps ({@code samples-ddim50.png},
 * the headline distance) and of all 1000 ancestral DDPM steps ({@code samples-ddpm1000.png}, with
 * its own distance on {@code frechet_ddpm1000}). Both samplers clip the x0 estimate to [−1, 1].
 *
 * <p>Samples come from an exponential moving average of the denoiser's weights (module {@code ema}
 * of the checkpoint; decay {@link Preset#emaDecay}, with the usual warm-up), as in Ho et al.: the
 * raw weights of a run this short give noticeably worse samples. The system property
 * {@code kiln.ddpm.base} overrides the preset's U-Net width (a multiple of 8), for CPU runs of the
 * full preset; {@code kiln sample} reads the width from the checkpoint.
 */
public final class ImageDdpm {

    public static final int T = 1000;
    public static final int DDIM_STEPS = 50;
    private static final long NOISE_STREAM = 0x1D0153L, SAMPLE_STREAM = 0x1D5A3EL;
    private static final int CHUNK = 200;
    /**
     * The system property that overrides the preset's number of 1000-step ancestral samples drawn
     * at the end (each costs 1000 U-Net evaluations: a CPU run of the full preset draws a grid's worth).
     */
    public static final String ANCESTRAL_PROPERTY = "kiln.ddpm.ancestral";
    /** The checkpoint's module holding the moving average of the denoiser's weights (what samples use). */
    public static final String EMA = "ema";

    /** The sizes of one run: training images 0 means all 60,000. */
    public record Preset(int epochs, int stepsPerEpoch, int batch, float lr, int base, float emaDecay, int trainSize,
                         int testSize, int evalSamples, int ddpmSamples) {
    }

    public static final Preset FULL = new Preset(20, 1000, 128, 2e-4f, 32, 0.9995f, 0, 10_000, 10_000, 10_000);
    public static final Preset QUICK = new Preset(3, 40, 16, 2e-3f, 8, 0.99f, 2000, 500, 64, 4);

    private ImageDdpm() {
    }

    /** The preset a run uses. */
    public static Preset preset(boolean quick) {
        return quick ? QUICK : FULL;
    }

    /** The U-Net width of a run: {@code kiln.ddpm.base} when set, else the preset's. */
    static int base(Preset p) {
        return Integer.getInteger("kiln.ddpm.base", p.base());
    }

    /**
     * {@code n} images {@code [n·784]} from fixed noise ({@code seed}): {@code steps} DDIM steps, or
     * the full ancestral DDPM chain when {@code steps == T}; in chunks of {@value #CHUNK}.
     */
    public static float[] sample(UNet model, NoiseSchedule s, int n, int steps, long seed, Device dev) {
        if (steps < 1 || steps > s.steps()) {
            throw new IllegalArgumentException("steps must be in [1, T = " + s.steps() + "], got " + steps);
        }
        float[] out = new float[n * 784];
        Generator g = new Generator(seed ^ SAMPLE_STREAM);
        try (var scope = Autograd.noGrad()) {
            for (int from = 0; from < n; from += CHUNK) {
                int b = Math.min(CHUNK, n - from);
                Tensor[] ts = new Tensor[s.steps()];
                Tensor x = Tensor.randn(g, dev, b, 1, 28, 28);
                int[] seq = steps == s.steps() ? null : Diffusion.ddimTimesteps(s.steps(), steps);
                int count = seq == null ? s.steps() : seq.length;
                for (int i = 0; i < count; i++) {
                    int t = seq == null ? s.steps() - 1 - i : seq[i];
                    if (ts[t] == null) {
                        int[] v = new int[b];
                        Arrays.fill(v, t);
                        ts[t] = Tensor.fromIndices(v).to(dev);
                    }
                    Tensor eps = model.predict(x, ts[t]);
                    x = seq == null ? Diffusion.ddpmStep(s, x, eps, t, 1f, g)
                            : Diffusion.ddimStep(s, x, eps, t, i + 1 < count ? seq[i + 1] : -1, 1f);
                }
                System.arraycopy(x.toFloatArray(), 0, out, from * 784, b * 784);
            }
        }
        return out;
    }

    /**
     * {@code n} images from a trained U-Net's state (its width read from the state's input
     * convolution); see {@link #sample}.
     */
    public static float[] sample(java.util.Map<String, Tensor> denoiser, int n, int steps, long seed, Device dev) {
        Tensor in = denoiser.get("in.weight");
        if (in == null || in.rank() != 4) {
            throw new IllegalArgumentException("the state holds no U-Net input convolution 'in.weight'");
        }
        UNet model = new UNet(T, in.size(0), new Generator(seed));
        model.loadStateDict(denoiser);
        model.to(dev);
        model.eval();
        return sample(model, NoiseSchedule.linear(dev, T), n, steps, seed, dev);
    }

    public static RunResult train(String name, RunRequest req) throws IOException {
        Preset p = preset(req.quick());
        ImageRun run = new ImageRun(req, p.trainSize(), p.testSize(), p.evalSamples(), p.epochs(), p.batch(), p.lr());
        Device dev = run.device;
        int epochs = run.epochs, batch = run.batch;
        float lr = run.lr;
        int nDdpm = Math.min(Integer.getInteger(ANCESTRAL_PROPERTY, p.ddpmSamples()), run.evalSamples);
        if (nDdpm < 1) {
            throw new IllegalArgumentException(ANCESTRAL_PROPERTY + " must be at least 1, got " + nDdpm);
        }
        NoiseSchedule sched = NoiseSchedule.linear(dev, T);
        int base = base(p);
        UNet model = new UNet(T, base, new Generator(req.seed()));
        UNet ema = new UNet(T, base, new Generator(req.seed()));
        model.to(dev);
        ema.to(dev);
        WeightAverage average = new WeightAverage(model, ema);
        AdamW opt = new AdamW(model.parameters(), lr);
        LRScheduler cosine = LRScheduler.cosine(opt, epochs * p.stepsPerEpoch(), lr * 0.05f);
        Generator noise = new Generator(req.seed() ^ NOISE_STREAM);
        TrainState state = new TrainState().module("denoiser", model).module(EMA, ema).optimizer("optimizer", opt)
                .scheduler("schedule", cosine).random("noise", noise);
        run.log(String.format(java.util.Locale.ROOT, "%s/%s: U-Net base %d, %,d parameters, %,d training images, "
                + "samples from the weights' moving average (decay %s)", name, req.dataset(), base, model.parameterCount(),
                run.trainSize, p.emaDecay()));
        TrainStep eps = DdpmModel.epsilonStep(sched, run.train, batch, noise, model::predict, opt, cosine);
        TrainStep step = s -> {
            var m = eps.run(s);
            average.update(WeightAverage.warmRate(p.emaDecay(), s.globalStep()));
            return m;
        };
        float[][] lastEval = {null};   // the last epoch's samples are the final DDIM-50 samples: drawn once
        Evaluation eval = () -> {
            try {
                lastEval[0] = sample(ema, sched, run.evalSamples, DDIM_STEPS, req.seed(), dev);
                return run.evaluateEpoch(lastEval[0], run.evalSamples);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        TrainResult result = new Trainer(state, run.config(name, epochs, p)).fit(Steps.fixed(p.stepsPerEpoch(), batch), step, eval);
        ema.eval();
        float[] ddim = lastEval[0] != null ? lastEval[0] : sample(ema, sched, run.evalSamples, DDIM_STEPS, req.seed(), dev);
        float[] ddpm = sample(ema, sched, nDdpm, T, req.seed() + 1, dev);
        String extra = "";
        if (nDdpm >= 20) {
            extra = String.format(java.util.Locale.ROOT, "frechet_ddpm1000=%.4f", run.frechet(ddpm, nDdpm));
        }
        if (req.outDir() != null) {
            ImageGrid.write(ddpm, Math.min(ImageRun.GRID, nDdpm), 28, 28, 8, 2, run.out("samples-ddpm1000.png"));
        }
        return run.finish(name, "DDIM-50", ddim, run.evalSamples, "samples-ddim50", extra, result);
    }
}
