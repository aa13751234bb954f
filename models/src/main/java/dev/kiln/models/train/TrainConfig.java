package dev.kiln.models.train;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * How the {@link Trainer} runs; the model, optimizer and schedule are passed separately.
 *
 * @param epochs        total epochs (a resumed run continues up to this number)
 * @param gradClipNorm  clip the global gradient norm to this value; 0 disables clipping
 * @param syncEvery     optimizer steps between reads of the loss to the host (progress, NaN check);
 *                      on a GPU this is the only per-step host round trip, so keep it well above 1
 * @param outDir        where checkpoints, history and curves go each epoch; null writes nothing
 * @param resume        continue from {@code outDir}'s checkpoint
 * @param log           progress bar and per-epoch summaries (usually {@code System.err}); null is silent
 * @param title         run name for the progress bar and the plot, e.g. {@code dnn/iris}
 * @param fingerprint   model, architecture and dataset; a checkpoint with another fingerprint is not resumed
 */
public record TrainConfig(int epochs, float gradClipNorm, int syncEvery,
                          Path outDir, boolean resume, PrintStream log, String title, String fingerprint) {

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!(gradClipNorm >= 0) || Float.isInfinite(gradClipNorm)) {
            throw new IllegalArgumentException("gradient clip norm must be a finite value >= 0, got " + gradClipNorm);
        }
        if (syncEvery < 1) {
            throw new IllegalArgumentException("syncEvery must be >= 1, got " + syncEvery);
        }
        if (resume && outDir == null) {
            throw new IllegalArgumentException("resume needs an output directory holding the checkpoint");
        }
        if (title == null || fingerprint == null) {
            throw new IllegalArgumentException("title and fingerprint are required");
        }
    }

    /** Defaults for a run: no clipping, a host read every 20 steps, no output, silent. */
    public static TrainConfig of(int epochs, String title, String fingerprint) {
        return new TrainConfig(epochs, 0f, 20, null, false, null, title, fingerprint);
    }

    public TrainConfig withOutDir(Path dir, boolean resumeFromIt) {
        return new TrainConfig(epochs, gradClipNorm, syncEvery, dir, resumeFromIt, log, title, fingerprint);
    }

    public TrainConfig withLog(PrintStream stream) {
        return new TrainConfig(epochs, gradClipNorm, syncEvery, outDir, resume, stream, title, fingerprint);
    }

    public TrainConfig withGradClip(float maxNorm) {
        return new TrainConfig(epochs, maxNorm, syncEvery, outDir, resume, log, title, fingerprint);
    }

    public TrainConfig withSyncEvery(int steps) {
        return new TrainConfig(epochs, gradClipNorm, steps, outDir, resume, log, title, fingerprint);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, gradClipNorm, syncEvery, outDir, resume, log, title, fingerprint);
    }
}
