package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.ops.OpSpec;

import java.util.Arrays;

/**
 * CUDA-vs-CPU comparison of one registry op, shared by the emulator and GPU parity tests and the
 * benchmarks' plain-program parity suite ({@code GpuParity}). A mismatch throws {@link AssertionError}
 * naming the op and what differed.
 */
public final class Parity {

    /** Relative and absolute tolerance of {@link #check}. */
    public static final float RTOL = 1e-4f, ATOL = 1e-5f;

    private Parity() {
    }

    /**
     * Runs {@code spec} on its sample inputs (from {@code seed}) on the CPU and on {@code cuda}: same
     * shape, dtype and output (integer outputs exactly, FP32 within {@link #RTOL}/{@link #ATOL}), and
     * for differentiable ops the same gradients of a random-weighted sum, all of it left on the device.
     */
    public static void check(Device cuda, OpSpec spec, long seed) {
        check(cuda, spec, seed, RTOL, ATOL);
    }

    /** {@link #check(Device, OpSpec, long)} with FP32 values compared within {@code atol + rtol·|cpu|} (reduced-precision kernels). */
    public static void check(Device cuda, OpSpec spec, long seed, float rtol, float atol) {
        String op = spec.name();
        Tensor[] cpuIn = spec.sample().apply(new Generator(seed));
        Tensor[] gpuIn = new Tensor[cpuIn.length];
        for (int i = 0; i < cpuIn.length; i++) {
            gpuIn[i] = cpuIn[i].to(cuda);
            expect(cuda.equals(gpuIn[i].device()), op + ": input " + i + " is on " + gpuIn[i].device());
            if (spec.differentiable() && cpuIn[i].dtype() == DType.FLOAT32) {
                cpuIn[i].requiresGrad(true);
                gpuIn[i].requiresGrad(true);
            }
        }
        Tensor cpuOut = spec.apply().apply(cpuIn);
        Tensor gpuOut = spec.apply().apply(gpuIn);
        expect(cuda.equals(gpuOut.device()), op + ": output left the device: " + gpuOut.device());
        expect(Arrays.equals(cpuOut.shape(), gpuOut.shape()),
                op + ": shape " + Arrays.toString(gpuOut.shape()) + " vs cpu " + Arrays.toString(cpuOut.shape()));
        expect(cpuOut.dtype() == gpuOut.dtype(), op + ": dtype " + gpuOut.dtype() + " vs cpu " + cpuOut.dtype());
        if (cpuOut.dtype() != DType.FLOAT32) {
            expect(Arrays.equals(cpuOut.toLongArray(), gpuOut.toLongArray()), op + ": integer output differs");
            return;
        }
        close(op + " output", cpuOut.toFloatArray(), gpuOut.toFloatArray(), rtol, atol);
        if (!spec.differentiable()) {
            return;
        }
        Tensor w = Tensor.randn(new Generator(seed + 99), cpuOut.shape());
        cpuOut.mul(w).sum().backward();
        gpuOut.mul(w.to(cuda)).sum().backward();
        for (int i = 0; i < cpuIn.length; i++) {
            if (cpuIn[i].dtype() != DType.FLOAT32) {
                continue;
            }
            expect(gpuIn[i].grad() != null, op + ": input " + i + " got no gradient on CUDA");
            expect(cuda.equals(gpuIn[i].grad().device()), op + ": gradient of input " + i + " left the device");
            close(op + " d/d input" + i, cpuIn[i].grad().toFloatArray(), gpuIn[i].grad().toFloatArray(), rtol, atol);
        }
    }

    /** {@code got} (CUDA) equals {@code want} (CPU) elementwise within {@code atol + rtol*|want|}; NaN only where NaN. */
    public static void close(String what, float[] want, float[] got, float rtol, float atol) {
        expect(want.length == got.length, what + ": length " + got.length + " vs " + want.length);
        for (int k = 0; k < want.length; k++) {
            float w = want[k], g = got[k];
            boolean ok = Float.isNaN(w) ? Float.isNaN(g) : !Float.isNaN(g) && Math.abs(g - w) <= atol + rtol * Math.abs(w);
            if (!ok) {
                throw new AssertionError(what + ": [" + k + "] cuda " + g + " vs cpu " + w);
            }
        }
    }

    private static void expect(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
