package dev.kiln.models.imagegen;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.ddpm.Toy2dModel;
import dev.kiln.models.gan.GanModel;
import dev.kiln.models.train.Evaluation;
import dev.kiln.models.train.Metrics;
import dev.kiln.models.train.Steps;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.TrainState;
import dev.kiln.models.train.TrainStep;
import dev.kiln.models.train.Trainer;
import dev.kiln.models.train.TrainingDivergedException;
import dev.kiln.nn.Module;
import dev.kiln.optim.Adam;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code kiln train gan --dataset fashion-mnist}: the {@link Dcgan} with the non-saturating loss,
 * one discriminator step (a batch of training images, then a batch of generated ones, each through
 * the batch norm on its own) and one generator step per step, two Adams (β₁ 0.5, β₂ 0.999). After
 * every epoch the generator (in eval mode) turns fixed noise into the evaluation samples: their
 * Fréchet distance ({@code test_frechet_cnn}) and {@code grid-epoch-NN.png}; at the end
 * {@code samples.png} and the headline distance. The system property {@code kiln.gan.width}
 * overrides the preset's width (for CPU runs of the full preset); {@code kiln sample} reads the
 * width from the checkpoint.
 */
public final class ImageGan {

    private static final long NOISE_STREAM = 0x1D6A17L, SAMPLE_STREAM = 0x1D5A3EL;
    private static final int CHUNK = 250;

    /** The sizes of one run: training images 0 means all 60,000. */
    public record Preset(int epochs, int stepsPerEpoch, int batch, float lr, int width, int trainSize, int testSize,
                         int evalSamples) {
    }

    public static final Preset FULL = new Preset(20, 468, 128, 2e-4f, 64, 0, 10_000, 10_000);
    public static final Preset QUICK = new Preset(4, 50, 32, 5e-4f, 16, 2000, 500, 256);

    private ImageGan() {
    }

    /** The preset a run uses. */
    public static Preset preset(boolean quick) {
        return quick ? QUICK : FULL;
    }

    /** {@code n} images {@code [n·784]} from the generator (eval mode) and fixed noise ({@code seed}). */
    public static float[] sample(Module gen, int n, long seed, Device dev) {
        float[] out = new float[n * 784];
        Generator g = new Generator(seed ^ SAMPLE_STREAM);
        try (var scope = Autograd.noGrad()) {
            for (int from = 0; from < n; from += CHUNK) {
                int b = Math.min(CHUNK, n - from);
                System.arraycopy(gen.forward(Tensor.randn(g, dev, b, Dcgan.LATENT)).toFloatArray(), 0, out, from * 784, b * 784);
            }
        }
        return out;
    }

    /** {@code n} images from a trained generator's state (its width read from the state's first layer). */
    public static float[] sample(java.util.Map<String, Tensor> generator, int n, long seed, Device dev) {
        Tensor first = generator.get("0.weight");
        if (first == null || first.rank() != 2 || first.size(0) % (2 * 49) != 0) {
            throw new IllegalArgumentException("the state holds no DCGAN generator dense layer '0.weight' [2W·49, "
                    + Dcgan.LATENT + "]");
        }
        Module gen = Dcgan.generator(first.size(0) / (2 * 49), new Generator(seed));
        gen.loadStateDict(generator);
        gen.to(dev);
        gen.eval();
        return sample(gen, n, seed, dev);
    }

    public static RunResult train(String name, RunRequest req) throws IOException {
        Preset p = preset(req.quick());
        ImageRun run = new ImageRun(req, p.trainSize(), p.testSize(), p.evalSamples(), p.epochs(), p.batch(), p.lr());
        Device dev = run.device;
        int epochs = run.epochs, batch = run.batch;
        float lr = run.lr;
        Generator init = new Generator(req.seed());
        int width = Integer.getInteger("kiln.gan.width", p.width());
        Module gen = Dcgan.generator(width, init).to(dev);
        Module disc = Dcgan.discriminator(width, init).to(dev);
        Adam optG = new Adam(gen.parameters(), lr).betas(0.5f, 0.999f);
        Adam optD = new Adam(disc.parameters(), lr).betas(0.5f, 0.999f);
        Generator noise = new Generator(req.seed() ^ NOISE_STREAM);
        TrainState state = new TrainState().module("generator", gen).module("discriminator", disc)
                .optimizer("g", optG).optimizer("d", optD).random("noise", noise);
        run.log(String.format("%s/%s: DCGAN width %d, generator %,d and discriminator %,d parameters, %,d training images", name,
                req.dataset(), width, gen.parameterCount(), disc.parameterCount(), run.trainSize));
        TrainStep step = s -> {
            Tensor real = Toy2dModel.batch(run.train, batch, noise, dev);
            Tensor fake = gen.forward(Tensor.randn(noise, dev, batch, Dcgan.LATENT));
            Tensor dLoss = disc.forward(real).neg().softplus().mean().add(disc.forward(fake.detach()).softplus().mean());
            optD.zeroGrad();
            dLoss.backward();
            optD.step();
            Tensor gLoss = disc.forward(gen.forward(Tensor.randn(noise, dev, batch, Dcgan.LATENT))).neg().softplus().mean();
            optG.zeroGrad();
            gLoss.backward();
            optG.step();
            return new Metrics().mean("d_loss", dLoss, batch).mean("g_loss", gLoss, batch);
        };
        Evaluation eval = () -> {
            try {
                return run.evaluateEpoch(sample(gen, run.evalSamples, req.seed(), dev), run.evalSamples);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        TrainResult result;
        try {
            result = new Trainer(state, run.config(name, epochs, p)).fit(Steps.fixed(p.stepsPerEpoch(), batch), step, eval);
        } catch (TrainingDivergedException e) {
            throw e.describing(GanModel.network(e.metric()));
        }
        gen.eval();
        return run.finish(name, "DCGAN", sample(gen, run.evalSamples, req.seed(), dev), run.evalSamples, "samples", "", result);
    }
}
