package dev.kiln.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.kiln.backend.cpu.CpuSimd;
import dev.kiln.backend.cpu.CpuThreads;
import dev.kiln.backend.cpu.Sgemm;
import java.lang.management.ManagementFactory;

/**
 * Kiln's SGEMM with all of its threads, measured by the process's CPU time as well as the wall
 * clock: on a machine shared with other work the wall clock counts the time the threads waited for
 * a core, CPU time does not. {@code GFLOP per CPU-second × threads} is what the product would reach
 * with the cores to itself, less the time a thread idles at the end of a fork-join round (which CPU
 * time does not see); {@code CPU / wall} is how many cores the run actually got. Prints Markdown
 * table rows {@code | size | form | threads | GFLOP per CPU-second | wall GFLOP/s | CPU / wall |}.
 * (OpenBLAS is left out: its threads spin while they wait, so its CPU time counts waiting.)
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -Dkiln.cpu.threads=2 \
 *     -cp kiln-benchmarks.jar dev.kiln.bench.CpuGemmCpuTime 512 1024 2048
 * }</pre>
 */
public final class CpuGemmCpuTime {

    private CpuGemmCpuTime() {
    }

    public static void main(String[] args) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String form = CpuSimd.enabled() ? "vector" : "scalar";
        for (String arg : args.length == 0 ? new String[] {"512", "1024", "2048"} : args) {
            int n;
            try {
                n = Integer.parseInt(arg);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a matrix size, got " + arg);
            }
            float[][] ab = CpuGemmInputs.inputs(n);
            float[] a = ab[0], b = ab[1], c = new float[n * n];
            double flop = 2.0 * n * n * n;
            int reps = (int) Math.max(3, 2e10 / flop);
            for (int i = 0; i < reps; i++) {
                Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            }
            long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            }
            long cpu = os.getProcessCpuTime() - cpu0, wall = System.nanoTime() - wall0;
            System.out.printf("| %d | %s | %d | %.1f | %.1f | %.2f |%n", n, form, CpuThreads.count(),
                    flop * reps / cpu, flop * reps / wall, (double) cpu / wall);
        }
    }
}
