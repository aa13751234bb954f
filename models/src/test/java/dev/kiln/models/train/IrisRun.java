package dev.kiln.models.train;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.data.DataLoader;
import dev.kiln.data.LabeledData;
import dev.kiln.models.Datasets;
import dev.kiln.models.dnn.Mlp;
import dev.kiln.models.dnn.MlpConfig;
import dev.kiln.optim.AdamW;
import dev.kiln.optim.LRScheduler;
import dev.kiln.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A small Iris training set-up built directly on the {@link Trainer}, with dropout so the RNG offset matters. */
record IrisRun(Trainer trainer, Steps steps, TrainStep step, Evaluation eval) {

    static IrisRun create(int epochs, Path out, boolean resume) {
        LabeledData.TrainTest data = Datasets.iris();
        Generator dropout = new Generator(11);
        Mlp model = new Mlp(new MlpConfig(4, List.of(16), 3, "relu", 0.3f), new Generator(10), dropout);
        Optimizer opt = new AdamW(model.parameters(), 0.01f);
        DataLoader train = DataLoader.builder(data.train()).batchSize(16).shuffle(12).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(1000).build();
        LRScheduler sched = LRScheduler.cosine(opt, epochs * train.numBatches(), 0f);
        TrainConfig cfg = TrainConfig.of(epochs, "test/iris", "test iris 4-16-3").withOutDir(out, resume).withSyncEvery(3);
        TrainState state = new TrainState().module("model", model).optimizer("optimizer", opt).scheduler("schedule", sched)
                .random("dropout", dropout);
        return new IrisRun(new Trainer(state, cfg), Steps.over(train), Classification.step(model, opt, sched, 0f, Device.cpu()),
                Classification.evaluation(model, test, Device.cpu()));
    }

    History fit() throws IOException {
        return trainer.fit(steps, step, eval).history();
    }
}
