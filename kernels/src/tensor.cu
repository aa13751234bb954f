// Kiln tensor family: the layout-general kernels the CUDA backend needs
// beside the elementwise, gemm, reduce, softmax, optim and random families.
// float32 data, INT32 and INT64 indices.
//
// WHAT / LAYOUT
//   copy      dst[sum i_k*dst[k]] = src[sum i_k*src[k]] for every index tuple
//             i of shape (KilnStrided below, by value, up to 8 dims); bit
//             copies of 4-byte (b32) or 8-byte (b64) words. The caller adds
//             the element offsets to the pointers.
//   convert   elementwise dtype conversion; float -> int truncates toward 0
//             with Java semantics (NaN -> 0, out of range saturates for
//             int64, int32 takes the low 32 bits of the int64 result).
//   unary     the unary ops the elementwise family lacks (square, abs,
//             softplus, add_scalar, pow), op codes = dev.kiln.backend.UnaryOp
//             ordinals; backward computes gx = gy * f'(x).
//   binary    broadcasting binary op for every dev.kiln.backend.BinaryOp
//             ordinal (add sub mul div max min eq lt gt), KilnBroadcast by
//             value (kiln/broadcast.h); the backend uses it for min/eq/lt/gt.
//   softmax   softmax / log-softmax and its backward along the middle axis of
//             [outer, dim, inner] (the softmax family covers inner == 1);
//             sums in double.
//   cross_entropy_f32_i64  the softmax family's fused cross-entropy for INT64
//             targets: loss[r] = logsumexp(x[r]) - x[r, t[r]],
//             grad[r] = softmax(x[r]) - onehot(t[r]).
//   index_select / index_add   out[o, j, i] = x[o, idx[j], i] and the
//             accumulating inverse gx[o, idx[j], i] += g[o, j, i] (atomicAdd,
//             so the order of additions to one element is not fixed).
//   sgd       SGD with a velocity buffer even when momentum == 0 (the optim
//             family then skips the buffer; Backend.sgdUpdate does not).
//
// ALGORITHM / LAUNCH
//   Elementwise-shaped kernels (copy, convert, unary, binary, index_*, sgd):
//   1-D grid-stride loops, any block and grid size; recommended block 256,
//   grid min(ceil(n / 256), 65535).
//   Row kernels (softmax, softmax_backward, cross_entropy): one block per row
//   (grid-stride over rows by blockIdx.x, so any grid size works), block = a
//   power of two in [32, 256] (threads stride over the row, then a
//   shared-memory tree reduction). A row of [outer, dim, inner] is the
//   column (o, i): elements x[(o*dim + d)*inner + i].
//
// EMULATOR / TESTS
//   Everything runs under the SIMT emulator; kernels/test/tensor_test.cpp
//   checks each kernel against CPU references at ragged sizes with
//   NaN-poisoned outputs, and kiln-cuda's parity suite runs them through the
//   backend against the Java CPU backend.
//
// RESOURCES AND SPEED
//   No spills. Not tuned (general-layout fallbacks). Not yet measured on a
//   GPU.
#include "kiln/kiln.cuh"
#include "kiln/broadcast.h"
#include "kiln/vec.cuh"

#define KILN_TENSOR_MAX_DIMS 8

// Strided-copy descriptor, by value, all int64 (no padding): 208 bytes,
// offsets ndim 0, n 8, shape 16, src 80, dst 144. Offsets into src/dst are
// applied by the caller to the pointers.
typedef struct {
  long long ndim;
  long long n;
  long long shape[KILN_TENSOR_MAX_DIMS];
  long long src[KILN_TENSOR_MAX_DIMS];
  long long dst[KILN_TENSOR_MAX_DIMS];
} KilnStrided;

namespace {

using kiln::global_tid;
using kiln::grid_threads;

template <class T>
KILN_DEV void copy_strided(const T* src, T* dst, const KilnStrided& d) {
  const long long tid = global_tid(), stride = grid_threads();
  const int nd = static_cast<int>(d.ndim);
  for (long long i = tid; i < d.n; i += stride) {
    long long rem = i, os = 0, od = 0;
    for (int k = nd - 1; k >= 0; --k) {
      const long long c = rem % d.shape[k];
      rem /= d.shape[k];
      os += c * d.src[k];
      od += c * d.dst[k];
    }
    dst[od] = src[os];
  }
}

// Java's (long) cast of a float.
KILN_DEV long long f2l(float x) {
  if (x != x) return 0;
  if (x >= 9.2233720368547758e18f) return 0x7fffffffffffffffLL;
  if (x <= -9.2233720368547758e18f) return (long long)0x8000000000000000ULL;
  return static_cast<long long>(x);
}

template <class S, class D>
KILN_DEV D convert_one(S v) {
  return static_cast<D>(v);
}
template <>
KILN_DEV long long convert_one<float, long long>(float v) {
  return f2l(v);
}
template <>
KILN_DEV int convert_one<float, int>(float v) {
  return static_cast<int>(static_cast<unsigned long long>(f2l(v)) & 0xffffffffULL);
}
template <>
KILN_DEV int convert_one<long long, int>(long long v) {
  return static_cast<int>(static_cast<unsigned long long>(v) & 0xffffffffULL);
}

template <class S, class D>
KILN_DEV void convert(const S* x, D* y, long long n) {
  const long long tid = global_tid(), stride = grid_threads();
  for (long long i = tid; i < n; i += stride) y[i] = convert_one<S, D>(x[i]);
}

// dev.kiln.backend.UnaryOp ordinals handled here.
enum : int { kSquare = 9, kAbs = 10, kSoftplus = 11, kAddScalar = 13, kPow = 14 };

KILN_DEV float sigmoid_java(float x) {
  if (x >= 0.f) return 1.f / (1.f + expf(-x));
  const float e = expf(x);
  return e / (1.f + e);
}

KILN_DEV float unary_fwd(int op, float x, float a) {
  switch (op) {
    case kSquare: return x * x;
    case kAbs: return fabsf(x);
    case kSoftplus: return fmaxf(x, 0.f) + log1pf(expf(-fabsf(x)));
    case kAddScalar: return x + a;
    case kPow: return powf(x, a);
    default: return __int_as_float(0x7fc00000);
  }
}

KILN_DEV float unary_der(int op, float x, float a) {
  switch (op) {
    case kSquare: return 2.f * x;
    case kAbs: return x > 0.f ? 1.f : (x < 0.f ? -1.f : 0.f);
    case kSoftplus: return sigmoid_java(x);
    case kAddScalar: return 1.f;
    case kPow: return a * powf(x, a - 1.f);
    default: return __int_as_float(0x7fc00000);
  }
}

KILN_DEV float nan_max(float a, float b) { return (a > b || a != a) ? a : b; }
KILN_DEV float nan_min(float a, float b) { return (a < b || a != a) ? a : b; }

KILN_DEV float binary_op(int op, float a, float b) {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return nan_max(a, b);
    case 5: return nan_min(a, b);
    case 6: return a == b ? 1.f : 0.f;
    case 7: return a < b ? 1.f : 0.f;
    case 8: return a > b ? 1.f : 0.f;
    default: return __int_as_float(0x7fc00000);
  }
}

// Tree reductions over a power-of-two 1-D block; `s` holds blockDim.x
// entries. Every thread gets the result; the trailing barrier makes the
// scratch reusable at once.
KILN_DEV double block_sum(double v, double* s) {
  const int t = threadIdx.x;
  s[t] = v;
  __syncthreads();
  for (int h = blockDim.x >> 1; h > 0; h >>= 1) {
    if (t < h) s[t] += s[t + h];
    __syncthreads();
  }
  const double r = s[0];
  __syncthreads();
  return r;
}

KILN_DEV float block_max(float v, float* s) {
  const int t = threadIdx.x;
  s[t] = v;
  __syncthreads();
  for (int h = blockDim.x >> 1; h > 0; h >>= 1) {
    if (t < h) s[t] = nan_max(s[t], s[t + h]);
    __syncthreads();
  }
  const float r = s[0];
  __syncthreads();
  return r;
}

constexpr int kMaxBlock = 256;

template <class I>
KILN_DEV void cross_entropy_rows(const float* x, const I* t, int rows, int cols, float* loss,
                                 float* grad) {
  KILN_SHARED(double, sd, kMaxBlock);
  KILN_SHARED(float, sf, kMaxBlock);
  for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
    const float* xr = x + r * cols;
    float m = -INFINITY;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) m = nan_max(m, xr[c]);
    m = block_max(m, sf);
    double s = 0;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) s += exp((double)(xr[c] - m));
    s = block_sum(s, sd);
    const float lse = m + (float)log(s);
    const long long target = static_cast<long long>(t[r]);
    if (threadIdx.x == 0) loss[r] = lse - xr[target];
    for (int c = threadIdx.x; c < cols; c += blockDim.x)
      grad[r * cols + c] = expf(xr[c] - lse) - (c == target ? 1.f : 0.f);
  }
}

template <class I>
KILN_DEV void index_select(const float* x, const I* idx, float* out, int outer, int dim,
                           int inner, int count) {
  const long long n = (long long)outer * count * inner;
  const long long tid = global_tid(), stride = grid_threads();
  for (long long e = tid; e < n; e += stride) {
    const long long i = e % inner, r = e / inner, j = r % count, o = r / count;
    out[e] = x[(o * dim + static_cast<long long>(idx[j])) * inner + i];
  }
}

template <class I>
KILN_DEV void index_add(const float* g, const I* idx, float* gx, int outer, int dim, int inner,
                        int count) {
  const long long n = (long long)outer * count * inner;
  const long long tid = global_tid(), stride = grid_threads();
  for (long long e = tid; e < n; e += stride) {
    const long long i = e % inner, r = e / inner, j = r % count, o = r / count;
    atomicAdd(gx + (o * dim + static_cast<long long>(idx[j])) * inner + i, g[e]);
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// copy and convert
// ---------------------------------------------------------------------------
extern "C" __global__ void kiln_tensor_copy_b32(const unsigned* src, unsigned* dst,
                                                KilnStrided desc) {
  copy_strided(src, dst, desc);
}
KILN_KERNEL_REGISTER(kiln_tensor_copy_b32);

extern "C" __global__ void kiln_tensor_copy_b64(const unsigned long long* src,
                                                unsigned long long* dst, KilnStrided desc) {
  copy_strided(src, dst, desc);
}
KILN_KERNEL_REGISTER(kiln_tensor_copy_b64);

#define KILN_CONVERT(sname, S, dname, D)                                                 \
  extern "C" __global__ void kiln_tensor_convert_##sname##_##dname(const S* x, D* y,     \
                                                                   long long n) {        \
    convert<S, D>(x, y, n);                                                              \
  }                                                                                      \
  KILN_KERNEL_REGISTER(kiln_tensor_convert_##sname##_##dname)

KILN_CONVERT(f32, float, i32, int);
KILN_CONVERT(f32, float, i64, long long);
KILN_CONVERT(i32, int, f32, float);
KILN_CONVERT(i64, long long, f32, float);
KILN_CONVERT(i32, int, i64, long long);
KILN_CONVERT(i64, long long, i32, int);

// ---------------------------------------------------------------------------
// elementwise ops the elementwise family lacks
// ---------------------------------------------------------------------------
extern "C" __global__ void kiln_tensor_unary_f32(const float* x, float* y, long long n, int op,
                                                 float alpha) {
  const long long tid = global_tid(), stride = grid_threads();
  for (long long i = tid; i < n; i += stride) y[i] = unary_fwd(op, x[i], alpha);
}
KILN_KERNEL_REGISTER(kiln_tensor_unary_f32);

extern "C" __global__ void kiln_tensor_unary_backward_f32(const float* x, const float* gy,
                                                          float* gx, long long n, int op,
                                                          float alpha) {
  const long long tid = global_tid(), stride = grid_threads();
  for (long long i = tid; i < n; i += stride) gx[i] = gy[i] * unary_der(op, x[i], alpha);
}
KILN_KERNEL_REGISTER(kiln_tensor_unary_backward_f32);

extern "C" __global__ void kiln_tensor_binary_f32(const float* a, const float* b, float* out,
                                                  KilnBroadcast desc, int op) {
  const long long tid = global_tid(), stride = grid_threads();
  const int nd = static_cast<int>(desc.ndim);
  for (long long i = tid; i < desc.n; i += stride) {
    long long rem = i, oa = 0, ob = 0;
    for (int k = nd - 1; k >= 0; --k) {
      const long long c = rem % desc.shape[k];
      rem /= desc.shape[k];
      oa += c * desc.stride_a[k];
      ob += c * desc.stride_b[k];
    }
    out[i] = binary_op(op, a[oa], b[ob]);
  }
}
KILN_KERNEL_REGISTER(kiln_tensor_binary_f32);

// ---------------------------------------------------------------------------
// softmax along the middle axis of [outer, dim, inner]
// ---------------------------------------------------------------------------
extern "C" __global__ void kiln_tensor_softmax_f32(const float* x, float* y, int outer, int dim,
                                                   int inner, int log_softmax) {
  KILN_SHARED(double, sd, kMaxBlock);
  KILN_SHARED(float, sf, kMaxBlock);
  const long long rows = (long long)outer * inner;
  for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
    const long long base = (r / inner) * dim * inner + r % inner;
    float m = -INFINITY;
    for (int d = threadIdx.x; d < dim; d += blockDim.x) m = nan_max(m, x[base + (long long)d * inner]);
    m = block_max(m, sf);
    double s = 0;
    for (int d = threadIdx.x; d < dim; d += blockDim.x)
      s += exp((double)(x[base + (long long)d * inner] - m));
    s = block_sum(s, sd);
    const float log_sum = (float)log(s);
    for (int d = threadIdx.x; d < dim; d += blockDim.x) {
      const long long q = base + (long long)d * inner;
      const float z = x[q] - m - log_sum;
      y[q] = log_softmax ? z : expf(z);
    }
  }
}
KILN_KERNEL_REGISTER(kiln_tensor_softmax_f32);

extern "C" __global__ void kiln_tensor_softmax_backward_f32(const float* y, const float* gy,
                                                            float* gx, int outer, int dim,
                                                            int inner, int log_softmax) {
  KILN_SHARED(double, sd, kMaxBlock);
  const long long rows = (long long)outer * inner;
  for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
    const long long base = (r / inner) * dim * inner + r % inner;
    double dot = 0;
    for (int d = threadIdx.x; d < dim; d += blockDim.x) {
      const long long q = base + (long long)d * inner;
      dot += log_softmax ? gy[q] : gy[q] * y[q];
    }
    const float fd = (float)block_sum(dot, sd);
    for (int d = threadIdx.x; d < dim; d += blockDim.x) {
      const long long q = base + (long long)d * inner;
      gx[q] = log_softmax ? gy[q] - expf(y[q]) * fd : y[q] * (gy[q] - fd);
    }
  }
}
KILN_KERNEL_REGISTER(kiln_tensor_softmax_backward_f32);

extern "C" __global__ void kiln_tensor_cross_entropy_f32_i64(const float* logits,
                                                             const long long* targets, int rows,
                                                             int cols, float* loss, float* grad) {
  cross_entropy_rows(logits, targets, rows, cols, loss, grad);
}
KILN_KERNEL_REGISTER(kiln_tensor_cross_entropy_f32_i64);

// ---------------------------------------------------------------------------
// indexing
// ---------------------------------------------------------------------------
#define KILN_INDEX(iname, I)                                                                 \
  extern "C" __global__ void kiln_tensor_index_select_f32_##iname(                           \
      const float* x, const I* idx, float* out, int outer, int dim, int inner, int count) {  \
    index_select(x, idx, out, outer, dim, inner, count);                                     \
  }                                                                                          \
  KILN_KERNEL_REGISTER(kiln_tensor_index_select_f32_##iname);                                \
  extern "C" __global__ void kiln_tensor_index_add_f32_##iname(                              \
      const float* g, const I* idx, float* gx, int outer, int dim, int inner, int count) {   \
    index_add(g, idx, gx, outer, dim, inner, count);                                         \
  }                                                                                          \
  KILN_KERNEL_REGISTER(kiln_tensor_index_add_f32_##iname)

KILN_INDEX(i32, int);
KILN_INDEX(i64, long long);

// ---------------------------------------------------------------------------
// optimisers (in place)
// ---------------------------------------------------------------------------
extern "C" __global__ void kiln_tensor_sgd_f32(float* p, const float* g, float* v, long long n,
                                               float lr, float momentum, float dampening,
                                               float weight_decay, int nesterov,
                                               int first_step) {
  const long long tid = global_tid(), stride = grid_threads();
  for (long long i = tid; i < n; i += stride) {
    float d = g[i] + weight_decay * p[i];
    if (v != nullptr) {
      const float vi = first_step ? d : momentum * v[i] + (1.f - dampening) * d;
      v[i] = vi;
      d = nesterov ? d + momentum * vi : vi;
    }
    p[i] -= lr * d;
  }
}
KILN_KERNEL_REGISTER(kiln_tensor_sgd_f32);
