package dev.kiln;

/**
 * A seeded source of random numbers for initialisation, dropout and shuffling, built on the
 * counter-based Philox4x32-10 generator so that the CPU and GPU backends draw identical numbers.
 *
 * <p>Mapping (every backend implements exactly this): a draw of {@code n} numbers at stream
 * offset {@code off} produces element {@code i} from global counter {@code g = off + i}. The
 * Philox block {@code g / 4} is encrypted with counter words {@code (lo32(g/4), hi32(g/4), 0, 0)}
 * and key {@code (lo32(seed), hi32(seed))}; of its four output words {@code w}, element {@code g}
 * uses {@code w[g % 4]}. Uniform: {@code (w >>> 8) · 2^-24} in [0, 1), bit-exact on all backends.
 * Normal (Box-Muller on the word pair {@code j = (g % 4) / 2}): {@code u1 = ((w[2j] >>> 8) + 1)·2^-24},
 * {@code u2 = (w[2j+1] >>> 8)·2^-24}, {@code r = sqrt(-2 ln u1)}, even g takes {@code r·cos(2πu2)},
 * odd g {@code r·sin(2πu2)} (equal across backends up to float rounding of the transcendentals).
 *
 * <p>Each draw advances the offset by {@code n} rounded up to a multiple of 4, so successive draws
 * never share a Philox block. Not thread-safe; use one generator per thread.
 */
public final class Generator {

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final float TWO_POW_M24 = 1f / (1 << 24);

    private final long seed;
    private long offset;

    public Generator(long seed) {
        this(seed, 0);
    }

    /** A generator positioned at {@code offset} of the stream (to resume where one left off). */
    public Generator(long seed, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        this.seed = seed;
        this.offset = offset;
    }

    public long seed() {
        return seed;
    }

    /** The current stream offset (the counter of the next draw). */
    public long offset() {
        return offset;
    }

    /** Reserves {@code n} numbers of the stream and returns the offset they start at. */
    public long advance(long n) {
        long start = offset;
        offset += (n + 3) & ~3L;
        return start;
    }

    /** A uniform float in [0, 1). */
    public float nextFloat() {
        float[] out = new float[1];
        uniform(seed, advance(1), out, 0, 1);
        return out[0];
    }

    /** A uniform int in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long g = advance(2);
        int[] w = block(seed, g >>> 2);
        long bits = ((long) w[0] << 32) | (w[1] & 0xFFFFFFFFL);
        return (int) Long.remainderUnsigned(bits, bound);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A random permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a);
        return a;
    }

    /** Writes {@code n} uniform draws for {@code (seed, offset)} into {@code out[pos..]}. */
    public static void uniform(long seed, long offset, float[] out, int pos, int n) {
        for (int i = 0; i < n; ) {
            long g = offset + i;
            int[] w = block(seed, g >>> 2);
            for (int k = (int) (g & 3); k < 4 && i < n; k++, i++) {
                out[pos + i] = (w[k] >>> 8) * TWO_POW_M24;
            }
        }
    }

    /** Writes {@code n} standard-normal draws for {@code (seed, offset)} into {@code out[pos..]}. */
    public static void normal(long seed, long offset, float[] out, int pos, int n) {
        for (int i = 0; i < n; ) {
            long g = offset + i;
            int[] w = block(seed, g >>> 2);
            for (int k = (int) (g & 3); k < 4 && i < n; k++, i++) {
                int j = k >> 1;
                float u1 = ((w[2 * j] >>> 8) + 1) * TWO_POW_M24;
                float u2 = (w[2 * j + 1] >>> 8) * TWO_POW_M24;
                float r = (float) Math.sqrt(-2.0f * (float) Math.log(u1));
                float theta = 2f * (float) Math.PI * u2;
                out[pos + i] = (k & 1) == 0 ? r * (float) Math.cos(theta) : r * (float) Math.sin(theta);
            }
        }
    }

    /** Philox4x32-10 of counter {@code (lo32(ctr), hi32(ctr), 0, 0)} under key {@code seed}. */
    static int[] block(long seed, long ctr) {
        return philox((int) ctr, (int) (ctr >>> 32), 0, 0, (int) seed, (int) (seed >>> 32));
    }

    /** The Philox4x32-10 bijection on a full 128-bit counter and 64-bit key. */
    static int[] philox(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }
}
