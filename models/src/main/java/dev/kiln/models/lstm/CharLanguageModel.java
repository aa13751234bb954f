package dev.kiln.models.lstm;

import dev.kiln.Generator;
import dev.kiln.nn.Module;
import dev.kiln.data.text.CharVocab;
import dev.kiln.data.text.KjvCorpus;
import dev.kiln.data.text.SequenceWindows;
import dev.kiln.data.text.TextFile;
import dev.kiln.data.text.TextSplit;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.Classification;
import dev.kiln.models.train.RandomStream;
import dev.kiln.models.train.Recipe;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A character-level language model run (shared by {@code kiln train lstm} and
 * {@code kiln train transformer}) on the King James Bible ({@code --dataset kjv}, held out: the
 * books of {@link KjvCorpus#split()}) or on a UTF-8 text file the user names
 * ({@code --dataset text --data FILE}, held out: the last {@link #TEXT_HELD_OUT} of it, cut at a
 * line break by {@link TextFile#split}). The training text becomes random windows, the held-out
 * text consecutive windows; the {@link Trainer} runs on flattened {@code [B·L, V]} logits, and the
 * held-out loss is reported as bits per character. The character vocabulary is stored in every
 * checkpoint and copied as {@code vocab.txt} beside it once the checkpoint is written (a refused
 * {@code --resume} writes nothing); {@code kiln generate} uses the checkpoint's copy.
 */
public final class CharLanguageModel implements KilnModel {

    /** Sizes and schedule of one run. */
    public record Preset(int window, int batch, int trainWindows, int heldOutChars, int epochs, float lr, float clip) {
    }

    public static final String KJV = "kjv";
    /** {@code --dataset text}: the file named by {@code --data}. */
    public static final String TEXT = "text";
    /** Held-out fraction of a user's text file. */
    public static final double TEXT_HELD_OUT = 0.10;
    /** The vocabulary's file name inside a run's output directory. */
    public static final String VOCAB_FILE = "vocab.txt";

    /**
     * A model that continues text one step at a time, for sampling ({@code kiln generate}).
     * Implemented by {@link CharLstm} (carries its hidden state) and
     * {@link dev.kiln.models.transformer.CharTransformer} (re-reads a sliding context).
     */
    public interface Autoregressive {
        /** A fresh decoder with an empty context, on the device of the model's parameters. */
        Decoder decoder();
    }

    /** The state of one generated text. */
    public interface Decoder {
        /** Appends {@code ids} (at least one) to the context; returns the logits {@code [V]} of the next character. */
        float[] feed(int[] ids);
    }

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
        return List.of(KJV, TEXT);
    }

    /** A fresh, untrained model of this kind for a vocabulary of {@code vocab} ids. */
    public Module build(int vocab, Generator g) {
        return factory.apply(vocab, g);
    }

    @Override
    public List<DemoDataset> demoDatasets(RunRequest base) {
        return List.of(kjvForDemo(base.dataDir(), KjvCorpus.DEBIAN_BIBLE, KjvCorpus.loader().cacheFile()));
    }

    /**
     * The KJV for the demo: available when the corpus is on this machine (in {@code dataDir} when
     * one is given, else the Debian {@code bible} program or the cached copy); never downloads.
     */
    public static DemoDataset kjvForDemo(Path dataDir, Path bibleProgram, Path cacheFile) {
        String getIt = "sudo apt-get install " + KjvCorpus.APT_PACKAGES;
        if (dataDir != null) {
            if (Files.isRegularFile(dataDir.resolve(KjvCorpus.FILE)) || Files.isRegularFile(dataDir)) {
                return DemoDataset.available(KJV);
            }
            return DemoDataset.skipped(KJV, "no " + KjvCorpus.FILE + " in " + dataDir, getIt + " (then run without --data)");
        }
        if (Files.isExecutable(bibleProgram) || Files.isRegularFile(cacheFile)) {
            return DemoDataset.available(KJV);
        }
        return DemoDataset.skipped(KJV, "the King James Bible is not on this machine (no " + bibleProgram + ", no " + cacheFile
                + "; the demo never downloads)", getIt);
    }

    /** The training and held-out text of the KJV corpus (held-out: the books of {@link KjvCorpus#HELD_OUT_BOOKS}). */
    public static TextSplit kjvSplit(RunRequest req) throws IOException {
        KjvCorpus corpus = req.dataDir() == null ? KjvCorpus.load() : KjvCorpus.load(req.dataDir());
        return corpus.split();
    }

    /**
     * The training and held-out text of {@code --dataset text}: the file {@code req.dataDir()}
     * names, its last {@link #TEXT_HELD_OUT} held out (cut after a line break).
     *
     * @throws IOException when no file is named, or it is missing, empty, not UTF-8 or too short to split
     */
    public static TextSplit textSplit(RunRequest req) throws IOException {
        Path file = req.dataDir();
        if (file == null) {
            throw new IOException("--dataset text needs --data FILE, a UTF-8 text file");
        }
        String text = TextFile.load(file);
        try {
            return TextFile.split(text, TEXT_HELD_OUT);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        if (!datasets().contains(req.dataset())) {
            throw new IllegalArgumentException("Unknown dataset '" + req.dataset() + "' for " + name + "; expected one of " + datasets());
        }
        long start = System.nanoTime();
        Preset p = req.quick() ? quick : full;
        boolean kjv = req.dataset().equals(KJV);
        TextSplit split = kjv ? kjvSplit(req) : textSplit(req);
        CharVocab vocab = CharVocab.build(split.train(), true);
        int[] trainIds = vocab.encode(split.train());
        int[] heldIds = vocab.encode(split.heldOut());
        if (p.heldOutChars() > 0 && heldIds.length > p.heldOutChars() + 1) {
            heldIds = Arrays.copyOf(heldIds, p.heldOutChars() + 1);
        }
        if (trainIds.length < p.window() + 1 || heldIds.length < p.window() + 1) {
            throw new IOException(req.dataDir() + ": too short for windows of " + p.window() + " characters: "
                    + trainIds.length + " training and " + heldIds.length + " held-out characters ("
                    + split.description() + "), each part needs at least " + (p.window() + 1));
        }
        SequenceWindows trainSet = SequenceWindows.randomOffsets(trainIds, p.window(), p.trainWindows(), req.seed());
        SequenceWindows heldSet = SequenceWindows.of(heldIds, p.window());
        Generator rng = new Generator(req.seed() ^ 0x5EEDL);
        Module model = factory.apply(vocab.size(), new Generator(req.seed()));
        String title = name + "/" + req.dataset();
        if (req.log() != null) {
            req.log().printf("%s: %d parameters, vocabulary %d, %d training windows of %d, %d held-out chars (%s)%n", title,
                    model.parameterCount(), vocab.size(), trainSet.size(), p.window(), heldIds.length - 1, split.description());
        }
        String detail = (kjv ? "" : req.dataDir().getFileName() + " ") + p + " vocab " + vocab.size();
        Recipe recipe = new Recipe(p.epochs(), p.batch(), p.lr(), 0.01f, p.clip(), 64);
        // The vocabulary goes into every checkpoint and is copied beside it after each save, never before the run is checked.
        TrainResult result = recipe.fit(name, detail, model, Map.of("dropout", RandomStream.of(rng)), trainSet, heldSet, req,
                Map.of(VOCAB_FILE, vocab.serialize() + "\n"));
        double bpc = result.test(Classification.LOSS) / Math.log(2);
        return new RunResult(name, req.dataset(), req.device(), "heldout_bpc", bpc, (System.nanoTime() - start) / 1e9, result);
    }

    /** Ids {@code [B, L]} (FLOAT32 from the loader or INT) to the model's logits flattened to {@code [B·L, V]}. */
    public static dev.kiln.Tensor flat(dev.kiln.Tensor logits) {
        return logits.reshape(-1, logits.size(-1));
    }
}
