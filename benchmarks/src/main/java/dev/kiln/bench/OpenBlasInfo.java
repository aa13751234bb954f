package dev.kiln.bench;

import java.io.InputStream;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Prints which OpenBLAS the benchmarks load: the bundled version, the build target and the
 * requested thread count. Run it with {@code OPENBLAS_VERBOSE=2} and OpenBLAS itself also prints the
 * kernel family it picked at load time ({@code Core: ...}).
 */
public final class OpenBlasInfo {

    private OpenBlasInfo() {
    }

    public static void main(String[] args) throws Exception {
        String version = "unknown";
        try (InputStream in = OpenBlasInfo.class.getResourceAsStream(
                "/META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        }
        // Loading the native library makes OpenBLAS pick its kernels; one tiny product checks it works.
        Loader.load(openblas.class);
        float[] c = new float[1];
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                1, 1, 1, 1f, new float[] {2f}, 1, new float[] {3f}, 1, 0f, c, 1);
        if (c[0] != 6f) {
            throw new IllegalStateException("OpenBLAS cblas_sgemm returned " + c[0] + " for 2*3");
        }
        String threads = System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "default");
        System.out.println("openblas.version=" + version);
        System.out.println("openblas.build=" + openblas.OPENBLAS_CHAR_CORENAME);
        System.out.println("openblas.threads=" + threads);
        System.out.println("kiln.threads=" + Runtime.getRuntime().availableProcessors());
        System.out.flush();
    }
}
