package dev.kiln;

/**
 * Where tensors live and ops run: a kind and an index, nothing more. Which backend computes on a
 * device, and whether it is usable here, is {@link dev.kiln.backend.Backends}'s business.
 *
 * <pre>{@code
 * Device d = Backends.best();          // CUDA if usable, else CPU (the reason is logged once)
 * Tensor x = Tensor.randn(new Generator(1), 64, 784).to(d);
 * Device gpu = Device.parse("cuda:1"); // a value; the first tensor on it opens the backend
 * }</pre>
 */
public final class Device {

    /** Device kinds. */
    public enum Kind {
        /** The host CPU (the pure-Java backend in {@code kiln-api}). */
        CPU,
        /** An NVIDIA GPU, or the SIMT emulator standing in for one (the {@code kiln-cuda} backend). */
        CUDA
    }

    private static final Device CPU = new Device(Kind.CPU, 0);

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    /**
     * The host CPU.
     *
     * @return the CPU device (always the same instance)
     */
    public static Device cpu() {
        return CPU;
    }

    /**
     * CUDA device 0.
     *
     * @return {@code cuda:0}, a name only: nothing is opened until a tensor is created on it
     */
    public static Device cuda() {
        return cuda(0);
    }

    /**
     * CUDA device {@code index}. This is only a name: opening it (the first tensor created on it,
     * or {@link dev.kiln.backend.Backends#of}) throws {@link DeviceUnavailableException} saying why
     * when it cannot be used.
     *
     * @param index the CUDA device ordinal, &ge; 0
     * @return the device {@code cuda:index}
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public static Device cuda(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
        return new Device(Kind.CUDA, index);
    }

    /**
     * Parses {@code cpu}, {@code cuda} or {@code cuda:N}. ({@code auto} depends on what is
     * installed: {@link dev.kiln.backend.Backends#parse} accepts it.)
     *
     * @param spec the device's name, case-insensitive, surrounding blanks ignored; not null
     * @return the CPU, or the CUDA device named ({@code cuda} is {@code cuda:0})
     * @throws IllegalArgumentException if {@code spec} is none of these forms (the message lists them)
     */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase();
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return cuda();
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("Bad device '" + spec + "': expected cpu, cuda, cuda:N or auto");
    }

    /**
     * CPU or CUDA.
     *
     * @return the kind of this device
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The device number within its kind (always 0 for the CPU).
     *
     * @return the ordinal, &ge; 0
     */
    public int index() {
        return index;
    }

    /**
     * Equal when kind and index are.
     *
     * @param o the object compared with, may be null
     * @return true when {@code o} is a {@code Device} of the same kind and index
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).kind == kind && ((Device) o).index == index;
    }

    /**
     * Consistent with {@link #equals}.
     *
     * @return a hash of the kind and index
     */
    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + index;
    }

    /**
     * {@code cpu} or {@code cuda:N}, the form {@link #parse} reads.
     *
     * @return the device's name
     */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
