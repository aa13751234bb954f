// Host tests of kernels/src/pool.cu under the SIMT emulator against
// double-precision references written from PyTorch's definitions. The
// backward references scatter dy into dx window by window (the kernels
// gather), so the two sides share no index arithmetic. Outputs are
// NaN-poisoned before every launch.
#include "../src/pool.cu"

#include <cmath>
#include <string>
#include <vector>

#include "kt.h"

namespace {

struct PoolCase {
  int N, C, H, W, R, S, sh, sw, ph, pw, dh, dw, ceil_mode;
};

const PoolCase kPoolCases[] = {
    {2, 3, 9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 0},   // 3x3/2 pad 1 (ResNet stem)
    {1, 2, 7, 7, 2, 2, 2, 2, 0, 0, 1, 1, 0},   // 2x2/2, odd input, floor
    {1, 2, 7, 7, 2, 2, 2, 2, 0, 0, 1, 1, 1},   // same, ceil mode: last window hangs over
    {3, 2, 13, 9, 3, 3, 1, 1, 1, 1, 1, 1, 0},  // overlapping windows, stride 1
    {1, 2, 5, 5, 5, 5, 2, 2, 2, 2, 1, 1, 1},   // 5x5 pad 2, ceil mode
    {1, 3, 9, 7, 3, 2, 2, 1, 1, 1, 2, 1, 0},   // dilation 2 (max only), rectangular
};

int out_size(int in, int k, int s, int p, int d, bool ceil_mode) {
  const int span = in + 2 * p - d * (k - 1) - 1;
  int o = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && (o - 1) * s >= in + p) --o;  // torch: last window must start inside
  return o;
}

KilnPoolGeom geom(const PoolCase& c) {
  KilnPoolGeom g{};
  g.N = c.N; g.C = c.C; g.H = c.H; g.W = c.W; g.R = c.R; g.S = c.S;
  g.stride_h = c.sh; g.stride_w = c.sw; g.pad_h = c.ph; g.pad_w = c.pw;
  g.dil_h = c.dh; g.dil_w = c.dw;
  g.P = out_size(c.H, c.R, c.sh, c.ph, c.dh, c.ceil_mode);
  g.Q = out_size(c.W, c.S, c.sw, c.pw, c.dw, c.ceil_mode);
  return g;
}

std::string name(const KilnPoolGeom& g) {
  char b[160];
  std::snprintf(b, sizeof b, "N%d C%d %dx%d -> %dx%d k%dx%d s%d,%d p%d,%d d%d,%d", g.N, g.C, g.H,
                g.W, g.P, g.Q, g.R, g.S, g.stride_h, g.stride_w, g.pad_h, g.pad_w, g.dil_h,
                g.dil_w);
  return b;
}

unsigned grid(long long n) { return kt::grid_for(n, 256, 64); }

}  // namespace

TEST(pool_max2d) {
  kt::Rng rng(501);
  for (const PoolCase& c : kPoolCases) {
    const KilnPoolGeom g = geom(c);
    const long long HW = (long long)g.H * g.W, PQ = (long long)g.P * g.Q;
    const long long nx = g.N * g.C * HW, ny = g.N * g.C * PQ;
    auto x = kt::random_vec(rng, nx);
    if (&c == &kPoolCases[0]) x[5] = NAN;  // a NaN wins its windows
    std::vector<float> want(ny);
    std::vector<long long> want_idx(ny);
    for (long long pl = 0; pl < g.N * g.C; ++pl)
      for (int p = 0; p < g.P; ++p)
        for (int q = 0; q < g.Q; ++q) {
          float best = -INFINITY;
          long long bi = -1;
          for (int r = 0; r < g.R; ++r)
            for (int s = 0; s < g.S; ++s) {
              const int h = p * g.stride_h - g.pad_h + r * g.dil_h;
              const int w = q * g.stride_w - g.pad_w + s * g.dil_w;
              if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
              const float v = x[pl * HW + h * g.W + w];
              if (bi < 0 || std::isnan(v) || v > best) { best = v; bi = h * g.W + w; }
            }
          want[pl * PQ + p * g.Q + q] = best;
          want_idx[pl * PQ + p * g.Q + q] = bi;
        }
    auto y = kt::nan_vec(ny);
    std::vector<long long> idx(ny, -7);
    LAUNCH(kiln_pool_max2d_forward_f32, dim3(grid(ny)), dim3(256), 0, g, x.data(), y.data(),
           idx.data());
    CHECK_CLOSE(y, want, 0.f, 0.f, "max forward " + name(g));
    CHECK_MSG(idx == want_idx, "max forward indices " + name(g));
    auto y2 = kt::nan_vec(ny);
    LAUNCH(kiln_pool_max2d_forward_f32, dim3(1), dim3(64), 0, g, x.data(), y2.data(),
           static_cast<long long*>(nullptr));
    CHECK_CLOSE(y2, want, 0.f, 0.f, "max forward without indices " + name(g));

    auto dy = kt::random_vec(rng, ny);
    std::vector<double> dxd(nx, 0.0);
    for (long long pl = 0; pl < g.N * g.C; ++pl)
      for (long long o = 0; o < PQ; ++o) dxd[pl * HW + want_idx[pl * PQ + o]] += dy[pl * PQ + o];
    std::vector<float> dxw(dxd.begin(), dxd.end());
    auto dx = kt::nan_vec(nx);
    LAUNCH(kiln_pool_max2d_backward_f32, dim3(grid(nx)), dim3(256), 0, g, dy.data(),
           want_idx.data(), dx.data());
    CHECK_CLOSE(dx, dxw, 1e-6f, 1e-6f, "max backward " + name(g));
  }
}

TEST(pool_avg2d) {
  kt::Rng rng(502);
  for (const PoolCase& c : kPoolCases) {
    if (c.dh != 1 || c.dw != 1) continue;  // average pooling has no dilation
    const KilnPoolGeom g = geom(c);
    const long long HW = (long long)g.H * g.W, PQ = (long long)g.P * g.Q;
    const long long nx = g.N * g.C * HW, ny = g.N * g.C * PQ;
    auto x = kt::random_vec(rng, nx);
    auto dy = kt::random_vec(rng, ny);
    for (int cip = 0; cip < 2; ++cip) {
      std::vector<double> yd(ny), dxd(nx, 0.0);
      for (long long pl = 0; pl < g.N * g.C; ++pl)
        for (int p = 0; p < g.P; ++p)
          for (int q = 0; q < g.Q; ++q) {
            // torch's avg_pool2d: the divisor counts padding up to H + pad.
            int hs = p * g.stride_h - g.pad_h, ws = q * g.stride_w - g.pad_w;
            int he = std::min(hs + g.R, g.H + g.pad_h), we = std::min(ws + g.S, g.W + g.pad_w);
            const int pool = (he - hs) * (we - ws);
            hs = std::max(hs, 0); ws = std::max(ws, 0);
            he = std::min(he, g.H); we = std::min(we, g.W);
            const double div = cip ? pool : (he - hs) * (we - ws);
            double s = 0;
            for (int h = hs; h < he; ++h)
              for (int w = ws; w < we; ++w) s += x[pl * HW + h * g.W + w];
            const long long o = pl * PQ + p * g.Q + q;
            yd[o] = s / div;
            for (int h = hs; h < he; ++h)
              for (int w = ws; w < we; ++w) dxd[pl * HW + h * g.W + w] += dy[o] / div;
          }
      const std::string what = name(g) + " count_include_pad " + std::to_string(cip);
      auto y = kt::nan_vec(ny);
      LAUNCH(kiln_pool_avg2d_forward_f32, dim3(grid(ny)), dim3(256), 0, g, x.data(), y.data(),
             cip);
      CHECK_CLOSE(y, std::vector<float>(yd.begin(), yd.end()), 1e-5f, 1e-6f,
                  "avg forward " + what);
      auto dx = kt::nan_vec(nx);
      LAUNCH(kiln_pool_avg2d_backward_f32, dim3(grid(nx)), dim3(256), 0, g, dy.data(), dx.data(),
             cip);
      CHECK_CLOSE(dx, std::vector<float>(dxd.begin(), dxd.end()), 1e-5f, 1e-6f,
                  "avg backward " + what);
    }
  }
}

TEST(pool_adaptive_avg2d) {
  kt::Rng rng(503);
  const int shapes[][4] = {{9, 7, 4, 3}, {5, 5, 7, 7}, {7, 7, 1, 1}, {13, 9, 13, 9}, {10, 3, 4, 2}};
  for (auto& sh : shapes) {
    KilnPoolGeom g{};
    g.N = 2; g.C = 3; g.H = sh[0]; g.W = sh[1]; g.P = sh[2]; g.Q = sh[3];
    const long long HW = (long long)g.H * g.W, PQ = (long long)g.P * g.Q;
    const long long nx = g.N * g.C * HW, ny = g.N * g.C * PQ;
    auto x = kt::random_vec(rng, nx);
    auto dy = kt::random_vec(rng, ny);
    std::vector<double> yd(ny), dxd(nx, 0.0);
    for (long long pl = 0; pl < g.N * g.C; ++pl)
      for (int p = 0; p < g.P; ++p)
        for (int q = 0; q < g.Q; ++q) {
          const int hs = (int)std::floor((double)p * g.H / g.P);
          const int he = (int)std::ceil((double)(p + 1) * g.H / g.P);
          const int ws = (int)std::floor((double)q * g.W / g.Q);
          const int we = (int)std::ceil((double)(q + 1) * g.W / g.Q);
          const double cnt = (he - hs) * (we - ws);
          double s = 0;
          for (int h = hs; h < he; ++h)
            for (int w = ws; w < we; ++w) s += x[pl * HW + h * g.W + w];
          const long long o = pl * PQ + p * g.Q + q;
          yd[o] = s / cnt;
          for (int h = hs; h < he; ++h)
            for (int w = ws; w < we; ++w) dxd[pl * HW + h * g.W + w] += dy[o] / cnt;
        }
    const std::string what = std::to_string(g.H) + "x" + std::to_string(g.W) + " -> " +
                             std::to_string(g.P) + "x" + std::to_string(g.Q);
    auto y = kt::nan_vec(ny);
    LAUNCH(kiln_pool_adaptive_avg2d_forward_f32, dim3(grid(ny)), dim3(256), 0, g, x.data(),
           y.data());
    CHECK_CLOSE(y, std::vector<float>(yd.begin(), yd.end()), 1e-5f, 1e-6f,
                "adaptive forward " + what);
    auto dx = kt::nan_vec(nx);
    LAUNCH(kiln_pool_adaptive_avg2d_backward_f32, dim3(grid(nx)), dim3(256), 0, g, dy.data(),
           dx.data());
    CHECK_CLOSE(dx, std::vector<float>(dxd.begin(), dxd.end()), 1e-5f, 1e-6f,
                "adaptive backward " + what);
  }
}
