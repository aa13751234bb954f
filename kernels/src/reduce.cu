// Reductions: sum, max and argmax along one axis, and a deterministic
// two-stage sum (or mean) of a whole tensor. float32 in, float32 (int64 for argmax) out.
//
// Layout: a contiguous tensor viewed as [outer, dim, inner]; the axis `dim`
// is reduced, the output is contiguous [outer, inner]:
//   y[o * inner + i] = reduce_{d < dim} x[(o * dim + d) * inner + i]
// All sizes are int64. max propagates NaN; argmax returns the first index of
// the maximum, a NaN counting as the maximum (torch semantics). dim must be
// >= 1 for max/argmax (dim == 0 gives sum 0).
//
// Algorithm (one kernel per op, the branch is uniform per launch):
//   inner == 1  one warp per row; lanes stride over the row, then a
//               shuffle-xor tree. Rows are grid-stride over all warps.
//   inner > 1   one block per task (o, 32-wide slab of i); threadIdx.x walks
//               i (coalesced), threadIdx.y splits dim; partials meet in shared
//               memory. Tasks are grid-stride over blocks.
// The order of every accumulation is fixed by the launch configuration, so
// results are deterministic for a given (grid, block).
// Full sum: stage 1 writes one partial per block (grid-stride loop, float4
// loads when aligned, block tree); stage 2 (one block) sums the partials in
// index order and scales: out[0] = scale * sum (scale = 1/n gives the mean).
//
// Launch configuration:
//   kiln_reduce_{sum,max}_f32(const float* x, float* y,
//                                  long long outer, long long dim, long long inner)
//   kiln_reduce_argmax_f32(const float* x, long long* y,
//                          long long outer, long long dim, long long inner)
//       block (32, 8, 1) (any blockDim.x == 32, 1 <= blockDim.y <= 32 works);
//       grid.x: inner == 1: ceil(outer / 8); else outer * ceil(inner / 32);
//       capped at 65535 (grid-stride loops cover the rest; any grid >= 1 is
//       correct).
//   kiln_reduce_sumall_partial_f32(const float* x, float* partial, long long n)
//       block 256 (any multiple of 32 up to 1024), grid G >= 1 (recommended
//       min(ceil(n / 2048), 1024)); writes partial[0 .. G).
//   kiln_reduce_sumall_final_f32(const float* partial, float* out,
//                                long long m, float scale)
//       one block of 256 (any multiple of 32); m = G from stage 1.
//
// Ratio vs vendor: not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"
#include "kiln/warp.cuh"

namespace {

struct SumOp {
  using T = float;
  KILN_DEV static T identity() { return 0.f; }
  KILN_DEV static T from(float v, long long) { return v; }
  KILN_DEV static T combine(T a, T b) { return a + b; }
  KILN_DEV static T shfl_xor(T a, int o) { return __shfl_xor_sync(kiln::kFullMask, a, o); }
};

struct MaxOp {
  using T = float;
  KILN_DEV static T identity() { return -INFINITY; }
  KILN_DEV static T from(float v, long long) { return v; }
  KILN_DEV static T combine(T a, T b) { return kiln::nan_max(a, b); }
  KILN_DEV static T shfl_xor(T a, int o) { return __shfl_xor_sync(kiln::kFullMask, a, o); }
};

struct ArgMax {
  float v;
  long long i;
};

struct ArgMaxOp {
  using T = ArgMax;
  KILN_DEV static T identity() { return {-INFINITY, -1}; }
  KILN_DEV static T from(float v, long long i) { return {v, i}; }
  // a beats b: larger value, NaN beats numbers, ties (and NaN vs NaN) go to
  // the smaller index; the identity (index -1) never beats a real element.
  KILN_DEV static T combine(T a, T b) {
    if (a.i < 0) return b;
    if (b.i < 0) return a;
    const bool an = a.v != a.v, bn = b.v != b.v;
    bool a_wins;
    if (an || bn) a_wins = an && (!bn || a.i < b.i);
    else a_wins = a.v > b.v || (a.v == b.v && a.i < b.i);
    return a_wins ? a : b;
  }
  KILN_DEV static T shfl_xor(T a, int o) {
    return {__shfl_xor_sync(kiln::kFullMask, a.v, o), __shfl_xor_sync(kiln::kFullMask, a.i, o)};
  }
};

template <class Op>
KILN_DEV typename Op::T warp_reduce(typename Op::T v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = Op::combine(v, Op::shfl_xor(v, o));
  return v;
}

KILN_DEV void store(float* y, long long k, float v) { y[k] = v; }
KILN_DEV void store(long long* y, long long k, ArgMax v) { y[k] = v.i; }

template <class Op, class Out>
KILN_DEV void reduce_axis(const float* x, Out* y, long long outer, long long dim, long long inner) {
  using T = typename Op::T;
  const int lane = threadIdx.x;
  if (inner == 1) {
    const long long warps = static_cast<long long>(gridDim.x) * blockDim.y;
    for (long long r = static_cast<long long>(blockIdx.x) * blockDim.y + threadIdx.y; r < outer;
         r += warps) {
      const float* row = x + r * dim;
      T acc = Op::identity();
      for (long long d = lane; d < dim; d += 32) acc = Op::combine(acc, Op::from(row[d], d));
      acc = warp_reduce<Op>(acc);
      if (lane == 0) store(y, r, acc);
    }
    return;
  }
  KILN_SHARED_2D(T, part, 32, 33);
  const long long slabs = (inner + 31) / 32;
  const long long tasks = outer * slabs;
  for (long long t = blockIdx.x; t < tasks; t += gridDim.x) {
    const long long o = t / slabs;
    const long long i = (t % slabs) * 32 + lane;
    T acc = Op::identity();
    if (i < inner) {
      const float* col = x + o * dim * inner + i;
      for (long long d = threadIdx.y; d < dim; d += blockDim.y)
        acc = Op::combine(acc, Op::from(col[d * inner], d));
    }
    part[threadIdx.y][lane] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && i < inner) {
      T r = part[0][lane];
      for (unsigned k = 1; k < blockDim.y; ++k) r = Op::combine(r, part[k][lane]);
      store(y, o * inner + i, r);
    }
    __syncthreads();
  }
}

}  // namespace

extern "C" __global__ void kiln_reduce_sum_f32(const float* x, float* y, long long outer,
                                               long long dim, long long inner) {
  reduce_axis<SumOp>(x, y, outer, dim, inner);
}
KILN_KERNEL_REGISTER(kiln_reduce_sum_f32);

extern "C" __global__ void kiln_reduce_max_f32(const float* x, float* y, long long outer,
                                               long long dim, long long inner) {
  reduce_axis<MaxOp>(x, y, outer, dim, inner);
}
KILN_KERNEL_REGISTER(kiln_reduce_max_f32);

extern "C" __global__ void kiln_reduce_argmax_f32(const float* x, long long* y, long long outer,
                                                  long long dim, long long inner) {
  reduce_axis<ArgMaxOp>(x, y, outer, dim, inner);
}
KILN_KERNEL_REGISTER(kiln_reduce_argmax_f32);

extern "C" __global__ void kiln_reduce_sumall_partial_f32(const float* x, float* partial,
                                                          long long n) {
  KILN_SHARED(float, scratch, 32);
  const long long tid = kiln::global_tid(), stride = kiln::grid_threads();
  float acc = 0.f;
  long long i0 = 0;
  if (kiln::aligned16(x)) {
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) {
      const float4 v = kiln::load4(x + 4 * i);
      acc += (v.x + v.y) + (v.z + v.w);
    }
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) acc += x[i];
  acc = kiln::block_sum(acc, scratch);
  if (threadIdx.x == 0) partial[blockIdx.x] = acc;
}
KILN_KERNEL_REGISTER(kiln_reduce_sumall_partial_f32);

extern "C" __global__ void kiln_reduce_sumall_final_f32(const float* partial, float* out,
                                                        long long m, float scale) {
  KILN_SHARED(float, scratch, 32);
  float acc = 0.f;
  for (long long i = threadIdx.x; i < m; i += blockDim.x) acc += partial[i];
  acc = kiln::block_sum(acc, scratch);
  if (threadIdx.x == 0) out[0] = scale * acc;
}
KILN_KERNEL_REGISTER(kiln_reduce_sumall_final_f32);
