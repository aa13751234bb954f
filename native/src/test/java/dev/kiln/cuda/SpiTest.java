package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.backend.Backend;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.ReduceOp;
import dev.kiln.backend.cpu.CpuBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * SPI paths the op registry does not reach on its own, CUDA against the CPU backend: every binary
 * op with broadcasting, long reductions (two-stage sum), argmax into INT32, INT64 targets and
 * indices, conversions, copies with many axes, SGD without momentum, Adam with L2 decay.
 */
class SpiTest {

    static CudaBackend cuda;
    static final Backend CPU = CpuBackend.INSTANCE;

    @BeforeAll
    static void open() {
        cuda = (CudaBackend) Backends.of(Device.cuda());
    }

    static float[] randn(long seed, int n) {
        return Tensor.randn(new Generator(seed), n).toFloatArray();
    }

    static Buffer on(Backend be, float[] v) {
        Buffer b = be.allocate(DType.FLOAT32, v.length);
        be.upload(v, b);
        return b;
    }

    static Buffer on(Backend be, DType t, long[] v) {
        Buffer b = be.allocate(t, v.length);
        be.upload(v, b);
        return b;
    }

    static void same(String what, Buffer cpu, Buffer gpu, float tol) {
        Parity.close(what, CPU.downloadFloats(cpu), cuda.downloadFloats(gpu), tol, tol);
    }

    @Test
    void everyBinaryOpBroadcast() {
        float[] a = randn(1, 4 * 5), b = randn(2, 3);
        b[1] = a[2];
        int[] shape = {4, 3, 5};
        int[] sa = {5, 0, 1}, sb = {0, 1, 0};
        for (BinaryOp op : BinaryOp.values()) {
            Buffer co = CPU.allocate(DType.FLOAT32, 60), go = cuda.allocate(DType.FLOAT32, 60);
            CPU.binary(op, on(CPU, a), sa, on(CPU, b), sb, co, shape);
            cuda.binary(op, on(cuda, a), sa, on(cuda, b), sb, go, shape);
            same("binary " + op, co, go, 0f);
            // same-shape contiguous path
            float[] c = randn(3, 60), d = randn(4, 60);
            int[] st = {15, 5, 1};
            CPU.binary(op, on(CPU, c), st, on(CPU, d), st, co, shape);
            cuda.binary(op, on(cuda, c), st, on(cuda, d), st, go, shape);
            same("binary contiguous " + op, co, go, 0f);
        }
    }

    @Test
    void binaryWithMoreAxesThanTheDescriptor() {
        int rank = 8, n = 1 << rank;
        int[] shape = new int[rank], sa = new int[rank], sb = new int[rank];
        for (int k = 0; k < rank; k++) {
            shape[k] = 2;
            sa[k] = k % 2 == 0 ? 0 : 1 << (rank - 1 - k) / 2; // broadcast on every other axis
            sb[k] = 1 << k; // reversed axes
        }
        float[] a = randn(30, 16), b = randn(31, n);
        Buffer co = CPU.allocate(DType.FLOAT32, n), go = cuda.allocate(DType.FLOAT32, n);
        CPU.binary(BinaryOp.MIN, on(CPU, a), sa, on(CPU, b), sb, co, shape);
        cuda.binary(BinaryOp.MIN, on(cuda, a), sa, on(cuda, b), sb, go, shape);
        same("8-axis min", co, go, 0f);
        CPU.binary(BinaryOp.ADD, on(CPU, a), sa, on(CPU, b), sb, co, shape);
        cuda.binary(BinaryOp.ADD, on(cuda, a), sa, on(cuda, b), sb, go, shape);
        same("8-axis add", co, go, 0f);
    }

    @Test
    void reductionsLongRowsAndArgmaxIntoInt32() {
        int n = 20011;
        float[] x = randn(5, n);
        Buffer cs = CPU.allocate(DType.FLOAT32, 1), gs = cuda.allocate(DType.FLOAT32, 1);
        CPU.reduce(ReduceOp.SUM, on(CPU, x), 1, n, 1, cs);
        cuda.reduce(ReduceOp.SUM, on(cuda, x), 1, n, 1, gs);
        same("sum of " + n, cs, gs, 1e-4f);
        for (ReduceOp op : ReduceOp.values()) {
            int outer = 3, dim = 129, inner = 7;
            float[] y = randn(6, outer * dim * inner);
            DType t = op == ReduceOp.ARGMAX ? DType.INT32 : DType.FLOAT32;
            Buffer co = CPU.allocate(t, outer * inner), go = cuda.allocate(t, outer * inner);
            CPU.reduce(op, on(CPU, y), outer, dim, inner, co);
            cuda.reduce(op, on(cuda, y), outer, dim, inner, go);
            if (t == DType.INT32) {
                assertArrayEquals(CPU.downloadIndices(co), cuda.downloadIndices(go), "argmax");
            } else {
                same("reduce " + op, co, go, 1e-5f);
            }
        }
    }

    @Test
    void int64TargetsAndIndices() {
        int rows = 9, cols = 6;
        float[] x = randn(7, rows * cols);
        long[] t = new long[rows];
        for (int r = 0; r < rows; r++) {
            t[r] = (r * 5L) % cols;
        }
        Buffer cl = CPU.allocate(DType.FLOAT32, rows), gl = cuda.allocate(DType.FLOAT32, rows);
        Buffer cg = CPU.allocate(DType.FLOAT32, rows * cols), gg = cuda.allocate(DType.FLOAT32, rows * cols);
        CPU.crossEntropy(on(CPU, x), on(CPU, DType.INT64, t), rows, cols, Backend.NO_IGNORE_INDEX, cl, cg);
        cuda.crossEntropy(on(cuda, x), on(cuda, DType.INT64, t), rows, cols, Backend.NO_IGNORE_INDEX, gl, gg);
        same("xent i64 loss", cl, gl, 1e-5f);
        same("xent i64 grad", cg, gg, 1e-5f);

        long[] idx = {4, 0, 4, 2, 1};
        int outer = 2, dim = 5, inner = 3;
        float[] src = randn(8, outer * dim * inner), g = randn(9, outer * idx.length * inner);
        Buffer co = CPU.allocate(DType.FLOAT32, outer * idx.length * inner), go = cuda.allocate(DType.FLOAT32, outer * idx.length * inner);
        CPU.indexSelect(on(CPU, src), outer, dim, inner, on(CPU, DType.INT64, idx), idx.length, co);
        cuda.indexSelect(on(cuda, src), outer, dim, inner, on(cuda, DType.INT64, idx), idx.length, go);
        same("indexSelect i64", co, go, 0f);
        Buffer cgx = on(CPU, randn(10, src.length)), ggx = on(cuda, CPU.downloadFloats(cgx));
        CPU.indexAdd(on(CPU, g), outer, dim, inner, on(CPU, DType.INT64, idx), idx.length, cgx);
        cuda.indexAdd(on(cuda, g), outer, dim, inner, on(cuda, DType.INT64, idx), idx.length, ggx);
        same("indexAdd i64 with repeats", cgx, ggx, 1e-6f);
    }

    @Test
    void conversionsAndManyAxisCopies() {
        float[] f = {1.9f, -1.9f, 0f, Float.NaN, 3e9f, -3e9f, 1e30f, 7f};
        for (DType to : new DType[] {DType.INT32, DType.INT64}) {
            Buffer c = CPU.allocate(to, f.length), g = cuda.allocate(to, f.length);
            CPU.convert(on(CPU, f), c, f.length);
            cuda.convert(on(cuda, f), g, f.length);
            assertArrayEquals(CPU.downloadIndices(c), cuda.downloadIndices(g), "f32 -> " + to);
            Buffer cb = CPU.allocate(DType.FLOAT32, f.length), gb = cuda.allocate(DType.FLOAT32, f.length);
            CPU.convert(c, cb, f.length);
            cuda.convert(g, gb, f.length);
            same(to + " -> f32", cb, gb, 0f);
        }
        // a 7-axis permutation of INT64 data and a 9-axis one of floats (axes of size 2 do not merge)
        for (int rank : new int[] {7, 9}) {
            int[] shape = new int[rank], src = new int[rank], dst = new int[rank];
            int n = 1 << rank;
            for (int k = 0; k < rank; k++) {
                shape[k] = 2;
                src[k] = 1 << (rank - 1 - k);
                dst[k] = 1 << k; // reversed axes
            }
            float[] x = randn(11 + rank, n);
            if (rank == 7) {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = (long) (x[i] * 1e6) << 20;
                }
                Buffer cs = on(CPU, DType.INT64, l), gsrc = on(cuda, DType.INT64, l);
                Buffer cd = CPU.allocate(DType.INT64, n), gd = cuda.allocate(DType.INT64, n);
                CPU.copyStrided(cs, 0, src, cd, 0, dst, shape);
                cuda.copyStrided(gsrc, 0, src, gd, 0, dst, shape);
                assertArrayEquals(CPU.downloadIndices(cd), cuda.downloadIndices(gd), "7-axis int64 permutation");
            } else {
                Buffer cd = CPU.allocate(DType.FLOAT32, n + 3), gd = cuda.allocate(DType.FLOAT32, n + 3);
                CPU.fill(cd, 0.5f);
                cuda.fill(gd, 0.5f);
                CPU.copyStrided(on(CPU, x), 0, src, cd, 3, dst, shape);
                cuda.copyStrided(on(cuda, x), 0, src, gd, 3, dst, shape);
                same("8-axis float permutation at an offset", cd, gd, 0f);
            }
        }
    }

    @Test
    void publicLaunchRunsAnyKernelByItsConstant() {
        int n = 77;
        Buffer b = cuda.allocate(DType.FLOAT32, n);
        long p = ((CudaBuffer) b).pointer();
        cuda.launch(dev.kiln.kernels.Kernels.Memory.FILL_F32, new int[] {2, 1, 1}, new int[] {32, 1, 1}, 0,
                a -> a.ptr(p).i64(n).f32(3.5f));
        for (float v : cuda.downloadFloats(b)) {
            org.junit.jupiter.api.Assertions.assertEquals(3.5f, v);
        }
    }

    @Test
    void gemmWithEmptyInnerDimension() {
        float[] c = randn(40, 2 * 12);
        for (float beta : new float[] {0f, 0.5f}) {
            // (the CPU backend rejects k = 0; the product is empty, so C = beta * C)
            Buffer gc = on(cuda, c);
            cuda.gemm(Gemm.of(false, false, 3, 4, 0).batched(2, 0, 0, 12).scaled(1f, beta), BufferView.of(on(cuda, new float[1])),
                    BufferView.of(on(cuda, new float[1])), BufferView.of(gc));
            float[] want = new float[c.length];
            for (int i = 0; i < c.length; i++) {
                want[i] = beta * c[i];
            }
            Parity.close("gemm k=0 beta=" + beta, want, cuda.downloadFloats(gc), 0f, 0f);
        }
    }

    @Test
    void sgdWithoutMomentumAndAdamWithL2() {
        int n = 1001;
        float[] p = randn(20, n), g = randn(21, n), v = randn(22, n), m = randn(23, n), s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.abs(v[i]);
        }
        Buffer cp = on(CPU, p), gp = on(cuda, p), cv = on(CPU, v), gv = on(cuda, v);
        CPU.sgdUpdate(cp, on(CPU, g), cv, n, 0.1f, 0f, 0.3f, 0.01f, false, false);
        cuda.sgdUpdate(gp, on(cuda, g), gv, n, 0.1f, 0f, 0.3f, 0.01f, false, false);
        same("sgd param", cp, gp, 1e-6f);
        same("sgd velocity", cv, gv, 1e-6f);
        Buffer cm = on(CPU, m), gm = on(cuda, m), cs = on(CPU, s), gs2 = on(cuda, s);
        CPU.adamUpdate(cp, on(CPU, g), cm, cs, n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, false, 0.19f, 0.002f);
        cuda.adamUpdate(gp, on(cuda, g), gm, gs2, n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.05f, false, 0.19f, 0.002f);
        same("adam param", cp, gp, 1e-5f);
        same("adam m", cm, gm, 1e-6f);
        same("adam v", cs, gs2, 1e-6f);
    }
}
