// Host tests of kernels/src/optim.cu against double-precision references of
// the torch.optim update rules.
#include "../src/optim.cu"

#include "kt.h"

TEST(optim_sgd_variants) {
  kt::Rng rng(41);
  struct Cfg {
    float momentum, dampening, wd;
    int nesterov, first;
    bool buffer;
  } cfgs[] = {{0.f, 0.f, 0.f, 0, 0, false},    {0.9f, 0.f, 1e-2f, 0, 1, true},
              {0.9f, 0.1f, 1e-2f, 0, 0, true}, {0.9f, 0.f, 5e-3f, 1, 0, true},
              // a velocity buffer without momentum is still updated (Backend.sgdUpdate)
              {0.f, 0.3f, 1e-2f, 0, 0, true},  {0.f, 0.3f, 1e-2f, 0, 1, true}};
  const float lr = 0.05f;
  for (const Cfg& c : cfgs)
    for (long long n : kt::kSizes)
      for (int mis = 0; mis < 2; ++mis) {
        auto p = kt::random_vec(rng, n + 1), g = kt::random_vec(rng, n + 1),
             b = kt::random_vec(rng, n + 1);
        std::vector<float> pw(n), bw(n);
        for (long long i = 0; i < n; ++i) {
          double pi = p[i + mis], gi = g[i + mis] + double(c.wd) * pi, bi = b[i + mis];
          if (c.buffer) {
            bi = c.first ? gi : c.momentum * bi + (1 - c.dampening) * gi;
            gi = c.nesterov ? gi + c.momentum * bi : bi;
          }
          pw[i] = static_cast<float>(pi - lr * gi);
          bw[i] = static_cast<float>(bi);
        }
        float* buf = c.buffer ? b.data() + mis : nullptr;
        LAUNCH(kiln_optim_sgd_f32, dim3(kt::grid_for(n)), dim3(256), 0, p.data() + mis,
               g.data() + mis, buf, n, lr, c.momentum, c.dampening, c.wd, c.nesterov, c.first);
        std::string what = "sgd m=" + std::to_string(c.momentum) + " buffer=" +
                           std::to_string(c.buffer) + " nesterov=" +
                           std::to_string(c.nesterov) + " n=" + std::to_string(n);
        CHECK_CLOSE(std::vector<float>(p.begin() + mis, p.begin() + mis + n), pw, 1e-6f, 1e-7f,
                    what + " param");
        if (buf)
          CHECK_CLOSE(std::vector<float>(b.begin() + mis, b.begin() + mis + n), bw, 1e-6f, 1e-7f,
                      what + " buf");
      }
}

TEST(optim_adam_adamw) {
  kt::Rng rng(42);
  const float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.01f;
  for (int decoupled = 0; decoupled < 2; ++decoupled)
    for (long long n : kt::kSizes)
      for (int mis = 0; mis < 2; ++mis) {
        const int t = 3;
        const float bc1 = 1.f - std::pow(b1, t), bc2 = 1.f - std::pow(b2, t);
        auto p = kt::random_vec(rng, n + 1), g = kt::random_vec(rng, n + 1),
             m = kt::random_vec(rng, n + 1, -0.1f, 0.1f),
             v = kt::random_vec(rng, n + 1, 0.f, 0.01f);
        std::vector<float> pw(n), mw(n), vw(n);
        for (long long i = 0; i < n; ++i) {
          double pi = p[i + mis], gi = g[i + mis];
          if (decoupled) pi *= 1 - double(lr) * wd;
          else gi += double(wd) * pi;
          double mi = b1 * double(m[i + mis]) + (1 - double(b1)) * gi;
          double vi = b2 * double(v[i + mis]) + (1 - double(b2)) * gi * gi;
          pi -= (lr / double(bc1)) * mi / (std::sqrt(vi) / std::sqrt(double(bc2)) + eps);
          pw[i] = float(pi), mw[i] = float(mi), vw[i] = float(vi);
        }
        auto k = decoupled ? kiln_optim_adamw_f32 : kiln_optim_adam_f32;
        LAUNCH(k, dim3(kt::grid_for(n)), dim3(256), 0, p.data() + mis, g.data() + mis,
               m.data() + mis, v.data() + mis, n, lr, b1, b2, eps, wd, bc1, bc2);
        std::string what = std::string(decoupled ? "adamw" : "adam") + " n=" + std::to_string(n);
        auto sl = [&](const std::vector<float>& a) {
          return std::vector<float>(a.begin() + mis, a.begin() + mis + n);
        };
        CHECK_CLOSE(sl(p), pw, 1e-5f, 1e-6f, what + " param");
        CHECK_CLOSE(sl(m), mw, 1e-5f, 1e-7f, what + " exp_avg");
        CHECK_CLOSE(sl(v), vw, 1e-5f, 1e-9f, what + " exp_avg_sq");
      }
}
