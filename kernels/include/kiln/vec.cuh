// Vector memory access helpers: 16-byte loads/stores for contiguous float
// data, used when every pointer involved is 16-byte aligned.
#pragma once

#include "kiln/kiln.cuh"

namespace kiln {

KILN_DEV bool aligned16(const void* p) {
  return (reinterpret_cast<uintptr_t>(p) & 15u) == 0;
}

KILN_DEV float4 load4(const float* p) { return *reinterpret_cast<const float4*>(p); }
KILN_DEV void store4(float* p, float4 v) { *reinterpret_cast<float4*>(p) = v; }

// Grid-stride loop bounds for a 1-D launch.
KILN_DEV long long global_tid() {
  return static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
}
KILN_DEV long long grid_threads() {
  return static_cast<long long>(gridDim.x) * blockDim.x;
}

// Element offsets of linear index i of a row-major `shape` of nd axes in two
// strided operands (KilnStrided copies, KilnBroadcast binary ops).
KILN_DEV void strided_offsets(long long i, int nd, const long long* shape, const long long* s0,
                              const long long* s1, long long& o0, long long& o1) {
  o0 = 0;
  o1 = 0;
  for (int k = nd - 1; k >= 0; --k) {
    const long long c = i % shape[k];
    i /= shape[k];
    o0 += c * s0[k];
    o1 += c * s1[k];
  }
}

}  // namespace kiln
