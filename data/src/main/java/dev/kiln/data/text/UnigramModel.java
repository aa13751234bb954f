package dev.kiln.data.text;

import java.util.Objects;

/**
 * The baseline a language model must beat: every token is drawn independently from the
 * training-set token frequencies, with add-one (Laplace) smoothing so that no token — not even
 * one never seen in training — gets probability zero:
 * {@code p(t) = (count(t) + 1) / (N + V)} for {@code N} training tokens and a vocabulary of {@code V}.
 *
 * <pre>{@code
 * TextSplit s = KjvCorpus.load().split();
 * double bpc = UnigramModel.bitsPerChar(s.train(), s.heldOut());   // 4.314 bits per character (Hebrews..Revelation)
 * }</pre>
 */
public final class UnigramModel {

    private final long[] counts;
    private final long total;
    private final double[] log2p;

    private UnigramModel(long[] counts) {
        this.counts = counts;
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        this.total = n;
        this.log2p = new double[counts.length];
        double denom = n + counts.length;
        for (int i = 0; i < counts.length; i++) {
            log2p[i] = Math.log((counts[i] + 1) / denom) / Math.log(2);
        }
    }

    /**
     * Fits the smoothed unigram distribution over ids {@code 0 .. vocabSize-1} to {@code tokens}.
     *
     * @throws IllegalArgumentException if {@code vocabSize < 1} or a token is outside the vocabulary
     */
    public static UnigramModel fit(int[] tokens, int vocabSize) {
        Objects.requireNonNull(tokens, "tokens");
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabSize must be >= 1, got " + vocabSize);
        }
        long[] counts = new long[vocabSize];
        for (int i = 0; i < tokens.length; i++) {
            int t = tokens[i];
            if (t < 0 || t >= vocabSize) {
                throw Vocabulary.badId(t, vocabSize, i);
            }
            counts[t]++;
        }
        return new UnigramModel(counts);
    }

    /**
     * Bits per character of {@code heldOut} under the smoothed unigram model of {@code train}'s
     * characters (vocabulary: the characters of {@code train} plus one unknown id, which every
     * held-out character absent from {@code train} shares).
     */
    public static double bitsPerChar(String train, String heldOut) {
        CharVocab vocab = CharVocab.build(train, true);
        return fit(vocab.encode(train), vocab.size()).bitsPerToken(vocab.encode(heldOut));
    }

    /** Vocabulary size {@code V}. */
    public int vocabSize() {
        return counts.length;
    }

    /** Number of training tokens {@code N}. */
    public long trainingTokens() {
        return total;
    }

    /** The smoothed probability of {@code id}. */
    public double probability(int id) {
        check(id, -1);
        return Math.pow(2, log2p[id]);
    }

    /** Natural-log probabilities by id (a copy), e.g. to initialise an output layer's bias. */
    public double[] logProbabilities() {
        double[] out = new double[log2p.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = log2p[i] * Math.log(2);
        }
        return out;
    }

    /**
     * The average number of bits per token of {@code tokens}: {@code -mean(log2 p(t))} (for a
     * character vocabulary, bits per character).
     *
     * @throws IllegalArgumentException if {@code tokens} is empty or holds an id outside the vocabulary
     */
    public double bitsPerToken(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("cannot score an empty token sequence");
        }
        double sum = 0;
        for (int i = 0; i < tokens.length; i++) {
            check(tokens[i], i);
            sum -= log2p[tokens[i]];
        }
        return sum / tokens.length;
    }

    private void check(int id, int position) {
        if (id < 0 || id >= counts.length) {
            throw Vocabulary.badId(id, counts.length, position);
        }
    }

    @Override
    public String toString() {
        return "UnigramModel[vocabSize=" + counts.length + ", trainingTokens=" + total + ", add-one smoothing]";
    }
}
