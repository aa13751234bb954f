package dev.kiln.nn;

import dev.kiln.Tensor;
import dev.kiln.Vision;

/**
 * Batch normalisation over the channels of NCHW input, PyTorch's {@code nn.BatchNorm2d}: in
 * training mode the batch statistics normalise and update the running averages
 * ({@code running = (1 − momentum)·running + momentum·batch}, unbiased variance); in eval mode the
 * running averages normalise. Weight starts at 1, bias at 0; running mean 0, running var 1.
 */
public final class BatchNorm2d extends Module {
    private final int channels;
    private final float eps;
    private final float momentum;

    public BatchNorm2d(int channels) {
        this(channels, 1e-5f, 0.1f);
    }

    private long batchesTracked;

    public BatchNorm2d(int channels, float eps, float momentum) {
        if (channels <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: channels must be positive, eps > 0 and momentum in [0, 1], got "
                    + channels + ", " + eps + ", " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        registerParameter("weight", Tensor.ones(channels));
        registerParameter("bias", Tensor.zeros(channels));
        registerBuffer("running_mean", Tensor.zeros(channels));
        registerBuffer("running_var", Tensor.ones(channels));
    }

    /** Training-mode forward passes so far (PyTorch's {@code num_batches_tracked}; not in {@link #stateDict()}). */
    public long numBatchesTracked() {
        return batchesTracked;
    }

    /** Sets the count of {@link #numBatchesTracked()} (when loading PyTorch weights). */
    public void setNumBatchesTracked(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("num_batches_tracked must be >= 0, got " + n);
        }
        batchesTracked = n;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() >= 2 && x.size(1) != channels) {
            throw new IllegalArgumentException("BatchNorm2d: expected input with " + channels + " channels, got "
                    + x.size(1) + " in " + java.util.Arrays.toString(x.shape()));
        }
        if (isTraining()) {
            batchesTracked++;
        }
        return Vision.batchNorm2d(x, param("weight"), param("bias"), buffer("running_mean"), buffer("running_var"),
                isTraining(), momentum, eps);
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + channels + ")";
    }
}
