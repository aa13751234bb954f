package dev.kiln.backend.cpu;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Which SGEMM the CPU backend's {@code gemm} runs: Kiln's own {@link Sgemm} ({@code own}, the
 * default) or a vendor library ({@code vendor}: the first {@link CpuGemmProvider} on the class
 * path, e.g. {@code kiln-openblas}), chosen by the system property {@value #PROPERTY} like
 * {@code kiln.cuda.impl.gemm} chooses cuBLAS on CUDA.
 *
 * <p>The property is read at each product (a map look-up), so a program or a test may switch
 * between products; the provider is looked up once. Asking for {@code vendor} when no provider is
 * on the class path, or when its native library does not load, is an error that names what is
 * missing, never a silent fall-back to {@code own}.
 */
public final class CpuGemm {

    /** The system property: {@code own} (default) or {@code vendor}. */
    public static final String PROPERTY = "kiln.cpu.impl.gemm";

    private static final String MISSING = "add the kiln-openblas jar (dev.kiln:kiln-openblas) and its dependencies"
            + " (org.bytedeco:openblas with the platform classifier, e.g. linux-x86_64) to the class path";

    private static volatile Vendor vendor;

    /** The provider, or why there is none; looked up once. */
    private record Vendor(CpuGemmProvider provider, String description, RuntimeException error) {
    }

    private CpuGemm() {
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} with the implementation {@value #PROPERTY}
     * selects; the contract of {@link Sgemm#sgemm}.
     *
     * @throws IllegalArgumentException if the property has a value other than {@code own} or {@code vendor}
     * @throws IllegalStateException    if {@code vendor} is asked for and cannot be used
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (vendorSelected()) {
            provider().sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** True when {@value #PROPERTY} is {@code vendor}, false when it is {@code own} or unset. */
    public static boolean vendorSelected() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.equals("own")) {
            return false;
        }
        if (v.equals("vendor")) {
            return true;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.equals("own") || s.isEmpty()) {
            return false;
        }
        if (s.equals("vendor")) {
            return true;
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + " is not one of own, vendor");
    }

    /**
     * The vendor provider, its library loaded.
     *
     * @throws IllegalStateException naming what is missing when there is none or it does not load
     */
    public static CpuGemmProvider provider() {
        Vendor v = lookUp();
        if (v.error != null) {
            throw new IllegalStateException("-D" + PROPERTY + "=vendor, but " + v.error.getMessage(), v.error);
        }
        return v.provider;
    }

    /** One line for {@code kiln info}: which CPU GEMM runs, and the vendor library when there is one. */
    public static String description() {
        boolean wantVendor;
        try {
            wantVendor = vendorSelected();
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
        Vendor v = lookUp();
        String available = v.error == null ? "vendor available: " + v.description : "no vendor library (" + PROPERTY + "=vendor needs kiln-openblas)";
        if (!wantVendor) {
            return "own (" + Sgemm.class.getSimpleName() + "; " + available + ")";
        }
        return v.error == null ? "vendor (" + v.description + ")" : "error: " + PROPERTY + "=vendor, but " + v.error.getMessage();
    }

    private static Vendor lookUp() {
        Vendor v = vendor;
        if (v == null) {
            synchronized (CpuGemm.class) {
                v = vendor;
                if (v == null) {
                    v = load();
                    vendor = v;
                }
            }
        }
        return v;
    }

    private static Vendor load() {
        CpuGemmProvider p;
        try {
            Iterator<CpuGemmProvider> it = ServiceLoader.load(CpuGemmProvider.class, CpuGemm.class.getClassLoader()).iterator();
            if (!it.hasNext()) {
                return new Vendor(null, null, new IllegalStateException("no CPU GEMM library is on the class path: " + MISSING));
            }
            p = it.next();
        } catch (ServiceConfigurationError e) {
            return new Vendor(null, null, new IllegalStateException("the CPU GEMM provider could not be created (" + e.getMessage()
                    + "): " + MISSING, e));
        }
        try {
            String d = p.describe();
            System.getLogger(CpuGemm.class.getName()).log(Level.DEBUG, "CPU GEMM vendor library: " + d);
            return new Vendor(p, d, null);
        } catch (RuntimeException | LinkageError e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Vendor(null, null, new IllegalStateException("the CPU GEMM provider " + p.name() + " cannot run: " + why, e));
        }
    }
}
