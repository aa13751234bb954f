/* Counter-based Philox4x32-10 random numbers, shared by the CUDA kernels
 * (kernels/src/random.cu), the host emulator tests and, by specification,
 * the Java CPU backend.
 *
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2,
 * 3", SC'11): a 4x32-bit counter is encrypted with a 2x32-bit key by ten
 * rounds of
 *     hi0:lo0 = 0xD2511F53 * c0,  hi1:lo1 = 0xCD9E8D57 * c2   (32x32->64)
 *     c = { hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0 }
 * with the key bumped by (0x9E3779B9, 0xBB67AE85) between rounds. The known
 * answer for counter 0, key 0 is {0x6627e8d5, 0xe169c58d, 0xbc57ac4c,
 * 0x9b00dbd8} (checked by the host tests).
 *
 * Stream mapping (the same as dev.kiln.Generator on the Java side): element
 * i (0-based) of a draw that starts at stream offset `offset` uses the global
 * counter g = offset + i and
 *     key     = { lo32(seed), hi32(seed) }
 *     block   = philox({ lo32(g / 4), hi32(g / 4), 0, 0 }, key)
 *     word    = block[g % 4]
 * so one Philox call serves four consecutive counters. A caller that draws n
 * numbers advances its offset by n rounded up to a multiple of 4, so two draws
 * never share a Philox block.
 *
 * Derived values (all float32, round-to-nearest):
 *   uniform [0,1):   u = (word >> 8) * 2^-24                 (exact)
 *   uniform [lo,hi): fma(hi - lo, u, lo)                      (exact given fma;
 *                    Java: Math.fma(hi - lo, u, lo))
 *   normal:          Box-Muller on the word pair j = (g % 4) / 2 of block:
 *                      u1 = ((block[2j] >> 8) + 1) * 2^-24  in (0,1]
 *                      u2 = (block[2j+1] >> 8) * 2^-24
 *                      r  = sqrtf(-2 * logf(u1)), t = 6.2831855f * u2
 *                    even g takes r * cosf(t), odd g r * sinf(t); then
 *                    fma(std, z, mean). Equal across backends only up to the
 *                    rounding of logf/sinf/cosf (CUDA's are within 2 ulp), so
 *                    a CPU reproduction matches to a few ulp, not bit for bit.
 *   dropout keep:    u >= p   (element kept with probability 1 - p); kept
 *                    values are multiplied by 1 / (1 - p) computed in float;
 *                    p >= 1 drops everything.
 */
#ifndef KILN_PHILOX_H
#define KILN_PHILOX_H

#include <stdint.h>
#include <math.h>

#if defined(__CUDACC__)
#define KILN_PHILOX_FN __host__ __device__ __forceinline__
#else
#define KILN_PHILOX_FN static inline
#endif

typedef struct {
  uint32_t v[4];
} kiln_philox4;

KILN_PHILOX_FN kiln_philox4 kiln_philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2,
                                               uint32_t c3, uint32_t k0, uint32_t k1) {
  for (int r = 0; r < 10; ++r) {
    if (r > 0) {
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    uint64_t p0 = (uint64_t)0xD2511F53u * c0;
    uint64_t p1 = (uint64_t)0xCD9E8D57u * c2;
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  kiln_philox4 out;
  out.v[0] = c0;
  out.v[1] = c1;
  out.v[2] = c2;
  out.v[3] = c3;
  return out;
}

/* The four words of Philox block `block` (= g / 4) of stream `seed`. */
KILN_PHILOX_FN kiln_philox4 kiln_philox_block(uint64_t seed, uint64_t block) {
  return kiln_philox4x32_10((uint32_t)block, (uint32_t)(block >> 32), 0u, 0u, (uint32_t)seed,
                            (uint32_t)(seed >> 32));
}

KILN_PHILOX_FN float kiln_philox_u01(uint32_t w) { return (float)(w >> 8) * 5.9604645e-08f; }

/* u1 in (0, 1] for the logarithm of Box-Muller. */
KILN_PHILOX_FN float kiln_philox_u01_open0(uint32_t w) {
  return (float)((w >> 8) + 1u) * 5.9604645e-08f;
}

/* Standard normal for global counter g, given g's Philox block words. */
KILN_PHILOX_FN float kiln_philox_normal_from(kiln_philox4 w, uint32_t k /* g % 4 */) {
  uint32_t j = k >> 1;
  float u1 = kiln_philox_u01_open0(w.v[2 * j]);
  float u2 = kiln_philox_u01(w.v[2 * j + 1]);
  float r = sqrtf(-2.0f * logf(u1));
  float t = 6.2831855f * u2;
  return (k & 1u) ? r * sinf(t) : r * cosf(t);
}

/* Uniform [0,1) for global counter g (= offset + i). */
KILN_PHILOX_FN float kiln_philox_uniform_at(uint64_t seed, uint64_t g) {
  return kiln_philox_u01(kiln_philox_block(seed, g >> 2).v[g & 3]);
}

/* Standard normal for global counter g (= offset + i). */
KILN_PHILOX_FN float kiln_philox_normal_at(uint64_t seed, uint64_t g) {
  return kiln_philox_normal_from(kiln_philox_block(seed, g >> 2), (uint32_t)(g & 3));
}

#endif /* KILN_PHILOX_H */
