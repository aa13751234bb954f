package dev.kiln.models.seq;

import dev.kiln.data.text.CharVocab;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.models.lstm.CharLstm;
import dev.kiln.models.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vocabulary belongs to its checkpoint: it is stored in it and copied beside it after the
 * save, a refused resume leaves the earlier run's files as they were, and {@code generate}
 * refuses a vocabulary that is not the checkpoint's. {@code generate} streams its output.
 */
class RunFilesTest {

    /** Text with 26 distinct letters plus space and newline; {@code other} swaps one letter for another of the same count. */
    private static String text(char swapFrom, char swapTo) {
        StringBuilder sb = new StringBuilder();
        String words = "the quick brown fox jumps over a lazy dog and then sleeps while the cat watches";
        for (int i = 0; i < 120; i++) {
            sb.append(words, 0, 20 + i % 60).append('\n');
        }
        return sb.toString().replace(swapFrom, swapTo);
    }

    @Test
    void aRefusedResumeLeavesTheRunsFilesAndGenerateRefusesAForeignVocabulary(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), text('z', 'z'));
        Path b = Files.writeString(dir.resolve("b.txt"), text('z', 'Q'));
        Path out = dir.resolve("run");
        GenerateTest.Run r = GenerateTest.kiln("train", "lstm", "--dataset", "text", "--data", a.toString(), "--quick", "--epochs", "1",
                "--device", "cpu", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        byte[] vocab = Files.readAllBytes(out.resolve(CharLanguageModel.VOCAB_FILE));
        byte[] checkpoint = Files.readAllBytes(out.resolve(Checkpoint.FILE_NAME));
        assertEquals(new String(vocab, StandardCharsets.UTF_8),
                Checkpoint.load(out.resolve(Checkpoint.FILE_NAME)).files().get(CharLanguageModel.VOCAB_FILE), "stored in the checkpoint");

        GenerateTest.Run resume = GenerateTest.kiln("train", "lstm", "--dataset", "text", "--data", b.toString(), "--quick",
                "--epochs", "1", "--device", "cpu", "-q", "--out", out.toString(), "--resume");
        assertEquals(1, resume.code(), resume.err());
        assertTrue(resume.err().contains("Cannot resume"), resume.err());
        assertArrayEquals(vocab, Files.readAllBytes(out.resolve(CharLanguageModel.VOCAB_FILE)), "vocab.txt untouched");
        assertArrayEquals(checkpoint, Files.readAllBytes(out.resolve(Checkpoint.FILE_NAME)), "checkpoint untouched");

        // Another text's vocabulary of the same size beside the checkpoint (as a refused resume used to leave it).
        CharVocab foreign = CharVocab.build(text('z', 'Q'), true);
        assertEquals(CharVocab.parse(new String(vocab, StandardCharsets.UTF_8)).size(), foreign.size());
        Files.writeString(out.resolve(CharLanguageModel.VOCAB_FILE), foreign.serialize() + "\n");
        GenerateTest.Run g = GenerateTest.kiln("generate", "lstm", "--checkpoint", out.toString(), "--prompt", "the ", "--length", "20",
                "--device", "cpu", "-q");
        assertEquals(1, g.code(), g.out() + g.err());
        assertTrue(g.err().contains(out.resolve(CharLanguageModel.VOCAB_FILE) + " does not match the vocabulary stored in checkpoint"),
                g.err());
        assertEquals("", g.out(), "no nonsense on stdout");

        Files.delete(out.resolve(CharLanguageModel.VOCAB_FILE));
        GenerateTest.Run own = GenerateTest.kiln("generate", "lstm", "--checkpoint", out.toString(), "--prompt", "the ", "--length",
                "20", "--device", "cpu", "-q");
        assertEquals(0, own.code(), own.err());
        assertEquals(4 + 20 + 1, own.out().length(), "the checkpoint's own vocabulary is enough: " + own.out());
    }

    /** Fails with an error once {@code limit} bytes have been written, as a closed pipe does. */
    private static final class ClosingAfter extends OutputStream {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final int limit;

        ClosingAfter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (got.size() >= limit) {
                throw new IOException("Broken pipe");
            }
            got.write(b);
        }
    }

    @Test
    void aHugeLengthStreamsAndStopsWhenTheOutputCloses(@TempDir Path dir) throws IOException {
        Path run = GenerateTest.runDir(dir, CharLstm.model(), 3);
        ClosingAfter stdout = new ClosingAfter(20_000);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = dev.kiln.models.cli.KilnCli.run(new String[] {"generate", "lstm", "--checkpoint", run.toString(), "--prompt", "In the",
                "--length", "2000000000", "--device", "cpu", "-q"}, new PrintStream(stdout, false, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertEquals(20_000, stdout.got.size(), "what was drawn reached stdout before the end");
        assertTrue(stdout.got.toString(StandardCharsets.UTF_8).startsWith("In the"));
        assertTrue(seconds < 60, "stopped soon after the output closed: " + seconds + " s");
    }
}
