package dev.kiln.models.cli;

import dev.kiln.Tensor;
import dev.kiln.models.train.Checkpoint;
import dev.kiln.models.train.History;
import dev.kiln.models.word2vec.Embeddings;
import dev.kiln.models.word2vec.Word2VecModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln train word2vec}, {@code kiln export word2vec} and {@code kiln similar}, bad input included. */
class Word2VecCliTest {

    @TempDir
    static Path dir;
    static Path run;

    record Out(int code, String out, String err) {
    }

    static Out kiln(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = KilnCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** A small text of two topics, trained once for all tests. */
    @BeforeAll
    static void train() throws IOException {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < 1500; s++) {
            String topic = r.nextBoolean() ? "sea" : "hill";
            for (int i = 0; i < 8; i++) {
                sb.append(topic).append(r.nextInt(10)).append(i < 7 ? " " : ".\n");
            }
        }
        Files.writeString(dir.resolve("topics.txt"), sb.toString());
        run = dir.resolve("run");
        Out t = kiln("train", "word2vec", "--dataset", "text", "--data", dir.resolve("topics.txt").toString(), "--device", "cpu",
                "--epochs", "2", "--out", run.toString());
        assertEquals(0, t.code, t.err);
        assertTrue(t.out.matches("(?s)RESULT model=word2vec dataset=text device=cpu metric=analogy_accuracy value=\\d+\\.\\d+ "
                + "seconds=\\d+\\.\\d+ words_per_second=\\d+ effective_words_per_second=\\d+ train_seconds=\\d+\\.\\d+ "
                + "train_cpu_seconds=\\d+\\.\\d+ questions=\\d+ vocabulary=20 threads=\\d+\\s*"), t.out);
        assertTrue(t.err.contains("word2vec: trained in"), t.err);
        for (String f : List.of("checkpoint.kiln", "vocab.txt", "corpus.txt", "analogies.txt")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        String first = Files.readAllLines(run.resolve("corpus.txt")).get(0);
        assertTrue(first.matches("(sea|hill)\\d( (sea|hill)\\d){7}"), "tokenised, no punctuation: " + first);
    }

    @Test
    void similarPrintsNeighboursOfTheSameTopic() {
        Out s = kiln("similar", "--checkpoint", run.toString(), "--word", "sea3", "--top", "4");
        assertEquals(0, s.code, s.err);
        String[] lines = s.out.strip().split("\n");
        assertEquals(4, lines.length, s.out);
        for (String l : lines) {
            assertTrue(l.matches("sea\\d 0\\.\\d{4}"), l);
        }
    }

    @Test
    void exportWritesBothFormatsThatReadBack() throws IOException {
        Embeddings e = Word2VecModel.load(run);
        Out b = kiln("export", "word2vec", "--checkpoint", run.toString(), "--format", "binary");
        assertEquals(0, b.code, b.err);
        assertEquals(run.resolve("vectors.bin").toString(), b.out.strip());
        Embeddings back = Embeddings.read(run.resolve("vectors.bin"), true);
        assertArrayEquals(e.vectorsByRow(), back.vectorsByRow());
        Out t = kiln("export", "word2vec", "--checkpoint", run.resolve("checkpoint.kiln").toString(), "--format", "text",
                "--output", dir.resolve("v.txt").toString());
        assertEquals(0, t.code, t.err);
        Embeddings text = Embeddings.read(dir.resolve("v.txt"), false);
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.word(i), text.word(i));
        }
        float[] a = e.vectorsByRow(), c = text.vectorsByRow();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], c[i], 5e-7 + Math.ulp(a[i]), "value " + i);
        }
    }

    @Test
    void aWordOutsideTheVocabularyIsAUsageErrorNamingIt() {
        Out s = kiln("similar", "--checkpoint", run.toString(), "--word", "zebra");
        assertEquals(2, s.code);
        assertTrue(s.err.contains("Bad --word: 'zebra' is not in the vocabulary"), s.err);
        Out f = kiln("export", "word2vec", "--checkpoint", run.toString(), "--format", "csv");
        assertEquals(2, f.code);
        assertTrue(f.err.contains("Bad --format 'csv'"), f.err);
    }

    @Test
    void anotherModelsCheckpointIsRefused() throws IOException {
        Path other = dir.resolve("gcn-run");
        Files.createDirectories(other);
        new Checkpoint(0, 0, "gcn/karate gcn 34-16-2", Map.of("model", Map.of("w", Tensor.fromArray(new float[] {1, 2}))), Map.of(),
                Map.of(), Map.of(), new History()).save(other.resolve("checkpoint.kiln"));
        for (String[] args : List.of(new String[] {"similar", "--checkpoint", other.toString(), "--word", "god"},
                new String[] {"export", "word2vec", "--checkpoint", other.toString()})) {
            Out o = kiln(args);
            assertEquals(1, o.code, o.err);
            assertTrue(o.err.contains("belongs to model 'gcn'") && o.err.contains("not word2vec"), o.err);
        }
        Out missing = kiln("similar", "--checkpoint", dir.resolve("nothing").toString(), "--word", "god");
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("nothing"), missing.err);
    }

    @Test
    void emptyVocabularyFailsNamingTheFileAndTheThreshold() throws IOException {
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "In the beginning God created the heaven and the earth.\n");
        Out o = kiln("train", "word2vec", "--dataset", "text", "--data", tiny.toString(), "--device", "cpu", "-q");
        assertEquals(1, o.code, o.err);
        assertTrue(o.err.contains("empty vocabulary") && o.err.contains(tiny.toString()) && o.err.contains("min count 5")
                && o.err.contains("'the', occurs 3 times"), o.err);
        Files.writeString(tiny, "");
        Out empty = kiln("train", "word2vec", "--dataset", "text", "--data", tiny.toString(), "--device", "cpu", "-q");
        assertEquals(1, empty.code, empty.err);
        assertTrue(empty.err.contains("empty vocabulary: " + tiny + " holds no words"), empty.err);
    }
}
