package dev.kiln.data;

import dev.kiln.Device;
import dev.kiln.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts a {@link Dataset} into {@link Batch}es of tensors, like PyTorch's {@code DataLoader}.
 *
 * <p>Each call of {@link #iterator()} is one epoch. With shuffling on, epoch {@code e} visits the
 * examples in a permutation that depends only on the seed and {@code e} (see {@link #order(int)}),
 * so a run is reproducible and a different epoch sees a different order; epochs count up from 0
 * with each {@code iterator()} call, or pick one explicitly with {@link #epoch(int)} (e.g. to
 * resume a run). Without shuffling every epoch is {@code 0, 1, …, n-1}.
 *
 * <p>The last batch holds the remaining {@code n % batchSize} examples, or is skipped with
 * {@code dropLast(true)}.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(FashionMnist.load(FashionMnist.Split.TRAIN))
 *         .batchSize(128).shuffle(42).dropLast(true).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : loader) {          // b.x(): {128, 1, 28, 28} FLOAT32, b.y(): {128} INT32
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Device device;
    private final AtomicInteger nextEpoch = new AtomicInteger();

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.device = b.device;
    }

    /**
     * A loader with batch size 1, no shuffling, keeping the last batch, on the CPU; configure and build.
     *
     * @param dataset the examples to cut into batches, not null
     * @return a new builder with the defaults above
     * @throws NullPointerException if {@code dataset} is null
     */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /**
     * Shorthand for {@code builder(dataset).batchSize(batchSize).shuffle(seed).build()}.
     *
     * @param dataset   the examples to cut into batches, not null
     * @param batchSize examples per batch, &ge; 1
     * @param seed      the seed the per-epoch permutations derive from
     * @return a shuffling loader that keeps the last batch and places batches on the CPU
     * @throws IllegalArgumentException if {@code batchSize} is below 1
     * @throws NullPointerException if {@code dataset} is null
     */
    public static DataLoader shuffled(Dataset dataset, int batchSize, long seed) {
        return builder(dataset).batchSize(batchSize).shuffle(seed).build();
    }

    /**
     * The dataset batches are cut from.
     *
     * @return the dataset given to the builder
     */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * Examples per batch (the last may hold fewer unless it is dropped).
     *
     * @return the batch size, &ge; 1
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Whether each epoch visits the examples in a seeded permutation.
     *
     * @return true when shuffling, false when every epoch is in dataset order
     */
    public boolean shuffles() {
        return shuffle;
    }

    /**
     * Whether a last, smaller batch is skipped.
     *
     * @return true when the last {@code n % batchSize} examples of each epoch are left out
     */
    public boolean dropsLast() {
        return dropLast;
    }

    /**
     * Batches per epoch: {@code n / batchSize}, rounded up unless the last partial batch is dropped.
     *
     * @return the number of batches each epoch yields
     */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The epoch the next {@link #iterator()} call will produce.
     *
     * @return the epoch number, &ge; 0 (0 for a new loader)
     */
    public int nextEpoch() {
        return nextEpoch.get();
    }

    /**
     * Makes the next {@link #iterator()} call produce epoch {@code epoch} (e.g. when resuming).
     *
     * @param epoch the epoch number, &ge; 0
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public void setNextEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        nextEpoch.set(epoch);
    }

    /**
     * The order in which epoch {@code epoch} visits the examples (all of them; with
     * {@code dropLast} the last {@code n % batchSize} are not used).
     *
     * @param epoch the epoch number, &ge; 0
     * @return a new array, a permutation of {@code 0 .. n-1} (the identity without shuffling)
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            LabeledData.shuffle(order, new Random(mix(seed, epoch)));
        }
        return order;
    }

    /**
     * The next epoch's batches (the epoch counter advances by one per call).
     *
     * @return an iterator of {@link #numBatches()} batches, each with the batch axis first and on the configured device;
     *     batches are made (fetched and copied) as the iterator is advanced
     */
    @Override
    public Iterator<Batch> iterator() {
        return new BatchIterator(order(nextEpoch.getAndIncrement()));
    }

    /**
     * The batches of one given epoch, without touching the epoch counter.
     *
     * @param epoch the epoch number, &ge; 0
     * @return an iterable whose every iterator yields that epoch's batches, in the same order
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        return () -> new BatchIterator(order);
    }

    private static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final int end;
        private int pos;

        BatchIterator(int[] order) {
            this.order = order;
            this.end = dropLast ? order.length - order.length % batchSize : order.length;
        }

        @Override
        public boolean hasNext() {
            return pos < end;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch finished after " + numBatches() + " batches");
            }
            int b = Math.min(batchSize, end - pos);
            int[] idx = Arrays.copyOfRange(order, pos, pos + b);
            pos += b;
            float[] x = new float[Math.multiplyExact(b, dataset.featureSize())];
            int[] y = new int[Math.multiplyExact(b, dataset.labelSize())];
            dataset.fetch(idx, x, y);
            Tensor tx = Tensor.fromArray(x, prepend(b, dataset.featureShape()));
            Tensor ty = Tensor.fromIndices(y, prepend(b, dataset.labelShape()));
            if (!device.equals(Device.cpu())) {
                tx = tx.to(device);
                ty = ty.to(device);
            }
            return new Batch(tx, ty);
        }
    }

    private static int[] prepend(int first, int[] rest) {
        int[] s = new int[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }

    /**
     * Dataset size, batch size and shuffling, for logs.
     *
     * @return e.g. {@code DataLoader[size=150, batchSize=16, shuffle=true, seed=42, dropLast=false, device=cpu]}
     */
    @Override
    public String toString() {
        return "DataLoader[size=" + dataset.size() + ", batchSize=" + batchSize + ", shuffle=" + shuffle
                + (shuffle ? ", seed=" + seed : "") + ", dropLast=" + dropLast + ", device=" + device + "]";
    }

    /** Configures a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private Device device = Device.cpu();

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /**
         * Examples per batch, &ge; 1.
         *
         * @param batchSize examples per batch, &ge; 1 (default 1)
         * @return this builder
         * @throws IllegalArgumentException if {@code batchSize} is below 1
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Shuffle every epoch with a permutation derived from {@code seed} and the epoch number.
         *
         * @param seed any value; the same seed gives the same order for each epoch number
         * @return this builder
         */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /**
         * Visit examples in dataset order (the default).
         *
         * @return this builder
         */
        public Builder noShuffle() {
            this.shuffle = false;
            return this;
        }

        /**
         * Skip the last batch when it would be smaller than {@code batchSize}.
         *
         * @param dropLast true to skip it (default false: it is kept, smaller)
         * @return this builder
         */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * The device the batch tensors are placed on (default CPU).
         *
         * @param device where each batch's tensors are copied after being built on the host, not null
         * @return this builder
         * @throws NullPointerException if {@code device} is null
         */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * The loader with these settings.
         *
         * @return a new loader; the builder may be changed and built again without affecting it
         */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
