package dev.kiln.optim;

/**
 * Sets an optimiser's learning rate once per {@link #step()} (usually per epoch) from a schedule.
 * Build one with a factory:
 *
 * <pre>{@code
 * LRScheduler sched = LRScheduler.cosine(opt, epochs, 0f);
 * for (int e = 0; e < epochs; e++) { train(); sched.step(); }
 * }</pre>
 */
public final class LRScheduler {

    /** Learning rate as a function of the base rate and the number of completed steps. */
    public interface Schedule {
        float lr(float base, int step);
    }

    private final Optimizer opt;
    private final float base;
    private final Schedule schedule;
    private int step;

    public LRScheduler(Optimizer opt, Schedule schedule) {
        this.opt = opt;
        this.base = opt.lr();
        this.schedule = schedule;
    }

    /** Multiplies the rate by {@code gamma} every {@code stepSize} steps. */
    public static LRScheduler step(Optimizer opt, int stepSize, float gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("stepSize must be positive, got " + stepSize);
        }
        return new LRScheduler(opt, (b, s) -> b * (float) Math.pow(gamma, s / stepSize));
    }

    /** Cosine annealing from the base rate to {@code minLr} over {@code tMax} steps, then holds. */
    public static LRScheduler cosine(Optimizer opt, int tMax, float minLr) {
        if (tMax <= 0) {
            throw new IllegalArgumentException("tMax must be positive, got " + tMax);
        }
        return new LRScheduler(opt, (b, s) -> minLr + (b - minLr) * 0.5f * (1f + (float) Math.cos(Math.PI * Math.min(s, tMax) / tMax)));
    }

    /** Advances one step and sets the optimiser's rate. */
    public void step() {
        step++;
        opt.setLr(schedule.lr(base, step));
    }

    /** Completed steps. */
    public int steps() {
        return step;
    }

    /** Restores the step count (when resuming) and sets the matching rate. */
    public void setSteps(int steps) {
        this.step = steps;
        opt.setLr(schedule.lr(base, step));
    }
}
