// Host tests of kernels/src/norm.cu (batch norm 2-D) under the SIMT emulator
// against two-pass double-precision references: training forward (output,
// saved statistics, momentum update with the unbiased running variance),
// inference forward and backward, with and without the optional
// gamma/beta/running buffers, at ragged shapes and on data with a large mean
// (where a one-pass E[x^2] - E[x]^2 in fp32 would fail). Outputs are
// NaN-poisoned before every launch.
#include "../src/norm.cu"

#include <cmath>
#include <string>
#include <vector>

#include "kt.h"

namespace {

struct BnCase {
  long long N, C, H, W;
  float offset, spread;  // x ~ offset + U(-spread, spread)
  double atol;           // x - mean loses ~ulp(offset) in fp32
};

const BnCase kBnCases[] = {
    {3, 5, 7, 7, 0.f, 2.f, 2e-5},
    {1, 3, 13, 9, 0.5f, 1.f, 2e-5},
    {2, 70, 1, 1, 0.f, 1.f, 2e-5},       // M = 2 per channel, many channels
    {4, 2, 9, 11, 1000.f, 0.5f, 5e-4},   // large mean, small variance
    {2, 3, 23, 23, -3.f, 3.f, 2e-5},     // M = 1058 > block size
};

struct Stats {
  std::vector<double> mean, var;  // biased variance
};

Stats ref_stats(const std::vector<float>& x, const BnCase& b) {
  const long long HW = b.H * b.W, M = b.N * HW;
  Stats s{std::vector<double>(b.C, 0.0), std::vector<double>(b.C, 0.0)};
  for (long long c = 0; c < b.C; ++c) {
    double sum = 0, sq = 0;
    for (long long n = 0; n < b.N; ++n)
      for (long long i = 0; i < HW; ++i) sum += x[(n * b.C + c) * HW + i];
    const double mean = sum / M;
    for (long long n = 0; n < b.N; ++n)
      for (long long i = 0; i < HW; ++i) {
        const double d = x[(n * b.C + c) * HW + i] - mean;
        sq += d * d;
      }
    s.mean[c] = mean;
    s.var[c] = sq / M;
  }
  return s;
}

std::string name(const BnCase& b) {
  return "N" + std::to_string(b.N) + " C" + std::to_string(b.C) + " " + std::to_string(b.H) +
         "x" + std::to_string(b.W) + " offset " + std::to_string((int)b.offset);
}

std::vector<float> to_f(const std::vector<double>& v) { return {v.begin(), v.end()}; }

}  // namespace

TEST(norm_batch2d_forward) {
  kt::Rng rng(601);
  const float eps = 1e-5f, mom = 0.1f;
  for (const BnCase& b : kBnCases) {
    const long long HW = b.H * b.W, M = b.N * HW, n = b.N * b.C * HW;
    auto x = kt::random_vec(rng, n, b.offset - b.spread, b.offset + b.spread);
    auto gamma = kt::random_vec(rng, b.C, 0.5f, 1.5f);
    auto beta = kt::random_vec(rng, b.C, -1.f, 1.f);
    auto rm0 = kt::random_vec(rng, b.C, -1.f, 1.f);
    auto rv0 = kt::random_vec(rng, b.C, 0.5f, 2.f);
    const Stats s = ref_stats(x, b);
    for (int affine = 0; affine < 2; ++affine) {
      std::vector<double> yw(n), rmw(b.C), rvw(b.C), isw(b.C);
      for (long long c = 0; c < b.C; ++c) {
        isw[c] = 1.0 / std::sqrt(s.var[c] + eps);
        rmw[c] = (1 - mom) * rm0[c] + mom * s.mean[c];
        rvw[c] = (1 - mom) * rv0[c] + mom * s.var[c] * M / (M - 1);
        for (long long k = 0; k < b.N; ++k)
          for (long long i = 0; i < HW; ++i) {
            const long long j = (k * b.C + c) * HW + i;
            const double xh = (x[j] - s.mean[c]) * isw[c];
            yw[j] = affine ? xh * gamma[c] + beta[c] : xh;
          }
      }
      const std::string what = name(b) + (affine ? " affine" : " plain");
      auto y = kt::nan_vec(n), sm = kt::nan_vec(b.C), si = kt::nan_vec(b.C);
      auto rm = rm0, rv = rv0;
      const float* gp = affine ? gamma.data() : nullptr;
      const float* bp = affine ? beta.data() : nullptr;
      LAUNCH(kiln_norm_batch2d_forward_train_f32, dim3((unsigned)b.C), dim3(256), 0, x.data(),
             y.data(), gp, bp, affine ? rm.data() : nullptr, affine ? rv.data() : nullptr,
             sm.data(), si.data(), b.N, b.C, HW, mom, eps);
      CHECK_CLOSE(y, to_f(yw), 1e-5f, (float)b.atol, "train forward y " + what);
      CHECK_CLOSE(sm, to_f(s.mean), 1e-6f, 1e-6f, "save_mean " + what);
      CHECK_CLOSE(si, to_f(isw), 2e-4f, 0.f, "save_invstd " + what);
      if (affine) {
        CHECK_CLOSE(rm, to_f(rmw), 1e-6f, 1e-6f, "running_mean " + what);
        CHECK_CLOSE(rv, to_f(rvw), 2e-4f, 1e-7f, "running_var " + what);
      } else {
        CHECK(rm == rm0 && rv == rv0);  // null running buffers: nothing written
      }

      // Inference with the (reference) running statistics.
      std::vector<double> ye(n);
      for (long long j = 0; j < n; ++j) {
        const long long c = (j / HW) % b.C;
        const double xh = (x[j] - rmw[c]) / std::sqrt((double)(float)rvw[c] + eps);
        ye[j] = affine ? xh * gamma[c] + beta[c] : xh;
      }
      auto rmf = to_f(rmw), rvf = to_f(rvw);
      auto y2 = kt::nan_vec(n);
      LAUNCH(kiln_norm_batch2d_forward_eval_f32, dim3(kt::grid_for(n, 256, 8)), dim3(256), 0,
             x.data(), y2.data(), gp, bp, rmf.data(), rvf.data(), b.N, b.C, HW, eps);
      const double eval_atol = 2e-6 * (1.0 + std::fabs(b.offset));
      CHECK_CLOSE(y2, to_f(ye), 1e-5f, (float)eval_atol, "eval forward " + what);
    }
    // In place (y == x), 128-thread blocks.
    std::vector<double> yw(n);
    for (long long j = 0; j < n; ++j) {
      const long long c = (j / HW) % b.C;
      yw[j] = (x[j] - s.mean[c]) / std::sqrt(s.var[c] + eps);
    }
    auto sm = kt::nan_vec(b.C), si = kt::nan_vec(b.C);
    LAUNCH(kiln_norm_batch2d_forward_train_f32, dim3((unsigned)b.C), dim3(128), 0, x.data(),
           x.data(), static_cast<const float*>(nullptr), static_cast<const float*>(nullptr),
           static_cast<float*>(nullptr), static_cast<float*>(nullptr), sm.data(), si.data(), b.N,
           b.C, HW, mom, eps);
    CHECK_CLOSE(x, to_f(yw), 1e-5f, (float)b.atol, "train forward in place " + name(b));
  }
}

TEST(norm_batch2d_backward) {
  kt::Rng rng(602);
  const float eps = 1e-5f;
  for (const BnCase& b : kBnCases) {
    const long long HW = b.H * b.W, M = b.N * HW, n = b.N * b.C * HW;
    auto x = kt::random_vec(rng, n, b.offset - b.spread, b.offset + b.spread);
    auto dy = kt::random_vec(rng, n);
    auto gamma = kt::random_vec(rng, b.C, 0.5f, 1.5f);
    const Stats s = ref_stats(x, b);
    // Saved statistics as the forward kernel would store them (fp32).
    std::vector<float> sm(b.C), si(b.C);
    for (long long c = 0; c < b.C; ++c) {
      sm[c] = (float)s.mean[c];
      si[c] = (float)(1.0 / std::sqrt(s.var[c] + eps));
    }
    std::vector<double> dxw(n), dgw(b.C, 0.0), dbw(b.C, 0.0), dscale(n);
    for (long long c = 0; c < b.C; ++c) {
      const double is = 1.0 / std::sqrt(s.var[c] + eps);
      for (long long k = 0; k < b.N; ++k)
        for (long long i = 0; i < HW; ++i) {
          const long long j = (k * b.C + c) * HW + i;
          dbw[c] += dy[j];
          dgw[c] += dy[j] * (x[j] - s.mean[c]) * is;
        }
      for (long long k = 0; k < b.N; ++k)
        for (long long i = 0; i < HW; ++i) {
          const long long j = (k * b.C + c) * HW + i;
          const double xh = (x[j] - s.mean[c]) * is;
          dxw[j] = gamma[c] * is * (dy[j] - dbw[c] / M - xh * dgw[c] / M);
          // Size of the terms that cancel, for the tolerance.
          dscale[j] = gamma[c] * is * (std::fabs(dy[j]) + std::fabs(dbw[c] / M) +
                                       std::fabs(xh * dgw[c] / M));
        }
    }
    for (int with_gamma = 0; with_gamma < 2; ++with_gamma) {
      const std::string what = name(b) + (with_gamma ? " gamma" : " no gamma");
      auto dx = kt::nan_vec(n), dg = kt::nan_vec(b.C), db = kt::nan_vec(b.C);
      LAUNCH(kiln_norm_batch2d_backward_f32, dim3((unsigned)b.C), dim3(256), 0, dy.data(),
             x.data(), with_gamma ? gamma.data() : nullptr, sm.data(), si.data(), dx.data(),
             dg.data(), db.data(), b.N, b.C, HW);
      int bad = 0;
      for (long long j = 0; j < n; ++j) {
        const double g = with_gamma ? 1.0 : 1.0 / gamma[(j / HW) % b.C];
        const double want = dxw[j] * g, tol = 1e-4 * dscale[j] * g + 1e-6;
        if (!(std::fabs(dx[j] - want) <= tol) && bad++ < 3)
          kt::report(__FILE__, __LINE__,
                     "dx " + what + " [" + std::to_string(j) + "] got " + std::to_string(dx[j]) +
                         " want " + std::to_string(want));
      }
      CHECK_CLOSE(db, to_f(dbw), 1e-5f, 1e-5f, "dbeta " + what);
      CHECK_CLOSE(dg, to_f(dgw), 1e-4f, 1e-4f, "dgamma " + what);
    }
    // Only dx requested.
    auto dx = kt::nan_vec(n);
    LAUNCH(kiln_norm_batch2d_backward_f32, dim3((unsigned)b.C), dim3(64), 0, dy.data(), x.data(),
           gamma.data(), sm.data(), si.data(), dx.data(), static_cast<float*>(nullptr),
           static_cast<float*>(nullptr), b.N, b.C, HW);
    int bad = 0;
    for (long long j = 0; j < n; ++j)
      if (!(std::fabs(dx[j] - dxw[j]) <= 1e-4 * dscale[j] + 1e-6)) ++bad;
    CHECK_MSG(bad == 0, "dx only " + name(b) + ": " + std::to_string(bad) + " mismatches");
  }
}
