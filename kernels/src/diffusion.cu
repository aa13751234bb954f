// Noise-scheduling kernels for denoising diffusion models (DDPM, Ho et al.
// 2020; DDIM, Song et al. 2021): the schedule table, fused forward noising,
// and one fused reverse step each for DDPM ancestral and deterministic DDIM
// sampling.
//
// Layout: the schedule is one float32 table of KILN_DIFF_ROWS rows of T
// (row-major [ROWS, T], entry (row, t) at table[row * T + t], t = 0 .. T-1
// for the diffusion steps 1 .. T of the papers):
//   0 beta_t                        4 posterior variance  beta_t (1 - abar_{t-1}) / (1 - abar_t)
//   1 abar_t = prod_{s<=t} (1-b_s)  5 posterior std       sqrt(row 4)   (0 at t = 0)
//   2 sqrt(abar_t)                  6 posterior mean coef on x0   beta_t sqrt(abar_{t-1}) / (1 - abar_t)
//   3 sqrt(1 - abar_t)              7 posterior mean coef on x_t  (1 - abar_{t-1}) sqrt(1 - beta_t) / (1 - abar_t)
//   8 sqrt(1 / abar_t)              9 sqrt(1 / abar_t - 1)
// with abar_{-1} = 1. Samples are contiguous float32 [B, D] (any trailing
// shape flattened into D); timesteps int32 [B].
//
// Algorithm:
//   schedule    one block. beta_t is computed in double per t (linear:
//               b0 + (b1 - b0) t / (T - 1); cosine: f(t) = cos^2(((t/T) + s)
//               / (1 + s) pi/2), beta_t = min(1 - f(t+1)/f(t), max_beta)).
//               The cumulative product abar is a blocked scan in double:
//               each thread multiplies a contiguous chunk of (1 - beta), a
//               Hillis-Steele exclusive product scan over the block's chunk
//               products in shared memory, then each thread walks its chunk
//               again and writes every row (rounded to float once).
//   q_sample    x_t = sqrt(abar[t_b]) x0 + sqrt(1 - abar[t_b]) eps, eps drawn
//               in the kernel: element i uses the Philox stream counter
//               offset + i (kiln/philox.h, dev.kiln.Generator's normal), so
//               the CPU backend draws the same eps; eps is written out for
//               the loss. Each thread encrypts one Philox block (4 elements)
//               per grid-stride step.
//   ddpm_step   x0 = sqrt(1/abar_t) x_t - sqrt(1/abar_t - 1) eps_pred,
//               clipped to [-clip, clip] when clip > 0; x_{t-1} = c0 x0 +
//               c1 x_t + sigma_t z, z from Philox counter offset + i (none at
//               t = 0: sigma_0 = 0).
//   ddim_step   eta = 0: x0 as above, x_prev = sqrt(abar_prev) x0 +
//               sqrt(1 - abar_prev) eps_pred with eps_pred re-derived from the
//               clipped x0 when clipping; t_prev = -1 means abar_prev = 1
//               (the last step returns x0). Any decreasing sub-sequence of
//               timesteps works: the kernel reads abar at t and t_prev.
//   All float arithmetic is explicit fmaf in a fixed order so that the CPU
//   backend (dev.kiln.diffusion.CpuDiffusion, Math.fma) rounds identically.
//
// Launch configuration:
//   kiln_diffusion_schedule_f32(float* table, int T, int kind, float b0,
//       float b1, float s, float max_beta): grid 1, block 256 (any power of
//       two <= 1024; the scan uses blockDim.x doubles of static shared memory
//       up to 1024). kind 0 linear, 1 cosine.
//   kiln_diffusion_q_sample_f32(const float* x0, const int* t,
//       const float* table, int T, float* xt, float* eps, long long batch,
//       long long dim, unsigned long long seed, unsigned long long offset)
//   kiln_diffusion_ddpm_step_f32(const float* xt, const float* eps_pred,
//       const float* table, int T, int t, float* out, long long n,
//       float clip, unsigned long long seed, unsigned long long offset)
//   kiln_diffusion_ddim_step_f32(const float* xt, const float* eps_pred,
//       const float* table, int T, int t, int t_prev, float* out,
//       long long n, float clip)
//       1-D, block 256, grid min(ceil(ceil(n / 4) / 256), 32 * SMs) (q_sample
//       and ddpm_step: one Philox block of 4 elements per thread and step),
//       ddim_step min(ceil(n / 256), 32 * SMs); out == xt allowed.
//
// Ratio vs the same step composed from existing ops: not yet measured on a
// GPU (benchmarks/gpu DiffusionBench).
#include "kiln/kiln.cuh"
#include "kiln/philox.h"
#include "kiln/vec.cuh"

#define KILN_DIFF_ROWS 10

namespace {

using kiln::global_tid;
using kiln::grid_threads;

constexpr int kMaxScanThreads = 1024;

KILN_DEV double diff_beta(int t, int T, int kind, float b0, float b1, float s, float max_beta) {
  if (kind == 0) {
    return T > 1 ? (double)b0 + ((double)b1 - (double)b0) * (double)t / (double)(T - 1) : (double)b0;
  }
  const double half_pi = 1.5707963267948966;
  const double f0 = cos(((double)t / T + (double)s) / (1.0 + (double)s) * half_pi);
  const double f1 = cos(((double)(t + 1) / T + (double)s) / (1.0 + (double)s) * half_pi);
  const double b = 1.0 - (f1 * f1) / (f0 * f0);
  return b < (double)max_beta ? b : (double)max_beta;
}

// Element i of x_t and eps for sample b with coefficients (a, c).
KILN_DEV float noised(float x0, float a, float c, float e) { return fmaf(c, e, a * x0); }

// The x0 estimate of the reverse steps, clipped when clip > 0.
KILN_DEV float x0_hat(float x, float e, float ra, float rm1, float clip) {
  float v = fmaf(-rm1, e, ra * x);
  if (clip > 0.f) v = fminf(fmaxf(v, -clip), clip);
  return v;
}

}  // namespace

extern "C" __global__ void kiln_diffusion_schedule_f32(float* table, int T, int kind, float b0,
                                                       float b1, float s, float max_beta) {
  KILN_SHARED(double, prod, kMaxScanThreads);
  const int tid = threadIdx.x, nt = blockDim.x;
  const int chunk = (T + nt - 1) / nt;
  const int lo = min(T, tid * chunk), hi = min(T, lo + chunk);
  double p = 1.0;
  for (int t = lo; t < hi; ++t) p *= 1.0 - diff_beta(t, T, kind, b0, b1, s, max_beta);
  prod[tid] = p;
  __syncthreads();
  // Inclusive Hillis-Steele product scan over the chunk products.
  for (int d = 1; d < nt; d <<= 1) {
    const double v = tid >= d ? prod[tid - d] : 1.0;
    __syncthreads();
    prod[tid] *= v;
    __syncthreads();
  }
  double abar_prev = tid == 0 ? 1.0 : prod[tid - 1];
  for (int t = lo; t < hi; ++t) {
    const double beta = diff_beta(t, T, kind, b0, b1, s, max_beta);
    const double abar = abar_prev * (1.0 - beta);
    const double pv = beta * (1.0 - abar_prev) / (1.0 - abar);
    table[0 * T + t] = (float)beta;
    table[1 * T + t] = (float)abar;
    table[2 * T + t] = (float)sqrt(abar);
    table[3 * T + t] = (float)sqrt(1.0 - abar);
    table[4 * T + t] = (float)pv;
    table[5 * T + t] = (float)sqrt(pv);
    table[6 * T + t] = (float)(beta * sqrt(abar_prev) / (1.0 - abar));
    table[7 * T + t] = (float)((1.0 - abar_prev) * sqrt(1.0 - beta) / (1.0 - abar));
    table[8 * T + t] = (float)sqrt(1.0 / abar);
    table[9 * T + t] = (float)sqrt(1.0 / abar - 1.0);
    abar_prev = abar;
  }
}
KILN_KERNEL_REGISTER(kiln_diffusion_schedule_f32);

extern "C" __global__ void kiln_diffusion_q_sample_f32(const float* x0, const int* t,
                                                       const float* table, int T, float* xt,
                                                       float* eps, long long batch,
                                                       long long dim, unsigned long long seed,
                                                       unsigned long long offset) {
  const long long n = batch * dim;
  if (n <= 0) return;
  const unsigned long long blk0 = offset >> 2;
  const long long nblocks =
      (long long)(((offset + (unsigned long long)n - 1) >> 2) - blk0) + 1;
  for (long long k = global_tid(); k < nblocks; k += grid_threads()) {
    const unsigned long long blk = blk0 + (unsigned long long)k;
    const kiln_philox4 w = kiln_philox_block(seed, blk);
    const long long first = (long long)((blk << 2) - offset);
    long long b = -1;
    float a = 0.f, c = 0.f;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const long long i = first + j;
      if (i < 0 || i >= n) continue;
      const long long bi = i / dim;
      if (bi != b) {
        b = bi;
        const int ts = t[b];
        a = table[2 * T + ts];
        c = table[3 * T + ts];
      }
      const float e = kiln_philox_normal_from(w, (unsigned)j);
      eps[i] = e;
      xt[i] = noised(x0[i], a, c, e);
    }
  }
}
KILN_KERNEL_REGISTER(kiln_diffusion_q_sample_f32);

extern "C" __global__ void kiln_diffusion_ddpm_step_f32(const float* xt, const float* eps_pred,
                                                        const float* table, int T, int t,
                                                        float* out, long long n, float clip,
                                                        unsigned long long seed,
                                                        unsigned long long offset) {
  if (n <= 0) return;
  const float ra = table[8 * T + t], rm1 = table[9 * T + t];
  const float c0 = table[6 * T + t], c1 = table[7 * T + t], sigma = table[5 * T + t];
  const unsigned long long blk0 = offset >> 2;
  const long long nblocks =
      (long long)(((offset + (unsigned long long)n - 1) >> 2) - blk0) + 1;
  for (long long k = global_tid(); k < nblocks; k += grid_threads()) {
    const unsigned long long blk = blk0 + (unsigned long long)k;
    const long long first = (long long)((blk << 2) - offset);
    kiln_philox4 w;
    if (sigma != 0.f) w = kiln_philox_block(seed, blk);
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const long long i = first + j;
      if (i < 0 || i >= n) continue;
      const float x = xt[i];
      const float x0 = x0_hat(x, eps_pred[i], ra, rm1, clip);
      const float mean = fmaf(c1, x, c0 * x0);
      out[i] = sigma != 0.f ? fmaf(sigma, kiln_philox_normal_from(w, (unsigned)j), mean) : mean;
    }
  }
}
KILN_KERNEL_REGISTER(kiln_diffusion_ddpm_step_f32);

extern "C" __global__ void kiln_diffusion_ddim_step_f32(const float* xt, const float* eps_pred,
                                                        const float* table, int T, int t,
                                                        int t_prev, float* out, long long n,
                                                        float clip) {
  const float ra = table[8 * T + t], rm1 = table[9 * T + t];
  const float sa = table[2 * T + t], s1 = table[3 * T + t];
  const float pa = t_prev >= 0 ? table[2 * T + t_prev] : 1.f;
  const float p1 = t_prev >= 0 ? table[3 * T + t_prev] : 0.f;
  for (long long i = global_tid(); i < n; i += grid_threads()) {
    const float x = xt[i];
    float e = eps_pred[i];
    const float x0 = x0_hat(x, e, ra, rm1, clip);
    // With clipping, the noise direction is the one consistent with the clipped x0.
    if (clip > 0.f) e = fmaf(-sa, x0, x) / s1;
    out[i] = fmaf(p1, e, pa * x0);
  }
}
KILN_KERNEL_REGISTER(kiln_diffusion_ddim_step_f32);
