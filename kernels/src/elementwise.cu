// Elementwise kernels: unary activations forward and backward, binary
// arithmetic with broadcasting, fill and copy. float32.
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
//   gelu        0.5x(1 + tanh(0.79788456(x + 0.044715x^3)))   x
//   tanh        tanh(x)                       y
//   sigmoid     1 / (1 + exp(-x))             y
//   exp         exp(x)                        y
//   log         log(x)                        x
//   neg         -x                            ignored (may be null)
//   sqrt        sqrt(x)                       y
//   scale       alpha * x                     ignored (may be null)
// alpha is read by leaky_relu and scale only.
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
    long long rem = i, oa = 0, ob = 0;
    for (int k = nd - 1; k >= 0; --k) {
      const long long c = rem % d.shape[k];
      rem /= d.shape[k];
      oa += c * d.stride_a[k];
      ob += c * d.stride_b[k];
    }
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
KILN_UNARY(tanh, Tanh);
KILN_UNARY(sigmoid, Sigmoid);
KILN_UNARY(exp, Exp);
KILN_UNARY(log, Log);
KILN_UNARY(neg, Neg);
KILN_UNARY(sqrt, Sqrt);
KILN_UNARY(scale, Scale);

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

// y[i] = value
extern "C" __global__ void kiln_elementwise_fill_f32(float* y, long long n, float value) {
  const long long tid = global_tid(), stride = grid_threads();
  long long i0 = 0;
  if (aligned16(y)) {
    const float4 v = make_float4(value, value, value, value);
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) store4(y + 4 * i, v);
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) y[i] = value;
}
KILN_KERNEL_REGISTER(kiln_elementwise_fill_f32);

// y[i] = x[i] (x and y must not overlap unless equal)
extern "C" __global__ void kiln_elementwise_copy_f32(const float* x, float* y, long long n) {
  const long long tid = global_tid(), stride = grid_threads();
  long long i0 = 0;
  if (aligned16(x) && aligned16(y)) {
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) store4(y + 4 * i, load4(x + 4 * i));
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) y[i] = x[i];
}
KILN_KERNEL_REGISTER(kiln_elementwise_copy_f32);
