/**
 * <b>Service-provider interface, not application API.</b> Access to a tensor's storage for the code
 * that implements ops (backends, kernel families, optimisers' fused updates, Kiln's own layers):
 * {@link dev.kiln.spi.TensorStorage}. Applications never need this package; a value written into
 * a tensor's buffer through it bypasses autograd's checks. Together with
 * {@link dev.kiln.backend} (the {@code Backend} and kernel-family interfaces a backend implements)
 * it is the contract between Kiln's tensor layer and its backends.
 */
package dev.kiln.spi;
