package dev.kiln.bench;

import java.util.Random;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The inputs of the CPU GEMM benchmarks: square row-major {@code A}, {@code B} and {@code C} of
 * {@code size²} floats in {@code [-0.5, 0.5)}, the same for every benchmark at the same size.
 */
@State(Scope.Benchmark)
public abstract class CpuGemmInputs {

    @Param({"512", "1024", "2048"})
    public int size;

    protected float[] a;
    protected float[] b;
    protected float[] c;

    @Setup(Level.Trial)
    public void setup() {
        float[][] ab = inputs(size);
        a = ab[0];
        b = ab[1];
        c = new float[size * size];
        prepare();
    }

    /** A and B of one size ({@code n²} floats each, in {@code [-0.5, 0.5)}, seeded by the size). */
    static float[][] inputs(int n) {
        Random r = new Random(1234 + n);
        float[] a = new float[n * n], b = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = r.nextFloat() - 0.5f;
            b[i] = r.nextFloat() - 0.5f;
        }
        return new float[][] {a, b};
    }

    /** Called once the arrays are filled: a subclass copies them where its library needs them. */
    protected void prepare() {
    }
}
