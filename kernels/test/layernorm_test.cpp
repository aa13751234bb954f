// Host tests of kernels/src/layernorm.cu against double-precision references.
#include "../src/layernorm.cu"

#include "kt.h"

namespace {

const long long kRC[][2] = {{1, 1}, {3, 17}, {17, 129}, {9, 1000}, {5, 1027}, {33, 64}};

struct LnRef {
  std::vector<float> y, s, mean, rstd, dx, dgamma, dbeta;
};

LnRef reference(const std::vector<float>& x, const std::vector<float>* res,
                const std::vector<float>* gamma, const std::vector<float>* beta,
                const std::vector<float>& dy, const std::vector<float>* dsum, long long R,
                long long C, double eps) {
  LnRef r;
  r.y.resize(R * C);
  r.s.resize(R * C);
  r.mean.resize(R);
  r.rstd.resize(R);
  r.dx.resize(R * C);
  std::vector<double> dg(C, 0.0), db(C, 0.0);
  for (long long i = 0; i < R; ++i) {
    std::vector<double> s(C);
    double mu = 0, var = 0;
    for (long long j = 0; j < C; ++j) {
      s[j] = double(x[i * C + j]) + (res ? (*res)[i * C + j] : 0.f);
      r.s[i * C + j] = static_cast<float>(s[j]);
      mu += s[j];
    }
    mu /= C;
    for (long long j = 0; j < C; ++j) var += (s[j] - mu) * (s[j] - mu);
    const double rs = 1.0 / std::sqrt(var / C + eps);
    r.mean[i] = static_cast<float>(mu);
    r.rstd[i] = static_cast<float>(rs);
    double a = 0, b = 0;
    for (long long j = 0; j < C; ++j) {
      const double xh = (s[j] - mu) * rs, gm = gamma ? (*gamma)[j] : 1.0;
      r.y[i * C + j] = static_cast<float>(xh * gm + (beta ? (*beta)[j] : 0.0));
      const double gy = dy[i * C + j] * gm;
      a += gy;
      b += gy * xh;
      dg[j] += dy[i * C + j] * xh;
      db[j] += dy[i * C + j];
    }
    a /= C;
    b /= C;
    for (long long j = 0; j < C; ++j) {
      const double xh = (s[j] - mu) * rs, gy = dy[i * C + j] * (gamma ? (*gamma)[j] : 1.0);
      r.dx[i * C + j] =
          static_cast<float>(rs * (gy - a - xh * b) + (dsum ? (*dsum)[i * C + j] : 0.f));
    }
  }
  r.dgamma.assign(dg.begin(), dg.end());
  r.dbeta.assign(db.begin(), db.end());
  return r;
}

}  // namespace

TEST(layernorm_forward_backward) {
  kt::Rng rng(701);
  const float eps = 1e-5f;
  for (auto& rc : kRC) {
    const long long R = rc[0], C = rc[1], n = R * C;
    for (int variant = 0; variant < 3; ++variant) {
      // 0: plain, no affine; 1: affine; 2: affine + fused residual + dsum.
      const bool affine = variant >= 1, fused = variant == 2;
      auto x = kt::random_vec(rng, n, -3.f, 5.f), res = kt::random_vec(rng, n);
      auto gamma = kt::random_vec(rng, C, 0.5f, 1.5f), beta = kt::random_vec(rng, C);
      auto dy = kt::random_vec(rng, n), dsum = kt::random_vec(rng, n);
      const LnRef want = reference(x, fused ? &res : nullptr, affine ? &gamma : nullptr,
                                   affine ? &beta : nullptr, dy, fused ? &dsum : nullptr, R, C,
                                   eps);
      const std::string what = std::to_string(R) + "x" + std::to_string(C) + " variant " +
                               std::to_string(variant);
      auto y = kt::nan_vec(n), s = kt::nan_vec(n), mean = kt::nan_vec(R), rstd = kt::nan_vec(R);
      LAUNCH(kiln_layernorm_forward_f32, dim3(kt::grid_for(R, 8, 3)), dim3(32, 8), 0, x.data(),
             fused ? res.data() : nullptr, affine ? gamma.data() : nullptr,
             affine ? beta.data() : nullptr, y.data(), fused ? s.data() : nullptr, mean.data(),
             rstd.data(), R, C, eps);
      CHECK_CLOSE(y, want.y, 1e-4f, 1e-5f, what + " y");
      CHECK_CLOSE(mean, want.mean, 1e-5f, 1e-5f, what + " mean");
      CHECK_CLOSE(rstd, want.rstd, 1e-4f, 1e-6f, what + " rstd");
      if (fused) CHECK_CLOSE(s, want.s, 0.f, 0.f, what + " sum");
      const std::vector<float>& xin = fused ? s : x;
      for (unsigned parts : {1u, 3u, static_cast<unsigned>(R)}) {
        auto dx = kt::nan_vec(n), pg = kt::nan_vec(parts * C), pb = kt::nan_vec(parts * C);
        auto dg = kt::nan_vec(C), db = kt::nan_vec(C);
        LAUNCH(kiln_layernorm_backward_f32, dim3(parts), dim3(32, 8), 0, dy.data(), xin.data(),
               affine ? gamma.data() : nullptr, mean.data(), rstd.data(),
               fused ? dsum.data() : nullptr, dx.data(), pg.data(), pb.data(), R, C);
        LAUNCH(kiln_layernorm_backward_reduce_f32, dim3(kt::grid_for(C, 256, 2)), dim3(256), 0,
               pg.data(), pb.data(), dg.data(), db.data(), static_cast<long long>(parts), C);
        const std::string w2 = what + " parts " + std::to_string(parts);
        CHECK_CLOSE(dx, want.dx, 1e-3f, 1e-4f, w2 + " dx");
        CHECK_CLOSE(dg, want.dgamma, 1e-4f, 1e-4f, w2 + " dgamma");
        CHECK_CLOSE(db, want.dbeta, 1e-4f, 1e-4f, w2 + " dbeta");
      }
    }
  }
}

TEST(layernorm_in_place_and_deterministic) {
  kt::Rng rng(702);
  const long long R = 13, C = 300, n = R * C;
  auto x = kt::random_vec(rng, n, -2.f, 2.f), res = kt::random_vec(rng, n);
  auto gamma = kt::random_vec(rng, C), beta = kt::random_vec(rng, C);
  auto y = kt::nan_vec(n), s = kt::nan_vec(n), mean = kt::nan_vec(R), rstd = kt::nan_vec(R);
  LAUNCH(kiln_layernorm_forward_f32, dim3(2), dim3(32, 8), 0, x.data(), res.data(), gamma.data(),
         beta.data(), y.data(), s.data(), mean.data(), rstd.data(), R, C, 1e-5f);
  // In place: y over x and the sum over x as well.
  auto x2 = x;
  LAUNCH(kiln_layernorm_forward_f32, dim3(2), dim3(32, 8), 0, x2.data(), res.data(),
         gamma.data(), beta.data(), x2.data(), static_cast<float*>(nullptr),
         static_cast<float*>(nullptr), static_cast<float*>(nullptr), R, C, 1e-5f);
  CHECK(std::memcmp(x2.data(), y.data(), n * 4) == 0);
  auto dy = kt::random_vec(rng, n);
  std::vector<float> first;
  for (int rep = 0; rep < 2; ++rep) {
    auto dx = kt::nan_vec(n), pg = kt::nan_vec(4 * C), pb = kt::nan_vec(4 * C),
         dg = kt::nan_vec(C), db = kt::nan_vec(C);
    LAUNCH(kiln_layernorm_backward_f32, dim3(4), dim3(32, 8), 0, dy.data(), s.data(),
           gamma.data(), mean.data(), rstd.data(), static_cast<const float*>(nullptr),
           dx.data(), pg.data(), pb.data(), R, C);
    LAUNCH(kiln_layernorm_backward_reduce_f32, dim3(1), dim3(256), 0, pg.data(), pb.data(),
           dg.data(), db.data(), 4LL, C);
    std::vector<float> all = dx;
    all.insert(all.end(), dg.begin(), dg.end());
    all.insert(all.end(), db.begin(), db.end());
    if (rep == 0) first = all;
    else CHECK(std::memcmp(first.data(), all.data(), all.size() * 4) == 0);
  }
}
