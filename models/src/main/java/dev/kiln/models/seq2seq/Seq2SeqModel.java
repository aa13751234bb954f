package dev.kiln.models.seq2seq;

import dev.kiln.Autograd;
import dev.kiln.DType;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.data.TensorDataset;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.RandomStream;
import dev.kiln.models.train.Recipe;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.Trainer;
import dev.kiln.nn.Module;
import dev.kiln.nn.Transformer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code kiln train seq2seq}: the encoder-decoder {@link Transformer} learns to reverse random
 * token sequences of variable length (padded, with source key-padding lengths). The target is the
 * reversed valid part followed by padding; the metric is greedy-decoding exact match of the whole
 * target on fresh sequences.
 */
public final class Seq2SeqModel implements KilnModel {

    public static final String NAME = "seq2seq";
    public static final String REVERSE = "reverse";
    static final int PAD = 0;
    static final int BOS = 1;
    static final int SYMBOLS = 10;
    static final int VOCAB = SYMBOLS + 2;

    /** Sizes of one run. */
    record Preset(int maxLen, int dim, int heads, int layers, int trainSize, int testSize, int epochs, int batch, float lr) {
    }

    static final Preset FULL = new Preset(12, 64, 4, 2, 20_000, 1000, 10, 64, 2e-3f);
    static final Preset QUICK = new Preset(8, 64, 4, 2, 6400, 400, 3, 64, 3e-3f);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "encoder-decoder Transformer reversing random token sequences (exact match)";
    }

    @Override
    public List<String> datasets() {
        return List.of(REVERSE);
    }

    @Override
    public List<DemoDataset> demoDatasets(RunRequest base) {
        return List.of(DemoDataset.available(REVERSE));
    }

    /** Rows of {@code [src (maxLen) | tgtIn (maxLen)]} features and {@code tgtOut (maxLen)} labels. */
    static TensorDataset data(int n, int maxLen, Generator g) {
        float[] x = new float[n * 2 * maxLen];
        int[] y = new int[n * maxLen];
        for (int r = 0; r < n; r++) {
            int len = 1 + g.nextInt(maxLen);
            int[] seq = new int[len];
            for (int k = 0; k < len; k++) {
                seq[k] = 2 + g.nextInt(SYMBOLS);
            }
            int base = r * 2 * maxLen;
            for (int k = 0; k < len; k++) {
                x[base + k] = seq[k];
                y[r * maxLen + k] = seq[len - 1 - k];
            }
            x[base + maxLen] = BOS;
            for (int k = 1; k < maxLen; k++) {
                x[base + maxLen + k] = y[r * maxLen + k - 1];
            }
        }
        return new TensorDataset(x, new int[] {2 * maxLen}, y, new int[] {maxLen});
    }

    /** The Transformer behind the {@link Trainer}'s one-tensor interface: splits the packed rows. */
    static final class Reverser extends Module {
        private final int maxLen;

        Reverser(Preset p, Generator g) {
            this.maxLen = p.maxLen();
            registerModule("transformer", new Transformer(VOCAB, p.dim(), p.heads(), p.layers(), 4 * p.dim(), 2 * p.maxLen() + 2, 0f, g, g));
        }

        Transformer transformer() {
            return module("transformer");
        }

        static Tensor srcLengths(Tensor src) {
            long[] ids = src.toLongArray();
            int b = src.size(0), l = src.size(1);
            int[] lens = new int[b];
            for (int r = 0; r < b; r++) {
                int n = 0;
                while (n < l && ids[r * l + n] != PAD) {
                    n++;
                }
                lens[r] = n;
            }
            return Tensor.fromIndices(lens);
        }

        @Override
        public Tensor forward(Tensor packed) {
            Tensor ids = packed.toType(DType.INT32);
            Tensor src = ids.slice(1, 0, maxLen);
            Tensor tgtIn = ids.slice(1, maxLen, 2 * maxLen);
            Tensor logits = transformer().forward(src, srcLengths(src), tgtIn);
            return logits.reshape(-1, VOCAB);
        }

        /** Greedy decoding of {@code maxLen} tokens; the fraction of rows whose whole output equals the target. */
        double exactMatch(TensorDataset test, dev.kiln.Device device) {
            int n = test.size();
            int[] idx = new int[n];
            for (int k = 0; k < n; k++) {
                idx[k] = k;
            }
            float[] feats = new float[n * 2 * maxLen];
            int[] labels = new int[n * maxLen];
            test.fetch(idx, feats, labels);
            int[] src = new int[n * maxLen];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < maxLen; k++) {
                    src[r * maxLen + k] = (int) feats[r * 2 * maxLen + k];
                }
            }
            try (Autograd.Scope s = Autograd.noGrad()) {
                Tensor srcT = Tensor.fromIndices(src, n, maxLen);
                Tensor lens = srcLengths(srcT).to(device);
                srcT = srcT.to(device);
                Tensor memory = transformer().encode(srcT, lens);
                int[] out = new int[n * maxLen];
                int[] tgt = new int[n * maxLen];
                for (int r = 0; r < n; r++) {
                    tgt[r * maxLen] = BOS;
                }
                for (int t = 0; t < maxLen; t++) {
                    int[] prefix = new int[n * (t + 1)];
                    for (int r = 0; r < n; r++) {
                        System.arraycopy(tgt, r * maxLen, prefix, r * (t + 1), t + 1);
                    }
                    Tensor logits = transformer().decode(Tensor.fromIndices(prefix, n, t + 1).to(device), memory, lens);
                    long[] next = logits.select(1, t).argmax(-1).toLongArray();
                    for (int r = 0; r < n; r++) {
                        out[r * maxLen + t] = (int) next[r];
                        if (t + 1 < maxLen) {
                            tgt[r * maxLen + t + 1] = (int) next[r];
                        }
                    }
                }
                int exact = 0;
                for (int r = 0; r < n; r++) {
                    boolean ok = true;
                    for (int k = 0; k < maxLen && ok; k++) {
                        ok = out[r * maxLen + k] == labels[r * maxLen + k];
                    }
                    exact += ok ? 1 : 0;
                }
                return exact / (double) n;
            }
        }
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        if (!req.dataset().equals(REVERSE)) {
            throw new IllegalArgumentException("Unknown dataset '" + req.dataset() + "' for seq2seq; expected one of " + datasets());
        }
        long start = System.nanoTime();
        Preset p = req.quick() ? QUICK : FULL;
        TensorDataset train = data(p.trainSize(), p.maxLen(), new Generator(req.seed() + 1000));
        TensorDataset test = data(p.testSize(), p.maxLen(), new Generator(req.seed() + 2000));
        Generator rng = new Generator(req.seed() ^ 0x5EEDL);
        Reverser model = new Reverser(p, new Generator(req.seed()));
        Recipe recipe = new Recipe(p.epochs(), p.batch(), p.lr(), 0.01f, 1f, 200);
        TrainResult result = recipe.fit(NAME, p.toString(), model, Map.of("dropout", RandomStream.of(rng)), train, test, req);
        model.eval();
        double em = model.exactMatch(test, req.device());
        return new RunResult(NAME, req.dataset(), req.device(), "exact_match", em, (System.nanoTime() - start) / 1e9, result);
    }
}
