// Kiln softmax family: softmax and log-softmax along one axis, their
// backward, and the fused cross-entropy forward+backward with integer
// targets. float32. (Backend.softmax, softmaxBackward, crossEntropy.)
//
// Layout: softmax kernels take a contiguous tensor viewed as
// [outer, dim, inner] (int64 sizes) and normalise the middle axis: row
// r = (o, i) of the outer * inner rows holds x[(o * dim + d) * inner + i],
// d < dim (inner == 1 is the last axis, rows of contiguous elements).
// Outputs have the same layout. Cross-entropy takes contiguous
// [rows, cols] logits.
//
// Algorithm: one warp per row (rows grid-stride over all warps of the grid).
// Pass 1 keeps an online (max, sum of exp(x - max)) per lane over a strided
// walk of the row and merges the lanes with a shuffle tree; pass 2 writes the
// outputs. Backward passes reduce dot(grad_out, y) (softmax) or sum(grad_out)
// (log-softmax) the same way. A NaN in a row makes the row NaN. Rows whose
// entries are all -inf give NaN (0/0), as in torch. For inner > 1 the lanes
// of a warp read elements `inner` apart (not coalesced; fine for the small
// inner sizes models use, a transpose-free fallback otherwise).
// Cross-entropy: loss[r] = log(s) - (x[r, t[r]] - m) with m the row maximum
// and s = sum exp(x - m) (unscaled), grad[r, j] = (softmax(x[r])_j -
// [j == t[r]]) * grad_scale; the caller passes grad_scale = 1 / (number of
// counted rows) for a mean loss. A target equal to ignore_index marks an
// ignored row (loss 0, grad 0), as torch's ignore_index; pass LLONG_MIN for
// none. Any other target outside [0, cols) is never used as an index: its
// row gets loss NaN and a NaN grad row, and the first such target seen is
// recorded in the backend's device error word `err` (kiln/device_error.cuh:
// the target, its row, `op`, cols; the first report wins; the host raises it
// at its next synchronisation). err may be null.
//
// Numerics: every output subtracts the row maximum before the log-sum is
// added or subtracted (x - m - log(s), never x - (m + log(s))): at logits
// near 800 the sum m + log(s) would round to half an ulp of m (3e-5).
//
// Launch configuration (all kernels): block (32, 8, 1) (blockDim.x must be
// 32; any blockDim.y), grid.x = ceil(outer * inner / 8) (xent: rows / 8)
// capped at 65535; any grid >= 1 is correct.
//   kiln_softmax_forward_f32(const float* x, float* y, long long outer,
//                            long long dim, long long inner)
//   kiln_softmax_backward_f32(const float* y, const float* grad_out, float* grad_in,
//                             long long outer, long long dim, long long inner)
//       grad_in = y * (grad_out - sum(grad_out * y))
//   kiln_softmax_log_forward_f32(same parameters as forward)
//   kiln_softmax_log_backward_f32(same parameters as backward)
//       y is the log-softmax output; grad_in = grad_out - exp(y) * sum(grad_out)
//   kiln_softmax_xent_f32(const float* logits, const int* targets, float* loss,
//                         float* grad, long long rows, long long cols, float grad_scale,
//                         long long ignore_index, unsigned long long* err, int op)
//   kiln_softmax_xent_i64_f32(... const long long* targets ...; otherwise the same)
//       loss has `rows` entries; grad may be null (forward only); err is
//       null or the 8-word device error word, op the code recorded with a
//       bad target.
// In-place (y == x, grad_in == grad_out) is allowed for all but xent's
// grad == logits, which is allowed too (each row is read before written).
//
// One warp per row is a good fit up to a few thousand columns; very long rows
// (vocabulary-sized) would want a block per row.
//
// Emulator / tests: kernels/test/test_softmax.cpp (ragged shapes, middle
// axes, both target types, NaN-poisoned outputs, logits near 800, ignored
// and out-of-range targets).
//
// Ratio vs vendor: not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/device_error.cuh"
#include "kiln/warp.cuh"

namespace {

using kiln::MaxSum;

KILN_DEV long long first_row() {
  return static_cast<long long>(blockIdx.x) * blockDim.y + threadIdx.y;
}
KILN_DEV long long row_stride() { return static_cast<long long>(gridDim.x) * blockDim.y; }

// Offset of the first element of row r of [outer, dim, inner].
KILN_DEV long long row_base(long long r, long long dim, long long inner) {
  return inner == 1 ? r * dim : (r / inner) * dim * inner + r % inner;
}

// Online max and sum of exp over one row (elements `step` apart), merged
// across the warp.
KILN_DEV MaxSum row_maxsum(const float* row, long long cols, long long step) {
  float m = -INFINITY, s = 0.f;
  for (long long j = threadIdx.x; j < cols; j += 32) {
    const float v = row[j * step];
    if (v > m) {
      s = s * expf(m - v) + 1.f;
      m = v;
    } else {
      s += v == -INFINITY ? 0.f : expf(v - m);  // NaN stays NaN
    }
  }
  return kiln::warp_maxsum(MaxSum{m, s});
}

template <bool kLog>
KILN_DEV void softmax_forward(const float* x, float* y, long long outer, long long dim,
                              long long inner) {
  const long long rows = outer * inner;
  for (long long r = first_row(); r < rows; r += row_stride()) {
    const long long base = row_base(r, dim, inner);
    const float* xr = x + base;
    float* yr = y + base;
    const MaxSum ms = row_maxsum(xr, dim, inner);
    if (kLog) {
      const float ls = logf(ms.s);
      for (long long j = threadIdx.x; j < dim; j += 32) yr[j * inner] = (xr[j * inner] - ms.m) - ls;
    } else {
      const float inv = 1.f / ms.s;
      for (long long j = threadIdx.x; j < dim; j += 32)
        yr[j * inner] = expf(xr[j * inner] - ms.m) * inv;
    }
  }
}

template <bool kLog>
KILN_DEV void softmax_backward(const float* y, const float* go, float* gi, long long outer,
                               long long dim, long long inner) {
  const long long rows = outer * inner;
  for (long long r = first_row(); r < rows; r += row_stride()) {
    const long long base = row_base(r, dim, inner);
    const float* yr = y + base;
    const float* gr = go + base;
    float* ir = gi + base;
    float acc = 0.f;
    for (long long j = threadIdx.x; j < dim; j += 32) {
      const long long q = j * inner;
      acc += kLog ? gr[q] : gr[q] * yr[q];
    }
    acc = kiln::warp_sum(acc);
    for (long long j = threadIdx.x; j < dim; j += 32) {
      const long long q = j * inner;
      ir[q] = kLog ? gr[q] - expf(yr[q]) * acc : yr[q] * (gr[q] - acc);
    }
  }
}

template <class T>
KILN_DEV void cross_entropy(const float* logits, const T* targets, float* loss, float* grad,
                            long long rows, long long cols, float grad_scale,
                            long long ignore_index, unsigned long long* err, int op) {
  for (long long r = first_row(); r < rows; r += row_stride()) {
    const float* xr = logits + r * cols;
    const long long t = static_cast<long long>(targets[r]);
    if (t == ignore_index) {  // ignored row
      if (threadIdx.x == 0) loss[r] = 0.f;
      if (grad)
        for (long long j = threadIdx.x; j < cols; j += 32) grad[r * cols + j] = 0.f;
      continue;
    }
    const bool valid = t >= 0 && t < cols;
    if (!valid && err && threadIdx.x == 0) kiln::report_device_error(err, t, r, op, cols);
    const MaxSum ms = row_maxsum(xr, cols, 1);
    const float xt = valid ? xr[t] : NAN;
    // Every lane reads xr[t] before any lane may overwrite it (grad == logits).
    __syncwarp();
    if (threadIdx.x == 0) loss[r] = logf(ms.s) - (xt - ms.m);
    if (grad) {
      float* gr = grad + r * cols;
      const float inv = 1.f / ms.s;
      for (long long j = threadIdx.x; j < cols; j += 32) {
        const float p = expf(xr[j] - ms.m) * inv;
        gr[j] = valid ? (p - (j == t ? 1.f : 0.f)) * grad_scale : NAN;
      }
    }
  }
}

}  // namespace

extern "C" __global__ void kiln_softmax_forward_f32(const float* x, float* y, long long outer,
                                                    long long dim, long long inner) {
  softmax_forward<false>(x, y, outer, dim, inner);
}
KILN_KERNEL_REGISTER(kiln_softmax_forward_f32);

extern "C" __global__ void kiln_softmax_log_forward_f32(const float* x, float* y,
                                                        long long outer, long long dim,
                                                        long long inner) {
  softmax_forward<true>(x, y, outer, dim, inner);
}
KILN_KERNEL_REGISTER(kiln_softmax_log_forward_f32);

extern "C" __global__ void kiln_softmax_backward_f32(const float* y, const float* grad_out,
                                                     float* grad_in, long long outer,
                                                     long long dim, long long inner) {
  softmax_backward<false>(y, grad_out, grad_in, outer, dim, inner);
}
KILN_KERNEL_REGISTER(kiln_softmax_backward_f32);

extern "C" __global__ void kiln_softmax_log_backward_f32(const float* y, const float* grad_out,
                                                         float* grad_in, long long outer,
                                                         long long dim, long long inner) {
  softmax_backward<true>(y, grad_out, grad_in, outer, dim, inner);
}
KILN_KERNEL_REGISTER(kiln_softmax_log_backward_f32);

extern "C" __global__ void kiln_softmax_xent_f32(const float* logits, const int* targets,
                                                 float* loss, float* grad, long long rows,
                                                 long long cols, float grad_scale,
                                                 long long ignore_index, unsigned long long* err,
                                                 int op) {
  cross_entropy(logits, targets, loss, grad, rows, cols, grad_scale, ignore_index, err, op);
}
KILN_KERNEL_REGISTER(kiln_softmax_xent_f32);

extern "C" __global__ void kiln_softmax_xent_i64_f32(const float* logits,
                                                     const long long* targets, float* loss,
                                                     float* grad, long long rows,
                                                     long long cols, float grad_scale,
                                                     long long ignore_index,
                                                     unsigned long long* err, int op) {
  cross_entropy(logits, targets, loss, grad, rows, cols, grad_scale, ignore_index, err, op);
}
KILN_KERNEL_REGISTER(kiln_softmax_xent_i64_f32);
