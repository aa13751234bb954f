// Host tests of kernels/src/softmax.cu against double-precision references:
// last and middle axes, both cross-entropy target types.
#include "../src/softmax.cu"

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
                                        long long, float),
                const char* type) {
  for (auto& rc : kRowsCols) {
    const long long rows = rc[0], cols = rc[1], n = rows * cols;
    auto x = kt::random_vec(rng, n, -5.f, 5.f);
    std::vector<T> t(rows);
    for (auto& v : t) v = static_cast<T>(rng.below(static_cast<int>(cols)));
    if (rows > 2) t[1] = -1;  // ignored row
    const float scale = 1.f / rows;
    std::vector<float> sm, lw(rows), gw(n);
    ref_softmax(x, rows, cols, false, sm);
    for (long long r = 0; r < rows; ++r) {
      if (t[r] < 0) {
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
           loss.data(), grad.data(), rows, cols, scale);
    std::string what = std::string(type) + " " + std::to_string(rows) + "x" + std::to_string(cols);
    CHECK_CLOSE(loss, lw, 1e-5f, 1e-5f, "xent loss " + what);
    CHECK_CLOSE(grad, gw, 1e-4f, 1e-6f, "xent grad " + what);
    // Forward only, and gradient written over the logits.
    auto loss2 = kt::nan_vec(rows);
    LAUNCH(k, dim3(1), dim3(32, 2), 0, x.data(), t.data(), loss2.data(),
           static_cast<float*>(nullptr), rows, cols, scale);
    CHECK_CLOSE(loss2, lw, 1e-5f, 1e-5f, "xent loss only " + what);
    LAUNCH(k, dim3(1), dim3(32, 8), 0, x.data(), t.data(), loss2.data(),
           x.data(), rows, cols, scale);
    CHECK_CLOSE(x, gw, 1e-4f, 1e-6f, "xent grad in place " + what);
  }
}

TEST(softmax_cross_entropy) {
  kt::Rng rng(32);
  check_xent<int>(rng, kiln_softmax_xent_f32, "i32");
  check_xent<long long>(rng, kiln_softmax_xent_i64_f32, "i64");
}
