package dev.kiln.backend;

/**
 * Service-provider entry for one family of kernels on one kind of backend, found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.kiln.backend.KernelFamily}).
 * A family is an interface of its own ({@link VisionKernels}, {@link SequenceKernels}, …); each
 * backend that runs it registers an implementation, and code reaches it with
 * {@link Backend#kernels(Class)}. Adding a family therefore edits no backend: one interface, one
 * implementation per backend, one provider line each.
 *
 * <pre>{@code
 * public final class CpuToy implements ToyKernels {
 *     public static final class Provider extends FamilyProvider<ToyKernels, CpuBackend> {
 *         public Provider() {
 *             super(ToyKernels.class, CpuBackend.class, backend -> new CpuToy());
 *         }
 *     }
 *     ...
 * }
 * ToyKernels toy = TensorStorage.backend(tensor).kernels(ToyKernels.class);
 * }</pre>
 *
 * @param <K> the family's interface
 */
public interface KernelFamily<K> {

    /** The family's interface. */
    Class<K> type();

    /** True when this provider implements the family for {@code backend}. */
    boolean supports(Backend backend);

    /** Creates the family's implementation for {@code backend}; called once per backend. */
    K open(Backend backend);
}
