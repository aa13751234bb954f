// Host tests of kernels/src/softmax.cu against double-precision references:
// last and middle axes, both cross-entropy target types.
#include "../src/softmax.cu"

#include <climits>

#include "kt.h"

namespace {
const long long kRowsCols[][2] = {{1, 1}, {1, 17}, {3, 129}, {17, 1000}, {9, 31}, {129, 3}};

unsigned grid_rows(long long rows) { return static_cast<unsigned>(std::max(1LL, (rows + 7) / 8)); }

void ref_softmax(const std::vector<float>& x, long long rows, long long cols, bool log,
                 std::vector<float>& y) {
  y.resize(rows * cols);
  for (long long r = 0; r < rows; ++r) {
    double m = -INFINITY, s = 0;
    for (long long j = 0; j < cols; ++j) m = std::max(m, double(x[r * cols + j]));
    for (long long j = 0; j < cols; ++j) s += std::exp(x[r * cols + j] - m);
    for (long long j = 0; j < cols; ++j) {
      double v = x[r * cols + j] - m;
      y[r * cols + j] = static_cast<float>(log ? v - std::log(s) : std::exp(v) / s);
    }
  }
}
}  // namespace

TEST(softmax_forward_backward) {
  kt::Rng rng(31);
  for (auto& rc : kRowsCols) {
    const long long rows = rc[0], cols = rc[1], n = rows * cols;
    for (int log = 0; log < 2; ++log) {
      auto x = kt::random_vec(rng, n, -8.f, 8.f);
      auto go = kt::random_vec(rng, n);
      std::vector<float> want;
      ref_softmax(x, rows, cols, log, want);
      auto y = kt::nan_vec(n);
      auto fwd = log ? kiln_softmax_log_forward_f32 : kiln_softmax_forward_f32;
      auto bwd = log ? kiln_softmax_log_backward_f32 : kiln_softmax_backward_f32;
      std::string what = std::string(log ? "log_softmax " : "softmax ") + std::to_string(rows) +
                         "x" + std::to_string(cols);
      LAUNCH(fwd, dim3(grid_rows(rows)), dim3(32, 8), 0, x.data(), y.data(), rows, cols, 1LL);
      CHECK_CLOSE(y, want, 1e-5f, 1e-6f, what + " forward");
      std::vector<float> gwant(n);
      for (long long r = 0; r < rows; ++r) {
        double acc = 0;
        for (long long j = 0; j < cols; ++j)
          acc += log ? go[r * cols + j] : double(go[r * cols + j]) * want[r * cols + j];
        for (long long j = 0; j < cols; ++j) {
          const long long k = r * cols + j;
          gwant[k] = static_cast<float>(log ? go[k] - std::exp(double(want[k])) * acc
                                            : want[k] * (go[k] - acc));
        }
      }
      auto gi = kt::nan_vec(n);
      LAUNCH(bwd, dim3(1), dim3(32, 4), 0, y.data(), go.data(), gi.data(), rows, cols, 1LL);
      CHECK_CLOSE(gi, gwant, 1e-4f, 1e-5f, what + " backward");
    }
  }
}

TEST(softmax_nan_row_and_in_place) {
  std::vector<float> x = {1.f, NAN, 3.f, 1.f, 2.f, 3.f};
  LAUNCH(kiln_softmax_forward_f32, dim3(1), dim3(32, 8), 0, x.data(), x.data(), 2LL, 3LL, 1LL);
  CHECK(std::isnan(x[0]) && std::isnan(x[1]) && std::isnan(x[2]));
  std::vector<float> want;
  ref_softmax({1.f, 2.f, 3.f}, 1, 3, false, want);
  CHECK_CLOSE(std::vector<float>(x.begin() + 3, x.end()), want, 1e-6f, 0.f, "in place row");
}

TEST(softmax_middle_axis) {
  kt::Rng rng(17);
  for (long long outer : {1LL, 3LL})
    for (long long dim : {1LL, 17LL, 260LL})
      for (long long inner : {1LL, 5LL, 33LL})
        for (int log = 0; log < 2; ++log) {
          const long long n = outer * dim * inner, rows = outer * inner;
          auto x = kt::random_vec(rng, n, -4, 4), gy = kt::random_vec(rng, n);
          auto y = kt::nan_vec(n), gx = kt::nan_vec(n);
          auto fwd = log ? kiln_softmax_log_forward_f32 : kiln_softmax_forward_f32;
          auto bwd = log ? kiln_softmax_log_backward_f32 : kiln_softmax_backward_f32;
          LAUNCH(fwd, dim3(grid_rows(rows)), dim3(32, 8), 0, x.data(), y.data(), outer, dim, inner);
          LAUNCH(bwd, dim3(2), dim3(32, 3), 0, y.data(), gy.data(), gx.data(), outer, dim, inner);
          std::vector<float> wy(n), wg(n);
          for (long long o = 0; o < outer; ++o)
            for (long long i = 0; i < inner; ++i) {
              auto at = [&](long long d) { return (o * dim + d) * inner + i; };
              double m = -INFINITY, s = 0, dot = 0;
              for (long long d = 0; d < dim; ++d) m = std::max(m, (double)x[at(d)]);
              for (long long d = 0; d < dim; ++d) s += std::exp(x[at(d)] - m);
              for (long long d = 0; d < dim; ++d) {
                double p = std::exp(x[at(d)] - m) / s;
                wy[at(d)] = static_cast<float>(log ? std::log(p) : p);
                dot += log ? gy[at(d)] : gy[at(d)] * p;
              }
              for (long long d = 0; d < dim; ++d) {
                double p = std::exp(x[at(d)] - m) / s;
                wg[at(d)] = static_cast<float>(log ? gy[at(d)] - p * dot : p * (gy[at(d)] - dot));
              }
            }
          std::string what = "softmax log=" + std::to_string(log) + " [" + std::to_string(outer) +
                             "," + std::to_string(dim) + "," + std::to_string(inner) + "]";
          CHECK_CLOSE(y, wy, 1e-5f, 1e-6f, what);
          CHECK_CLOSE(gx, wg, 1e-4f, 1e-5f, what + " backward");
        }
}

template <class T>
void check_xent(kt::Rng& rng, void (*k)(const float*, const T*, float*, float*, long long,
                                        long long, float, long long, unsigned long long*, int),
                const char* type) {
  const long long ignore = -100;
  for (auto& rc : kRowsCols) {
    const long long rows = rc[0], cols = rc[1], n = rows * cols;
    auto x = kt::random_vec(rng, n, -5.f, 5.f);
    std::vector<T> t(rows);
    for (auto& v : t) v = static_cast<T>(rng.below(static_cast<int>(cols)));
    if (rows > 2) t[1] = static_cast<T>(ignore);  // ignored row
    const float scale = 1.f / rows;
    std::vector<float> sm, lw(rows), gw(n);
    ref_softmax(x, rows, cols, false, sm);
    for (long long r = 0; r < rows; ++r) {
      if (t[r] == ignore) {
        lw[r] = 0;
        for (long long j = 0; j < cols; ++j) gw[r * cols + j] = 0;
        continue;
      }
      double m = -INFINITY, s = 0;
      for (long long j = 0; j < cols; ++j) m = std::max(m, double(x[r * cols + j]));
      for (long long j = 0; j < cols; ++j) s += std::exp(x[r * cols + j] - m);
      lw[r] = static_cast<float>(m + std::log(s) - x[r * cols + t[r]]);
      for (long long j = 0; j < cols; ++j)
        gw[r * cols + j] = static_cast<float>((sm[r * cols + j] - (j == t[r])) * scale);
    }
    auto loss = kt::nan_vec(rows), grad = kt::nan_vec(n);
    LAUNCH(k, dim3(grid_rows(rows)), dim3(32, 8), 0, x.data(), t.data(),
           loss.data(), grad.data(), rows, cols, scale, ignore, static_cast<unsigned long long*>(nullptr), 0);
    std::string what = std::string(type) + " " + std::to_string(rows) + "x" + std::to_string(cols);
    CHECK_CLOSE(loss, lw, 1e-5f, 1e-5f, "xent loss " + what);
    CHECK_CLOSE(grad, gw, 1e-4f, 1e-6f, "xent grad " + what);
    // Forward only, and gradient written over the logits.
    auto loss2 = kt::nan_vec(rows);
    LAUNCH(k, dim3(1), dim3(32, 2), 0, x.data(), t.data(), loss2.data(),
           static_cast<float*>(nullptr), rows, cols, scale, ignore, static_cast<unsigned long long*>(nullptr), 0);
    CHECK_CLOSE(loss2, lw, 1e-5f, 1e-5f, "xent loss only " + what);
    LAUNCH(k, dim3(1), dim3(32, 8), 0, x.data(), t.data(), loss2.data(),
           x.data(), rows, cols, scale, ignore, static_cast<unsigned long long*>(nullptr), 0);
    CHECK_CLOSE(x, gw, 1e-4f, 1e-6f, "xent grad in place " + what);
  }
}

TEST(softmax_cross_entropy) {
  kt::Rng rng(32);
  check_xent<int>(rng, kiln_softmax_xent_f32, "i32");
  check_xent<long long>(rng, kiln_softmax_xent_i64_f32, "i64");
}

// Targets outside [0, cols) that are not the ignore index: no read outside the
// row (the sanitizer checks every access), loss and grad row NaN, and the
// device error word (kiln/device_error.cuh) names the first bad target seen,
// its row, the caller's op code and cols; valid rows are untouched by the bad
// ones.
template <class T>
void check_xent_bad_targets(void (*k)(const float*, const T*, float*, float*, long long,
                                      long long, float, long long, unsigned long long*, int),
                            const char* type) {
  typedef unsigned long long U;
  const int op = 3;
  kt::Rng rng(33);
  const long long rows = 13, cols = 7;
  auto x = kt::random_vec(rng, rows * cols, -3.f, 3.f);
  for (long long bad : {cols, -1LL, 100000LL, -100001LL}) {
    std::vector<T> t(rows);
    for (auto& v : t) v = static_cast<T>(rng.below(static_cast<int>(cols)));
    t[9] = static_cast<T>(bad);
    auto loss = kt::nan_vec(rows), grad = kt::nan_vec(rows * cols);
    std::vector<U> err(8, 0);
    LAUNCH(k, dim3(2), dim3(32, 8), 0, x.data(), t.data(), loss.data(), grad.data(), rows, cols,
           1.f / rows, LLONG_MIN, err.data(), op);
    const std::string what = std::string(type) + " target " + std::to_string(bad);
    CHECK_MSG(err[0] == 1 && static_cast<long long>(err[1]) == bad && err[2] == 9 && err[3] == U(op) &&
                  err[4] == U(cols),
              "xent error word " + what + ": flag " + std::to_string(err[0]) + " value " +
                  std::to_string(static_cast<long long>(err[1])) + " row " + std::to_string(err[2]));
    CHECK_MSG(std::isnan(loss[9]), "xent bad row loss NaN " + what);
    for (long long j = 0; j < cols; ++j) CHECK_MSG(std::isnan(grad[9 * cols + j]), "grad NaN " + what);
    for (long long r = 0; r < rows; ++r)
      if (r != 9) CHECK_MSG(std::isfinite(loss[r]), "xent valid row finite " + what);
    // An error already recorded (by this or another kernel) is kept: the first one wins.
    std::vector<U> kept = {1, 55, 66, 1, 77, 0, 0, 0};
    LAUNCH(k, dim3(1), dim3(32, 8), 0, x.data(), t.data(), loss.data(),
           static_cast<float*>(nullptr), rows, cols, 1.f, LLONG_MIN, kept.data(), op);
    CHECK_MSG(kept[1] == 55 && kept[2] == 66 && kept[3] == 1 && kept[4] == 77, "xent keeps the first error " + what);
  }
  // Two bad rows in different blocks: one of them is recorded, with its own target.
  std::vector<T> t(rows, static_cast<T>(1));
  t[2] = static_cast<T>(-5);
  t[12] = static_cast<T>(cols + 3);
  std::vector<U> err(8, 0);
  auto loss = kt::nan_vec(rows);
  LAUNCH(k, dim3(2), dim3(32, 1), 0, x.data(), t.data(), loss.data(), static_cast<float*>(nullptr),
         rows, cols, 1.f, LLONG_MIN, err.data(), op);
  CHECK((err[2] == 2 && static_cast<long long>(err[1]) == -5) || (err[2] == 12 && err[1] == U(cols + 3)));
}

TEST(softmax_cross_entropy_bad_targets) {
  check_xent_bad_targets<int>(kiln_softmax_xent_f32, "i32");
  check_xent_bad_targets<long long>(kiln_softmax_xent_i64_f32, "i64");
}

// Logits near 800: m + log(s) rounds to half an ulp of 800 (3e-5); the kernels
// subtract the maximum first, so the error stays at the float rounding of the
// (small) result.
TEST(softmax_large_logits_subtract_max_first) {
  kt::Rng rng(34);
  const long long rows = 9, cols = 37, n = rows * cols;
  auto x = kt::random_vec(rng, n, 797.f, 803.f);
  std::vector<float> want;
  ref_softmax(x, rows, cols, true, want);
  auto y = kt::nan_vec(n);
  LAUNCH(kiln_softmax_log_forward_f32, dim3(2), dim3(32, 8), 0, x.data(), y.data(), rows, cols, 1LL);
  double worst = 0;
  for (long long i = 0; i < n; ++i) worst = std::max(worst, std::fabs(double(y[i]) - want[i]));
  CHECK_MSG(worst < 2e-6, "log_softmax at 800: max abs error " + std::to_string(worst));
  std::vector<int> t(rows);
  for (auto& v : t) v = rng.below(static_cast<int>(cols));
  auto loss = kt::nan_vec(rows);
  LAUNCH(kiln_softmax_xent_f32, dim3(2), dim3(32, 8), 0, x.data(), t.data(), loss.data(),
         static_cast<float*>(nullptr), rows, cols, 1.f, LLONG_MIN, static_cast<unsigned long long*>(nullptr), 0);
  worst = 0;
  for (long long r = 0; r < rows; ++r)
    worst = std::max(worst, std::fabs(double(loss[r]) + want[r * cols + t[r]]));
  CHECK_MSG(worst < 2e-6, "cross-entropy at 800: max abs error " + std::to_string(worst));
}
