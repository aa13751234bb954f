package dev.kiln.models.word2vec;

import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.data.text.KjvCorpus;
import dev.kiln.data.text.WordVocab;
import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.models.train.Checkpoint;
import dev.kiln.models.train.EpochStats;
import dev.kiln.models.train.History;
import dev.kiln.models.train.TrainResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kiln train word2vec}: skip-gram with negative sampling ({@link SkipGramTrainer}) with the
 * word2vec tool's settings ({@link Word2VecConfig#preset}: 100 dims, window 1..5, 5 negatives,
 * min count 5, sub-sampling 1e-3, alpha 0.025 decaying linearly, 5 epochs), on
 *
 * <ul>
 *   <li>{@code kjv} — the whole King James Bible, one verse a sentence;</li>
 *   <li>{@code text} — a UTF-8 text file ({@code --data FILE}), one sentence a line.</li>
 * </ul>
 *
 * Evaluation: top-1 3CosAdd accuracy on the {@link Analogies} derived from the run's own vocabulary
 * (the RESULT's {@code analogy_accuracy}), the training throughput in corpus words per second, and
 * the nearest neighbours of a few words in the log. CPU threads: {@code -Dkiln.word2vec.threads=N}
 * (default: the available processors). Quick mode ({@code kiln demo}): the first
 * {@value #QUICK_VERSES} verses, {@value #QUICK_EPOCHS} epochs.
 *
 * <p>With {@code --out DIR} the run writes {@code checkpoint.kiln} (module {@code model}: tensors
 * {@code input} and {@code output}, {@code [words, dim]}), {@code vocab.txt} (the {@link WordVocab}),
 * {@code corpus.txt} (the tokenised sentences, one a line: what a reference implementation should
 * train on) and {@code analogies.txt} (the question set).
 */
public final class Word2VecModel implements KilnModel {

    public static final String NAME = "word2vec";
    public static final String KJV = "kjv";
    public static final String TEXT = "text";
    public static final String VOCAB_FILE = "vocab.txt";
    public static final String CORPUS_FILE = "corpus.txt";
    public static final String ANALOGY_FILE = "analogies.txt";
    public static final int QUICK_VERSES = 6000;
    public static final int QUICK_EPOCHS = 3;
    /** Words whose neighbours the log shows (those in the vocabulary). */
    public static final List<String> PROBES = List.of("god", "king", "water", "israel", "love", "jesus", "he", "thou");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "skip-gram word vectors with negative sampling (the word2vec tool's recipe), evaluated on analogies "
                + "derived from the corpus";
    }

    @Override
    public List<String> datasets() {
        return List.of(KJV, TEXT);
    }

    @Override
    public List<DemoDataset> demoDatasets(RunRequest base) {
        return List.of(CharLanguageModel.kjvForDemo(base.dataDir(), KjvCorpus.DEBIAN_BIBLE, KjvCorpus.loader().cacheFile()));
    }

    /** CPU threads: {@code kiln.word2vec.threads}, else Kiln's CPU thread count ({@code kiln.cpu.threads}). */
    public static int threads() {
        String p = System.getProperty("kiln.word2vec.threads");
        if (p == null) {
            return dev.kiln.backend.cpu.CpuThreads.count();
        }
        try {
            int t = Integer.parseInt(p.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("kiln.word2vec.threads must be a whole number >= 1, got '" + p + "'");
    }

    /** The lines (sentences) of a run's dataset. */
    static List<String> lines(RunRequest req) throws IOException {
        if (req.dataset().equals(TEXT)) {
            if (req.dataDir() == null) {
                throw new IOException("--dataset text needs --data FILE, a UTF-8 text file with one sentence a line");
            }
            if (!Files.isRegularFile(req.dataDir())) {
                throw new NoSuchFileException(req.dataDir().toString(), null, "--dataset text needs a UTF-8 text file");
            }
            return Files.readAllLines(req.dataDir(), StandardCharsets.UTF_8);
        }
        if (!req.dataset().equals(KJV)) {
            throw new IllegalArgumentException("Unknown dataset '" + req.dataset() + "' for word2vec; expected one of " + List.of(KJV, TEXT));
        }
        KjvCorpus kjv = req.dataDir() == null ? KjvCorpus.load() : KjvCorpus.load(req.dataDir());
        List<String> out = new ArrayList<>();
        kjv.verses().forEach(v -> out.add(v.text()));
        return req.quick() ? out.subList(0, Math.min(QUICK_VERSES, out.size())) : out;
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        long start = System.nanoTime();
        PrintStream log = req.log();
        if (req.resume()) {
            throw new IOException("word2vec runs cannot be resumed (the Hogwild threads keep no step state); train again without --resume");
        }
        if (req.batchSize() != null) {
            throw new IOException("word2vec trains one pair at a time; --batch-size " + req.batchSize() + " does not apply");
        }
        Word2VecConfig cfg = Word2VecConfig.preset(threads(), req.seed());
        if (req.quick()) {
            cfg = cfg.withEpochs(QUICK_EPOCHS);
        }
        if (req.epochs() != null) {
            cfg = cfg.withEpochs(req.epochs());
        }
        if (req.lr() != null) {
            cfg = cfg.withAlpha(req.lr());
        }
        List<String> lines = lines(req);
        String source = req.dataset().equals(TEXT) ? req.dataDir().toString() : "the KJV" + (req.quick() ? " (first " + lines.size() + " verses)" : "");
        SkipGramCorpus corpus;
        try {
            corpus = SkipGramCorpus.build(SkipGramCorpus.sentences(lines), cfg.minCount(), source);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        Analogies analogies = Analogies.derive(List.of(corpus.wordsByRow()), w -> corpus.vocab().id(w) > 0 ? corpus.vocab().count(corpus.vocab().id(w)) : 0);
        if (log != null) {
            log.printf(Locale.ROOT, "word2vec: %s: %,d sentences, %,d word tokens, %,d words kept (min count %d), vocabulary %,d; "
                            + "%d analogy questions %s%n", source, corpus.sentences(), corpus.tokens(), corpus.trainWords(), cfg.minCount(),
                    corpus.rows(), analogies.questions().size(), analogies.categories());
            log.printf(Locale.ROOT, "word2vec: skip-gram, dim %d, window 1..%d, %d negatives, sample %s, alpha %s, %d epochs on %s%n",
                    cfg.dim(), cfg.window(), cfg.negatives(), cfg.sample(), cfg.alpha(), cfg.epochs(),
                    req.device().kind() == Device.Kind.CPU ? "the CPU, " + cfg.threads() + " threads" : req.device().toString());
        }
        Path out = req.outDir();
        if (out != null) {
            Files.createDirectories(out);
            writeCorpus(out.resolve(CORPUS_FILE), lines);
            analogies.write(out.resolve(ANALOGY_FILE));
        }
        SkipGramTrainer.Result r = SkipGramTrainer.train(corpus, cfg, req.device(), log);
        double wps = r.wordsPerSecond(corpus, cfg.epochs());
        Embeddings emb = r.embeddings();
        Map<String, Double> acc = analogies.accuracy(emb);
        if (log != null) {
            log.printf(Locale.ROOT, "word2vec: trained in %.2f s (%.2f s CPU): %,.0f corpus words/s, %,.0f effective words/s "
                    + "(after sub-sampling; %,d pairs)%n", r.seconds(), r.cpuSeconds(), wps, r.effectiveWordsPerSecond(), r.pairs());
            log.println("word2vec: 3CosAdd top-1 analogy accuracy: " + Analogies.describe(acc, analogies.categories()));
            for (String w : PROBES) {
                if (emb.row(w) >= 0) {
                    StringBuilder sb = new StringBuilder();
                    emb.nearest(w, 8).forEach(n -> sb.append(String.format(Locale.ROOT, " %s %.3f", n.word(), n.similarity())));
                    log.println("word2vec: nearest to " + w + ":" + sb);
                }
            }
        }
        History history = new History();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(EpochStats.SECONDS, r.seconds());
        values.put("words_per_second", wps);
        values.put("effective_words_per_second", r.effectiveWordsPerSecond());
        values.put("train_cpu_seconds", r.cpuSeconds());
        values.put("test_analogy_accuracy", acc.get("all"));
        history.add(new EpochStats(1, values));
        if (out != null) {
            save(out, corpus, cfg, r, history, req);
        }
        TrainResult tr = new TrainResult(history, Map.of("analogy_accuracy", acc.get("all")), r.seconds(), cfg.epochs());
        String extra = String.format(Locale.ROOT, "words_per_second=%.0f effective_words_per_second=%.0f train_seconds=%.2f "
                        + "train_cpu_seconds=%.2f questions=%d vocabulary=%d threads=%d", wps, r.effectiveWordsPerSecond(), r.seconds(),
                r.cpuSeconds(), analogies.questions().size(), corpus.rows(), req.device().kind() == Device.Kind.CPU ? cfg.threads() : 1);
        return new RunResult(NAME, req.dataset(), req.device(), "analogy_accuracy", acc.get("all"), (System.nanoTime() - start) / 1e9,
                tr, extra);
    }

    private static void writeCorpus(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(String.join(" ", SkipGramCorpus.words(l))).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** The fingerprint's first word names the model, so export and similar can refuse other checkpoints. */
    static String fingerprint(RunRequest req, Word2VecConfig cfg, SkipGramCorpus corpus) {
        return NAME + "/" + req.dataset() + (req.quick() ? " quick" : "") + " skip-gram dim " + cfg.dim() + " window " + cfg.window()
                + " negatives " + cfg.negatives() + " vocabulary " + corpus.rows();
    }

    private static void save(Path out, SkipGramCorpus corpus, Word2VecConfig cfg, SkipGramTrainer.Result r, History history,
                             RunRequest req) throws IOException {
        int rows = corpus.rows(), dim = cfg.dim();
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("input", Tensor.fromArray(r.embeddings().vectorsByRow(), rows, dim));
        sd.put("output", Tensor.fromArray(r.output(), rows, dim));
        Files.writeString(out.resolve(VOCAB_FILE), corpus.vocab().serialize(), StandardCharsets.UTF_8);
        new Checkpoint(1, r.pairs(), fingerprint(req, cfg, corpus), Map.of("model", sd), Map.of(), Map.of(), Map.of(), history)
                .save(out.resolve(Checkpoint.FILE_NAME));
    }

    /**
     * The word vectors of a run directory (or its {@code checkpoint.kiln}) that {@code kiln train word2vec --out DIR} wrote.
     *
     * @throws IOException naming the file when it is missing, damaged or another model's checkpoint
     */
    public static Embeddings load(Path fileOrRunDir) throws IOException {
        Path file = Files.isDirectory(fileOrRunDir) ? fileOrRunDir.resolve(Checkpoint.FILE_NAME) : fileOrRunDir;
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no checkpoint there (train with kiln train word2vec --out DIR first)");
        }
        Checkpoint c = Checkpoint.load(file);
        String owner = c.fingerprint().split("[ /]", 2)[0];
        if (!owner.equals(NAME)) {
            throw new IOException("Checkpoint " + file + " belongs to model '" + owner + "' ('" + c.fingerprint() + "'), not " + NAME);
        }
        Path vocabFile = file.toAbsolutePath().getParent().resolve(VOCAB_FILE);
        if (!Files.isRegularFile(vocabFile)) {
            throw new NoSuchFileException(vocabFile.toString(), null, "the vocabulary of checkpoint " + file
                    + " is missing; kiln train writes it next to the checkpoint");
        }
        WordVocab vocab;
        try {
            vocab = WordVocab.parse(Files.readString(vocabFile, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException("Damaged vocabulary " + vocabFile + ": " + e.getMessage(), e);
        }
        Tensor input = c.module("model").get("input");
        if (input == null || input.rank() != 2 || input.size(0) != vocab.size() - 1) {
            throw new IOException("Checkpoint " + file + " does not fit the " + (vocab.size() - 1) + "-word vocabulary of " + vocabFile
                    + (input == null ? " (no tensor 'input')" : " (input table " + java.util.Arrays.toString(input.shape()) + ")"));
        }
        String[] words = new String[vocab.size() - 1];
        for (int r = 0; r < words.length; r++) {
            words[r] = vocab.token(r + 1);
        }
        return new Embeddings(words, input.toFloatArray(), input.size(1));
    }
}
