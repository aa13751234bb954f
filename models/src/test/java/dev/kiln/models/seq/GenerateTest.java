package dev.kiln.models.seq;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.data.text.CharVocab;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.models.lstm.CharLstm;
import dev.kiln.models.lstm.CharSampler;
import dev.kiln.models.train.Checkpoint;
import dev.kiln.models.train.EpochStats;
import dev.kiln.models.train.History;
import dev.kiln.models.transformer.CharTransformer;
import dev.kiln.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln generate}: seeded sampling is deterministic, top-k 1 is greedy argmax decoding (checked
 * against full forward passes over the whole prefix, so the LSTM's carried state and the
 * Transformer's context are checked too), and the errors. The checkpoints are untrained models
 * saved directly, which keeps the tests fast; {@link TextDatasetTest} samples from a trained one.
 */
class GenerateTest {

    static final String TEXT = "In the beginning God created the heaven and the earth.\nAnd the earth was without form, and void.\n";

    record Run(int code, String out, String err) {
    }

    static Run kiln(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = dev.kiln.models.cli.KilnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A run directory with an untrained {@code kind} model's checkpoint and vocab.txt, as kiln train leaves it. */
    static Path runDir(Path dir, CharLanguageModel kind, long seed) throws IOException {
        CharVocab vocab = CharVocab.build(TEXT, true);
        Module model = kind.build(vocab.size(), new Generator(seed));
        History h = new History();
        h.add(new EpochStats(1, Map.of("train_loss", 3.0, "test_loss", 3.0, "lr", 1e-3)));
        new Checkpoint(1, 10, kind.name() + " text test.txt quick", Map.of("model", model.stateDict()), Map.of(), Map.of(),
                Map.of("dropout", new Checkpoint.RandomState(seed, 0)), h).save(dir.resolve(Checkpoint.FILE_NAME));
        Files.writeString(dir.resolve(CharLanguageModel.VOCAB_FILE), vocab.serialize() + "\n");
        return dir;
    }

    /** Greedy decoding by full forward passes over the whole text so far; the unknown id is never chosen. */
    static String greedyReference(Module model, CharVocab vocab, String prompt, int length) {
        int[] ids = vocab.encode(prompt);
        StringBuilder out = new StringBuilder();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            model.eval();
            for (int i = 0; i < length; i++) {
                Tensor logits = model.forward(Tensor.fromIndices(ids, 1, ids.length));
                float[] last = logits.select(0, ids.length - 1).toFloatArray();
                int best = -1;
                for (int k = 0; k < last.length; k++) {
                    if (k != vocab.unknownId() && (best < 0 || last[k] > last[best])) {
                        best = k;
                    }
                }
                out.append(vocab.token(best));
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = best;
            }
        }
        return out.toString();
    }

    @Test
    void fixedSeedGivesTheSameText(@TempDir Path dir) throws IOException {
        runDir(dir, CharLstm.model(), 3);
        String[] args = {"generate", "lstm", "--checkpoint", dir.toString(), "--prompt", "And the ", "--length", "60",
                "--temperature", "1.0", "--seed", "7", "--device", "cpu"};
        Run a = kiln(args);
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().startsWith("And the "), a.out());
        assertEquals("And the ".length() + 60 + 1, a.out().length(), "prompt, 60 characters and a newline: " + a.out());
        assertFalse(a.out().contains("\uFFFD"), "the unknown id was sampled: " + a.out());
        assertTrue(a.err().contains("kiln generate: lstm from"), a.err());
        assertEquals(a.out(), kiln(args).out(), "same seed, same text");
        String[] other = args.clone();
        other[11] = "8";
        assertNotEquals(a.out(), kiln(other).out(), "another seed should draw another text from a near-uniform model");
        // The checkpoint file itself works as well as its directory.
        String[] file = args.clone();
        file[3] = dir.resolve(Checkpoint.FILE_NAME).toString();
        assertEquals(a.out(), kiln(file).out());
    }

    @Test
    void topK1IsGreedyDecodingForBothModels(@TempDir Path dir) throws IOException {
        for (CharLanguageModel kind : new CharLanguageModel[] {CharLstm.model(), CharTransformer.model()}) {
            Path run = Files.createDirectories(dir.resolve(kind.name()));
            runDir(run, kind, 5);
            CharSampler.Loaded m = CharSampler.load(kind, run, Device.cpu());
            String prompt = "the earth";
            String greedy = greedyReference(m.model(), m.vocab(), prompt, 40);
            for (long seed : new long[] {1, 2}) {
                assertEquals(greedy, CharSampler.sample(m, prompt, 40, 1.5f, 1, seed), kind.name() + " top-k 1, seed " + seed);
                assertEquals(greedy, CharSampler.sample(m, prompt, 40, 0f, 0, seed), kind.name() + " temperature 0, seed " + seed);
            }
            Run cli = kiln("generate", kind.name(), "--checkpoint", run.toString(), "--prompt", prompt, "--length", "40",
                    "--top-k", "1", "--seed", "9", "--device", "cpu", "-q");
            assertEquals(0, cli.code(), cli.err());
            assertEquals(prompt + greedy + System.lineSeparator(), cli.out());
            assertEquals("", cli.err());
        }
    }

    @Test
    void transformerSlidesItsContextPastTheTable(@TempDir Path dir) throws IOException {
        runDir(dir, CharTransformer.model(), 4);
        CharSampler.Loaded m = CharSampler.load(CharTransformer.model(), dir, Device.cpu());
        String text = CharSampler.sample(m, "And the earth", 300, 1f, 5, 3);
        assertEquals(300, text.codePointCount(0, text.length()));
    }

    @Test
    void checkpointErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nowhere");
        Run r = kiln("generate", "lstm", "--checkpoint", missing.toString(), "--prompt", "the", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertFalse(r.err().contains("\tat "), "stack trace: " + r.err());

        Path run = Files.createDirectories(dir.resolve("run"));
        runDir(run, CharLstm.model(), 1);
        Path ckpt = run.resolve(Checkpoint.FILE_NAME);
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(ckpt, bytes);
        r = kiln("generate", "lstm", "--checkpoint", run.toString(), "--prompt", "the", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(ckpt.toString()), r.err());
        Files.write(ckpt, new byte[] {1, 2, 3});
        r = kiln("generate", "lstm", "--checkpoint", ckpt.toString(), "--prompt", "the", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(ckpt.toString()), r.err());

        Path noVocab = Files.createDirectories(dir.resolve("novocab"));
        runDir(noVocab, CharLstm.model(), 1);
        Files.delete(noVocab.resolve(CharLanguageModel.VOCAB_FILE));
        r = kiln("generate", "lstm", "--checkpoint", noVocab.toString(), "--prompt", "the", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(noVocab.resolve(CharLanguageModel.VOCAB_FILE).toString()), r.err());

        Path lstm = Files.createDirectories(dir.resolve("lstm"));
        runDir(lstm, CharLstm.model(), 1);
        r = kiln("generate", "transformer", "--checkpoint", lstm.toString(), "--prompt", "the", "--device", "cpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("belongs to model 'lstm'"), r.err());
    }

    @Test
    void promptOutsideTheVocabularyNamesTheCharacter(@TempDir Path dir) throws IOException {
        runDir(dir, CharLstm.model(), 1);
        int chars = CharVocab.build(TEXT, true).characterCount();
        Run r = kiln("generate", "lstm", "--checkpoint", dir.toString(), "--prompt", "the Zebra", "--device", "cpu");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'Z' (U+005A) at position 4"), r.err());
        assertTrue(r.err().contains("vocabulary of " + chars + " characters"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void badFlagsAreUsageErrors(@TempDir Path dir) throws IOException {
        runDir(dir, CharLstm.model(), 1);
        String c = dir.toString();
        String[][] cases = {
            {"dnn", "--checkpoint", c, "--prompt", "the"},
            {"lstm", "--prompt", "the"},
            {"lstm", "--checkpoint", c},
            {"lstm", "--checkpoint", c, "--prompt", ""},
            {"lstm", "--checkpoint", c, "--prompt", "the", "--length", "-1"},
            {"lstm", "--checkpoint", c, "--prompt", "the", "--length", "many"},
            {"lstm", "--checkpoint", c, "--prompt", "the", "--temperature", "-0.5"},
            {"lstm", "--checkpoint", c, "--prompt", "the", "--top-k", "-1"},
            {"lstm", "--checkpoint", c, "--prompt", "the", "--device", "tpu"},
            {"lstm", "--checkpoint", c, "--prompt", "the", "--bogus"},
        };
        for (String[] a : cases) {
            String[] args = new String[a.length + 1];
            args[0] = "generate";
            System.arraycopy(a, 0, args, 1, a.length);
            Run r = kiln(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("Usage:"), r.err());
            assertEquals("", r.out(), String.join(" ", args));
        }
        Run help = kiln("generate", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--top-k"), help.out());
    }
}
