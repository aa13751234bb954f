// Host tests of kernels/src/elementwise.cu against double-precision CPU
// references, at ragged sizes, aligned (float4 path) and misaligned (scalar
// path) pointers, with NaN-poisoned outputs.
#include "../src/elementwise.cu"

#include "kt.h"

namespace {

using KernelU = void (*)(const float*, float*, long long, float);
using KernelB = void (*)(const float*, const float*, float*, long long, float);
using Binary = void (*)(const float*, const float*, float*, long long);
using Bcast = void (*)(const float*, const float*, float*, KilnBroadcast);

struct UnaryCase {
  const char* name;
  KernelU fwd;
  KernelB bwd;
  double (*ref)(double x, double a);
  double (*dref)(double x, double a);  // derivative wrt x
  bool saved_is_y;
  float lo, hi;
};

double gelu_ref(double x, double) {
  double k = std::sqrt(2.0 / M_PI);
  return 0.5 * x * (1 + std::tanh(k * (x + 0.044715 * x * x * x)));
}
double gelu_d(double x, double a) {
  double h = 1e-4;
  return (gelu_ref(x + h, a) - gelu_ref(x - h, a)) / (2 * h);
}
double gelu_erf_ref(double x, double) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }
double gelu_erf_d(double x, double) {
  return 0.5 * (1 + std::erf(x / std::sqrt(2.0))) + x * std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
}

const UnaryCase kUnary[] = {
    {"relu", kiln_elementwise_relu_f32, kiln_elementwise_relu_backward_f32,
     [](double x, double) { return x < 0 ? 0.0 : x; },
     [](double x, double) { return x > 0 ? 1.0 : 0.0; }, false, -2, 2},
    {"leaky_relu", kiln_elementwise_leaky_relu_f32, kiln_elementwise_leaky_relu_backward_f32,
     [](double x, double a) { return x > 0 ? x : a * x; },
     [](double x, double a) { return x > 0 ? 1.0 : a; }, false, -2, 2},
    {"gelu", kiln_elementwise_gelu_f32, kiln_elementwise_gelu_backward_f32, gelu_ref, gelu_d,
     false, -4, 4},
    {"gelu_erf", kiln_elementwise_gelu_erf_f32, kiln_elementwise_gelu_erf_backward_f32,
     gelu_erf_ref, gelu_erf_d, false, -5, 5},
    {"tanh", kiln_elementwise_tanh_f32, kiln_elementwise_tanh_backward_f32,
     [](double x, double) { return std::tanh(x); },
     [](double x, double) { return 1 - std::tanh(x) * std::tanh(x); }, true, -3, 3},
    {"sigmoid", kiln_elementwise_sigmoid_f32, kiln_elementwise_sigmoid_backward_f32,
     [](double x, double) { return 1 / (1 + std::exp(-x)); },
     [](double x, double) {
       double s = 1 / (1 + std::exp(-x));
       return s * (1 - s);
     },
     true, -6, 6},
    {"exp", kiln_elementwise_exp_f32, kiln_elementwise_exp_backward_f32,
     [](double x, double) { return std::exp(x); }, [](double x, double) { return std::exp(x); },
     true, -3, 3},
    {"log", kiln_elementwise_log_f32, kiln_elementwise_log_backward_f32,
     [](double x, double) { return std::log(x); }, [](double x, double) { return 1 / x; }, false,
     0.05f, 5},
    {"neg", kiln_elementwise_neg_f32, kiln_elementwise_neg_backward_f32,
     [](double x, double) { return -x; }, [](double, double) { return -1.0; }, false, -2, 2},
    {"sqrt", kiln_elementwise_sqrt_f32, kiln_elementwise_sqrt_backward_f32,
     [](double x, double) { return std::sqrt(x); },
     [](double x, double) { return 0.5 / std::sqrt(x); }, true, 0.05f, 5},
    {"scale", kiln_elementwise_scale_f32, kiln_elementwise_scale_backward_f32,
     [](double x, double a) { return a * x; }, [](double, double a) { return a; }, false, -2, 2},
    {"square", kiln_elementwise_square_f32, kiln_elementwise_square_backward_f32,
     [](double x, double) { return x * x; }, [](double x, double) { return 2 * x; }, false, -2, 2},
    {"abs", kiln_elementwise_abs_f32, kiln_elementwise_abs_backward_f32,
     [](double x, double) { return std::fabs(x); },
     [](double x, double) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }, false, -2, 2},
    {"softplus", kiln_elementwise_softplus_f32, kiln_elementwise_softplus_backward_f32,
     [](double x, double) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); },
     [](double x, double) { return 1 / (1 + std::exp(-x)); }, false, -30, 30},
    {"add_scalar", kiln_elementwise_add_scalar_f32, kiln_elementwise_add_scalar_backward_f32,
     [](double x, double a) { return x + a; }, [](double, double) { return 1.0; }, false, -2, 2},
    {"pow", kiln_elementwise_pow_f32, kiln_elementwise_pow_backward_f32,
     [](double x, double a) { return std::pow(x, a); },
     [](double x, double a) { return a * std::pow(x, a - 1); }, false, 0.05f, 5},
};

}  // namespace

TEST(elementwise_unary_forward_backward) {
  kt::Rng rng(1);
  const float alpha = 0.37f;
  for (const auto& c : kUnary) {
    for (long long n : kt::kSizes) {
      for (int misalign = 0; misalign < 2; ++misalign) {
        // Keep x away from the kinks of relu/leaky_relu so the derivative is defined.
        auto xs = kt::random_vec(rng, n + 1, c.lo, c.hi);
        for (auto& v : xs)
          if (std::fabs(v) < 1e-3f) v = 0.5f;
        auto go = kt::random_vec(rng, n + 1);
        auto y = kt::nan_vec(n + 1), gi = kt::nan_vec(n + 1);
        const float* x = xs.data() + misalign;
        LAUNCH(c.fwd, dim3(kt::grid_for(n)), dim3(256), 0, x, y.data() + misalign, n, alpha);
        std::vector<float> want(n), got(y.begin() + misalign, y.begin() + misalign + n);
        for (long long i = 0; i < n; ++i) want[i] = static_cast<float>(c.ref(x[i], alpha));
        std::string what = std::string(c.name) + " n=" + std::to_string(n) +
                           (misalign ? " misaligned" : "");
        CHECK_CLOSE(got, want, 2e-6f, 1e-6f, what + " forward");
        const float* saved = c.saved_is_y ? y.data() + misalign : x;
        LAUNCH(c.bwd, dim3(kt::grid_for(n, 256, 3)), dim3(128), 0, go.data() + misalign, saved,
               gi.data() + misalign, n, alpha);
        for (long long i = 0; i < n; ++i)
          want[i] = static_cast<float>(go[i + misalign] * c.dref(x[i], alpha));
        got.assign(gi.begin() + misalign, gi.begin() + misalign + n);
        CHECK_CLOSE(got, want, 1e-4f, 1e-5f, what + " backward");
        // Nothing outside [0, n) was written.
        CHECK(std::isnan(y[misalign ? 0 : n]) && std::isnan(gi[misalign ? 0 : n]));
      }
    }
  }
}

TEST(elementwise_unary_in_place) {
  kt::Rng rng(2);
  auto x = kt::random_vec(rng, 1000);
  auto ref = x;
  LAUNCH(kiln_elementwise_relu_f32, dim3(2), dim3(256), 0, x.data(), x.data(), 1000LL, 0.f);
  for (auto& v : ref) v = v < 0 ? 0.f : v;
  CHECK_CLOSE(x, ref, 0.f, 0.f, "relu in place");
}

// Every binary op: its same-shape and broadcasting kernels and a float
// reference (each op is one correctly rounded IEEE operation).
struct BinaryCase {
  const char* name;
  Binary same;
  Bcast bcast;
  float (*f)(float, float);
};
const BinaryCase kBinary[] = {
    {"add", kiln_elementwise_add_f32, kiln_elementwise_add_bcast_f32, [](float a, float b) { return a + b; }},
    {"sub", kiln_elementwise_sub_f32, kiln_elementwise_sub_bcast_f32, [](float a, float b) { return a - b; }},
    {"mul", kiln_elementwise_mul_f32, kiln_elementwise_mul_bcast_f32, [](float a, float b) { return a * b; }},
    {"div", kiln_elementwise_div_f32, kiln_elementwise_div_bcast_f32, [](float a, float b) { return a / b; }},
    {"max", kiln_elementwise_max_f32, kiln_elementwise_max_bcast_f32, [](float a, float b) { return a > b ? a : b; }},
    {"min", kiln_elementwise_min_f32, kiln_elementwise_min_bcast_f32, [](float a, float b) { return a < b ? a : b; }},
    {"eq", kiln_elementwise_eq_f32, kiln_elementwise_eq_bcast_f32, [](float a, float b) { return a == b ? 1.f : 0.f; }},
    {"lt", kiln_elementwise_lt_f32, kiln_elementwise_lt_bcast_f32, [](float a, float b) { return a < b ? 1.f : 0.f; }},
    {"gt", kiln_elementwise_gt_f32, kiln_elementwise_gt_bcast_f32, [](float a, float b) { return a > b ? 1.f : 0.f; }},
};

TEST(elementwise_binary_same_shape) {
  kt::Rng rng(3);
  for (auto& c : kBinary)
    for (long long n : kt::kSizes)
      for (int mis = 0; mis < 2; ++mis) {
        auto a = kt::random_vec(rng, n + 1), b = kt::random_vec(rng, n + 1, 0.5f, 2.f);
        for (long long i = 0; i <= n; i += 5) b[i] = a[i];  // equal pairs for eq/lt/gt
        auto out = kt::nan_vec(n + 1);
        LAUNCH(c.same, dim3(kt::grid_for(n)), dim3(256), 0, a.data() + mis, b.data() + mis,
               out.data() + mis, n);
        std::vector<float> want(n), got(out.begin() + mis, out.begin() + mis + n);
        for (long long i = 0; i < n; ++i)
          want[i] = c.f(a[i + mis], b[i + mis]);
        CHECK_CLOSE(got, want, 1e-7f, 0.f, std::string(c.name) + " n=" + std::to_string(n));
      }
  // max and min propagate NaN from either side (Java's Math.max/min).
  std::vector<float> a = {1.f, NAN, 3.f, -1.f}, b = {NAN, 2.f, 1.f, 5.f}, o = kt::nan_vec(4);
  o[2] = o[3] = 0;
  LAUNCH(kiln_elementwise_max_f32, dim3(1), dim3(32), 0, a.data(), b.data(), o.data(), 4LL);
  CHECK(std::isnan(o[0]) && std::isnan(o[1]) && o[2] == 3.f && o[3] == 5.f);
  o = kt::nan_vec(4);
  LAUNCH(kiln_elementwise_min_f32, dim3(1), dim3(32), 0, a.data(), b.data(), o.data(), 4LL);
  CHECK(std::isnan(o[0]) && std::isnan(o[1]) && o[2] == 1.f && o[3] == -1.f);
}


TEST(elementwise_binary_broadcast) {
  kt::Rng rng(4);
  // (shape_out, shape_a, shape_b) with numpy-style right-aligned broadcasting.
  struct Case {
    std::vector<long long> out, a, b;
  } cases[] = {
      {{17}, {17}, {1}},
      {{5, 129}, {5, 129}, {129}},
      {{5, 129}, {5, 1}, {1, 129}},
      {{3, 1, 7}, {3, 1, 7}, {3, 1, 7}},
      {{2, 3, 4, 5}, {2, 1, 4, 1}, {3, 1, 5}},
      {{2, 2, 3, 1, 2, 5}, {2, 1, 3, 1, 1, 5}, {2, 1, 1, 2, 1}},
  };
  for (auto& c : cases) {
    KilnBroadcast d{};
    d.ndim = static_cast<long long>(c.out.size());
    d.n = 1;
    for (auto s : c.out) d.n *= s;
    auto strides = [&](const std::vector<long long>& shp, long long* st) {
      // Right-align shp against out; stride 0 where broadcast.
      long long run = 1;
      for (int k = static_cast<int>(c.out.size()) - 1, j = static_cast<int>(shp.size()) - 1;
           k >= 0; --k, --j) {
        long long dim = j >= 0 ? shp[j] : 1;
        st[k] = dim == 1 ? 0 : run;
        run *= dim;
      }
      return run;
    };
    for (size_t k = 0; k < c.out.size(); ++k) d.shape[k] = c.out[k];
    long long na = strides(c.a, d.stride_a), nb = strides(c.b, d.stride_b);
    auto a = kt::random_vec(rng, na), b = kt::random_vec(rng, nb, 0.5f, 2.f);
    b[0] = a[0];  // an equal pair for eq/lt/gt
    for (const auto& op : kBinary) {
      auto out = kt::nan_vec(d.n);
      LAUNCH(op.bcast, dim3(2), dim3(64), 0, a.data(), b.data(), out.data(), d);
      std::vector<float> want(d.n);
      for (long long i = 0; i < d.n; ++i) {
        long long rem = i, oa = 0, ob = 0;
        for (long long k = d.ndim - 1; k >= 0; --k) {
          long long ci = rem % d.shape[k];
          rem /= d.shape[k];
          oa += ci * d.stride_a[k];
          ob += ci * d.stride_b[k];
        }
        want[i] = op.f(a[oa], b[ob]);
      }
      CHECK_CLOSE(out, want, 0.f, 0.f,
                  std::string(op.name) + "_bcast ndim=" + std::to_string(d.ndim));
    }
  }
  CHECK(sizeof(KilnBroadcast) == 160);
}
