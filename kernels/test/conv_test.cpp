// Host tests of kernels/src/conv.cu under the SIMT emulator: forward, data
// and weight gradients (each fp32 and tf32, NCHW and NHWC), and the bias gradient against straightforward
// double-precision loops over NCHW, at ragged shapes (odd H/W, stride 2,
// padding 1 and 2, dilation 2, groups 2 and depthwise, 1x1/3x3/5x5 and
// rectangular filters, batch 1 and 3, channel counts that are not multiples
// of the 64-wide tiles). Outputs are NaN-poisoned before every launch.
#include "../src/conv.cu"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kt.h"

namespace {

struct Case {
  int N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups;
};

// Chosen so every feature appears at least once; small enough that the whole
// file runs in a few seconds under the emulator.
const Case kCases[] = {
    {1, 3, 7, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1},      // 3x3 pad 1, batch 1
    {3, 5, 9, 9, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1},      // stride 2, batch 3
    {2, 4, 13, 11, 6, 5, 5, 1, 1, 2, 2, 1, 1, 2},    // 5x5 pad 2, groups 2
    {1, 6, 9, 7, 6, 3, 3, 1, 1, 2, 2, 2, 2, 6},      // depthwise, dilation 2
    {2, 5, 9, 9, 10, 5, 5, 2, 2, 2, 2, 1, 1, 5},     // depthwise x2 multiplier, 5x5 stride 2
    {3, 70, 5, 5, 67, 1, 1, 1, 1, 0, 0, 1, 1, 1},    // 1x1, C and K above one tile
    {2, 8, 7, 7, 16, 1, 1, 2, 2, 0, 0, 1, 1, 1},     // 1x1 stride 2 (projection shortcut)
    {1, 3, 13, 9, 4, 3, 1, 2, 1, 1, 0, 2, 1, 1},     // 3x1, mixed strides/pads/dilations
    {2, 66, 7, 7, 68, 3, 3, 1, 1, 1, 1, 1, 1, 2},    // groups 2 with Kg, Cg > 32, 9 taps
};

KilnConvGeom geom(const Case& c) {
  KilnConvGeom g{};
  g.N = c.N; g.C = c.C; g.H = c.H; g.W = c.W;
  g.K = c.K; g.R = c.R; g.S = c.S;
  g.stride_h = c.sh; g.stride_w = c.sw; g.pad_h = c.ph; g.pad_w = c.pw;
  g.dil_h = c.dh; g.dil_w = c.dw; g.groups = c.groups;
  g.P = kiln_conv_out_size(c.H, c.R, c.sh, c.ph, c.dh);
  g.Q = kiln_conv_out_size(c.W, c.S, c.sw, c.pw, c.dw);
  return g;
}

std::string name(const KilnConvGeom& g) {
  char b[160];
  std::snprintf(b, sizeof b, "N%d C%d %dx%d K%d %dx%d s%d,%d p%d,%d d%d,%d g%d", g.N, g.C, g.H,
                g.W, g.K, g.R, g.S, g.stride_h, g.stride_w, g.pad_h, g.pad_w, g.dil_h, g.dil_w,
                g.groups);
  return b;
}

float tf32(float v) { return kiln::bits_to_float(kiln::tf32_round_bits(v)); }

// Visits every (n, k, p, q, c, r, s) term of the convolution that hits the
// input (padding terms are zero and skipped) with flat indices into x, w, y:
// NCHW / KCRS, or with nhwc NHWC / KRSC.
template <class F>
void for_each_term(const KilnConvGeom& g, bool nhwc, F f) {
  const int Cg = g.C / g.groups, Kg = g.K / g.groups;
  for (int n = 0; n < g.N; ++n)
    for (int k = 0; k < g.K; ++k) {
      const int grp = k / Kg;
      for (int p = 0; p < g.P; ++p)
        for (int q = 0; q < g.Q; ++q)
          for (int c = 0; c < Cg; ++c)
            for (int r = 0; r < g.R; ++r)
              for (int s = 0; s < g.S; ++s) {
                const int h = p * g.stride_h - g.pad_h + r * g.dil_h;
                const int w = q * g.stride_w - g.pad_w + s * g.dil_w;
                if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
                const int ch = grp * Cg + c;
                if (nhwc)
                  f((((long long)n * g.H + h) * g.W + w) * g.C + ch,
                    (((long long)k * g.R + r) * g.S + s) * Cg + c,
                    (((long long)n * g.P + p) * g.Q + q) * g.K + k);
                else
                  f(((long long)(n * g.C + ch) * g.H + h) * g.W + w,
                    ((long long)(k * Cg + c) * g.R + r) * g.S + s,
                    ((long long)(n * g.K + k) * g.P + p) * g.Q + q);
              }
    }
}

// |got - want| <= rtol * scale + atol, scale = sum of |terms| of that output
// (so cancellation in the sum does not make the bound meaningless).
void check(const std::vector<float>& got, const std::vector<double>& want,
           const std::vector<double>& scale, double rtol, double atol, const std::string& what) {
  int bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double d = std::fabs((double)got[i] - want[i]);
    if (!(d <= rtol * scale[i] + atol)) {
      if (bad++ < 3) {
        char b[256];
        std::snprintf(b, sizeof b, "%s: [%zu] got %.9g want %.9g (scale %.3g)", what.c_str(), i,
                      got[i], want[i], scale[i]);
        kt::report(__FILE__, __LINE__, b);
      }
    }
  }
}

using FwdK = decltype(&kiln_conv_forward_f32);
using DataK = decltype(&kiln_conv_backward_data_f32);
using WeightK = decltype(&kiln_conv_backward_weight_f32);
struct ConvKernels {
  FwdK fwd;
  DataK data;
  WeightK weight;
};

ConvKernels kernels_for(bool tf, bool nhwc) {
  if (nhwc)
    return tf ? ConvKernels{kiln_conv_forward_nhwc_tf32_f32, kiln_conv_backward_data_nhwc_tf32_f32,
                            kiln_conv_backward_weight_nhwc_tf32_f32}
              : ConvKernels{kiln_conv_forward_nhwc_f32, kiln_conv_backward_data_nhwc_f32,
                            kiln_conv_backward_weight_nhwc_f32};
  return tf ? ConvKernels{kiln_conv_forward_tf32_f32, kiln_conv_backward_data_tf32_f32,
                          kiln_conv_backward_weight_tf32_f32}
            : ConvKernels{kiln_conv_forward_f32, kiln_conv_backward_data_f32, kiln_conv_backward_weight_f32};
}

std::string label(bool tf, bool nhwc) { return std::string(tf ? "tf32 " : "f32 ") + (nhwc ? "nhwc " : ""); }

dim3 fwd_grid(const KilnConvGeom& g) {
  return dim3((g.N * g.P * g.Q + 63) / 64, (g.K / g.groups + 63) / 64, g.groups);
}

}  // namespace

TEST(conv_forward) {
  kt::Rng rng(401);
  for (const Case& c : kCases) {
    const KilnConvGeom g = geom(c);
    const size_t nx = (size_t)g.N * g.C * g.H * g.W, nw = (size_t)g.K * (g.C / g.groups) * g.R * g.S,
                 ny = (size_t)g.N * g.K * g.P * g.Q;
    auto x = kt::random_vec(rng, nx, -1.f, 1.f);
    auto w = kt::random_vec(rng, nw, -1.f, 1.f);
    auto bias = kt::random_vec(rng, g.K, -1.f, 1.f);
    for (bool nhwc : {false, true})
    for (int tf = 0; tf < 2; ++tf) {
      const ConvKernels kn = kernels_for(tf, nhwc);
      std::vector<double> want(ny, 0.0), scale(ny, 0.0);
      for_each_term(g, nhwc, [&](long long xi, long long wi, long long yi) {
        const double t = tf ? (double)tf32(x[xi]) * tf32(w[wi]) : (double)x[xi] * w[wi];
        want[yi] += t;
        scale[yi] += std::fabs(t);
      });
      // fp32: (no act, bias) and (relu, no bias); tf32: (relu, bias).
      for (int combo = tf ? 2 : 0; combo < (tf ? 3 : 2); ++combo) {
          const int act = combo >= 1, with_bias = combo != 1;
          std::vector<double> wa(ny), sc(ny);
          for (size_t i = 0; i < ny; ++i) {
            const int k = nhwc ? (int)(i % g.K) : (int)((i / ((size_t)g.P * g.Q)) % g.K);
            double v = want[i] + (with_bias ? bias[k] : 0.0);
            wa[i] = act == 1 && v < 0 ? 0.0 : v;
            sc[i] = scale[i] + (with_bias ? std::fabs(bias[k]) : 0.0);
          }
          auto y = kt::nan_vec(ny);
          LAUNCH(kn.fwd, fwd_grid(g), dim3(256), 0, g, x.data(), w.data(),
                 with_bias ? bias.data() : nullptr, y.data(), act);
          // fp32: a few ulps of the term sum; tf32: the reference already has
          // tf32-rounded operands, so only fp32 accumulation error remains.
          check(y, wa, sc, 2e-6, 1e-6,
                label(tf, nhwc) + "forward " + name(g) + " act " + std::to_string(act) + " bias " +
                    std::to_string(with_bias));
        }
      if (tf) {
        // Against the exact (unrounded) reference, tf32 is within ~2^-10 of the term sum.
        std::vector<double> exact(ny, 0.0), sc(ny, 0.0);
        for_each_term(g, nhwc, [&](long long xi, long long wi, long long yi) {
          exact[yi] += (double)x[xi] * w[wi];
          sc[yi] += std::fabs((double)x[xi] * w[wi]);
        });
        auto y = kt::nan_vec(ny);
        LAUNCH(kn.fwd, fwd_grid(g), dim3(256), 0, g, x.data(), w.data(),
               static_cast<const float*>(nullptr), y.data(), 0);
        check(y, exact, sc, 1e-3, 1e-6, label(tf, nhwc) + "vs exact " + name(g));
      }
    }
  }
}

// fp32 and tf32 kernels; the tf32 reference multiplies tf32-rounded operands,
// so either way only fp32 accumulation error is left (the tf32 forward test
// also bounds the distance to the exact result).
TEST(conv_backward_data) {
  kt::Rng rng(402);
  for (const Case& c : kCases) {
    const KilnConvGeom g = geom(c);
    const size_t nx = (size_t)g.N * g.C * g.H * g.W, nw = (size_t)g.K * (g.C / g.groups) * g.R * g.S,
                 ny = (size_t)g.N * g.K * g.P * g.Q;
    auto dy = kt::random_vec(rng, ny, -1.f, 1.f);
    auto w = kt::random_vec(rng, nw, -1.f, 1.f);
    for (bool nhwc : {false, true})
    for (int tf = 0; tf < 2; ++tf) {
      std::vector<double> want(nx, 0.0), scale(nx, 0.0);
      for_each_term(g, nhwc, [&](long long xi, long long wi, long long yi) {
        const double t = tf ? (double)tf32(dy[yi]) * tf32(w[wi]) : (double)dy[yi] * w[wi];
        want[xi] += t;
        scale[xi] += std::fabs(t);
      });
      auto dx = kt::nan_vec(nx);
      LAUNCH(kernels_for(tf, nhwc).data,
             dim3((g.N * g.H * g.W + 63) / 64, (g.C / g.groups + 63) / 64, g.groups), dim3(256), 0,
             g, dy.data(), w.data(), dx.data());
      check(dx, want, scale, 2e-6, 1e-6, label(tf, nhwc) + "backward data " + name(g));
    }
  }
}

TEST(conv_backward_weight_and_bias) {
  kt::Rng rng(403);
  for (const Case& c : kCases) {
    const KilnConvGeom g = geom(c);
    const int Cg = g.C / g.groups, CRS = Cg * g.R * g.S;
    const size_t nx = (size_t)g.N * g.C * g.H * g.W, nw = (size_t)g.K * CRS,
                 ny = (size_t)g.N * g.K * g.P * g.Q;
    auto x = kt::random_vec(rng, nx, -1.f, 1.f);
    auto dy = kt::random_vec(rng, ny, -1.f, 1.f);
    for (bool nhwc : {false, true})
    for (int tf = 0; tf < 2; ++tf) {
      std::vector<double> want(nw, 0.0), scale(nw, 0.0);
      for_each_term(g, nhwc, [&](long long xi, long long wi, long long yi) {
        const double t = tf ? (double)tf32(dy[yi]) * tf32(x[xi]) : (double)dy[yi] * x[xi];
        want[wi] += t;
        scale[wi] += std::fabs(t);
      });
      for (int splits : {1, 3}) {
        // splits == 1 writes dw directly; splits > 1 goes through the workspace.
        auto ws = kt::nan_vec(nw * splits);
        auto dw = kt::nan_vec(nw);
        const dim3 grid((CRS + 63) / 64, (g.K / g.groups + 63) / 64, g.groups * splits);
        float* out = splits == 1 ? dw.data() : ws.data();
        LAUNCH(kernels_for(tf, nhwc).weight, grid, dim3(256), 0, g, x.data(), dy.data(), out, splits);
        if (splits > 1)
          LAUNCH(kiln_conv_backward_weight_reduce_f32, dim3(3), dim3(128), 0, ws.data(), dw.data(),
                 (long long)nw, splits);
        check(dw, want, scale, 2e-6, 1e-6,
              label(tf, nhwc) + "backward weight splits " + std::to_string(splits) + " " + name(g));
      }
    }
    std::vector<double> bw(g.K, 0.0), bs(g.K, 0.0);
    for (size_t i = 0; i < ny; ++i) {
      const int k = (int)((i / ((size_t)g.P * g.Q)) % g.K);
      bw[k] += dy[i];
      bs[k] += std::fabs(dy[i]);
    }
    auto db = kt::nan_vec(g.K);
    LAUNCH(kiln_conv_backward_bias_f32, dim3(g.K), dim3(256), 0, g, dy.data(), db.data());
    check(db, bw, bs, 2e-6, 1e-6, "backward bias " + name(g));
  }
}

// Weight-gradient splits are summed in a fixed order: the result does not
// depend on how the blocks were scheduled (emulator seed).
TEST(conv_backward_weight_deterministic) {
  kt::Rng rng(404);
  const KilnConvGeom g = geom(kCases[1]);
  const int CRS = (g.C / g.groups) * g.R * g.S;
  const size_t nw = (size_t)g.K * CRS;
  auto x = kt::random_vec(rng, (size_t)g.N * g.C * g.H * g.W);
  auto dy = kt::random_vec(rng, (size_t)g.N * g.K * g.P * g.Q);
  std::vector<float> first;
  for (unsigned seed : {1u, 2u}) {
    kiln_emu_set_seed(seed);
    auto ws = kt::nan_vec(nw * 4);
    auto dw = kt::nan_vec(nw);
    LAUNCH(kiln_conv_backward_weight_f32, dim3(1, 1, 4), dim3(256), 0, g, x.data(), dy.data(),
           ws.data(), 4);
    LAUNCH(kiln_conv_backward_weight_reduce_f32, dim3(1), dim3(256), 0, ws.data(), dw.data(),
           (long long)nw, 4);
    if (first.empty()) first = dw;
    else CHECK(std::memcmp(first.data(), dw.data(), nw * sizeof(float)) == 0);
  }
  kiln_emu_set_seed(20240601);
}

// The multiply-high division the gathers use is exact over its whole domain
// (0 <= n < 2^31) for the divisors tried: every small divisor, powers of two
// and their neighbours, and large ones, at random and edge dividends.
TEST(conv_fastdiv) {
  kt::Rng rng(405);
  std::vector<int> divisors;
  for (int d = 1; d <= 600; ++d) divisors.push_back(d);
  for (int b = 10; b <= 30; ++b)
    for (int o : {-1, 0, 1}) divisors.push_back((1 << b) + o);
  for (int d : {12544, 50176, 802816, 2147483647}) divisors.push_back(d);
  int bad = 0;
  for (int d : divisors) {
    const FastDiv f(d);
    std::vector<long long> ns = {0, 1, d - 1LL, d, d + 1LL, 2LL * d - 1, 2147483647LL,
                                 2147483647LL - d, (2147483647LL / d) * d,
                                 (2147483647LL / d) * d - 1};
    for (int i = 0; i < 200; ++i) ns.push_back((long long)(rng.next() & 0x7fffffffu));
    for (long long n : ns) {
      if (n < 0 || n > 2147483647LL) continue;
      int q;
      const int r = f.divmod((int)n, q);
      if ((q != n / d || r != n % d) && bad++ < 3)
        kt::report(__FILE__, __LINE__, std::to_string(n) + " / " + std::to_string(d) + " gave " +
                                           std::to_string(q) + " rem " + std::to_string(r));
    }
  }
}
