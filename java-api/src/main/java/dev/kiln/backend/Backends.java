package dev.kiln.backend;

import dev.kiln.Device;
import dev.kiln.DeviceUnavailableException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds and caches backends and kernel families. Every backend, the CPU one included, comes from a
 * {@link BackendProvider} on the class path ({@code META-INF/services}); each device's backend is
 * opened once and shared. Kernel families ({@link KernelFamily}) are looked up the same way, once
 * per backend.
 *
 * <pre>{@code
 * Device d = Backends.best();                  // CUDA when usable, else the CPU
 * Backend be = Backends.of(Device.cuda());     // throws DeviceUnavailableException saying why
 * }</pre>
 */
public final class Backends {

    /** System.Logger: goes wherever the application routes platform logging (java.util.logging unless told otherwise). */
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final Map<Device, Backend> OPEN = new ConcurrentHashMap<>();
    private static final Map<Backend, Map<Class<?>, Object>> FAMILIES = new ConcurrentHashMap<>();
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static volatile List<BackendProvider> providers;
    private static volatile List<KernelFamily<?>> families;

    private Backends() {
    }

    /** The backend that computes on {@code device}, opened on first use. */
    public static Backend of(Device device) {
        Backend b = OPEN.get(device);
        if (b == null) {
            b = OPEN.computeIfAbsent(device, Backends::open);
        }
        return b;
    }

    private static Backend open(Device d) {
        for (BackendProvider p : providers()) {
            if (p.kind() == d.kind()) {
                try {
                    return p.open(d.index());
                } catch (LinkageError e) { // a backend jar without its own dependencies (JavaCPP, say)
                    throw new DeviceUnavailableException(d + " is unavailable: " + p.getClass().getName()
                            + " is on the class path but cannot load (" + e + "); add its dependencies", e);
                }
            }
        }
        if (d.kind() == Device.Kind.CUDA) {
            throw new DeviceUnavailableException("CUDA is unavailable: no kiln-cuda backend on the class path "
                    + "(add the dev.kiln:kiln-cuda jar to enable NVIDIA GPUs)");
        }
        throw new DeviceUnavailableException("No backend for " + d + " on the class path (is kiln-api's "
                + "META-INF/services/" + BackendProvider.class.getName() + " missing from a merged jar?)");
    }

    /**
     * {@code device}'s memory as its backend accounts for it (opening the backend if needed): bytes
     * held by open tensors, cached for reuse, and the peak; null for the CPU, whose tensors live on
     * the Java heap.
     */
    public static dev.kiln.MemoryStats memoryUsage(Device device) {
        return of(device).memoryUsage();
    }

    /** CUDA device {@code index}, checked: throws {@link DeviceUnavailableException} saying why if unusable. */
    public static Device cuda(int index) {
        Device d = Device.cuda(index);
        of(d);
        return d;
    }

    /** CUDA when usable, else the CPU; the reason for falling back is logged once per process. */
    public static Device best() {
        try {
            return cuda(0);
        } catch (DeviceUnavailableException e) {
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.INFO, "Using the CPU: " + e.getMessage());
            }
            return Device.cpu();
        }
    }

    /**
     * Parses {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (= {@link #best()}); a CUDA
     * device is opened, so an unusable one fails here with the reason.
     */
    public static Device parse(String spec) {
        if (spec.trim().equalsIgnoreCase("auto")) {
            return best();
        }
        Device d = Device.parse(spec);
        of(d);
        return d;
    }

    /** True when {@code device} can be opened here. */
    public static boolean isAvailable(Device device) {
        try {
            of(device);
            return true;
        } catch (DeviceUnavailableException e) {
            return false;
        }
    }

    /** All backend providers on the class path (the CPU's included). */
    public static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            p = List.copyOf(load(BackendProvider.class));
            providers = p;
        }
        return p;
    }

    /** The implementation of {@code family} for {@code backend} (see {@link Backend#kernels(Class)}). */
    public static <K> K kernels(Backend backend, Class<K> family) {
        Map<Class<?>, Object> byType = FAMILIES.get(backend);
        Object k = byType == null ? null : byType.get(family);
        if (k != null) { // the per-op path: no lock once a family is open
            return family.cast(k);
        }
        synchronized (FAMILIES) { // opening is rare and may load modules: once per backend and family
            byType = FAMILIES.computeIfAbsent(backend, b -> new ConcurrentHashMap<>());
            k = byType.get(family);
            if (k == null) {
                k = openFamily(backend, family);
                byType.put(family, k);
            }
            return family.cast(k);
        }
    }

    private static <K> K openFamily(Backend backend, Class<K> family) {
        List<KernelFamily<?>> all = families;
        if (all == null) {
            List<KernelFamily<?>> list = new ArrayList<>();
            for (KernelFamily<?> f : load(KernelFamily.class)) {
                list.add(f);
            }
            all = List.copyOf(list);
            families = all;
        }
        for (KernelFamily<?> f : all) {
            if (f.type() == family && f.supports(backend)) {
                return family.cast(f.open(backend));
            }
        }
        throw new UnsupportedOperationException("No " + family.getSimpleName() + " kernels for the " + backend.device()
                + " backend (" + backend.getClass().getName() + "): no " + KernelFamily.class.getSimpleName()
                + " provider on the class path serves it");
    }

    private static <T> List<T> load(Class<T> type) {
        List<T> list = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(type).iterator();
        while (true) {
            try { // one broken provider (a jar without its native dependencies) must not hide the others
                if (!it.hasNext()) {
                    return list;
                }
                list.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "A Kiln " + type.getSimpleName() + " failed to load: " + e);
            }
        }
    }
}
