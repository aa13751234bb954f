/* C ABI of the Kiln host emulator (libkiln_emu.so).
 *
 * Kernels are launched by name with the same argument convention as
 * cuLaunchKernel: args[i] points to the value of the i-th kernel parameter.
 * Every function is safe to call from several threads; launches are
 * serialised. */
#ifndef KILN_EMU_H
#define KILN_EMU_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Runs kernel `name` on a gx*gy*gz grid of bx*by*bz blocks with
 * `dynamic_smem_bytes` of dynamic shared memory. Returns 0 on success;
 * otherwise non-zero and a message in err (truncated to errlen). Error codes:
 * 1 unknown kernel, 2 bad launch configuration, 3 kernel fault (deadlock at a
 * barrier, exception). */
int kiln_emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz,
                    unsigned bx, unsigned by, unsigned bz,
                    unsigned dynamic_smem_bytes, void** args, char* err,
                    size_t errlen);

/* Writes the registered kernel names, one per line, sorted. Returns the
 * number of bytes needed including the terminating NUL (call again with a
 * larger buffer if it exceeds len). */
int kiln_emu_kernel_names(char* buf, size_t len);

/* Writes a readable parameter list of `name` ("float const*, float*, long
 * long"). Returns the bytes needed including NUL, or -1 if unknown. */
int kiln_emu_kernel_signature(const char* name, char* buf, size_t len);

/* Seed of the fiber-order shuffle; also resets the launch counter. */
void kiln_emu_set_seed(unsigned long long seed);

/* Number of OS threads that run blocks; 0 restores the default
 * (hardware threads, at most 8). */
void kiln_emu_set_threads(int threads);

#ifdef __cplusplus
}
#endif

#endif /* KILN_EMU_H */
