// Host tests of kernels/src/tensor.cu against double-precision CPU references
// at ragged sizes, with NaN-poisoned outputs.
#include "../src/tensor.cu"

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

unsigned row_block(long long len) {
  unsigned b = 32;
  while (b < 256 && b < len) b <<= 1;
  return b;
}

}  // namespace

TEST(tensor_copy_transpose_and_broadcast) {
  kt::Rng rng(7);
  for (long long m : {1LL, 17LL, 129LL})
    for (long long n : {1LL, 3LL, 33LL}) {
      auto x = kt::random_vec(rng, m * n);
      auto y = kt::nan_vec(m * n);
      // y[j, i] = x[i, j]
      LAUNCH(kiln_tensor_copy_b32, dim3(kt::grid_for(m * n, 256)), dim3(256), 0,
             reinterpret_cast<const unsigned*>(x.data()), reinterpret_cast<unsigned*>(y.data()),
             strided({m, n}, {n, 1}, {1, m}));
      std::vector<float> want(m * n);
      for (long long i = 0; i < m; ++i)
        for (long long j = 0; j < n; ++j) want[j * m + i] = x[i * n + j];
      CHECK_CLOSE(y, want, 0.f, 0.f, "transpose " + std::to_string(m) + "x" + std::to_string(n));
    }
  // int64 broadcast of a column over 3 x 5 x 2 (stride 0), 8 dims worth of shape
  std::vector<long long> src = {10, 20, 30}, dst(30, -7);
  LAUNCH(kiln_tensor_copy_b64, dim3(1), dim3(64), 0,
         reinterpret_cast<const unsigned long long*>(src.data()),
         reinterpret_cast<unsigned long long*>(dst.data()),
         strided({3, 5, 2}, {1, 0, 0}, {10, 2, 1}));
  for (int i = 0; i < 30; ++i) CHECK(dst[i] == src[i / 10]);
}

TEST(tensor_convert_java_semantics) {
  std::vector<float> f = {1.9f, -1.9f, 0.f, NAN, 3e9f, -3e9f, 1e30f, -1e30f, 123456.7f};
  const long long n = static_cast<long long>(f.size());
  std::vector<long long> l(n, 99);
  std::vector<int> i(n, 99);
  LAUNCH(kiln_tensor_convert_f32_i64, dim3(1), dim3(32), 0, f.data(), l.data(), n);
  LAUNCH(kiln_tensor_convert_f32_i32, dim3(1), dim3(32), 0, f.data(), i.data(), n);
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
  LAUNCH(kiln_tensor_convert_i64_i32, dim3(1), dim3(32), 0, big.data(), narrow.data(), 2LL);
  LAUNCH(kiln_tensor_convert_i32_f32, dim3(1), dim3(32), 0, narrow.data(), back.data(), 2LL);
  CHECK(narrow[0] == 5 && narrow[1] == -3);
  CHECK(back[0] == 5.f && back[1] == -3.f);
}

TEST(tensor_unary_missing_ops) {
  kt::Rng rng(11);
  struct Case {
    int op;
    float alpha, lo, hi;
    double (*f)(double, double);
    double (*d)(double, double);
  } cases[] = {
      {9, 0.f, -2, 2, [](double x, double) { return x * x; }, [](double x, double) { return 2 * x; }},
      {10, 0.f, -2, 2, [](double x, double) { return std::fabs(x); },
       [](double x, double) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }},
      {11, 0.f, -30, 30, [](double x, double) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); },
       [](double x, double) { return 1 / (1 + std::exp(-x)); }},
      {13, 0.75f, -2, 2, [](double x, double a) { return x + a; }, [](double, double) { return 1.0; }},
      {14, 1.7f, 0.5f, 2, [](double x, double a) { return std::pow(x, a); },
       [](double x, double a) { return a * std::pow(x, a - 1); }},
  };
  for (const Case& c : cases)
    for (long long n : kt::kSizes) {
      auto x = kt::random_vec(rng, n, c.lo, c.hi), gy = kt::random_vec(rng, n);
      auto y = kt::nan_vec(n), gx = kt::nan_vec(n);
      LAUNCH(kiln_tensor_unary_f32, dim3(kt::grid_for(n, 256)), dim3(256), 0, x.data(), y.data(), n,
             c.op, c.alpha);
      LAUNCH(kiln_tensor_unary_backward_f32, dim3(kt::grid_for(n, 256, 2)), dim3(64), 0, x.data(),
             gy.data(), gx.data(), n, c.op, c.alpha);
      std::vector<float> wy(n), wg(n);
      for (long long i = 0; i < n; ++i) {
        wy[i] = static_cast<float>(c.f(x[i], c.alpha));
        wg[i] = static_cast<float>(gy[i] * c.d(x[i], c.alpha));
      }
      CHECK_CLOSE(y, wy, 1e-5f, 1e-6f, "unary op " + std::to_string(c.op) + " n=" + std::to_string(n));
      CHECK_CLOSE(gx, wg, 1e-5f, 1e-6f, "unary backward op " + std::to_string(c.op));
    }
}

TEST(tensor_binary_all_ops_broadcast) {
  kt::Rng rng(13);
  // out [4, 3, 5]; a [4, 1, 5]; b [3, 1]
  const long long A = 4, B = 3, C = 5, n = A * B * C;
  auto a = kt::random_vec(rng, A * C), b = kt::random_vec(rng, B);
  b[1] = a[0];  // an equal pair for eq
  KilnBroadcast d{};
  d.ndim = 3;
  d.n = n;
  d.shape[0] = A, d.shape[1] = B, d.shape[2] = C;
  d.stride_a[0] = C, d.stride_a[1] = 0, d.stride_a[2] = 1;
  d.stride_b[0] = 0, d.stride_b[1] = 1, d.stride_b[2] = 0;
  for (int op = 0; op < 9; ++op) {
    auto out = kt::nan_vec(n);
    LAUNCH(kiln_tensor_binary_f32, dim3(1), dim3(32), 0, a.data(), b.data(), out.data(), d, op);
    std::vector<float> want(n);
    for (long long i = 0; i < A; ++i)
      for (long long j = 0; j < B; ++j)
        for (long long k = 0; k < C; ++k) {
          float x = a[i * C + k], y = b[j], r = 0;
          switch (op) {
            case 0: r = x + y; break;
            case 1: r = x - y; break;
            case 2: r = x * y; break;
            case 3: r = x / y; break;
            case 4: r = std::max(x, y); break;
            case 5: r = std::min(x, y); break;
            case 6: r = x == y; break;
            case 7: r = x < y; break;
            default: r = x > y; break;
          }
          want[(i * B + j) * C + k] = r;
        }
    CHECK_CLOSE(out, want, 0.f, 0.f, "binary op " + std::to_string(op));
  }
  // NaN propagates through max and min
  float na = NAN, one = 1.f, o1 = 0.f, o2 = 0.f;
  KilnBroadcast s{};
  s.ndim = 1, s.n = 1, s.shape[0] = 1;
  LAUNCH(kiln_tensor_binary_f32, dim3(1), dim3(32), 0, &one, &na, &o1, s, 4);
  LAUNCH(kiln_tensor_binary_f32, dim3(1), dim3(32), 0, &one, &na, &o2, s, 5);
  CHECK(std::isnan(o1) && std::isnan(o2));
}

TEST(tensor_softmax_middle_axis) {
  kt::Rng rng(17);
  for (int outer : {1, 3})
    for (int dim : {1, 17, 260})
      for (int inner : {1, 5})
        for (int log : {0, 1}) {
          const long long n = (long long)outer * dim * inner;
          auto x = kt::random_vec(rng, n, -4, 4), gy = kt::random_vec(rng, n);
          auto y = kt::nan_vec(n), gx = kt::nan_vec(n);
          const long long rows = (long long)outer * inner;
          LAUNCH(kiln_tensor_softmax_f32, dim3(rows > 7 ? 7 : rows), dim3(row_block(dim)), 0, x.data(),
                 y.data(), outer, dim, inner, log);
          LAUNCH(kiln_tensor_softmax_backward_f32, dim3(3), dim3(row_block(dim)), 0, y.data(),
                 gy.data(), gx.data(), outer, dim, inner, log);
          std::vector<float> wy(n), wg(n);
          for (int o = 0; o < outer; ++o)
            for (int i = 0; i < inner; ++i) {
              auto at = [&](int d) { return ((long long)o * dim + d) * inner + i; };
              double m = -INFINITY, s = 0, dot = 0;
              for (int d = 0; d < dim; ++d) m = std::max(m, (double)x[at(d)]);
              for (int d = 0; d < dim; ++d) s += std::exp(x[at(d)] - m);
              for (int d = 0; d < dim; ++d) {
                double p = std::exp(x[at(d)] - m) / s;
                wy[at(d)] = static_cast<float>(log ? std::log(p) : p);
                dot += log ? gy[at(d)] : gy[at(d)] * p;
              }
              for (int d = 0; d < dim; ++d) {
                double p = std::exp(x[at(d)] - m) / s;
                wg[at(d)] = static_cast<float>(log ? gy[at(d)] - p * dot : p * (gy[at(d)] - dot));
              }
            }
          std::string what = "softmax log=" + std::to_string(log) + " [" + std::to_string(outer) + "," +
                             std::to_string(dim) + "," + std::to_string(inner) + "]";
          CHECK_CLOSE(y, wy, 1e-5f, 1e-6f, what);
          CHECK_CLOSE(gx, wg, 1e-4f, 1e-5f, what + " backward");
        }
}

TEST(tensor_cross_entropy_i64) {
  kt::Rng rng(19);
  for (int rows : {1, 6, 37})
    for (int cols : {1, 4, 129}) {
      auto x = kt::random_vec(rng, (long long)rows * cols, -3, 3);
      std::vector<long long> t(rows);
      for (auto& v : t) v = rng.below(cols);
      auto loss = kt::nan_vec(rows), grad = kt::nan_vec((long long)rows * cols);
      LAUNCH(kiln_tensor_cross_entropy_f32_i64, dim3(5), dim3(row_block(cols)), 0, x.data(), t.data(),
             rows, cols, loss.data(), grad.data());
      std::vector<float> wl(rows), wg((long long)rows * cols);
      for (int r = 0; r < rows; ++r) {
        double m = -INFINITY, s = 0;
        for (int c = 0; c < cols; ++c) m = std::max(m, (double)x[r * cols + c]);
        for (int c = 0; c < cols; ++c) s += std::exp(x[r * cols + c] - m);
        double lse = m + std::log(s);
        wl[r] = static_cast<float>(lse - x[r * cols + t[r]]);
        for (int c = 0; c < cols; ++c)
          wg[r * cols + c] = static_cast<float>(std::exp(x[r * cols + c] - lse) - (c == t[r]));
      }
      std::string what = "xent " + std::to_string(rows) + "x" + std::to_string(cols);
      CHECK_CLOSE(loss, wl, 1e-5f, 1e-5f, what);
      CHECK_CLOSE(grad, wg, 1e-5f, 1e-6f, what + " grad");
    }
}

TEST(tensor_index_select_and_add) {
  kt::Rng rng(23);
  const int outer = 3, dim = 5, inner = 7, count = 9;
  auto x = kt::random_vec(rng, outer * dim * inner), g = kt::random_vec(rng, outer * count * inner);
  std::vector<int> idx(count);
  std::vector<long long> idx64(count);
  for (int j = 0; j < count; ++j) idx64[j] = idx[j] = rng.below(dim);
  idx[1] = idx[0];  // duplicates accumulate
  idx64[1] = idx64[0];
  auto out = kt::nan_vec(outer * count * inner);
  LAUNCH(kiln_tensor_index_select_f32_i32, dim3(2), dim3(64), 0, x.data(), idx.data(), out.data(), outer,
         dim, inner, count);
  std::vector<float> want(out.size()), gx(x.size(), 0.5f), gx64(x.size(), 0.5f);
  std::vector<double> wgx(x.size(), 0.5);
  for (int o = 0; o < outer; ++o)
    for (int j = 0; j < count; ++j)
      for (int i = 0; i < inner; ++i) {
        want[(o * count + j) * inner + i] = x[(o * dim + idx[j]) * inner + i];
        wgx[(o * dim + idx[j]) * inner + i] += g[(o * count + j) * inner + i];
      }
  CHECK_CLOSE(out, want, 0.f, 0.f, "index_select i32");
  LAUNCH(kiln_tensor_index_add_f32_i32, dim3(3), dim3(32), 0, g.data(), idx.data(), gx.data(), outer,
         dim, inner, count);
  LAUNCH(kiln_tensor_index_add_f32_i64, dim3(1), dim3(256), 0, g.data(), idx64.data(), gx64.data(),
         outer, dim, inner, count);
  std::vector<float> w(wgx.begin(), wgx.end());
  CHECK_CLOSE(gx, w, 1e-6f, 1e-6f, "index_add i32");
  CHECK_CLOSE(gx64, w, 1e-6f, 1e-6f, "index_add i64");
}

TEST(tensor_sgd_velocity_without_momentum) {
  kt::Rng rng(29);
  for (long long n : kt::kSizes)
    for (int first : {0, 1}) {
      auto p = kt::random_vec(rng, n), g = kt::random_vec(rng, n), v = kt::random_vec(rng, n);
      std::vector<float> wp(n), wv(n);
      const float lr = 0.1f, damp = 0.3f, wd = 0.01f;
      for (long long i = 0; i < n; ++i) {
        double d = g[i] + (double)wd * p[i];
        double vi = first ? d : 0.0 * v[i] + (1 - damp) * d;
        wv[i] = static_cast<float>(vi);
        wp[i] = static_cast<float>(p[i] - lr * vi);
      }
      LAUNCH(kiln_tensor_sgd_f32, dim3(kt::grid_for(n, 256)), dim3(256), 0, p.data(), g.data(), v.data(), n,
             lr, 0.f, damp, wd, 0, first);
      CHECK_CLOSE(p, wp, 1e-6f, 1e-6f, "sgd param n=" + std::to_string(n));
      CHECK_CLOSE(v, wv, 1e-6f, 1e-6f, "sgd velocity n=" + std::to_string(n));
    }
}
