package dev.kiln.models.dqn;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.RunRequest;
import dev.kiln.models.RunResult;
import dev.kiln.models.cli.KilnCli;
import dev.kiln.nn.Module;
import dev.kiln.rl.BatchedCartPole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DQN on CartPole: quick mode learns, the loss and evaluation are right, the CLI refuses what it should. */
class DqnTest {

    /** How far the quick run's greedy return must beat a random policy's (measured: see models/README.md). */
    static final double QUICK_MARGIN = 50;

    /** Mean return of uniformly random actions on {@code episodes} fresh CartPole episodes (about 22). */
    static double randomPolicyReturn(int episodes, long seed) {
        BatchedCartPole env = new BatchedCartPole(Device.cpu(), episodes);
        env.reset(seed);
        Generator g = new Generator(seed);
        float[] first = new float[episodes];
        for (int t = 0; t < env.maxSteps(); t++) {
            float[] fin = env.step(Tensor.rand(g, episodes).gt(Tensor.full(0.5f, 1))).finishedReturn().toFloatArray();
            for (int i = 0; i < episodes; i++) {
                if (first[i] == 0) {
                    first[i] = fin[i];
                }
            }
        }
        double s = 0;
        for (float f : first) {
            s += f;
        }
        return s / episodes;
    }

    @Test
    void quickModeLearnsFarBeyondARandomPolicy(@TempDir Path dir) throws Exception {
        double random = randomPolicyReturn(100, 99);
        assertTrue(random > 15 && random < 30, "a random policy lasts about 22 steps, got " + random);
        RunRequest req = RunRequest.of(DqnModel.CARTPOLE, Device.cpu(), 1).withQuick(true).withOut(dir, false);
        RunResult r = new DqnModel().train(req);
        assertEquals("eval_return", r.metric());
        assertTrue(r.value() >= random + QUICK_MARGIN, "quick DQN greedy return " + r.value()
                + " must beat the random policy's " + random + " by " + QUICK_MARGIN);
        List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
        String header = csv.get(0);
        for (String col : new String[] {"train_episode_return", "train_epsilon", "train_loss", "train_q_value",
                "test_greedy_return"}) {
            assertTrue(header.contains(col), col + " in " + header);
        }
        assertEquals(DqnConfig.quick().epochs() + 1, csv.size(), "one row per epoch");
        assertTrue(Files.size(dir.resolve("curves.png")) > 1000);
    }

    @Test
    void aRunIsReproducible() {
        DqnConfig c = DqnConfig.quick().withTotalSteps(2_000);
        float[][] w = new float[2][];
        for (int k = 0; k < 2; k++) {
            Dqn agent = new Dqn(c, Device.cpu(), 5);
            for (int s = 0; s < 500; s++) {
                agent.step();
            }
            w[k] = agent.online().parameters().get(0).toFloatArray();
            assertTrue(agent.updates() > 0);
        }
        assertArrayEquals(w[0], w[1]);
    }

    @Test
    void huberIsQuadraticInsideAndLinearOutside() {
        Tensor d = Tensor.fromArray(new float[] {-3f, -1f, -0.5f, 0f, 0.25f, 1f, 2.5f}, 7).requiresGrad(true);
        Tensor h = Dqn.huber(d);
        assertArrayEquals(new float[] {2.5f, 0.5f, 0.125f, 0f, 0.03125f, 0.5f, 2f}, h.toFloatArray(), 1e-6f);
        h.sum().backward();
        assertArrayEquals(new float[] {-1f, -1f, -0.5f, 0f, 0.25f, 1f, 1f}, d.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void evaluationCountsEachEnvironmentsFirstEpisode() {
        // A network that always prefers action 1: every episode ends in under 20 steps, all the same way.
        Module pushRight = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return Tensor.cat(List.of(x.sum(1, true).mul(0f), x.sum(1, true).mul(0f).add(1f)), 1);
            }
        };
        double[] r = Dqn.evaluate(pushRight, Device.cpu(), 7, 3);
        assertEquals(7, r.length);
        for (double v : r) {
            assertTrue(v >= 5 && v < 20, "pushing right falls fast: " + v);
        }
        assertArrayEquals(r, Dqn.evaluate(pushRight, Device.cpu(), 7, 3));
    }

    /** A network whose Q-values ignore the input: {@code [q0, q1]} for every row. */
    private static Module constant(float q0, float q1) {
        return new Module() {
            @Override
            public Tensor forward(Tensor x) {
                Tensor zero = x.sum(1, true).mul(0f);
                return Tensor.cat(List.of(zero.add(q0), zero.add(q1)), 1);
            }
        };
    }

    @Test
    void doubleDqnRatesTheOnlineNetworksChoiceWithTheTargetNetwork() {
        // online prefers action 0, the target rates action 0 at 5 and action 1 at 7
        Module online = constant(1f, 0f), target = constant(5f, 7f);
        ReplayBuffer.Batch b = new ReplayBuffer.Batch(Tensor.zeros(3, 4), Tensor.zeros(3),
                Tensor.fromArray(new float[] {1f, 1f, 0.5f}, 3), Tensor.zeros(3, 4), Tensor.fromArray(new float[] {0f, 1f, 0f}, 3));
        Tensor ids = Tensor.arange(0, 2, 1).reshape(1, 2);
        assertArrayEquals(new float[] {1f + 0.9f * 5f, 1f, 0.5f + 0.9f * 5f},
                Dqn.targets(online, target, b, 0.9f, true, ids).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1f + 0.9f * 7f, 1f, 0.5f + 0.9f * 7f},
                Dqn.targets(online, target, b, 0.9f, false, ids).toFloatArray(), 1e-6f, "vanilla DQN takes the target's max");
    }

    @Test
    void aHardTargetCopyHappensEveryTargetEveryUpdates() {
        DqnConfig q = DqnConfig.quick();
        DqnConfig c = new DqnConfig(q.hidden(), q.numEnvs(), q.totalSteps(), q.bufferSize(), q.batchSize(), q.lr(), q.gamma(),
                q.epsStart(), q.epsEnd(), q.epsFraction(), 16, 1, 1, 1f, 3, q.maxGradNorm(), false, q.epochSteps(),
                q.evalEpisodes());
        Dqn agent = new Dqn(c, Device.cpu(), 9);
        while (agent.updates() < 3) {
            agent.step();
        }
        assertArrayEquals(agent.online().parameters().get(0).toFloatArray(), agent.target().parameters().get(0).toFloatArray(),
                "copied at the third update");
        agent.step();
        assertEquals(4, agent.updates());
        float[] on = agent.online().parameters().get(0).toFloatArray(), tg = agent.target().parameters().get(0).toFloatArray();
        assertTrue(!java.util.Arrays.equals(on, tg), "not copied at the fourth");
    }

    @Test
    void theCliRefusesAnUnknownEnvironment() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = KilnCli.run(new String[] {"train", "dqn", "--env", "mountaincar"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertTrue(e.contains("Unknown environment 'mountaincar' for dqn") && e.contains("cartpole"), e);
    }
}
