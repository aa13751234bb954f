package dev.kiln.ops;

import dev.kiln.Autograd;
import dev.kiln.Checks;
import dev.kiln.DType;
import dev.kiln.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered op, applied exactly as the registry applies it, against values computed by hand
 * from the op's definition ({@link HandComputedCases}). The gradient checks and parity suites only
 * prove that forward and backward agree and that backends agree with each other; this proves the
 * forward itself. A registry op without a case fails {@link #everyRegistryOpHasAHandComputedCase()}.
 */
class HandComputedValuesTest {

    private static final Map<String, HandCase> CASES = HandComputedCases.all();

    @Test
    void everyRegistryOpHasAHandComputedCase() {
        Set<String> missing = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (OpSpec s : OpRegistry.all()) {
            names.add(s.name());
            if (!CASES.containsKey(s.name())) {
                missing.add(s.name());
            }
        }
        assertTrue(missing.isEmpty(), "registry ops without a hand-computed case: " + missing);
        Set<String> stale = new TreeSet<>(CASES.keySet());
        stale.removeAll(names);
        assertTrue(stale.isEmpty(), "hand-computed cases for ops the registry does not have: " + stale);
    }

    @TestFactory
    Stream<DynamicTest> everyOpGivesTheHandComputedValues() {
        return OpRegistry.all().stream().filter(s -> CASES.containsKey(s.name()))
                .map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s, CASES.get(s.name()), false)));
    }

    /** The same values while a graph is recorded (some ops take another path then, e.g. the fused GELU). */
    @TestFactory
    Stream<DynamicTest> everyDifferentiableOpGivesThemWithAGraphToo() {
        return OpRegistry.all().stream().filter(s -> s.differentiable() && CASES.containsKey(s.name()))
                .map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s, CASES.get(s.name()), true)));
    }

    static void check(OpSpec spec, HandCase c, boolean graph) {
        Tensor[] in = c.make();
        if (graph) {
            for (Tensor t : in) {
                if (t.dtype() == DType.FLOAT32) {
                    t.requiresGrad(true);
                }
            }
        }
        Tensor out;
        if (graph) {
            out = spec.apply().apply(in);
        } else {
            try (Autograd.Scope s = Autograd.noGrad()) {
                out = spec.apply().apply(in);
            }
        }
        HandCase.Expected e = c.expected;
        assertArrayEquals(e.shape(), out.shape(), spec.name() + ": shape");
        if (e.dtype() == DType.FLOAT32) {
            assertEquals(DType.FLOAT32, out.dtype(), spec.name() + ": dtype");
            Checks.assertClose(e.floats(), out.toFloatArray(), 2e-5, 2e-5, spec.name());
        } else {
            assertTrue(out.dtype().isIndex(), spec.name() + ": dtype " + out.dtype());
            assertArrayEquals(e.longs(), out.toLongArray(), spec.name());
        }
    }
}
