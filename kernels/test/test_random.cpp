// Host tests of kernels/src/random.cu and kiln/philox.h: the Philox
// known-answer vectors, the stream mapping, and distribution sanity.
#include "../src/random.cu"

#include "kt.h"

TEST(philox_known_answers) {
  // Random123 known-answer vectors for philox4x32-10.
  kiln_philox4 a = kiln_philox4x32_10(0, 0, 0, 0, 0, 0);
  CHECK(a.v[0] == 0x6627e8d5u && a.v[1] == 0xe169c58du && a.v[2] == 0xbc57ac4cu &&
        a.v[3] == 0x9b00dbd8u);
  kiln_philox4 b = kiln_philox4x32_10(~0u, ~0u, ~0u, ~0u, ~0u, ~0u);
  CHECK(b.v[0] == 0x408f276du && b.v[1] == 0x41c83b0eu && b.v[2] == 0xa20bc7c6u &&
        b.v[3] == 0x6d5451fdu);
  kiln_philox4 c = kiln_philox4x32_10(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u,
                                      0xa4093822u, 0x299f31d0u);
  CHECK(c.v[0] == 0xd16cfe09u && c.v[1] == 0x94fdccebu && c.v[2] == 0x5001e420u &&
        c.v[3] == 0x24126ea1u);
}

TEST(random_uniform_matches_mapping) {
  const unsigned long long seed = 0x0123456789abcdefull;
  for (long long n : kt::kSizes)
    for (unsigned long long offset : {0ull, 4ull, 6ull, (1ull << 34) + 1})
      for (int mis = 0; mis < 2; ++mis) {
        auto y = kt::nan_vec(n + 1);
        LAUNCH(kiln_random_uniform_f32, dim3(kt::grid_for(n, 1024, 3)), dim3(128), 0,
               y.data() + mis, n, seed, offset, -1.f, 3.f);
        std::vector<float> want(n);
        for (long long i = 0; i < n; ++i)
          want[i] = std::fma(4.f, kiln_philox_uniform_at(seed, offset + i), -1.f);
        CHECK_CLOSE(std::vector<float>(y.begin() + mis, y.begin() + mis + n), want, 0.f, 0.f,
                    "uniform n=" + std::to_string(n) + " offset=" + std::to_string(offset));
        CHECK(std::isnan(y[mis ? 0 : n]));
      }
  // Word layout spelled out once: element i = 5 at offset 0 is word 1 of block 1.
  float y[8];
  LAUNCH(kiln_random_uniform_f32, dim3(1), dim3(32), 0, y, 8LL, 7ull, 0ull, 0.f, 1.f);
  kiln_philox4 w = kiln_philox4x32_10(1, 0, 0, 0, 7, 0);
  CHECK(y[5] == static_cast<float>(w.v[1] >> 8) / 16777216.f);
}

TEST(random_uniform_and_normal_statistics) {
  const long long n = 100000;
  std::vector<float> u(n), z(n);
  LAUNCH(kiln_random_uniform_f32, dim3(64), dim3(256), 0, u.data(), n, 42ull, 0ull, 0.f, 1.f);
  LAUNCH(kiln_random_normal_f32, dim3(64), dim3(256), 0, z.data(), n, 42ull, 1000ull, 2.f, 3.f);
  double su = 0, su2 = 0, sz = 0, sz2 = 0;
  float umin = 1, umax = 0;
  for (long long i = 0; i < n; ++i) {
    su += u[i], su2 += double(u[i]) * u[i], sz += z[i], sz2 += double(z[i]) * z[i];
    umin = std::min(umin, u[i]), umax = std::max(umax, u[i]);
  }
  double mu = su / n, vu = su2 / n - mu * mu, mz = sz / n, vz = sz2 / n - mz * mz;
  CHECK_MSG(std::fabs(mu - 0.5) < 0.005 && std::fabs(vu - 1.0 / 12) < 0.003,
            "uniform mean " + std::to_string(mu) + " var " + std::to_string(vu));
  CHECK(umin >= 0.f && umax < 1.f);
  CHECK_MSG(std::fabs(mz - 2.0) < 0.05 && std::fabs(std::sqrt(vz) - 3.0) < 0.05,
            "normal mean " + std::to_string(mz) + " std " + std::to_string(std::sqrt(vz)));
  // The mapping, element by element (to float rounding of the host libm).
  std::vector<float> want(n);
  for (long long i = 0; i < n; ++i) want[i] = std::fma(3.f, kiln_philox_normal_at(42, 1000 + i), 2.f);
  CHECK_CLOSE(z, want, 1e-6f, 1e-6f, "normal mapping");
}
