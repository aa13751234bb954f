// Kiln SIMT emulator runtime: fibers, barriers, warp exchange, block
// scheduling over OS threads, and the kernel registry behind kiln_emu.h.
// Compiled with -DKILN_SANITIZE=1 it also contains the sanitizer
// (simt_sanitizer.inc, included at the end).
#include "simt.h"

#include <dlfcn.h>

#include <cxxabi.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kiln::emu {
namespace {

enum class St : uint8_t { Runnable, AtBarrier, AtWarp, Done };

struct Block;

struct Fiber {
  ucontext_t ctx;
  uint3 tid;
  int lane = 0, warp = 0;
  St st = St::Runnable;
  Block* block = nullptr;
  // Pending warp exchange.
  const void* value = nullptr;
  void* out = nullptr;
  detail::GatherFn fn = nullptr;
  unsigned mask = 0;
  size_t tag = 0;
  unsigned* present_out = nullptr;
  // Source line of the barrier or warp operation it waits at (synccheck).
  const char* site_file = nullptr;
  unsigned site_line = 0;
#if KILN_SANITIZE
  uint16_t lin = 0;         // linear thread index in the block
  uint32_t op_seq = 0;      // sequence number of its last warp operation
  uint32_t op_mask = 0;     // and that operation's lanes
  uintptr_t stack_lo = 0;   // its stack: locals are not checked
  size_t stack_len = 0;
#endif
};

struct Block {
  uint3 idx;
  dim3 dim, grid;
  void* smem = nullptr;
  size_t smem_bytes = 0;
  uint64_t epoch = 0;
  Fiber* fibers = nullptr;
  int n = 0;
  ucontext_t sched;
  const detail::Body* body = nullptr;
  int barrier_gen = 0;
  int reduce[2] = {0, 0};
  std::string error;
  const char* kernel = "";
#if KILN_SANITIZE
  uint32_t warp_seq[32] = {};  // completed warp operations per warp
#endif
};

thread_local Fiber* tls_fiber = nullptr;
thread_local Block* tls_block = nullptr;

std::atomic<uint64_t> g_epoch{1};
std::atomic<unsigned long long> g_seed{0x6b696c6e5f656d75ull};  // "kiln_emu"
std::atomic<unsigned long long> g_launch_no{0};
std::atomic<int> g_threads{0};  // 0: not set, use the default
std::mutex g_launch_mutex;

#if KILN_SANITIZE
// Hooks into the sanitizer (simt_sanitizer.inc).
namespace san_rt {
void launch_begin(const char* kernel);
bool launch_end(std::string& err);  // false when the launch found errors
void block_begin(Block& b);
void barrier_release(Block& b);      // synccheck of a releasing __syncthreads
void warp_complete(Block& b, int warp, unsigned mask);
void dynamic_smem_freed(void* p, size_t bytes);
const char* take_warp_site(unsigned* line);
void deadlock(const Block& b);
}  // namespace san_rt
#endif

size_t stack_bytes() {
  static const size_t bytes = [] {
    size_t kb = 128;
    if (const char* s = std::getenv("KILN_EMU_STACK_KB")) {
      long v = std::strtol(s, nullptr, 10);
      if (v >= 16) kb = static_cast<size_t>(v);
    }
    return kb * 1024;
  }();
  return bytes;
}

// One OS thread's reusable resources: fiber stacks (with a guard page below
// each, so an overflow faults instead of corrupting a neighbour), fibers and
// the dynamic shared memory buffer.
struct Worker {
  std::vector<void*> stacks;
  std::vector<Fiber> fibers;
  unsigned char* smem = nullptr;
  size_t smem_cap = 0;

  void ensure(int n, size_t smem_bytes) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    while (static_cast<int>(stacks.size()) < n) {
      size_t total = stack_bytes() + page;
      void* p = mmap(nullptr, total, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) fail("emulator: cannot map a fiber stack");
      mprotect(p, page, PROT_NONE);
      stacks.push_back(static_cast<unsigned char*>(p) + page);
    }
    if (static_cast<int>(fibers.size()) < n) fibers.resize(n);
    if (smem_bytes > smem_cap || !smem) {
      // The sanitizer build keeps 128 bytes on each side as redzones.
      const size_t pad = KILN_SANITIZE ? 128 : 0;
      if (smem) {
#if KILN_SANITIZE
        san_rt::dynamic_smem_freed(smem - pad, smem_cap + 2 * pad);
#endif
        std::free(smem - pad);
      }
      size_t cap = (std::max<size_t>(smem_bytes, 1) + 127) / 128 * 128;
      auto* raw = static_cast<unsigned char*>(std::aligned_alloc(128, cap + 2 * pad));
      if (!raw) fail("emulator: cannot allocate dynamic shared memory");
      smem = raw + pad;
      smem_cap = cap;
    }
  }
};

Worker& worker() {
  // Leaked on purpose: fibers of a failed block may still reference stacks.
  static thread_local Worker* w = new Worker();
  return *w;
}

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void fiber_main() {
  Fiber* f = tls_fiber;
  try {
    (*f->block->body)();
  } catch (const std::exception& e) {
    if (f->block->error.empty())
      f->block->error = std::string("exception in kernel: ") + e.what();
  } catch (...) {
    if (f->block->error.empty()) f->block->error = "unknown exception in kernel";
  }
  f->st = St::Done;
  swapcontext(&f->ctx, &f->block->sched);
  fail("emulator: a finished fiber was resumed");
}

void yield_to_scheduler() {
  Fiber* f = tls_fiber;
  swapcontext(&f->ctx, &f->block->sched);
}

std::string thread_name(const Fiber& f) {
  std::ostringstream s;
  s << "(" << f.tid.x << "," << f.tid.y << "," << f.tid.z << ")";
  return s.str();
}

// Releases every group of waiting lanes in warp `w` whose mask is complete.
// Returns false (with b.error set) on a protocol violation.
bool resolve_warp(Block& b, int w, std::vector<int>& run) {
  const int base = w * 32;
  const int cnt = std::min(32, b.n - base);
  unsigned alive = 0, waiting = 0;
  for (int i = 0; i < cnt; ++i) {
    const Fiber& f = b.fibers[base + i];
    if (f.st != St::Done) alive |= 1u << i;
    if (f.st == St::AtWarp) waiting |= 1u << i;
  }
  unsigned todo = waiting;
  while (todo) {
    int i = __builtin_ctz(todo);
    Fiber& fi = b.fibers[base + i];
    unsigned m = fi.mask & alive;
    if (!(m >> i & 1u)) {
      std::ostringstream s;
      s << "thread " << thread_name(fi) << " of block (" << b.idx.x << ","
        << b.idx.y << "," << b.idx.z << ") called a warp operation with mask 0x"
        << std::hex << fi.mask << " that excludes its own lane " << std::dec << i;
      b.error = s.str();
      return false;
    }
    bool complete = true;
    for (unsigned r = m; r; r &= r - 1) {
      int j = __builtin_ctz(r);
      const Fiber& fj = b.fibers[base + j];
      if (!(waiting >> j & 1u) || fj.mask != fi.mask) {
        complete = false;
        break;
      }
      if (fj.tag != fi.tag) {
        b.error = "lanes " + std::to_string(i) + " and " + std::to_string(j) +
                  " of warp " + std::to_string(w) +
                  " exchanged values of different types in one warp operation";
        return false;
      }
    }
    if (complete) {
#if KILN_SANITIZE
      san_rt::warp_complete(b, w, m);
#endif
      const void* src[32] = {};
      for (unsigned r = m; r; r &= r - 1) {
        int j = __builtin_ctz(r);
        src[j] = b.fibers[base + j].value;
      }
      for (unsigned r = m; r; r &= r - 1) {
        int j = __builtin_ctz(r);
        Fiber& fj = b.fibers[base + j];
        fj.fn(fj.out, src, m);
        if (fj.present_out) *fj.present_out = m;
        fj.st = St::Runnable;
        run.push_back(base + j);
      }
      todo &= ~m;
    } else {
      todo &= ~(1u << i);
    }
  }
  return true;
}

std::string describe_deadlock(const Block& b) {
  std::ostringstream s;
  s << "deadlock in block (" << b.idx.x << "," << b.idx.y << "," << b.idx.z
    << "): ";
  int at_bar = 0, at_warp = 0;
  std::string bar_ex, warp_ex;
  for (int i = 0; i < b.n; ++i) {
    const Fiber& f = b.fibers[i];
    if (f.st == St::AtBarrier) {
      if (at_bar++ < 4) bar_ex += " " + thread_name(f);
    } else if (f.st == St::AtWarp) {
      if (at_warp++ < 4) {
        std::ostringstream m;
        m << " " << thread_name(f) << "[mask 0x" << std::hex << f.mask << "]";
        warp_ex += m.str();
      }
    }
  }
  s << at_bar << " thread(s) wait at __syncthreads" << bar_ex << "; " << at_warp
    << " thread(s) wait at a warp operation" << warp_ex
    << " (a barrier in divergent code, or a warp mask naming a lane that "
       "never arrives)";
  return s.str();
}

// Runs one block to completion on the calling OS thread.
bool run_block(Block& b, uint64_t rng_state) {
  Worker& w = worker();
  w.ensure(b.n, b.smem_bytes);
  b.fibers = w.fibers.data();
  b.smem = w.smem;
  if (b.smem_bytes) std::memset(b.smem, 0xFF, b.smem_bytes);
  b.epoch = g_epoch.fetch_add(1);
#if KILN_SANITIZE
  san_rt::block_begin(b);
#endif

  std::vector<int> run;
  run.reserve(b.n);
  const unsigned bx = b.dim.x, by = b.dim.y;
  for (int i = 0; i < b.n; ++i) {
    Fiber& f = b.fibers[i];
    f = Fiber();
    f.tid = make_uint3(i % bx, (i / bx) % by, i / (bx * by));
    f.lane = i & 31;
    f.warp = i >> 5;
    f.block = &b;
#if KILN_SANITIZE
    f.lin = static_cast<uint16_t>(i);
    f.stack_lo = reinterpret_cast<uintptr_t>(w.stacks[i]);
    f.stack_len = stack_bytes();
#endif
    getcontext(&f.ctx);
    f.ctx.uc_stack.ss_sp = w.stacks[i];
    f.ctx.uc_stack.ss_size = stack_bytes();
    f.ctx.uc_link = nullptr;
    makecontext(&f.ctx, fiber_main, 0);
    run.push_back(i);
  }
  const int nwarps = (b.n + 31) / 32;
  tls_block = &b;
  bool ok = true;
  for (;;) {
    while (!run.empty()) {
      for (size_t k = run.size(); k > 1; --k) {
        size_t j = splitmix64(rng_state) % k;
        std::swap(run[k - 1], run[j]);
      }
      for (int i : run) {
        tls_fiber = &b.fibers[i];
        swapcontext(&b.sched, &b.fibers[i].ctx);
        tls_fiber = nullptr;
        if (!b.error.empty()) {
          ok = false;
          goto out;
        }
      }
      run.clear();
      for (int wi = 0; wi < nwarps; ++wi)
        if (!resolve_warp(b, wi, run)) {
          ok = false;
          goto out;
        }
    }
    int done = 0, at_warp = 0;
    for (int i = 0; i < b.n; ++i) {
      if (b.fibers[i].st == St::Done) ++done;
      else if (b.fibers[i].st == St::AtWarp) ++at_warp;
    }
    if (done == b.n) break;
    if (at_warp != 0) {
#if KILN_SANITIZE
      san_rt::deadlock(b);
#endif
      b.error = describe_deadlock(b);
      ok = false;
      break;
    }
    // Every live thread waits at __syncthreads (returned threads count as
    // arrived, as on current hardware): release the barrier.
#if KILN_SANITIZE
    san_rt::barrier_release(b);
#endif
    b.reduce[(b.barrier_gen + 1) & 1] = 0;
    ++b.barrier_gen;
    for (int i = 0; i < b.n; ++i)
      if (b.fibers[i].st == St::AtBarrier) {
        b.fibers[i].st = St::Runnable;
        run.push_back(i);
      }
  }
out:
  tls_fiber = nullptr;
  tls_block = nullptr;
  return ok;
}

// Persistent OS threads that take blocks of the current launch.
struct Job {
  const detail::Body* body;
  const char* kernel = "";
  dim3 grid, block;
  unsigned smem;
  uint64_t total;
  uint64_t seed;
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex err_mutex;
  std::string error;

  void work() {
    const int n = static_cast<int>(block.x * block.y * block.z);
    for (;;) {
      if (failed.load(std::memory_order_relaxed)) return;
      uint64_t i = next.fetch_add(1);
      if (i >= total) return;
      Block b;
      b.idx = make_uint3(static_cast<unsigned>(i % grid.x),
                         static_cast<unsigned>((i / grid.x) % grid.y),
                         static_cast<unsigned>(i / (uint64_t(grid.x) * grid.y)));
      b.dim = block;
      b.grid = grid;
      b.smem_bytes = smem;
      b.n = n;
      b.body = body;
      b.kernel = kernel;
      uint64_t s = seed ^ (i * 0xd1342543de82ef95ull);
      splitmix64(s);
      if (!run_block(b, s)) {
        std::lock_guard<std::mutex> l(err_mutex);
        if (error.empty()) error = b.error;
        failed = true;
        return;
      }
    }
  }
};

struct Pool {
  std::mutex m;
  std::condition_variable cv, done_cv;
  int threads = 0;
  uint64_t gen = 0;
  Job* job = nullptr;
  int want = 0;     // helpers wanted for the current job
  int running = 0;  // helpers that have not finished the current job

  void ensure(int n) {
    while (threads < n) {
      int idx = threads++;
      std::thread([this, idx] { loop(idx); }).detach();
    }
  }
  void loop(int idx) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> l(m);
    for (;;) {
      cv.wait(l, [&] { return gen != seen; });
      seen = gen;
      if (idx >= want) continue;
      Job* j = job;
      l.unlock();
      j->work();
      l.lock();
      if (--running == 0) done_cv.notify_all();
    }
  }
  void run(Job& j, int helpers) {
    ensure(helpers);
    {
      std::lock_guard<std::mutex> l(m);
      job = &j;
      want = helpers;
      running = helpers;
      ++gen;
    }
    cv.notify_all();
    j.work();
    std::unique_lock<std::mutex> l(m);
    done_cv.wait(l, [&] { return running == 0; });
    job = nullptr;
  }
};

Pool& pool() {
  static Pool* p = new Pool();  // threads are detached; never destroyed
  return *p;
}

int default_threads() {
  unsigned hw = std::thread::hardware_concurrency();
  if (hw == 0) hw = 1;
  return static_cast<int>(std::min(hw, 8u));
}

struct Entry {
  detail::Launcher launcher;
  std::string signature;
  std::vector<size_t> sizes;
};

std::map<std::string, Entry>& registry() {
  static std::map<std::string, Entry> r;
  return r;
}

std::map<const void*, std::string>& registry_by_fn() {
  static std::map<const void*, std::string> r;
  return r;
}

Fiber* need_fiber(const char* what) {
  Fiber* f = tls_fiber;
  if (!f) {
    std::string m = std::string(what) + " used outside a kernel launch";
    fail(m.c_str());
  }
  return f;
}

}  // namespace

const uint3& cur_thread_idx() { return need_fiber("threadIdx")->tid; }
const uint3& cur_block_idx() { return need_fiber("blockIdx")->block->idx; }
const dim3& cur_block_dim() { return need_fiber("blockDim")->block->dim; }
const dim3& cur_grid_dim() { return need_fiber("gridDim")->block->grid; }
int lane_id() { return need_fiber("lane_id")->lane; }
int warp_id() { return need_fiber("warp_id")->warp; }

void syncthreads(const char* file, unsigned line) {
  Fiber* f = need_fiber("__syncthreads");
  f->site_file = file;
  f->site_line = line;
  f->st = St::AtBarrier;
  yield_to_scheduler();
}

int syncthreads_count(int predicate, const char* file, unsigned line) {
  Fiber* f = need_fiber("__syncthreads_count");
  Block* b = f->block;
  int slot = b->barrier_gen & 1;
  b->reduce[slot] += predicate != 0;
  syncthreads(file, line);
  return b->reduce[slot];
}

uint64_t block_epoch() { return need_fiber("shared memory")->block->epoch; }
void* dynamic_smem() { return need_fiber("dynamic shared memory")->block->smem; }
size_t dynamic_smem_bytes() {
  return need_fiber("dynamic shared memory")->block->smem_bytes;
}

void fail(const char* what) {
  std::fprintf(stderr, "kiln emulator: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

namespace detail {

void warp_exchange(const void* value, void* out, GatherFn fn, unsigned mask,
                   size_t type_tag, unsigned* present_out) {
  Fiber* f = need_fiber("warp operation");
  f->value = value;
  f->out = out;
  f->fn = fn;
  f->mask = mask;
  f->tag = type_tag;
  f->present_out = present_out;
#if KILN_SANITIZE
  f->site_file = san_rt::take_warp_site(&f->site_line);
#endif
  f->st = St::AtWarp;
  yield_to_scheduler();
}

int run_grid(dim3 grid, dim3 block, unsigned dyn_smem, const Body& body,
             std::string& err, const char* kernel) {
  if (!kernel) kernel = "(unnamed kernel)";
  const uint64_t threads = uint64_t(block.x) * block.y * block.z;
  std::ostringstream s;
  if (threads == 0 || grid.x == 0 || grid.y == 0 || grid.z == 0) {
    s << "empty launch: grid (" << grid.x << "," << grid.y << "," << grid.z
      << "), block (" << block.x << "," << block.y << "," << block.z << ")";
  } else if (threads > 1024 || block.x > 1024 || block.y > 1024 || block.z > 64) {
    s << "block (" << block.x << "," << block.y << "," << block.z << ") has "
      << threads << " threads; the limit is 1024 (and x,y <= 1024, z <= 64)";
  } else if (grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535) {
    s << "grid (" << grid.x << "," << grid.y << "," << grid.z
      << ") exceeds (2^31-1, 65535, 65535)";
  } else if (dyn_smem > 227u * 1024u) {
    s << "dynamic shared memory of " << dyn_smem
      << " bytes exceeds the 227 KiB per-block limit";
  }
  if (!s.str().empty()) {
    err = s.str();
    return 2;
  }
  if (tls_fiber) {
    err = "kernel launched from inside a kernel (dynamic parallelism is not emulated)";
    return 2;
  }
  std::lock_guard<std::mutex> lock(g_launch_mutex);
  Job job;
  job.body = &body;
  job.kernel = kernel;
  job.grid = grid;
  job.block = block;
  job.smem = dyn_smem;
  job.total = uint64_t(grid.x) * grid.y * grid.z;
  uint64_t seed = g_seed.load() ^ (g_launch_no.fetch_add(1) * 0x9e3779b97f4a7c15ull);
  job.seed = splitmix64(seed);
  int t = g_threads.load();
  if (t <= 0) t = default_threads();
  uint64_t helpers = std::min<uint64_t>(uint64_t(t), job.total) - 1;
#if KILN_SANITIZE
  san_rt::launch_begin(kernel);
#endif
  if (helpers == 0) job.work();
  else pool().run(job, static_cast<int>(helpers));
#if KILN_SANITIZE
  std::string san_err;
  const bool san_ok = san_rt::launch_end(san_err);
  if (!san_ok) {
    err = job.failed ? san_err + "\nand the launch failed: " + job.error : san_err;
    return 3;
  }
#endif
  if (job.failed) {
    err = job.error;
    return 3;
  }
  return 0;
}

std::string kernel_name(const void* fn) {
  auto& r = registry_by_fn();
  auto it = r.find(fn);
  if (it != r.end()) return it->second;
  Dl_info info;
  if (dladdr(fn, &info) && info.dli_sname && info.dli_saddr == fn)
    return demangle(info.dli_sname);
  char buf[48];
  std::snprintf(buf, sizeof buf, "kernel@%p", fn);
  return buf;
}

bool register_kernel_erased(const char* name, Launcher launcher,
                            std::string signature, std::vector<size_t> sizes,
                            const void* fn) {
  auto& r = registry();
  if (r.count(name)) {
    std::string m = std::string("kernel registered twice: ") + name;
    fail(m.c_str());
  }
  r[name] = Entry{std::move(launcher), std::move(signature), std::move(sizes)};
  if (fn) registry_by_fn()[fn] = name;
  return true;
}

std::string demangle(const char* mangled) {
  int status = 0;
  char* d = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string out = (status == 0 && d) ? d : mangled;
  std::free(d);
  return out;
}

}  // namespace detail
}  // namespace kiln::emu

unsigned __activemask() {
  using namespace kiln::emu;
  Fiber* f = need_fiber("__activemask");
  Block& b = *f->block;
  const int base = f->warp * 32;
  unsigned m = 0;
  for (int i = 0; i < 32 && base + i < b.n; ++i)
    if (b.fibers[base + i].st != St::Done) m |= 1u << i;
  return m;
}

namespace {
void copy_err(char* err, size_t errlen, const std::string& m) {
  if (!err || errlen == 0) return;
  size_t n = std::min(errlen - 1, m.size());
  std::memcpy(err, m.data(), n);
  err[n] = '\0';
}
}  // namespace

extern "C" int kiln_emu_launch(const char* name, unsigned gx, unsigned gy,
                               unsigned gz, unsigned bx, unsigned by,
                               unsigned bz, unsigned dynamic_smem_bytes,
                               void** args, char* err, size_t errlen) {
  using namespace kiln::emu;
  if (!name) {
    copy_err(err, errlen, "kernel name is null");
    return 1;
  }
  auto& r = registry();
  auto it = r.find(name);
  if (it == r.end()) {
    copy_err(err, errlen, std::string("unknown kernel: ") + name);
    return 1;
  }
  const Entry& e = it->second;
  if (!e.sizes.empty()) {
    if (!args) {
      copy_err(err, errlen, std::string(name) + " takes " +
                                std::to_string(e.sizes.size()) +
                                " arguments (" + e.signature + ") but args is null");
      return 2;
    }
    for (size_t i = 0; i < e.sizes.size(); ++i)
      if (!args[i]) {
        copy_err(err, errlen, std::string(name) + ": args[" + std::to_string(i) +
                                  "] is null; each entry must point to the value of "
                                  "parameter " + std::to_string(i) + " (" +
                                  e.signature + ")");
        return 2;
      }
  }
  std::string m;
  int rc;
  try {
    rc = e.launcher(dim3(gx, gy, gz), dim3(bx, by, bz), dynamic_smem_bytes, args, m);
  } catch (const std::exception& ex) {
    m = ex.what();
    rc = 3;
  }
  if (rc) copy_err(err, errlen, std::string(name) + ": " + m);
  return rc;
}

extern "C" int kiln_emu_kernel_names(char* buf, size_t len) {
  std::string all;
  for (auto& kv : kiln::emu::registry()) all += kv.first + "\n";
  if (buf && len) copy_err(buf, len, all);
  return static_cast<int>(all.size() + 1);
}

extern "C" int kiln_emu_kernel_signature(const char* name, char* buf, size_t len) {
  auto& r = kiln::emu::registry();
  auto it = name ? r.find(name) : r.end();
  if (it == r.end()) return -1;
  if (buf && len) copy_err(buf, len, it->second.signature);
  return static_cast<int>(it->second.signature.size() + 1);
}

extern "C" void kiln_emu_set_seed(unsigned long long seed) {
  kiln::emu::g_seed = seed;
  kiln::emu::g_launch_no = 0;
}

extern "C" void kiln_emu_set_threads(int threads) {
  kiln::emu::g_threads = threads < 0 ? 0 : threads;
}

#if KILN_SANITIZE
#include "simt_sanitizer.inc"
#else
namespace kiln::emu::san {
bool enabled() { return false; }
void mark_uninitialized(const void*, size_t) {}
unsigned long long error_count() { return 0; }
std::string summary() { return ""; }
}  // namespace kiln::emu::san
#endif
