// Kiln layernorm family: LayerNorm over the last dimension, forward (with an
// optional fused residual add) and backward with deterministic dgamma/dbeta.
// float32.
//
// WHAT
//   Forward, per row r of s = x + residual (residual nullable: s = x):
//     mean = sum(s)/cols,  var = sum((s - mean)²)/cols (biased, as torch),
//     rstd = 1/sqrt(var + eps),  y = (s - mean) * rstd * gamma + beta.
//   gamma/beta nullable (no affine: 1 and 0). With a residual, `sum` (if not
//   null) receives s, which backward takes as its input and which the next
//   residual connection usually reuses. mean/rstd nullable (inference).
//   Backward, with xhat = (s - mean) * rstd and gy = dy * gamma:
//     dx = rstd * (gy - mean(gy) - xhat * mean(gy * xhat)) + dsum
//   (dsum nullable: gradient reaching s from its other uses, e.g. the
//   residual stream; the residual's gradient equals dx); dgamma =
//   sum_r dy * xhat, dbeta = sum_r dy, in two deterministic stages: every
//   block of the backward kernel writes its column partial sums over a fixed,
//   contiguous chunk of rows (row order fixed), then the reduce kernel adds
//   the partials in block order. Results are bit-identical from run to run
//   for a given grid.
//
// LAYOUT
//   x, residual, sum, y, dy, dx, dsum: contiguous [rows, cols]; gamma, beta,
//   dgamma, dbeta: [cols]; mean, rstd: [rows]; partials: [parts, cols] with
//   parts = gridDim.x of the backward launch. Sizes int64. In-place forward
//   (y == x, sum == x) is allowed; in backward dx must not alias dy or x (the
//   partial sums read them after other warps wrote dx).
//
// ALGORITHM
//   One warp per row (rows grid-stride over the warps): pass 1 sums s (and
//   stores it), pass 2 sums (s - mean)², pass 3 writes y; rows stay in L1/L2
//   between passes, which is the right shape up to a few thousand columns.
//   The two-pass variance avoids the cancellation of E[s²] - E[s]².
//   Backward: one warp per row for dx (one pass for both means, one for dx),
//   then the block's 256 threads walk the columns of its row chunk for the
//   partials.
//
// LAUNCH (dynamic shared memory 0 for all)
//   kiln_layernorm_forward_f32(const float* x, const float* residual,
//       const float* gamma, const float* beta, float* y, float* sum,
//       float* mean, float* rstd, long long rows, long long cols, float eps)
//     block (32, 8), grid ceil(rows/8) capped at 65535 (any grid >= 1).
//   kiln_layernorm_backward_f32(const float* dy, const float* x,
//       const float* gamma, const float* mean, const float* rstd,
//       const float* dsum, float* dx, float* dgamma_part, float* dbeta_part,
//       long long rows, long long cols)
//     block (32, 8) (blockDim.x must be 32), grid = parts, any 1 <= parts
//     (e.g. min(ceil(rows/8), 2 * SM count)); dgamma_part/dbeta_part
//     [parts, cols] may be null (not wanted).
//   kiln_layernorm_backward_reduce_f32(const float* dgamma_part,
//       const float* dbeta_part, float* dgamma, float* dbeta, long long parts,
//       long long cols)
//     block 256, grid min(ceil(cols/256), 65535); a null pair is skipped.
//
// Ratio vs vendor (no cuDNN LayerNorm in the legacy API; compare with
// torch/apex on a GPU): not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"
#include "kiln/warp.cuh"

namespace {

KILN_DEV long long first_row() {
  return static_cast<long long>(blockIdx.x) * blockDim.y + threadIdx.y;
}
KILN_DEV long long row_stride() { return static_cast<long long>(gridDim.x) * blockDim.y; }

}  // namespace

extern "C" __global__ void kiln_layernorm_forward_f32(const float* x, const float* residual,
                                                      const float* gamma, const float* beta,
                                                      float* y, float* sum, float* mean,
                                                      float* rstd, long long rows,
                                                      long long cols, float eps) {
  const float inv_cols = 1.f / static_cast<float>(cols);
  for (long long r = first_row(); r < rows; r += row_stride()) {
    const float* xr = x + r * cols;
    const float* rr = residual ? residual + r * cols : nullptr;
    float* sr = residual && sum ? sum + r * cols : nullptr;
    // Pass 1 reads x (+ residual) and stores s; later passes read s back from
    // `sum` when it was stored (x may be overwritten in place by then).
    float acc = 0.f;
    for (long long j = threadIdx.x; j < cols; j += 32) {
      const float s = rr ? xr[j] + rr[j] : xr[j];
      if (sr) sr[j] = s;
      acc += s;
    }
    const float mu = kiln::warp_sum(acc) * inv_cols;
    const float* src = sr ? sr : xr;
    acc = 0.f;
    for (long long j = threadIdx.x; j < cols; j += 32) {
      const float s = (rr && !sr) ? xr[j] + rr[j] : src[j];
      acc += (s - mu) * (s - mu);
    }
    const float rs = rsqrtf(kiln::warp_sum(acc) * inv_cols + eps);
    float* yr = y + r * cols;
    for (long long j = threadIdx.x; j < cols; j += 32) {
      const float s = (rr && !sr) ? xr[j] + rr[j] : src[j];
      float v = (s - mu) * rs;
      if (gamma) v *= gamma[j];
      if (beta) v += beta[j];
      yr[j] = v;
    }
    if (threadIdx.x == 0) {
      if (mean) mean[r] = mu;
      if (rstd) rstd[r] = rs;
    }
  }
}
KILN_KERNEL_REGISTER(kiln_layernorm_forward_f32);

extern "C" __global__ void kiln_layernorm_backward_f32(const float* dy, const float* x,
                                                       const float* gamma, const float* mean,
                                                       const float* rstd, const float* dsum,
                                                       float* dx, float* dgamma_part,
                                                       float* dbeta_part, long long rows,
                                                       long long cols) {
  const long long chunk = (rows + gridDim.x - 1) / gridDim.x;
  const long long r0 = static_cast<long long>(blockIdx.x) * chunk;
  const long long r1 = r0 + chunk < rows ? r0 + chunk : rows;
  const float inv_cols = 1.f / static_cast<float>(cols);
  for (long long r = r0 + threadIdx.y; r < r1; r += blockDim.y) {
    const float* dyr = dy + r * cols;
    const float* xr = x + r * cols;
    const float mu = mean[r], rs = rstd[r];
    float a = 0.f, b = 0.f;  // sum(gy), sum(gy * xhat)
    for (long long j = threadIdx.x; j < cols; j += 32) {
      const float gy = gamma ? dyr[j] * gamma[j] : dyr[j];
      a += gy;
      b += gy * (xr[j] - mu) * rs;
    }
    a = kiln::warp_sum(a) * inv_cols;
    b = kiln::warp_sum(b) * inv_cols;
    float* dxr = dx + r * cols;
    for (long long j = threadIdx.x; j < cols; j += 32) {
      const float gy = gamma ? dyr[j] * gamma[j] : dyr[j];
      float v = rs * (gy - a - (xr[j] - mu) * rs * b);
      if (dsum) v += dsum[r * cols + j];
      dxr[j] = v;
    }
  }
  if (!dgamma_part && !dbeta_part) return;
  const int tid = threadIdx.x + 32 * threadIdx.y, nt = 32 * blockDim.y;
  for (long long j = tid; j < cols; j += nt) {
    float pg = 0.f, pb = 0.f;
    for (long long r = r0; r < r1; ++r) {
      const float d = dy[r * cols + j];
      pg += d * (x[r * cols + j] - mean[r]) * rstd[r];
      pb += d;
    }
    if (dgamma_part) dgamma_part[blockIdx.x * cols + j] = pg;
    if (dbeta_part) dbeta_part[blockIdx.x * cols + j] = pb;
  }
}
KILN_KERNEL_REGISTER(kiln_layernorm_backward_f32);

extern "C" __global__ void kiln_layernorm_backward_reduce_f32(const float* dgamma_part,
                                                              const float* dbeta_part,
                                                              float* dgamma, float* dbeta,
                                                              long long parts, long long cols) {
  for (long long j = kiln::global_tid(); j < cols; j += kiln::grid_threads()) {
    if (dgamma_part && dgamma) {
      float s = 0.f;
      for (long long p = 0; p < parts; ++p) s += dgamma_part[p * cols + j];
      dgamma[j] = s;
    }
    if (dbeta_part && dbeta) {
      float s = 0.f;
      for (long long p = 0; p < parts; ++p) s += dbeta_part[p * cols + j];
      dbeta[j] = s;
    }
  }
}
KILN_KERNEL_REGISTER(kiln_layernorm_backward_reduce_f32);
