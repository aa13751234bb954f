package dev.kiln.bench.gpu;

import dev.kiln.bench.gpu.GemmCases.Impl;
import dev.kiln.bench.gpu.GemmCases.Operands;
import dev.kiln.bench.gpu.GemmCases.Shape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * GEMM, ours vs cuBLAS, under JMH: the cases of {@link GemmCases} (FP32 simtv4 vs cublasSgemm,
 * TF32 tf32v4 vs GemmEx TF32, BF16 mmav8 / wgmma vs GemmEx BF16), one product per invocation
 * followed by a device synchronisation (so the time includes one launch and one sync: negligible
 * beside products of 1024³ and up; {@link GpuBench} times the same cases with CUDA events).
 * {@link GpuJmhReport} turns {@code -rf json} output into one table with TFLOP/s and the ratio
 * to cuBLAS.
 *
 * <pre>{@code
 * java -cp 'lib/*' org.openjdk.jmh.Main 'dev.kiln.bench.gpu.GpuGemmBenchmark' -p shape=4096 -rf json -rff gemm.json
 * java -cp 'lib/*' dev.kiln.bench.gpu.GpuJmhReport gemm.json
 * }</pre>
 *
 * An implementation the device cannot run (cuBLAS under the emulator, wgmma below sm_90a) fails
 * in its setup with the reason; JMH reports it and goes on with the next.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GpuGemmBenchmark extends DeviceOpBenchmark {

    /** N (square) or MxNxK. */
    @Param({"1024", "2048", "4096", "8192", "16384x1024x1024", "1024x1024x16384"})
    public String shape;

    @Param({"SIMTV4", "CUBLAS_SGEMM", "TF32V4", "CUBLAS_TF32", "MMAV8", "WGMMA", "CUBLAS_BF16"})
    public String impl;


    @Setup(Level.Trial)
    public void setup() {
        g = GpuContext.open();
        Impl i = Impl.valueOf(impl);
        String why = i.unavailable(g);
        if (why != null) {
            throw new IllegalStateException(i.label() + " cannot run here: " + why);
        }
        Operands operands = new Operands(g, Shape.parse(shape), i.precision, 42);
        start(operands, GemmCases.op(g, i, operands));
    }

    @Benchmark
    public void gemm() {
        step();
    }
}
