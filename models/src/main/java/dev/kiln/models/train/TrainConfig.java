package dev.kiln.models.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the {@link Trainer} runs; what it trains is the {@link TrainState}, the {@link TrainStep}
 * and the {@link Evaluation}.
 *
 * @param epochs      total epochs (a resumed run continues up to this number)
 * @param syncEvery   steps between reads of the step metrics to the host (progress, NaN check);
 *                    on a GPU this is the only per-step host round trip, so keep it well above 1
 * @param outDir      where checkpoints, history and curves go each epoch; null writes nothing
 * @param resume      continue from {@code outDir}'s checkpoint
 * @param log         progress bar and per-epoch summaries (usually {@code System.err}); null is silent
 * @param title       run name for the progress bar and the plot, e.g. {@code dnn/iris}
 * @param fingerprint models, architecture and dataset; a checkpoint with another fingerprint is not resumed
 * @param settings    the run's settings as the user gives them ({@code seed}, {@code epochs},
 *                    {@code batch-size}, {@code lr}), stored in every checkpoint; a resume with
 *                    another seed is refused, with another schedule unless {@code allowScheduleChange}
 * @param allowScheduleChange resume even when {@code epochs}, {@code batch-size} or {@code lr}
 *                    differ from the checkpoint's (the change is logged)
 * @param files       files kept beside the checkpoint (name to content, e.g. {@code vocab.txt}):
 *                    stored in it and written next to it after each save; a resume whose files
 *                    differ from the checkpoint's is refused before anything is written
 */
public record TrainConfig(int epochs, int syncEvery, Path outDir, boolean resume, PrintStream log, String title,
                          String fingerprint, Map<String, String> settings, boolean allowScheduleChange,
                          Map<String, String> files) {

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
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
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        for (String name : files.keySet()) {
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalArgumentException("A file kept beside the checkpoint needs a plain file name, got '" + name + "'");
            }
        }
    }

    /** A configuration without recorded settings or kept files. */
    public TrainConfig(int epochs, int syncEvery, Path outDir, boolean resume, PrintStream log, String title,
                       String fingerprint) {
        this(epochs, syncEvery, outDir, resume, log, title, fingerprint, Map.of(), false, Map.of());
    }

    /** Defaults for a run: a host read every 20 steps, no output, silent. */
    public static TrainConfig of(int epochs, String title, String fingerprint) {
        return new TrainConfig(epochs, 20, null, false, null, title, fingerprint);
    }

    public TrainConfig withOutDir(Path dir, boolean resumeFromIt) {
        return new TrainConfig(epochs, syncEvery, dir, resumeFromIt, log, title, fingerprint, settings, allowScheduleChange, files);
    }

    public TrainConfig withLog(PrintStream stream) {
        return new TrainConfig(epochs, syncEvery, outDir, resume, stream, title, fingerprint, settings, allowScheduleChange, files);
    }

    public TrainConfig withSyncEvery(int steps) {
        return new TrainConfig(epochs, steps, outDir, resume, log, title, fingerprint, settings, allowScheduleChange, files);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, syncEvery, outDir, resume, log, title, fingerprint, settings, allowScheduleChange, files);
    }

    /** With the run's settings and whether a resume may change the schedule. */
    public TrainConfig withSettings(Map<String, String> runSettings, boolean allowChange) {
        return new TrainConfig(epochs, syncEvery, outDir, resume, log, title, fingerprint, runSettings, allowChange, files);
    }

    /** With files kept beside (and inside) every checkpoint. */
    public TrainConfig withFiles(Map<String, String> kept) {
        return new TrainConfig(epochs, syncEvery, outDir, resume, log, title, fingerprint, settings, allowScheduleChange, kept);
    }
}
