// Elementwise kernels: unary functions forward and backward (one pair per
// dev.kiln.backend.UnaryOp), binary ops same-shape and with broadcasting (one
// pair per dev.kiln.backend.BinaryOp). float32. Fill, copies and dtype
// conversion are the memory family (memory.cu).
//
// Layout: contiguous float32 buffers of n elements (n is int64). In-place use
// (y == x, out == a or b, grad_in == grad_out) is allowed: every element is
// read and written by the same thread.
//
// Algorithm: grid-stride loops. When every pointer of a call is 16-byte
// aligned the bulk is processed as float4 (one 16-byte load per input, one
// store), the remaining n % 4 elements by the first threads as scalars;
// otherwise everything is scalar. Broadcasting binary ops decompose the
// output index over up to 6 dimensions (KilnBroadcast, kiln/broadcast.h).
//
// Launch configuration (all kernels): 1-D, any block size and grid size are
// correct. Recommended: block 256, grid min(ceil(n / 1024), 32 * SMs), at
// least 1.
//
// Unary forward  kiln_elementwise_<op>_f32(const float* x, float* y,
//                                          long long n, float alpha)
// Unary backward kiln_elementwise_<op>_backward_f32(const float* grad_out,
//                    const float* saved, float* grad_in, long long n,
//                    float alpha)
//   op          forward                       saved (backward input)
//   relu        max(x, 0)                     x
//   leaky_relu  x > 0 ? x : alpha * x         x
//   gelu        0.5x(1 + tanh(0.79788456(x + 0.044715x^3)))   x  (the tanh
//               approximation, torch's approximate="tanh")
//   gelu_erf    0.5x(1 + erf(x / sqrt(2)))    x  (exact, torch's default;
//               derivative Phi(x) + x phi(x))
//   tanh        tanh(x)                       y
//   sigmoid     1 / (1 + exp(-x))             y
//   exp         exp(x)                        y
//   log         log(x)                        x
//   neg         -x                            ignored (may be null)
//   sqrt        sqrt(x)                       y
//   scale       alpha * x                     ignored (may be null)
//   square      x * x                         x
//   abs         |x|  (derivative sign(x), 0 at 0)  x
//   softplus    max(x, 0) + log1p(exp(-|x|))  x  (derivative sigmoid(x))
//   add_scalar  x + alpha                     ignored (may be null)
//   pow         x^alpha                       x  (derivative alpha x^(alpha-1))
// alpha is read by leaky_relu, scale, add_scalar and pow only.
//
// Binary ops: add sub mul div, max and min (NaN from either side wins, like
// Java's Math.max/min), eq lt gt (1 or 0).
//
// Ratio vs vendor: not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/broadcast.h"
#include "kiln/vec.cuh"
#include "kiln/warp.cuh"

namespace {

using kiln::aligned16;
using kiln::global_tid;
using kiln::grid_threads;
using kiln::load4;
using kiln::store4;

constexpr float kGeluK = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kGeluC = 0.044715f;

struct Relu {
  KILN_DEV static float fwd(float x, float) { return x < 0.f ? 0.f : x; }
  KILN_DEV static float bwd(float g, float x, float) { return x > 0.f ? g : 0.f; }
};
struct LeakyRelu {
  KILN_DEV static float fwd(float x, float a) { return x > 0.f ? x : a * x; }
  KILN_DEV static float bwd(float g, float x, float a) { return x > 0.f ? g : a * g; }
};
struct Gelu {
  KILN_DEV static float fwd(float x, float) {
    float t = tanhf(kGeluK * (x + kGeluC * x * x * x));
    return 0.5f * x * (1.f + t);
  }
  KILN_DEV static float bwd(float g, float x, float) {
    float t = tanhf(kGeluK * (x + kGeluC * x * x * x));
    float dt = kGeluK * (1.f + 3.f * kGeluC * x * x);
    return g * (0.5f * (1.f + t) + 0.5f * x * (1.f - t * t) * dt);
  }
};
constexpr float kInvSqrt2 = 0.7071067811865476f;
constexpr float kInvSqrt2Pi = 0.3989422804014327f;  // 1 / sqrt(2 pi)
struct GeluErf {
  KILN_DEV static float fwd(float x, float) { return 0.5f * x * (1.f + erff(x * kInvSqrt2)); }
  KILN_DEV static float bwd(float g, float x, float) {
    const float cdf = 0.5f * (1.f + erff(x * kInvSqrt2));
    return g * (cdf + x * kInvSqrt2Pi * expf(-0.5f * x * x));
  }
};
struct Tanh {
  KILN_DEV static float fwd(float x, float) { return tanhf(x); }
  KILN_DEV static float bwd(float g, float y, float) { return g * (1.f - y * y); }
};
struct Sigmoid {
  KILN_DEV static float fwd(float x, float) { return 1.f / (1.f + expf(-x)); }
  KILN_DEV static float bwd(float g, float y, float) { return g * y * (1.f - y); }
};
struct Exp {
  KILN_DEV static float fwd(float x, float) { return expf(x); }
  KILN_DEV static float bwd(float g, float y, float) { return g * y; }
};
struct Log {
  KILN_DEV static float fwd(float x, float) { return logf(x); }
  KILN_DEV static float bwd(float g, float x, float) { return g / x; }
};
struct Neg {
  KILN_DEV static float fwd(float x, float) { return -x; }
  KILN_DEV static float bwd(float g, float, float) { return -g; }
};
struct Sqrt {
  KILN_DEV static float fwd(float x, float) { return sqrtf(x); }
  KILN_DEV static float bwd(float g, float y, float) { return 0.5f * g / y; }
};
struct Scale {
  KILN_DEV static float fwd(float x, float a) { return a * x; }
  KILN_DEV static float bwd(float g, float, float a) { return a * g; }
};
struct Square {
  KILN_DEV static float fwd(float x, float) { return x * x; }
  KILN_DEV static float bwd(float g, float x, float) { return g * 2.f * x; }
};
struct Abs {
  KILN_DEV static float fwd(float x, float) { return fabsf(x); }
  KILN_DEV static float bwd(float g, float x, float) {
    return x > 0.f ? g : (x < 0.f ? -g : 0.f * g);
  }
};
// Overflow-free sigmoid, the softplus derivative (as UnaryOp.SOFTPLUS).
KILN_DEV float stable_sigmoid(float x) {
  if (x >= 0.f) return 1.f / (1.f + expf(-x));
  const float e = expf(x);
  return e / (1.f + e);
}
struct Softplus {
  KILN_DEV static float fwd(float x, float) { return fmaxf(x, 0.f) + log1pf(expf(-fabsf(x))); }
  KILN_DEV static float bwd(float g, float x, float) { return g * stable_sigmoid(x); }
};
struct AddScalar {
  KILN_DEV static float fwd(float x, float a) { return x + a; }
  KILN_DEV static float bwd(float g, float, float) { return g; }
};
struct Pow {
  KILN_DEV static float fwd(float x, float a) { return powf(x, a); }
  KILN_DEV static float bwd(float g, float x, float a) { return g * (a * powf(x, a - 1.f)); }
};

template <class Op>
KILN_DEV void unary_forward(const float* x, float* y, long long n, float a) {
  const long long tid = global_tid(), stride = grid_threads();
  long long i0 = 0;
  if (aligned16(x) && aligned16(y)) {
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) {
      float4 v = load4(x + 4 * i);
      v.x = Op::fwd(v.x, a);
      v.y = Op::fwd(v.y, a);
      v.z = Op::fwd(v.z, a);
      v.w = Op::fwd(v.w, a);
      store4(y + 4 * i, v);
    }
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) y[i] = Op::fwd(x[i], a);
}

template <class Op>
KILN_DEV void unary_backward(const float* go, const float* s, float* gi, long long n,
                             float a) {
  const long long tid = global_tid(), stride = grid_threads();
  // `saved` may be null for ops that ignore it; read a harmless stand-in.
  const bool has_saved = s != nullptr;
  if (!has_saved) s = go;
  long long i0 = 0;
  if (aligned16(go) && aligned16(s) && aligned16(gi)) {
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) {
      float4 g = load4(go + 4 * i);
      float4 v = load4(s + 4 * i);
      g.x = Op::bwd(g.x, v.x, a);
      g.y = Op::bwd(g.y, v.y, a);
      g.z = Op::bwd(g.z, v.z, a);
      g.w = Op::bwd(g.w, v.w, a);
      store4(gi + 4 * i, g);
    }
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) gi[i] = Op::bwd(go[i], s[i], a);
}

struct Add {
  KILN_DEV static float f(float a, float b) { return a + b; }
};
struct Sub {
  KILN_DEV static float f(float a, float b) { return a - b; }
};
struct Mul {
  KILN_DEV static float f(float a, float b) { return a * b; }
};
struct Div {
  KILN_DEV static float f(float a, float b) { return a / b; }
};
struct Max {
  KILN_DEV static float f(float a, float b) { return kiln::nan_max(a, b); }
};
struct Min {
  KILN_DEV static float f(float a, float b) { return kiln::nan_min(a, b); }
};
struct Eq {
  KILN_DEV static float f(float a, float b) { return a == b ? 1.f : 0.f; }
};
struct Lt {
  KILN_DEV static float f(float a, float b) { return a < b ? 1.f : 0.f; }
};
struct Gt {
  KILN_DEV static float f(float a, float b) { return a > b ? 1.f : 0.f; }
};

template <class Op>
KILN_DEV void binary_same(const float* a, const float* b, float* out, long long n) {
  const long long tid = global_tid(), stride = grid_threads();
  long long i0 = 0;
  if (aligned16(a) && aligned16(b) && aligned16(out)) {
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) {
      float4 u = load4(a + 4 * i);
      float4 v = load4(b + 4 * i);
      u.x = Op::f(u.x, v.x);
      u.y = Op::f(u.y, v.y);
      u.z = Op::f(u.z, v.z);
      u.w = Op::f(u.w, v.w);
      store4(out + 4 * i, u);
    }
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) out[i] = Op::f(a[i], b[i]);
}

template <class Op>
KILN_DEV void binary_bcast(const float* a, const float* b, float* out,
                           const KilnBroadcast& d) {
  const long long tid = global_tid(), stride = grid_threads();
  const int nd = static_cast<int>(d.ndim);
  for (long long i = tid; i < d.n; i += stride) {
    long long oa, ob;
    kiln::strided_offsets(i, nd, d.shape, d.stride_a, d.stride_b, oa, ob);
    out[i] = Op::f(a[oa], b[ob]);
  }
}

}  // namespace

#define KILN_UNARY(name, Op)                                                         \
  extern "C" __global__ void kiln_elementwise_##name##_f32(const float* x, float* y, \
                                                           long long n, float alpha) { \
    unary_forward<Op>(x, y, n, alpha);                                               \
  }                                                                                  \
  KILN_KERNEL_REGISTER(kiln_elementwise_##name##_f32);                               \
  extern "C" __global__ void kiln_elementwise_##name##_backward_f32(                 \
      const float* grad_out, const float* saved, float* grad_in, long long n,        \
      float alpha) {                                                                 \
    unary_backward<Op>(grad_out, saved, grad_in, n, alpha);                          \
  }                                                                                  \
  KILN_KERNEL_REGISTER(kiln_elementwise_##name##_backward_f32)

KILN_UNARY(relu, Relu);
KILN_UNARY(leaky_relu, LeakyRelu);
KILN_UNARY(gelu, Gelu);
KILN_UNARY(gelu_erf, GeluErf);
KILN_UNARY(tanh, Tanh);
KILN_UNARY(sigmoid, Sigmoid);
KILN_UNARY(exp, Exp);
KILN_UNARY(log, Log);
KILN_UNARY(neg, Neg);
KILN_UNARY(sqrt, Sqrt);
KILN_UNARY(scale, Scale);
KILN_UNARY(square, Square);
KILN_UNARY(abs, Abs);
KILN_UNARY(softplus, Softplus);
KILN_UNARY(add_scalar, AddScalar);
KILN_UNARY(pow, Pow);

// Binary same-shape: kiln_elementwise_<op>_f32(const float* a, const float* b,
//                                              float* out, long long n)
// Binary broadcast: kiln_elementwise_<op>_bcast_f32(const float* a,
//                       const float* b, float* out, KilnBroadcast desc)
#define KILN_BINARY(name, Op)                                                          \
  extern "C" __global__ void kiln_elementwise_##name##_f32(const float* a, const float* b, \
                                                           float* out, long long n) {  \
    binary_same<Op>(a, b, out, n);                                                     \
  }                                                                                    \
  KILN_KERNEL_REGISTER(kiln_elementwise_##name##_f32);                                 \
  extern "C" __global__ void kiln_elementwise_##name##_bcast_f32(                      \
      const float* a, const float* b, float* out, KilnBroadcast desc) {                \
    binary_bcast<Op>(a, b, out, desc);                                                 \
  }                                                                                    \
  KILN_KERNEL_REGISTER(kiln_elementwise_##name##_bcast_f32)

KILN_BINARY(add, Add);
KILN_BINARY(sub, Sub);
KILN_BINARY(mul, Mul);
KILN_BINARY(div, Div);
KILN_BINARY(max, Max);
KILN_BINARY(min, Min);
KILN_BINARY(eq, Eq);
KILN_BINARY(lt, Lt);
KILN_BINARY(gt, Gt);
