package dev.kiln.models.train;

import dev.kiln.data.DataLoader;
import dev.kiln.data.Dataset;
import dev.kiln.models.RunRequest;
import dev.kiln.nn.Module;
import dev.kiln.optim.AdamW;
import dev.kiln.optim.LRScheduler;
import dev.kiln.optim.Optimizer;

import java.io.IOException;
import java.util.Map;

/**
 * The optimisation every Kiln model preset uses: AdamW with decoupled weight decay, the learning
 * rate decayed to zero along a cosine over the whole run, training batches shuffled by the run
 * seed, evaluation in a fixed order. A model keeps its preset as one of these and calls
 * {@link #fit}, which runs the {@link Trainer} with a {@link Classification} step; the {@code --epochs}, {@code --batch-size} and {@code --lr} the user gave replace
 * the preset's values there.
 *
 * @param epochs      passes over the training set
 * @param batch       training batch size
 * @param lr          peak learning rate
 * @param weightDecay AdamW's decoupled weight decay
 * @param gradClip    global gradient-norm clip; 0 disables it
 * @param evalBatch   batch size of the evaluation pass (no gradients, so it can be larger)
 */
public record Recipe(int epochs, int batch, float lr, float weightDecay, float gradClip, int evalBatch) {

    public Recipe {
        if (epochs < 1 || batch < 1 || evalBatch < 1) {
            throw new IllegalArgumentException("epochs, batch and evalBatch must be >= 1, got " + epochs + ", " + batch
                    + ", " + evalBatch);
        }
        if (!(lr > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("lr must be > 0 and weightDecay >= 0, got " + lr + ", " + weightDecay);
        }
    }

    /** This recipe with the request's explicit epochs, batch size and learning rate in place of the preset's. */
    public Recipe overriddenBy(RunRequest req) {
        return new Recipe(req.epochs() != null ? req.epochs() : epochs, req.batchSize() != null ? req.batchSize() : batch,
                req.lr() != null ? req.lr() : lr, weightDecay, gradClip, evalBatch);
    }

    /**
     * Moves {@code model} to the request's device and trains it with this recipe (after
     * {@link #overriddenBy}), evaluating on {@code test} after every epoch.
     *
     * @param name   the model's command-line name: the run's title is {@code name/dataset}
     * @param detail architecture and preset, for the checkpoint fingerprint (a checkpoint of a
     *               different run is not resumed)
     * @param random the model's random streams (dropout, augmentation) by name; the checkpoint
     *               holds their positions
     */
    public TrainResult fit(String name, String detail, Module model, Map<String, RandomStream> random, Dataset train,
                           Dataset test, RunRequest req) throws IOException {
        return fit(name, detail, model, random, train, test, req, Map.of());
    }

    /**
     * {@link #fit(String, String, Module, Map, Dataset, Dataset, RunRequest)}, keeping {@code files}
     * (name to content, e.g. a vocabulary) in and beside every checkpoint of the run.
     */
    public TrainResult fit(String name, String detail, Module model, Map<String, RandomStream> random, Dataset train,
                           Dataset test, RunRequest req, Map<String, String> files) throws IOException {
        Recipe r = overriddenBy(req);
        model.to(req.device());
        Optimizer opt = new AdamW(model.parameters(), r.lr).weightDecay(r.weightDecay);
        DataLoader trainLoader = DataLoader.builder(train).batchSize(r.batch).shuffle(req.seed()).build();
        DataLoader testLoader = DataLoader.builder(test).batchSize(r.evalBatch).build();
        LRScheduler schedule = LRScheduler.cosine(opt, r.epochs * trainLoader.numBatches(), 0f);
        String title = name + "/" + req.dataset();
        String fingerprint = name + " " + req.dataset() + (req.quick() ? " quick" : "") + " " + detail;
        TrainConfig cfg = new TrainConfig(r.epochs, 20, req.outDir(), req.resume(), req.log(), title, fingerprint)
                .withSettings(req.settings(r.epochs, r.batch, r.lr), req.allowScheduleChange()).withFiles(files);
        TrainState state = new TrainState().module("model", model).optimizer("optimizer", opt).scheduler("schedule", schedule);
        random.forEach(state::random);
        return new Trainer(state, cfg).fit(Steps.over(trainLoader),
                Classification.step(model, opt, schedule, r.gradClip, req.device()),
                Classification.evaluation(model, testLoader, req.device()));
    }
}
