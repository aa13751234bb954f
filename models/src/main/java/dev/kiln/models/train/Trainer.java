package dev.kiln.models.train;

import dev.kiln.Autograd;
import dev.kiln.Tensor;
import dev.kiln.TensorScope;
import dev.kiln.MemoryStats;
import dev.kiln.data.Batch;
import dev.kiln.optim.Optimizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The training loop every Kiln model runs on: epochs of {@link Steps}, a {@link TrainStep} per
 * step, an {@link Evaluation} after every epoch, and after each epoch a checkpoint of the
 * {@link TrainState}, the history as CSV and, at the end, a PNG of the curves in the output
 * directory. What a step does is the model's business: a classifier's update
 * ({@link Classification}), a GAN's two alternating updates, a diffusion model's noise draws, an
 * agent's environment steps.
 *
 * <pre>{@code
 * TrainState state = new TrainState().module("model", model).optimizer("optimizer", opt)
 *         .scheduler("schedule", schedule).random("dropout", dropout);
 * TrainResult r = new Trainer(state, TrainConfig.of(20, "dnn/iris", "dnn iris 4-64-32-3").withLog(System.err))
 *         .fit(Steps.over(trainLoader), Classification.step(model, opt, schedule, 0f, device),
 *              Classification.evaluation(model, testLoader, device));
 * }</pre>
 *
 * <p><b>GPU-first.</b> Steps return their metrics as device scalars ({@link Metrics}); every
 * {@link TrainConfig#syncEvery()} steps (and at the end of an epoch) the window's scalars are
 * concatenated and read in one transfer, which feeds the progress bar, the {@link #onStep}
 * listeners and the NaN check. Because every step's values are kept, a divergence is reported at
 * the exact step and metric, though training may have run up to {@code syncEvery - 1} steps past it.
 *
 * <p><b>Memory.</b> Each step runs in a {@link TensorScope}: its activations, saved tensors and
 * temporary gradients are released when it returns (on a GPU, back to the caching allocator), and
 * only its metric scalars are kept until their window is read. On a device with its own memory the
 * progress line shows the allocator's live and cached bytes.
 *
 * <p><b>Resuming.</b> Epoch {@code e}'s batches depend on the loader's seed and {@code e} alone;
 * everything else that changes during training is in the {@link TrainState}, which the checkpoint
 * holds. An interrupted and resumed run therefore computes the same numbers as an uninterrupted one.
 */
public final class Trainer {

    private static final String SEED = "seed";

    private final TrainState state;
    private final TrainConfig cfg;
    private final List<Consumer<EpochStats>> epochListeners = new ArrayList<>();
    private final List<Consumer<StepRecord>> stepListeners = new ArrayList<>();

    public Trainer(TrainState state, TrainConfig cfg) {
        this.state = Objects.requireNonNull(state, "state");
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

    /**
     * Calls {@code listener} with every step's metrics, in step order, when its sync window is
     * read. An exception from the listener stops training; the last epoch's checkpoint stays.
     */
    public Trainer onStep(Consumer<StepRecord> listener) {
        stepListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The checkpoint path inside {@code outDir}. */
    public static Path checkpointPath(Path outDir) {
        return outDir.resolve(Checkpoint.FILE_NAME);
    }

    /**
     * Trains up to {@link TrainConfig#epochs()} epochs (continuing a checkpoint when resuming),
     * evaluating after each.
     *
     * @param eval the evaluation after every epoch, or null for none
     * @throws TrainingDivergedException when a step metric becomes NaN or infinite
     * @throws IOException                when a checkpoint cannot be read or written
     */
    public TrainResult fit(Steps steps, TrainStep step, Evaluation eval) throws IOException {
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(step, "step");
        long start = System.nanoTime();
        History history = cfg.resume() ? restore(checkpointPath(cfg.outDir()), steps).history() : new History();
        int firstEpoch = history.size() + 1;
        Map<String, Double> test = Map.of();
        for (int epoch = firstEpoch; epoch <= cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            Map<String, Double> lrs = state.learningRates();
            double[] samples = new double[1];
            Map<String, Double> train = trainEpoch(steps, step, epoch, samples);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            test = evaluate(eval);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> values = new LinkedHashMap<>();
            train.forEach((k, v) -> values.put(EpochStats.TRAIN + k, v));
            test.forEach((k, v) -> values.put(EpochStats.TEST + k, v));
            values.putAll(lrs);
            values.put(EpochStats.SECONDS, seconds);
            values.put(EpochStats.SAMPLES_PER_SECOND, samples[0] / Math.max(trainSeconds, 1e-9));
            EpochStats s = new EpochStats(epoch, values);
            history.add(s);
            log(String.format(Locale.ROOT, "%s epoch %d/%d  train%s%s  %s  %.1f s (%.0f samples/s)%s", cfg.title(), epoch,
                    cfg.epochs(), describe(train), test.isEmpty() ? "" : "  test" + describe(test), describeLr(lrs), seconds,
                    s.get(EpochStats.SAMPLES_PER_SECOND), memory()));
            if (cfg.outDir() != null) {
                // The checkpoint is the commit point: it holds the kept files, which are copied beside it only after it.
                state.snapshot(epoch, (long) epoch * steps.perEpoch(), cfg.fingerprint(), history)
                        .withRun(cfg.settings(), cfg.files()).save(checkpointPath(cfg.outDir()));
                for (Map.Entry<String, String> f : cfg.files().entrySet()) {
                    AtomicFiles.write(cfg.outDir().resolve(f.getKey()), out -> out.write(f.getValue().getBytes(StandardCharsets.UTF_8)));
                }
                history.writeCsv(cfg.outDir().resolve("history.csv"));
            }
            for (Consumer<EpochStats> l : epochListeners) {
                l.accept(s);
            }
        }
        int ran = Math.max(cfg.epochs() - firstEpoch + 1, 0);
        if (ran == 0) {
            // Nothing left to train (resumed a finished run): report a fresh evaluation.
            test = evaluate(eval);
            log(cfg.title() + ": the checkpoint already holds " + history.size() + " epochs; evaluated it without training");
        }
        if (cfg.outDir() != null && !history.isEmpty()) {
            CurvePlot.write(history, cfg.title(), cfg.outDir().resolve("curves.png"));
            log(cfg.title() + ": checkpoint, history.csv and curves.png in " + cfg.outDir());
        }
        return new TrainResult(history, test, (System.nanoTime() - start) / 1e9, ran);
    }

    private Checkpoint restore(Path file, Steps steps) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("Cannot resume: no checkpoint at " + file + " (run once without --resume to create it)");
        }
        Checkpoint c = Checkpoint.load(file);
        if (!c.fingerprint().equals(cfg.fingerprint())) {
            throw new IOException("Cannot resume from " + file + ": it was written for '" + c.fingerprint()
                    + "', this run is '" + cfg.fingerprint() + "'");
        }
        checkFiles(c, file);
        boolean changed = checkSettings(c, file);
        if (!changed && c.steps() != (long) c.epoch() * steps.perEpoch()) {
            throw new IOException("Cannot resume from " + file + ": it took " + c.steps() + " steps in " + c.epoch()
                    + " epochs, this run takes " + steps.perEpoch() + " an epoch (pass the same --batch-size)");
        }
        state.restore(c, file);
        log(cfg.title() + ": resumed from " + file + " after epoch " + c.epoch());
        return c;
    }

    /** Refuses a checkpoint whose kept files (e.g. the vocabulary) differ from this run's. */
    private void checkFiles(Checkpoint c, Path file) throws IOException {
        for (Map.Entry<String, String> f : cfg.files().entrySet()) {
            String saved = c.files().get(f.getKey());
            if (saved != null && !saved.equals(f.getValue())) {
                throw new IOException("Cannot resume from " + file + ": its " + f.getKey() + " differs from this run's "
                        + "(the data changed); train into another --out, or pass --overwrite without --resume to replace it");
            }
        }
    }

    /**
     * Compares this run's settings with the checkpoint's: another seed is refused; another schedule
     * (epochs, batch size, learning rate) is refused unless allowed, and then logged.
     *
     * @return true when an allowed schedule change was made
     */
    private boolean checkSettings(Checkpoint c, Path file) throws IOException {
        Map<String, String> saved = c.settings();
        String seed = saved.get(SEED);
        if (seed != null && cfg.settings().containsKey(SEED) && !seed.equals(cfg.settings().get(SEED))) {
            throw new IOException("Cannot resume from " + file + ": it was trained with --seed " + seed + ", this run has --seed "
                    + cfg.settings().get(SEED) + " (pass --seed " + seed + ")");
        }
        List<String> changes = new ArrayList<>();
        cfg.settings().forEach((k, v) -> {
            String was = saved.get(k);
            if (!k.equals(SEED) && was != null && !was.equals(v)) {
                changes.add("--" + k + " " + was + " -> " + v);
            }
        });
        if (changes.isEmpty()) {
            return false;
        }
        if (!cfg.allowScheduleChange()) {
            throw new IOException("Cannot resume from " + file + ": this run changes its schedule (" + String.join(", ", changes)
                    + "); pass the checkpoint's values, or --allow-schedule-change to continue with the new ones");
        }
        log(cfg.title() + ": resuming with a changed schedule: " + String.join(", ", changes));
        return true;
    }

    /** One epoch of steps; returns each metric's epoch value, and the samples processed in {@code samples[0]}. */
    private Map<String, Double> trainEpoch(Steps steps, TrainStep step, int epoch, double[] samples) {
        state.setTraining(true);
        int n = steps.perEpoch();
        Map<String, double[]> sums = new LinkedHashMap<>();
        List<Metrics> pending = new ArrayList<>();
        int pendingFirst = 1;
        Progress bar = cfg.log() == null ? null
                : new Progress(cfg.log(), String.format(Locale.ROOT, "%s %d/%d", cfg.title(), epoch, cfg.epochs()),
                steps.samplesPerEpoch());
        try {
            Iterator<Batch> batches = steps.batches(epoch);
            for (int i = 1; i <= n; i++) {
                Batch batch = null;
                if (batches != null) {
                    if (!batches.hasNext()) {
                        throw new IllegalStateException("The loader ended after " + (i - 1) + " of " + n + " batches");
                    }
                    batch = batches.next();
                }
                Metrics m;
                try (TensorScope scope = Tensor.scope()) {
                    m = step.run(new Step(epoch, i, (long) (epoch - 1) * n + i, batch));
                    if (m == null || m.entries().isEmpty()) {
                        throw new IllegalStateException("The training step returned no metrics at epoch " + epoch + ", step " + i);
                    }
                    m.entries().values().forEach(e -> scope.keep(e.value()));
                }
                pending.add(m);
                int count = batch == null ? steps.samplesPerStep() : batch.size();
                samples[0] += count;
                if (bar != null) {
                    bar.advance(count);
                }
                if (i % cfg.syncEvery() == 0 || i == n) {
                    read(pending, epoch, pendingFirst, n, sums);
                    pending.clear();
                    pendingFirst = i + 1;
                    if (bar != null) {
                        bar.message((describe(means(sums)) + memory()).strip());
                    }
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return means(sums);
    }

    /** Reads a window of steps' metrics in one transfer, checks them, adds them up and tells the step listeners. */
    private void read(List<Metrics> window, int epoch, int firstIndex, int perEpoch, Map<String, double[]> sums) {
        List<Tensor> all = new ArrayList<>();
        for (Metrics m : window) {
            m.entries().values().forEach(e -> all.add(e.value()));
        }
        float[] v;
        try (TensorScope scope = Tensor.scope(); Autograd.Scope ignored = Autograd.noGrad()) {
            v = Tensor.cat(all, 0).toFloatArray();
        }
        all.forEach(Tensor::close); // kept by their steps until now
        int pos = 0;
        for (int k = 0; k < window.size(); k++) {
            int index = firstIndex + k;
            long global = (long) (epoch - 1) * perEpoch + index;
            Map<String, Float> values = new LinkedHashMap<>();
            for (Map.Entry<String, Metrics.Entry> e : window.get(k).entries().entrySet()) {
                float x = v[pos++];
                if (!Float.isFinite(x)) {
                    throw new TrainingDivergedException(epoch, index, global, e.getKey(), x, describeLr(state.learningRates()));
                }
                double[] s = sums.computeIfAbsent(e.getKey(), key -> new double[2]);
                s[0] += (double) x * e.getValue().scale();
                s[1] += e.getValue().weight();
                values.put(e.getKey(), x);
            }
            if (!stepListeners.isEmpty()) {
                StepRecord r = new StepRecord(epoch, index, global, values);
                stepListeners.forEach(l -> l.accept(r));
            }
        }
    }

    private static Map<String, Double> means(Map<String, double[]> sums) {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        return out;
    }

    /** The evaluation with every module in eval mode and gradients off; an empty map without one. */
    private Map<String, Double> evaluate(Evaluation eval) {
        if (eval == null) {
            return Map.of();
        }
        state.setTraining(false);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return new LinkedHashMap<>(eval.evaluate());
        } finally {
            state.setTraining(true);
        }
    }

    /**
     * {@code  | live 1.2 MiB, cached 3.0 MiB, peak 4.1 MiB} for the first module's device when it has
     * device memory (empty on the CPU), for the progress bar and the epoch line.
     */
    private String memory() {
        for (dev.kiln.nn.Module m : state.modules().values()) {
            List<Tensor> ps = m.parameters();
            if (!ps.isEmpty()) {
                MemoryStats s = dev.kiln.backend.Backends.memoryUsage(ps.get(0).device());
                return s == null ? "" : " | " + s;
            }
        }
        return "";
    }

    private static String describe(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        return sb.toString();
    }

    /** {@code learning rate X} for one optimizer, {@code learning rates a X, b Y} for several. */
    private String describeLr(Map<String, Double> lrs) {
        Map<String, Optimizer> opts = state.optimizers();
        if (opts.isEmpty()) {
            return "no optimizer";
        }
        if (opts.size() == 1) {
            return String.format(Locale.ROOT, "lr %.3g", lrs.values().iterator().next());
        }
        StringBuilder sb = new StringBuilder("lr");
        opts.forEach((name, o) -> sb.append(String.format(Locale.ROOT, "%s %s %.3g", sb.length() == 2 ? "" : ",", name,
                lrs.get("lr_" + name))));
        return sb.toString();
    }

    private void log(String line) {
        PrintStream out = cfg.log();
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }
}
