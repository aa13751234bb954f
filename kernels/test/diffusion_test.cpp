// Host tests of kernels/src/diffusion.cu: the schedule table against a
// sequential double-precision reference (and published values), forward
// noising against the Philox mapping, the DDPM and DDIM reverse steps against
// double references, and DDIM's exactness when the noise prediction is exact.
#include "../src/diffusion.cu"

#include "kt.h"

namespace {

constexpr double kPi = 3.14159265358979323846;

// Sequential double reference of the whole table.
std::vector<double> ref_schedule(int T, int kind, double b0, double b1, double s, double max_beta) {
  std::vector<double> r(KILN_DIFF_ROWS * (size_t)T);
  auto f = [&](double t) {
    double c = std::cos((t / T + s) / (1 + s) * kPi / 2);
    return c * c;
  };
  double prev = 1;
  for (int t = 0; t < T; ++t) {
    double beta = kind == 0 ? (T > 1 ? b0 + (b1 - b0) * t / (T - 1) : b0)
                            : std::min(1 - f(t + 1) / f(t), max_beta);
    double abar = prev * (1 - beta);
    double pv = beta * (1 - prev) / (1 - abar);
    double row[KILN_DIFF_ROWS] = {beta,
                                  abar,
                                  std::sqrt(abar),
                                  std::sqrt(1 - abar),
                                  pv,
                                  std::sqrt(pv),
                                  beta * std::sqrt(prev) / (1 - abar),
                                  (1 - prev) * std::sqrt(1 - beta) / (1 - abar),
                                  std::sqrt(1 / abar),
                                  std::sqrt(1 / abar - 1)};
    for (int k = 0; k < KILN_DIFF_ROWS; ++k) r[(size_t)k * T + t] = row[k];
    prev = abar;
  }
  return r;
}

std::vector<float> to_float(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

std::vector<float> schedule(int T, int kind, int threads, float b0 = 1e-4f, float b1 = 0.02f) {
  auto table = kt::nan_vec(KILN_DIFF_ROWS * (size_t)T + 1);
  LAUNCH(kiln_diffusion_schedule_f32, dim3(1), dim3(threads), 0, table.data(), T, kind, b0, b1,
         0.008f, 0.999f);
  CHECK(std::isnan(table.back()));
  table.pop_back();
  return table;
}

}  // namespace

TEST(diffusion_schedule_matches_double_reference) {
  for (int kind : {0, 1})
    for (int T : {1, 2, 7, 100, 1000, 4001})
      for (int threads : {32, 256, 1024}) {
        auto got = schedule(T, kind, threads);
        auto want = ref_schedule(T, kind, 1e-4f, 0.02f, 0.008f, 0.999f);
        CHECK_CLOSE(got, to_float(want), 2e-6f, 0.f,
                    "schedule kind=" + std::to_string(kind) + " T=" + std::to_string(T) +
                        " threads=" + std::to_string(threads));
      }
}

TEST(diffusion_schedule_published_values) {
  // Linear (Ho et al.): beta from 1e-4 to 0.02 over 1000 steps; abar_T ~ 4.04e-5.
  auto lin = schedule(1000, 0, 256);
  CHECK(lin[0] == 1e-4f && std::fabs(lin[999] - 0.02f) < 1e-9f);
  CHECK_MSG(std::fabs(lin[1 * 1000 + 999] - 4.0358e-5f) < 1e-8f,
            "abar_T " + std::to_string(lin[1 * 1000 + 999]));
  // Posterior variance at the first step is 0 (x_0 is deterministic given x_1's mean).
  CHECK(lin[4 * 1000 + 0] == 0.f && lin[5 * 1000 + 0] == 0.f);
  CHECK(lin[6 * 1000 + 0] == 1.f && lin[7 * 1000 + 0] == 0.f);
  // Cosine (Nichol & Dhariwal): abar_t = f(t+1)/f(0) while no beta is clipped.
  const int T = 1000;
  auto cs = schedule(T, 1, 256);
  auto f = [&](double t) {
    double c = std::cos((t / T + 0.008) / 1.008 * kPi / 2);
    return c * c;
  };
  for (int t : {0, 1, 10, 500, 900, 990})
    CHECK_MSG(std::fabs(cs[T + t] - f(t + 1) / f(0)) <= 2e-6 * (f(t + 1) / f(0)),
              "cosine abar at " + std::to_string(t));
  // The last beta is clipped at 0.999.
  CHECK(cs[T - 1] == 0.999f);
  bool mono = true;
  for (int t = 1; t < T; ++t) mono &= cs[T + t] < cs[T + t - 1];
  CHECK(mono);
}

TEST(diffusion_q_sample_matches_mapping) {
  kt::Rng rng(71);
  const int T = 50;
  auto table = schedule(T, 1, 128);
  const unsigned long long seed = 0x5eedf00dull;
  for (long long n : kt::kSizes)
    for (long long dim : {1LL, 2LL, 3LL, 17LL})
      for (unsigned long long offset : {0ull, 6ull, (1ull << 33) + 3}) {
        const long long batch = (n + dim - 1) / dim, total = batch * dim;
        std::vector<int> ts(batch);
        for (auto& t : ts) t = rng.below(T);
        auto x0 = kt::random_vec(rng, total), xt = kt::nan_vec(total + 1), eps = kt::nan_vec(total + 1);
        LAUNCH(kiln_diffusion_q_sample_f32, dim3(kt::grid_for(total, 1024, 3)), dim3(128), 0,
               x0.data(), ts.data(), table.data(), T, xt.data(), eps.data(), batch, dim, seed,
               offset);
        std::vector<float> xw(total), ew(total);
        for (long long i = 0; i < total; ++i) {
          const int t = ts[i / dim];
          ew[i] = kiln_philox_normal_at(seed, offset + i);
          xw[i] = (float)((double)table[2 * T + t] * x0[i] + (double)table[3 * T + t] * ew[i]);
        }
        const std::string what = "q_sample n=" + std::to_string(total) + " dim=" +
                                  std::to_string(dim) + " offset=" + std::to_string(offset);
        CHECK(std::isnan(xt[total]) && std::isnan(eps[total]));
        xt.pop_back(), eps.pop_back();
        CHECK_CLOSE(eps, ew, 0.f, 0.f, what + " eps");
        CHECK_CLOSE(xt, xw, 1e-6f, 1e-6f, what + " x_t");
      }
}

TEST(diffusion_ddpm_step_matches_double_reference) {
  kt::Rng rng(72);
  const int T = 1000;
  auto tab = schedule(T, 0, 256);
  auto ref = ref_schedule(T, 0, 1e-4f, 0.02f, 0.008, 0.999);
  for (long long n : kt::kSizes)
    for (int t : {0, 1, 500, 999})
      for (float clip : {0.f, 1.f})
        for (unsigned long long offset : {0ull, 5ull}) {
          auto x = kt::random_vec(rng, n, -3.f, 3.f), e = kt::random_vec(rng, n);
          auto out = kt::nan_vec(n);
          LAUNCH(kiln_diffusion_ddpm_step_f32, dim3(kt::grid_for(n, 1024, 2)), dim3(96), 0,
                 x.data(), e.data(), tab.data(), T, t, out.data(), n, clip, 99ull, offset);
          std::vector<float> want(n);
          for (long long i = 0; i < n; ++i) {
            double x0 = std::sqrt(1 / ref[T + t]) * x[i] - std::sqrt(1 / ref[T + t] - 1) * e[i];
            if (clip > 0) x0 = std::min<double>(std::max<double>(x0, -clip), clip);
            double mean = ref[6 * T + t] * x0 + ref[7 * T + t] * x[i];
            double z = t == 0 ? 0 : kiln_philox_normal_at(99, offset + i);
            want[i] = (float)(mean + ref[5 * T + t] * z);
          }
          // sqrt(1/abar) reaches 157 at t = 999: x0 carries that amplification of rounding.
          CHECK_CLOSE(out, want, 2e-5f, 2e-5f,
                      "ddpm n=" + std::to_string(n) + " t=" + std::to_string(t) +
                          " clip=" + std::to_string(clip));
        }
}

TEST(diffusion_ddim_step_matches_reference_and_is_exact_on_true_noise) {
  kt::Rng rng(73);
  const int T = 1000;
  auto tab = schedule(T, 1, 256);
  auto ref = ref_schedule(T, 1, 1e-4, 0.02, 0.008f, 0.999f);
  for (long long n : kt::kSizes)
    for (auto [t, tp] : {std::pair{999, 949}, {500, 480}, {20, 0}, {3, -1}})
      for (float clip : {0.f, 1.5f}) {
        auto x = kt::random_vec(rng, n, -3.f, 3.f), e = kt::random_vec(rng, n);
        auto out = kt::nan_vec(n);
        LAUNCH(kiln_diffusion_ddim_step_f32, dim3(kt::grid_for(n, 256, 3)), dim3(64), 0,
               x.data(), e.data(), tab.data(), T, t, tp, out.data(), n, clip);
        std::vector<float> want(n);
        const double a = ref[T + t], ap = tp >= 0 ? ref[T + tp] : 1.0;
        for (long long i = 0; i < n; ++i) {
          double x0 = (x[i] - std::sqrt(1 - a) * e[i]) / std::sqrt(a);
          double eps = e[i];
          if (clip > 0) {
            x0 = std::min<double>(std::max<double>(x0, -clip), clip);
            eps = (x[i] - std::sqrt(a) * x0) / std::sqrt(1 - a);
          }
          want[i] = (float)(std::sqrt(ap) * x0 + std::sqrt(1 - ap) * eps);
        }
        CHECK_CLOSE(out, want, 1e-4f, 1e-4f,
                    "ddim n=" + std::to_string(n) + " t=" + std::to_string(t) + "->" +
                        std::to_string(tp) + " clip=" + std::to_string(clip));
      }
  // Given the true noise, one DDIM jump from x_t lands on x_{t'} of the same (x0, eps).
  const long long n = 1000;
  auto x0 = kt::random_vec(rng, n, -1.f, 1.f), e = kt::random_vec(rng, n);
  for (auto [t, tp] : {std::pair{700, 100}, {100, 99}, {50, -1}}) {
    std::vector<float> xt(n), got = kt::nan_vec(n), want(n);
    for (long long i = 0; i < n; ++i) {
      xt[i] = (float)(ref[2 * T + t] * x0[i] + ref[3 * T + t] * e[i]);
      want[i] = tp < 0 ? x0[i] : (float)(ref[2 * T + tp] * x0[i] + ref[3 * T + tp] * e[i]);
    }
    LAUNCH(kiln_diffusion_ddim_step_f32, dim3(4), dim3(256), 0, xt.data(), e.data(), tab.data(), T,
           t, tp, got.data(), n, 0.f);
    CHECK_CLOSE(got, want, 1e-4f, 1e-5f, "ddim exact jump " + std::to_string(t) + "->" + std::to_string(tp));
  }
}
