// Warp- and block-level reductions built on shuffles.
//
// All functions must be called by every thread of the warp (warp_*) or of the
// block (block_*), with blockDim.x * blockDim.y * blockDim.z a multiple of 32.
#pragma once

#include "kiln/kiln.cuh"

namespace kiln {

constexpr unsigned kFullMask = 0xffffffffu;

// Max that propagates NaN (like torch.max): fmaxf would drop it.
KILN_DEV float nan_max(float a, float b) { return (a > b || a != a) ? a : b; }
KILN_DEV float nan_min(float a, float b) { return (a < b || a != a) ? a : b; }

KILN_DEV float warp_sum(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFullMask, v, o);
  return v;
}

KILN_DEV float warp_max(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = nan_max(v, __shfl_xor_sync(kFullMask, v, o));
  return v;
}

// Online softmax state: running max m and sum s of exp(x - m).
struct MaxSum {
  float m, s;
};

KILN_DEV MaxSum maxsum_combine(MaxSum a, MaxSum b) {
  float m = fmaxf(a.m, b.m);
  // Both sides empty or all -inf: exp(-inf - -inf) would be NaN; a NaN sum
  // (a NaN element) must survive.
  if (m == -INFINITY) return {m, a.s + b.s};
  return {m, a.s * expf(a.m - m) + b.s * expf(b.m - m)};
}

KILN_DEV MaxSum warp_maxsum(MaxSum v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) {
    MaxSum w{__shfl_xor_sync(kFullMask, v.m, o), __shfl_xor_sync(kFullMask, v.s, o)};
    v = maxsum_combine(v, w);
  }
  return v;
}

KILN_DEV int flat_thread_id() {
  return threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
}

// Sum over the whole block; every thread gets the result. `scratch` must hold
// 32 floats of shared memory; it is reused, so the function ends with a
// barrier that makes back-to-back calls safe.
KILN_DEV float block_sum(float v, float* scratch) {
  const int tid = flat_thread_id();
  const int nwarps = (blockDim.x * blockDim.y * blockDim.z) >> 5;
  v = warp_sum(v);
  if ((tid & 31) == 0) scratch[tid >> 5] = v;
  __syncthreads();
  float r = (tid & 31) < nwarps ? scratch[tid & 31] : 0.f;
  r = warp_sum(r);
  __syncthreads();
  return r;
}

}  // namespace kiln
