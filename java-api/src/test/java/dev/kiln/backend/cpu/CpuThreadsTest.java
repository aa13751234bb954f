package dev.kiln.backend.cpu;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -Dkiln.cpu.threads} sizes the CPU kernels' pool, and the results do not depend on it. */
class CpuThreadsTest {

    /** Prints the thread count and a checksum of a product and a softmax large enough to run in parallel. */
    public static void main(String[] args) {
        Tensor a = Tensor.randn(new Generator(3), 300, 200);
        Tensor b = Tensor.randn(new Generator(4), 200, 250);
        float[] c = a.matmul(b).softmax(1).toFloatArray();
        long sum = 0;
        for (float v : c) {
            sum = sum * 31 + Float.floatToRawIntBits(v);
        }
        System.out.println("threads=" + CpuThreads.count() + " pool=" + CpuThreads.POOL.getParallelism() + " checksum=" + sum);
    }

    private static String run(String threads) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkiln.cpu.threads=" + threads, "-cp", System.getProperty("java.class.path"), CpuThreadsTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe timed out");
        return out;
    }

    @Test
    void thePropertySetsThePoolAndResultsDoNotDependOnIt() throws Exception {
        String one = run("1");
        String three = run("3");
        assertTrue(one.contains("threads=1 pool=1 "), one);
        assertTrue(three.contains("threads=3 pool=3 "), three);
        assertEquals(one.substring(one.indexOf("checksum=")), three.substring(three.indexOf("checksum=")));
    }

    @Test
    void aBadValueNamesTheProperty() throws Exception {
        String out = run("many");
        assertTrue(out.contains("-Dkiln.cpu.threads=many is not a thread count"), out);
    }
}
