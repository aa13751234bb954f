package dev.kiln.rl;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;

import java.util.Locale;

/**
 * Environment steps per second of {@link BatchedCartPole} on the CPU for N = 1, 64, 4096 (or the sizes
 * given as arguments): random actions drawn once per size, stepped with auto-reset for about two seconds
 * after a warm-up. Run with {@code java -cp <kiln-api jar + test classes> dev.kiln.rl.CartPoleThroughput}.
 */
public final class CartPoleThroughput {

    private CartPoleThroughput() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {1, 64, 4096} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int n : sizes) {
            BatchedCartPole env = new BatchedCartPole(Device.cpu(), n);
            env.reset(1);
            Tensor[] actions = new Tensor[16];
            Generator g = new Generator(2);
            for (int k = 0; k < actions.length; k++) {
                actions[k] = Tensor.rand(g, n).gt(Tensor.full(0.5f, 1));
            }
            run(env, actions, 1.5);
            double best = 0;
            for (int rep = 0; rep < 3; rep++) {
                best = Math.max(best, run(env, actions, 1.0));
            }
            System.out.printf(Locale.ROOT, "N=%d  %.3g env-steps/s (best of 3 one-second runs)%n", n, best);
        }
    }

    private static double run(BatchedCartPole env, Tensor[] actions, double seconds) {
        long start = System.nanoTime(), steps = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
            for (int k = 0; k < 64; k++) {
                env.step(actions[(int) (steps++ & 15)]);
            }
        }
        return steps * (double) env.size() / ((System.nanoTime() - start) / 1e9);
    }
}
