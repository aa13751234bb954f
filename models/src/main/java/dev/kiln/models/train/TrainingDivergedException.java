package dev.kiln.models.train;

/**
 * The training loss became NaN or infinite. Names the epoch and the step (1-based, within the
 * epoch) of the first bad loss, so a run can be repeated with a smaller learning rate or
 * gradient clipping; no checkpoint is written for the diverged epoch.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int step;
    private final float loss;

    public TrainingDivergedException(int epoch, int step, long globalStep, float loss, float lr) {
        super("Training diverged: the loss is " + loss + " at epoch " + epoch + ", step " + step
                + " (optimizer step " + globalStep + ", learning rate " + lr
                + "). Try a smaller --lr or gradient clipping; the last good checkpoint is kept.");
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    /** 1-based epoch of the first non-finite loss. */
    public int epoch() {
        return epoch;
    }

    /** 1-based step within that epoch. */
    public int step() {
        return step;
    }

    /** The non-finite loss value. */
    public float loss() {
        return loss;
    }
}
