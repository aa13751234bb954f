package dev.kiln.models.train;

/**
 * A training metric became NaN or infinite. Names the epoch, the step (1-based, within the
 * epoch), the metric and the learning rates, so a run can be repeated with a smaller learning
 * rate or gradient clipping; no checkpoint is written for the diverged epoch.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int step;
    private final String metric;
    private final float value;
    private final long globalStep;
    private final String learningRates;

    /** @param learningRates the rates at the time, e.g. {@code learning rate 0.001} */
    public TrainingDivergedException(int epoch, int step, long globalStep, String metric, float value, String learningRates) {
        this(epoch, step, globalStep, metric, metric, value, learningRates);
    }

    private TrainingDivergedException(int epoch, int step, long globalStep, String metric, String described, float value,
                                      String learningRates) {
        super("Training diverged: the " + described + " is " + value + " at epoch " + epoch + ", step " + step
                + " (step " + globalStep + " of the run, " + learningRates
                + "). Try a smaller --lr or gradient clipping; the last good checkpoint is kept.");
        this.epoch = epoch;
        this.step = step;
        this.globalStep = globalStep;
        this.metric = metric;
        this.value = value;
        this.learningRates = learningRates;
    }

    /**
     * The same divergence with the metric described in words, e.g. {@code discriminator loss (d_loss)}
     * for a model with several networks, so the message says which one failed.
     */
    public TrainingDivergedException describing(String description) {
        TrainingDivergedException e = new TrainingDivergedException(epoch, step, globalStep, metric, description, value, learningRates);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** 1-based step of the whole run. */
    public long globalStep() {
        return globalStep;
    }

    /** 1-based epoch of the first non-finite value. */
    public int epoch() {
        return epoch;
    }

    /** 1-based step within that epoch. */
    public int step() {
        return step;
    }

    /** The name of the metric that went non-finite (the first of that step's). */
    public String metric() {
        return metric;
    }

    /** The non-finite value. */
    public float value() {
        return value;
    }
}
