package dev.kiln.models.train;

import dev.kiln.Tensor;
import dev.kiln.io.TensorFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a run after a completed epoch ({@link TrainState#snapshot}):
 * the state dict of every named module, the state of every named optimizer (moments, step count,
 * learning rate), the step count of every named learning-rate schedule, the seed and position of
 * every named random stream, the epoch history, the run's step count and a fingerprint of the
 * models and data it belongs to.
 *
 * <p>Stored as one {@link TensorFile}: tensors {@code module.<name>.<key>} and
 * {@code optim.<name>.<key>}, everything else as metadata ({@code scheduler.<name>},
 * {@code random.<name>} = {@code seed:position}, {@code setting.<name>}, {@code file.<name>}),
 * so a write is atomic and a damaged file is
 * detected by checksum.
 *
 * @param epoch       completed epochs
 * @param steps       completed training steps of the run
 * @param fingerprint models, architecture and dataset; a resume with another one is refused
 * @param modules     module name to state dict
 * @param optimizers  optimizer name to state dict
 * @param schedulers  schedule name to completed steps
 * @param random      stream name to its seed and position
 * @param history     every completed epoch's values (no size limit: the tensor file has none)
 * @param settings    the run's settings as the user sees them ({@code seed}, {@code epochs},
 *                    {@code batch-size}, {@code lr}); a resume compares its own with these
 * @param files       files the run keeps beside the checkpoint (name to content, e.g. a
 *                    vocabulary), committed with it so that the two always belong together
 */
public record Checkpoint(int epoch, long steps, String fingerprint, Map<String, Map<String, Tensor>> modules,
                         Map<String, Map<String, Tensor>> optimizers, Map<String, Integer> schedulers,
                         Map<String, RandomState> random, History history, Map<String, String> settings,
                         Map<String, String> files) {

    /** The file name inside a run's output directory. */
    public static final String FILE_NAME = "checkpoint.kiln";
    /** Format marker stored in the metadata. */
    static final String FORMAT = "kiln-checkpoint-2";

    private static final String MODULE = "module.";
    private static final String OPTIM = "optim.";
    private static final String SCHEDULER = "scheduler.";
    private static final String RANDOM = "random.";
    private static final String SETTING = "setting.";
    private static final String FILE = "file.";

    /** A random stream's seed and how far it had been drawn. */
    public record RandomState(long seed, long position) {
    }

    public Checkpoint {
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        optimizers = Collections.unmodifiableMap(new LinkedHashMap<>(optimizers));
        schedulers = Collections.unmodifiableMap(new LinkedHashMap<>(schedulers));
        random = Collections.unmodifiableMap(new LinkedHashMap<>(random));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        for (String name : names(modules, optimizers, schedulers, random)) {
            TrainState.checkName(name);
        }
    }

    /** A checkpoint without settings or files (as written before they were recorded). */
    public Checkpoint(int epoch, long steps, String fingerprint, Map<String, Map<String, Tensor>> modules,
                      Map<String, Map<String, Tensor>> optimizers, Map<String, Integer> schedulers,
                      Map<String, RandomState> random, History history) {
        this(epoch, steps, fingerprint, modules, optimizers, schedulers, random, history, Map.of(), Map.of());
    }

    /** This checkpoint with the run's {@code settings} and kept {@code files}. */
    public Checkpoint withRun(Map<String, String> runSettings, Map<String, String> keptFiles) {
        return new Checkpoint(epoch, steps, fingerprint, modules, optimizers, schedulers, random, history, runSettings, keptFiles);
    }

    /** The state dict of module {@code name}; throws naming the modules there are when it has none. */
    public Map<String, Tensor> module(String name) {
        Map<String, Tensor> m = modules.get(name);
        if (m == null) {
            throw new IllegalArgumentException("the checkpoint holds no module '" + name + "'; it holds " + modules.keySet());
        }
        return m;
    }

    private static List<String> names(Map<String, ?>... maps) {
        List<String> out = new ArrayList<>();
        Arrays.stream(maps).forEach(m -> out.addAll(m.keySet()));
        return out;
    }

    /** Writes atomically (temporary file, then rename); a crash mid-write leaves the previous checkpoint intact. */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        modules.forEach((n, sd) -> sd.forEach((k, v) -> tensors.put(MODULE + n + "." + k, v)));
        optimizers.forEach((n, sd) -> sd.forEach((k, v) -> tensors.put(OPTIM + n + "." + k, v)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("fingerprint", fingerprint);
        meta.put("epoch", Integer.toString(epoch));
        meta.put("steps", Long.toString(steps));
        meta.put("modules", String.join(",", modules.keySet()));
        meta.put("optimizers", String.join(",", optimizers.keySet()));
        schedulers.forEach((n, s) -> meta.put(SCHEDULER + n, Integer.toString(s)));
        random.forEach((n, r) -> meta.put(RANDOM + n, r.seed() + ":" + r.position()));
        meta.put("history", history.toCsv());
        settings.forEach((n, v) -> meta.put(SETTING + n, v));
        files.forEach((n, v) -> meta.put(FILE + n, v));
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
            throw new IOException("Not a Kiln training checkpoint of this version: " + file + " (format '" + meta.get("format")
                    + "', expected '" + FORMAT + "')");
        }
        try {
            Map<String, Map<String, Tensor>> modules = groups(required(meta, "modules", file));
            Map<String, Map<String, Tensor>> optimizers = groups(required(meta, "optimizers", file));
            c.tensors().forEach((k, v) -> {
                Map<String, Map<String, Tensor>> into = k.startsWith(MODULE) ? modules : k.startsWith(OPTIM) ? optimizers : null;
                if (into == null) {
                    throw new IllegalArgumentException("unexpected tensor '" + k + "'");
                }
                String rest = k.substring(k.indexOf('.') + 1);
                int dot = rest.indexOf('.');
                Map<String, Tensor> group = dot < 0 ? null : into.get(rest.substring(0, dot));
                if (group == null) {
                    throw new IllegalArgumentException("tensor '" + k + "' belongs to no listed module or optimizer");
                }
                group.put(rest.substring(dot + 1), v);
            });
            Map<String, Integer> schedulers = new LinkedHashMap<>();
            Map<String, RandomState> random = new LinkedHashMap<>();
            Map<String, String> settings = new LinkedHashMap<>();
            Map<String, String> files = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : meta.entrySet()) {
                if (e.getKey().startsWith(SCHEDULER)) {
                    schedulers.put(e.getKey().substring(SCHEDULER.length()), Integer.parseInt(e.getValue()));
                } else if (e.getKey().startsWith(RANDOM)) {
                    String[] f = e.getValue().split(":");
                    if (f.length != 2) {
                        throw new IllegalArgumentException("random stream '" + e.getKey() + "' is '" + e.getValue()
                                + "', expected seed:position");
                    }
                    random.put(e.getKey().substring(RANDOM.length()), new RandomState(Long.parseLong(f[0]), Long.parseLong(f[1])));
                } else if (e.getKey().startsWith(SETTING)) {
                    settings.put(e.getKey().substring(SETTING.length()), e.getValue());
                } else if (e.getKey().startsWith(FILE)) {
                    files.put(e.getKey().substring(FILE.length()), e.getValue());
                }
            }
            int epoch = Integer.parseInt(required(meta, "epoch", file));
            History history = History.parseCsv(required(meta, "history", file));
            if (history.size() != epoch) {
                throw new IOException("Damaged checkpoint " + file + ": epoch " + epoch + " but " + history.size()
                        + " epochs of history");
            }
            return new Checkpoint(epoch, Long.parseLong(required(meta, "steps", file)), required(meta, "fingerprint", file),
                    modules, optimizers, schedulers, random, history, settings, files);
        } catch (IllegalArgumentException e) {
            throw new IOException("Damaged checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Map<String, Tensor>> groups(String names) {
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (!n.isEmpty()) {
                out.put(n, new LinkedHashMap<>());
            }
        }
        return out;
    }

    private static String required(Map<String, String> meta, String key, Path file) throws IOException {
        String v = meta.get(key);
        if (v == null) {
            throw new IOException("Damaged checkpoint " + file + ": metadata '" + key + "' is missing");
        }
        return v;
    }
}
