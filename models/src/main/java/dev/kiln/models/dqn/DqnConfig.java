package dev.kiln.models.dqn;

/**
 * DQN hyper-parameters. Steps are environment steps (all {@code numEnvs} environments together count
 * {@code numEnvs} per vector step).
 *
 * @param hidden          width of the Q-network's two hidden ReLU layers
 * @param numEnvs         cart-poles stepped together
 * @param totalSteps      environment steps of training
 * @param bufferSize      replay capacity in transitions (rounded up to a multiple of {@code numEnvs})
 * @param batchSize       transitions per gradient step
 * @param lr              Adam learning rate
 * @param gamma           discount
 * @param epsStart        ε at the start (ε-greedy exploration)
 * @param epsEnd          ε after the decay
 * @param epsFraction     fraction of {@code totalSteps} over which ε decays linearly
 * @param learningStarts  environment steps of pure exploration before the first update
 * @param trainEvery      vector steps between rounds of updates
 * @param gradSteps       gradient steps per round
 * @param tau             target network: Polyak factor per gradient step ({@code tau < 1}), or 1 for a
 *                        hard copy every {@code targetEvery} gradient steps
 * @param targetEvery     gradient steps between hard copies (used when {@code tau == 1})
 * @param maxGradNorm     global gradient-norm clip
 * @param doubleDqn       Double DQN targets (the online network picks the next action, the target rates it)
 * @param epochSteps      environment steps per epoch of the training loop (one history row, one greedy
 *                        check on {@code evalEpisodes} fresh episodes; the best network so far is kept and
 *                        evaluated at the end)
 * @param evalEpisodes    episodes per greedy check
 */
public record DqnConfig(int hidden, int numEnvs, long totalSteps, int bufferSize, int batchSize, float lr, float gamma,
                        float epsStart, float epsEnd, float epsFraction, long learningStarts, int trainEvery,
                        int gradSteps, float tau, int targetEvery, float maxGradNorm, boolean doubleDqn,
                        int epochSteps, int evalEpisodes) {

    public DqnConfig {
        if (hidden < 1 || numEnvs < 1 || totalSteps < 1 || bufferSize < numEnvs || batchSize < 1 || !(lr > 0)
                || !(gamma >= 0 && gamma <= 1) || trainEvery < 1 || gradSteps < 0 || !(tau > 0 && tau <= 1)
                || targetEvery < 1 || !(maxGradNorm > 0) || epochSteps < numEnvs || epochSteps % numEnvs != 0
                || totalSteps % epochSteps != 0 || evalEpisodes < 1) {
            throw new IllegalArgumentException("Invalid DQN configuration: " + this);
        }
    }

    /** The full CartPole-v1 preset. */
    public static DqnConfig cartPole() {
        return new DqnConfig(128, 4, 120_000, 50_000, 128, 5e-4f, 0.99f, 1f, 0.02f, 0.25f, 2_000, 1, 1,
                0.005f, 1, 10f, true, 4_000, 20);
    }

    /** The demo's quick run: a few seconds on a CPU. */
    public static DqnConfig quick() {
        return new DqnConfig(64, 4, 8_000, 8_000, 64, 1e-3f, 0.99f, 1f, 0.05f, 0.5f, 500, 1, 1,
                0.01f, 1, 10f, true, 1_000, 10);
    }

    /** Epochs of the training loop. */
    public int epochs() {
        return (int) (totalSteps / epochSteps);
    }

    public DqnConfig withTotalSteps(long steps) {
        return new DqnConfig(hidden, numEnvs, steps, bufferSize, batchSize, lr, gamma, epsStart, epsEnd, epsFraction,
                learningStarts, trainEvery, gradSteps, tau, targetEvery, maxGradNorm, doubleDqn, epochSteps, evalEpisodes);
    }

    public DqnConfig withBatchSize(int b) {
        return new DqnConfig(hidden, numEnvs, totalSteps, bufferSize, b, lr, gamma, epsStart, epsEnd, epsFraction,
                learningStarts, trainEvery, gradSteps, tau, targetEvery, maxGradNorm, doubleDqn, epochSteps, evalEpisodes);
    }

    public DqnConfig withLr(float rate) {
        return new DqnConfig(hidden, numEnvs, totalSteps, bufferSize, batchSize, rate, gamma, epsStart, epsEnd,
                epsFraction, learningStarts, trainEvery, gradSteps, tau, targetEvery, maxGradNorm, doubleDqn, epochSteps,
                evalEpisodes);
    }

    public DqnConfig withDoubleDqn(boolean on) {
        return new DqnConfig(hidden, numEnvs, totalSteps, bufferSize, batchSize, lr, gamma, epsStart, epsEnd,
                epsFraction, learningStarts, trainEvery, gradSteps, tau, targetEvery, maxGradNorm, on, epochSteps,
                evalEpisodes);
    }

    /** ε after {@code step} environment steps: linear from {@code epsStart} to {@code epsEnd}. */
    public float epsilon(long step) {
        double span = Math.max(1, epsFraction * totalSteps);
        double f = Math.min(1, step / span);
        return (float) (epsStart + f * (epsEnd - epsStart));
    }
}
