package dev.kiln;

import dev.kiln.backend.Backend;
import dev.kiln.backend.BackendProvider;
import dev.kiln.backend.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Where tensors live and ops run. The CPU is always there; CUDA devices appear when the
 * {@code kiln-cuda} jar is on the class path and a driver is present.
 *
 * <pre>{@code
 * Device d = Device.best();            // CUDA if usable, else CPU (the reason is logged once)
 * Tensor x = Tensor.randn(new Generator(1), 64, 784).to(d);
 * }</pre>
 */
public final class Device {

    /** Device kinds. */
    public enum Kind { CPU, CUDA }

    private static final Logger LOG = Logger.getLogger(Device.class.getName());
    private static final Device CPU = new Device(Kind.CPU, 0);
    private static final Map<Device, Backend> BACKENDS = new ConcurrentHashMap<>();
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    /** The host CPU. */
    public static Device cpu() {
        return CPU;
    }

    /** CUDA device 0; throws {@link DeviceUnavailableException} saying why if it cannot be used. */
    public static Device cuda() {
        return cuda(0);
    }

    /** CUDA device {@code index}; throws {@link DeviceUnavailableException} saying why if unusable. */
    public static Device cuda(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
        Device d = new Device(Kind.CUDA, index);
        d.backend(); // opens it now so that failure is reported here, not at the first op
        return d;
    }

    /** CUDA when usable, else the CPU; the reason for falling back is logged once per process. */
    public static Device best() {
        try {
            return cuda();
        } catch (DeviceUnavailableException e) {
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                LOG.info("Using the CPU: " + e.getMessage());
            }
            return CPU;
        }
    }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (= {@link #best()}). */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase();
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("auto")) {
            return best();
        }
        if (s.equals("cuda")) {
            return cuda();
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Bad device '" + spec + "': expected cpu, cuda, cuda:N or auto");
            }
        }
        throw new IllegalArgumentException("Bad device '" + spec + "': expected cpu, cuda, cuda:N or auto");
    }

    public Kind kind() {
        return kind;
    }

    public int index() {
        return index;
    }

    /** The backend that computes on this device. */
    public Backend backend() {
        if (kind == Kind.CPU) {
            return CpuBackend.INSTANCE;
        }
        Backend b = BACKENDS.get(this);
        if (b == null) {
            b = open(this);
            Backend prev = BACKENDS.putIfAbsent(this, b);
            if (prev != null) {
                b = prev;
            }
        }
        return b;
    }

    private static Backend open(Device d) {
        for (BackendProvider p : providers()) {
            if (p.kind() == d.kind) {
                return p.open(d.index);
            }
        }
        throw new DeviceUnavailableException("CUDA is unavailable: no kiln-cuda backend on the class path "
                + "(add the dev.kiln:kiln-cuda jar to enable NVIDIA GPUs)");
    }

    /** All backend providers found on the class path (CUDA and others); the CPU is built in. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        try {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
                list.add(p);
            }
        } catch (ServiceConfigurationError e) {
            LOG.warning("A Kiln backend failed to load: " + e.getMessage());
        }
        return list;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).kind == kind && ((Device) o).index == index;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + index;
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
