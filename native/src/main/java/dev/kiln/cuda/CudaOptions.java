package dev.kiln.cuda;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code kiln.cuda.*} switches of one CUDA backend, read once from the system properties (and
 * {@code KILN_CUDA_DRIVER}) when the backend is created ({@link #fromSystem()}) and validated then:
 * a bad value is an {@link IllegalArgumentException} naming the property, the value and the allowed
 * values. Everything in {@code dev.kiln.cuda} asks the backend's options instead of reading system
 * properties; {@link CudaBackend#withOptions} changes them for a scope (tests, benchmarks).
 *
 * @param driver       {@code kiln.cuda.driver} / {@code KILN_CUDA_DRIVER}: which driver backs {@code Device.cuda()}
 * @param gemm         {@code kiln.cuda.impl.gemm}, else {@code kiln.cuda.impl}: our GEMM kernels or cuBLAS
 * @param conv         {@code kiln.cuda.impl.conv}, else {@code kiln.cuda.impl}: our conv kernels or cuDNN
 * @param batchNorm    {@code kiln.cuda.impl.batchNorm}, else {@code kiln.cuda.impl}: our batch-norm kernels or cuDNN
 * @param spmm         {@code kiln.cuda.impl.spmm}, else {@code kiln.cuda.impl}: our sparse × dense kernels or cuSPARSE
 * @param gemmKernel   {@code kiln.cuda.gemm.kernel}: which of our FP32 GEMM kernels (with cuBLAS: {@code tf32} selects TF32 math)
 * @param convKernel   {@code kiln.cuda.conv.kernel}: FP32 or TF32 convolution (ours and cuDNN's math mode)
 * @param convSplits   {@code kiln.cuda.conv.splits}: forced weight-gradient split, 0 for the default rule
 * @param poison       {@code kiln.cuda.poison}: fill new device memory with 0xFF bytes (NaN / -1)
 * @param sync         {@code kiln.cuda.sync}: synchronise after every launch (real driver)
 * @param cudnnFindWorkspaceMiB {@code kiln.cuda.cudnn.findWorkspaceMiB}: workspace offered to cuDNN's algorithm search
 * @param emulatorLibrary {@code kiln.cuda.emulator.library}: the emulator library to load, null for the packaged one
 * @param emulatorSeed {@code kiln.cuda.emulator.seed}: seed of the emulator's thread-order shuffle, null for its default
 * @param emulatorMemory {@code kiln.cuda.emulator.memory} / {@code KILN_CUDA_EMULATOR_MEMORY}: the emulated device's
 *                     size in bytes (default {@link #DEFAULT_EMULATOR_MEMORY}, an 80 GB card's); accepts a byte count or
 *                     a number with a binary unit ({@code 512m}, {@code 8g}, {@code 80GiB})
 */
public record CudaOptions(Driver driver, Impl gemm, Impl conv, Impl batchNorm, Impl spmm, GemmKernel gemmKernel, ConvKernel convKernel,
                          int convSplits, boolean poison, boolean sync, long cudnnFindWorkspaceMiB, String emulatorLibrary,
                          Long emulatorSeed, long emulatorMemory) {

    /** {@code cuda} (the GPU through the CUDA driver API) or {@code emulator} (the host SIMT emulator). */
    public enum Driver { CUDA, EMULATOR }

    /** Our kernels ({@code own}) or the vendor library ({@code vendor}: cuBLAS, cuDNN). */
    public enum Impl { OWN, VENDOR }

    /** Our FP32 GEMM kernels: register-tiled SIMT, TF32 tensor cores, or the naive reference. */
    public enum GemmKernel { SIMT, TF32, NAIVE }

    /** Convolution arithmetic: true FP32 or TF32 tensor cores. */
    public enum ConvKernel { FP32, TF32 }

    public static final String DRIVER = "kiln.cuda.driver";
    public static final String DRIVER_ENV = "KILN_CUDA_DRIVER";
    public static final String IMPL = "kiln.cuda.impl";
    public static final String IMPL_GEMM = "kiln.cuda.impl.gemm";
    public static final String IMPL_CONV = "kiln.cuda.impl.conv";
    public static final String IMPL_BATCH_NORM = "kiln.cuda.impl.batchNorm";
    public static final String IMPL_SPMM = "kiln.cuda.impl.spmm";
    public static final String GEMM_KERNEL = "kiln.cuda.gemm.kernel";
    public static final String CONV_KERNEL = "kiln.cuda.conv.kernel";
    public static final String CONV_SPLITS = "kiln.cuda.conv.splits";
    public static final String POISON = "kiln.cuda.poison";
    public static final String SYNC = "kiln.cuda.sync";
    public static final String CUDNN_FIND_WORKSPACE_MIB = "kiln.cuda.cudnn.findWorkspaceMiB";
    public static final String EMULATOR_LIBRARY = "kiln.cuda.emulator.library";
    public static final String EMULATOR_SEED = "kiln.cuda.emulator.seed";
    public static final String EMULATOR_MEMORY = "kiln.cuda.emulator.memory";
    public static final String EMULATOR_MEMORY_ENV = "KILN_CUDA_EMULATOR_MEMORY";
    /** The emulated device's default size: 80 GiB, an H100's. */
    public static final long DEFAULT_EMULATOR_MEMORY = 80L << 30;

    /** Every property {@link #parse} reads; any other {@code kiln.cuda.*} key is a typo and an error. */
    static final java.util.List<String> PROPERTIES = java.util.List.of(DRIVER, IMPL, IMPL_GEMM, IMPL_CONV, IMPL_BATCH_NORM, IMPL_SPMM,
            GEMM_KERNEL, CONV_KERNEL, CONV_SPLITS, POISON, SYNC, CUDNN_FIND_WORKSPACE_MIB, EMULATOR_LIBRARY, EMULATOR_SEED,
            EMULATOR_MEMORY);

    public CudaOptions {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(gemm, "gemm");
        Objects.requireNonNull(conv, "conv");
        Objects.requireNonNull(batchNorm, "batchNorm");
        Objects.requireNonNull(spmm, "spmm");
        Objects.requireNonNull(gemmKernel, "gemmKernel");
        Objects.requireNonNull(convKernel, "convKernel");
        if (convSplits < 0) {
            throw new IllegalArgumentException(CONV_SPLITS + " must be >= 1 (0 in the record: the default rule), got " + convSplits);
        }
        if (cudnnFindWorkspaceMiB < 0) {
            throw new IllegalArgumentException(CUDNN_FIND_WORKSPACE_MIB + " must be an integer >= 0, got " + cudnnFindWorkspaceMiB);
        }
        if (emulatorMemory <= 0) {
            throw new IllegalArgumentException(EMULATOR_MEMORY + " must be a positive number of bytes, got " + emulatorMemory);
        }
    }

    /**
     * The options given by this JVM's system properties and the {@code KILN_CUDA_DRIVER} and
     * {@code KILN_CUDA_EMULATOR_MEMORY} environment variables (a property wins over its variable).
     */
    public static CudaOptions fromSystem() {
        Map<String, String> props = new LinkedHashMap<>();
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("kiln.cuda.")) {
                props.put(k, System.getProperty(k));
            }
        }
        String memoryEnv = System.getenv(EMULATOR_MEMORY_ENV);
        if (blank(props.get(EMULATOR_MEMORY)) && !blank(memoryEnv)) {
            bytes(EMULATOR_MEMORY_ENV, memoryEnv); // a bad value names the variable
            props.put(EMULATOR_MEMORY, memoryEnv);
        }
        return parse(props, System.getenv(DRIVER_ENV));
    }

    /**
     * Parses {@code kiln.cuda.*} properties ({@code props}; keys outside that prefix are ignored, unknown
     * ones inside it are an error) and the
     * {@code KILN_CUDA_DRIVER} value ({@code driverEnv}, may be null; the property wins). Missing or blank
     * values take the defaults; anything else must be an allowed value (case-insensitive).
     */
    public static CudaOptions parse(Map<String, String> props, String driverEnv) {
        for (String k : props.keySet()) {
            if (k.startsWith("kiln.cuda.") && !PROPERTIES.contains(k)) {
                throw new IllegalArgumentException("unknown property " + k + " (known: " + String.join(", ", PROPERTIES) + ")");
            }
        }
        String driverProp = value(props, DRIVER);
        Driver driver = driverProp != null ? parseDriver(DRIVER, driverProp)
                : blank(driverEnv) ? Driver.CUDA : parseDriver(DRIVER_ENV, driverEnv);
        Impl all = choice(props, IMPL, Impl.class, Impl.OWN);
        return new CudaOptions(driver,
                choice(props, IMPL_GEMM, Impl.class, all),
                choice(props, IMPL_CONV, Impl.class, all),
                choice(props, IMPL_BATCH_NORM, Impl.class, all),
                choice(props, IMPL_SPMM, Impl.class, all),
                choice(props, GEMM_KERNEL, GemmKernel.class, GemmKernel.SIMT),
                choice(props, CONV_KERNEL, ConvKernel.class, ConvKernel.FP32),
                (int) integer(props, CONV_SPLITS, 1, Integer.MAX_VALUE, 0),
                bool(props, POISON),
                bool(props, SYNC),
                integer(props, CUDNN_FIND_WORKSPACE_MIB, 0, 1L << 40, 256),
                value(props, EMULATOR_LIBRARY),
                props.containsKey(EMULATOR_SEED) && !blank(props.get(EMULATOR_SEED))
                        ? integer(props, EMULATOR_SEED, Long.MIN_VALUE, Long.MAX_VALUE, 0) : null,
                value(props, EMULATOR_MEMORY) == null ? DEFAULT_EMULATOR_MEMORY : bytes(EMULATOR_MEMORY, value(props, EMULATOR_MEMORY)));
    }

    /** These options with one property set to {@code value} (null or blank: its default), validated like {@link #parse}. */
    public CudaOptions with(String property, String value) {
        if (!property.startsWith("kiln.cuda.")) {
            throw new IllegalArgumentException("not a kiln.cuda.* property: " + property);
        }
        Map<String, String> props = toProperties();
        if (property.equals(IMPL)) {
            props.remove(IMPL_GEMM);
            props.remove(IMPL_CONV);
            props.remove(IMPL_BATCH_NORM);
            props.remove(IMPL_SPMM);
        }
        props.put(property, value);
        return parse(props, null);
    }

    /** Which implementation {@code op} ({@code gemm}, {@code conv} or {@code batchNorm}) uses. */
    public Impl impl(String op) {
        switch (op) {
            case "gemm": return gemm;
            case "conv": return conv;
            case "batchNorm": return batchNorm;
            case "spmm": return spmm;
            default: throw new IllegalArgumentException("no " + IMPL + "." + op + " switch (ops: gemm, conv, batchNorm, spmm)");
        }
    }

    /** Every setting as the property that gives it, in a fixed order (unset optional ones left out). */
    public Map<String, String> toProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DRIVER, lower(driver));
        m.put(IMPL_GEMM, lower(gemm));
        m.put(IMPL_CONV, lower(conv));
        m.put(IMPL_BATCH_NORM, lower(batchNorm));
        m.put(IMPL_SPMM, lower(spmm));
        m.put(GEMM_KERNEL, lower(gemmKernel));
        m.put(CONV_KERNEL, lower(convKernel));
        if (convSplits > 0) {
            m.put(CONV_SPLITS, Integer.toString(convSplits));
        }
        m.put(POISON, Boolean.toString(poison));
        m.put(SYNC, Boolean.toString(sync));
        m.put(CUDNN_FIND_WORKSPACE_MIB, Long.toString(cudnnFindWorkspaceMiB));
        if (emulatorLibrary != null) {
            m.put(EMULATOR_LIBRARY, emulatorLibrary);
        }
        if (emulatorSeed != null) {
            m.put(EMULATOR_SEED, Long.toString(emulatorSeed));
        }
        m.put(EMULATOR_MEMORY, Long.toString(emulatorMemory));
        return m;
    }

    /** One line per setting, {@code property=value}, for {@code kiln info} and error reports. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        toProperties().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "\n").append(k).append('=').append(v));
        if (convSplits == 0) {
            sb.append('\n').append(CONV_SPLITS).append("=auto");
        }
        return sb.toString();
    }

    // ---- parsing -------------------------------------------------------------------------------

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String value(Map<String, String> props, String key) {
        String v = props.get(key);
        return blank(v) ? null : v.trim();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static Driver parseDriver(String from, String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "cuda":
            case "gpu":
            case "device":
                return Driver.CUDA;
            case "emulator":
            case "emu":
                return Driver.EMULATOR;
            default:
                throw new IllegalArgumentException(from + "='" + v + "' is not a driver (allowed: cuda, emulator)");
        }
    }

    private static <E extends Enum<E>> E choice(Map<String, String> props, String key, Class<E> type, E fallback) {
        String v = value(props, key);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(lower(e));
        }
        throw new IllegalArgumentException(key + "='" + v + "' is not allowed (allowed: " + allowed + ")");
    }

    private static boolean bool(Map<String, String> props, String key) {
        String v = value(props, key);
        if (v == null) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + "='" + v + "' is not allowed (allowed: true, false)");
    }

    /**
     * A size in bytes: a plain count, or a number with a binary unit {@code k}, {@code m}, {@code g}
     * or {@code t} (optionally followed by {@code iB} or {@code B}, any case): {@code 8g} is 8 GiB.
     */
    static long bytes(String key, String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d{1,19})\\s*(?:([kmgt])(?:i?b)?|b)?\\s*").matcher(v);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                int shift = m.group(2) == null ? 0 : 10 * ("kmgt".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1);
                if (n > 0 && n <= Long.MAX_VALUE >> shift) {
                    return n << shift;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(key + "='" + v + "' is not allowed (allowed: a positive size in bytes, e.g. 1073741824,"
                + " 512m, 8g or 80GiB, at most 8 EiB)");
    }

    private static long integer(Map<String, String> props, String key, long min, long max, long fallback) {
        String v = value(props, key);
        if (v == null) {
            return fallback;
        }
        String allowed = min == Long.MIN_VALUE ? "any integer" : "an integer >= " + min;
        try {
            long x = Long.parseLong(v);
            if (x >= min && x <= max) {
                return x;
            }
            if (x > max) {
                allowed = "an integer from " + min + " to " + max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "='" + v + "' is not allowed (allowed: " + allowed + ")");
    }
}
