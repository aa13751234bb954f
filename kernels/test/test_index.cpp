// Host tests of kernels/src/index.cu against CPU references: both index
// types, ragged shapes, repeated indices, NaN-poisoned outputs; the device
// bounds check (error word) for negative and too-large indices.
#include "../src/index.cu"

#include "kt.h"

namespace {

template <class I>
void check_index(kt::Rng& rng, int outer, int dim, int inner, int count,
                 void (*select)(const float*, const I*, float*, int, int, int, int,
                                unsigned long long*, int),
                 void (*add)(const float*, const I*, float*, int, int, int, int,
                             unsigned long long*, int),
                 const char* type) {
  auto x = kt::random_vec(rng, (long long)outer * dim * inner);
  auto g = kt::random_vec(rng, (long long)outer * count * inner);
  std::vector<I> idx(count);
  for (auto& v : idx) v = static_cast<I>(rng.below(dim));
  if (count > 1) idx[count - 1] = idx[0];  // a repeated index accumulates twice
  auto out = kt::nan_vec(g.size());
  std::vector<unsigned long long> err(8, 0);
  const long long n = (long long)outer * count * inner;
  LAUNCH(select, dim3(kt::grid_for(n, 64, 3)), dim3(64), 0, x.data(), idx.data(), out.data(),
         outer, dim, inner, count, err.data(), 1);
  std::vector<float> base = kt::random_vec(rng, x.size()), gx = base;
  LAUNCH(add, dim3(kt::grid_for(n, 32, 2)), dim3(32), 0, g.data(), idx.data(), gx.data(), outer,
         dim, inner, count, err.data(), 2);
  CHECK_MSG(err[0] == 0, "valid indices leave the error word clear");
  std::vector<float> want(out.size());
  std::vector<double> wgx(base.begin(), base.end());
  for (int o = 0; o < outer; ++o)
    for (int j = 0; j < count; ++j)
      for (int i = 0; i < inner; ++i) {
        const long long src = ((long long)o * dim + idx[j]) * inner + i;
        const long long e = ((long long)o * count + j) * inner + i;
        want[e] = x[src];
        wgx[src] += g[e];
      }
  const std::string what = std::string(type) + " [" + std::to_string(outer) + "," +
                           std::to_string(dim) + "," + std::to_string(inner) + "] count " +
                           std::to_string(count);
  CHECK_CLOSE(out, want, 0.f, 0.f, "index_select " + what);
  CHECK_CLOSE(gx, std::vector<float>(wgx.begin(), wgx.end()), 1e-6f, 1e-6f, "index_add " + what);
}

// One bad index among good ones: its elements are 0 (select) or skipped
// (add), the others are right, and the error word names it.
template <class I>
void check_bounds(kt::Rng& rng, int outer, int dim, int inner, int count, I bad, int at,
                  void (*select)(const float*, const I*, float*, int, int, int, int,
                                 unsigned long long*, int),
                  void (*add)(const float*, const I*, float*, int, int, int, int,
                              unsigned long long*, int)) {
  auto x = kt::random_vec(rng, (long long)outer * dim * inner);
  auto g = kt::random_vec(rng, (long long)outer * count * inner);
  std::vector<I> idx(count);
  for (auto& v : idx) v = static_cast<I>(rng.below(dim));
  idx[at] = bad;
  auto out = kt::nan_vec(g.size());
  std::vector<unsigned long long> err(8, 0);
  const long long n = (long long)outer * count * inner;
  LAUNCH(select, dim3(kt::grid_for(n, 64, 3)), dim3(64), 0, x.data(), idx.data(), out.data(),
         outer, dim, inner, count, err.data(), 7);
  const std::string what = "bad index " + std::to_string((long long)bad) + " at " +
                           std::to_string(at) + " of " + std::to_string(count);
  CHECK_MSG(err[0] == 1 && (long long)err[1] == (long long)bad && err[2] == (unsigned long long)at &&
            err[3] == 7 && err[4] == (unsigned long long)dim,
        "index_select error word for " + what);
  std::vector<float> want(out.size());
  for (int o = 0; o < outer; ++o)
    for (int j = 0; j < count; ++j)
      for (int i = 0; i < inner; ++i)
        want[((long long)o * count + j) * inner + i] =
            j == at ? 0.f : x[((long long)o * dim + idx[j]) * inner + i];
  CHECK_CLOSE(out, want, 0.f, 0.f, "index_select with " + what);
  std::vector<unsigned long long> err2(8, 0);
  std::vector<float> gx = kt::random_vec(rng, x.size());
  std::vector<double> wgx(gx.begin(), gx.end());
  LAUNCH(add, dim3(kt::grid_for(n, 32, 2)), dim3(32), 0, g.data(), idx.data(), gx.data(), outer,
         dim, inner, count, err2.data(), 9);
  for (int o = 0; o < outer; ++o)
    for (int j = 0; j < count; ++j)
      for (int i = 0; i < inner; ++i)
        if (j != at) wgx[((long long)o * dim + idx[j]) * inner + i] += g[((long long)o * count + j) * inner + i];
  CHECK_MSG(err2[0] == 1 && (long long)err2[1] == (long long)bad && err2[3] == 9,
        "index_add error word for " + what);
  CHECK_CLOSE(gx, std::vector<float>(wgx.begin(), wgx.end()), 1e-6f, 1e-6f, "index_add with " + what);
}

}  // namespace

TEST(index_bounds_error_word) {
  kt::Rng rng(29);
  check_bounds<int>(rng, 2, 7, 5, 9, 7, 4, kiln_index_select_f32_i32, kiln_index_add_f32_i32);
  check_bounds<int>(rng, 1, 13, 33, 3, -1, 0, kiln_index_select_f32_i32, kiln_index_add_f32_i32);
  check_bounds<long long>(rng, 3, 4, 2, 6, 1LL << 40, 5, kiln_index_select_f32_i64,
                          kiln_index_add_f32_i64);
}

TEST(index_select_and_add) {
  kt::Rng rng(23);
  const int shapes[][4] = {{1, 1, 1, 1}, {3, 5, 7, 9}, {2, 17, 1, 33}, {1, 1000, 3, 129}};
  for (const auto& s : shapes) {
    check_index<int>(rng, s[0], s[1], s[2], s[3], kiln_index_select_f32_i32,
                     kiln_index_add_f32_i32, "i32");
    check_index<long long>(rng, s[0], s[1], s[2], s[3], kiln_index_select_f32_i64,
                           kiln_index_add_f32_i64, "i64");
  }
}
