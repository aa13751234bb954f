/**
 * The CUDA backend: PTX kernels launched through the CUDA driver API (JavaCPP), cuBLAS and cuDNN,
 * or the SIMT emulator; a caching device allocator; streams and events. Found by
 * {@code ServiceLoader} when the {@code kiln-cuda} jar is on the class path; applications use it
 * through {@code Device.cuda()} and never need these classes directly.
 */
package dev.kiln.cuda;
