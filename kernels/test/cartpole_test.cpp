// Host tests of kernels/src/cartpole.cu: batched cart-poles against a
// double-precision reference written out from the CartPole-v1 equations
// (Gym's order of operations), Philox reset draws, auto-reset, truncation,
// bad actions, launch shapes, and the portable sine and cosine against libm.
#include "../src/cartpole.cu"

#include <algorithm>

#include "kt.h"

namespace {

// The reference: full double state, the equations as Gym writes them. With
// the kernel's polynomial sine/cosine (libm = false) it must agree bit for
// bit; with libm's only for as long as the open-loop instability (e^{4t})
// keeps last-bit differences small.
struct RefPole {
  double s[4];
  int t = 0;
  bool libm = false;
  void reset(unsigned long long seed, unsigned long long counter) {
    for (int k = 0; k < 4; ++k) {
      double u = kiln_philox_uniform_at(seed, counter + k);
      s[k] = std::fma(0.1, u, -0.05);
    }
    t = 0;
  }
  // Returns {terminated, truncated}.
  std::pair<bool, bool> step(int a, int max_steps) {
    const double g = 9.8, mc = 1.0, mp = 0.1, l = 0.5, f = a ? 10.0 : -10.0, tau = 0.02;
    const double total = mp + mc, pml = mp * l;
    double x = s[0], xd = s[1], th = s[2], thd = s[3];
    double ct = libm ? std::cos(th) : cp_cos(th), st = libm ? std::sin(th) : cp_sin(th);
    double temp = (f + pml * (thd * thd) * st) / total;
    double thacc = (g * st - ct * temp) / (l * (4.0 / 3.0 - mp * (ct * ct) / total));
    double xacc = temp - pml * thacc * ct / total;
    s[0] = x + tau * xd;
    s[1] = xd + tau * xacc;
    s[2] = th + tau * thd;
    s[3] = thd + tau * thacc;
    ++t;
    const double lim = 12.0 * 2.0 * M_PI / 360.0;
    bool term = std::fabs(s[0]) > 2.4 || std::fabs(s[2]) > lim;
    return {term, t >= max_steps};
  }
};

// A policy that keeps the pole up for a while: push towards the side it leans to.
double ulp(double v) { return std::nextafter(std::fabs(v), INFINITY) - std::fabs(v); }

int lean_policy(const double* s) { return s[2] + 0.5 * s[3] > 0 ? 1 : 0; }

double state_of(const std::vector<float>& obs, const std::vector<float>& rest, long long j) {
  return (static_cast<double>(obs[j]) + rest[2 * j]) + rest[2 * j + 1];
}

struct Batch {
  long long n;
  std::vector<float> obs, rest, steps, action, next_obs, reward, term, trunc, fin, err;
  explicit Batch(long long n)
      : n(n), obs(kt::nan_vec(4 * n)), rest(kt::nan_vec(8 * n)), steps(kt::nan_vec(n)),
        action(n), next_obs(kt::nan_vec(4 * n)), reward(kt::nan_vec(n)), term(kt::nan_vec(n)),
        trunc(kt::nan_vec(n)), fin(kt::nan_vec(n)), err(1, 0.f) {}
};

void run_batch(long long n, unsigned long long seed, int max_steps, int nsteps, int block,
               bool lean) {
  Batch b(n);
  std::vector<RefPole> ref(n);
  unsigned long long offset = 0;
  LAUNCH(kiln_cartpole_reset_f32, dim3(kt::grid_for(n, block, 1)), dim3(block), 0, b.obs.data(),
         b.rest.data(), b.steps.data(), n, seed, offset);
  for (long long i = 0; i < n; ++i) ref[i].reset(seed, offset + 4 * i);
  offset += 4 * n;
  kt::Rng rng(seed * 31 + n);
  long long episodes = 0;
  int bad = 0;
  for (int step = 0; step < nsteps && bad < 5; ++step) {
    for (long long i = 0; i < n; ++i)
      b.action[i] = static_cast<float>(lean && (i % 3) ? lean_policy(ref[i].s) : rng.below(2));
    LAUNCH(kiln_cartpole_step_f32, dim3(kt::grid_for(n, block, 1)), dim3(block), 0,
           b.action.data(), b.obs.data(), b.rest.data(), b.steps.data(), b.next_obs.data(),
           b.reward.data(), b.term.data(), b.trunc.data(), b.fin.data(), b.err.data(), n, seed,
           offset, max_steps);
    for (long long i = 0; i < n; ++i) {
      auto [term, trunc] = ref[i].step(static_cast<int>(b.action[i]), max_steps);
      bool ok = b.reward[i] == 1.f && b.term[i] == (term ? 1.f : 0.f) &&
                b.trunc[i] == (trunc ? 1.f : 0.f) &&
                b.fin[i] == ((term || trunc) ? static_cast<float>(ref[i].t) : 0.f);
      for (int k = 0; k < 4; ++k) {
        ok = ok && b.next_obs[4 * i + k] == static_cast<float>(ref[i].s[k]) &&
             (term || trunc || state_of(b.obs, b.rest, 4 * i + k) == ref[i].s[k]);
      }
      if (term || trunc) {
        ++episodes;
        ref[i].reset(seed, offset + 4 * i);
        for (int k = 0; k < 4; ++k)
          ok = ok && state_of(b.obs, b.rest, 4 * i + k) == ref[i].s[k];
        ok = ok && b.steps[i] == 0.f;
      } else {
        ok = ok && b.steps[i] == static_cast<float>(ref[i].t);
      }
      if (!ok) {
        ++bad;
        CHECK_MSG(false, "n=" + std::to_string(n) + " env " + std::to_string(i) + " step " +
                             std::to_string(step) + ": x " + std::to_string(b.next_obs[4 * i]) +
                             " vs " + std::to_string(ref[i].s[0]) + ", term " +
                             std::to_string(b.term[i]) + " vs " + std::to_string(term));
      }
    }
    offset += 4 * n;
  }
  CHECK(b.err[0] == 0.f);
  CHECK_MSG(episodes > 0, "some episodes must end (n=" + std::to_string(n) + ")");
}

}  // namespace

TEST(cartpole_reset_draws_philox_blocks) {
  Batch b(5);
  const unsigned long long seed = 0xfeedbeefcafeull, offset = 40;
  LAUNCH(kiln_cartpole_reset_f32, dim3(2), dim3(4), 0, b.obs.data(), b.rest.data(), b.steps.data(),
         5LL, seed, offset);
  for (int i = 0; i < 5; ++i) {
    kiln_philox4 w = kiln_philox4x32_10(static_cast<uint32_t>(offset / 4 + i), 0, 0, 0,
                                        static_cast<uint32_t>(seed),
                                        static_cast<uint32_t>(seed >> 32));
    for (int k = 0; k < 4; ++k) {
      double want = std::fma(0.1, static_cast<double>((w.v[k] >> 8) * (1.0 / 16777216.0)), -0.05);
      double got = state_of(b.obs, b.rest, 4 * i + k);
      CHECK(got == want);
      CHECK(b.obs[4 * i + k] == static_cast<float>(want));
      CHECK(got >= -0.05 && got < 0.05);
    }
    CHECK(b.steps[i] == 0.f);
  }
}

TEST(cartpole_steps_match_double_reference) {
  for (unsigned long long seed : {1ull, 7ull, 123456789ull}) {
    run_batch(1, seed, 500, 600, 32, true);
    run_batch(3, seed, 500, 300, 32, false);
  }
  run_batch(129, 5, 500, 700, 64, true);
  run_batch(1027, 9, 500, 40, 256, false);
}

TEST(cartpole_truncates_at_max_steps) {
  // With a 5-step limit every episode is cut at step 5 unless it terminated earlier.
  run_batch(17, 3, 5, 23, 32, true);
  Batch b(2);
  LAUNCH(kiln_cartpole_reset_f32, dim3(1), dim3(32), 0, b.obs.data(), b.rest.data(), b.steps.data(),
         2LL, 11ull, 0ull);
  for (int t = 1; t <= 3; ++t) {
    b.action = {static_cast<float>(t % 2), static_cast<float>((t + 1) % 2)};
    LAUNCH(kiln_cartpole_step_f32, dim3(1), dim3(32), 0, b.action.data(), b.obs.data(),
           b.rest.data(), b.steps.data(), b.next_obs.data(), b.reward.data(), b.term.data(),
           b.trunc.data(), b.fin.data(), b.err.data(), 2LL, 11ull, 8ull * t, 3);
    for (int i = 0; i < 2; ++i) {
      CHECK(b.trunc[i] == (t == 3 ? 1.f : 0.f));
      CHECK(b.term[i] == 0.f);
      CHECK(b.fin[i] == (t == 3 ? 3.f : 0.f));
      CHECK(b.steps[i] == (t == 3 ? 0.f : static_cast<float>(t)));
    }
  }
}

TEST(cartpole_bad_action_sets_error_and_leaves_env) {
  Batch b(4);
  LAUNCH(kiln_cartpole_reset_f32, dim3(1), dim3(32), 0, b.obs.data(), b.rest.data(), b.steps.data(),
         4LL, 2ull, 0ull);
  std::vector<float> before = b.obs;
  b.action = {0.f, 1.f, 0.5f, 1.f};
  LAUNCH(kiln_cartpole_step_f32, dim3(1), dim3(32), 0, b.action.data(), b.obs.data(), b.rest.data(),
         b.steps.data(), b.next_obs.data(), b.reward.data(), b.term.data(), b.trunc.data(),
         b.fin.data(), b.err.data(), 4LL, 2ull, 16ull, 500);
  CHECK(b.err[0] == 3.f);
  for (int k = 0; k < 4; ++k) CHECK(b.obs[8 + k] == before[8 + k]);
  CHECK(b.obs[0] != before[0] && b.obs[4] != before[4]);
  CHECK(b.steps[0] == 1.f && b.steps[2] == 0.f);
}

TEST(cartpole_portable_trig_is_within_two_ulps_of_libm) {
  int worst_s = 0, worst_c = 0;
  for (int k = -21000; k <= 21000; ++k) {
    const double t = k * 1e-5 + k * 1.234567e-12;
    const double s = cp_sin(t), c = cp_cos(t), ws = std::sin(t), wc = std::cos(t);
    worst_s = std::max(worst_s, static_cast<int>(std::fabs(s - ws) / ulp(ws)));
    worst_c = std::max(worst_c, static_cast<int>(std::fabs(c - wc) / ulp(wc)));
  }
  CHECK_MSG(worst_s <= 2 && worst_c <= 2,
            "sin " + std::to_string(worst_s) + " ulp, cos " + std::to_string(worst_c) + " ulp");
}

TEST(cartpole_follows_libm_physics_for_a_while) {
  // With libm's sine the same actions give the same trajectory to 1e-6 over 150 steps.
  Batch b(1);
  RefPole ref;
  ref.libm = true;
  LAUNCH(kiln_cartpole_reset_f32, dim3(1), dim3(32), 0, b.obs.data(), b.rest.data(),
         b.steps.data(), 1LL, 21ull, 0ull);
  ref.reset(21, 0);
  for (int t = 0; t < 150; ++t) {
    b.action[0] = static_cast<float>(lean_policy(ref.s));
    LAUNCH(kiln_cartpole_step_f32, dim3(1), dim3(32), 0, b.action.data(), b.obs.data(),
           b.rest.data(), b.steps.data(), b.next_obs.data(), b.reward.data(), b.term.data(),
           b.trunc.data(), b.fin.data(), b.err.data(), 1LL, 21ull, 4ull * (t + 1), 500);
    ref.step(static_cast<int>(b.action[0]), 500);
    for (int k = 0; k < 4; ++k) CHECK(std::fabs(state_of(b.obs, b.rest, k) - ref.s[k]) <= 1e-6);
    CHECK(b.term[0] == 0.f);
  }
}
