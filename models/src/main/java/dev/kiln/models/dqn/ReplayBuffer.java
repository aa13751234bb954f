package dev.kiln.models.dqn;

import dev.kiln.spi.TensorStorage;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backend;

/**
 * A ring of transitions {@code (s, a, r, s', terminated)} held in device tensors. A vector step of
 * {@code N} environments is written as one block of {@code N} rows (device-to-device copies, no host
 * transfer); sampling draws uniform indices on the device from a Philox {@link Generator} and gathers rows
 * with {@code indexSelect}. The capacity is a multiple of {@code N}, so a block never wraps.
 */
public final class ReplayBuffer {

    /** A sampled batch, all on the device. */
    public record Batch(Tensor obs, Tensor action, Tensor reward, Tensor nextObs, Tensor terminated) {
    }

    private final Device device;
    private final int width;
    private final int block;
    private final int capacity;
    private final Tensor obs, action, reward, nextObs, terminated;
    private long written;

    /**
     * @param capacity transitions kept (rounded up to a multiple of {@code block})
     * @param width    observation size
     * @param block    rows written per {@link #add} (the number of environments)
     */
    public ReplayBuffer(Device device, int capacity, int width, int block) {
        if (capacity < 1 || width < 1 || block < 1) {
            throw new IllegalArgumentException("ReplayBuffer needs positive sizes, got capacity " + capacity
                    + ", width " + width + ", block " + block);
        }
        this.device = device;
        this.width = width;
        this.block = block;
        this.capacity = (capacity + block - 1) / block * block;
        this.obs = Tensor.zeros(device, this.capacity, width);
        this.action = Tensor.zeros(device, this.capacity);
        this.reward = Tensor.zeros(device, this.capacity);
        this.nextObs = Tensor.zeros(device, this.capacity, width);
        this.terminated = Tensor.zeros(device, this.capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** Transitions held (at most the capacity). */
    public int size() {
        return (int) Math.min(written, capacity);
    }

    /** Writes one block of {@code N} transitions over the oldest ones. */
    public void add(Tensor s, Tensor a, Tensor r, Tensor s2, Tensor term) {
        int row = (int) (written % capacity);
        put(s, obs, row, width);
        put(a, action, row, 1);
        put(r, reward, row, 1);
        put(s2, nextObs, row, width);
        put(term, terminated, row, 1);
        written += block;
    }

    private void put(Tensor src, Tensor dst, int row, int cols) {
        if (src.numel() != (long) block * cols || src.dtype() != DType.FLOAT32 || !src.device().equals(device)) {
            throw new IllegalArgumentException("ReplayBuffer.add expects FLOAT32 blocks of " + block + " x " + cols
                    + " on " + device + ", got " + src);
        }
        Backend be = TensorStorage.backend(dst);
        int[] shape = {block, cols};
        int[] strides = {cols, 1};
        be.copyStrided(TensorStorage.buffer(src), 0, strides, TensorStorage.buffer(dst), (long) row * cols, strides, shape);
    }

    /** {@code batch} transitions drawn uniformly with replacement from those held. */
    public Batch sample(Generator g, int batch) {
        int n = size();
        if (n == 0) {
            throw new IllegalStateException("ReplayBuffer.sample on an empty buffer");
        }
        // floor(u * n), kept below n (u * n can round up to n in float)
        Tensor idx = Tensor.rand(g, device, batch).mul((float) n).minimum(Tensor.full(device, n - 1, 1))
                .toType(DType.INT64);
        return new Batch(obs.indexSelect(0, idx), action.indexSelect(0, idx), reward.indexSelect(0, idx),
                nextObs.indexSelect(0, idx), terminated.indexSelect(0, idx));
    }

    /** The stored rows (for tests): observation, action, reward, next observation, terminated. */
    Tensor[] contents() {
        return new Tensor[] {obs, action, reward, nextObs, terminated};
    }
}
