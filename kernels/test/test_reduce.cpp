// Host tests of kernels/src/reduce.cu against double-precision references.
#include "../src/reduce.cu"

#include "kt.h"

namespace {
struct Shape {
  long long outer, dim, inner;
};
const Shape kShapes[] = {{1, 1, 1},   {1, 17, 1},  {3, 129, 1}, {17, 1000, 1}, {2, 33, 1},
                         {1, 1, 17},  {3, 5, 7},   {2, 129, 33}, {4, 17, 65}, {1, 1000, 3},
                         {129, 3, 1}, {5, 1, 129}};

unsigned grid_axis(const Shape& s) {
  long long g = s.inner == 1 ? (s.outer + 7) / 8 : s.outer * ((s.inner + 31) / 32);
  return static_cast<unsigned>(std::min<long long>(std::max<long long>(g, 1), 65535));
}
}  // namespace

TEST(reduce_sum_max_argmax_axis) {
  kt::Rng rng(21);
  for (const Shape& s : kShapes) {
    for (int small_grid = 0; small_grid < 2; ++small_grid) {
      const long long n = s.outer * s.dim * s.inner, m = s.outer * s.inner;
      auto x = kt::random_vec(rng, n);
      // Plant ties for argmax: duplicate a row maximum at a later index.
      std::vector<float> sum(m), mx(m);
      std::vector<long long> am(m);
      for (long long o = 0; o < s.outer; ++o)
        for (long long i = 0; i < s.inner; ++i) {
          double acc = 0;
          float best = -INFINITY;
          long long bi = -1;
          for (long long d = 0; d < s.dim; ++d) {
            float v = x[(o * s.dim + d) * s.inner + i];
            acc += v;
            if (bi < 0 || v > best) best = v, bi = d;
          }
          if (s.dim > 2 && bi + 1 < s.dim) x[(o * s.dim + bi + 1) * s.inner + i] = best;
          sum[o * s.inner + i] = static_cast<float>(acc + (s.dim > 2 && bi + 1 < s.dim
                                                               ? best - 0.0  // replaced element
                                                               : 0.0));
          (void)sum;
          mx[o * s.inner + i] = best;
          am[o * s.inner + i] = bi;
        }
      // Recompute sums after the tie planting.
      for (long long o = 0; o < s.outer; ++o)
        for (long long i = 0; i < s.inner; ++i) {
          double acc = 0;
          for (long long d = 0; d < s.dim; ++d) acc += x[(o * s.dim + d) * s.inner + i];
          sum[o * s.inner + i] = static_cast<float>(acc);
        }
      const dim3 grid(small_grid ? 1 : grid_axis(s)), block(32, small_grid ? 3 : 8);
      auto y = kt::nan_vec(m);
      std::string what = "[" + std::to_string(s.outer) + "," + std::to_string(s.dim) + "," +
                         std::to_string(s.inner) + "]" + (small_grid ? " grid 1" : "");
      LAUNCH(kiln_reduce_sum_f32, grid, block, 0, x.data(), y.data(), s.outer, s.dim, s.inner);
      CHECK_CLOSE(y, sum, 1e-5f, 1e-5f, "sum " + what);
      y = kt::nan_vec(m);
      LAUNCH(kiln_reduce_max_f32, grid, block, 0, x.data(), y.data(), s.outer, s.dim, s.inner);
      CHECK_CLOSE(y, mx, 0.f, 0.f, "max " + what);
      std::vector<long long> idx(m, -7);
      LAUNCH(kiln_reduce_argmax_f32, grid, block, 0, x.data(), idx.data(), s.outer, s.dim,
             s.inner);
      CHECK_MSG(idx == am, "argmax " + what);
    }
  }
}

TEST(reduce_max_argmax_nan) {
  std::vector<float> x = {1.f, NAN, 5.f, NAN, 2.f, -1.f, 7.f, 7.f};
  std::vector<float> y = kt::nan_vec(2);
  y[1] = 0;
  LAUNCH(kiln_reduce_max_f32, dim3(1), dim3(32, 8), 0, x.data(), y.data(), 2LL, 4LL, 1LL);
  CHECK(std::isnan(y[0]) && y[1] == 7.f);
  std::vector<long long> idx(2, -7);
  LAUNCH(kiln_reduce_argmax_f32, dim3(1), dim3(32, 8), 0, x.data(), idx.data(), 2LL, 4LL, 1LL);
  CHECK(idx[0] == 1 && idx[1] == 2);
}

TEST(reduce_sumall_two_stage) {
  kt::Rng rng(22);
  for (long long n : kt::kSizes) {
    for (long long nn : {n, n * 37}) {
      for (int mis = 0; mis < 2; ++mis) {
        auto x = kt::random_vec(rng, nn + 1, 0.f, 1.f);
        double want = 0;
        for (long long i = 0; i < nn; ++i) want += x[i + mis];
        const unsigned g = kt::grid_for(nn, 2048, 16);
        auto partial = kt::nan_vec(g);
        std::vector<float> out = kt::nan_vec(1);
        LAUNCH(kiln_reduce_sumall_partial_f32, dim3(g), dim3(256), 0, x.data() + mis,
               partial.data(), nn);
        LAUNCH(kiln_reduce_sumall_final_f32, dim3(1), dim3(256), 0, partial.data(), out.data(),
               static_cast<long long>(g), 1.0f / nn);
        CHECK_CLOSE(out, std::vector<float>{static_cast<float>(want / nn)}, 1e-5f, 0.f,
                    "sumall mean n=" + std::to_string(nn));
        // Deterministic: a second run gives identical bits.
        std::vector<float> out2 = kt::nan_vec(1);
        LAUNCH(kiln_reduce_sumall_partial_f32, dim3(g), dim3(256), 0, x.data() + mis,
               partial.data(), nn);
        LAUNCH(kiln_reduce_sumall_final_f32, dim3(1), dim3(256), 0, partial.data(), out2.data(),
               static_cast<long long>(g), 1.0f / nn);
        CHECK(out[0] == out2[0]);
      }
    }
  }
}
