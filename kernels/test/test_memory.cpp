// Host tests of kernels/src/memory.cu (fill, strided copies, dtype
// conversion) against CPU references at ragged sizes, with NaN-poisoned
// outputs.
#include "../src/memory.cu"

#include "kt.h"

namespace {

KilnStrided strided(std::vector<long long> shape, std::vector<long long> src,
                    std::vector<long long> dst) {
  KilnStrided d{};
  d.ndim = static_cast<long long>(shape.size());
  d.n = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    d.shape[k] = shape[k];
    d.src[k] = src[k];
    d.dst[k] = dst[k];
    d.n *= shape[k];
  }
  return d;
}

}  // namespace

TEST(memory_fill) {
  kt::Rng rng(5);
  for (long long n : kt::kSizes)
    for (int mis = 0; mis < 2; ++mis) {
      const float value = rng.uniform(-3.f, 3.f);
      auto y = kt::nan_vec(n + 2);
      LAUNCH(kiln_memory_fill_f32, dim3(kt::grid_for(n)), dim3(256), 0, y.data() + mis, n, value);
      std::vector<float> got(y.begin() + mis, y.begin() + mis + n);
      CHECK_CLOSE(got, std::vector<float>(n, value), 0.f, 0.f, "fill n=" + std::to_string(n));
      // Nothing outside [0, n) was written.
      CHECK(std::isnan(y[mis + n]) && (mis == 0 || std::isnan(y[0])));
    }
}

TEST(memory_copy_eight_axes_permuted) {
  // A random permutation of an 8-axis tensor (every axis size 2 or 3), b32.
  kt::Rng rng(9);
  const std::vector<long long> shape = {2, 3, 2, 2, 3, 2, 2, 3};
  const int nd = 8;
  std::vector<long long> cont(nd);
  long long n = 1;
  for (int k = nd - 1; k >= 0; --k) cont[k] = n, n *= shape[k];
  std::vector<int> perm = {3, 0, 7, 1, 6, 2, 5, 4};
  // dst is contiguous in the permuted order: dst axis k = src axis perm[k].
  std::vector<long long> pshape(nd), dstride(nd), sstride(nd);
  for (int k = 0; k < nd; ++k) pshape[k] = shape[perm[k]], sstride[k] = cont[perm[k]];
  for (long long k = nd - 1, run = 1; k >= 0; --k) dstride[k] = run, run *= pshape[k];
  auto x = kt::random_vec(rng, n);
  auto y = kt::nan_vec(n);
  LAUNCH(kiln_memory_copy_b32, dim3(3), dim3(64), 0, reinterpret_cast<const unsigned*>(x.data()),
         reinterpret_cast<unsigned*>(y.data()), strided(pshape, sstride, dstride));
  std::vector<float> want(n);
  for (long long i = 0; i < n; ++i) {
    long long rem = i, os = 0;
    for (int k = nd - 1; k >= 0; --k) {
      os += (rem % pshape[k]) * sstride[k];
      rem /= pshape[k];
    }
    want[i] = x[os];
  }
  CHECK_CLOSE(y, want, 0.f, 0.f, "8-axis permutation");
  CHECK(sizeof(KilnStrided) == 208);
}

TEST(memory_copy_transpose_and_broadcast) {
  kt::Rng rng(7);
  for (long long m : {1LL, 17LL, 129LL})
    for (long long n : {1LL, 3LL, 33LL}) {
      auto x = kt::random_vec(rng, m * n);
      auto y = kt::nan_vec(m * n);
      // y[j, i] = x[i, j]
      LAUNCH(kiln_memory_copy_b32, dim3(kt::grid_for(m * n, 256)), dim3(256), 0,
             reinterpret_cast<const unsigned*>(x.data()), reinterpret_cast<unsigned*>(y.data()),
             strided({m, n}, {n, 1}, {1, m}));
      std::vector<float> want(m * n);
      for (long long i = 0; i < m; ++i)
        for (long long j = 0; j < n; ++j) want[j * m + i] = x[i * n + j];
      CHECK_CLOSE(y, want, 0.f, 0.f, "transpose " + std::to_string(m) + "x" + std::to_string(n));
    }
  // int64 broadcast of a column over 3 x 5 x 2 (stride 0), 8 dims worth of shape
  std::vector<long long> src = {10, 20, 30}, dst(30, -7);
  LAUNCH(kiln_memory_copy_b64, dim3(1), dim3(64), 0,
         reinterpret_cast<const unsigned long long*>(src.data()),
         reinterpret_cast<unsigned long long*>(dst.data()),
         strided({3, 5, 2}, {1, 0, 0}, {10, 2, 1}));
  for (int i = 0; i < 30; ++i) CHECK(dst[i] == src[i / 10]);
}

TEST(memory_convert_java_semantics) {
  std::vector<float> f = {1.9f, -1.9f, 0.f, NAN, 3e9f, -3e9f, 1e30f, -1e30f, 123456.7f};
  const long long n = static_cast<long long>(f.size());
  std::vector<long long> l(n, 99);
  std::vector<int> i(n, 99);
  LAUNCH(kiln_memory_convert_f32_i64, dim3(1), dim3(32), 0, f.data(), l.data(), n);
  LAUNCH(kiln_memory_convert_f32_i32, dim3(1), dim3(32), 0, f.data(), i.data(), n);
  const long long wl[] = {1, -1, 0, 0, 3000000000LL, -3000000000LL, 0x7fffffffffffffffLL,
                          (long long)0x8000000000000000ULL, 123456};
  for (long long k = 0; k < n; ++k) {
    CHECK_MSG(l[k] == wl[k], "f32->i64 at " + std::to_string(k) + ": " + std::to_string(l[k]));
    CHECK_MSG(i[k] == static_cast<int>(static_cast<unsigned long long>(wl[k]) & 0xffffffffULL),
              "f32->i32 at " + std::to_string(k) + ": " + std::to_string(i[k]));
  }
  std::vector<long long> big = {1LL << 40 | 5, -3};
  std::vector<int> narrow(2, 0);
  std::vector<float> back(2, NAN);
  LAUNCH(kiln_memory_convert_i64_i32, dim3(1), dim3(32), 0, big.data(), narrow.data(), 2LL);
  LAUNCH(kiln_memory_convert_i32_f32, dim3(1), dim3(32), 0, narrow.data(), back.data(), 2LL);
  CHECK(narrow[0] == 5 && narrow[1] == -3);
  CHECK(back[0] == 5.f && back[1] == -3.f);
}
