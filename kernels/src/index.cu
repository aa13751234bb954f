// Kiln index family: gather along one axis and its accumulating inverse —
// the kernels behind Backend.indexSelect and indexAdd (Tensor.indexSelect,
// Embedding, and their gradients). float32 data, INT32 or INT64 indices.
//
// WHAT / LAYOUT
//   x is a contiguous [outer, dim, inner] tensor, idx holds `count` indices
//   into the middle axis, out/g are contiguous [outer, count, inner]:
//   index_select  out[o, j, i] = x[o, idx[j], i]
//   index_add     gx[o, idx[j], i] += g[o, j, i]   (gx is accumulated into,
//                 not cleared; atomicAdd, so the order of additions to one
//                 element is not fixed when indices repeat)
//
// BOUNDS (checked on the device, so a lookup needs no host round trip)
//   An index outside [0, dim) is never dereferenced: index_select writes 0
//   for its elements, index_add skips them, and the first thread to see one
//   records it in the backend's device error word `err`
//   (kiln/device_error.cuh): the index, its position j, `op` (the caller's
//   code for the operation) and dim. The host reads the word at its next
//   synchronisation point and raises the error there
//   (CudaBackend.checkDeviceErrors).
//
// ENTRY POINTS (I = int for _i32, long long for _i64; U = unsigned long long)
//   kiln_index_select_f32_{i32,i64}(const float* x, const I* idx, float* out,
//                                   int outer, int dim, int inner, int count,
//                                   U* err, int op)
//   kiln_index_add_f32_{i32,i64}(const float* g, const I* idx, float* gx,
//                                int outer, int dim, int inner, int count,
//                                U* err, int op)
//
// ALGORITHM / LAUNCH
//   One thread per output (select) or gradient (add) element in a 1-D
//   grid-stride loop over outer * count * inner; consecutive threads walk
//   `inner`, so both sides are coalesced for inner >= 32. Any block and grid
//   size; recommended block 256, grid min(ceil(n / 256), 65535), at least 1.
//
// EMULATOR / TESTS
//   kernels/test/test_index.cpp checks both kernels and both index types
//   against CPU references with repeated indices and NaN-poisoned outputs,
//   and the error word for negative and too-large indices.
//
// RESOURCES AND SPEED
//   No spills. Not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/device_error.cuh"
#include "kiln/vec.cuh"

namespace {

using kiln::global_tid;
using kiln::grid_threads;

typedef unsigned long long U;

// True when v is a valid index; otherwise records it in the error word (first
// one wins) and returns false.
KILN_DEV bool index_ok(long long v, long long j, int dim, U* err, int op) {
  if (v >= 0 && v < dim) return true;
  kiln::report_device_error(err, v, j, op, dim);
  return false;
}

template <class I>
KILN_DEV void index_select(const float* x, const I* idx, float* out, int outer, int dim,
                           int inner, int count, U* err, int op) {
  const long long n = (long long)outer * count * inner;
  const long long tid = global_tid(), stride = grid_threads();
  for (long long e = tid; e < n; e += stride) {
    const long long i = e % inner, r = e / inner, j = r % count, o = r / count;
    const long long v = static_cast<long long>(idx[j]);
    out[e] = index_ok(v, j, dim, err, op) ? x[(o * dim + v) * inner + i] : 0.f;
  }
}

template <class I>
KILN_DEV void index_add(const float* g, const I* idx, float* gx, int outer, int dim, int inner,
                        int count, U* err, int op) {
  const long long n = (long long)outer * count * inner;
  const long long tid = global_tid(), stride = grid_threads();
  for (long long e = tid; e < n; e += stride) {
    const long long i = e % inner, r = e / inner, j = r % count, o = r / count;
    const long long v = static_cast<long long>(idx[j]);
    if (index_ok(v, j, dim, err, op)) atomicAdd(gx + (o * dim + v) * inner + i, g[e]);
  }
}

}  // namespace

#define KILN_INDEX(iname, I)                                                              \
  extern "C" __global__ void kiln_index_select_f32_##iname(                               \
      const float* x, const I* idx, float* out, int outer, int dim, int inner, int count, \
      U* err, int op) {                                                                   \
    index_select(x, idx, out, outer, dim, inner, count, err, op);                         \
  }                                                                                       \
  KILN_KERNEL_REGISTER(kiln_index_select_f32_##iname);                                    \
  extern "C" __global__ void kiln_index_add_f32_##iname(                                  \
      const float* g, const I* idx, float* gx, int outer, int dim, int inner, int count,  \
      U* err, int op) {                                                                   \
    index_add(g, idx, gx, outer, dim, inner, count, err, op);                             \
  }                                                                                       \
  KILN_KERNEL_REGISTER(kiln_index_add_f32_##iname)

KILN_INDEX(i32, int);
KILN_INDEX(i64, long long);
