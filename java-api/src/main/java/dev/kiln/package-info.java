/**
 * Kiln's user API core: {@link dev.kiln.Tensor} (dense arrays with reverse-mode autograd),
 * {@link dev.kiln.TensorScope} (deterministic release of tensor memory), {@link dev.kiln.Device},
 * {@link dev.kiln.DType}, {@link dev.kiln.Generator} (counter-based random numbers, identical on
 * every backend), {@link dev.kiln.Autograd} (no-grad scopes and custom differentiable ops), and the
 * op families {@link dev.kiln.Vision} and {@link dev.kiln.SequenceOps}.
 */
package dev.kiln;
