package dev.kiln.models.word2vec;

/**
 * Skip-gram with negative sampling, as the original word2vec tool runs it
 * ({@code -cbow 0 -hs 0}).
 *
 * @param dim       vector size ({@code -size})
 * @param window    the largest window ({@code -window}); each position draws its window from 1..window
 * @param negatives noise words per pair ({@code -negative})
 * @param minCount  words seen fewer times are dropped ({@code -min-count})
 * @param sample    frequent-word sub-sampling threshold ({@code -sample}; 0 keeps every word)
 * @param alpha     starting learning rate, decayed linearly to {@code alpha * 1e-4} ({@code -alpha})
 * @param epochs    passes over the corpus ({@code -iter})
 * @param threads   Hogwild threads on the CPU ({@code -threads})
 * @param seed      seeds the initial vectors and every thread's random stream
 */
public record Word2VecConfig(int dim, int window, int negatives, int minCount, double sample, float alpha, int epochs,
                             int threads, long seed) {

    public Word2VecConfig {
        check("dim", dim, 1, 4096);
        check("window", window, 1, 1000);
        check("negatives", negatives, 1, 100);
        check("minCount", minCount, 1, Integer.MAX_VALUE);
        check("epochs", epochs, 1, 100_000);
        check("threads", threads, 1, 4096);
        if (!(sample >= 0 && sample < 1)) {
            throw new IllegalArgumentException("sample must be in [0, 1), got " + sample);
        }
        if (!(alpha > 0 && Float.isFinite(alpha))) {
            throw new IllegalArgumentException("alpha must be a positive number, got " + alpha);
        }
    }

    private static void check(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", got " + v);
        }
    }

    /** The tool's defaults for skip-gram: 100 dims, window 5, 5 negatives, min count 5, sample 1e-3, alpha 0.025, 5 epochs. */
    public static Word2VecConfig preset(int threads, long seed) {
        return new Word2VecConfig(100, 5, 5, 5, 1e-3, 0.025f, 5, threads, seed);
    }

    public Word2VecConfig withEpochs(int n) {
        return new Word2VecConfig(dim, window, negatives, minCount, sample, alpha, n, threads, seed);
    }

    public Word2VecConfig withAlpha(float a) {
        return new Word2VecConfig(dim, window, negatives, minCount, sample, a, epochs, threads, seed);
    }

    public Word2VecConfig withDim(int d) {
        return new Word2VecConfig(d, window, negatives, minCount, sample, alpha, epochs, threads, seed);
    }

    public Word2VecConfig withMinCount(int m) {
        return new Word2VecConfig(dim, window, negatives, m, sample, alpha, epochs, threads, seed);
    }

    public Word2VecConfig withSample(double s) {
        return new Word2VecConfig(dim, window, negatives, minCount, s, alpha, epochs, threads, seed);
    }

    public Word2VecConfig withThreads(int t) {
        return new Word2VecConfig(dim, window, negatives, minCount, sample, alpha, epochs, t, seed);
    }
}
