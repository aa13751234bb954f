package dev.kiln.ops;

import dev.kiln.Autograd;
import dev.kiln.Checks;
import dev.kiln.DType;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry itself: lookup by name, unique names, and sample inputs that every op accepts with finite results. */
class RegistryContractsTest {

    @Test
    void lookupByName() {
        for (OpSpec s : OpRegistry.all()) {
            assertSame(s, OpRegistry.get(s.name()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpRegistry.get("nope"));
        assertTrue(e.getMessage().contains("No op named 'nope'"), e.getMessage());
        Set<String> names = new HashSet<>();
        OpRegistry.all().forEach(s -> assertTrue(names.add(s.name()), "duplicate " + s.name()));
        assertThrows(UnsupportedOperationException.class, () -> OpRegistry.all().clear());
    }

    @TestFactory
    Stream<DynamicTest> everySampleIsAValidInput() {
        return OpRegistry.all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            Tensor[] in = s.sample().apply(new Generator(7));
            assertTrue(in.length > 0, "no inputs");
            Tensor out;
            try (Autograd.Scope scope = Autograd.noGrad()) {
                out = s.apply().apply(in);
            }
            if (out.dtype() == DType.FLOAT32) {
                Checks.assertFinite(out.toFloatArray(), s.name());
            }
            // the same seed gives the same inputs
            Tensor[] again = s.sample().apply(new Generator(7));
            assertEquals(in.length, again.length);
            for (int k = 0; k < in.length; k++) {
                if (in[k].dtype() == DType.FLOAT32) {
                    Checks.assertClose(in[k].toFloatArray(), again[k].toFloatArray(), 0, 0, s.name() + " input " + k);
                }
            }
        }));
    }
}
