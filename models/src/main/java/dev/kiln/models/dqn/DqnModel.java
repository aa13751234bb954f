package dev.kiln.models.dqn;

import dev.kiln.models.DemoDataset;
import dev.kiln.models.KilnModel;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.train.Steps;
import dev.kiln.models.train.TrainConfig;
import dev.kiln.models.train.TrainResult;
import dev.kiln.models.train.Trainer;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code kiln train dqn --env cartpole}: a {@link Dqn} agent trained by the general loop ({@link Trainer}),
 * one loop step per vector step of the environments, one epoch per {@link DqnConfig#epochSteps()}
 * environment steps with a greedy check as its evaluation; then the best network is evaluated greedily
 * on {@value #EVAL_EPISODES} fresh episodes and their mean return is the RESULT metric {@code eval_return}.
 * CartPole-v1 counts as solved at a mean of {@value #SOLVED} or more.
 */
public final class DqnModel implements KilnModel {

    public static final String NAME = "dqn";
    public static final String CARTPOLE = "cartpole";
    public static final int EVAL_EPISODES = 100;
    public static final double SOLVED = 475;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Deep Q-network (Double DQN, Huber loss, replay on the device) on batched environments; --env cartpole";
    }

    @Override
    public List<String> datasets() {
        return List.of(CARTPOLE);
    }

    @Override
    public String datasetKind() {
        return "environment";
    }

    @Override
    public List<DemoDataset> demoDatasets(RunRequest base) {
        return List.of(DemoDataset.available(CARTPOLE));
    }

    /** The preset for a request: quick or full, with --epochs, --batch-size and --lr applied. */
    static DqnConfig config(RunRequest req) {
        DqnConfig c = req.quick() ? DqnConfig.quick() : DqnConfig.cartPole();
        if (req.epochs() != null) {
            c = c.withTotalSteps((long) req.epochs() * c.epochSteps());
        }
        if (req.batchSize() != null) {
            c = c.withBatchSize(req.batchSize());
        }
        if (req.lr() != null) {
            c = c.withLr(req.lr());
        }
        if (Boolean.getBoolean("kiln.dqn.vanilla")) {
            c = c.withDoubleDqn(false);
        }
        return c;
    }

    @Override
    public RunResult train(RunRequest req) throws IOException {
        if (!req.dataset().equals(CARTPOLE)) {
            throw new IllegalArgumentException("Unknown environment '" + req.dataset() + "' for dqn; expected one of " + datasets());
        }
        if (req.resume()) {
            throw new IOException("dqn cannot --resume: its replay buffer and environments are not part of the checkpoint");
        }
        long start = System.nanoTime();
        DqnConfig c = config(req);
        Dqn agent = new Dqn(c, req.device(), req.seed());
        String title = NAME + "/" + CARTPOLE;
        TrainConfig tc = new TrainConfig(c.epochs(), 50, req.outDir(), false, req.log(), title, NAME + " " + c);
        TrainResult result = new Trainer(agent.state(), tc)
                .fit(Steps.fixed(c.epochSteps() / c.numEnvs(), c.numEnvs()), s -> agent.step(), agent::check);
        double[] returns = agent.finalEvaluation(EVAL_EPISODES);
        double mean = Dqn.mean(returns);
        if (req.log() != null) {
            int solved = 0;
            double min = Double.MAX_VALUE;
            for (double r : returns) {
                solved += r >= SOLVED ? 1 : 0;
                min = Math.min(min, r);
            }
            req.log().printf(Locale.ROOT, "%s: greedy evaluation of the best network on %d fresh episodes: mean return %.1f,"
                    + " min %.0f, %d episodes >= %.0f; CartPole-v1 %s%n", title, returns.length, mean, min, solved, SOLVED,
                    mean >= SOLVED ? "solved" : "not solved (needs a mean >= 475)");
        }
        return new RunResult(NAME, CARTPOLE, req.device(), "eval_return", mean, (System.nanoTime() - start) / 1e9, result);
    }

    /**
     * The best network of a {@code dqn} run's checkpoint ({@code checkpoint.kiln} or the run directory
     * holding it), on {@code device}.
     *
     * @throws IOException when the file is missing or damaged, or holds another model's checkpoint
     */
    public static dev.kiln.nn.Sequential loadBest(java.nio.file.Path checkpointOrDir, dev.kiln.Device device) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.isDirectory(checkpointOrDir)
                ? Trainer.checkpointPath(checkpointOrDir) : checkpointOrDir;
        if (!java.nio.file.Files.exists(file)) {
            throw new IOException("No checkpoint at " + file + " (train one with: kiln train dqn --env cartpole --out DIR)");
        }
        dev.kiln.models.train.Checkpoint c = dev.kiln.models.train.Checkpoint.load(file);
        if (!c.fingerprint().startsWith(NAME + " ")) {
            throw new IOException("Not a dqn checkpoint: " + file + " was written for '" + c.fingerprint() + "'");
        }
        java.util.Map<String, dev.kiln.Tensor> state = c.module("best");
        int hidden = 0;
        for (dev.kiln.Tensor t : state.values()) {
            if (t.rank() == 1) {
                hidden = t.size(0);  // the first bias: the hidden width
                break;
            }
        }
        dev.kiln.nn.Sequential net = Dqn.network(hidden, new dev.kiln.Generator(0), device);
        try {
            net.loadStateDict(state);
        } catch (IllegalArgumentException e) {
            throw new IOException("The dqn checkpoint " + file + " does not fit the Q-network: " + e.getMessage());
        }
        return net;
    }
}
