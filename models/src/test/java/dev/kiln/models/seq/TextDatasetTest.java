package dev.kiln.models.seq;

import dev.kiln.Device;
import dev.kiln.data.text.CharVocab;
import dev.kiln.data.text.TextFile;
import dev.kiln.data.text.TextSplit;
import dev.kiln.data.text.UnigramModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.models.train.Checkpoint;
import dev.kiln.models.train.EpochStats;
import dev.kiln.models.train.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.models.seq.GenerateTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln train lstm|transformer --dataset text --data FILE} on a small generated file, then {@code kiln generate} from it. */
class TextDatasetTest {

    /** About 40,000 characters of lines from a small grammar: learnable well past a unigram model. */
    static String corpus() {
        String[] who = {"the cat", "a dog", "my friend", "the old man", "her sister"};
        String[] did = {"saw", "found", "lost", "wanted", "carried"};
        String[] what = {"a red ball", "the long stick", "some bread", "an apple", "the blue box"};
        StringBuilder sb = new StringBuilder();
        long s = 12345;
        while (sb.length() < 40_000) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            int r = (int) (s >>> 33);
            sb.append(who[r % 5]).append(' ').append(did[(r / 5) % 5]).append(' ').append(what[(r / 25) % 5]).append(".\n");
        }
        return sb.toString();
    }

    @Test
    void lstmTrainsOnATextFileAndGeneratesFromIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("story.txt");
        Files.writeString(file, corpus());
        Path out = dir.resolve("run");
        GenerateTest.Run r = kiln("train", "lstm", "--dataset", "text", "--data", file.toString(), "--quick", "--device", "cpu",
                "--seed", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("RESULT model=lstm dataset=text device=cpu metric=heldout_bpc value=(\\d+\\.\\d+) seconds=")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        double bpc = Double.parseDouble(m.group(1));

        TextSplit split = TextFile.split(corpus(), CharLanguageModel.TEXT_HELD_OUT);
        assertTrue(split.heldOut().length() > 3_000 && split.heldOut().length() < 5_000, split.toString());
        assertTrue(split.train().endsWith("\n"), "cut at a line break");
        CharVocab vocab = CharVocab.build(split.train(), true);
        double unigram = UnigramModel.fit(vocab.encode(split.train()), vocab.size()).bitsPerToken(vocab.encode(split.heldOut()));
        assertTrue(bpc < unigram - 0.5, "held-out bpc " + bpc + " vs the unigram model's " + unigram);
        assertTrue(r.err().contains("held-out chars (the last " + split.heldOut().length() + " characters"), r.err());

        // Per-token accuracy: a fraction, and on this grammar well above chance.
        History h = Checkpoint.load(out.resolve(Checkpoint.FILE_NAME)).history();
        for (EpochStats s : h.epochs()) {
            assertTrue(s.train("accuracy") > 0.3 && s.train("accuracy") <= 1, "train accuracy " + s.train("accuracy"));
            assertTrue(s.test("accuracy") > 0.3 && s.test("accuracy") <= 1, "held-out accuracy " + s.test("accuracy"));
        }
        assertEquals(vocab.serialize(), Files.readString(out.resolve(CharLanguageModel.VOCAB_FILE)).strip());

        GenerateTest.Run g = kiln("generate", "lstm", "--checkpoint", out.toString(), "--prompt", "the cat ", "--length", "80",
                "--top-k", "1", "--device", "cpu", "-q");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().startsWith("the cat "), g.out());
        System.err.println("greedy sample: " + g.out());
    }

    @Test
    void badTextDataErrors(@TempDir Path dir) throws IOException {
        GenerateTest.Run r = kiln("train", "transformer", "--dataset", "text", "--device", "cpu");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--data FILE"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());

        Path missing = dir.resolve("missing.txt");
        r = kiln("train", "transformer", "--dataset", "text", "--data", missing.toString(), "--device", "cpu",
                "--out", dir.resolve("o").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        r = kiln("train", "lstm", "--dataset", "text", "--data", empty.toString(), "--device", "cpu", "--out", dir.resolve("o").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("empty"), r.err());

        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "a few words\nand a line\nmore of them\n");
        r = kiln("train", "lstm", "--dataset", "text", "--data", tiny.toString(), "--device", "cpu", "--quick",
                "--out", dir.resolve("o").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(tiny + ": too short for windows of 64 characters"), r.err());
    }

    @Test
    void textIsNotADemoDataset() {
        RunRequest base = RunRequest.of("-", Device.cpu(), 1);
        for (CharLanguageModel m : new CharLanguageModel[] {dev.kiln.models.lstm.CharLstm.model(),
                dev.kiln.models.transformer.CharTransformer.model()}) {
            assertTrue(m.datasets().contains(CharLanguageModel.TEXT));
            assertFalse(m.demoDatasets(base).stream().anyMatch(d -> d.name().equals(CharLanguageModel.TEXT)));
        }
    }
}
