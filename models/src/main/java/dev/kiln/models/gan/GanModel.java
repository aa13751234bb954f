package dev.kiln.models.gan;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.ddpm.SlicedWasserstein;
import dev.kiln.models.ddpm.Toy2d;
import dev.kiln.models.ddpm.Toy2dModel;
import dev.kiln.models.train.Evaluation;
import dev.kiln.models.train.Metrics;
import dev.kiln.models.train.Steps;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.TrainState;
import dev.kiln.models.train.TrainStep;
import dev.kiln.models.train.Trainer;
import dev.kiln.models.train.TrainingDivergedException;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.nn.SiLU;
import dev.kiln.optim.Adam;
import dev.kiln.optim.LRScheduler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kiln train gan}: a GAN (Goodfellow et al. 2014, non-saturating generator loss) on the 2-D
 * point clouds of {@link Toy2d}, and the {@link dev.kiln.models.imagegen.ImageGan DCGAN} on
 * {@code fashion-mnist}. Generator: 8-D Gaussian noise → MLP with SiLU → a point; discriminator:
 * points → MLP with leaky ReLU → a logit. The discriminator may judge {@code pack} points at once
 * (PacGAN, Lin et al. 2018: a batch of {@code [B, 2]} points is read as {@code [B / pack, 2·pack]}),
 * which penalises a generator that drops modes. Each step trains the discriminator on a batch of
 * training points and a batch of generated ones ({@code softplus(−D(x)) + softplus(D(G(z)))}), then
 * the generator ({@code softplus(−D(G(z)))}), each with its own Adam (β₁ = 0.5) and cosine schedule.
 * The metric is the sliced Wasserstein-1 distance ({@link SlicedWasserstein}) between generated and
 * held-out points, reported after every epoch and at the end, with the MMD beside a second draw of
 * the data and, on {@code ring}, the modes covered and the share of high-quality samples. A loss
 * that becomes NaN or infinite stops the run naming the step and the network.
 */
public final class GanModel extends Toy2dModel {

    public static final String NAME = "gan";
    static final int LATENT = 8;
    private static final long NOISE_STREAM = 0x6A17L, SAMPLE_STREAM = 0x5A3EL;

    /** The sizes of one run. */
    public record Preset(int epochs, int stepsPerEpoch, int batch, float lr, int hidden, int trainSize, int evalSize, int pack, int layers) {
    }

    public static final Preset FULL = new Preset(24, 500, 256, 1e-3f, 128, 50_000, 10_000, 2, 3);
    public static final Preset QUICK = new Preset(3, 400, 128, 2e-3f, 64, 8000, 500, 1, 2);

    public GanModel() {
        // ring (eight Gaussians) is where a GAN drops modes: its demo row reports the modes covered
        super(NAME, "GAN (non-saturating loss) on 2-D point clouds (sliced Wasserstein distance to held-out points)",
                List.of("moons", "ring"));
    }

    /** Noise → {@code layers} hidden SiLU layers of width {@code hidden} → a point. */
    static Module generator(int hidden, int layers, Generator g) {
        Sequential s = new Sequential();
        for (int k = 0; k < layers; k++) {
            s.add(new Linear(k == 0 ? LATENT : hidden, hidden, g)).add(new SiLU());
        }
        return s.add(new Linear(hidden, 2, g));
    }

    /** {@code pack} points → {@code layers} hidden leaky-ReLU layers of width {@code hidden} → a logit. */
    static Module discriminator(int hidden, int layers, int pack, Generator g) {
        Sequential s = new Sequential();
        for (int k = 0; k < layers; k++) {
            s.add(new Linear(k == 0 ? 2 * pack : hidden, hidden, g)).add(Activation.leakyRelu(0.2f));
        }
        return s.add(new Linear(hidden, 1, g));
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        if (req.dataset().equals(dev.kiln.models.Datasets.FASHION_MNIST)) {
            return dev.kiln.models.imagegen.ImageGan.train(NAME, req);
        }
        Preset p = req.quick() ? QUICK : FULL;
        Setup run = setup(req, p.epochs(), p.batch(), p.lr(), p.trainSize(), p.evalSize());
        Device dev = run.device();
        Generator init = new Generator(req.seed());
        Module gen = generator(p.hidden(), p.layers(), init).to(dev);
        Module disc = discriminator(p.hidden(), p.layers(), p.pack(), init).to(dev);
        int pack = p.pack();
        if (run.batch() % pack != 0) {
            throw new IllegalArgumentException("the batch size (" + run.batch() + ") must be a multiple of the discriminator's packing "
                    + pack);
        }
        Adam optG = new Adam(gen.parameters(), run.lr()).betas(0.5f, 0.999f);
        Adam optD = new Adam(disc.parameters(), run.lr()).betas(0.5f, 0.999f);
        int total = run.epochs() * p.stepsPerEpoch();
        LRScheduler schedG = LRScheduler.cosine(optG, total, run.lr() * 0.05f);
        LRScheduler schedD = LRScheduler.cosine(optD, total, run.lr() * 0.05f);
        Generator noise = new Generator(req.seed() ^ NOISE_STREAM);
        TrainState state = new TrainState().module("generator", gen).module("discriminator", disc)
                .optimizer("g", optG).optimizer("d", optD).scheduler("g", schedG).scheduler("d", schedD)
                .random("noise", noise);

        TrainStep step = s -> {
            Tensor real = batch(run.train(), run.batch(), noise, dev);
            Tensor fake = gen.forward(Tensor.randn(noise, dev, run.batch(), LATENT));
            Tensor dLoss = disc.forward(packed(real, pack)).neg().softplus().mean()
                    .add(disc.forward(packed(fake.detach(), pack)).softplus().mean());
            optD.zeroGrad();
            dLoss.backward();
            optD.step();
            schedD.step();
            Tensor gLoss = disc.forward(packed(gen.forward(Tensor.randn(noise, dev, run.batch(), LATENT)), pack)).neg().softplus().mean();
            optG.zeroGrad();
            gLoss.backward();
            optG.step();
            schedG.step();
            return new Metrics().mean("d_loss", dLoss, run.batch()).mean("g_loss", gLoss, run.batch());
        };
        Evaluation eval = () -> {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(METRIC, SlicedWasserstein.distance(sample(gen, p.evalSize(), dev, req.seed()), run.heldOut(), Toy2d.DIRECTIONS));
            return m;
        };
        TrainResult result;
        try {
            result = new Trainer(state, config(req, run, p)).fit(Steps.fixed(p.stepsPerEpoch(), run.batch()), step, eval);
        } catch (TrainingDivergedException e) {
            throw e.describing(network(e.metric()));
        }

        gen.eval();
        float[] samples;
        try (var scope = Autograd.noGrad()) {
            samples = sample(gen, p.evalSize(), dev, req.seed());
        }
        return finish(req, "GAN", samples, run.heldOut(), run.startNanos(), result);
    }

    /** Points {@code [B, 2]} as {@code [B / pack, 2·pack]}: the discriminator judges {@code pack} points at once. */
    static Tensor packed(Tensor points, int pack) {
        return pack == 1 ? points : points.reshape(points.size(0) / pack, 2 * pack);
    }

    /** Which network a step metric of a GAN belongs to, in words: {@code discriminator loss (d_loss)}. */
    public static String network(String metric) {
        switch (metric) {
            case "d_loss":
                return "discriminator loss (d_loss)";
            case "g_loss":
                return "generator loss (g_loss)";
            default:
                return metric;
        }
    }

    /** {@code n} points from a trained generator's state ({@code quick}: the quick preset's size). */
    public static float[] sample(java.util.Map<String, Tensor> generator, boolean quick, int n, long seed, Device dev) {
        Preset p = quick ? QUICK : FULL;
        Module gen = generator(p.hidden(), p.layers(), new Generator(seed));
        gen.loadStateDict(generator);
        gen.to(dev);
        gen.eval();
        try (var scope = Autograd.noGrad()) {
            return sample(gen, n, dev, seed);
        }
    }

    /** {@code n} generated points from a fixed latent draw (the same every epoch, so epochs compare). */
    static float[] sample(Module gen, int n, Device dev, long seed) {
        return gen.forward(Tensor.randn(new Generator(seed ^ SAMPLE_STREAM), dev, n, LATENT)).toFloatArray();
    }
}
