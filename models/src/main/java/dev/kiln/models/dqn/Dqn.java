package dev.kiln.models.dqn;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.DType;
import dev.kiln.nn.Activation;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;
import dev.kiln.nn.Sequential;
import dev.kiln.optim.Adam;
import dev.kiln.optim.GradClip;
import dev.kiln.rl.BatchedCartPole;
import dev.kiln.rl.CartPole;
import dev.kiln.models.train.Metrics;
import dev.kiln.models.train.TrainState;
import dev.kiln.models.train.WeightAverage;

import java.util.List;
import java.util.Map;

/**
 * Deep Q-learning (Mnih et al. 2015) on {@link BatchedCartPole}, with everything on the device: the
 * Q-network acts ε-greedily on all environments at once, transitions go into a device-resident
 * {@link ReplayBuffer}, minibatches are drawn and the Huber-loss update (Adam, global gradient-norm clip,
 * optional Double DQN targets, Polyak-averaged or periodically copied target network) runs there too.
 * {@link #step()} is the general training loop's step function: its metrics stay on the device until the
 * loop's sync window reads them; the host only picks ε.
 *
 * <p>Random streams are all Philox {@link Generator}s derived from the seed: initialisation, exploration,
 * sampling, the training environments, the periodic greedy checks and the final evaluation each have their
 * own, so a run is reproducible and the evaluation episodes are never seen in training.
 */
public final class Dqn {

    private static final long INIT = 0x1A17L, ACT = 0xAC7L, SAMPLE = 0x5A3FL, ENV = 0xE4B1L, CHECK = 0xC4ECL,
            EVAL = 0xE7A1L;

    private final DqnConfig cfg;
    private final Device device;
    private final long seed;
    private final Sequential online, target, best;
    private final Adam opt;
    private final ReplayBuffer replay;
    private final BatchedCartPole env;
    private final Generator actGen, sampleGen;
    private final Tensor actionIds, zero, half;
    private Tensor lastReturn;
    private final List<Tensor> onlineParams;
    private final WeightAverage polyak;
    private long envSteps;
    private long vectorSteps;
    private long updates;
    private int checks;
    private double bestCheck = Double.NEGATIVE_INFINITY;

    public Dqn(DqnConfig cfg, Device device, long seed) {
        this.cfg = cfg;
        this.device = device;
        this.seed = seed;
        Generator init = new Generator(derive(seed, INIT));
        this.online = network(cfg.hidden(), init, device);
        this.target = network(cfg.hidden(), init, device);
        this.best = network(cfg.hidden(), init, device);
        this.onlineParams = online.parameters();
        this.polyak = new WeightAverage(online, target);
        WeightAverage.copy(online, best);
        this.opt = new Adam(onlineParams, cfg.lr());
        this.replay = new ReplayBuffer(device, cfg.bufferSize(), CartPole.OBSERVATIONS, cfg.numEnvs());
        this.env = new BatchedCartPole(device, cfg.numEnvs());
        env.reset(derive(seed, ENV));
        this.actGen = new Generator(derive(seed, ACT));
        this.sampleGen = new Generator(derive(seed, SAMPLE));
        this.actionIds = Tensor.arange(0, CartPole.ACTIONS, 1).reshape(1, CartPole.ACTIONS).to(device);
        this.zero = Tensor.zeros(device, 1);
        this.half = Tensor.full(device, 0.5f, 1);
        this.lastReturn = Tensor.zeros(device, cfg.numEnvs());
    }

    /** The Q-network: observation → hidden → hidden → one Q-value per action, ReLU between. */
    public static Sequential network(int hidden, Generator g, Device device) {
        Sequential net = new Sequential(new Linear(CartPole.OBSERVATIONS, hidden, g), Activation.relu(),
                new Linear(hidden, hidden, g), Activation.relu(), new Linear(hidden, CartPole.ACTIONS, g));
        net.to(device);
        return net;
    }

    /** A seed for one purpose (SplitMix64 of seed and tag), so the streams never overlap. */
    static long derive(long seed, long tag) {
        long z = seed * 0x9E3779B97F4A7C15L + tag;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public DqnConfig config() {
        return cfg;
    }

    public Sequential online() {
        return online;
    }

    /** The network with the best greedy check so far. */
    public Sequential best() {
        return best;
    }

    public long envSteps() {
        return envSteps;
    }

    public long updates() {
        return updates;
    }

    public boolean finished() {
        return envSteps >= cfg.totalSteps();
    }

    /** Greedy actions (argmax Q) as FLOAT32 0/1, {@code [N]}. */
    static Tensor greedy(Module net, Tensor obs) {
        return net.forward(obs).argmax(1).toType(DType.FLOAT32);
    }

    /**
     * One vector step: every environment acts ε-greedily, the transitions go into the replay buffer, and
     * when due ({@code trainEvery}, after {@code learningStarts}) {@code gradSteps} updates run. Returns the
     * step's metrics as device scalars: {@code episode_return} (the mean over environments of each one's
     * most recently finished episode return; 0 before the first ends), {@code epsilon}, and after an update
     * {@code loss} (Huber) and {@code q_value} (mean Q(s, a) of the minibatch).
     */
    public Metrics step() {
        int n = cfg.numEnvs();
        float eps = cfg.epsilon(envSteps);
        Tensor epsT = Tensor.full(device, eps, 1);
        Metrics m = new Metrics();
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor obs = env.observation();
            Tensor u = Tensor.rand(actGen, device, 2, n);
            Tensor greedyA = greedy(online, obs);
            Tensor explore = u.select(0, 0).lt(epsT);
            Tensor randomA = u.select(0, 1).gt(half);
            Tensor a = greedyA.add(explore.mul(randomA.sub(greedyA)));
            Tensor obsCopy = obs.mul(1f);  // the step overwrites the observation tensor
            BatchedCartPole.Step st = env.step(a);
            replay.add(obsCopy, a, st.reward(), st.nextObservation(), st.terminated());
            Tensor fin = st.finishedReturn();
            Tensor ended = fin.gt(zero);
            lastReturn.assign(lastReturn.add(ended.mul(fin.sub(lastReturn))));   // in place: it outlives the step
            m.mean("episode_return", lastReturn.mean(), 1).mean("epsilon", epsT, 1);
        }
        envSteps += n;
        vectorSteps++;
        if (envSteps >= cfg.learningStarts() && vectorSteps % cfg.trainEvery() == 0 && cfg.gradSteps() > 0) {
            Tensor lossSum = null, qSum = null;
            for (int k = 0; k < cfg.gradSteps(); k++) {
                Tensor[] lq = update();
                lossSum = lossSum == null ? lq[0] : lossSum.add(lq[0]);
                qSum = qSum == null ? lq[1] : qSum.add(lq[1]);
            }
            m.mean("loss", lossSum.div(cfg.gradSteps()), 1).mean("q_value", qSum.div(cfg.gradSteps()), 1);
        }
        return m;
    }

    /**
     * The greedy check after an epoch: {@code evalEpisodes} fresh episodes (a new seed each time, never a
     * training or final-evaluation seed); the online network is copied to {@link #best()} when it scores
     * at least as well as the best so far. Also reports that an environment saw a bad action, if one did.
     */
    public Map<String, Double> check() {
        env.checkActions();
        checks++;
        double r = mean(evaluate(online, device, cfg.evalEpisodes(), derive(seed, CHECK + checks)));
        if (r >= bestCheck) {
            bestCheck = r;
            WeightAverage.copy(online, best);
        }
        return Map.of("greedy_return", r);
    }

    /** The modules, optimizer and random streams, for the general training loop's checkpoint. */
    public TrainState state() {
        return new TrainState().module("online", online).module("target", target).module("best", best)
                .optimizer("adam", opt).random("explore", actGen).random("replay", sampleGen);
    }

    /** One gradient step on a sampled minibatch; returns the loss and the mean Q(s, a), still on the device. */
    private Tensor[] update() {
        ReplayBuffer.Batch b = replay.sample(sampleGen, cfg.batchSize());
        Tensor y = targets(online, target, b, cfg.gamma(), cfg.doubleDqn(), actionIds);
        opt.zeroGrad();
        Tensor qsa = online.forward(b.obs()).mul(oneHot(b.action(), actionIds)).sum(1, false);
        Tensor loss = huber(qsa.sub(y)).mean();
        loss.backward();
        GradClip.clipGradNorm(onlineParams, cfg.maxGradNorm());
        opt.step();
        updates++;
        try (Autograd.Scope s = Autograd.noGrad()) {
            if (cfg.tau() < 1f) {
                polyak.update(cfg.tau());
            } else if (updates % cfg.targetEvery() == 0) {
                WeightAverage.copy(online, target);
            }
            return new Tensor[] {loss.detach(), qsa.detach().mean()};
        }
    }

    /**
     * The regression targets {@code r + γ·(1 − terminated)·Q_target(s', a*)}, without gradient: {@code a*} is
     * the online network's argmax for Double DQN, else the target network's own (its max). {@code actionIds}
     * is {@code [1, A]} holding 0 … A−1 on the batch's device.
     */
    static Tensor targets(Module online, Module target, ReplayBuffer.Batch b, float gamma, boolean doubleDqn,
                          Tensor actionIds) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor qNextTarget = target.forward(b.nextObs());
            Tensor qNext;
            if (doubleDqn) {
                Tensor pick = online.forward(b.nextObs()).argmax(1).toType(DType.FLOAT32);
                qNext = qNextTarget.mul(oneHot(pick, actionIds)).sum(1, false);
            } else {
                qNext = qNextTarget.max(1, false);
            }
            Tensor notDone = b.terminated().neg().add(1f);
            return b.reward().add(qNext.mul(notDone).mul(gamma));
        }
    }

    /** {@code [B]} actions → {@code [B, A]} one-hot rows, given {@code ids = [[0, 1, …, A−1]]}. */
    private static Tensor oneHot(Tensor actions, Tensor ids) {
        return actions.reshape(actions.size(0), 1).eq(ids);
    }

    /** The target network (for tests). */
    Sequential target() {
        return target;
    }

    /** Huber (smooth-L1) loss with δ = 1, elementwise: ½d² for |d| ≤ 1, |d| − ½ beyond. */
    static Tensor huber(Tensor d) {
        Tensor a = d.abs();
        Tensor m = a.minimum(Tensor.full(d.device(), 1f, 1));
        return m.square().mul(0.5f).add(a.sub(m));
    }

    /**
     * Returns of {@code episodes} greedy episodes of {@code net}, one per environment of a batch started
     * from {@code seed}: each environment's first episode (CartPole-v1 truncates at 500 steps, so all have
     * ended after 500 vector steps). The returns are read to the host once, at the end.
     */
    public static double[] evaluate(Module net, Device device, int episodes, long seed) {
        BatchedCartPole env = new BatchedCartPole(device, episodes);
        env.reset(seed);
        Tensor first = Tensor.zeros(device, episodes), over = Tensor.zeros(device, episodes);
        Tensor zero = Tensor.zeros(device, 1);
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int t = 0; t < env.maxSteps(); t++) {
                BatchedCartPole.Step st = env.step(greedy(net, env.observation()));
                Tensor fin = st.finishedReturn();
                first = first.add(fin.mul(over.neg().add(1f)));
                over = over.maximum(fin.gt(zero));
            }
        }
        float[] r = first.toFloatArray();
        double[] out = new double[episodes];
        for (int i = 0; i < episodes; i++) {
            out[i] = r[i];
        }
        return out;
    }

    /** The final evaluation: 100 greedy episodes of {@link #best()} from seeds never used in training. */
    public double[] finalEvaluation(int episodes) {
        return evaluate(best(), device, episodes, derive(seed, EVAL));
    }

    static double mean(double[] r) {
        double s = 0;
        for (double v : r) {
            s += v;
        }
        return s / r.length;
    }
}
