package dev.kiln.models.word2vec;

import dev.kiln.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Word2Vec's pieces: training separates two generated topics, the empty-vocabulary error, the
 * analogy rule on a small vocabulary, 3CosAdd on vectors built to answer, and the word2vec file
 * formats read back.
 */
class Word2VecTest {

    /** Sentences that each use the words of one of two disjoint topics (plus shared filler words). */
    static List<List<String>> twoTopics(int sentences, long seed) {
        Random r = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        for (int s = 0; s < sentences; s++) {
            String topic = r.nextBoolean() ? "a" : "b";
            List<String> sen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sen.add(r.nextInt(4) == 0 ? "filler" + r.nextInt(3) : topic + r.nextInt(12));
            }
            out.add(sen);
        }
        return out;
    }

    @Test
    void hogwildTrainingSeparatesTwoTopics() {
        SkipGramCorpus corpus = SkipGramCorpus.build(twoTopics(3000, 7), 5, "two topics");
        assertEquals(27, corpus.rows());
        // 27 words, each frequent: sub-sampling at 1e-3 would keep about 4 % of them.
        Word2VecConfig cfg = Word2VecConfig.preset(2, 3).withDim(20).withEpochs(3).withSample(0);
        SkipGramTrainer.Result r = SkipGramTrainer.train(corpus, cfg, Device.cpu(), null);
        assertEquals(corpus.trainWords() * 3, r.wordsRead());
        // Windows drawn from 1..5 in sentences of 10: 4.6 pairs a word on average.
        assertEquals(4.6, r.pairs() / (double) r.wordsRead(), 0.05, "pairs per word");
        Embeddings e = r.embeddings();
        int same = 0, total = 0;
        for (int i = 0; i < 12; i++) {
            for (Embeddings.Neighbour n : e.nearest("a" + i, 5)) {
                same += n.word().startsWith("a") ? 1 : 0;
                total++;
            }
        }
        assertTrue(same >= total * 0.9, same + " of " + total + " neighbours of topic a words are topic a words");
    }

    @Test
    void untrainedVectorsDoNotSeparateTheTopics() {
        SkipGramCorpus corpus = SkipGramCorpus.build(twoTopics(3000, 7), 5, "two topics");
        // Zero epochs are not allowed; a learning rate this small leaves the random start almost as it was.
        Word2VecConfig cfg = Word2VecConfig.preset(1, 3).withDim(20).withEpochs(1).withAlpha(1e-9f).withSample(0);
        Embeddings e = SkipGramTrainer.train(corpus, cfg, Device.cpu(), null).embeddings();
        int same = 0;
        for (int i = 0; i < 12; i++) {
            for (Embeddings.Neighbour n : e.nearest("a" + i, 5)) {
                same += n.word().startsWith("a") ? 1 : 0;
            }
        }
        assertTrue(same < 60 * 0.75, "random vectors should not look trained: " + same + " of 60");
    }

    @Test
    void emptyVocabularyNamesTheThresholdAndTheMostFrequentWord() {
        List<List<String>> few = List.of(List.of("in", "the", "beginning"), List.of("the", "end"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SkipGramCorpus.build(few, 5, "tiny.txt"));
        assertTrue(e.getMessage().contains("empty vocabulary") && e.getMessage().contains("tiny.txt")
                && e.getMessage().contains("at least 5 times") && e.getMessage().contains("'the', occurs 2 times"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> SkipGramCorpus.build(List.of(List.of(), List.of()), 5, "blank.txt"));
        assertTrue(none.getMessage().contains("blank.txt holds no words"), none.getMessage());
    }

    @Test
    void wordsDropPunctuation() {
        assertEquals(List.of("and", "god", "said", "let", "there", "be", "light", "the", "lord's"),
                SkipGramCorpus.words("And God said, Let there be light: the LORD'S."));
    }

    @Test
    void analogyRuleOnASmallVocabulary() {
        Map<String, Long> c = new HashMap<>();
        for (String w : List.of("king", "kings", "queen", "queens", "man", "men", "woman", "women", "son", "sons", "daughter",
                "daughters", "city", "cities", "loveth", "lovest", "love", "loved", "knoweth", "knowest", "know", "come", "cometh",
                "hath", "hast", "walk", "walked", "walketh", "walkest", "he", "she")) {
            c.put(w, 50L);
        }
        Analogies a = Analogies.derive(new ArrayList<>(c.keySet()), w -> c.getOrDefault(w, 0L));
        Map<String, Integer> cats = a.categories();
        // plural: king, queen, son, daughter, city (walk is a verb: walked); 5 pairs -> 20 questions
        assertEquals(20, cats.get("plural"));
        // eth-est: loveth/lovest, knoweth/knowest, walketh/walkest, hath/hast -> 12
        assertEquals(12, cats.get("eth-est"));
        // base-eth: love/loveth, know/knoweth, come/cometh, walk/walketh -> 12
        assertEquals(12, cats.get("base-eth"));
        // past-ed: love/loved, walk/walked -> 2
        assertEquals(2, cats.get("past-ed"));
        // gender: king/queen, kings/queens, man/woman, men/women, son/daughter, sons/daughters, he/she -> 42
        assertEquals(42, cats.get("gender"));
        assertTrue(a.questions().contains(new Analogies.Question("gender", "king", "queen", "man", "woman")));
    }

    @Test
    void threeCosAddAnswersVectorsBuiltForIt(@TempDir Path dir) throws IOException {
        // b - a + c lands exactly on d for the first category; the second category's answers are planted off.
        String[] words = {"a1", "b1", "a2", "b2", "x", "y", "z"};
        float[] v = {
            1, 0, 0, 0,
            1, 1, 0, 0,
            0, 0, 1, 0,
            0, 1, 1, 0,
            0, 0, 0, 1,
            0.5f, 0.5f, 0.5f, 0.5f,
            -1, 0, 0, 0};
        Embeddings e = new Embeddings(words, v, 4);
        Analogies a = new Analogies(List.of(new Analogies.Question("good", "a1", "b1", "a2", "b2"),
                new Analogies.Question("bad", "a1", "b1", "a2", "x"), new Analogies.Question("bad", "a1", "b1", "a2", "nothere")));
        Map<String, Double> acc = a.accuracy(e);
        assertEquals(1.0, acc.get("good"));
        assertEquals(0.0, acc.get("bad"));
        assertEquals(1 / 3.0, acc.get("all"), 1e-12);
        a.write(dir.resolve("q.txt"));
        assertEquals(": good\na1 b1 a2 b2\n: bad\na1 b1 a2 x\na1 b1 a2 nothere\n", Files.readString(dir.resolve("q.txt")));
    }

    @Test
    void word2vecFormatsReadBack(@TempDir Path dir) throws IOException {
        Random r = new Random(5);
        String[] words = {"in", "the", "beginning", "god's", "créa"};
        int dim = 7;
        float[] v = new float[words.length * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 10 : 0.01));
        }
        Embeddings e = new Embeddings(words, v, dim);
        e.writeBinary(dir.resolve("v.bin"));
        e.writeText(dir.resolve("v.txt"));
        Embeddings b = Embeddings.read(dir.resolve("v.bin"), true);
        Embeddings t = Embeddings.read(dir.resolve("v.txt"), false);
        for (Embeddings x : List.of(b, t)) {
            assertEquals(words.length, x.size());
            assertEquals(dim, x.dim());
            for (int i = 0; i < words.length; i++) {
                assertEquals(words[i], x.word(i));
            }
        }
        assertArrayEquals(v, b.vectorsByRow());
        float[] tv = t.vectorsByRow();
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], tv[i], 5e-7 + Math.ulp(v[i]), "text value " + i);
        }
        assertTrue(Files.readString(dir.resolve("v.txt")).startsWith("5 7\nin "));
    }

    @Test
    void nearestNamesAMissingWord() {
        Embeddings e = new Embeddings(new String[] {"a", "b", "c"}, new float[] {1, 0, 0.9f, 0.1f, 0, 1}, 2);
        assertEquals("b", e.nearest("a", 1).get(0).word());
        assertEquals(List.of("b", "c"), e.nearest("a", 5).stream().map(Embeddings.Neighbour::word).toList());
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.nearest("zebra", 3));
        assertTrue(x.getMessage().contains("'zebra' is not in the vocabulary"), x.getMessage());
    }

    @Test
    void noiseTableFollowsCountsToThePower075() {
        List<List<String>> s = new ArrayList<>();
        List<String> sen = new ArrayList<>();
        for (int i = 0; i < 1600; i++) {
            sen.add("common");
        }
        for (int i = 0; i < 100; i++) {
            sen.add("rare");
        }
        s.add(sen);
        SkipGramCorpus corpus = SkipGramCorpus.build(s, 5, "counts");
        int[] table = SkipGramTrainer.noiseTable(corpus, 100_000);
        long common = java.util.Arrays.stream(table).filter(x -> x == 0).count();
        // 1600^0.75 : 100^0.75 = 8 : 1
        assertEquals(8.0 / 9, common / 100_000.0, 1e-3);
    }

    @Test
    void noiseSamplerReadsExactlyTheTable() {
        // Power-law counts (rows from 40,000 occurrences down to 5), tables so small that rare rows get
        // no entry at all (so first[] has runs of equal starts), and sizes not a multiple of 64.
        List<List<String>> s = new ArrayList<>();
        List<String> sen = new ArrayList<>();
        for (int w = 0; w < 300; w++) {
            int count = Math.max(5, 40_000 / ((w + 1) * (w + 1)));
            for (int i = 0; i < count; i++) {
                sen.add("w" + w);
            }
        }
        s.add(sen);
        SkipGramCorpus corpus = SkipGramCorpus.build(s, 5, "power law");
        for (int size : new int[] {1, 63, 64, 65, 1000, 4099, 300_000}) {
            int[] table = SkipGramTrainer.noiseTable(corpus, size);
            SkipGramTrainer.NoiseSampler sampler = new SkipGramTrainer.NoiseSampler(table, corpus.rows());
            assertEquals(size, sampler.size);
            for (int a = 0; a < size; a++) {
                if (sampler.word(a) != table[a]) {
                    assertEquals(table[a], sampler.word(a), "table of " + size + " at index " + a);
                }
            }
        }
    }

    @Test
    void splitGivesContiguousRangesOfAboutEqualWords() {
        int[] starts = {0, 10, 20, 30, 40, 100};
        int[] b = SkipGramTrainer.split(starts, 2);
        assertArrayEquals(new int[] {0, 4, 5}, b);
    }
}
