package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.ops.OpRegistry;
import dev.kiln.ops.OpSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every registry op on the CUDA backend (emulated driver, NaN-poisoned allocations) against the
 * CPU backend: outputs, and for differentiable ops the gradients of a random-weighted sum.
 */
class ParityTest {

    static final float RTOL = 1e-4f;
    static final float ATOL = 1e-5f;

    static Device cuda;

    @BeforeAll
    static void open() {
        cuda = Device.cuda();
        assertEquals("emulator", ((CudaBackend) cuda.backend()).driver().name());
    }

    @Test
    void allocationsArePoisonedInTests() {
        Tensor t = Tensor.empty(cuda, DType.FLOAT32, 5);
        for (float v : t.toFloatArray()) {
            assertTrue(Float.isNaN(v), "poison mode should fill new device memory with NaN");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyOp() {
        return OpRegistry.all().stream().map(spec -> DynamicTest.dynamicTest(spec.name(), () -> check(cuda, spec, 7)));
    }

    @TestFactory
    Stream<DynamicTest> everyOpSecondSeed() {
        return OpRegistry.all().stream().map(spec -> DynamicTest.dynamicTest(spec.name(), () -> check(cuda, spec, 2024)));
    }

    static void check(Device cuda, OpSpec spec, long seed) {
        Tensor[] cpuIn = spec.sample().apply(new Generator(seed));
        Tensor[] gpuIn = new Tensor[cpuIn.length];
        for (int i = 0; i < cpuIn.length; i++) {
            gpuIn[i] = cpuIn[i].to(cuda);
            assertEquals(cuda, gpuIn[i].device());
            if (spec.differentiable() && cpuIn[i].dtype() == DType.FLOAT32) {
                cpuIn[i].requiresGrad(true);
                gpuIn[i].requiresGrad(true);
            }
        }
        Tensor cpuOut = spec.apply().apply(cpuIn);
        Tensor gpuOut = spec.apply().apply(gpuIn);
        assertEquals(cuda, gpuOut.device(), spec.name() + ": output left the device");
        assertArrayEquals(cpuOut.shape(), gpuOut.shape(), spec.name() + ": shape");
        assertEquals(cpuOut.dtype(), gpuOut.dtype(), spec.name() + ": dtype");
        if (cpuOut.dtype() != DType.FLOAT32) {
            assertArrayEquals(cpuOut.toLongArray(), gpuOut.toLongArray(), spec.name() + ": output");
            return;
        }
        close(spec.name() + " output", cpuOut.toFloatArray(), gpuOut.toFloatArray(), RTOL, ATOL);
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
            assertNotNull(gpuIn[i].grad(), spec.name() + ": input " + i + " got no gradient on CUDA");
            assertEquals(cuda, gpuIn[i].grad().device(), spec.name() + ": gradient left the device");
            close(spec.name() + " d/d input" + i, cpuIn[i].grad().toFloatArray(), gpuIn[i].grad().toFloatArray(), RTOL, ATOL);
        }
    }

    static void close(String what, float[] want, float[] got, float rtol, float atol) {
        assertEquals(want.length, got.length, what + ": length");
        for (int k = 0; k < want.length; k++) {
            float w = want[k], g = got[k];
            boolean ok = Float.isNaN(w) ? Float.isNaN(g) : !Float.isNaN(g) && Math.abs(g - w) <= atol + rtol * Math.abs(w);
            if (!ok) {
                fail(what + ": [" + k + "] cuda " + g + " vs cpu " + w);
            }
        }
    }
}
