// Planted bugs for the kernel sanitizer (emu/simt_sanitizer.inc): each check
// must fire on its bug, name the kernel, thread, block, address and the
// allocation or shared array, and stay quiet on the fixed kernel. Only
// meaningful in the sanitizer build (target/emu-san/kiln_kernel_tests); the
// plain build skips them.
#include <cstring>
#include <memory>

// The use-after-free test does use a pointer after free, on purpose.
#pragma GCC diagnostic ignored "-Wuse-after-free"

#include "kiln/kiln.cuh"
#include "kt.h"

// ---- planted bugs -----------------------------------------------------------

// Off by one: the bound check uses <= n, so the last thread reads x[n].
constexpr int kLineOobRead = __LINE__ + 3;
extern "C" __global__ void san_oob_read(const float* x, float* y, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i <= n) y[i < n ? i : 0] = x[i];
}
KILN_KERNEL_REGISTER(san_oob_read);

extern "C" __global__ void san_oob_write(float* y, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n + 2) y[i] = 1.f;
}
KILN_KERNEL_REGISTER(san_oob_write);

extern "C" __global__ void san_read_one(const float* x, float* y) { y[threadIdx.x] = x[threadIdx.x]; }
KILN_KERNEL_REGISTER(san_read_one);

// float4 load from p + offset: misaligned unless offset % 4 == 0.
extern "C" __global__ void san_vec_load(const float* x, float* y, int offset) {
  const float4 v = *reinterpret_cast<const float4*>(x + offset);
  y[threadIdx.x] = v.x + v.y + v.z + v.w;
}
KILN_KERNEL_REGISTER(san_vec_load);

// Shared array of 64 floats indexed with threadIdx.x + 1.
extern "C" __global__ void san_shared_oob(float* y) {
  KILN_SHARED(float, tile, 64);
  tile[threadIdx.x + 1] = 1.f;
  __syncthreads();
  y[threadIdx.x] = tile[threadIdx.x];
}
KILN_KERNEL_REGISTER(san_shared_oob);

// Block sum whose first barrier is optional: without it threads read their
// neighbours' slots before they are written (read-after-write race).
extern "C" __global__ void san_shared_race(const float* x, float* out, int with_barrier) {
  KILN_SHARED(float, s, 128);
  const int t = threadIdx.x;
  s[t] = x[blockIdx.x * blockDim.x + t];
  if (with_barrier) __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w >>= 1) {
    if (t < w) s[t] += s[t + w];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = s[0];
}
KILN_KERNEL_REGISTER(san_shared_race);

// Every thread reads slot 0, then thread 0 overwrites it with only a
// __syncwarp (which orders its own warp, not the others) in between:
// write-after-read.
extern "C" __global__ void san_war_race(float* out, int with_barrier) {
  KILN_SHARED(float, s, 1);
  if (threadIdx.x == 0) s[0] = 1.f;
  __syncthreads();
  const float v = s[0];
  if (with_barrier) __syncthreads();
  __syncwarp();
  if (threadIdx.x == 0) s[0] = 2.f;
  out[threadIdx.x] = v;
}
KILN_KERNEL_REGISTER(san_war_race);

// Lane l writes slot l, then reads slot l ^ 1 of the same warp: a warp-level
// hazard unless __syncwarp() orders the two.
extern "C" __global__ void san_warp_race(float* out, int with_syncwarp) {
  KILN_SHARED(float, s, 32);
  const int l = threadIdx.x;
  s[l] = static_cast<float>(l);
  if (with_syncwarp) __syncwarp();
  out[l] = s[l ^ 1];
}
KILN_KERNEL_REGISTER(san_warp_race);

// Atomics on shared memory are not races.
extern "C" __global__ void san_shared_atomics(int* out) {
  KILN_SHARED(int, c, 1);
  if (threadIdx.x == 0) c[0] = 0;
  __syncthreads();
  atomicAdd(&c[0], 1);
  __syncthreads();
  if (threadIdx.x == 0) out[0] = c[0];
}
KILN_KERNEL_REGISTER(san_shared_atomics);

// Only the first half of the block reaches the barrier; the rest return.
constexpr int kLineDivergent = __LINE__ + 6;
extern "C" __global__ void san_divergent_barrier(float* out) {
  KILN_SHARED(float, s, 64);
  const int t = threadIdx.x;
  if (t < 16) {
    s[t] = 1.f;
    __syncthreads();
    out[t] = s[(t + 1) % 16];
  }
}
KILN_KERNEL_REGISTER(san_divergent_barrier);

// Two different barriers in the branches of a divergent if.
constexpr int kLineSplitEven = __LINE__ + 4;
constexpr int kLineSplitOdd = __LINE__ + 6;
extern "C" __global__ void san_split_barrier(float* out) {
  if (threadIdx.x % 2 == 0) {
    __syncthreads();
    out[threadIdx.x] = 1.f;
  } else {
    __syncthreads();
    out[threadIdx.x] = 2.f;
  }
}
KILN_KERNEL_REGISTER(san_split_barrier);

// Accumulates into the output without initialising it.
extern "C" __global__ void san_uninit_global(const float* x, float* y, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += x[i];
}
KILN_KERNEL_REGISTER(san_uninit_global);

// Integer shared memory read before anything was written there: the 0xFF
// poison is -1, an index that looks fine, so only initcheck sees it.
extern "C" __global__ void san_uninit_shared_int(int* out, int written) {
  KILN_SHARED(int, idx, 32);
  if (static_cast<int>(threadIdx.x) < written) idx[threadIdx.x] = static_cast<int>(threadIdx.x);
  __syncthreads();
  out[threadIdx.x] = idx[31 - threadIdx.x];
}
KILN_KERNEL_REGISTER(san_uninit_shared_int);

// A full-mask shuffle in a 16-lane warp reads lanes that do not exist.
extern "C" __global__ void san_shuffle_absent(float* out) {
  float v = static_cast<float>(threadIdx.x);
  v += __shfl_down_sync(0xffffffffu, v, 8);
  out[threadIdx.x] = v;
}
KILN_KERNEL_REGISTER(san_shuffle_absent);

// The two halves of the warp meet in shuffles on different lines.
constexpr int kLineShflLo = __LINE__ + 4;
constexpr int kLineShflHi = __LINE__ + 4;
extern "C" __global__ void san_divergent_shuffle(float* out) {
  float v = static_cast<float>(threadIdx.x);
  if (threadIdx.x < 16) v = __shfl_xor_sync(0xffffffffu, v, 1);
  else v = __shfl_xor_sync(0xffffffffu, v, 2);
  out[threadIdx.x] = v;
}
KILN_KERNEL_REGISTER(san_divergent_shuffle);

// ---- helpers ----------------------------------------------------------------

namespace {

bool has(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

// "sanitizer_test.cpp:<line>", as reports name source lines.
std::string at(int line) { return "sanitizer_test.cpp:" + std::to_string(line); }

std::string hexaddr(const void* p) {
  char b[32];
  std::snprintf(b, sizeof b, "%p", p);
  return b;
}

// Expects the launch to fail with a sanitizer report containing every
// fragment of `want`.
#define EXPECT_REPORT(rc, err, ...)                                                     \
  do {                                                                                  \
    CHECK_MSG((rc) == 3, "no sanitizer error (rc " + std::to_string(rc) + ")");         \
    for (const char* w : {__VA_ARGS__})                                                 \
      CHECK_MSG(has(err, w), std::string("report lacks '") + w + "':\n" + (err));       \
  } while (0)

#define EXPECT_CLEAN(rc, err) CHECK_MSG((rc) == 0, "unexpected report:\n" + (err))

}  // namespace

// ---- tests ------------------------------------------------------------------

TEST(sanitizer_memcheck_global_out_of_bounds) {
  if (!kiln::emu::san::enabled()) return;
  const int n = 100;
  std::vector<float> x(n, 1.f), y(n, 0.f);
  std::string err;
  int rc = kiln::emu::launch(san_oob_read, dim3(4), dim3(32), 0, err, x.data(), y.data(), n);
  // Thread 4 of block 3 (global index 100) reads x[100].
  EXPECT_REPORT(rc, err, "memcheck", "invalid global read of 4 bytes",
                "in kernel san_oob_read", "thread (4,0,0) of block (3,0,0)",
                "0 bytes past the end of a 400-byte allocation",
                hexaddr(x.data() + n).c_str(), hexaddr(x.data()).c_str(), at(kLineOobRead).c_str());
  CHECK(!has(err, "initcheck"));
  err.clear();
  rc = kiln::emu::launch(san_oob_read, dim3(4), dim3(32), 0, err, x.data(), y.data(), n - 1);
  EXPECT_CLEAN(rc, err);

  err.clear();
  rc = kiln::emu::launch(san_oob_write, dim3(1), dim3(128), 0, err, y.data(), n);
  EXPECT_REPORT(rc, err, "memcheck", "invalid global write of 4 bytes", "of block (0,0,0)",
                "bytes past the end of a 400-byte allocation");
  CHECK_MSG(has(err, "2 error(s)"), err);  // threads 100 and 101, one report per site
}

TEST(sanitizer_memcheck_use_after_free_and_misaligned) {
  if (!kiln::emu::san::enabled()) return;
  auto x = std::make_unique<std::vector<float>>(32, 1.f);
  const uintptr_t stale_bits = reinterpret_cast<uintptr_t>(x->data());
  x.reset();
  const float* stale = reinterpret_cast<const float*>(stale_bits);
  std::vector<float> y(32, 0.f);
  std::string err;
  int rc = kiln::emu::launch(san_read_one, dim3(1), dim3(32), 0, err, stale, y.data());
  EXPECT_REPORT(rc, err, "memcheck", "use after free", "a freed 128-byte allocation");

  std::vector<float> v(64, 1.f);
  err.clear();
  rc = kiln::emu::launch(san_vec_load, dim3(1), dim3(1), 0, err, v.data(), y.data(), 2);
  EXPECT_REPORT(rc, err, "memcheck", "misaligned 16-byte read",
                "at offset 8 of a 256-byte allocation");
  err.clear();
  rc = kiln::emu::launch(san_vec_load, dim3(1), dim3(1), 0, err, v.data(), y.data(), 4);
  EXPECT_CLEAN(rc, err);
}

TEST(sanitizer_memcheck_shared_out_of_bounds) {
  if (!kiln::emu::san::enabled()) return;
  std::vector<float> y(64, 0.f);
  std::string err;
  int rc = kiln::emu::launch(san_shared_oob, dim3(2), dim3(64), 0, err, y.data());
  EXPECT_REPORT(rc, err, "memcheck", "invalid shared write of 4 bytes",
                "thread (63,0,0) of block", "0 bytes past the end of shared array 'tile' (256 bytes)");
}

TEST(sanitizer_racecheck_shared_memory) {
  if (!kiln::emu::san::enabled()) return;
  kt::Rng rng(7);
  auto x = kt::random_vec(rng, 4 * 128);
  auto out = kt::nan_vec(4);
  std::string err;
  int rc = kiln::emu::launch(san_shared_race, dim3(4), dim3(128), 0, err, x.data(), out.data(), 0);
  EXPECT_REPORT(rc, err, "racecheck", "read-after-write hazard on shared memory",
                "of shared array 's' (512 bytes)", "in kernel san_shared_race",
                "with no __syncthreads in between");
  err.clear();
  rc = kiln::emu::launch(san_shared_race, dim3(4), dim3(128), 0, err, x.data(), out.data(), 1);
  EXPECT_CLEAN(rc, err);

  std::vector<float> o(64);
  err.clear();
  rc = kiln::emu::launch(san_war_race, dim3(1), dim3(64), 0, err, o.data(), 0);
  EXPECT_REPORT(rc, err, "racecheck", "write-after-read hazard", "thread (0,0,0) of block (0,0,0)",
                "byte 0 of shared array 's' (4 bytes)", "with no __syncthreads in between");
  err.clear();
  rc = kiln::emu::launch(san_war_race, dim3(1), dim3(64), 0, err, o.data(), 1);
  EXPECT_CLEAN(rc, err);

  std::vector<int> c(1, 0);
  err.clear();
  rc = kiln::emu::launch(san_shared_atomics, dim3(3), dim3(96), 0, err, c.data());
  EXPECT_CLEAN(rc, err);
  CHECK(c[0] == 96);
}

TEST(sanitizer_racecheck_within_a_warp) {
  if (!kiln::emu::san::enabled()) return;
  std::vector<float> o(32);
  std::string err;
  int rc = kiln::emu::launch(san_warp_race, dim3(1), dim3(32), 0, err, o.data(), 0);
  EXPECT_REPORT(rc, err, "racecheck", "read-after-write hazard",
                "with no __syncwarp or __syncthreads in between");
  err.clear();
  rc = kiln::emu::launch(san_warp_race, dim3(1), dim3(32), 0, err, o.data(), 1);
  EXPECT_CLEAN(rc, err);
  for (int l = 0; l < 32; ++l) CHECK(o[l] == float(l ^ 1));
}

TEST(sanitizer_synccheck_divergent_barrier) {
  if (!kiln::emu::san::enabled()) return;
  std::vector<float> o(64);
  std::string err;
  int rc = kiln::emu::launch(san_divergent_barrier, dim3(2), dim3(64), 0, err, o.data());
  EXPECT_REPORT(rc, err, "synccheck", "is not reached by every thread of block",
                "48 thread(s)", "returned while 16 wait there", at(kLineDivergent).c_str(),
                "in kernel san_divergent_barrier");
  err.clear();
  rc = kiln::emu::launch(san_split_barrier, dim3(1), dim3(64), 0, err, o.data());
  EXPECT_REPORT(rc, err, "synccheck", "divergent __syncthreads", at(kLineSplitEven).c_str(),
                at(kLineSplitOdd).c_str());
}

TEST(sanitizer_synccheck_warp_operations) {
  if (!kiln::emu::san::enabled()) return;
  std::vector<float> o(32);
  std::string err;
  int rc = kiln::emu::launch(san_shuffle_absent, dim3(1), dim3(16), 0, err, o.data());
  EXPECT_REPORT(rc, err, "synccheck", "reads lane 1", "has exited or does not exist",
                "the value is undefined");
  // Lanes 8..15 read lanes 16..23 of a 16-thread block; in a full warp the
  // source falls back to the lane itself past the warp's end.
  err.clear();
  rc = kiln::emu::launch(san_shuffle_absent, dim3(1), dim3(32), 0, err, o.data());
  EXPECT_CLEAN(rc, err);
  err.clear();
  rc = kiln::emu::launch(san_divergent_shuffle, dim3(1), dim3(32), 0, err, o.data());
  EXPECT_REPORT(rc, err, "synccheck", "divergent warp operation", at(kLineShflLo).c_str(),
                at(kLineShflHi).c_str());
}

TEST(sanitizer_initcheck) {
  if (!kiln::emu::san::enabled()) return;
  const int n = 50;
  std::vector<float> x(n, 1.f);
  auto y = kt::nan_vec(n);
  std::string err;
  int rc = kiln::emu::launch(san_uninit_global, dim3(2), dim3(32), 0, err, x.data(), y.data(), n);
  EXPECT_REPORT(rc, err, "initcheck", "read of 4 bytes of never-written global memory",
                "in kernel san_uninit_global", "of a 200-byte allocation");
  // After the host writes the output, the same launch is clean.
  std::fill(y.begin(), y.end(), 0.f);
  err.clear();
  rc = kiln::emu::launch(san_uninit_global, dim3(2), dim3(32), 0, err, x.data(), y.data(), n);
  EXPECT_CLEAN(rc, err);
  CHECK(y[7] == 1.f);

  std::vector<int> o(32);
  err.clear();
  rc = kiln::emu::launch(san_uninit_shared_int, dim3(1), dim3(32), 0, err, o.data(), 30);
  EXPECT_REPORT(rc, err, "initcheck", "never-written shared memory", "shared array 'idx'",
                "of block (0,0,0)");
  err.clear();
  rc = kiln::emu::launch(san_uninit_shared_int, dim3(1), dim3(32), 0, err, o.data(), 32);
  EXPECT_CLEAN(rc, err);
}

TEST(sanitizer_reports_through_the_c_api) {
  if (!kiln::emu::san::enabled()) return;
  const int n = 10;
  std::vector<float> x(n, 1.f), y(n, 0.f);
  const float* xp = x.data();
  float* yp = y.data();
  void* args[] = {&xp, &yp, const_cast<int*>(&n)};
  char err[2048] = {0};
  int rc = kiln_emu_launch("san_oob_read", 1, 1, 1, 32, 1, 1, 0, args, err, sizeof err);
  CHECK(rc == 3);
  CHECK_MSG(std::strstr(err, "san_oob_read: kiln sanitizer: 1 error(s)") != nullptr, err);
  CHECK(kiln::emu::san::error_count() > 0);
}
