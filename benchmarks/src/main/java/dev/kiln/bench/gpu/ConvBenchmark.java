package dev.kiln.bench.gpu;

import dev.kiln.bench.gpu.ConvCases.Operands;
import dev.kiln.bench.gpu.ConvCases.Pass;
import dev.kiln.cuda.CudnnConv;
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
 * Convolution, ours vs cuDNN, under JMH: the ResNet-18 layers of {@link ConvCases#RESNET18_28}
 * at batch 64 and 256, forward, backward-data and backward-filter, our kernels (through the
 * backend's SPI) and cuDNN (the algorithm {@code cudnnFind…AlgorithmEx} picks in setup). One pass
 * per invocation followed by a device synchronisation, so small layers include one launch and one
 * sync; {@link ConvBench} times the same cases with CUDA events and checks the results.
 *
 * <pre>{@code
 * java -cp 'lib/*' org.openjdk.jmh.Main 'dev.kiln.bench.gpu.ConvBenchmark' -p layer=s2.conv -p batch=256 -rf json -rff conv.json
 * }</pre>
 *
 * cuDNN under the emulator (or without libcudnn.so.9) fails in its setup with the reason; JMH
 * reports it and goes on with the next case. {@code -p math=tf32} selects our TF32 forward kernel
 * and cuDNN's tensor-op math.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConvBenchmark extends DeviceOpBenchmark {

    @Param({"stem", "s1.conv", "s2.down", "s2.proj", "s2.conv", "s3.down", "s3.proj", "s3.conv", "s4.down", "s4.proj", "s4.conv"})
    public String layer;

    @Param({"64", "256"})
    public int batch;

    @Param({"FORWARD", "BACKWARD_DATA", "BACKWARD_FILTER"})
    public String pass;

    @Param({"OURS", "CUDNN"})
    public String impl;

    @Param({"fp32"})
    public String math;


    @Setup(Level.Trial)
    public void setup() {
        g = GpuContext.open();
        // The backend is shared by the trials of this JVM: set this trial's conv switches on it (not
        // undone; the next trial sets its own).
        g.backend.withOptions(g.backend.options().with("kiln.cuda.impl.conv", "own").with("kiln.cuda.conv.kernel", math));
        Pass p = Pass.valueOf(pass);
        if (impl.equals("CUDNN")) {
            String why = ConvCases.cudnnUnavailable(g);
            if (why != null) {
                throw new IllegalStateException("cuDNN cannot run here: " + why);
            }
        }
        Operands operands = new Operands(g, ConvCases.layer(layer).geometry(batch), 42);
        // cuDNN: the first run (in start) runs cudnnFind once, outside the measurement
        start(operands, impl.equals("CUDNN") ? ConvCases.cudnn(CudnnConv.of(g.backend), operands, p) : ConvCases.ours(g, operands, p));
    }

    @Benchmark
    public void conv() {
        step();
    }
}
