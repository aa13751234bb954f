package dev.kiln.models.word2vec;

import dev.kiln.data.text.WordVocab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The training text of a word2vec run: sentences of word tokens, the vocabulary of the words seen at
 * least {@code minCount} times, and the corpus as rows of that vocabulary.
 *
 * <p>Tokens are {@link WordVocab#tokenize(String)}'s with the punctuation tokens left out: lower-cased
 * runs of letters and digits, inner apostrophes kept. A sentence is one line (a verse of the KJV); a
 * window never crosses a sentence boundary. Words below {@code minCount} are dropped before windows
 * are formed, as in the word2vec tool and gensim. Row {@code r} of the embedding tables is the word
 * with {@link WordVocab} id {@code r + 1} (most frequent first; id 0, the unknown token, has no row).
 */
public final class SkipGramCorpus {

    private final WordVocab vocab;
    private final String[] words;
    private final long[] counts;
    private final int[] ids;
    private final int[] starts;
    private final long tokens;

    private SkipGramCorpus(WordVocab vocab, int[] ids, int[] starts, long tokens) {
        this.vocab = vocab;
        this.words = new String[vocab.size() - 1];
        this.counts = new long[vocab.size() - 1];
        for (int r = 0; r < words.length; r++) {
            words[r] = vocab.token(r + 1);
            counts[r] = vocab.count(r + 1);
        }
        this.ids = ids;
        this.starts = starts;
        this.tokens = tokens;
    }

    /** The word tokens of one line of text (punctuation left out). */
    public static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        for (String t : WordVocab.tokenize(line)) {
            if (Character.isLetterOrDigit(t.codePointAt(0))) {
                out.add(t);
            }
        }
        return out;
    }

    /** The word tokens of each line. */
    public static List<List<String>> sentences(List<String> lines) {
        List<List<String>> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(words(l));
        }
        return out;
    }

    /**
     * The corpus of {@code sentences} with the words seen at least {@code minCount} times.
     *
     * @param source names the text in error messages
     * @throws IllegalArgumentException when no word occurs {@code minCount} times (an empty vocabulary),
     *                                  naming the source, the threshold and the most frequent word
     */
    public static SkipGramCorpus build(List<List<String>> sentences, int minCount, String source) {
        Objects.requireNonNull(sentences, "sentences");
        if (minCount < 1) {
            throw new IllegalArgumentException("min count must be >= 1, got " + minCount);
        }
        List<String> all = new ArrayList<>();
        sentences.forEach(all::addAll);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("empty vocabulary: " + source + " holds no words");
        }
        WordVocab vocab = WordVocab.build(all, minCount);
        if (vocab.size() < 2) {
            Map.Entry<String, Integer> top = mostFrequent(all);
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "empty vocabulary: no word of %s occurs at least %d times (min count %d; %d word tokens; the most frequent, "
                            + "'%s', occurs %d times)", source, minCount, minCount, all.size(), top.getKey(), top.getValue()));
        }
        int n = 0;
        int[] ids = new int[all.size()];
        int[] starts = new int[sentences.size() + 1];
        for (int s = 0; s < sentences.size(); s++) {
            starts[s] = n;
            for (String w : sentences.get(s)) {
                int id = vocab.id(w);
                if (id > 0) {
                    ids[n++] = id - 1;
                }
            }
        }
        starts[sentences.size()] = n;
        return new SkipGramCorpus(vocab, Arrays.copyOf(ids, n), starts, all.size());
    }

    private static Map.Entry<String, Integer> mostFrequent(List<String> all) {
        java.util.HashMap<String, Integer> c = new java.util.HashMap<>();
        all.forEach(w -> c.merge(w, 1, Integer::sum));
        return c.entrySet().stream().max((a, b) -> a.getValue() != b.getValue().intValue()
                ? Integer.compare(a.getValue(), b.getValue()) : b.getKey().compareTo(a.getKey())).orElseThrow();
    }

    /** The vocabulary (id 0 is the unknown token; rows are ids − 1). */
    public WordVocab vocab() {
        return vocab;
    }

    /** Rows of the embedding tables: the words kept. */
    public int rows() {
        return words.length;
    }

    /** The word of row {@code r}. */
    public String word(int r) {
        return words[r];
    }

    /** Every row's word, by row (a copy). */
    public String[] wordsByRow() {
        return words.clone();
    }

    /** The count of row {@code r}'s word. */
    public long count(int r) {
        return counts[r];
    }

    /** Word tokens of the text, rare ones included: the unit of the words/s figures. */
    public long tokens() {
        return tokens;
    }

    /** Kept words in the corpus (each epoch reads this many). */
    public long trainWords() {
        return ids.length;
    }

    public int sentences() {
        return starts.length - 1;
    }

    /** The corpus as rows, sentences concatenated (not a copy: do not modify). */
    int[] ids() {
        return ids;
    }

    /** Sentence {@code s} is {@code ids()[starts()[s] .. starts()[s + 1])} (not a copy). */
    int[] starts() {
        return starts;
    }
}
