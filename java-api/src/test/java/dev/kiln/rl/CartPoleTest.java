package dev.kiln.rl;

import dev.kiln.Generator;
import org.junit.jupiter.api.Test;

import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CartPole} against the CartPole-v1 equations computed here independently in double precision. */
class CartPoleTest {

    /**
     * The reference: the CartPole-v1 equations written out afresh in Gym's order of operations
     * ({@code polemass_length * theta_dot**2 * sintheta}, ...), with {@link StrictMath}'s sine and cosine.
     * The pole is open-loop unstable (perturbations grow like e^{4t}), so a reference that rounded
     * differently would drift from any implementation by far more than 1e-6 within 500 steps; agreeing
     * to 1e-6 over whole 500-step episodes needs the same operations.
     */
    static final class Reference {
        static final double GRAVITY = 9.8, MASSCART = 1.0, MASSPOLE = 0.1, LENGTH = 0.5, FORCE_MAG = 10.0,
                TAU = 0.02;
        static final double TOTAL_MASS = MASSPOLE + MASSCART, POLEMASS_LENGTH = MASSPOLE * LENGTH;
        static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360, X_THRESHOLD = 2.4;
        double x, xDot, theta, thetaDot;
        int t;

        Reference(double[] s) {
            x = s[0];
            xDot = s[1];
            theta = s[2];
            thetaDot = s[3];
        }

        /** Returns {terminated, truncated}. */
        boolean[] step(int action) {
            double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
            double costheta = StrictMath.cos(theta), sintheta = StrictMath.sin(theta);
            double temp = (force + POLEMASS_LENGTH * Math.pow(thetaDot, 2) * sintheta) / TOTAL_MASS;
            double thetaacc = (GRAVITY * sintheta - costheta * temp)
                    / (LENGTH * (4.0 / 3.0 - MASSPOLE * Math.pow(costheta, 2) / TOTAL_MASS));
            double xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS;
            x = x + TAU * xDot;
            xDot = xDot + TAU * xacc;
            theta = theta + TAU * thetaDot;
            thetaDot = thetaDot + TAU * thetaacc;
            t++;
            boolean terminated = x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD
                    || theta > THETA_THRESHOLD;
            return new boolean[] {terminated, t >= 500};
        }
    }

    /** Balances for a while: push towards the side the pole falls to. */
    static int lean(double[] s) {
        return s[2] + 0.5 * s[3] > 0 ? 1 : 0;
    }

    /** Runs one episode of env and reference side by side; returns its length. */
    static int compare(long seed, ToIntFunction<double[]> policy) {
        CartPole env = new CartPole();
        double[] s = env.reset(seed);
        for (double d : s) {
            assertTrue(d >= -0.05 && d < 0.05, "initial state in [-0.05, 0.05): " + d);
        }
        Reference ref = new Reference(s);
        for (int t = 1; t <= 500; t++) {
            int a = policy.applyAsInt(s);
            CartPole.Step st = env.step(a);
            boolean[] done = ref.step(a);
            s = st.observation();
            double[] want = {ref.x, ref.xDot, ref.theta, ref.thetaDot};
            for (int k = 0; k < 4; k++) {
                assertEquals(want[k], s[k], 1e-6, "seed " + seed + " step " + t + " variable " + k);
            }
            assertEquals(1.0, st.reward());
            assertEquals(done[0], st.terminated(), "seed " + seed + " terminated at step " + t);
            assertEquals(done[1], st.truncated(), "seed " + seed + " truncated at step " + t);
            if (st.done()) {
                assertTrue(env.episodeOver());
                return t;
            }
        }
        throw new AssertionError("the episode must end by step 500");
    }

    @Test
    void trajectoriesFollowTheEquationsForSeveralSeedsAndPolicies() {
        int truncatedRuns = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Generator g = new Generator(100 + seed);
            int random = compare(seed, s -> g.nextInt(2));
            assertTrue(random < 500, "a random policy falls before 500 steps");
            int left = compare(seed, s -> 0);
            assertTrue(left < 40, "always pushing left ends quickly, got " + left);
            compare(seed, s -> (int) (Math.abs(Double.doubleToLongBits(s[0])) % 2));
            int lean = compare(seed, CartPoleTest::lean);
            truncatedRuns += lean == 500 ? 1 : 0;
        }
        assertTrue(truncatedRuns > 0, "the leaning policy reaches the 500-step truncation at least once");
    }

    @Test
    void resetDrawsFromThePhiloxStream() {
        double[] s = new CartPole().reset(42);
        float[] u = new float[4];
        Generator.uniform(42, 0, u, 0, 4);
        for (int k = 0; k < 4; k++) {
            assertEquals(-0.05 + 0.1 * u[k], s[k], 1e-16);
        }
        double[] again = new CartPole().reset(42);
        double[] other = new CartPole().reset(43);
        assertEquals(s[0], again[0]);
        assertTrue(s[0] != other[0]);
    }

    @Test
    void badInputIsAClearError() {
        CartPole env = new CartPole();
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> env.step(0));
        assertTrue(early.getMessage().contains("before reset"), early.getMessage());
        env.reset(1);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> env.step(2));
        assertTrue(bad.getMessage().contains("0 (left) or 1 (right), got 2"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> env.step(-1));
        assertEquals(0, env.steps(), "a rejected action does not step");
        CartPole.Step st;
        do {
            st = env.step(1);
        } while (!st.done());
        assertTrue(st.terminated());
        IllegalStateException after = assertThrows(IllegalStateException.class, () -> env.step(0));
        assertTrue(after.getMessage().contains("after the episode ended") && after.getMessage().contains("reset"),
                after.getMessage());
        env.reset(2);
        assertFalse(env.step(0).done());
    }
}
