// Kiln memory family: fill, strided copies and dtype conversion — the kernels
// behind Backend.fill, copyStrided (when the copy is not one contiguous
// cuMemcpyDtoD) and convert.
//
// WHAT / LAYOUT
//   fill      y[i] = value, contiguous float32, n elements.
//   copy      dst[sum i_k*dst[k]] = src[sum i_k*src[k]] for every index tuple
//             i of shape (KilnStrided below, by value, up to 8 dims); bit
//             copies of 4-byte (b32) or 8-byte (b64) words, so one kernel
//             serves float32 and int32 (b32) or int64 (b64). The caller adds
//             the element offsets to the pointers and merges contiguous axes.
//   convert   contiguous elementwise dtype conversion between f32, i32 and
//             i64; float -> int truncates toward 0 with Java semantics (NaN ->
//             0, out of range saturates for int64, int32 takes the low 32
//             bits of the int64 result), int64 -> int32 keeps the low 32 bits.
//
// ENTRY POINTS
//   kiln_memory_fill_f32(float* y, long long n, float value)
//   kiln_memory_copy_b32(const unsigned* src, unsigned* dst, KilnStrided desc)
//   kiln_memory_copy_b64(const unsigned long long* src, unsigned long long* dst,
//                        KilnStrided desc)
//   kiln_memory_convert_<s>_<d>(const S* x, D* y, long long n) for (s, d) in
//       (f32, i32) (f32, i64) (i32, f32) (i64, f32) (i32, i64) (i64, i32)
//
// ALGORITHM / LAUNCH
//   1-D grid-stride loops, any block and grid size are correct; recommended
//   block 256, grid min(ceil(n / 256), 65535), at least 1. fill stores float4
//   when y is 16-byte aligned, the last n % 4 elements as scalars.
//   copy decomposes the linear index over the shape (innermost axis last).
//
// EMULATOR / TESTS
//   kernels/test/test_memory.cpp checks each kernel against CPU references at
//   ragged sizes (aligned and misaligned) with NaN-poisoned outputs;
//   kiln-cuda's SpiTest and parity suite run them through the backend.
//
// RESOURCES AND SPEED
//   No spills. Bandwidth-bound; not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"

#define KILN_STRIDED_MAX_DIMS 8

// Strided-copy descriptor, by value, all int64 (no padding): 208 bytes,
// offsets ndim 0, n 8, shape 16, src 80, dst 144.
typedef struct {
  long long ndim;
  long long n;
  long long shape[KILN_STRIDED_MAX_DIMS];
  long long src[KILN_STRIDED_MAX_DIMS];
  long long dst[KILN_STRIDED_MAX_DIMS];
} KilnStrided;

namespace {

using kiln::aligned16;
using kiln::global_tid;
using kiln::grid_threads;

template <class T>
KILN_DEV void copy_strided(const T* src, T* dst, const KilnStrided& d) {
  const long long tid = global_tid(), stride = grid_threads();
  const int nd = static_cast<int>(d.ndim);
  for (long long i = tid; i < d.n; i += stride) {
    long long os, od;
    kiln::strided_offsets(i, nd, d.shape, d.src, d.dst, os, od);
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

}  // namespace

extern "C" __global__ void kiln_memory_fill_f32(float* y, long long n, float value) {
  const long long tid = global_tid(), stride = grid_threads();
  long long i0 = 0;
  if (aligned16(y)) {
    const float4 v = make_float4(value, value, value, value);
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) kiln::store4(y + 4 * i, v);
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) y[i] = value;
}
KILN_KERNEL_REGISTER(kiln_memory_fill_f32);

extern "C" __global__ void kiln_memory_copy_b32(const unsigned* src, unsigned* dst,
                                                KilnStrided desc) {
  copy_strided(src, dst, desc);
}
KILN_KERNEL_REGISTER(kiln_memory_copy_b32);

extern "C" __global__ void kiln_memory_copy_b64(const unsigned long long* src,
                                                unsigned long long* dst, KilnStrided desc) {
  copy_strided(src, dst, desc);
}
KILN_KERNEL_REGISTER(kiln_memory_copy_b64);

#define KILN_CONVERT(sname, S, dname, D)                                                 \
  extern "C" __global__ void kiln_memory_convert_##sname##_##dname(const S* x, D* y,     \
                                                                   long long n) {        \
    convert<S, D>(x, y, n);                                                              \
  }                                                                                      \
  KILN_KERNEL_REGISTER(kiln_memory_convert_##sname##_##dname)

KILN_CONVERT(f32, float, i32, int);
KILN_CONVERT(f32, float, i64, long long);
KILN_CONVERT(i32, int, f32, float);
KILN_CONVERT(i64, long long, f32, float);
KILN_CONVERT(i32, int, i64, long long);
KILN_CONVERT(i64, long long, i32, int);
