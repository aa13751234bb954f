package dev.kiln.bench;

import dev.kiln.backend.cpu.Sgemm;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square row-major SGEMM, {@code C = A·B}: Kiln's {@link Sgemm} in its Vector API form against
 * OpenBLAS's {@code cblas_sgemm} (through JavaCPP), on the same inputs in the same run;
 * {@link CpuGemmScalarBenchmark} adds Kiln's scalar form in a fork of its own. Scores are
 * milliseconds per product; {@link GemmReport} turns them into GFLOP/s ({@code 2·n³} flops).
 *
 * <p>Run through {@code benchmarks/cpu-gemm.sh}, which sets OpenBLAS's thread count to the
 * number of cores Kiln uses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-modules", "jdk.incubator.vector", "-Dkiln.cpu.simd=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CpuGemmBenchmark extends CpuGemmInputs {

    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;

    @Override
    protected void prepare() {
        pa = new FloatPointer(a);
        pb = new FloatPointer(b);
        pc = new FloatPointer(c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pa.close();
        pb.close();
        pc.close();
    }

    /** Kiln, Vector API form (the fork runs with {@code --add-modules jdk.incubator.vector}). */
    @Benchmark
    public float[] kiln() {
        int n = size;
        Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    public FloatPointer openblas() {
        int n = size;
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
        return pc;
    }
}
