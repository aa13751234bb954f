// Random number kernels on counter-based Philox4x32-10: uniform and normal
// fills (Tensor.rand/randn, initialisers; dropout masks are built from the
// uniform fill).
//
// Layout: contiguous float32 buffers of n elements. Element i of a call uses
// the Philox stream counter g = offset + i exactly as kiln/philox.h (and
// dev.kiln.Generator) specify, so the same (seed, offset) gives the same
// numbers on every backend: uniform bit-exactly, normal up to
// the rounding of logf/sinf/cosf.
//
// Algorithm: each thread encrypts one Philox block (four counters) per
// grid-stride step and writes the elements of [0, n) that fall in it; when
// offset % 4 == 0 and the output is 16-byte aligned, whole blocks are stored
// as float4.
//
// Launch configuration: 1-D, any block and grid size. Recommended: block 256,
// grid min(ceil((n + 3) / 4 / 256), 32 * SMs), at least 1.
//
//   kiln_random_uniform_f32(float* y, long long n, unsigned long long seed,
//                           unsigned long long offset, float lo, float hi)
//       y[i] = fma(hi - lo, u(offset + i), lo)
//   kiln_random_normal_f32(float* y, long long n, unsigned long long seed,
//                          unsigned long long offset, float mean, float std)
//       y[i] = fma(std, z(offset + i), mean)
//
// Ratio vs vendor: not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/philox.h"
#include "kiln/vec.cuh"

namespace {

using kiln::aligned16;
using kiln::global_tid;
using kiln::grid_threads;

// Calls f(i, words, k) for every element i in [0, n) whose counter
// g = offset + i lies in Philox block b, k = g % 4.
template <class F>
KILN_DEV void for_each_block(long long n, unsigned long long seed, unsigned long long offset,
                             F f) {
  if (n <= 0) return;
  const unsigned long long b0 = offset >> 2;
  const unsigned long long b1 = (offset + static_cast<unsigned long long>(n) - 1) >> 2;
  const long long nblocks = static_cast<long long>(b1 - b0) + 1;
  for (long long t = global_tid(); t < nblocks; t += grid_threads()) {
    const unsigned long long b = b0 + static_cast<unsigned long long>(t);
    const kiln_philox4 w = kiln_philox_block(seed, b);
    const long long first = static_cast<long long>((b << 2) - offset);  // may be negative
    f(first, w);
  }
}

}  // namespace

extern "C" __global__ void kiln_random_uniform_f32(float* y, long long n, unsigned long long seed,
                                                   unsigned long long offset, float lo, float hi) {
  const float span = hi - lo;
  const bool vec = (offset & 3) == 0 && aligned16(y);
  for_each_block(n, seed, offset, [&](long long first, const kiln_philox4& w) {
    if (vec && first + 4 <= n) {
      kiln::store4(y + first, make_float4(fmaf(span, kiln_philox_u01(w.v[0]), lo),
                                          fmaf(span, kiln_philox_u01(w.v[1]), lo),
                                          fmaf(span, kiln_philox_u01(w.v[2]), lo),
                                          fmaf(span, kiln_philox_u01(w.v[3]), lo)));
      return;
    }
    for (int k = 0; k < 4; ++k) {
      const long long i = first + k;
      if (i >= 0 && i < n) y[i] = fmaf(span, kiln_philox_u01(w.v[k]), lo);
    }
  });
}
KILN_KERNEL_REGISTER(kiln_random_uniform_f32);

extern "C" __global__ void kiln_random_normal_f32(float* y, long long n, unsigned long long seed,
                                                  unsigned long long offset, float mean,
                                                  float std) {
  for_each_block(n, seed, offset, [&](long long first, const kiln_philox4& w) {
    for (int k = 0; k < 4; ++k) {
      const long long i = first + k;
      if (i >= 0 && i < n) y[i] = fmaf(std, kiln_philox_normal_from(w, k), mean);
    }
  });
}
KILN_KERNEL_REGISTER(kiln_random_normal_f32);
