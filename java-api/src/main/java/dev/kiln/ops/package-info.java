/**
 * The op registry ({@link dev.kiln.ops.OpRegistry}): every differentiable op with its sample
 * inputs, which gradient checks and the CPU/CUDA parity suites iterate.
 */
package dev.kiln.ops;
