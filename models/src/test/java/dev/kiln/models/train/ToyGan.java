package dev.kiln.models.train;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.data.Batch;
import dev.kiln.data.DataLoader;
import dev.kiln.data.TensorDataset;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Dropout;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.Adam;
import dev.kiln.optim.LRScheduler;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny GAN on 1-D data for the {@link Trainer}'s tests: real samples from N(3, 0.5²); a
 * generator {@code z → 16 → 1} and a discriminator {@code x → 16 → [dropout] → 1}, each with its
 * own Adam and cosine schedule, trained in alternating steps (discriminator, then generator) with
 * the non-saturating losses. The noise and the dropout masks come from two generators registered
 * in the {@link TrainState}, so everything a step draws is checkpointed.
 */
record ToyGan(TrainState state, Steps steps, TrainStep step, Evaluation eval) {
    static final int BATCH = 16;
    static final int REAL = 160;

    static ToyGan create(int epochs, long seed) {
        Device device = Device.cpu();
        Generator init = new Generator(seed);
        Module g = new Sequential(new Linear(1, 16, init), Activation.tanh(), new Linear(16, 1, init));
        Generator dropout = new Generator(seed + 1);
        Module d = new Sequential(new Linear(1, 16, init), Activation.leakyRelu(0.2f), new Dropout(0.1f, dropout),
                new Linear(16, 1, init));
        Adam optG = new Adam(g.parameters(), 2e-2f);
        Adam optD = new Adam(d.parameters(), 2e-2f);
        float[] real = Tensor.randn(new Generator(seed + 2), REAL, 1).mul(0.5f).add(3f).toFloatArray();
        DataLoader loader = DataLoader.builder(new TensorDataset(real, new int[] {1}, new int[REAL], new int[0]))
                .batchSize(BATCH).shuffle(seed + 3).build();
        Steps steps = Steps.over(loader);
        LRScheduler schedG = LRScheduler.cosine(optG, epochs * steps.perEpoch(), 1e-3f);
        LRScheduler schedD = LRScheduler.cosine(optD, epochs * steps.perEpoch(), 1e-3f);
        Generator noise = new Generator(seed + 4);
        TrainState state = new TrainState().module("generator", g).module("discriminator", d)
                .optimizer("g", optG).optimizer("d", optD).scheduler("g", schedG).scheduler("d", schedD)
                .random("noise", noise).random("dropout", dropout);
        TrainStep step = s -> {
            Batch b = s.batch();
            Tensor x = b.x().to(device);
            Tensor fake = g.forward(Tensor.randn(noise, device, b.size(), 1));
            Tensor dLoss = d.forward(x).neg().softplus().mean().add(d.forward(fake.detach()).softplus().mean());
            optD.zeroGrad();
            dLoss.backward();
            optD.step();
            schedD.step();
            Tensor gLoss = d.forward(g.forward(Tensor.randn(noise, device, b.size(), 1))).neg().softplus().mean();
            optG.zeroGrad();
            gLoss.backward();
            optG.step();
            schedG.step();
            return new Metrics().mean("d_loss", dLoss, b.size()).mean("g_loss", gLoss, b.size())
                    .mean("fake_mean", fake.mean(), b.size());
        };
        Evaluation eval = () -> {
            Tensor samples = g.forward(Tensor.randn(new Generator(99), device, 200, 1));
            float[] v = Tensor.cat(java.util.List.of(samples.mean().reshape(1), samples.sub(samples.mean()).square().mean()
                    .reshape(1)), 0).toFloatArray();
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("fake_mean", (double) v[0]);
            out.put("fake_std", Math.sqrt(v[1]));
            return out;
        };
        return new ToyGan(state, steps, step, eval);
    }

    /** A trainer over this GAN's state. */
    Trainer trainer(int epochs, Path out, boolean resume) {
        return new Trainer(state, TrainConfig.of(epochs, "gan/toy", "toy gan 1-16-1").withOutDir(out, resume).withSyncEvery(3));
    }

    TrainResult fit(Trainer trainer) throws java.io.IOException {
        return trainer.fit(steps, step, eval);
    }
}
