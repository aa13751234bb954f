// Minimal test framework for the host kernel tests: TEST(name) registers a
// test, CHECK* record failures, helpers make random inputs and NaN-poisoned
// outputs and compare against CPU references.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace kt {

struct Test {
  const char* name;
  void (*fn)();
};
std::vector<Test>& tests();
extern int g_failures;    // failed checks in the current test
extern const char* g_test;

struct Reg {
  Reg(const char* n, void (*f)()) { tests().push_back({n, f}); }
};

inline void report(const char* file, int line, const std::string& msg) {
  ++g_failures;
  if (g_failures <= 10) std::printf("  FAIL %s:%d [%s] %s\n", file, line, g_test, msg.c_str());
}

// splitmix64-based generator with a fixed seed per test.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  float uniform(float lo, float hi) {
    return lo + (hi - lo) * static_cast<float>(next() >> 40) * (1.0f / 16777216.0f);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

inline std::vector<float> random_vec(Rng& r, size_t n, float lo = -2.f, float hi = 2.f) {
  std::vector<float> v(n);
  for (auto& x : v) x = r.uniform(lo, hi);
  return v;
}
// An output buffer: NaN everywhere, and under the sanitizer "never written"
// device memory, so a kernel that reads it before writing it is an initcheck
// error (host stores and copies count as writes).
inline std::vector<float> nan_vec(size_t n) {
  std::vector<float> v(n, std::numeric_limits<float>::quiet_NaN());
  ::kiln::emu::san::mark_uninitialized(v.data(), n * sizeof(float));
  return v;
}

// Compares element by element with |got - want| <= atol + rtol * |want|;
// NaN matches only NaN. Reports the first few mismatches.
inline bool close(const char* file, int line, const std::vector<float>& got,
                  const std::vector<float>& want, float rtol, float atol,
                  const std::string& what) {
  if (got.size() != want.size()) {
    report(file, line, what + ": size " + std::to_string(got.size()) + " != " +
                           std::to_string(want.size()));
    return false;
  }
  int bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    float g = got[i], w = want[i];
    bool ok = (std::isnan(w) && std::isnan(g)) ||
              (std::isinf(w) && g == w) ||
              (!std::isnan(g) && std::fabs(g - w) <= atol + rtol * std::fabs(w));
    if (!ok && bad++ < 3) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s: [%zu] got %.9g want %.9g", what.c_str(), i, g, w);
      report(file, line, buf);
    }
  }
  return bad == 0;
}

// Sizes every kernel is tested at: tiny, ragged, vector-width and block-size
// non-multiples.
inline const long long kSizes[] = {1, 3, 17, 129, 1000, 1027};

inline unsigned grid_for(long long n, int per_block = 1024, unsigned cap = 64) {
  long long g = (n + per_block - 1) / per_block;
  if (g < 1) g = 1;
  if (g > cap) g = cap;
  return static_cast<unsigned>(g);
}

}  // namespace kt

#define TEST(name)                      \
  static void kt_test_##name();         \
  static kt::Reg kt_reg_##name(#name, kt_test_##name); \
  static void kt_test_##name()

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) kt::report(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)
#define CHECK_MSG(cond, msg)                                         \
  do {                                                               \
    if (!(cond)) kt::report(__FILE__, __LINE__, (msg));              \
  } while (0)
#define CHECK_CLOSE(got, want, rtol, atol, what) \
  kt::close(__FILE__, __LINE__, (got), (want), (rtol), (atol), (what))

// Launches a kernel through the typed emulator API; a failed launch is a
// test failure carrying the emulator's message.
#define LAUNCH(kernel, grid, block, smem, ...)                                     \
  do {                                                                             \
    std::string kt_err;                                                            \
    int kt_rc = ::kiln::emu::launch(kernel, grid, block, smem, kt_err, __VA_ARGS__); \
    if (kt_rc) kt::report(__FILE__, __LINE__, std::string(#kernel ": ") + kt_err); \
  } while (0)

