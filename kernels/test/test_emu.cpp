// Self-tests of the SIMT emulator: barriers catch missing __syncthreads,
// shared memory poisoning catches uninitialised reads, warp shuffles/votes
// follow CUDA semantics, atomics are exact across OS threads, and kernels
// launch by name through the C ABI.
#include <algorithm>
#include <cstring>

#include "kiln/kiln.cuh"
#include "kt.h"

// ---- kernels under test ----------------------------------------------------

// Tree reduction in shared memory; `skip_barrier` drops the barrier after the
// initial store, the classic bug.
extern "C" __global__ void emu_block_sum(const float* x, float* out, int n, int skip_barrier) {
  KILN_SHARED(float, s, 256);
  const int t = threadIdx.x;
  const int i = blockIdx.x * blockDim.x + t;
  s[t] = i < n ? x[i] : 0.f;
  if (!skip_barrier) __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w >>= 1) {
    if (t < w) s[t] += s[t + w];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = s[0];
}
KILN_KERNEL_REGISTER(emu_block_sum);

// Sums s[0..count) after writing only s[0..written).
extern "C" __global__ void emu_uninit_read(float* out, int written, int count) {
  KILN_SHARED(float, s, 64);
  const int t = threadIdx.x;
  if (t < written) s[t] = 1.f;
  __syncthreads();
  if (t == 0) {
    float acc = 0.f;
    for (int k = 0; k < count; ++k) acc += s[k];
    out[blockIdx.x] = acc;
  }
}
KILN_KERNEL_REGISTER(emu_uninit_read);

extern "C" __global__ void emu_dynamic_smem(unsigned* out, int write_first) {
  KILN_DYNAMIC_SHARED(unsigned, s);
  const int t = threadIdx.x;
  if (write_first) s[t] = 7u;
  __syncthreads();
  out[t] = s[t];
}
KILN_KERNEL_REGISTER(emu_dynamic_smem);

// out[k * 32 + lane] for k = 0..: results of the shuffle/vote family.
extern "C" __global__ void emu_shuffles(float* out, unsigned* votes) {
  const int lane = threadIdx.x & 31;
  const float v = 100.f + lane;
  out[0 * 32 + lane] = __shfl_sync(0xffffffffu, v, 5);
  out[1 * 32 + lane] = __shfl_sync(0xffffffffu, v, lane + 3, 8);  // within groups of 8
  out[2 * 32 + lane] = __shfl_xor_sync(0xffffffffu, v, 1);
  out[3 * 32 + lane] = __shfl_down_sync(0xffffffffu, v, 4);
  out[4 * 32 + lane] = __shfl_up_sync(0xffffffffu, v, 4);
  out[5 * 32 + lane] = __shfl_down_sync(0xffffffffu, v, 2, 16);
  float acc = v;
  for (int o = 16; o > 0; o >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
  out[6 * 32 + lane] = acc;
  // Only the lower half takes part; the mask names exactly those lanes.
  if (lane < 16) out[7 * 32 + lane] = __shfl_xor_sync(0x0000ffffu, v, 8);
  else out[7 * 32 + lane] = -1.f;
  unsigned b = __ballot_sync(0xffffffffu, lane % 3 == 0);
  int any = __any_sync(0xffffffffu, lane == 31);
  int all = __all_sync(0xffffffffu, lane < 31);
  int all2 = __all_sync(0xffffffffu, lane >= 0);
  __syncwarp();
  if (lane == 0) {
    votes[0] = b;
    votes[1] = any;
    votes[2] = all;
    votes[3] = all2;
  }
}
KILN_KERNEL_REGISTER(emu_shuffles);

// Each lane gathers all lanes' (lane * 10 + warp) values.
extern "C" __global__ void emu_gather(int* out) {
  const int t = threadIdx.x;
  auto all = kiln::emu::warp_gather(kiln::emu::lane_id() * 10 + kiln::emu::warp_id());
  int sum = 0;
  for (int v : all) sum += v;
  out[t] = sum;
}
KILN_KERNEL_REGISTER(emu_gather);

extern "C" __global__ void emu_atomics(int* counter, float* fsum, int* mx, unsigned* cas_counter) {
  const int gid = blockIdx.x * blockDim.x + threadIdx.x;
  atomicAdd(counter, 1);
  atomicAdd(fsum, 1.0f);
  atomicMax(mx, gid);
  unsigned old = *cas_counter, assumed;
  do {
    assumed = old;
    old = atomicCAS(cas_counter, assumed, assumed + 1u);
  } while (old != assumed);
}
KILN_KERNEL_REGISTER(emu_atomics);

// Records the order in which the threads of a block run their first segment.
extern "C" __global__ void emu_order(int* ticket, int* order) {
  int my = atomicAdd(ticket + blockIdx.x, 1);
  order[blockIdx.x * blockDim.x + threadIdx.x] = my;
}
KILN_KERNEL_REGISTER(emu_order);

extern "C" __global__ void emu_ids(int* out) {
  const int lin = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  const int blk = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  const int nthreads = blockDim.x * blockDim.y * blockDim.z;
  int* o = out + 4 * (blk * nthreads + lin);
  o[0] = threadIdx.x * 10000 + threadIdx.y * 100 + threadIdx.z;
  o[1] = blockIdx.x * 10000 + blockIdx.y * 100 + blockIdx.z;
  o[2] = blockDim.x * 10000 + blockDim.y * 100 + blockDim.z;
  o[3] = gridDim.x * 10000 + gridDim.y * 100 + gridDim.z;
}
KILN_KERNEL_REGISTER(emu_ids);

extern "C" __global__ void emu_sync_count(int* out) {
  int c = __syncthreads_count(threadIdx.x % 3 == 0);
  int c2 = __syncthreads_count(threadIdx.x < 5);
  int o = __syncthreads_or(threadIdx.x == 7);
  int a = __syncthreads_and(threadIdx.x < 1000);
  if (threadIdx.x == 0) {
    out[0] = c;
    out[1] = c2;
    out[2] = o;
    out[3] = a;
  }
}
KILN_KERNEL_REGISTER(emu_sync_count);

// Lanes 0-15 wait at __syncthreads while 16-31 wait at a full-warp shuffle.
extern "C" __global__ void emu_deadlock(float* out) {
  float v = 1.f;
  if (threadIdx.x < 16) __syncthreads();
  else v = __shfl_xor_sync(0xffffffffu, v, 1);
  out[threadIdx.x] = v;
}
KILN_KERNEL_REGISTER(emu_deadlock);

extern "C" __global__ void emu_scale_by_name(const float* x, float* y, long long n, float a) {
  long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i];
}
KILN_KERNEL_REGISTER(emu_scale_by_name);

// ---- tests -----------------------------------------------------------------

// A launch of a deliberately buggy kernel: clean in the plain emulator, a
// `check` report (e.g. "racecheck") under the sanitizer.
#define LAUNCH_BUGGY(check, kernel, grid, block, smem, ...)                            \
  do {                                                                                 \
    std::string kt_err;                                                                \
    int kt_rc = ::kiln::emu::launch(kernel, grid, block, smem, kt_err, __VA_ARGS__);   \
    if (::kiln::emu::san::enabled())                                                   \
      CHECK_MSG(kt_rc == 3 && kt_err.find(check) != std::string::npos,                \
                std::string(#kernel ": expected a " check " report, got: ") + kt_err); \
    else                                                                               \
      CHECK_MSG(kt_rc == 0, std::string(#kernel ": ") + kt_err);                       \
  } while (0)

TEST(emu_missing_syncthreads_is_caught) {
  kt::Rng rng(11);
  const int n = 256 * 8;
  auto x = kt::random_vec(rng, n, 0.5f, 1.5f);
  std::vector<float> want(8, 0.f);
  for (int i = 0; i < n; ++i) want[i / 256] += x[i];
  auto good = kt::nan_vec(8), bad = kt::nan_vec(8);
  LAUNCH(emu_block_sum, dim3(8), dim3(256), 0, x.data(), good.data(), n, 0);
  CHECK_CLOSE(good, want, 1e-5f, 0.f, "correct reduction");
  LAUNCH_BUGGY("racecheck", emu_block_sum, dim3(8), dim3(256), 0, x.data(), bad.data(), n, 1);
  int wrong = 0;
  for (int b = 0; b < 8; ++b)
    if (!(std::fabs(bad[b] - want[b]) <= 1e-3f * want[b])) ++wrong;
  CHECK_MSG(wrong == 8, "missing barrier went unnoticed in " + std::to_string(8 - wrong) +
                            " of 8 blocks");
}

TEST(emu_uninitialised_shared_is_poisoned) {
  auto out = kt::nan_vec(4);
  LAUNCH(emu_uninit_read, dim3(4), dim3(64), 0, out.data(), 64, 64);
  CHECK_CLOSE(out, std::vector<float>(4, 64.f), 0.f, 0.f, "fully written");
  // Also after a previous block wrote everything: poison is per block.
  LAUNCH_BUGGY("initcheck", emu_uninit_read, dim3(4), dim3(64), 0, out.data(), 63, 64);
  for (float v : out) CHECK(std::isnan(v));
  std::vector<unsigned> d(64, 0);
  LAUNCH_BUGGY("initcheck", emu_dynamic_smem, dim3(1), dim3(64), 64 * 4, d.data(), 0);
  for (unsigned v : d) CHECK(v == 0xFFFFFFFFu);
  LAUNCH(emu_dynamic_smem, dim3(1), dim3(64), 64 * 4, d.data(), 1);
  for (unsigned v : d) CHECK(v == 7u);
}

TEST(emu_shuffle_and_vote_semantics) {
  std::vector<float> out(8 * 32 * 2, -7.f);
  std::vector<unsigned> votes(8, 0);
  LAUNCH(emu_shuffles, dim3(1), dim3(64), 0, out.data(), votes.data());
  for (int lane = 0; lane < 32; ++lane) {
    float v = 100.f + lane;
    CHECK(out[0 * 32 + lane] == 105.f);
    CHECK(out[1 * 32 + lane] == 100.f + (lane & ~7) + ((lane + 3) & 7));
    CHECK(out[2 * 32 + lane] == 100.f + (lane ^ 1));
    CHECK(out[3 * 32 + lane] == (lane + 4 < 32 ? v + 4 : v));
    CHECK(out[4 * 32 + lane] == (lane >= 4 ? v - 4 : v));
    CHECK(out[5 * 32 + lane] == ((lane & 15) + 2 < 16 ? v + 2 : v));
    CHECK(out[6 * 32 + lane] == 32 * 100.f + 496.f);
    CHECK(out[7 * 32 + lane] == (lane < 16 ? 100.f + (lane ^ 8) : -1.f));
  }
  unsigned ballot = 0;
  for (int l = 0; l < 32; l += 3) ballot |= 1u << l;
  CHECK(votes[0] == ballot);
  CHECK(votes[1] == 1u);
  CHECK(votes[2] == 0u);
  CHECK(votes[3] == 1u);
}

TEST(emu_warp_gather_partial_warp) {
  // 48 threads: warp 0 has 32 lanes, warp 1 only 16.
  std::vector<int> out(48, -1);
  LAUNCH(emu_gather, dim3(1), dim3(48), 0, out.data());
  for (int t = 0; t < 32; ++t) CHECK(out[t] == 4960);          // sum(lane*10), warp 0
  for (int t = 32; t < 48; ++t) CHECK(out[t] == 1200 + 16);    // 16 lanes, warp 1
}

TEST(emu_atomics_across_os_threads) {
  kiln_emu_set_threads(4);
  int counter = 0, mx = -1;
  float fsum = 0.f;
  unsigned cas = 0;
  LAUNCH(emu_atomics, dim3(64), dim3(128), 0, &counter, &fsum, &mx, &cas);
  CHECK(counter == 64 * 128);
  CHECK(fsum == 64.f * 128.f);
  CHECK(mx == 64 * 128 - 1);
  CHECK(cas == 64u * 128u);
  kiln_emu_set_threads(0);
}

TEST(emu_fiber_order_is_shuffled_and_seeded) {
  std::vector<int> ticket(2, 0), order(2 * 128, -1);
  kiln_emu_set_seed(99);
  LAUNCH(emu_order, dim3(2), dim3(128), 0, ticket.data(), order.data());
  std::vector<int> sorted(order.begin(), order.begin() + 128);
  std::sort(sorted.begin(), sorted.end());
  bool perm = true, identity = true;
  for (int i = 0; i < 128; ++i) {
    perm &= sorted[i] == i;
    identity &= order[i] == i;
  }
  CHECK(perm);
  CHECK_MSG(!identity, "threads ran in index order: no shuffling");
  // Same seed, same order.
  std::vector<int> ticket2(2, 0), order2(2 * 128, -1);
  kiln_emu_set_seed(99);
  LAUNCH(emu_order, dim3(2), dim3(128), 0, ticket2.data(), order2.data());
  CHECK(order == order2);
}

TEST(emu_builtin_variables_3d) {
  dim3 g(3, 2, 2), b(4, 3, 2);
  std::vector<int> out(4 * 12 * 24, -1);
  LAUNCH(emu_ids, g, b, 0, out.data());
  int bad = 0;
  for (unsigned bz = 0; bz < g.z; ++bz)
    for (unsigned by = 0; by < g.y; ++by)
      for (unsigned bx = 0; bx < g.x; ++bx)
        for (unsigned tz = 0; tz < b.z; ++tz)
          for (unsigned ty = 0; ty < b.y; ++ty)
            for (unsigned tx = 0; tx < b.x; ++tx) {
              int blk = bx + g.x * (by + g.y * bz), lin = tx + b.x * (ty + b.y * tz);
              const int* o = &out[4 * (blk * 24 + lin)];
              bad += o[0] != int(tx * 10000 + ty * 100 + tz);
              bad += o[1] != int(bx * 10000 + by * 100 + bz);
              bad += o[2] != 40302 || o[3] != 30202;
            }
  CHECK(bad == 0);
}

TEST(emu_syncthreads_count_and_or) {
  std::vector<int> out(4, -1);
  LAUNCH(emu_sync_count, dim3(1), dim3(100), 0, out.data());
  CHECK(out[0] == 34);
  CHECK(out[1] == 5);
  CHECK(out[2] == 1);
  CHECK(out[3] == 1);
}

TEST(emu_deadlock_is_reported) {
  std::vector<float> out(32);
  std::string err;
  int rc = kiln::emu::launch(emu_deadlock, dim3(1), dim3(32), 0, err, out.data());
  CHECK(rc == 3);
  CHECK_MSG(err.find("deadlock") != std::string::npos, "message: " + err);
}

TEST(emu_launch_by_name) {
  kt::Rng rng(12);
  const long long n = 1000;
  auto x = kt::random_vec(rng, n);
  auto y = kt::nan_vec(n);
  const float* xp = x.data();
  float* yp = y.data();
  float a = -1.5f;
  void* args[] = {&xp, &yp, const_cast<long long*>(&n), &a};
  char err[256] = {0};
  int rc = kiln_emu_launch("emu_scale_by_name", 4, 1, 1, 256, 1, 1, 0, args, err, sizeof err);
  CHECK_MSG(rc == 0, err);
  std::vector<float> want(n);
  for (long long i = 0; i < n; ++i) want[i] = a * x[i];
  CHECK_CLOSE(y, want, 0.f, 0.f, "scale by name");

  rc = kiln_emu_launch("no_such_kernel", 1, 1, 1, 1, 1, 1, 0, args, err, sizeof err);
  CHECK(rc == 1 && std::strstr(err, "unknown kernel"));
  rc = kiln_emu_launch("emu_scale_by_name", 1, 1, 1, 2048, 1, 1, 0, args, err, sizeof err);
  CHECK(rc == 2 && std::strstr(err, "1024"));
  rc = kiln_emu_launch("emu_scale_by_name", 1, 1, 1, 32, 1, 1, 0, nullptr, err, sizeof err);
  CHECK(rc == 2);

  char names[8192];
  int need = kiln_emu_kernel_names(names, sizeof names);
  CHECK(need > 0 && need <= int(sizeof names));
  CHECK(std::strstr(names, "emu_scale_by_name\n") != nullptr);
  char sig[256];
  CHECK(kiln_emu_kernel_signature("emu_scale_by_name", sig, sizeof sig) > 0);
  CHECK_MSG(std::string(sig) == "float const*, float*, long long, float", sig);
}
