// Runs every registered host kernel test; exit status is the number of
// failed tests (0 = all passed). An optional argument filters by substring.
#include <chrono>
#include <cstring>

#include "kt.h"

namespace kt {
std::vector<Test>& tests() {
  static std::vector<Test> t;
  return t;
}
int g_failures = 0;
const char* g_test = "";
}  // namespace kt

int main(int argc, char** argv) {
  kiln_emu_set_seed(20240601);
  int failed = 0, run = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (auto& t : kt::tests()) {
    if (argc > 1 && !std::strstr(t.name, argv[1])) continue;
    kt::g_failures = 0;
    kt::g_test = t.name;
    auto s = std::chrono::steady_clock::now();
    t.fn();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count();
    ++run;
    if (kt::g_failures) {
      ++failed;
      std::printf("FAIL %-44s (%d failed checks, %.0f ms)\n", t.name, kt::g_failures, ms);
    } else {
      std::printf("ok   %-44s (%.0f ms)\n", t.name, ms);
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%d tests, %d failed, %.1f s\n", run, failed, s);
  if (kiln::emu::san::enabled())
    std::printf("%s (planted-bug tests included)\n", kiln::emu::san::summary().c_str());
  return failed;
}
