package dev.kiln;

import dev.kiln.ops.OpRegistry;
import dev.kiln.ops.OpSpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient check of every differentiable op in the registry. The loss is a
 * random weighting of the op's output, so every output element's gradient path is exercised.
 */
class GradCheckTest {

    private static final float EPS = 3e-3f;

    @TestFactory
    Stream<DynamicTest> everyDifferentiableOp() {
        return OpRegistry.all().stream().filter(OpSpec::differentiable)
                .map(spec -> DynamicTest.dynamicTest(spec.name(), () -> check(spec)));
    }

    @Test
    void registryCoversTheCoreOps() {
        List<String> names = new ArrayList<>();
        OpRegistry.all().forEach(s -> names.add(s.name()));
        for (String op : List.of("matmul", "bmm", "softmax", "logSoftmax", "crossEntropy", "sumAxis", "maxAxis",
                "gelu", "relu", "tanh", "sigmoid", "leakyRelu", "cat", "stack", "permute", "slice", "indexSelect")) {
            assertTrue(names.contains(op), "registry lacks " + op);
        }
    }

    static void check(OpSpec spec) {
        Tensor[] in = spec.sample().apply(new Generator(1234));
        for (Tensor t : in) {
            if (t.dtype() == DType.FLOAT32) {
                t.requiresGrad(true);
            }
        }
        Tensor out = spec.apply().apply(in);
        // NaN or infinity anywhere would make every comparison below false, so the check would pass.
        Checks.assertFinite(out.toFloatArray(), spec.name() + ": output");
        float[] w = Tensor.randn(new Generator(99), out.shape()).toFloatArray();
        out.mul(Tensor.fromArray(w, out.shape())).sum().backward();

        int checked = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i].dtype() != DType.FLOAT32) {
                continue;
            }
            float[] x = in[i].toFloatArray();
            assertTrue(in[i].grad() != null, spec.name() + ": input " + i + " got no gradient");
            float[] analytic = in[i].grad().toFloatArray();
            assertEquals(x.length, analytic.length);
            Checks.assertFinite(analytic, spec.name() + ": gradient of input " + i);
            for (int j = 0; j < x.length; j++) {
                double n1 = numeric(spec, in, i, x, j, w, EPS);
                double n2 = numeric(spec, in, i, x, j, w, EPS / 2);
                Checks.assertFinite(n1, spec.name() + ": numeric d/d input" + i + "[" + j + "]");
                Checks.assertFinite(n2, spec.name() + ": numeric d/d input" + i + "[" + j + "]");
                if (Math.abs(n1 - n2) > 1e-2 * Math.max(1, Math.abs(n1))) {
                    continue; // a kink (relu at 0, max ties) lies within eps: not differentiable here
                }
                double a = analytic[j];
                double tol = 3e-3 + 1e-2 * Math.abs(n2);
                if (!Checks.close(n2, a, 0, tol)) {
                    fail(spec.name() + ": d/d input" + i + "[" + j + "] analytic " + a + " vs numeric " + n2);
                }
                checked++;
            }
        }
        assertTrue(checked > 0, spec.name() + ": no element was checked");
    }

    private static double numeric(OpSpec spec, Tensor[] in, int i, float[] x, int j, float[] w, float eps) {
        return (loss(spec, in, i, x, j, w, eps) - loss(spec, in, i, x, j, w, -eps)) / (2.0 * eps);
    }

    private static double loss(OpSpec spec, Tensor[] in, int i, float[] x, int j, float[] w, float delta) {
        float[] xp = x.clone();
        xp[j] += delta;
        Tensor[] args = in.clone();
        args[i] = Tensor.fromArray(xp, in[i].shape());
        try (Autograd.Scope s = Autograd.noGrad()) {
            float[] y = spec.apply().apply(args).toFloatArray();
            double l = 0;
            for (int k = 0; k < y.length; k++) {
                l += (double) y[k] * w[k];
            }
            return l;
        }
    }
}
