package dev.kiln.models.train;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.data.DataLoader;
import dev.kiln.data.TensorDataset;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.Module;
import dev.kiln.optim.AdamW;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** For sequence models the Trainer's accuracy is correct tokens over all tokens, not per sequence. */
class SequenceAccuracyTest {

    /** Logits {@code [B·L, V]}: one-hot of the input id, so the prediction is the input token itself. */
    static final class Echo extends Module {
        static final int V = 4;

        Echo() {
            registerModule("embed", new Embedding(V, V, new Generator(1)));
        }

        @Override
        public Tensor forward(Tensor ids) {
            Tensor e = this.<Embedding>module("embed").forward(ids);
            return e.reshape(-1, V);
        }
    }

    @Test
    void accuracyIsAPerTokenFraction() throws IOException {
        // 6 sequences of 5 tokens; the target equals the input at 2 of 5 positions in every row: accuracy 0.4.
        int n = 6, len = 5;
        float[] x = new float[n * len];
        int[] y = new int[n * len];
        for (int r = 0; r < n; r++) {
            for (int t = 0; t < len; t++) {
                int id = (r + t) % Echo.V;
                x[r * len + t] = id;
                y[r * len + t] = t < 2 ? id : (id + 1) % Echo.V;
            }
        }
        TensorDataset data = new TensorDataset(x, new int[] {len}, y, new int[] {len});
        Echo model = new Echo();
        float[] eye = new float[Echo.V * Echo.V];
        for (int k = 0; k < Echo.V; k++) {
            eye[k * Echo.V + k] = 10f;
        }
        model.loadStateDict(Map.of("embed.weight", Tensor.fromArray(eye, Echo.V, Echo.V)));
        AdamW opt = new AdamW(model.parameters(), 1e-6f);
        Trainer trainer = new Trainer(new TrainState().module("model", model).optimizer("optimizer", opt),
                TrainConfig.of(1, "echo", "echo"));
        DataLoader loader = DataLoader.builder(data).batchSize(4).build();
        Evaluation eval = Classification.evaluation(model, loader, Device.cpu());
        assertEquals(0.4, eval.evaluate().get(Classification.ACCURACY), 1e-6);
        TrainResult r = trainer.fit(Steps.over(DataLoader.builder(data).batchSize(3).build()),
                Classification.step(model, opt, null, 0f, Device.cpu()), eval);
        assertEquals(0.4, r.history().last().train("accuracy"), 1e-6);
        assertEquals(0.4, r.history().last().test("accuracy"), 1e-6);
        assertEquals(0.4, r.test("accuracy"), 1e-6);
    }
}
