package dev.kiln.models.train;

import dev.kiln.Tensor;
import dev.kiln.io.TensorFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a run after a completed epoch: the model's state dict, the
 * optimizer's state (moments, step count, learning rate), the position of the random stream that
 * drives shuffling and dropout, the epoch history and a fingerprint of the model and data it
 * belongs to. Stored as one {@link TensorFile} (tensors {@code model.*} and {@code optim.*},
 * everything else as metadata), so a write is atomic and a damaged file is detected by checksum.
 *
 * @param epoch       completed epochs
 * @param fingerprint model, architecture and dataset; a resume with another one is refused
 * @param rngSeed     seed of the training random stream
 * @param rngOffset   its offset after {@code epoch} epochs
 * @param steps       optimizer (and scheduler) steps taken
 */
public record Checkpoint(int epoch, String fingerprint, Map<String, Tensor> model, Map<String, Tensor> optimizer,
                         long rngSeed, long rngOffset, long steps, History history) {

    /** The file name inside a run's output directory. */
    public static final String FILE_NAME = "checkpoint.kiln";
    /** Format marker stored in the metadata. */
    static final String FORMAT = "kiln-checkpoint-1";

    private static final String MODEL_PREFIX = "model.";
    private static final String OPTIM_PREFIX = "optim.";

    /** Writes atomically (temporary file, then rename); a crash mid-write leaves the previous checkpoint intact. */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put(MODEL_PREFIX + k, v));
        optimizer.forEach((k, v) -> tensors.put(OPTIM_PREFIX + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("fingerprint", fingerprint);
        meta.put("epoch", Integer.toString(epoch));
        meta.put("rng_seed", Long.toString(rngSeed));
        meta.put("rng_offset", Long.toString(rngOffset));
        meta.put("steps", Long.toString(steps));
        meta.put("history", history.toCsv());
        TensorFile.save(file, tensors, meta);
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws IOException naming the file and the defect when it is missing, damaged or not a checkpoint
     */
    public static Checkpoint load(Path file) throws IOException {
        TensorFile.Contents c = TensorFile.load(file);
        Map<String, String> meta = c.meta();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException("Not a Kiln training checkpoint: " + file + " (format '" + meta.get("format")
                    + "', expected '" + FORMAT + "')");
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optim = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(MODEL_PREFIX)) {
                model.put(k.substring(MODEL_PREFIX.length()), v);
            } else if (k.startsWith(OPTIM_PREFIX)) {
                optim.put(k.substring(OPTIM_PREFIX.length()), v);
            }
        });
        try {
            int epoch = Integer.parseInt(required(meta, "epoch", file));
            History history = History.parseCsv(required(meta, "history", file));
            if (history.size() != epoch) {
                throw new IOException("Damaged checkpoint " + file + ": epoch " + epoch + " but " + history.size()
                        + " epochs of history");
            }
            return new Checkpoint(epoch, required(meta, "fingerprint", file), model, optim,
                    Long.parseLong(required(meta, "rng_seed", file)), Long.parseLong(required(meta, "rng_offset", file)),
                    Long.parseLong(required(meta, "steps", file)), history);
        } catch (IllegalArgumentException e) {
            throw new IOException("Damaged checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> meta, String key, Path file) throws IOException {
        String v = meta.get(key);
        if (v == null) {
            throw new IOException("Damaged checkpoint " + file + ": metadata '" + key + "' is missing");
        }
        return v;
    }
}
