package dev.kiln.bench.gpu;

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
 * Attention forward and backward, ours vs the unfused path, under JMH: the cases of
 * {@link AttentionCases} (flash FP32, flash BF16 mma forward; unfused with cuBLAS FP32, cuBLAS
 * TF32 or Kiln GEMMs), one call per invocation followed by a device synchronisation.
 * {@link SequenceBench} times the same cases with CUDA events and checks the results.
 *
 * <pre>{@code
 * java -cp 'lib/*' org.openjdk.jmh.Main 'dev.kiln.bench.gpu.AttentionBenchmark' -p seq=2048 -p headDim=64 -rf json -rff att.json
 * java -cp 'lib/*' dev.kiln.bench.gpu.GpuJmhReport att.json
 * }</pre>
 *
 * A combination the device cannot run (cuBLAS under the emulator, a BF16 backward) fails in its
 * setup with the reason; JMH reports it and goes on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AttentionBenchmark extends DeviceOpBenchmark {

    @Param({"8"})
    public int batch;

    @Param({"16"})
    public int heads;

    @Param({"512", "1024", "2048", "4096"})
    public int seq;

    @Param({"64", "128"})
    public int headDim;

    @Param({"false", "true"})
    public boolean causal;

    @Param({"FLASH_F32", "FLASH_BF16", "UNFUSED_CUBLAS", "UNFUSED_CUBLAS_TF32", "UNFUSED_KILN"})
    public String impl;

    @Param({"FORWARD", "BACKWARD"})
    public String pass;


    @Setup(Level.Trial)
    public void setup() {
        g = GpuContext.open();
        AttentionCases.Impl i = AttentionCases.Impl.valueOf(impl);
        AttentionCases.Pass p = AttentionCases.Pass.valueOf(pass);
        String why = i.unavailable(g, p);
        if (why != null) {
            throw new IllegalStateException(i.label + " " + pass + " cannot run here: " + why);
        }
        AttentionCases cases = new AttentionCases(g, new AttentionCases.Size(batch, heads, seq, headDim, causal), 1000L * seq + headDim);
        start(cases, cases.op(i, p));
    }

    @Benchmark
    public void attention() {
        step();
    }
}
