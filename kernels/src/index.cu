// Kiln index family: gather along one axis and its accumulating inverse —
// the kernels behind Backend.indexSelect and indexAdd (Tensor.indexSelect,
// Embedding, and their gradients). float32 data, INT32 or INT64 indices.
//
// WHAT / LAYOUT
//   x is a contiguous [outer, dim, inner] tensor, idx holds `count` indices
//   into the middle axis (0 <= idx[j] < dim, not checked), out/g are
//   contiguous [outer, count, inner]:
//   index_select  out[o, j, i] = x[o, idx[j], i]
//   index_add     gx[o, idx[j], i] += g[o, j, i]   (gx is accumulated into,
//                 not cleared; atomicAdd, so the order of additions to one
//                 element is not fixed when indices repeat)
//
// ENTRY POINTS (I = int for _i32, long long for _i64)
//   kiln_index_select_f32_{i32,i64}(const float* x, const I* idx, float* out,
//                                   int outer, int dim, int inner, int count)
//   kiln_index_add_f32_{i32,i64}(const float* g, const I* idx, float* gx,
//                                int outer, int dim, int inner, int count)
//
// ALGORITHM / LAUNCH
//   One thread per output (select) or gradient (add) element in a 1-D
//   grid-stride loop over outer * count * inner; consecutive threads walk
//   `inner`, so both sides are coalesced for inner >= 32. Any block and grid
//   size; recommended block 256, grid min(ceil(n / 256), 65535), at least 1.
//
// EMULATOR / TESTS
//   kernels/test/test_index.cpp checks both kernels and both index types
//   against CPU references with repeated indices and NaN-poisoned outputs.
//
// RESOURCES AND SPEED
//   No spills. Not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"

namespace {

using kiln::global_tid;
using kiln::grid_threads;

template <class I>
KILN_DEV void index_select(const float* x, const I* idx, float* out, int outer, int dim,
                           int inner, int count) {
  const long long n = (long long)outer * count * inner;
  const long long tid = global_tid(), stride = grid_threads();
  for (long long e = tid; e < n; e += stride) {
    const long long i = e % inner, r = e / inner, j = r % count, o = r / count;
    out[e] = x[(o * dim + static_cast<long long>(idx[j])) * inner + i];
  }
}

template <class I>
KILN_DEV void index_add(const float* g, const I* idx, float* gx, int outer, int dim, int inner,
                        int count) {
  const long long n = (long long)outer * count * inner;
  const long long tid = global_tid(), stride = grid_threads();
  for (long long e = tid; e < n; e += stride) {
    const long long i = e % inner, r = e / inner, j = r % count, o = r / count;
    atomicAdd(gx + (o * dim + static_cast<long long>(idx[j])) * inner + i, g[e]);
  }
}

}  // namespace

#define KILN_INDEX(iname, I)                                                                \
  extern "C" __global__ void kiln_index_select_f32_##iname(                                 \
      const float* x, const I* idx, float* out, int outer, int dim, int inner, int count) { \
    index_select(x, idx, out, outer, dim, inner, count);                                    \
  }                                                                                         \
  KILN_KERNEL_REGISTER(kiln_index_select_f32_##iname);                                      \
  extern "C" __global__ void kiln_index_add_f32_##iname(                                    \
      const float* g, const I* idx, float* gx, int outer, int dim, int inner, int count) {  \
    index_add(g, idx, gx, outer, dim, inner, count);                                        \
  }                                                                                         \
  KILN_KERNEL_REGISTER(kiln_index_add_f32_##iname)

KILN_INDEX(i32, int);
KILN_INDEX(i64, long long);
