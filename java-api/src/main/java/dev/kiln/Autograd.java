package dev.kiln;

/**
 * Switches gradient recording. Inside a {@link #noGrad()} scope, ops do not record a graph:
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     Tensor logits = model.forward(x);   // no graph kept
 * }
 * }</pre>
 */
public final class Autograd {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Autograd() {
    }

    /** True when ops on this thread record gradients. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which no graph is recorded; closing it restores the previous mode. */
    public static Scope noGrad() {
        return new Scope(false);
    }

    /** A scope that re-enables recording (for example inside a no-grad region). */
    public static Scope enableGrad() {
        return new Scope(true);
    }

    /** A gradient-mode scope for try-with-resources. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean enabled) {
            boolean[] flag = ENABLED.get();
            previous = flag[0];
            flag[0] = enabled;
        }

        @Override
        public void close() {
            ENABLED.get()[0] = previous;
        }
    }
}
