package dev.kiln.models.train;

import dev.kiln.Generator;
import dev.kiln.nn.Module;
import dev.kiln.optim.LRScheduler;
import dev.kiln.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named pieces of a training run that a checkpoint saves and a resume restores: any number of
 * modules, optimizers, learning-rate schedules and random streams. A classifier registers one of
 * each ({@code model}, {@code optimizer}, {@code schedule}, {@code dropout}); a GAN two modules
 * and two optimizers; an agent its online and target networks and its exploration stream.
 *
 * <pre>{@code
 * TrainState state = new TrainState()
 *         .module("generator", g).module("discriminator", d)
 *         .optimizer("g", optG).optimizer("d", optD)
 *         .random("noise", noise);
 * }</pre>
 *
 * <p>The {@link Trainer} puts every module in training mode for the steps and in eval mode for
 * the evaluation. Names are lower case letters, digits, '_' and '-'.
 */
public final class TrainState {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final Map<String, Optimizer> optimizers = new LinkedHashMap<>();
    private final Map<String, LRScheduler> schedulers = new LinkedHashMap<>();
    private final Map<String, RandomStream> random = new LinkedHashMap<>();

    /** Registers a module (already on its device). */
    public TrainState module(String name, Module m) {
        return put(modules, name, m);
    }

    /** Registers an optimizer; its learning rate becomes the {@code lr} (or {@code lr_<name>}) column. */
    public TrainState optimizer(String name, Optimizer o) {
        return put(optimizers, name, o);
    }

    /** Registers a learning-rate schedule (the step function steps it). */
    public TrainState scheduler(String name, LRScheduler s) {
        return put(schedulers, name, s);
    }

    /** Registers a random stream. */
    public TrainState random(String name, RandomStream s) {
        return put(random, name, s);
    }

    /** Registers a generator as a random stream. */
    public TrainState random(String name, Generator g) {
        return random(name, RandomStream.of(g));
    }

    private <T> TrainState put(Map<String, T> into, String name, T value) {
        checkName(name);
        Objects.requireNonNull(value, name);
        if (into.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is registered twice");
        }
        into.put(name, value);
        return this;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A name in a training state is lower case letters, digits, '_' and '-', "
                    + "starting with a letter; got '" + name + "'");
        }
    }

    /** The registered modules, in registration order. */
    public Map<String, Module> modules() {
        return Collections.unmodifiableMap(modules);
    }

    /** The registered optimizers, in registration order. */
    public Map<String, Optimizer> optimizers() {
        return Collections.unmodifiableMap(optimizers);
    }

    /** Every module to training ({@code true}) or eval mode. */
    void setTraining(boolean on) {
        modules.values().forEach(m -> m.train(on));
    }

    /** The learning rates now, by history column: {@code lr} for one optimizer, {@code lr_<name>} for several. */
    Map<String, Double> learningRates() {
        Map<String, Double> out = new LinkedHashMap<>();
        optimizers.forEach((n, o) -> out.put(optimizers.size() == 1 ? "lr" : "lr_" + n, (double) o.lr()));
        return out;
    }

    /** Everything registered, as a checkpoint after {@code epoch} epochs and {@code steps} steps. */
    public Checkpoint snapshot(int epoch, long steps, String fingerprint, History history) {
        Map<String, Map<String, dev.kiln.Tensor>> m = new LinkedHashMap<>();
        modules.forEach((n, v) -> m.put(n, v.stateDict()));
        Map<String, Map<String, dev.kiln.Tensor>> o = new LinkedHashMap<>();
        optimizers.forEach((n, v) -> o.put(n, v.stateDict()));
        Map<String, Integer> s = new LinkedHashMap<>();
        schedulers.forEach((n, v) -> s.put(n, v.steps()));
        Map<String, Checkpoint.RandomState> r = new LinkedHashMap<>();
        random.forEach((n, v) -> r.put(n, new Checkpoint.RandomState(v.seed(), v.position())));
        return new Checkpoint(epoch, steps, fingerprint, m, o, s, r, history);
    }

    /**
     * Loads {@code c} into the registered pieces: state dicts, optimizer states, schedule steps
     * (which set the optimizers' rates) and stream positions.
     *
     * @param file named in the errors
     * @throws IOException when the checkpoint holds other names than those registered, a stream
     *                     has another seed (another {@code --seed}), or a state does not fit
     */
    public void restore(Checkpoint c, Path file) throws IOException {
        sameNames(file, "modules", modules.keySet(), c.modules().keySet());
        sameNames(file, "optimizers", optimizers.keySet(), c.optimizers().keySet());
        sameNames(file, "schedules", schedulers.keySet(), c.schedulers().keySet());
        sameNames(file, "random streams", random.keySet(), c.random().keySet());
        for (Map.Entry<String, RandomStream> e : random.entrySet()) {
            long saved = c.random().get(e.getKey()).seed();
            if (saved != e.getValue().seed()) {
                throw new IOException("Cannot resume from " + file + ": it was trained with another --seed (its random stream '"
                        + e.getKey() + "' starts from " + saved + ", this run's from " + e.getValue().seed()
                        + "); pass the --seed of the run that wrote it");
            }
        }
        try {
            for (Map.Entry<String, Module> e : modules.entrySet()) {
                e.getValue().loadStateDict(c.module(e.getKey()));
            }
            for (Map.Entry<String, Optimizer> e : optimizers.entrySet()) {
                e.getValue().loadStateDict(c.optimizers().get(e.getKey()));
            }
            for (Map.Entry<String, LRScheduler> e : schedulers.entrySet()) {
                e.getValue().setSteps(c.schedulers().get(e.getKey()));
            }
            for (Map.Entry<String, RandomStream> e : random.entrySet()) {
                e.getValue().seek(c.random().get(e.getKey()).position());
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot resume from " + file + ": " + e.getMessage(), e);
        }
    }

    private static void sameNames(Path file, String what, Set<String> here, Set<String> saved) throws IOException {
        if (!here.equals(saved)) {
            throw new IOException("Cannot resume from " + file + ": it holds the " + what + " " + saved + ", this run has "
                    + here);
        }
    }
}
