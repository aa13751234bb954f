package dev.kiln.toy;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.backend.Backends;
import dev.kiln.backend.cpu.CpuBackend;
import dev.kiln.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension point for kernel families: a family declared, implemented and registered entirely in
 * this test source set (no edit to Backend, CpuBackend or CudaBackend), reached through
 * {@code backend.kernels(...)}, with a differentiable op recorded through the public
 * {@code Autograd.op} from outside package {@code dev.kiln}.
 */
class ToyFamilyTest {

    @Test
    void theFamilyIsFoundAndComputes() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        Tensor y = Tensor.fromArray(new float[] {10, -20, 0.5f}, 3);
        assertArrayEquals(new float[] {2 * 1 - 10, 2 * 2 + 20, 2 * 3 - 0.5f}, ToyOps.axpby(x, y, 2f, -1f).toFloatArray());
        assertSame(CpuBackend.INSTANCE.kernels(ToyKernels.class), Backends.of(Device.cpu()).kernels(ToyKernels.class),
                "one implementation per backend, created once");
    }

    @Test
    void gradientsFlowThroughTheOutsideOp() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 2, 3).requiresGrad(true);
        Tensor y = Tensor.randn(g, 2, 3).requiresGrad(true);
        Tensor w = Tensor.randn(g, 2, 3);
        ToyOps.axpby(x, y, 0.5f, -3f).mul(w).sum().backward();
        float[] wv = w.toFloatArray(), gx = x.grad().toFloatArray(), gy = y.grad().toFloatArray();
        for (int i = 0; i < wv.length; i++) {
            assertTrue(Math.abs(gx[i] - 0.5f * wv[i]) < 1e-6f && Math.abs(gy[i] + 3f * wv[i]) < 1e-6f,
                    "d/dx = 0.5·w, d/dy = -3·w at " + i + ": got " + gx[i] + ", " + gy[i] + " for w " + wv[i]);
        }
    }

    @Test
    void aFamilyNoProviderServesIsAClearError() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> CpuBackend.INSTANCE.kernels(Runnable.class));
        assertTrue(e.getMessage().contains("Runnable") && e.getMessage().contains("cpu"), e.getMessage());
    }
}
