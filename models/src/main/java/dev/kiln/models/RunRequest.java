package dev.kiln.models;

import dev.kiln.Device;

import java.io.PrintStream;
import java.nio.file.Path;
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
 */
public record RunRequest(String dataset, Device device, Integer epochs, Integer batchSize, Float lr, long seed,
                         Path outDir, Path dataDir, boolean resume, boolean quick, PrintStream log) {

    public RunRequest {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(device, "device");
    }

    /** Defaults: the preset's hyper-parameters, no files written, silent. */
    public static RunRequest of(String dataset, Device device, long seed) {
        return new RunRequest(dataset, device, null, null, null, seed, null, null, false, false, null);
    }

    public RunRequest withDataset(String d) {
        return new RunRequest(d, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, quick, log);
    }

    public RunRequest withEpochs(Integer n) {
        return new RunRequest(dataset, device, n, batchSize, lr, seed, outDir, dataDir, resume, quick, log);
    }

    public RunRequest withLr(Float rate) {
        return new RunRequest(dataset, device, epochs, batchSize, rate, seed, outDir, dataDir, resume, quick, log);
    }

    public RunRequest withQuick(boolean q) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, q, log);
    }

    public RunRequest withOut(Path dir, boolean resumeFromIt) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, dir, dataDir, resumeFromIt, quick, log);
    }

    public RunRequest withDataDir(Path dir) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dir, resume, quick, log);
    }

    public RunRequest withLog(PrintStream stream) {
        return new RunRequest(dataset, device, epochs, batchSize, lr, seed, outDir, dataDir, resume, quick, stream);
    }
}
