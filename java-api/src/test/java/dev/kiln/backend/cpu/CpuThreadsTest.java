package dev.kiln.backend.cpu;

import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.rl.BatchedCartPole;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -Dkiln.cpu.threads} sizes the CPU kernels' pool, and the results do not depend on it. */
class CpuThreadsTest {

    /**
     * Prints the thread count, a checksum of a product and a softmax large enough to run in parallel,
     * and the fork-join worker threads alive after those and the other parallel CPU kernels ran.
     */
    public static void main(String[] args) {
        Tensor a = Tensor.randn(new Generator(3), 300, 200);
        Tensor b = Tensor.randn(new Generator(4), 200, 250);
        float[] c = a.matmul(b).softmax(1).toFloatArray();
        long sum = 0;
        for (float v : c) {
            sum = sum * 31 + Float.floatToRawIntBits(v);
        }
        // The other kernels that split work: a large product straight through Sgemm (both of its
        // batched strategies) and a batch of environments above the CartPole kernel's chunk size.
        int n = 700;
        float[] x = new float[n * n * 2], y = new float[n * n * 2];
        java.util.Arrays.fill(x, 0.5f);
        java.util.Arrays.fill(y, 0.25f);
        Sgemm.sgemmBatched(false, true, n, n, n, 1f, x, 0, n, (long) n * n, y, 0, n, 0, 0f, new float[2 * n * n], 0, n,
                (long) n * n, 2);
        Sgemm.sgemmBatched(false, false, 70, 70, 70, 1f, x, 0, 70, 4900, y, 0, 70, 4900, 0f, new float[40 * 4900], 0, 70,
                4900, 40);
        BatchedCartPole env = new BatchedCartPole(Device.cpu(), 5000, 500);
        env.reset(1);
        env.step(Tensor.zeros(5000));
        TreeSet<String> workers = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t instanceof ForkJoinWorkerThread) {
                workers.add(t.getName());
            }
        }
        System.out.println("threads=" + CpuThreads.count() + " pool=" + CpuThreads.POOL.getParallelism() + " checksum=" + sum
                + " workers=" + workers);
    }

    private static String run(String threads, String... jvmOptions) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.util.List.of(jvmOptions));
        command.addAll(java.util.List.of("-Dkiln.cpu.threads=" + threads, "-cp", System.getProperty("java.class.path"),
                CpuThreadsTest.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        assertEquals(checksum(one), checksum(three));
    }

    private static String checksum(String out) {
        int at = out.indexOf("checksum=");
        assertTrue(at >= 0, out);
        return out.substring(at, out.indexOf(' ', at));
    }

    @Test
    void everyParallelKernelRunsOnTheOnePool() throws Exception {
        // Two cores' worth of threads at most, all Kiln's: nothing on the JVM's common pool, no
        // second pool sized to the machine (which would oversubscribe a JVM told to use fewer).
        for (String simd : new String[] {"false", "true"}) {
            checkWorkers(run("2", "--add-modules", CpuSimd.MODULE, "-D" + CpuSimd.PROPERTY + "=" + simd));
        }
    }

    private static void checkWorkers(String out) {
        int at = out.indexOf("workers=[");
        assertTrue(at >= 0, out);
        String list = out.substring(at + "workers=[".length(), out.indexOf(']', at));
        assertTrue(!list.isBlank(), "no pool thread ran: " + out);
        for (String name : list.split(", ")) {
            assertTrue(name.equals("kiln-cpu-1") || name.equals("kiln-cpu-2"), "a worker outside the pool: " + name + " in " + out);
        }
    }

    @Test
    void aBadValueNamesTheProperty() throws Exception {
        String out = run("many");
        assertTrue(out.contains("-Dkiln.cpu.threads=many is not a thread count"), out);
    }
}
