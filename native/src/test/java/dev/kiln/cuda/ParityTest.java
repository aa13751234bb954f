package dev.kiln.cuda;

import dev.kiln.backend.Backends;
import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.ops.OpRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registry op on the CUDA backend (emulated driver, NaN-poisoned allocations) against the
 * CPU backend: outputs, and for differentiable ops the gradients of a random-weighted sum ({@link Parity#check}).
 */
class ParityTest {

    static Device cuda;

    @BeforeAll
    static void open() {
        cuda = Device.cuda();
        assertEquals("emulator", ((CudaBackend) Backends.of(cuda)).driver().name());
    }

    @Test
    void allocationsArePoisonedInTests() {
        Tensor t = Tensor.empty(cuda, DType.FLOAT32, 5);
        for (float v : t.toFloatArray()) {
            assertTrue(Float.isNaN(v), "poison mode should fill new device memory with NaN");
        }
    }

    /** The registry, or with {@code -Dkiln.parity.only=REGEX} the ops whose names match (to rerun one family quickly). */
    static Stream<dev.kiln.ops.OpSpec> ops() {
        String only = System.getProperty("kiln.parity.only");
        return OpRegistry.all().stream().filter(s -> only == null || s.name().matches(only));
    }

    @TestFactory
    Stream<DynamicTest> everyOp() {
        return ops().map(spec -> DynamicTest.dynamicTest(spec.name(), () -> Parity.check(cuda, spec, 7)));
    }

    @TestFactory
    Stream<DynamicTest> everyOpSecondSeed() {
        return ops().map(spec -> DynamicTest.dynamicTest(spec.name(), () -> Parity.check(cuda, spec, 2024)));
    }
}
