package dev.kiln.models.lstm;

import dev.kiln.Generator;
import dev.kiln.nn.Module;
import dev.kiln.data.DataLoader;
import dev.kiln.data.text.CharVocab;
import dev.kiln.data.text.KjvCorpus;
import dev.kiln.data.text.SequenceWindows;
import dev.kiln.data.text.TextSplit;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.TrainConfig;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.Trainer;
import dev.kiln.optim.AdamW;
import dev.kiln.optim.LRScheduler;
import dev.kiln.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A character-level language model run on the King James Bible (shared by {@code kiln train lstm}
 * and {@code kiln train transformer}): the training books as random windows, the held-out books of
 * {@link KjvCorpus#split()} as consecutive windows, the {@link Trainer} on flattened
 * {@code [B·L, V]} logits, and the held-out loss reported as bits per character.
 */
public final class CharLanguageModel implements KilnModel {

    /** Sizes and schedule of one run. */
    public record Preset(int window, int batch, int trainWindows, int heldOutChars, int epochs, float lr, float clip) {
    }

    public static final String KJV = "kjv";

    private final String name;
    private final String description;
    private final Preset full;
    private final Preset quick;
    private final BiFunction<Integer, Generator, Module> factory;

    /** @param factory builds the model for a vocabulary size; it maps ids {@code [B, L]} to logits {@code [B·L, V]} */
    public CharLanguageModel(String name, String description, Preset full, Preset quick, BiFunction<Integer, Generator, Module> factory) {
        this.name = name;
        this.description = description;
        this.full = full;
        this.quick = quick;
        this.factory = factory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> datasets() {
        return List.of(KJV);
    }

    @Override
    public List<String> demoDatasets(RunRequest base) {
        return kjvIsLocal(base) ? List.of(KJV) : List.of();
    }

    /** True when the corpus is on this machine (the Debian program or a cached/explicit copy); never downloads. */
    public static boolean kjvIsLocal(RunRequest base) {
        if (base.dataDir() != null) {
            return Files.isRegularFile(base.dataDir().resolve(KjvCorpus.FILE)) || Files.isRegularFile(base.dataDir());
        }
        return Files.isExecutable(KjvCorpus.DEBIAN_BIBLE) || Files.isRegularFile(KjvCorpus.loader().cacheFile());
    }

    /** The training and held-out text of the KJV corpus (held-out: the books of {@link KjvCorpus#HELD_OUT_BOOKS}). */
    public static TextSplit kjvSplit(RunRequest req) throws IOException {
        KjvCorpus corpus = req.dataDir() == null ? KjvCorpus.load() : KjvCorpus.load(req.dataDir());
        return corpus.split();
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        if (!req.dataset().equals(KJV)) {
            throw new IllegalArgumentException("Unknown dataset '" + req.dataset() + "' for " + name + "; expected one of " + datasets());
        }
        long start = System.nanoTime();
        Preset p = req.quick() ? quick : full;
        TextSplit split = kjvSplit(req);
        CharVocab vocab = CharVocab.build(split.train(), true);
        int[] trainIds = vocab.encode(split.train());
        int[] heldIds = vocab.encode(split.heldOut());
        if (p.heldOutChars() > 0 && heldIds.length > p.heldOutChars() + 1) {
            heldIds = Arrays.copyOf(heldIds, p.heldOutChars() + 1);
        }
        int epochs = req.epochs() != null ? req.epochs() : p.epochs();
        int batch = req.batchSize() != null ? req.batchSize() : p.batch();
        float lr = req.lr() != null ? req.lr() : p.lr();
        SequenceWindows trainSet = SequenceWindows.randomOffsets(trainIds, p.window(), p.trainWindows(), req.seed());
        SequenceWindows heldSet = SequenceWindows.of(heldIds, p.window());
        Generator rng = new Generator(req.seed() ^ 0x5EEDL);
        Module model = factory.apply(vocab.size(), new Generator(req.seed()));
        model.to(req.device());
        Optimizer opt = new AdamW(model.parameters(), lr).weightDecay(0.01f);
        DataLoader trainLoader = DataLoader.builder(trainSet).batchSize(batch).shuffle(req.seed()).build();
        DataLoader heldLoader = DataLoader.builder(heldSet).batchSize(64).build();
        LRScheduler schedule = LRScheduler.cosine(opt, epochs * trainLoader.numBatches(), 0f);
        String title = name + "/" + req.dataset();
        String fingerprint = name + " " + req.dataset() + (req.quick() ? " quick" : "") + " " + p + " vocab " + vocab.size();
        if (req.log() != null) {
            req.log().printf("%s: %d parameters, vocabulary %d, %d training windows of %d, %d held-out chars (%s)%n", title,
                    model.parameterCount(), vocab.size(), trainSet.size(), p.window(), heldIds.length - 1, split.description());
        }
        TrainConfig cfg = new TrainConfig(epochs, p.clip(), 20, req.outDir(), req.resume(), req.log(), title, fingerprint);
        TrainResult result = new Trainer(model, opt, schedule, rng, req.device(), cfg).fit(trainLoader, heldLoader);
        if (req.outDir() != null) {
            Files.writeString(req.outDir().resolve("vocab.txt"), vocab.serialize());
        }
        double bpc = result.testLoss() / Math.log(2);
        return new RunResult(name, req.dataset(), req.device(), "heldout_bpc", bpc, (System.nanoTime() - start) / 1e9, result);
    }

    /** Ids {@code [B, L]} (FLOAT32 from the loader or INT) to the model's logits flattened to {@code [B·L, V]}. */
    public static dev.kiln.Tensor flat(dev.kiln.Tensor logits) {
        return logits.reshape(-1, logits.size(-1));
    }
}
