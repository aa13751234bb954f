// Kiln sparse family: CSR x dense products (SpMM), segment sums and scatter
// sums, the message-passing primitives of graph networks. fp32 values,
// int32 indices.
//
// WHAT
//   spmm          Y[r, :] = sum_{k in [row_ptr[r], row_ptr[r+1])} val[k] * X[col[k], :]
//                 (val may be null: every stored value is 1). A row without
//                 nonzeros gives zeros. The backward dX = A^T dY is the same
//                 kernel on the transposed CSR, which the caller builds once per
//                 matrix: no atomics, deterministic.
//   segment_sum   out[s, :] = sum_{i in [off[s], off[s+1])} src[i, :]
//                 (spmm with col = i and val = 1; empty segments give zeros)
//   segment_expand dsrc[i, :] = dout[s, :] for i in [off[s], off[s+1])
//                 (the backward of segment_sum; rows outside every segment are
//                 not written)
//   scatter_add   out[idx[i], :] += src[i, :] with atomicAdd: the summation
//                 order is not fixed, so results may differ in the last bits
//                 from run to run. The deterministic scatter sum groups the
//                 indices into a CSR (offsets + permutation) and runs spmm.
//
// LAYOUT
//   CSR: row_ptr int32 [rows + 1] (row_ptr[0] = 0, non-decreasing), col int32
//   [nnz] in [0, cols), val fp32 [nnz] or null. X [cols, n], Y [rows, n]
//   row-major contiguous. Split plans: items int32 [4 * count] holding
//   (row, begin, end, slot) per item; partial fp32 [slots, n]; fix-up rows
//   split_rows int32 [nsplit] and split_ptr int32 [nsplit + 1] into slots.
//
// ALGORITHM
//   Row-split ("vector CSR"): a group of `lanes` consecutive threads (a power
//   of two, 1..32, so a group never straddles a warp) owns one row; lane l
//   computes columns l*V, l*V + lanes*V, ... (V = 1, or 4 in the _v4 variants,
//   which use 16-byte loads of X rows and stores of Y rows). All lanes of a
//   group read the same col/val entry (a broadcast), then a coalesced segment
//   of one X row. The host picks lanes = the smallest power of two >=
//   ceil(n / V), at most 32 (a whole warp per row for n >= 32, or >= 128 with
//   V = 4), so narrow features do not idle 7/8 of a warp.
//   Nonzero-balanced ("split"): rows longer than a piece length L are cut into
//   pieces of at most L nonzeros; each piece is one work item (short rows are
//   one item each), so no group walks more than L nonzeros however skewed the
//   degrees. Items of unsplit rows write Y; pieces of split rows write their
//   partial sums to their own slot, and spmm_fixup adds each split row's slots
//   in slot order: deterministic, no atomics. The host builds the items once
//   per matrix and chooses split when max degree > max(64, 8 * mean degree)
//   (power-law graphs), else row-split.
//
// LAUNCH (all 1-D grid-stride: blockDim (256,1,1), which is a multiple of
//   every `lanes`; grid.x = min(ceil(work * lanes / 256), 65535) where work is
//   rows, items or segments; scatter_add and spmm_fixup: one thread per
//   output element, grid.x = min(ceil(elements / 256), 65535); dynamic shared
//   memory 0)
//   kiln_sparse_spmm_rowsplit_f32(const int* row_ptr, const int* col, const float* val,
//       const float* x, float* y, int rows, int n, int lanes)
//   kiln_sparse_spmm_rowsplit_v4_f32(same)      n % 4 == 0, x and y 16-byte aligned
//   kiln_sparse_spmm_split_f32(const int* items, int count, const int* col, const float* val,
//       const float* x, float* y, float* partial, int n, int lanes)
//   kiln_sparse_spmm_split_v4_f32(same)         n % 4 == 0, x, y, partial 16-byte aligned
//   kiln_sparse_spmm_fixup_f32(const int* split_rows, const int* split_ptr,
//       const float* partial, float* y, int nsplit, int n)
//   kiln_sparse_segment_sum_f32(const int* off, const float* src, float* out,
//       int segments, int n, int lanes)
//   kiln_sparse_segment_expand_f32(const int* off, const float* dout, float* dsrc,
//       int segments, int n, int lanes)
//   kiln_sparse_scatter_add_f32(const int* idx, const float* src, float* out,
//       long long count, int n)                 accumulates into out
//   Outputs other than scatter_add's are fully written, never read (they may
//   hold NaN before the launch). Ratio vs cuSPARSE cusparseSpMM: not yet
//   measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"

namespace {

// One group's row: lanes of the group split the n columns, V at a time.
// col == nullptr means the identity (segment sums), val == nullptr all ones.
template <int V>
KILN_DEV void row_product(int begin, int end, const int* col, const float* val, const float* x,
                          float* out, int n, int lane, int lanes) {
  for (int c = lane * V; c < n; c += lanes * V) {
    if constexpr (V == 4) {
      float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
      for (int k = begin; k < end; ++k) {
        const long long src = col ? col[k] : k;
        const float w = val ? val[k] : 1.0f;
        const float4 v = kiln::load4(x + src * n + c);
        acc.x += w * v.x;
        acc.y += w * v.y;
        acc.z += w * v.z;
        acc.w += w * v.w;
      }
      kiln::store4(out + c, acc);
    } else {
      float acc = 0.f;
      for (int k = begin; k < end; ++k) {
        const long long src = col ? col[k] : k;
        acc += (val ? val[k] : 1.0f) * x[src * n + c];
      }
      out[c] = acc;
    }
  }
}

template <int V>
KILN_DEV void rowsplit(const int* row_ptr, const int* col, const float* val, const float* x,
                       float* y, int rows, int n, int lanes) {
  const long long t = kiln::global_tid();
  const int lane = (int)(t % lanes);
  const long long groups = kiln::grid_threads() / lanes;
  for (long long r = t / lanes; r < rows; r += groups) {
    row_product<V>(row_ptr[r], row_ptr[r + 1], col, val, x, y + r * n, n, lane, lanes);
  }
}

template <int V>
KILN_DEV void split(const int* items, int count, const int* col, const float* val,
                    const float* x, float* y, float* partial, int n, int lanes) {
  const long long t = kiln::global_tid();
  const int lane = (int)(t % lanes);
  const long long groups = kiln::grid_threads() / lanes;
  for (long long i = t / lanes; i < count; i += groups) {
    const int* it = items + 4 * i;
    const int row = it[0], slot = it[3];
    float* out = slot < 0 ? y + (long long)row * n : partial + (long long)slot * n;
    row_product<V>(it[1], it[2], col, val, x, out, n, lane, lanes);
  }
}

}  // namespace

extern "C" __global__ void kiln_sparse_spmm_rowsplit_f32(const int* row_ptr, const int* col,
                                                         const float* val, const float* x,
                                                         float* y, int rows, int n, int lanes) {
  rowsplit<1>(row_ptr, col, val, x, y, rows, n, lanes);
}
KILN_KERNEL_REGISTER(kiln_sparse_spmm_rowsplit_f32);

extern "C" __global__ void kiln_sparse_spmm_rowsplit_v4_f32(const int* row_ptr, const int* col,
                                                            const float* val, const float* x,
                                                            float* y, int rows, int n, int lanes) {
  rowsplit<4>(row_ptr, col, val, x, y, rows, n, lanes);
}
KILN_KERNEL_REGISTER(kiln_sparse_spmm_rowsplit_v4_f32);

extern "C" __global__ void kiln_sparse_spmm_split_f32(const int* items, int count, const int* col,
                                                      const float* val, const float* x, float* y,
                                                      float* partial, int n, int lanes) {
  split<1>(items, count, col, val, x, y, partial, n, lanes);
}
KILN_KERNEL_REGISTER(kiln_sparse_spmm_split_f32);

extern "C" __global__ void kiln_sparse_spmm_split_v4_f32(const int* items, int count,
                                                         const int* col, const float* val,
                                                         const float* x, float* y, float* partial,
                                                         int n, int lanes) {
  split<4>(items, count, col, val, x, y, partial, n, lanes);
}
KILN_KERNEL_REGISTER(kiln_sparse_spmm_split_v4_f32);

extern "C" __global__ void kiln_sparse_spmm_fixup_f32(const int* split_rows, const int* split_ptr,
                                                      const float* partial, float* y, int nsplit,
                                                      int n) {
  const long long total = (long long)nsplit * n;
  for (long long o = kiln::global_tid(); o < total; o += kiln::grid_threads()) {
    const long long i = o / n;
    const int c = (int)(o - i * n);
    float acc = 0.f;
    for (int s = split_ptr[i]; s < split_ptr[i + 1]; ++s) acc += partial[(long long)s * n + c];
    y[(long long)split_rows[i] * n + c] = acc;
  }
}
KILN_KERNEL_REGISTER(kiln_sparse_spmm_fixup_f32);

extern "C" __global__ void kiln_sparse_segment_sum_f32(const int* off, const float* src,
                                                       float* out, int segments, int n,
                                                       int lanes) {
  rowsplit<1>(off, nullptr, nullptr, src, out, segments, n, lanes);
}
KILN_KERNEL_REGISTER(kiln_sparse_segment_sum_f32);

extern "C" __global__ void kiln_sparse_segment_expand_f32(const int* off, const float* dout,
                                                          float* dsrc, int segments, int n,
                                                          int lanes) {
  const long long t = kiln::global_tid();
  const int lane = (int)(t % lanes);
  const long long groups = kiln::grid_threads() / lanes;
  for (long long s = t / lanes; s < segments; s += groups) {
    const int b = off[s], e = off[s + 1];
    for (int c = lane; c < n; c += lanes) {
      const float v = dout[s * n + c];
      for (int i = b; i < e; ++i) dsrc[(long long)i * n + c] = v;
    }
  }
}
KILN_KERNEL_REGISTER(kiln_sparse_segment_expand_f32);

extern "C" __global__ void kiln_sparse_scatter_add_f32(const int* idx, const float* src, float* out,
                                                       long long count, int n) {
  const long long total = count * n;
  for (long long o = kiln::global_tid(); o < total; o += kiln::grid_threads()) {
    const long long i = o / n;
    const int c = (int)(o - i * n);
    atomicAdd(out + (long long)idx[i] * n + c, src[o]);
  }
}
KILN_KERNEL_REGISTER(kiln_sparse_scatter_add_f32);
