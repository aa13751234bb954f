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
 * One LSTM layer forward or backward over all steps, fused cell vs unfused elementwise gates,
 * under JMH: the cases of {@link LstmCases}, one layer call per invocation followed by a device
 * synchronisation. {@link SequenceBench} times the same cases with CUDA events and checks the
 * results.
 *
 * <pre>{@code
 * java -cp 'lib/*' org.openjdk.jmh.Main 'dev.kiln.bench.gpu.LstmBenchmark' -p hidden=512 -rf json -rff lstm.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LstmBenchmark extends DeviceOpBenchmark {

    @Param({"256", "512", "1024"})
    public int hidden;

    @Param({"1", "32", "256"})
    public int batch;

    @Param({"100"})
    public int steps;

    @Param({"FUSED", "FUSED_CUBLAS_GEMM", "UNFUSED", "CUDNN"})
    public String impl;

    @Param({"FORWARD", "BACKWARD"})
    public String pass;


    @Setup(Level.Trial)
    public void setup() {
        g = GpuContext.open();
        LstmCases.Impl i = LstmCases.Impl.valueOf(impl);
        String why = i.unavailable(g);
        if (why != null) {
            throw new IllegalStateException(i.label + " cannot run here: " + why);
        }
        LstmCases cases = new LstmCases(g, new LstmCases.Size(hidden, batch, steps), 7L * hidden + batch);
        start(cases, cases.op(i, LstmCases.Pass.valueOf(pass)));
    }

    @Benchmark
    public void layer() {
        step();
    }
}
