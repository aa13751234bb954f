package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backend;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.cpu.CpuBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The GEMM epilogue (bias + ReLU/GELU) fused into our kernels against the composed path (the
 * product, then a broadcast add and an activation launch, as after cuBLAS) and the CPU backend:
 * ragged shapes, the transposes F.linear uses (forward x·Wᵀ, input gradient dy·W, weight
 * gradient dyᵀ·x) and both transposed, batched, with and without beta, for each FP32 kernel.
 */
class GemmEpilogueTest {

    static CudaBackend cuda;
    static final Backend CPU = CpuBackend.INSTANCE;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    private static Buffer upload(Backend be, float[] v) {
        Buffer b = be.allocate(DType.FLOAT32, v.length);
        be.upload(v, b);
        return b;
    }

    /** Runs one GEMM with an epilogue fused, composed and on the CPU; returns the fused result. */
    private static float[] check(boolean ta, boolean tb, int batch, int m, int n, int k, float beta, boolean withBias,
                                 Gemm.Activation act, long seed) {
        long sa = (long) m * k, sb = (long) k * n, sc = (long) m * n;
        float[] a = Tensor.randn(new Generator(seed), (int) Math.max(1, batch * sa)).toFloatArray();
        float[] b = Tensor.randn(new Generator(seed + 1), (int) Math.max(1, batch * sb)).toFloatArray();
        float[] c = Tensor.randn(new Generator(seed + 2), (int) (batch * sc)).toFloatArray();
        float[] bias = Tensor.randn(new Generator(seed + 3), n).toFloatArray();
        Gemm g = Gemm.of(ta, tb, m, n, k).batched(batch, sa, sb, sc).scaled(0.75f, beta);

        Buffer ca = upload(CPU, a), cb = upload(CPU, b), cc = upload(CPU, c);
        CPU.gemm(g, BufferView.of(ca), BufferView.of(cb), BufferView.of(cc),
                new Gemm.Epilogue(withBias ? upload(CPU, bias) : null, act));
        float[] want = CPU.downloadFloats(cc);

        float[][] got = new float[2][];
        for (int fused = 0; fused < 2; fused++) {
            Buffer ga = upload(cuda, a), gb = upload(cuda, b), gc = upload(cuda, c);
            Gemm.Epilogue ep = new Gemm.Epilogue(withBias ? upload(cuda, bias) : null, act);
            long launches = cuda.launches();
            synchronized (cuda) {
                cuda.gemm.gemm(g, BufferView.of(ga), BufferView.of(gb), BufferView.of(gc), ep, fused == 1);
            }
            long extra = (withBias ? 1 : 0) + (act != Gemm.Activation.NONE ? 1 : 0);
            assertEquals(fused == 1 ? 1 : 1 + extra, cuda.launches() - launches, "launches, fused=" + (fused == 1));
            got[fused] = cuda.downloadFloats(gc);
        }
        String what = (ta ? "T" : "N") + (tb ? "T" : "N") + " batch=" + batch + " " + m + "x" + n + "x" + k + " beta=" + beta
                + " bias=" + withBias + " act=" + act + " kernel=" + cuda.options().gemmKernel();
        float tol = cuda.options().gemmKernel() == CudaOptions.GemmKernel.TF32 ? 2e-2f : 1e-4f;
        Parity.close("fused vs CPU " + what, want, got[1], tol, tol);
        Parity.close("composed vs CPU " + what, want, got[0], tol, tol);
        Parity.close("fused vs composed " + what, got[0], got[1], tol, tol);
        return got[1];
    }

    private static void sweep(int[][] shapes) {
        long seed = 10;
        boolean[][] transposes = {{false, true}, {false, false}, {true, false}, {true, true}};
        for (int[] s : shapes) {
            for (boolean[] t : transposes) {
                for (Gemm.Activation act : Gemm.Activation.values()) {
                    check(t[0], t[1], 1, s[0], s[1], s[2], 0f, true, act, seed += 4);
                }
                check(t[0], t[1], 2, s[0], s[1], s[2], 0.5f, true, Gemm.Activation.GELU, seed += 4);
                check(t[0], t[1], 1, s[0], s[1], s[2], 0.5f, false, Gemm.Activation.RELU, seed += 4);
            }
        }
    }

    @Test
    void fusedEqualsComposedEqualsCpuOnRaggedShapes() {
        sweep(new int[][] {{1, 1, 1}, {17, 33, 5}, {33, 130, 17}});
    }

    @Test
    void everyKernelVariantFusesTheEpilogue() {
        for (String variant : new String[] {"naive", "tf32"}) {
            WithOption.run(cuda, "kiln.cuda.gemm.kernel", variant, () -> sweep(new int[][] {{17, 20, 9}}));
        }
        // The vectorised kernel (aligned pointers, leading dimensions multiples of 4).
        check(false, true, 2, 16, 32, 8, 0f, true, Gemm.Activation.GELU, 99);
    }

    /** K = 0 (an empty product) is act(beta·C + bias), fused as well: checked against that formula. */
    @Test
    void emptyProductIsTheEpilogueOfBetaC() {
        int m = 3, n = 5;
        float[] c = Tensor.randn(new Generator(41), m * n).toFloatArray();
        float[] bias = Tensor.randn(new Generator(42), n).toFloatArray();
        for (boolean fused : new boolean[] {true, false}) {
            Buffer gc = upload(cuda, c), dummy = upload(cuda, new float[1]);
            synchronized (cuda) {
                cuda.gemm.gemm(Gemm.of(false, true, m, n, 0).scaled(1f, 0.5f), BufferView.of(dummy), BufferView.of(dummy),
                        BufferView.of(gc), new Gemm.Epilogue(upload(cuda, bias), Gemm.Activation.RELU), fused);
            }
            float[] want = new float[m * n];
            for (int i = 0; i < want.length; i++) {
                want[i] = Math.max(0f, 0.5f * c[i] + bias[i % n]);
            }
            Parity.close("K = 0, fused=" + fused, want, cuda.downloadFloats(gc), 1e-6f, 1e-6f);
        }
    }

    @Test
    void theEpilogueChangesTheResult() {
        // Guards the comparison above: with ReLU some outputs are clamped to zero, without it not all are.
        float[] relu = check(false, true, 1, 9, 7, 4, 0f, true, Gemm.Activation.RELU, 3);
        float[] none = check(false, true, 1, 9, 7, 4, 0f, true, Gemm.Activation.NONE, 3);
        boolean clamped = false;
        for (int i = 0; i < relu.length; i++) {
            clamped |= none[i] < 0 && relu[i] == 0f;
        }
        assertFalse(!clamped, "ReLU did not clamp any negative output");
    }
}
