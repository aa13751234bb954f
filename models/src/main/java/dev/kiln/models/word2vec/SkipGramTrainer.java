package dev.kiln.models.word2vec;

import dev.kiln.spi.TensorStorage;

import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.word2vec.SgnsKernels;
import dev.kiln.word2vec.SgnsRows;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Skip-gram with negative sampling, trained as the original word2vec tool trains it
 * ({@code word2vec.c}, {@code -cbow 0 -hs 0}):
 *
 * <ul>
 *   <li>the input table starts uniform in {@code [-0.5, 0.5) / dim}, the output table at zero;</li>
 *   <li>each word is kept with probability {@code (sqrt(c / (s·N)) + 1) · s·N / c} (count {@code c},
 *       sample {@code s}, {@code N} kept words in the corpus): frequent-word sub-sampling;</li>
 *   <li>each position draws its window {@code b} from 1..window; every word within {@code b} of it is
 *       an input paired with it as the positive target, plus {@code negatives} noise words drawn from
 *       a table of the unigram distribution raised to 0.75 (a noise word equal to the positive is
 *       skipped);</li>
 *   <li>the learning rate falls linearly with the words read, from {@code alpha} to
 *       {@code alpha · 1e-4};</li>
 *   <li>on the CPU, {@code threads} threads each own a contiguous part of the corpus for all epochs and
 *       update the shared tables without locks (Hogwild), reading σ from the tool's 1000-entry table
 *       over [−6, 6]; on CUDA one host thread draws the pairs in batches and the fused kernel
 *       ({@link SgnsKernels}, a warp per pair, exact σ) applies them.</li>
 * </ul>
 *
 * <pre>{@code
 * SkipGramCorpus corpus = SkipGramCorpus.build(SkipGramCorpus.sentences(lines), 5, "my text");
 * SkipGramTrainer.Result r = SkipGramTrainer.train(corpus, Word2VecConfig.preset(4, 1), Device.cpu(), System.err);
 * Embeddings e = r.embeddings();
 * }</pre>
 */
public final class SkipGramTrainer {

    /** Pairs per kernel launch on CUDA. */
    static final int BATCH_PAIRS = 16_384;

    /**
     * A finished run.
     *
     * @param embeddings  the input vectors (the word vectors) and the output table
     * @param seconds     training wall time (tables set up, threads started and joined)
     * @param cpuSeconds  CPU time of the whole process over the same interval (every thread), or NaN where the
     *                    JVM does not report it
     * @param wordsRead   kept words read over all epochs
     * @param effective   words left after sub-sampling over all epochs (what gensim calls effective words)
     * @param pairs       (input, positive) pairs trained
     */
    public record Result(Embeddings embeddings, float[] output, double seconds, double cpuSeconds, long wordsRead, long effective,
                         long pairs) {
        /** Corpus words (rare ones included) per second of training: the figure gensim's logs report as raw words. */
        public double wordsPerSecond(SkipGramCorpus corpus, int epochs) {
            return corpus.tokens() * (double) epochs / seconds;
        }

        /** Words left after sub-sampling per second of training: gensim's "effective words/s". */
        public double effectiveWordsPerSecond() {
            return effective / seconds;
        }
    }

    private SkipGramTrainer() {
    }

    /** Trains on {@code device} (CPU: Hogwild threads; CUDA: the fused kernel); progress to {@code log} when not null. */
    public static Result train(SkipGramCorpus corpus, Word2VecConfig cfg, Device device, PrintStream log) {
        int rows = corpus.rows(), dim = cfg.dim();
        if ((long) rows * dim > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("word2vec: " + rows + " words x " + dim + " dims do not fit one array");
        }
        float[] syn0 = new float[rows * dim];
        float[] syn1 = new float[rows * dim];
        long r = cfg.seed();
        for (int i = 0; i < syn0.length; i++) {
            r = r * 25214903917L + 11;
            syn0[i] = (((r & 0xFFFF) / 65536f) - 0.5f) / dim;
        }
        Shared sh = new Shared(corpus, cfg);
        long start = System.nanoTime();
        double cpu0 = processCpuSeconds();
        long pairs;
        if (device.kind() == Device.Kind.CPU) {
            pairs = hogwild(sh, syn0, syn1, log, start);
        } else {
            pairs = onDevice(sh, syn0, syn1, device, log, start);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = processCpuSeconds() - cpu0;
        return new Result(new Embeddings(corpus.wordsByRow(), syn0, dim), syn1, seconds, cpu, sh.wordsRead.get(), sh.effective.get(),
                pairs);
    }

    /**
     * CPU seconds of this process so far (all threads), NaN where the JVM does not report it (a runtime
     * without the {@code jdk.management} module, such as the GPU kit's jlink image).
     */
    static double processCpuSeconds() {
        try {
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                long t = os.getProcessCpuTime();
                return t >= 0 ? t / 1e9 : Double.NaN;
            }
        } catch (LinkageError e) {
            // no jdk.management: fall through
        }
        return Double.NaN;
    }

    /** What every worker reads: the corpus, the noise table, the keep probabilities, the global word count. */
    static final class Shared {
        final SkipGramCorpus corpus;
        final Word2VecConfig cfg;
        final int[] ids;
        final int[] starts;
        final int[] noise;
        final NoiseSampler sampler;
        final float[] keep;
        final long totalWords;
        final AtomicLong wordsRead = new AtomicLong();
        final AtomicLong effective = new AtomicLong();

        Shared(SkipGramCorpus corpus, Word2VecConfig cfg) {
            this.corpus = corpus;
            this.cfg = cfg;
            this.ids = corpus.ids();
            this.starts = corpus.starts();
            this.totalWords = corpus.trainWords() * cfg.epochs();
            int rows = corpus.rows();
            keep = new float[rows];
            double threshold = cfg.sample() * corpus.trainWords();
            for (int w = 0; w < rows; w++) {
                double c = corpus.count(w);
                keep[w] = cfg.sample() > 0 ? (float) ((Math.sqrt(c / threshold) + 1) * threshold / c) : 2f;
            }
            noise = noiseTable(corpus, (int) Math.min(10_000_000L, Math.max(100_000L, 1000L * rows)));
            sampler = new NoiseSampler(noise, rows);
        }

        float alpha() {
            float a = cfg.alpha() * (1 - wordsRead.get() / (float) (totalWords + 1));
            return Math.max(a, cfg.alpha() * 1e-4f);
        }
    }

    /** word2vec's unigram table: row {@code w} fills a share of it proportional to {@code count(w)^0.75}. */
    static int[] noiseTable(SkipGramCorpus corpus, int size) {
        int rows = corpus.rows();
        double total = 0;
        for (int w = 0; w < rows; w++) {
            total += Math.pow(corpus.count(w), 0.75);
        }
        int[] table = new int[size];
        int w = 0;
        double d1 = Math.pow(corpus.count(0), 0.75) / total;
        for (int a = 0; a < size; a++) {
            table[a] = w;
            if (a / (double) size > d1 && w < rows - 1) {
                w++;
                d1 += Math.pow(corpus.count(w), 0.75) / total;
            }
        }
        return table;
    }

    /**
     * Reads the noise table without touching it: {@code word(a) == table[a]} for every index, from two
     * arrays that stay in the caches (the KJV's 5.3 M-entry, 21 MB table becomes 333 KB + 21 KB).
     * The table is sorted by row, so it is described by the first index of each row ({@code first},
     * with {@code first[rows] = size}); {@code coarse[k]} holds the table's row at index {@code k·64},
     * and a lookup walks forward from it to the last row that starts at or before the index (a step or
     * two among the rare words at the end of the table, none elsewhere). Profiled on the KJV, the
     * random reads of the full table were about a quarter of the training loop's time.
     */
    static final class NoiseSampler {
        static final int SHIFT = 6;
        final int size;
        private final int[] first;
        private final int[] coarse;

        NoiseSampler(int[] table, int rows) {
            size = table.length;
            first = new int[rows + 1];
            java.util.Arrays.fill(first, size);
            for (int a = size - 1; a >= 0; a--) {
                first[table[a]] = a;
            }
            for (int w = rows - 1; w >= 0; w--) {
                first[w] = Math.min(first[w], first[w + 1]); // a row without entries starts where the next one does
            }
            coarse = new int[(size + (1 << SHIFT) - 1) >>> SHIFT];
            for (int k = 0; k < coarse.length; k++) {
                coarse[k] = table[k << SHIFT];
            }
        }

        /** The table's row at index {@code a} (0 ≤ a < size). */
        int word(int a) {
            int w = coarse[a >>> SHIFT];
            while (first[w + 1] <= a) {
                w++;
            }
            return w;
        }
    }

    /**
     * Walks a share of the corpus for every epoch, as one word2vec thread does: sub-samples each
     * sentence, draws each position's window and, for every (input, positive) pair, the noise words,
     * and hands them to {@link #pair}. The random stream, the pair count and the learning rate live in
     * locals of {@link #run} and the scratch rows are allocated by the running thread, so two workers
     * never write to one cache line (their objects are allocated next to each other).
     */
    abstract static class Worker implements Runnable {
        final Shared sh;
        final int firstSentence;
        final int endSentence;
        final long seed;
        long pairs;

        Worker(Shared sh, int firstSentence, int endSentence, long seed) {
            this.sh = sh;
            this.firstSentence = firstSentence;
            this.endSentence = endSentence;
            this.seed = seed;
        }

        /** Called on the worker thread before the first pair: allocate thread-local scratch here. */
        void begin() {
        }

        /**
         * Trains {@code input} (a row of the input table) to predict {@code targets[0]} and not the
         * noise words {@code targets[1 ..]} (the array is reused for the next pair).
         */
        abstract void pair(int input, int[] targets, float alpha);

        /** Called at the end of the worker's share. */
        void finish() {
        }

        @Override
        public final void run() {
            begin();
            final int[] ids = sh.ids, starts = sh.starts;
            final NoiseSampler noise = sh.sampler;
            final float[] keep = sh.keep;
            final int window = sh.cfg.window(), k1 = sh.cfg.negatives() + 1, tableSize = noise.size;
            int longest = 0;
            for (int s = firstSentence; s < endSentence; s++) {
                longest = Math.max(longest, starts[s + 1] - starts[s]);
            }
            int[] sen = new int[longest];
            int[] targets = new int[k1];
            long random = seed, local = 0, count = 0, kept = 0;
            float alpha = sh.alpha();
            for (int epoch = 0; epoch < sh.cfg.epochs(); epoch++) {
                for (int s = firstSentence; s < endSentence; s++) {
                    int len = 0;
                    for (int i = starts[s], end = starts[s + 1]; i < end; i++) {
                        int w = ids[i];
                        random = random * 25214903917L + 11;
                        if (keep[w] < (random & 0xFFFF) / 65536f) {
                            continue;
                        }
                        sen[len++] = w;
                    }
                    kept += len;
                    local += starts[s + 1] - starts[s];
                    if (local >= 10_000) {
                        sh.wordsRead.addAndGet(local);
                        local = 0;
                        alpha = sh.alpha();
                    }
                    for (int pos = 0; pos < len; pos++) {
                        random = random * 25214903917L + 11;
                        int b = (int) Long.remainderUnsigned(random, window);
                        targets[0] = sen[pos];
                        int lo = Math.max(0, pos - window + b), hi = Math.min(len - 1, pos + window - b);
                        for (int c = lo; c <= hi; c++) {
                            if (c != pos) {
                                for (int j = 1; j < k1; j++) {
                                    random = random * 25214903917L + 11;
                                    targets[j] = noise.word((int) ((random >>> 16) % tableSize));
                                }
                                pair(sen[c], targets, alpha);
                                count++;
                            }
                        }
                    }
                }
            }
            sh.wordsRead.addAndGet(local);
            sh.effective.addAndGet(kept);
            pairs = count;
            finish();
        }
    }

    /** The CPU worker: updates the shared float arrays in place ({@link SgnsRows#pair}, σ from the table). */
    static final class CpuWorker extends Worker {
        private final float[] syn0;
        private final float[] syn1;
        private final int dim;
        private float[] neu1e;

        CpuWorker(Shared sh, int first, int end, long seed, float[] syn0, float[] syn1) {
            super(sh, first, end, seed);
            this.syn0 = syn0;
            this.syn1 = syn1;
            this.dim = sh.cfg.dim();
        }

        @Override
        void begin() {
            neu1e = new float[dim];
        }

        @Override
        void pair(int input, int[] targets, float alpha) {
            SgnsRows.pair(syn0, syn1, input * dim, targets, 0, targets.length, dim, alpha, neu1e, true);
        }
    }

    /** Splits the sentences into {@code parts} contiguous ranges of about equal word counts. */
    static int[] split(int[] starts, int parts) {
        int sentences = starts.length - 1;
        int[] bounds = new int[parts + 1];
        long total = starts[sentences];
        int s = 0;
        for (int p = 1; p < parts; p++) {
            long target = total * p / parts;
            while (s < sentences && starts[s + 1] <= target) {
                s++;
            }
            bounds[p] = s;
        }
        bounds[parts] = sentences;
        return bounds;
    }

    private static long hogwild(Shared sh, float[] syn0, float[] syn1, PrintStream log, long start) {
        int threads = Math.max(1, Math.min(sh.cfg.threads(), sh.corpus.sentences()));
        int[] bounds = split(sh.starts, threads);
        List<CpuWorker> workers = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            CpuWorker w = new CpuWorker(sh, bounds[t], bounds[t + 1], sh.cfg.seed() + t, syn0, syn1);
            Thread th = new Thread(w, "kiln-word2vec-" + t);
            th.setDaemon(true);
            th.setUncaughtExceptionHandler((x, e) -> failure.compareAndSet(null, e));
            workers.add(w);
            ts.add(th);
        }
        ts.forEach(Thread::start);
        monitor(ts, sh, log, start, "cpu, " + threads + " threads");
        if (failure.get() != null) {
            throw new IllegalStateException("word2vec worker failed: " + failure.get(), failure.get());
        }
        return workers.stream().mapToLong(w -> w.pairs).sum();
    }

    /** Waits for the workers, printing progress (percent, alpha, words/s) about every two seconds. */
    private static void monitor(List<Thread> ts, Shared sh, PrintStream log, long start, String where) {
        long lastPrint = System.nanoTime();
        for (Thread t : ts) {
            while (t.isAlive()) {
                try {
                    t.join(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while training word2vec", e);
                }
                long now = System.nanoTime();
                if (log != null && now - lastPrint > 2_000_000_000L) {
                    lastPrint = now;
                    long read = sh.wordsRead.get();
                    log.printf(Locale.ROOT, "word2vec: %5.1f%%  alpha %.6f  %,.0f words/s (%s)%n", 100.0 * read / sh.totalWords,
                            sh.alpha(), read / ((now - start) / 1e9), where);
                    log.flush();
                }
            }
        }
    }

    /** The CUDA path: one host thread draws pairs; each batch is one launch of the fused kernel. */
    private static long onDevice(Shared sh, float[] syn0, float[] syn1, Device device, PrintStream log, long start) {
        int dim = sh.cfg.dim();
        if (dim > SgnsKernels.MAX_DIM) {
            throw new IllegalArgumentException("word2vec on CUDA takes at most " + SgnsKernels.MAX_DIM + " dims, got " + dim);
        }
        int rows = sh.corpus.rows();
        Tensor in = Tensor.fromArray(syn0, rows, dim).to(device);
        Tensor out = Tensor.fromArray(syn1, rows, dim).to(device);
        SgnsKernels k = TensorStorage.backend(in).kernels(SgnsKernels.class);
        int k1 = sh.cfg.negatives() + 1;
        BatchWorker w = new BatchWorker(sh, sh.cfg.seed(), k1, (inputs, targets, count, alpha) -> {
            Tensor i = Tensor.fromIndices(inputs, inputs.length).to(device);
            Tensor t = Tensor.fromIndices(targets, targets.length).to(device);
            k.update(TensorStorage.buffer(in), TensorStorage.buffer(out), TensorStorage.buffer(i), TensorStorage.buffer(t), count, k1, dim, alpha);
        });
        Thread th = new Thread(w, "kiln-word2vec-cuda");
        th.setDaemon(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        th.setUncaughtExceptionHandler((x, e) -> failure.compareAndSet(null, e));
        th.start();
        monitor(List.of(th), sh, log, start, "cuda, fused kernel, " + BATCH_PAIRS + " pairs a launch");
        if (failure.get() != null) {
            throw new IllegalStateException("word2vec on " + device + " failed: " + failure.get(), failure.get());
        }
        System.arraycopy(in.toFloatArray(), 0, syn0, 0, syn0.length);
        System.arraycopy(out.toFloatArray(), 0, syn1, 0, syn1.length);
        return w.pairs;
    }

    /** Receives a full batch of pairs. */
    interface BatchSink {
        void accept(int[] inputs, int[] targets, int count, float alpha);
    }

    /** Collects pairs with their noise words into batches for the kernel. */
    static final class BatchWorker extends Worker {
        private final int k1;
        private final BatchSink sink;
        private final int[] inputs = new int[BATCH_PAIRS];
        private final int[] targets;
        private int count;
        private float alpha;

        BatchWorker(Shared sh, long seed, int k1, BatchSink sink) {
            super(sh, 0, sh.corpus.sentences(), seed);
            this.k1 = k1;
            this.sink = sink;
            this.targets = new int[BATCH_PAIRS * k1];
        }

        @Override
        void pair(int input, int[] drawn, float alpha) {
            this.alpha = alpha;
            inputs[count] = input;
            System.arraycopy(drawn, 0, targets, count * k1, k1);
            if (++count == BATCH_PAIRS) {
                flush();
            }
        }

        private void flush() {
            if (count > 0) {
                sink.accept(count == BATCH_PAIRS ? inputs : java.util.Arrays.copyOf(inputs, count),
                        count == BATCH_PAIRS ? targets : java.util.Arrays.copyOf(targets, count * k1), count, alpha);
                count = 0;
            }
        }

        @Override
        void finish() {
            flush();
        }
    }
}
