package dev.kiln.rl;

import dev.kiln.Generator;

import java.util.Arrays;

/**
 * The cart-pole of Barto, Sutton and Anderson (1983) with the constants and semantics of Gymnasium's
 * CartPole-v1, one environment in double precision on the host.
 *
 * <p>State {@code (x, ẋ, θ, θ̇)}: cart position (m), cart velocity, pole angle from vertical (rad),
 * angular velocity. Action 0 pushes the cart left, 1 right, with a force of {@value #FORCE} N. One step
 * is {@value #TAU} s of explicit Euler integration of
 * <pre>
 *   temp = (F + m_p·l·θ̇²·sin θ) / (m_c + m_p)
 *   θ̈    = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / (m_c + m_p)))
 *   ẍ    = temp − m_p·l·θ̈·cos θ / (m_c + m_p)
 *   x += τ·ẋ,  ẋ += τ·ẍ,  θ += τ·θ̇,  θ̇ += τ·θ̈       (positions use the old velocities)
 * </pre>
 * with g = 9.8, m_c = 1.0, m_p = 0.1 and l = 0.5 (half the pole's length). Every step earns reward 1,
 * including the one that ends the episode. The episode terminates when |x| &gt; 2.4 or
 * |θ| &gt; 12·2π/360 after a step, and is truncated after {@value #MAX_STEPS} steps. {@link #reset(long)}
 * draws each state variable uniformly in [−0.05, 0.05) from the Philox stream of the seed (counters 0–3:
 * {@code fma(0.1, u, −0.05)} with {@code u} the {@link Generator} uniform), exactly as
 * {@link BatchedCartPole} draws environment 0's first state.
 */
public final class CartPole {

    public static final double GRAVITY = 9.8;
    public static final double MASS_CART = 1.0;
    public static final double MASS_POLE = 0.1;
    public static final double TOTAL_MASS = MASS_CART + MASS_POLE;
    /** Half the pole's length (m). */
    public static final double HALF_LENGTH = 0.5;
    public static final double POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;
    public static final double FORCE = 10.0;
    public static final double TAU = 0.02;
    /** 12 degrees in radians. */
    public static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;
    public static final double X_LIMIT = 2.4;
    public static final int MAX_STEPS = 500;
    /** Observation size and number of actions. */
    public static final int OBSERVATIONS = 4, ACTIONS = 2;

    /** The outcome of one step: the new observation, the reward and whether the episode ended. */
    public record Step(double[] observation, double reward, boolean terminated, boolean truncated) {
        public boolean done() {
            return terminated || truncated;
        }
    }

    private final double[] s = new double[4];
    private int steps;
    private boolean started;
    private boolean over;

    /** Starts an episode from the initial state drawn for {@code seed}; returns the observation. */
    public double[] reset(long seed) {
        double[] init = initialState(seed, 0);
        System.arraycopy(init, 0, s, 0, 4);
        steps = 0;
        started = true;
        over = false;
        return s.clone();
    }

    /** The state at counters {@code counter .. counter + 3} of stream {@code seed}: uniform in [−0.05, 0.05). */
    static double[] initialState(long seed, long counter) {
        float[] u = new float[4];
        Generator.uniform(seed, counter, u, 0, 4);
        double[] out = new double[4];
        for (int k = 0; k < 4; k++) {
            out[k] = Math.fma(0.1, u[k], -0.05);
        }
        return out;
    }

    /**
     * Applies {@code action} (0 = push left, 1 = push right) for one step.
     *
     * @throws IllegalArgumentException for an action other than 0 or 1
     * @throws IllegalStateException before the first {@link #reset}, or after the episode ended
     */
    public Step step(int action) {
        if (action != 0 && action != 1) {
            throw new IllegalArgumentException("CartPole action must be 0 (left) or 1 (right), got " + action);
        }
        if (!started) {
            throw new IllegalStateException("CartPole.step called before reset(seed)");
        }
        if (over) {
            throw new IllegalStateException("CartPole.step called after the episode ended (at step " + steps
                    + "); call reset(seed) first");
        }
        advance(s, action);
        steps++;
        boolean terminated = terminated(s);
        boolean truncated = steps >= MAX_STEPS;
        over = terminated || truncated;
        return new Step(s.clone(), 1.0, terminated, truncated);
    }

    /** One Euler step of {@code state} in place with {@link StrictMath}'s sine and cosine (Gym's order of operations). */
    static void advance(double[] state, int action) {
        advance(state, action, false);
    }

    /**
     * One Euler step of {@code state} in place. {@code portableTrig} selects {@link #sin}/{@link #cos}, the
     * polynomials {@link BatchedCartPole} uses on every backend, instead of {@link StrictMath}'s.
     */
    static void advance(double[] state, int action, boolean portableTrig) {
        double x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3];
        double force = action == 1 ? FORCE : -FORCE;
        double cos = portableTrig ? cos(theta) : StrictMath.cos(theta);
        double sin = portableTrig ? sin(theta) : StrictMath.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp)
                / (HALF_LENGTH * (4.0 / 3.0 - MASS_POLE * (cos * cos) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        state[0] = x + TAU * xDot;
        state[1] = xDot + TAU * xAcc;
        state[2] = theta + TAU * thetaDot;
        state[3] = thetaDot + TAU * thetaAcc;
    }

    /** Taylor coefficients of (sin θ − θ)/θ³ and (cos θ − 1)/θ² in θ², highest power first. */
    private static final double[] SIN_TAYLOR = {-7.647163731819816e-13, 1.6059043836821613e-10, -2.505210838544172e-08,
        2.7557319223985893e-06, -0.0001984126984126984, 0.008333333333333333, -0.16666666666666666};
    private static final double[] COS_TAYLOR = {4.779477332387385e-14, -1.1470745597729725e-11, 2.08767569878681e-09,
        -2.755731922398589e-07, 2.48015873015873e-05, -0.001388888888888889, 0.041666666666666664, -0.5};

    /**
     * sin θ by its Taylor series through θ^15 in Horner form, plain (unfused) double operations in a fixed
     * order, so Java and the CUDA kernel get the same bits. For |θ| ≤ 12° (every pre-step state) the
     * truncation error is below 1e-26, far under the rounding error; the result is within an ulp or two
     * of the true sine.
     */
    static double sin(double t) {
        double t2 = t * t;
        return t + (t * t2) * horner(SIN_TAYLOR, t2);
    }

    /** cos θ by its Taylor series through θ^16, like {@link #sin}. */
    static double cos(double t) {
        double t2 = t * t;
        return 1.0 + t2 * horner(COS_TAYLOR, t2);
    }

    /** {@code ((c0·x + c1)·x + c2)…}, each step a rounded multiply, then a rounded add. */
    private static double horner(double[] c, double x) {
        double p = c[0];
        for (int k = 1; k < c.length; k++) {
            p = p * x + c[k];
        }
        return p;
    }

    static boolean terminated(double[] state) {
        return state[0] < -X_LIMIT || state[0] > X_LIMIT || state[2] < -THETA_LIMIT || state[2] > THETA_LIMIT;
    }

    /** The current state (a copy). */
    public double[] state() {
        return s.clone();
    }

    /** Steps taken in the current episode. */
    public int steps() {
        return steps;
    }

    /** Whether the current episode has ended (terminated or truncated). */
    public boolean episodeOver() {
        return over;
    }

    @Override
    public String toString() {
        return "CartPole" + Arrays.toString(s) + " step " + steps;
    }
}
