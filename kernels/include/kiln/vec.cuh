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

}  // namespace kiln
