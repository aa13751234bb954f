package dev.kiln.models.train;

import dev.kiln.data.Batch;
import dev.kiln.data.DataLoader;
import dev.kiln.data.text.SequenceWindows;

import java.util.Iterator;
import java.util.Objects;

/**
 * What one epoch of a {@link Trainer} run iterates over: the batches of a {@link DataLoader}
 * ({@link #over}), or a fixed number of steps without data ({@link #fixed}) for models that draw
 * their own inputs (an agent stepping its environment, a diffusion model drawing noise on the
 * device).
 *
 * <p>Epoch {@code e} (1-based) of a loader is the loader's epoch {@code e - 1}: its shuffle is a
 * function of the loader's seed and the epoch alone, so a resumed run sees the batches the
 * uninterrupted run saw. Datasets that redraw their examples per epoch
 * ({@link SequenceWindows#randomOffsets random windows}) are moved to epoch {@code e - 1} before
 * its batches are drawn, so every epoch trains on fresh windows.
 */
public final class Steps {

    private final DataLoader loader;
    private final int steps;
    private final int samplesPerStep;

    private Steps(DataLoader loader, int steps, int samplesPerStep) {
        this.loader = loader;
        this.steps = steps;
        this.samplesPerStep = samplesPerStep;
    }

    /** One step per batch of {@code loader}. */
    public static Steps over(DataLoader loader) {
        Objects.requireNonNull(loader, "loader");
        if (loader.numBatches() == 0) {
            throw new IllegalArgumentException("Training needs a non-empty training set, got " + loader.dataset().size()
                    + " examples in batches of " + loader.batchSize());
        }
        return new Steps(loader, loader.numBatches(), 0);
    }

    /**
     * {@code steps} steps an epoch without batches; {@code samplesPerStep} (what one step
     * processes: transitions, images) feeds the progress bar's rate.
     */
    public static Steps fixed(int steps, int samplesPerStep) {
        if (steps < 1 || samplesPerStep < 1) {
            throw new IllegalArgumentException("steps and samplesPerStep must be >= 1, got " + steps + ", " + samplesPerStep);
        }
        return new Steps(null, steps, samplesPerStep);
    }

    /** Steps in every epoch. */
    public int perEpoch() {
        return steps;
    }

    /** Samples in one epoch (for the progress bar). */
    public long samplesPerEpoch() {
        if (loader == null) {
            return (long) steps * samplesPerStep;
        }
        return loader.dropsLast() ? (long) steps * loader.batchSize() : loader.dataset().size();
    }

    /** Samples a step without a batch counts for. */
    int samplesPerStep() {
        return samplesPerStep;
    }

    /** The batches of 1-based {@code epoch}, or null when these steps carry no data. */
    Iterator<Batch> batches(int epoch) {
        if (loader == null) {
            return null;
        }
        if (loader.dataset() instanceof SequenceWindows) {
            ((SequenceWindows) loader.dataset()).setEpoch(epoch - 1);
        }
        return loader.epoch(epoch - 1).iterator();
    }
}
