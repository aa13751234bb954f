package dev.kiln.backend;

import java.util.function.Function;

/**
 * The usual {@link KernelFamily}: one family on one backend class, created by a function of that
 * backend. A provider is then a no-argument subclass, as {@link java.util.ServiceLoader} needs:
 *
 * <pre>{@code
 * public static final class Provider extends FamilyProvider<ToyKernels, CpuBackend> {
 *     public Provider() {
 *         super(ToyKernels.class, CpuBackend.class, backend -> new CpuToy());
 *     }
 * }
 * }</pre>
 *
 * @param <K> the family's interface
 * @param <B> the backend class it runs on
 */
public abstract class FamilyProvider<K, B extends Backend> implements KernelFamily<K> {

    private final Class<K> type;
    private final Class<B> backend;
    private final Function<B, K> factory;

    protected FamilyProvider(Class<K> type, Class<B> backend, Function<B, K> factory) {
        this.type = type;
        this.backend = backend;
        this.factory = factory;
    }

    @Override
    public final Class<K> type() {
        return type;
    }

    @Override
    public final boolean supports(Backend b) {
        return backend.isInstance(b);
    }

    @Override
    public final K open(Backend b) {
        return factory.apply(backend.cast(b));
    }
}
