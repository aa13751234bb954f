package dev.kiln.data.text;

import dev.kiln.DType;
import dev.kiln.Tensor;
import dev.kiln.data.Batch;
import dev.kiln.data.DataLoader;
import dev.kiln.data.Dataset;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Fixed-length windows over a token stream, for next-token language modelling: example {@code i}
 * starts at {@code s = start(i)}; its inputs are {@code tokens[s .. s+length)} and its targets the
 * same window shifted by one, {@code tokens[s+1 .. s+length+1)}.
 *
 * <p><b>How this fits the {@link Dataset} contract</b> (float features, int labels): the features
 * are the input ids as floats, shape {@code {length}} (exact, because ids are checked to be below
 * 2<sup>24</sup>), and the labels are the target ids, shape {@code {length}}. A {@link DataLoader}
 * batch therefore has {@code x} FLOAT32 {@code {b, length}} (turn it into ids with
 * {@link #inputIds(Batch)}, i.e. {@code x.toType(DType.INT32)}, for an embedding lookup) and
 * {@code y} INT32 {@code {b, length}}, ready for a cross-entropy against logits
 * {@code {b, length, vocab}}. {@link #fetchIds(int[], int[], int[])} gives both as ints directly.
 *
 * <p>Two ways to place the windows:
 * <ul>
 *   <li>{@link #of(int[], int, int)}: window {@code i} starts at {@code i * stride}; there are
 *       {@code (n - length - 1) / stride + 1} of them for {@code n} tokens (stride = length gives
 *       non-overlapping windows that cover the stream once, e.g. for evaluation);</li>
 *   <li>{@link #randomOffsets(int[], int, int, long)}: {@code count} windows whose starts are
 *       drawn uniformly from {@code [0, n - length - 1]}, a function of the seed, the epoch
 *       ({@link #setEpoch(int)}) and {@code i} only, so a run is reproducible and each epoch sees
 *       fresh offsets.</li>
 * </ul>
 *
 * <pre>{@code
 * CharVocab vocab = CharVocab.build(split.train(), true);
 * SequenceWindows train = SequenceWindows.of(vocab.encode(split.train()), 128, 64);
 * DataLoader loader = DataLoader.builder(train).batchSize(32).shuffle(42).dropLast(true).build();
 * for (Batch b : loader) {
 *     Tensor ids = SequenceWindows.inputIds(b);   // {32, 128} INT32
 *     Tensor targets = b.y();                     // {32, 128} INT32, ids shifted by one
 * }
 * }</pre>
 */
public final class SequenceWindows implements Dataset {

    /** Largest token id a float holds exactly (2<sup>24</sup>). */
    public static final int MAX_TOKEN_ID = 1 << 24;

    private final int[] tokens;
    private final int length;
    private final int stride;        // 0 for random offsets
    private final int size;
    private final long seed;
    private volatile int epoch;

    private SequenceWindows(int[] tokens, int length, int stride, int size, long seed) {
        this.tokens = tokens;
        this.length = length;
        this.stride = stride;
        this.size = size;
        this.seed = seed;
    }

    /**
     * Windows of {@code length} tokens starting every {@code stride} tokens.
     *
     * @throws IllegalArgumentException if {@code length} or {@code stride} is below 1, the stream is shorter
     *                                  than {@code length + 1} tokens, or a token is negative or &ge; 2<sup>24</sup>
     */
    public static SequenceWindows of(int[] tokens, int length, int stride) {
        checkTokens(tokens, length);
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        int size = (tokens.length - length - 1) / stride + 1;
        return new SequenceWindows(tokens.clone(), length, stride, size, 0);
    }

    /** Non-overlapping windows: {@code of(tokens, length, length)}. */
    public static SequenceWindows of(int[] tokens, int length) {
        return of(tokens, length, length);
    }

    /**
     * {@code count} windows at random offsets, redrawn per epoch (see the class comment).
     *
     * @throws IllegalArgumentException as {@link #of(int[], int, int)}, or if {@code count < 1}
     */
    public static SequenceWindows randomOffsets(int[] tokens, int length, int count, long seed) {
        checkTokens(tokens, length);
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        return new SequenceWindows(tokens.clone(), length, 0, count, seed);
    }

    private static void checkTokens(int[] tokens, int length) {
        Objects.requireNonNull(tokens, "tokens");
        if (length < 1) {
            throw new IllegalArgumentException("window length must be >= 1, got " + length);
        }
        if (tokens.length < (long) length + 1) {
            throw new IllegalArgumentException("a window of " + length + " tokens plus its shifted target needs at least "
                    + (length + 1L) + " tokens, the stream has " + tokens.length);
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= MAX_TOKEN_ID) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i
                        + " is out of range: expected 0 <= id < " + MAX_TOKEN_ID);
            }
        }
    }

    /** The input ids of a {@link DataLoader} batch of these windows: {@code b.x()} as INT32 {@code {b, length}}. */
    public static Tensor inputIds(Batch batch) {
        return batch.x().toType(DType.INT32);
    }

    /** Tokens per window. */
    public int length() {
        return length;
    }

    /** Distance between window starts, or 0 for random offsets. */
    public int stride() {
        return stride;
    }

    /** Whether the windows are at random offsets. */
    public boolean isRandom() {
        return stride == 0;
    }

    /** Length of the underlying token stream. */
    public int tokenCount() {
        return tokens.length;
    }

    /** The epoch whose random offsets {@link #fetch} uses (0 at first; irrelevant for fixed strides). */
    public int epoch() {
        return epoch;
    }

    /** Draws the random offsets of epoch {@code epoch} from now on (call once per epoch; no effect on fixed strides). */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /** Where window {@code i} starts in the token stream (in the current epoch). */
    public int start(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("window " + i + " is out of range [0, " + size + ")");
        }
        if (stride > 0) {
            return i * stride;
        }
        long z = seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)) ^ (0xC2B2AE3D27D4EB4FL * (i + 1L));
        return new SplittableRandom(z).nextInt(tokens.length - length);
    }

    /** The input ids of window {@code i}. */
    public int[] inputs(int i) {
        int s = start(i);
        return Arrays.copyOfRange(tokens, s, s + length);
    }

    /** The target ids of window {@code i}: its inputs shifted by one token. */
    public int[] targets(int i) {
        int s = start(i);
        return Arrays.copyOfRange(tokens, s + 1, s + 1 + length);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] featureShape() {
        return new int[] {length};
    }

    @Override
    public int[] labelShape() {
        return new int[] {length};
    }

    @Override
    public int featureSize() {
        return length;
    }

    @Override
    public int labelSize() {
        return length;
    }

    @Override
    public void fetch(int[] indices, float[] features, int[] labels) {
        Objects.requireNonNull(indices, "indices");
        checkRoom(indices.length, features.length, labels.length);
        for (int k = 0; k < indices.length; k++) {
            int s = start(indices[k]);
            for (int j = 0; j < length; j++) {
                features[k * length + j] = tokens[s + j];
            }
            System.arraycopy(tokens, s + 1, labels, k * length, length);
        }
    }

    /**
     * Like {@link #fetch(int[], float[], int[])} but with the input ids as ints: {@code inputs} and
     * {@code targets} each receive {@code indices.length * length()} ids, row-major.
     */
    public void fetchIds(int[] indices, int[] inputs, int[] targets) {
        Objects.requireNonNull(indices, "indices");
        checkRoom(indices.length, inputs.length, targets.length);
        for (int k = 0; k < indices.length; k++) {
            int s = start(indices[k]);
            System.arraycopy(tokens, s, inputs, k * length, length);
            System.arraycopy(tokens, s + 1, targets, k * length, length);
        }
    }

    private void checkRoom(int count, int a, int b) {
        long need = (long) count * length;
        if (a < need || b < need) {
            throw new IndexOutOfBoundsException("fetching " + count + " windows of " + length + " tokens needs "
                    + need + " slots in each array, got " + a + " and " + b);
        }
    }

    @Override
    public String toString() {
        return "SequenceWindows[size=" + size + ", length=" + length
                + (stride > 0 ? ", stride=" + stride : ", random offsets, seed=" + seed + ", epoch=" + epoch)
                + ", tokens=" + tokens.length + "]";
    }
}
