package dev.kiln.models.train;

import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.data.Batch;
import dev.kiln.data.DataLoader;
import dev.kiln.nn.Module;
import dev.kiln.optim.GradClip;
import dev.kiln.optim.LRScheduler;
import dev.kiln.optim.Optimizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Trains a classifier with cross-entropy: epochs of a {@link DataLoader}'s shuffled mini-batches, one optimizer step
 * per batch, an optional learning-rate schedule (stepped once per optimizer step) and gradient
 * clipping, then an evaluation on the held-out split. After every epoch it writes a checkpoint,
 * the history as CSV and, at the end, a PNG of the curves into the output directory.
 *
 * <pre>{@code
 * Module model = new Mlp(cfg, new Generator(1), rng).to(device);
 * Optimizer opt = new AdamW(model.parameters(), 1e-3f);
 * DataLoader train = DataLoader.builder(trainSet).batchSize(32).shuffle(1).build();
 * DataLoader test = DataLoader.builder(testSet).batchSize(1000).build();
 * TrainResult r = new Trainer(model, opt, null, rng, device,
 *         TrainConfig.of(20, "dnn/iris", "dnn:iris").withLog(System.err)).fit(train, test);
 * }</pre>
 *
 * <p><b>GPU-first.</b> Batches are gathered on the host and moved to the device once each; forward,
 * backward, clipping and the update stay on the device. The loss and the number of correct
 * predictions of every step stay on the device too, as scalars; every {@link TrainConfig#syncEvery()}
 * steps they are stacked and read in one transfer, which feeds the progress bar and the NaN check.
 * Because every step's loss is kept, a divergence is reported at the exact step it happened,
 * though training may have run up to {@code syncEvery - 1} steps past it.
 *
 * <p><b>Randomness.</b> The training loader shuffles epoch {@code e} by its seed and {@code e}
 * alone; {@code rng} should drive the model's dropout, and its offset is saved with each
 * checkpoint, so a resumed run draws what the uninterrupted run would have drawn.
 */
public final class Trainer {

    private final Module model;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final Generator rng;
    private final Device device;
    private final TrainConfig cfg;
    private final List<Consumer<EpochStats>> epochListeners = new ArrayList<>();

    /**
     * @param model     already on {@code device}
     * @param optimizer over the model's parameters (created after the model was moved)
     * @param scheduler stepped after every optimizer step, or null for a constant rate
     * @param rng       the training random stream (dropout), fresh (offset 0)
     */
    public Trainer(Module model, Optimizer optimizer, LRScheduler scheduler, Generator rng, Device device, TrainConfig cfg) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.scheduler = scheduler;
        this.rng = Objects.requireNonNull(rng, "rng");
        this.device = Objects.requireNonNull(device, "device");
        this.cfg = Objects.requireNonNull(cfg, "cfg");
    }

    /**
     * Calls {@code listener} after every epoch, once its checkpoint is written. An exception from
     * the listener stops training (the checkpoint of that epoch stays on disk).
     */
    public Trainer onEpochEnd(Consumer<EpochStats> listener) {
        epochListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The checkpoint path inside {@code outDir}. */
    public static Path checkpointPath(Path outDir) {
        return outDir.resolve(Checkpoint.FILE_NAME);
    }

    /**
     * Trains up to {@link TrainConfig#epochs()} epochs (continuing a checkpoint when resuming) and
     * evaluates after each.
     *
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     * @throws IOException                when a checkpoint cannot be read or written
     */
    public TrainResult fit(DataLoader train, DataLoader test) throws IOException {
        if (train.numBatches() == 0 || test.dataset().size() == 0) {
            throw new IllegalArgumentException("Training needs non-empty train and test sets, got " + train.dataset().size()
                    + " and " + test.dataset().size() + " examples");
        }
        long start = System.nanoTime();
        History history = new History();
        if (cfg.resume()) {
            history = restore(checkpointPath(cfg.outDir()));
        }
        int firstEpoch = history.size() + 1;
        for (int epoch = firstEpoch; epoch <= cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double lr = optimizer.lr();
            double[] trainStats = trainEpoch(train, epoch);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double[] testStats = evaluate(test);
            double seconds = (System.nanoTime() - t0) / 1e9;
            EpochStats s = new EpochStats(epoch, trainStats[0], trainStats[1], testStats[0], testStats[1], lr, seconds,
                    trainStats[2] / Math.max(trainSeconds, 1e-9));
            history.add(s);
            log(String.format(Locale.ROOT, "%s epoch %d/%d  train loss %.4f acc %.4f  test loss %.4f acc %.4f  lr %.3g  %.1f s (%.0f samples/s)",
                    cfg.title(), epoch, cfg.epochs(), s.trainLoss(), s.trainAccuracy(), s.testLoss(), s.testAccuracy(),
                    lr, seconds, s.samplesPerSecond()));
            if (cfg.outDir() != null) {
                new Checkpoint(epoch, cfg.fingerprint(), model.stateDict(), optimizer.stateDict(), rng.seed(), rng.offset(),
                        optimizer.steps(), history).save(checkpointPath(cfg.outDir()));
                history.writeCsv(cfg.outDir().resolve("history.csv"));
            }
            for (Consumer<EpochStats> l : epochListeners) {
                l.accept(s);
            }
        }
        double testAcc;
        double testLoss;
        int ran = cfg.epochs() - firstEpoch + 1;
        if (ran > 0) {
            testAcc = history.last().testAccuracy();
            testLoss = history.last().testLoss();
        } else {
            // Nothing left to train (resumed a finished run): report a fresh evaluation.
            double[] t = evaluate(test);
            testLoss = t[0];
            testAcc = t[1];
            log(cfg.title() + ": the checkpoint already holds " + history.size() + " epochs; evaluated it without training");
        }
        if (cfg.outDir() != null && !history.isEmpty()) {
            Path png = cfg.outDir().resolve("curves.png");
            CurvePlot.write(history, cfg.title(), png);
            log(cfg.title() + ": checkpoint, history.csv and curves.png in " + cfg.outDir());
        }
        return new TrainResult(history, testAcc, testLoss, device, (System.nanoTime() - start) / 1e9, Math.max(ran, 0));
    }

    private History restore(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("Cannot resume: no checkpoint at " + file + " (run once without --resume to create it)");
        }
        Checkpoint c = Checkpoint.load(file);
        if (!c.fingerprint().equals(cfg.fingerprint())) {
            throw new IOException("Cannot resume from " + file + ": it was written for '" + c.fingerprint()
                    + "', this run is '" + cfg.fingerprint() + "'");
        }
        if (rng.offset() != 0 || rng.seed() != c.rngSeed()) {
            throw new IOException("Cannot resume from " + file + ": it was trained with seed " + c.rngSeed()
                    + ", this run uses seed " + rng.seed() + " (pass the same --seed)");
        }
        try {
            model.loadStateDict(c.model());
            optimizer.loadStateDict(c.optimizer());
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot resume from " + file + ": " + e.getMessage(), e);
        }
        rng.advance(c.rngOffset());
        if (scheduler != null) {
            scheduler.setSteps((int) c.steps());
        }
        log(cfg.title() + ": resumed from " + file + " after epoch " + c.epoch());
        return c.history();
    }

    /**
     * One epoch; returns {mean loss, accuracy, examples} over its batches. Accuracy is the fraction
     * of correct predictions over all targets: per example for a classifier, per token for a
     * sequence model's flattened {@code [B·L]} targets.
     */
    private double[] trainEpoch(DataLoader loader, int epoch) {
        model.train();
        int stepsPerEpoch = loader.numBatches();
        long samples = (long) stepsPerEpoch * loader.batchSize();
        if (!loader.dropsLast()) {
            samples = loader.dataset().size();
        }
        List<Tensor> pendingLoss = new ArrayList<>();
        List<Tensor> pendingCorrect = new ArrayList<>();
        List<Integer> pendingSizes = new ArrayList<>();
        List<Long> pendingTargets = new ArrayList<>();
        int pendingFirstStep = 1;
        double lossSum = 0;
        double correct = 0;
        long seen = 0;
        long counted = 0;
        long targets = 0;
        long targetsCounted = 0;
        Progress bar = cfg.log() == null ? null
                : new Progress(cfg.log(), String.format(Locale.ROOT, "%s %d/%d", cfg.title(), epoch, cfg.epochs()), samples);
        try {
            int step = 0;
            // Loader epochs count from 0; naming the epoch makes a resumed run shuffle as the original did.
            for (Batch batch : loader.epoch(epoch - 1)) {
                step++;
                Tensor x = batch.x().to(device);
                Tensor y = batch.y().to(device);
                Tensor logits = model.forward(x);
                y = flatTargets(logits, y);
                Tensor loss = logits.crossEntropy(y);
                optimizer.zeroGrad();
                loss.backward();
                if (cfg.gradClipNorm() > 0) {
                    GradClip.clipGradNorm(model.parameters(), cfg.gradClipNorm());
                }
                optimizer.step();
                if (scheduler != null) {
                    scheduler.step();
                }
                try (Autograd.Scope ignored = Autograd.noGrad()) {
                    pendingLoss.add(loss.detach().reshape(1));
                    pendingCorrect.add(correctCount(logits.detach(), y).reshape(1));
                }
                pendingSizes.add(batch.size());
                pendingTargets.add(y.numel());
                seen += batch.size();
                targets += y.numel();
                if (bar != null) {
                    bar.advance(batch.size());
                }
                if (step % cfg.syncEvery() == 0 || step == stepsPerEpoch) {
                    // One host read for the whole window: per-step losses, then per-step correct counts.
                    int w = pendingLoss.size();
                    List<Tensor> all = new ArrayList<>(pendingLoss);
                    all.addAll(pendingCorrect);
                    float[] v = Tensor.cat(all, 0).toFloatArray();
                    for (int k = 0; k < w; k++) {
                        if (!Float.isFinite(v[k])) {
                            throw new TrainingDivergedException(epoch, pendingFirstStep + k,
                                    (long) (epoch - 1) * stepsPerEpoch + pendingFirstStep + k, v[k], optimizer.lr());
                        }
                        lossSum += (double) v[k] * pendingSizes.get(k);
                        correct += v[w + k];
                        counted += pendingSizes.get(k);
                        targetsCounted += pendingTargets.get(k);
                    }
                    pendingLoss.clear();
                    pendingCorrect.clear();
                    pendingSizes.clear();
                    pendingTargets.clear();
                    pendingFirstStep = step + 1;
                    if (bar != null) {
                        bar.message(String.format(Locale.ROOT, "loss %.4f acc %.4f", lossSum / counted, correct / targetsCounted));
                    }
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return new double[] {lossSum / Math.max(seen, 1), correct / Math.max(targets, 1), seen};
    }

    /**
     * Mean loss and accuracy over {@code loader}'s batches in eval mode, read from the device once;
     * accuracy per target (per token for sequence models).
     */
    public double[] evaluate(DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Tensor> sums = new ArrayList<>();
        long n = 0;
        long targets = 0;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (Batch batch : loader.epoch(0)) {
                Tensor x = batch.x().to(device);
                Tensor y = batch.y().to(device);
                Tensor logits = model.forward(x);
                y = flatTargets(logits, y);
                sums.add(logits.crossEntropy(y).mul(batch.size()).reshape(1));
                sums.add(correctCount(logits, y).reshape(1));
                n += batch.size();
                targets += y.numel();
            }
            if (n == 0) {
                throw new IllegalArgumentException("The evaluation loader yields no examples");
            }
            float[] v = Tensor.cat(sums, 0).toFloatArray();
            double loss = 0;
            double correct = 0;
            for (int k = 0; k < v.length; k += 2) {
                loss += v[k];
                correct += v[k + 1];
            }
            return new double[] {loss / n, correct / targets};
        } finally {
            model.train(wasTraining);
        }
    }

    /**
     * Sequence models (language models, seq2seq) return logits already flattened to
     * {@code [B·L, V]}; their {@code [B, L]} targets are flattened to match.
     */
    private static Tensor flatTargets(Tensor logits, Tensor y) {
        return logits.rank() == 2 && y.rank() > 1 ? y.reshape(-1) : y;
    }

    /** Number of rows whose argmax equals the target, as a device scalar. */
    private static Tensor correctCount(Tensor logits, Tensor y) {
        Tensor pred = logits.argmax(1).toType(DType.FLOAT32);
        return pred.eq(y.toType(DType.FLOAT32)).sum();
    }

    private void log(String line) {
        PrintStream out = cfg.log();
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }
}
