package dev.kiln.ops;

import dev.kiln.Generator;
import dev.kiln.Tensor;

import java.util.function.Function;

/**
 * One registered op: its name, a generator of representative random inputs (CPU tensors, ragged
 * shapes, values inside the op's domain), how to apply it, and whether it has a gradient.
 * Gradient checks, CPU/GPU parity suites and {@code kiln info} iterate {@link OpRegistry#all()}.
 *
 * @param name           the op's name as users see it
 * @param sample         random inputs for a seed (float inputs may then be marked requiresGrad)
 * @param apply          runs the op on inputs shaped like {@code sample}'s
 * @param differentiable whether a gradient check applies to its float inputs
 */
public record OpSpec(String name, Function<Generator, Tensor[]> sample, Function<Tensor[], Tensor> apply,
                     boolean differentiable) {
}
