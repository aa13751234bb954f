package dev.kiln.rl;

import dev.kiln.spi.TensorStorage;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;

import java.util.Arrays;

/**
 * N {@link CartPole}s stepped together on one device: one kernel launch per step on CUDA
 * ({@code kiln_cartpole_step_f32}), array loops on the CPU, with the same numbers on both for the same
 * seed. Episodes that end are reset inside the step (auto-reset), their new first states drawn from the
 * counter-based Philox stream of the seed: after {@code reset(seed)} the stream offset is {@code 4N}, and
 * step {@code t} (from 0) resets environment {@code i} from Philox block {@code N·(t + 1) + i}, whether or
 * not it needs it — so the draws depend only on the seed, the step and the environment.
 *
 * <p>Environment 0's first state after {@code reset(seed)} is {@link CartPole#reset(long) CartPole.reset(seed)}'s.
 * The state is kept exactly in double precision (the FLOAT32 observation plus two FLOAT32 remainders) and
 * stepped with {@link CartPole}'s equations in the same order, with one difference: sine and cosine are
 * fixed polynomials ({@code CartPole.sin/cos}) evaluated with unfused operations, so the CPU, the CUDA
 * kernel and the emulator produce the same bits. (The pole's open-loop instability, e^{4t}, turns any
 * last-bit difference into a visible one within a few hundred steps, so "nearly the same sine" would not
 * do.) Against the single {@link CartPole}, which uses {@link StrictMath}, trajectories therefore agree
 * closely for the first couple of hundred steps and then drift apart.
 *
 * <p>The tensors stay on the device; nothing is read to the host except by {@link #checkActions()}.
 * The observation tensor is updated in place by each step: copy what must outlive the next step.
 */
public final class BatchedCartPole {

    /** What one step returns, all FLOAT32 on the environments' device ({@code [N, 4]} or {@code [N]}). */
    public record Step(Tensor nextObservation, Tensor reward, Tensor terminated, Tensor truncated,
                       Tensor finishedReturn) {
    }

    private final Device device;
    private final int n;
    private final int maxSteps;
    private final CartPoleKernels kernels;
    private final Tensor obs, rest, steps, error;
    private long seed;
    private long offset;
    private boolean started;

    /** {@code n} environments with CartPole-v1's 500-step limit. */
    public BatchedCartPole(Device device, int n) {
        this(device, n, CartPole.MAX_STEPS);
    }

    public BatchedCartPole(Device device, int n, int maxSteps) {
        if (n < 1) {
            throw new IllegalArgumentException("BatchedCartPole needs at least one environment, got " + n);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be positive, got " + maxSteps);
        }
        this.device = device;
        this.n = n;
        this.maxSteps = maxSteps;
        this.obs = Tensor.zeros(device, n, 4);
        this.kernels = TensorStorage.backend(obs).kernels(CartPoleKernels.class);
        this.rest = Tensor.zeros(device, n, 8);
        this.steps = Tensor.zeros(device, n);
        this.error = Tensor.zeros(device, 1);
    }

    public int size() {
        return n;
    }

    public Device device() {
        return device;
    }

    public int maxSteps() {
        return maxSteps;
    }

    /** The Philox stream offset the next step's resets draw from. */
    public long offset() {
        return offset;
    }

    /** Starts every environment's episode from stream {@code seed}; returns the observations {@code [N, 4]}. */
    public Tensor reset(long seed) {
        this.seed = seed;
        kernels.reset(TensorStorage.buffer(obs), TensorStorage.buffer(rest), TensorStorage.buffer(steps), n, seed, 0);
        offset = 4L * n;
        started = true;
        return obs;
    }

    /** The current observations {@code [N, 4]} (overwritten by the next step). */
    public Tensor observation() {
        requireStarted();
        return obs;
    }

    /** Steps taken in each environment's current episode, {@code [N]} (overwritten by the next step). */
    public Tensor episodeSteps() {
        requireStarted();
        return steps;
    }

    /**
     * Steps every environment with {@code action} (FLOAT32 {@code [N]}, each 0 or 1, on this device).
     * On the CPU a bad action throws at once; on CUDA it is recorded and {@link #checkActions()} reports it.
     */
    public Step step(Tensor action) {
        requireStarted();
        if (action.dtype() != DType.FLOAT32 || action.numel() != n) {
            throw new IllegalArgumentException("BatchedCartPole.step needs FLOAT32 actions of " + n + " elements, got "
                    + action.dtype() + " " + Arrays.toString(action.shape()));
        }
        if (!action.device().equals(device)) {
            throw new IllegalArgumentException("actions are on " + action.device() + ", the environments on " + device);
        }
        Tensor next = Tensor.empty(device, DType.FLOAT32, n, 4);
        Tensor reward = Tensor.empty(device, DType.FLOAT32, n);
        Tensor term = Tensor.empty(device, DType.FLOAT32, n);
        Tensor trunc = Tensor.empty(device, DType.FLOAT32, n);
        Tensor fin = Tensor.empty(device, DType.FLOAT32, n);
        kernels.step(TensorStorage.buffer(action), TensorStorage.buffer(obs), TensorStorage.buffer(rest), TensorStorage.buffer(steps), TensorStorage.buffer(next), TensorStorage.buffer(reward),
                TensorStorage.buffer(term), TensorStorage.buffer(trunc), TensorStorage.buffer(fin), TensorStorage.buffer(error), n, seed, offset, maxSteps);
        offset += 4L * n;
        return new Step(next, reward, term, trunc, fin);
    }

    /**
     * Reads the device's bad-action flag (one small transfer): throws naming the first environment seen
     * with an action other than 0 or 1 since the environments were created.
     */
    public void checkActions() {
        float e = error.toFloatArray()[0];
        if (e != 0f) {
            throw new IllegalArgumentException("CartPole action must be 0 or 1: environment " + ((long) e - 1)
                    + " of " + n + " got another value (left unchanged by that step)");
        }
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("BatchedCartPole used before reset(seed)");
        }
    }
}
