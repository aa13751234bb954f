package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Backend;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.cpu.CpuBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * GEMM through the backend SPI at ragged shapes (1, 17, 129), every transpose combination,
 * batched with offsets, alpha/beta, against the CPU backend; and each kernel variant.
 */
class GemmTest {

    static CudaBackend cuda;
    static final Backend CPU = CpuBackend.INSTANCE;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    static float[] random(long seed, int n) {
        return Tensor.randn(new Generator(seed), n).toFloatArray();
    }

    static void run(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha, float beta, long off) {
        long sa = (long) m * k + 3, sb = (long) k * n + 5, sc = (long) m * n + 1;
        int la = (int) (off + batch * sa), lb = (int) (off + batch * sb), lc = (int) (off + batch * sc);
        float[] a = random(1 + m + n + k, la), b = random(2 + m * n, lb), c = random(3 + k, lc);
        Buffer ca = CPU.allocate(DType.FLOAT32, la), cb = CPU.allocate(DType.FLOAT32, lb), cc = CPU.allocate(DType.FLOAT32, lc);
        Buffer ga = cuda.allocate(DType.FLOAT32, la), gb = cuda.allocate(DType.FLOAT32, lb), gc = cuda.allocate(DType.FLOAT32, lc);
        CPU.upload(a, ca);
        CPU.upload(b, cb);
        CPU.upload(c, cc);
        cuda.upload(a, ga);
        cuda.upload(b, gb);
        cuda.upload(c, gc);
        Gemm g = Gemm.of(ta, tb, m, n, k).batched(batch, sa, sb, sc).scaled(alpha, beta);
        CPU.gemm(g, BufferView.of(ca, off), BufferView.of(cb, off), BufferView.of(cc, off));
        cuda.gemm(g, BufferView.of(ga, off), BufferView.of(gb, off), BufferView.of(gc, off));
        String what = "gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k
                + " off=" + off + " kernel=" + cuda.options().gemmKernel();
        Parity.close(what, CPU.downloadFloats(cc), cuda.downloadFloats(gc), 1e-4f, 1e-4f);
    }

    @TestFactory
    List<DynamicTest> raggedShapesAllTransposes() {
        int[][] shapes = {{1, 1, 1}, {17, 17, 17}, {129, 17, 1}, {1, 129, 17}, {17, 1, 129}, {129, 129, 17}, {17, 129, 129}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                tests.add(DynamicTest.dynamicTest((ta ? "T" : "N") + (tb ? "T" : "N") + " " + s[0] + "x" + s[1] + "x" + s[2],
                        () -> run(ta, tb, 1, s[0], s[1], s[2], 1f, 0f, 0)));
            }
        }
        return tests;
    }

    @Test
    void largestRaggedCube() {
        run(false, false, 1, 129, 129, 129, 1f, 0f, 0);
        run(true, true, 1, 129, 129, 129, 1f, 0f, 0);
    }

    @Test
    void batchedWithOffsetsAlphaBeta() {
        run(false, true, 3, 17, 5, 9, 0.5f, 0.25f, 7);
        run(true, false, 2, 4, 17, 3, -1.5f, 1f, 4); // offset 4 keeps 16-byte alignment: vector kernel
    }

    @Test
    void everyKernelVariant() {
        for (String variant : new String[] {"naive", "simt"}) {
            WithOption.run(cuda, "kiln.cuda.gemm.kernel", variant, () -> {
                run(false, false, 2, 17, 33, 20, 1f, 0f, 0);
                run(true, true, 1, 129, 17, 17, 2f, 0.5f, 0);
            });
        }
    }
}
