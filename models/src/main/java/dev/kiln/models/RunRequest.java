package dev.kiln.models;

import dev.kiln.Device;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the user asked for. Null hyper-parameters mean "the model's preset for this dataset".
 *
 * @param dataset   a name from {@link KilnModel#datasets()}
 * @param device    where to train
 * @param epochs    null for the preset
 * @param batchSize null for the preset
 * @param lr        null for the preset
 * @param seed      seeds initialisation, shuffling and dropout
 * @param outDir    checkpoints, history and curves each epoch; null writes nothing
 * @param dataDir   an explicit data directory, or null to search the standard places
 * @param resume    continue from {@code outDir}'s checkpoint
 * @param quick     a short run on a subset (the demo's setting)
 * @param log       progress and summaries, or null for silence
 * @param allowScheduleChange when resuming, accept other epochs, batch size or learning rate than
 *                  the checkpoint's run (said in the log) instead of refusing
 */
public record RunRequest(String dataset, Device device, Integer epochs, Integer batchSize, Float lr, long seed,
                         Path outDir, Path dataDir, boolean resume, boolean quick, PrintStream log,
                         boolean allowScheduleChange) {

    public RunRequest {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(device, "device");
    }

    /** A request that refuses a resume with another schedule. */
    public RunRequest(String dataset, Device device, Integer epochs, Integer batchSize, Float lr, long seed,
                      Path outDir, Path dataDir, boolean resume, boolean quick, PrintStream log) {
        this(dataset, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, quick, log, false);
    }

    /**
     * The run's settings as the user gives them, after the preset: {@code seed}, {@code epochs},
     * and {@code batch-size} and {@code lr} where the run has them (null leaves one out); the
     * checkpoint keeps them so that a resume can say what it changes.
     */
    public Map<String, String> settings(int runEpochs, Integer runBatchSize, Float runLr) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("seed", Long.toString(seed));
        s.put("epochs", Integer.toString(runEpochs));
        if (runBatchSize != null) {
            s.put("batch-size", Integer.toString(runBatchSize));
        }
        if (runLr != null) {
            s.put("lr", Float.toString(runLr));
        }
        return s;
    }

    public RunRequest withAllowScheduleChange(boolean allow) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, quick, log, allow);
    }

    /** Defaults: the preset's hyper-parameters, no files written, silent. */
    public static RunRequest of(String dataset, Device device, long seed) {
        return new RunRequest(dataset, device, null, null, null, seed, null, null, false, false, null);
    }

    public RunRequest withDataset(String d) {
        return new RunRequest(d, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, quick, log, allowScheduleChange);
    }

    public RunRequest withEpochs(Integer n) {
        return new RunRequest(dataset, device, n, batchSize, lr, seed, outDir, dataDir, resume, quick, log, allowScheduleChange);
    }

    public RunRequest withLr(Float rate) {
        return new RunRequest(dataset, device, epochs, batchSize, rate, seed, outDir, dataDir, resume, quick, log, allowScheduleChange);
    }

    public RunRequest withQuick(boolean q) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, q, log, allowScheduleChange);
    }

    public RunRequest withOut(Path dir, boolean resumeFromIt) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, dir, dataDir, resumeFromIt, quick, log, allowScheduleChange);
    }

    public RunRequest withDataDir(Path dir) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dir, resume, quick, log);
    }

    public RunRequest withLog(PrintStream stream) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, quick, stream, allowScheduleChange);
    }
}
