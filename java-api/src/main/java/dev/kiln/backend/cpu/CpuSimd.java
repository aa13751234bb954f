package dev.kiln.backend.cpu;

import java.lang.System.Logger.Level;

/**
 * Whether the CPU kernels use the JDK's Vector API ({@code jdk.incubator.vector}): chosen once, when
 * this class is first used, and logged once (logger {@code dev.kiln.backend.cpu.CpuSimd}, level DEBUG;
 * {@code kiln info} and the CLI's device note show it too).
 *
 * <p>The vector kernels run when the JVM was started with {@code --add-modules jdk.incubator.vector}
 * (the {@code kiln} launcher and Kiln's own test runs pass it), the platform's preferred vector is
 * at least 128 bits wide, and the system property {@code kiln.cpu.simd} is not {@code false}.
 * Otherwise the scalar kernels run; they compute the same results (every kernel that has a vector
 * form is tested both ways). {@code -Dkiln.cpu.simd=true} makes a missing Vector API an error
 * instead of a fallback.
 *
 * <p>Vector kernels live in classes that only this choice loads, so a JVM without the incubator
 * module never touches them.
 */
public final class CpuSimd {

    /** The system property: {@code auto} (the default), {@code true} (required) or {@code false}. */
    public static final String PROPERTY = "kiln.cpu.simd";

    /** The incubating module the vector kernels are written against. */
    public static final String MODULE = "jdk.incubator.vector";

    private static final boolean ENABLED;
    private static final String DESCRIPTION;

    static {
        String mode = System.getProperty(PROPERTY, "auto").strip().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("true") && !mode.equals("false")) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode + " is not one of auto, true, false");
        }
        String reason = null;
        int bits = 0;
        if (mode.equals("false")) {
            reason = "-D" + PROPERTY + "=false";
        } else if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            reason = "the JVM was started without --add-modules " + MODULE;
        } else {
            try {
                bits = VectorShapeProbe.preferredBits();
                if (bits < 128) {
                    reason = "the platform's preferred vector is " + bits + " bits wide";
                }
            } catch (LinkageError | RuntimeException e) {
                reason = "the Vector API did not load: " + e;
            }
        }
        ENABLED = reason == null;
        DESCRIPTION = ENABLED
                ? "Vector API, " + bits + "-bit vectors (" + bits / 32 + " floats)"
                : "scalar Java (" + reason + ")";
        if (!ENABLED && mode.equals("true")) {
            throw new IllegalStateException("-D" + PROPERTY + "=true, but the vector kernels cannot run: " + reason);
        }
        System.getLogger(CpuSimd.class.getName()).log(Level.DEBUG, "CPU kernels: " + DESCRIPTION);
    }

    private CpuSimd() {
    }

    /** True when the vector kernels run. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** One line for logs and {@code kiln info}: which kernels run, and why not the vector ones. */
    public static String description() {
        return DESCRIPTION;
    }
}
