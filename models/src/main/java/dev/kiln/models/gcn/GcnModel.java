package dev.kiln.models.gcn;

import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.Metrics;
import dev.kiln.models.train.Steps;
import dev.kiln.models.train.TrainConfig;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.TrainState;
import dev.kiln.models.train.Trainer;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Dropout;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.Adam;
import dev.kiln.sparse.Graphs;
import dev.kiln.sparse.SparseTensor;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kiln train gcn}: Kipf and Welling's two-layer GCN ({@link Gcn}) with the paper's
 * settings (16 hidden units, dropout 0.5, L2 weight decay 5e-4 on the first layer, Adam with
 * learning rate 0.01, 200 epochs of full-batch training), trained with the {@link Trainer} (one
 * step an epoch: the whole graph), on
 *
 * <ul>
 *   <li>{@code karate} — Zachary's karate club ({@link KarateClub}): one labelled member per
 *       faction, accuracy on the other 32;</li>
 *   <li>{@code csbm} — a contextual stochastic block model generated from the seed ({@link Csbm}:
 *       homophily 0.8). The same run also trains a two-layer MLP on the features alone (same
 *       width, dropout, decay and optimiser) and reports its test accuracy beside the GCN's on the
 *       RESULT line ({@code mlp_test_accuracy=…}).</li>
 *   <li>{@code cora} — the Cora citation graph in its original text form ({@link CoraGraph}: found
 *       under {@code --data}, {@code KILN_DATA}, the standard places, or downloaded with its
 *       SHA-256 checked), features row-normalised as in the paper, citations made undirected, the
 *       Planetoid split (20 labelled papers per class, 500 validation, 1,000 test) drawn from the
 *       seed; accuracy on the 1,000 test papers.</li>
 * </ul>
 *
 * Quick mode ({@code kiln demo}) keeps karate as it is and uses the 600-node CSBM.
 */
public final class GcnModel implements KilnModel {

    public static final String NAME = "gcn";
    public static final String KARATE = "karate";
    public static final String CSBM = "csbm";
    public static final String CORA = "cora";

    /** The paper's settings. */
    public static final int HIDDEN = 16;
    public static final float DROPOUT = 0.5f;
    public static final float WEIGHT_DECAY = 5e-4f;
    public static final float LR = 0.01f;
    public static final int EPOCHS = 200;

    private static final long DROPOUT_STREAM = 0x6C0_D80BL;
    private static final long GRAPH_STREAM = 0x6A7F_5EEDL;
    private static final long SPLIT_STREAM = 0x5B1_17L;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "two-layer graph convolutional network (Kipf & Welling) on Zachary's karate club or a generated CSBM graph";
    }

    @Override
    public List<String> datasets() {
        return List.of(KARATE, CSBM, CORA);
    }

    @Override
    public List<DemoDataset> demoDatasets(RunRequest base) {
        return List.of(DemoDataset.available(KARATE), DemoDataset.available(CSBM));
    }

    /** The dataset of a run: karate, or the CSBM generated from the run's seed (quick: 600 nodes). */
    public static GraphData data(String dataset, long seed, boolean quick) {
        switch (dataset) {
            case KARATE: return KarateClub.load();
            case CSBM: return (quick ? Csbm.quick() : Csbm.preset()).generate(seed ^ GRAPH_STREAM);
            default: throw new IllegalArgumentException("Unknown dataset '" + dataset + "' for gcn; expected one of " + List.of(KARATE, CSBM)
                    + (dataset.equals(CORA) ? " (cora is read from files: use data(RunRequest))" : ""));
        }
    }

    /** The dataset of a run, Cora included (read from {@code req.dataDir()} or where {@link dev.kiln.data.Cora} finds it). */
    public static GraphData data(RunRequest req) throws IOException {
        return req.dataset().equals(CORA) ? CoraGraph.load(req.dataDir(), req.seed() ^ SPLIT_STREAM)
                : data(req.dataset(), req.seed(), req.quick());
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        long start = System.nanoTime();
        GraphData data = data(req);
        if (req.log() != null) {
            req.log().println("gcn: " + data.describe());
        }
        int epochs = req.epochs() != null ? req.epochs() : EPOCHS;
        float lr = req.lr() != null ? req.lr() : LR;
        Device dev = req.device();
        SparseTensor a = Graphs.gcnNormalize(data.adjacency());
        Generator dropout = new Generator(req.seed() ^ DROPOUT_STREAM);
        int f = data.features().size(1);
        Gcn gcn = new Gcn(a, f, HIDDEN, data.classes(), DROPOUT, new Generator(req.seed()), dropout);
        String detail = "gcn " + f + "-" + HIDDEN + "-" + data.classes() + " dropout " + DROPOUT + " decay " + WEIGHT_DECAY;
        TrainResult result = fit(gcn, gcn::firstLayerL2, dropout, data, epochs, lr, req, NAME, detail, req.outDir(), req.log());
        String extra = "";
        if (req.dataset().equals(CSBM)) {
            Generator mlpDropout = new Generator(req.seed() ^ DROPOUT_STREAM ^ 1);
            Generator init = new Generator(req.seed() ^ 1);
            Linear first = new Linear(f, HIDDEN, init);
            Sequential mlp = new Sequential(new Dropout(DROPOUT, mlpDropout), first, Activation.relu(),
                    new Dropout(DROPOUT, mlpDropout), new Linear(HIDDEN, data.classes(), init));
            TrainResult mlpResult = fit(mlp, () -> first.namedParameters().get("weight").square().sum().mul(0.5f), mlpDropout, data, epochs, lr, req, "mlp",
                    "mlp " + f + "-" + HIDDEN + "-" + data.classes(), null, null);
            double mlpAcc = mlpResult.test("accuracy");
            extra = String.format(Locale.ROOT, "mlp_test_accuracy=%.4f", mlpAcc);
            if (req.log() != null) {
                req.log().printf(Locale.ROOT, "gcn: test accuracy GCN %.4f, MLP on the features alone %.4f (%+.1f points)%n",
                        result.test("accuracy"), mlpAcc, 100 * (result.test("accuracy") - mlpAcc));
            }
        }
        return new RunResult(NAME, req.dataset(), dev, "test_accuracy", result.test("accuracy"), (System.nanoTime() - start) / 1e9,
                result, extra);
    }

    /** Full-batch training of {@code model} on the graph's labelled nodes; evaluation on its test nodes. */
    static TrainResult fit(Module model, java.util.function.Supplier<Tensor> l2, Generator dropout, GraphData data, int epochs,
                           float lr, RunRequest req, String name, String detail, java.nio.file.Path outDir,
                           java.io.PrintStream log) throws IOException {
        Device dev = req.device();
        model.to(dev);
        Adam opt = new Adam(model.parameters(), lr);
        Tensor x = data.features().to(dev);
        Tensor trainIdx = Tensor.fromIndices(data.train()).to(dev), testIdx = Tensor.fromIndices(data.test()).to(dev);
        Tensor yTrain = data.labelsOf(data.train()).to(dev), yTest = data.labelsOf(data.test()).to(dev);
        int nTrain = data.train().length, nTest = data.test().length;
        String title = name + "/" + req.dataset();
        String fingerprint = title + (req.quick() ? " quick" : "") + " " + detail + " nodes " + data.nodes();
        TrainState state = new TrainState().module("model", model).optimizer("optimizer", opt).random("dropout", dropout);
        TrainConfig cfg = new TrainConfig(epochs, 20, outDir, outDir != null && req.resume(), log, title, fingerprint)
                .withSettings(req.settings(epochs, null, lr), req.allowScheduleChange());
        return new Trainer(state, cfg).fit(Steps.fixed(1, nTrain), s -> {
            Tensor logits = model.forward(x).indexSelect(0, trainIdx);
            Tensor ce = logits.crossEntropy(yTrain);
            Tensor loss = ce.add(l2.get().mul(WEIGHT_DECAY));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            return new Metrics().mean("loss", ce, nTrain).ratio("accuracy", correct(logits.detach(), yTrain), nTrain);
        }, () -> {
            Tensor logits = model.forward(x).indexSelect(0, testIdx);
            float[] v = Tensor.cat(List.of(logits.crossEntropy(yTest).reshape(1), correct(logits, yTest).reshape(1)), 0).toFloatArray();
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("loss", (double) v[0]);
            out.put("accuracy", v[1] / (double) nTest);
            return out;
        });
    }

    private static Tensor correct(Tensor logits, Tensor y) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return logits.argmax(1).toType(DType.FLOAT32).eq(y.toType(DType.FLOAT32)).sum();
        }
    }
}
