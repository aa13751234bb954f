// Kiln SIMT emulator: runs CUDA kernel sources on the host.
//
// A kernel file is compiled for the host with
//   g++ -std=c++20 -x c++ -include kernels/emu/simt.h -I kernels/include
//       -I <cuda>/include file.cu
// and the same file compiles unchanged with `nvcc -ptx` for the device.
//
// Model:
//  * Every CUDA thread of a block is a fiber (ucontext, private stack) on one
//    OS thread. A fiber runs until it reaches a barrier (__syncthreads, a warp
//    shuffle/vote/__syncwarp) or returns; then another fiber runs. Between
//    barriers the order of the fibers is shuffled by a seeded RNG, so a
//    missing barrier gives a wrong answer instead of passing by luck.
//  * threadIdx/blockIdx/blockDim/gridDim are read from the current fiber.
//  * Static shared memory declared with KILN_SHARED is per OS thread storage
//    poisoned with 0xFF bytes (NaN for floats, -1 for ints) at the start of
//    every block; dynamic shared memory (KILN_DYNAMIC_SHARED) is a buffer
//    owned by the launcher, poisoned the same way.
//  * Warp operations are barriers among the lanes named in the mask. Lanes
//    that do not exist (partial last warp) or have returned are treated as
//    inactive; reading a value from an inactive lane yields poison bytes.
//  * Blocks run on several OS threads at once (kiln_emu_set_threads); the
//    atomics are real atomics, so cross-block races behave as on a GPU.
//
//  * Built with -DKILN_SANITIZE=1 (and the instrumentation flags of the
//    Makefile's sanitizer build), every load and store of a kernel is checked
//    by the sanitizer in simt_sanitizer.inc: memcheck, racecheck, initcheck,
//    synccheck (kernels/README.md, "Sanitizer").
//
// Limits: no memory model weaker than sequential consistency, no clusters,
// no cooperative groups, no wgmma/TMA (loud failure via kiln::emu::fail).
#pragma once

#ifndef KILN_SANITIZE
#define KILN_SANITIZE 0
#endif

#ifndef KILN_EMU
#define KILN_EMU 1
#endif

#include <vector_types.h>
#include <vector_functions.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "kiln_emu.h"

#if KILN_SANITIZE
#include <source_location>
// Emulator code that only moves registers between lanes (tensor-core math,
// warp gathers) is left uninstrumented: it touches no device memory.
#define KILN_EMU_UNCHECKED __attribute__((no_sanitize_address))
#else
#define KILN_EMU_UNCHECKED
#endif

// ---------------------------------------------------------------- keywords --
#undef __global__
#undef __device__
#undef __host__
#undef __forceinline__
#undef __shared__
#undef __constant__
#undef __managed__
#undef __launch_bounds__
#undef __grid_constant__
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __constant__
#define __managed__
#define __launch_bounds__(...)
#define __grid_constant__
// A plain `__shared__ T x[N];` compiles to per-OS-thread storage but is NOT
// poisoned at block start; kernels should use KILN_SHARED instead.
// `extern __shared__` does not compile on the host on purpose: use
// KILN_DYNAMIC_SHARED.
#define __shared__ static thread_local

namespace kiln::emu {

// ------------------------------------------------------------- runtime API --
// Implemented in simt_runtime.cpp.
const uint3& cur_thread_idx();
const uint3& cur_block_idx();
const dim3& cur_block_dim();
const dim3& cur_grid_dim();

int lane_id();
int warp_id();

// Block-wide barrier (__syncthreads). `file`/`line` name the call site
// (synccheck: every thread must wait at the same barrier).
void syncthreads(const char* file = nullptr, unsigned line = 0);
// __syncthreads_count/and/or.
int syncthreads_count(int predicate, const char* file = nullptr, unsigned line = 0);

// Identity of the block now running on this OS thread; changes at every block
// start and is never 0. Used to poison static shared memory lazily.
uint64_t block_epoch();
void* dynamic_smem();
size_t dynamic_smem_bytes();

// Loud failure for device-only features: prints the message and aborts.
[[noreturn]] void fail(const char* what);

// ---------------------------------------------------------- sanitizer API --
// Available in both builds; without KILN_SANITIZE the calls do nothing.
namespace san {
// True in the sanitizer build.
bool enabled();
// Marks [p, p + bytes) of host memory as device memory nobody has written
// yet (as if fresh from cuMemAlloc): a kernel that reads it before writing
// it is an initcheck error. Host stores and memcpy/memset mark it written.
void mark_uninitialized(const void* p, size_t bytes);
// Errors found since the process started (all checks together).
unsigned long long error_count();
// One line: accesses checked and errors found so far ("" without sanitizer).
std::string summary();

#if KILN_SANITIZE
// Redzone around every static shared array (bytes on each side).
constexpr size_t kSharedRedzone = 32;
// Called once per block for each static shared array (poison + shadow).
void shared_begin(void* raw, size_t bytes, const char* name);
// Atomics: accesses inside an AtomicScope are checked for bounds and
// initialisation but are not hazards for racecheck.
extern thread_local int tls_atomic_depth;
struct AtomicScope {
  AtomicScope() { ++tls_atomic_depth; }
  ~AtomicScope() { --tls_atomic_depth; }
};
// Source line of the next warp operation of this thread (synccheck compares
// the lines of the lanes that meet in one shuffle or vote).
void warp_site(const char* file, unsigned line);
// Reports a shuffle that reads a lane that does not take part.
void shuffle_from_absent_lane(int src, unsigned mask, unsigned present);
#endif
}  // namespace san

namespace detail {
// Copies the values of the lanes in `present` (src[i] points to lane i's
// value) into the caller's output object.
using GatherFn = void (*)(void* out, const void* const* src, unsigned present);
// Warp barrier among the lanes of `mask` (restricted to live lanes). Every
// participant publishes `value`; on release `fn(out, ...)` runs for it.
// `type_tag` guards against lanes exchanging different types.
void warp_exchange(const void* value, void* out, GatherFn fn, unsigned mask,
                   size_t type_tag, unsigned* present_out);

using Body = std::function<void()>;
// Runs `body` once per thread of every block. Returns 0 or sets `err`.
// `kernel` names the kernel in error and sanitizer reports.
int run_grid(dim3 grid, dim3 block, unsigned dyn_smem, const Body& body,
             std::string& err, const char* kernel = nullptr);
// The registered name of kernel function `fn` (or its symbol name).
std::string kernel_name(const void* fn);

using Launcher = std::function<int(dim3, dim3, unsigned, void**, std::string&)>;
bool register_kernel_erased(const char* name, Launcher launcher,
                            std::string signature,
                            std::vector<size_t> arg_sizes,
                            const void* fn = nullptr);

std::string demangle(const char* mangled);

template <class T>
inline T poison() {
  T v;
  std::memset(static_cast<void*>(&v), 0xFF, sizeof(T));
  return v;
}
}  // namespace detail

// -------------------------------------------------------- warp gathering --
// Every participating lane of the calling warp contributes `v`; each lane
// receives all 32 lanes' values (a warp barrier). Slots of lanes that do not
// take part are default-constructed. `mask` defaults to the whole warp; lanes
// that do not exist or have returned are left out of it silently.
namespace detail {
// Runs in the scheduler, between fiber stacks: nothing for the sanitizer.
template <class T>
KILN_EMU_UNCHECKED void gather_copy(void* o, const void* const* src, unsigned pres) {
  auto& a = *static_cast<std::array<T, 32>*>(o);
  for (int i = 0; i < 32; ++i)
    if (pres >> i & 1u) a[i] = *static_cast<const T*>(src[i]);
}
}  // namespace detail

template <class T>
std::array<T, 32> warp_gather(const T& v, unsigned mask, unsigned* present) {
  std::array<T, 32> out{};
  detail::warp_exchange(&v, &out, &detail::gather_copy<T>, mask, typeid(T).hash_code(),
                        present);
  return out;
}

template <class T>
std::array<T, 32> warp_gather(const T& v) {
  return warp_gather(v, 0xffffffffu, nullptr);
}

template <class T>
std::array<T, 32> warp_gather(const T& v, unsigned mask) {
  return warp_gather(v, mask, nullptr);
}

namespace detail {
template <class T>
T shfl_from(unsigned mask, const T& var, int src) {
  unsigned present = 0;
  auto all = warp_gather(var, mask, &present);
  if (src < 0 || src > 31 || !(present >> src & 1u)) {
#if KILN_SANITIZE
    san::shuffle_from_absent_lane(src, mask, present);
#endif
    return poison<T>();
  }
  return all[src];
}
}  // namespace detail

// ------------------------------------------------------ kernel registry --
template <class T>
using param_t = std::remove_cv_t<std::remove_reference_t<T>>;

template <class... A, size_t... I>
std::tuple<param_t<A>...> unpack_args(void** args, std::index_sequence<I...>) {
  std::tuple<param_t<A>...> t;
  ((std::memcpy(static_cast<void*>(&std::get<I>(t)), args[I],
                sizeof(param_t<A>))),
   ...);
  return t;
}

template <class... A>
bool register_kernel(const char* name, void (*k)(A...)) {
  detail::Launcher l = [k, name](dim3 g, dim3 b, unsigned smem, void** args,
                           std::string& err) -> int {
    auto vals = unpack_args<A...>(args, std::index_sequence_for<A...>{});
    return detail::run_grid(g, b, smem, [&] { std::apply(k, vals); }, err, name);
  };
  std::string sig;
  ((sig += (sig.empty() ? "" : ", ") + detail::demangle(typeid(A).name())),
   ...);
  return detail::register_kernel_erased(name, std::move(l), sig,
                                        {sizeof(param_t<A>)...},
                                        reinterpret_cast<const void*>(k));
}

// Typed launch for host code (tests): converts the arguments to the kernel's
// parameter types and runs the grid. Returns 0 or non-zero with `err` set.
template <class... A, class... B>
int launch(void (*k)(A...), dim3 grid, dim3 block, unsigned dyn_smem,
           std::string& err, B&&... args) {
  static_assert(sizeof...(A) == sizeof...(B), "wrong number of arguments");
  std::tuple<param_t<A>...> vals{static_cast<param_t<A>>(args)...};
  const std::string name = detail::kernel_name(reinterpret_cast<const void*>(k));
  return detail::run_grid(grid, block, dyn_smem,
                          [&] { std::apply(k, vals); }, err, name.c_str());
}

// Static shared memory: per OS thread storage, poisoned (0xFF bytes) when
// the first thread of a block reaches the declaration. The sanitizer build
// puts a redzone on each side and tracks every byte (san::shared_begin).
template <size_t Bytes>
struct SharedBytes {
#if KILN_SANITIZE
  alignas(16) unsigned char pre[san::kSharedRedzone];
#endif
  alignas(16) unsigned char raw[Bytes];
#if KILN_SANITIZE
  alignas(16) unsigned char post[san::kSharedRedzone];
#endif
  uint64_t epoch = 0;
  void* get(const char* name) {
    uint64_t e = block_epoch();
    if (epoch != e) {
#if KILN_SANITIZE
      san::shared_begin(raw, Bytes, name);
#else
      (void)name;
      std::memset(raw, 0xFF, Bytes);
#endif
      epoch = e;
    }
#if KILN_SANITIZE
    // GCC does not instrument accesses it can see go to a thread_local
    // object: hide where the pointer comes from.
    void* p = raw;
    asm("" : "+r"(p));
    return p;
#else
    return raw;
#endif
  }
};

template <class T, size_t N>
struct SharedStorage {
  SharedBytes<sizeof(T) * N> bytes;
  T (&get(const char* name = nullptr))[N] {
    return *static_cast<T(*)[N]>(bytes.get(name));
  }
};

template <class T, size_t R, size_t C>
struct SharedStorage2D {
  SharedBytes<sizeof(T) * R * C> bytes;
  T (&get(const char* name = nullptr))[R][C] {
    return *static_cast<T(*)[R][C]>(bytes.get(name));
  }
};

}  // namespace kiln::emu

// ---------------------------------------------------- built-in variables --
#define threadIdx (::kiln::emu::cur_thread_idx())
#define blockIdx (::kiln::emu::cur_block_idx())
#define blockDim (::kiln::emu::cur_block_dim())
#define gridDim (::kiln::emu::cur_grid_dim())
static constexpr int warpSize = 32;

// ------------------------------------------------------- shared memory ----
#define KILN_SHARED(type, name, count)                                     \
  static thread_local ::kiln::emu::SharedStorage<type, (count)>            \
      name##_kiln_storage;                                                 \
  type(&name)[(count)] = name##_kiln_storage.get(#name)
#define KILN_SHARED_2D(type, name, rows, cols)                             \
  static thread_local ::kiln::emu::SharedStorage2D<type, (rows), (cols)>   \
      name##_kiln_storage;                                                 \
  type(&name)[(rows)][(cols)] = name##_kiln_storage.get(#name)
#define KILN_DYNAMIC_SHARED(type, name) \
  type* name = static_cast<type*>(::kiln::emu::dynamic_smem())

#define KILN_KERNEL_REGISTER(kernel)                   \
  [[maybe_unused]] static const bool kiln_registered_##kernel = \
      ::kiln::emu::register_kernel(#kernel, &kernel)

// Device-only code paths: `KILN_DEVICE_ONLY("wgmma.mma_async")` aborts on the
// host with the feature's name.
#define KILN_DEVICE_ONLY(feature) \
  ::kiln::emu::fail("device-only feature used on the host emulator: " feature)

// ------------------------------------------------------------ barriers ----
#if KILN_SANITIZE
// The sanitizer build records the call site of every barrier (synccheck).
#define KILN_EMU_SITE_PARAM0 std::source_location kiln_site = std::source_location::current()
#define KILN_EMU_SITE_PARAM , KILN_EMU_SITE_PARAM0
#define KILN_EMU_SITE kiln_site.file_name(), kiln_site.line()
#define KILN_EMU_WARP_SITE() ::kiln::emu::san::warp_site(KILN_EMU_SITE)
#define KILN_EMU_ATOMIC_SCOPE ::kiln::emu::san::AtomicScope kiln_atomic_scope
#else
#define KILN_EMU_SITE_PARAM0
#define KILN_EMU_SITE_PARAM
#define KILN_EMU_SITE nullptr, 0
#define KILN_EMU_WARP_SITE() ((void)0)
#define KILN_EMU_ATOMIC_SCOPE
#endif
inline void __syncthreads(KILN_EMU_SITE_PARAM0) { ::kiln::emu::syncthreads(KILN_EMU_SITE); }
inline int __syncthreads_count(int p KILN_EMU_SITE_PARAM) {
  return ::kiln::emu::syncthreads_count(p, KILN_EMU_SITE);
}
inline int __syncthreads_and(int p KILN_EMU_SITE_PARAM) {
  return ::kiln::emu::syncthreads_count(p == 0, KILN_EMU_SITE) == 0;
}
inline int __syncthreads_or(int p KILN_EMU_SITE_PARAM) {
  return ::kiln::emu::syncthreads_count(p, KILN_EMU_SITE) != 0;
}
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_block() { std::atomic_thread_fence(std::memory_order_seq_cst); }

// ------------------------------------------------------- warp intrinsics --
inline void __syncwarp(unsigned mask = 0xffffffffu) {
  (void)::kiln::emu::warp_gather<char>(0, mask);
}
// The emulator cannot observe convergence; it reports the live lanes.
unsigned __activemask();

template <class T>
inline T __shfl_sync(unsigned mask, T var, int src, int width = 32 KILN_EMU_SITE_PARAM) {
  KILN_EMU_WARP_SITE();
  int lane = ::kiln::emu::lane_id();
  int base = lane & ~(width - 1);
  return ::kiln::emu::detail::shfl_from(mask, var, base + (src & (width - 1)));
}
template <class T>
inline T __shfl_xor_sync(unsigned mask, T var, int lane_mask, int width = 32 KILN_EMU_SITE_PARAM) {
  KILN_EMU_WARP_SITE();
  int lane = ::kiln::emu::lane_id();
  int base = lane & ~(width - 1);
  int src = lane ^ lane_mask;
  if (src < base || src >= base + width) src = lane;
  return ::kiln::emu::detail::shfl_from(mask, var, src);
}
template <class T>
inline T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = 32 KILN_EMU_SITE_PARAM) {
  KILN_EMU_WARP_SITE();
  int lane = ::kiln::emu::lane_id();
  int base = lane & ~(width - 1);
  int src = lane + static_cast<int>(delta);
  if (src >= base + width) src = lane;
  return ::kiln::emu::detail::shfl_from(mask, var, src);
}
template <class T>
inline T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = 32 KILN_EMU_SITE_PARAM) {
  KILN_EMU_WARP_SITE();
  int lane = ::kiln::emu::lane_id();
  int base = lane & ~(width - 1);
  int src = lane - static_cast<int>(delta);
  if (src < base) src = lane;
  return ::kiln::emu::detail::shfl_from(mask, var, src);
}
inline unsigned __ballot_sync(unsigned mask, int pred KILN_EMU_SITE_PARAM) {
  KILN_EMU_WARP_SITE();
  unsigned present = 0;
  auto all = ::kiln::emu::warp_gather<int>(pred, mask, &present);
  unsigned r = 0;
  for (int i = 0; i < 32; ++i)
    if ((present >> i & 1u) && all[i]) r |= 1u << i;
  return r;
}
inline int __any_sync(unsigned mask, int pred KILN_EMU_SITE_PARAM) {
  KILN_EMU_WARP_SITE();
  unsigned present = 0;
  auto all = ::kiln::emu::warp_gather<int>(pred, mask, &present);
  for (int i = 0; i < 32; ++i)
    if ((present >> i & 1u) && all[i]) return 1;
  return 0;
}
inline int __all_sync(unsigned mask, int pred KILN_EMU_SITE_PARAM) {
  KILN_EMU_WARP_SITE();
  unsigned present = 0;
  auto all = ::kiln::emu::warp_gather<int>(pred, mask, &present);
  for (int i = 0; i < 32; ++i)
    if ((present >> i & 1u) && !all[i]) return 0;
  return 1;
}

// ------------------------------------------------------------- atomics ----
template <class T>
inline T kiln_emu_atomic_add(T* addr, T v) {
  KILN_EMU_ATOMIC_SCOPE;
  return std::atomic_ref<T>(*addr).fetch_add(v, std::memory_order_relaxed);
}
inline float atomicAdd(float* a, float v) { return kiln_emu_atomic_add(a, v); }
inline double atomicAdd(double* a, double v) { return kiln_emu_atomic_add(a, v); }
inline int atomicAdd(int* a, int v) { return kiln_emu_atomic_add(a, v); }
inline unsigned atomicAdd(unsigned* a, unsigned v) { return kiln_emu_atomic_add(a, v); }
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) {
  return kiln_emu_atomic_add(a, v);
}
inline int atomicSub(int* a, int v) { return kiln_emu_atomic_add(a, -v); }
inline unsigned atomicSub(unsigned* a, unsigned v) { return kiln_emu_atomic_add(a, 0u - v); }

template <class T, class F>
inline T kiln_emu_atomic_update(T* addr, F f) {
  KILN_EMU_ATOMIC_SCOPE;
  std::atomic_ref<T> r(*addr);
  T old = r.load(std::memory_order_relaxed);
  while (!r.compare_exchange_weak(old, f(old), std::memory_order_relaxed)) {
  }
  return old;
}
#define KILN_EMU_MINMAX(T)                                                             \
  inline T atomicMax(T* a, T v) {                                                      \
    return kiln_emu_atomic_update(a, [v](T o) { return o < v ? v : o; });              \
  }                                                                                    \
  inline T atomicMin(T* a, T v) {                                                      \
    return kiln_emu_atomic_update(a, [v](T o) { return v < o ? v : o; });              \
  }
KILN_EMU_MINMAX(int)
KILN_EMU_MINMAX(unsigned)
KILN_EMU_MINMAX(long long)
KILN_EMU_MINMAX(unsigned long long)
#undef KILN_EMU_MINMAX
template <class T>
inline T kiln_emu_atomic_cas(T* a, T compare, T val) {
  KILN_EMU_ATOMIC_SCOPE;
  std::atomic_ref<T>(*a).compare_exchange_strong(compare, val, std::memory_order_relaxed);
  return compare;  // the old value either way
}
inline int atomicCAS(int* a, int c, int v) { return kiln_emu_atomic_cas(a, c, v); }
inline unsigned atomicCAS(unsigned* a, unsigned c, unsigned v) { return kiln_emu_atomic_cas(a, c, v); }
inline unsigned long long atomicCAS(unsigned long long* a, unsigned long long c,
                                    unsigned long long v) {
  return kiln_emu_atomic_cas(a, c, v);
}
inline unsigned short atomicCAS(unsigned short* a, unsigned short c, unsigned short v) {
  return kiln_emu_atomic_cas(a, c, v);
}
template <class T>
inline T kiln_emu_atomic_exch(T* a, T v) {
  KILN_EMU_ATOMIC_SCOPE;
  return std::atomic_ref<T>(*a).exchange(v, std::memory_order_relaxed);
}
inline int atomicExch(int* a, int v) { return kiln_emu_atomic_exch(a, v); }
inline unsigned atomicExch(unsigned* a, unsigned v) { return kiln_emu_atomic_exch(a, v); }
inline float atomicExch(float* a, float v) { return kiln_emu_atomic_exch(a, v); }

// ---------------------------------------------------------- math/bits ----
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __log2f(float x) { return std::log2(x); }
inline float __powf(float x, float y) { return std::pow(x, y); }
inline float __sinf(float x) { return std::sin(x); }
inline float __cosf(float x) { return std::cos(x); }
inline float __tanf(float x) { return std::tan(x); }
inline void __sincosf(float x, float* s, float* c) { *s = std::sin(x); *c = std::cos(x); }
inline void sincosf(float x, float* s, float* c) { *s = std::sin(x); *c = std::cos(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __frcp_rn(float a) { return 1.0f / a; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline float __saturatef(float x) { return x != x ? 0.0f : std::fmin(std::fmax(x, 0.0f), 1.0f); }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float exp10f(float x) { return std::pow(10.0f, x); }
inline float __exp10f(float x) { return std::pow(10.0f, x); }
inline int __float2int_rn(float x) { return static_cast<int>(std::nearbyint(x)); }
inline int __float2int_rz(float x) { return static_cast<int>(x); }
inline int __float_as_int(float x) { int i; std::memcpy(&i, &x, 4); return i; }
inline unsigned __float_as_uint(float x) { unsigned i; std::memcpy(&i, &x, 4); return i; }
inline float __int_as_float(int i) { float x; std::memcpy(&x, &i, 4); return x; }
inline float __uint_as_float(unsigned i) { float x; std::memcpy(&x, &i, 4); return x; }
inline unsigned __umulhi(unsigned a, unsigned b) {
  return static_cast<unsigned>((static_cast<unsigned long long>(a) * b) >> 32);
}
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
  return static_cast<unsigned long long>((static_cast<unsigned __int128>(a) * b) >> 64);
}
inline int __mul24(int a, int b) { return a * b; }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline unsigned __brev(unsigned x) {
  unsigned r = 0;
  for (int i = 0; i < 32; ++i) r |= ((x >> i) & 1u) << (31 - i);
  return r;
}
template <class T>
inline T __ldg(const T* p) { return *p; }
template <class T>
inline T __ldcs(const T* p) { return *p; }
template <class T>
inline void __stcs(T* p, T v) { *p = v; }

// CUDA's overloaded min/max (float versions follow fminf/fmaxf).
#define KILN_EMU_MM(T)                                   \
  inline T max(T a, T b) { return a < b ? b : a; }       \
  inline T min(T a, T b) { return b < a ? b : a; }
KILN_EMU_MM(int)
KILN_EMU_MM(unsigned)
KILN_EMU_MM(long)
KILN_EMU_MM(long long)
KILN_EMU_MM(unsigned long)
KILN_EMU_MM(unsigned long long)
#undef KILN_EMU_MM
inline float max(float a, float b) { return std::fmax(a, b); }
inline float min(float a, float b) { return std::fmin(a, b); }
inline double max(double a, double b) { return std::fmax(a, b); }
inline double min(double a, double b) { return std::fmin(a, b); }
inline long long max(long long a, int b) { return a < b ? b : a; }
inline long long max(int a, long long b) { return a < b ? b : a; }
inline long long min(long long a, int b) { return b < a ? b : a; }
inline long long min(int a, long long b) { return b < a ? b : a; }
