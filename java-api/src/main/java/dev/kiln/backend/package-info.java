/**
 * <b>Service-provider interface</b> between the tensor layer and the backends that compute: the
 * {@link dev.kiln.backend.Backend} interface and its kernel families, buffers, GEMM and geometry
 * descriptions, and {@link dev.kiln.backend.Backends}, which finds backends on the class path
 * (applications use {@code Backends.best()}, {@code Backends.cuda(n)} and
 * {@code Backends.memoryUsage(device)} from here; the rest is for backend authors). A tensor's
 * storage is reached through {@link dev.kiln.spi.TensorStorage}.
 */
package dev.kiln.backend;
