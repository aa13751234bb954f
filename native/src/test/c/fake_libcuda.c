/* Test double of the NVIDIA driver library (libcuda.so.1) for machines without a GPU.
 *
 * It implements the driver-API calls kiln-cuda's JavaCppDriver makes, with host memory as
 * device memory, and runs cuLaunchKernel through Kiln's SIMT emulator (the library named by
 * KILN_FAKE_CUDA_EMU), passing on the kernelParams array unchanged. Put the directory holding
 * this libcuda.so.1 first on LD_LIBRARY_PATH, and JavaCPP's real bindings, the real
 * JavaCppDriver code (PointerPointer marshalling, pinned staging, PTX module loading, error
 * checks) run end to end. Module images are checked as the driver would and otherwise ignored
 * (the kernel with the requested name runs from the emulator library): a cubin must be an
 * NVIDIA CUDA ELF whose SM architecture the device runs (sm_8x SASS on 8.x with minor <= the
 * device's, sm_90a only on 9.0: else CUDA_ERROR_NO_BINARY_FOR_GPU); PTX must have .version and
 * .target, a .version newer than 9.0 is CUDA_ERROR_UNSUPPORTED_PTX_VERSION (driver 580) and a
 * compute_90a target loads only on 9.0; cuModuleGetFunction finds only entry points the image
 * holds. Test use only.
 *
 * Device memory is host memory, capped at the device size KILN_FAKE_CUDA_MEMORY (bytes, default
 * 1 GiB, what cuDeviceTotalMem reports): a cuMemAlloc beyond it fails with
 * CUDA_ERROR_OUT_OF_MEMORY, so the caching allocator's free-and-retry path runs. Events created
 * with CU_EVENT_DISABLE_TIMING cannot be timed (cuEventElapsedTime: CUDA_ERROR_INVALID_HANDLE).
 *
 * Streams are deferred queues, so the Java side's synchronisation is actually exercised:
 * asynchronous copies, memsets and event records are queued on their stream and run only when
 * something needs them done (cuStreamSynchronize, cuEventSynchronize, cuCtxSynchronize, a later
 * launch on the same stream, a synchronous copy, cuMemFree). A kernel launch first runs its
 * stream's queue, then the kernel at once (the emulator would need each parameter's size to
 * copy kernelParams for later). cuStreamWaitEvent queues a wait: running it first runs the
 * event's stream up to the event's recording. So a staging buffer overwritten before its
 * copy ran, a download read before its copy ran, or a stream reading another's output without
 * waiting for its event, all see the wrong bytes. Stream and event handles are checked:
 * CUDA_ERROR_INVALID_HANDLE for one this library did not create or already destroyed. Not
 * thread-safe (the tests drive it from one thread at a time). */
#define _GNU_SOURCE /* memmem */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
typedef struct { char name[256]; } Func;
typedef struct Stream Stream;
typedef struct { unsigned magic; double ms; Stream* stream; size_t seq; unsigned flags; } Event;
/* A loaded module keeps a copy of its image, as the driver does, to resolve entry points in. */
typedef struct { unsigned magic; int sass; char* image; size_t size; } Module;
#define MODULE_MAGIC 0x4d4f4455u

enum { OP_HTOD, OP_DTOH, OP_DTOD, OP_MEMSET8, OP_MEMSET32, OP_RECORD, OP_WAIT };
typedef struct {
  int kind;
  void* dst;
  const void* src;
  size_t n;
  unsigned value;
  Event* event;   /* OP_RECORD */
  Stream* wait;   /* OP_WAIT: run this stream up to seq (the event's recording when the wait was queued) */
  size_t seq;
} Op;

struct Stream {
  unsigned magic;
  Op* ops;
  size_t n, cap, head; /* ops[head..n) are pending */
  size_t base;         /* sequence number of ops[0]: sequence numbers only grow */
};

#define STREAM_MAGIC 0x5354524du
#define EVENT_MAGIC 0x45564e54u
#define MAX_STREAMS 256
static Stream legacy = {STREAM_MAGIC, NULL, 0, 0, 0, 0};
static Stream* live[MAX_STREAMS];
#define MAX_EVENTS 4096
static Event* live_events[MAX_EVENTS];

enum {
  OK = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, NO_BINARY_FOR_GPU = 209,
  UNSUPPORTED_PTX_VERSION = 222, NO_DEVICE = 100, INVALID_IMAGE = 200, INVALID_CONTEXT = 201,
  ILLEGAL_ADDRESS = 700,
  INVALID_HANDLE = 400, NOT_FOUND = 500, LAUNCH_FAILED = 719
};

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* NULL is the legacy default stream; anything else must be a live stream of ours. */
static Stream* stream_of(void* h) {
  if (!h) return &legacy;
  for (int i = 0; i < MAX_STREAMS; ++i)
    if (live[i] == h) return live[i];
  return NULL;
}

static Event* event_of(void* h) {
  if (!h) return NULL;
  for (int i = 0; i < MAX_EVENTS; ++i)
    if (live_events[i] == h) return live_events[i];
  return NULL;
}

static void run_until(Stream* s, size_t seq);

static void run_op(Op* op) {
  switch (op->kind) {
    case OP_HTOD: case OP_DTOH: case OP_DTOD: memmove(op->dst, op->src, op->n); break;
    case OP_MEMSET8: memset(op->dst, (int)op->value, op->n); break;
    case OP_MEMSET32:
      for (size_t i = 0; i < op->n; ++i) ((unsigned*)op->dst)[i] = op->value;
      break;
    case OP_RECORD: if (op->event) op->event->ms = now_ms(); break;
    case OP_WAIT: if (op->wait) run_until(op->wait, op->seq); break;
  }
}

/* Runs the stream's pending operations with sequence number below seq. */
static void run_until(Stream* s, size_t seq) {
  while (s->head < s->n && s->base + s->head < seq) {
    Op op = s->ops[s->head++];
    run_op(&op);
  }
  if (s->head == s->n) {
    s->base += s->n;
    s->head = s->n = 0;
  }
}

static void drain(Stream* s) { run_until(s, (size_t)-1); }

static void drain_all(void) {
  drain(&legacy);
  for (int i = 0; i < MAX_STREAMS; ++i)
    if (live[i]) drain(live[i]);
}

/* Queues op on s; returns its sequence number. */
static size_t enqueue(Stream* s, Op op) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    s->ops = realloc(s->ops, s->cap * sizeof(Op));
  }
  s->ops[s->n] = op;
  return s->base + s->n++;
}

/* Calls fix on every pending operation of every stream. */
static void each_pending(void (*fix)(Op*, void*), void* arg) {
  for (int i = -1; i < MAX_STREAMS; ++i) {
    Stream* s = i < 0 ? &legacy : live[i];
    if (s)
      for (size_t k = s->head; k < s->n; ++k) fix(&s->ops[k], arg);
  }
}

static void forget_stream(Op* op, void* s) { if (op->kind == OP_WAIT && op->wait == s) op->wait = NULL; }
static void forget_event(Op* op, void* e) { if (op->kind == OP_RECORD && op->event == e) op->event = NULL; }

static int (*emu_launch)(const char*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                         unsigned, void**, char*, size_t);
static int (*emu_signature)(const char*, char*, size_t);
static int initialised;
static int dummy_ctx;
/* Like the real driver, the current context is per thread: calls that need one fail with
 * CUDA_ERROR_INVALID_CONTEXT on a thread that has not called cuCtxSetCurrent. */
static __thread int has_ctx;
#define NEED_CTX() do { if (!has_ctx) return INVALID_CONTEXT; } while (0)
/* KILN_FAKE_CUDA_CC=90 makes the device compute capability 9.0 (default 8.0). */
static int cc_major = 8, cc_minor = 0;
/* KILN_FAKE_CUDA_FAULT=<kernel>: a launch of that kernel succeeds but leaves a sticky
 * CUDA_ERROR_ILLEGAL_ADDRESS, returned from then on by every synchronize, copy, allocation, free
 * and launch, like a real device fault surfacing asynchronously. */
static const char* fault_kernel;
static int sticky;
#define STICKY() do { if (sticky) return sticky; } while (0)
/* Device memory: every live allocation's size, and their sum against the device size. */
static size_t device_bytes = (size_t)1 << 30, used_bytes;
typedef struct { void* p; size_t n; } Alloc;
static Alloc* allocs;
static size_t n_allocs, cap_allocs;

CUresult cuInit(unsigned flags) {
  const char* path = getenv("KILN_FAKE_CUDA_EMU");
  if (!path) return NO_DEVICE;
  void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "fake libcuda: %s\n", dlerror());
    return NO_DEVICE;
  }
  const char* cc = getenv("KILN_FAKE_CUDA_CC");
  if (cc && strlen(cc) == 2 && cc[0] >= '1' && cc[0] <= '9' && cc[1] >= '0' && cc[1] <= '9') {
    cc_major = cc[0] - '0';
    cc_minor = cc[1] - '0';
  }
  fault_kernel = getenv("KILN_FAKE_CUDA_FAULT");
  const char* mem = getenv("KILN_FAKE_CUDA_MEMORY");
  if (mem && *mem) {
    char* end;
    unsigned long long v = strtoull(mem, &end, 10);
    if (*end || v == 0) {
      fprintf(stderr, "fake libcuda: KILN_FAKE_CUDA_MEMORY='%s' is not a positive byte count\n", mem);
      return INVALID_VALUE;
    }
    device_bytes = (size_t)v;
  }
  emu_launch = dlsym(lib, "kiln_emu_launch");
  emu_signature = dlsym(lib, "kiln_emu_kernel_signature");
  initialised = emu_launch && emu_signature;
  return initialised ? OK : NO_DEVICE;
}

CUresult cuGetErrorName(CUresult e, const char** s) {
  switch (e) {
    case OK: *s = "CUDA_SUCCESS"; break;
    case INVALID_VALUE: *s = "CUDA_ERROR_INVALID_VALUE"; break;
    case OUT_OF_MEMORY: *s = "CUDA_ERROR_OUT_OF_MEMORY"; break;
    case NO_BINARY_FOR_GPU: *s = "CUDA_ERROR_NO_BINARY_FOR_GPU"; break;
    case UNSUPPORTED_PTX_VERSION: *s = "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"; break;
    case NO_DEVICE: *s = "CUDA_ERROR_NO_DEVICE"; break;
    case INVALID_IMAGE: *s = "CUDA_ERROR_INVALID_IMAGE"; break;
    case INVALID_CONTEXT: *s = "CUDA_ERROR_INVALID_CONTEXT"; break;
    case ILLEGAL_ADDRESS: *s = "CUDA_ERROR_ILLEGAL_ADDRESS"; break;
    case INVALID_HANDLE: *s = "CUDA_ERROR_INVALID_HANDLE"; break;
    case NOT_FOUND: *s = "CUDA_ERROR_NOT_FOUND"; break;
    case LAUNCH_FAILED: *s = "CUDA_ERROR_LAUNCH_FAILED"; break;
    default: *s = "CUDA_ERROR_UNKNOWN"; break;
  }
  return OK;
}

CUresult cuDeviceGetCount(int* n) { *n = initialised ? 1 : 0; return initialised ? OK : NOT_INITIALIZED; }
CUresult cuDevicePrimaryCtxRetain(void** ctx, int dev) { *ctx = &dummy_ctx; return dev == 0 ? OK : INVALID_VALUE; }
CUresult cuDevicePrimaryCtxRelease_v2(int dev) { return OK; }
CUresult cuCtxSetCurrent(void* ctx) {
  if (ctx != &dummy_ctx) return INVALID_VALUE;
  has_ctx = 1;
  return OK;
}
CUresult cuCtxSynchronize(void) { STICKY(); drain_all(); return OK; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return OK; }
CUresult cuDeviceTotalMem_v2(size_t* bytes, int dev) { *bytes = device_bytes; return OK; }

CUresult cuDeviceGetAttribute(int* v, int attrib, int dev) {
  *v = attrib == 75 ? cc_major : attrib == 76 ? cc_minor : 0; /* compute capability major, minor */
  return OK;
}

CUresult cuDeviceGetName(char* name, int len, int dev) {
  snprintf(name, (size_t)len, "Kiln fake CUDA device (SIMT emulator)");
  return OK;
}

/* The SM architecture (e.g. 80, 90) of a CUDA ELF image, or -1 when it is not one. ELF ABI
 * version 8 and later (CUDA 12.8+) keep it in bits 8..15 of e_flags, older ones in bits 0..7. */
static int cubin_arch(const unsigned char* e, size_t* size) {
  if (memcmp(e, "\x7f" "ELF", 4) != 0 || e[4] != 2 /* 64-bit */) return -1;
  unsigned short machine, phentsize, phnum, shentsize, shnum;
  unsigned flags;
  unsigned long long phoff, shoff;
  memcpy(&machine, e + 18, 2);
  memcpy(&phoff, e + 32, 8);
  memcpy(&shoff, e + 40, 8);
  memcpy(&flags, e + 48, 4);
  memcpy(&phentsize, e + 54, 2);
  memcpy(&phnum, e + 56, 2);
  memcpy(&shentsize, e + 58, 2);
  memcpy(&shnum, e + 60, 2);
  if (machine != 190 /* EM_CUDA */) return -1;
  /* The section and program header tables come last in ptxas's output: the image ends with them. */
  unsigned long long sh_end = shoff + (unsigned long long)shentsize * shnum, ph_end = phoff + (unsigned long long)phentsize * phnum;
  *size = (size_t)(sh_end > ph_end ? sh_end : ph_end);
  return e[8] >= 8 ? (int)((flags >> 8) & 0xff) : (int)(flags & 0xff);
}

/* Whether SASS for sm_<arch> runs on this device: same major version and a minor no newer than
 * the device's; an architecture-specific target (sm_90a and later) only on exactly its device. */
static int runs_here(int arch) {
  int cc = cc_major * 10 + cc_minor;
  if (arch >= 90) return arch == cc;
  return arch / 10 == cc_major && arch % 10 <= cc_minor;
}

CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned n, int* options, void** values) {
  NEED_CTX();
  if (!image || !module) return INVALID_VALUE;
  const unsigned char* bytes = image;
  Module* m = calloc(1, sizeof(Module));
  m->magic = MODULE_MAGIC;
  size_t size = 0;
  int arch = cubin_arch(bytes, &size);
  if (arch >= 0) {
    if (!runs_here(arch)) { free(m); return NO_BINARY_FOR_GPU; }
    m->sass = 1;
  } else {
    const char* ptx = image;
    const char* version = strstr(ptx, "\n.version ");
    const char* target = strstr(ptx, "\n.target ");
    if (!version || !target) { free(m); return INVALID_IMAGE; }
    int major = 0, minor = 0, sm = 0;
    char suffix = 0;
    if (sscanf(version, "\n.version %d.%d", &major, &minor) != 2) { free(m); return INVALID_IMAGE; }
    if (major > 9 || (major == 9 && minor > 0)) { free(m); return UNSUPPORTED_PTX_VERSION; }
    if (sscanf(target, "\n.target sm_%d%c", &sm, &suffix) < 1) { free(m); return INVALID_IMAGE; }
    int cc = cc_major * 10 + cc_minor;
    if (suffix == 'a' ? sm != cc : sm > cc) { free(m); return NO_BINARY_FOR_GPU; }
    size = strlen(ptx);
  }
  m->image = malloc(size + 1);
  memcpy(m->image, image, size);
  m->image[size] = 0;
  m->size = size;
  *module = m;
  return OK;
}

CUresult cuModuleLoadData(void** module, const void* image) { return cuModuleLoadDataEx(module, image, 0, NULL, NULL); }

CUresult cuModuleUnload(void* module) {
  Module* m = module;
  if (!m || m->magic != MODULE_MAGIC) return INVALID_HANDLE;
  m->magic = 0;
  free(m->image);
  free(m);
  return OK;
}

CUresult cuModuleGetFunction(void** f, void* module, const char* name) {
  NEED_CTX();
  Module* m = module;
  if (!m || m->magic != MODULE_MAGIC || !initialised) return INVALID_HANDLE;
  /* The entry point must be in the image: a cubin has a section .text.<name>, PTX an .entry <name>(. */
  char key[300];
  int k = m->sass ? snprintf(key, sizeof key, ".text.%s", name) : snprintf(key, sizeof key, ".entry %s(", name);
  if (k <= 0 || (size_t)k >= sizeof key) return INVALID_VALUE;
  if (!memmem(m->image, m->size, key, (size_t)k + (m->sass ? 1 : 0))) return NOT_FOUND; /* cubin: with its NUL */
  if (emu_signature(name, NULL, 0) < 0) return NOT_FOUND;
  Func* fn = calloc(1, sizeof(Func));
  snprintf(fn->name, sizeof fn->name, "%s", name);
  *f = fn;
  return OK;
}

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
  NEED_CTX();
  STICKY();
  if (bytes == 0) return INVALID_VALUE;
  size_t n = (bytes + 255) & ~(size_t)255;
  if (n > device_bytes - used_bytes) return OUT_OF_MEMORY;
  void* m = aligned_alloc(256, n);
  if (!m) return OUT_OF_MEMORY;
  if (n_allocs == cap_allocs) {
    cap_allocs = cap_allocs ? 2 * cap_allocs : 256;
    allocs = realloc(allocs, cap_allocs * sizeof(Alloc));
  }
  allocs[n_allocs].p = m;
  allocs[n_allocs++].n = n;
  used_bytes += n;
  *p = (CUdeviceptr)(size_t)m;
  return OK;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
  NEED_CTX();
  STICKY();
  drain_all();
  for (size_t i = n_allocs; i-- > 0;) {
    if (allocs[i].p == (void*)(size_t)p) {
      used_bytes -= allocs[i].n;
      allocs[i] = allocs[--n_allocs];
      free((void*)(size_t)p);
      return OK;
    }
  }
  return INVALID_VALUE;
}
CUresult cuMemAllocHost_v2(void** p, size_t bytes) { *p = malloc(bytes); return *p ? OK : 2; }
CUresult cuMemFreeHost(void* p) { drain_all(); free(p); return OK; }
/* Synchronous copies and memsets: on the legacy stream, which they run first. */
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void* s, size_t n) { drain(&legacy); memcpy((void*)(size_t)d, s, n); return OK; }
CUresult cuMemcpyDtoH_v2(void* d, CUdeviceptr s, size_t n) { STICKY(); drain(&legacy); memcpy(d, (void*)(size_t)s, n); return OK; }
CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { drain(&legacy); memmove((void*)(size_t)d, (void*)(size_t)s, n); return OK; }
CUresult cuMemsetD8_v2(CUdeviceptr d, unsigned char v, size_t n) { drain(&legacy); memset((void*)(size_t)d, v, n); return OK; }
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) {
  drain(&legacy);
  unsigned* p = (unsigned*)(size_t)d;
  for (size_t i = 0; i < n; ++i) p[i] = v;
  return OK;
}

static CUresult queue(void* stream, int kind, void* dst, const void* src, size_t n, unsigned value) {
  Stream* s = stream_of(stream);
  if (!s) return INVALID_HANDLE;
  if (n && (!dst || (kind <= OP_DTOD && !src))) return INVALID_VALUE;
  Op op = {kind, dst, src, n, value, NULL, NULL, 0};
  enqueue(s, op);
  return OK;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void* s, size_t n, void* st) { return queue(st, OP_HTOD, (void*)(size_t)d, s, n, 0); }
CUresult cuMemcpyDtoHAsync_v2(void* d, CUdeviceptr s, size_t n, void* st) { return queue(st, OP_DTOH, d, (void*)(size_t)s, n, 0); }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, void* st) {
  return queue(st, OP_DTOD, (void*)(size_t)d, (void*)(size_t)s, n, 0);
}
CUresult cuMemsetD8Async(CUdeviceptr d, unsigned char v, size_t n, void* st) { return queue(st, OP_MEMSET8, (void*)(size_t)d, NULL, n, v); }
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned v, size_t n, void* st) { return queue(st, OP_MEMSET32, (void*)(size_t)d, NULL, n, v); }

CUresult cuStreamCreate(void** out, unsigned flags) {
  NEED_CTX();
  if (flags != 1) return INVALID_VALUE; /* Kiln asks for CU_STREAM_NON_BLOCKING */
  for (int i = 0; i < MAX_STREAMS; ++i) {
    if (!live[i]) {
      Stream* s = calloc(1, sizeof(Stream));
      s->magic = STREAM_MAGIC;
      live[i] = s;
      *out = s;
      return OK;
    }
  }
  return 2; /* out of memory */
}

CUresult cuStreamDestroy_v2(void* h) {
  for (int i = 0; i < MAX_STREAMS; ++i) {
    if (h && live[i] == h) {
      Stream* s = live[i];
      drain(s); /* queued work still completes */
      live[i] = NULL;
      for (int j = 0; j < MAX_EVENTS; ++j)
        if (live_events[j] && live_events[j]->stream == s) live_events[j]->stream = NULL;
      each_pending(forget_stream, s);
      free(s->ops);
      free(s);
      return OK;
    }
  }
  return INVALID_HANDLE;
}

CUresult cuStreamSynchronize(void* h) {
  Stream* s = stream_of(h);
  if (!s) return INVALID_HANDLE;
  STICKY();
  drain(s);
  return OK;
}

CUresult cuStreamWaitEvent(void* h, void* e, unsigned flags) {
  Stream* s = stream_of(h);
  Event* ev = event_of(e);
  if (!s || !ev) return INVALID_HANDLE;
  if (flags != 0) return INVALID_VALUE;
  if (!ev->stream || ev->stream == s) return OK; /* never recorded, or same stream: already ordered */
  Op op = {OP_WAIT, NULL, NULL, 0, 0, NULL, ev->stream, ev->seq + 1};
  enqueue(s, op);
  return OK;
}

CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned smem, void* stream, void** params, void** extra) {
  NEED_CTX();
  Stream* s = stream_of(stream);
  if (!s) return INVALID_HANDLE;
  if (!f || !params || extra) return INVALID_VALUE;
  STICKY();
  drain(s);
  char err[512];
  int rc = emu_launch(((Func*)f)->name, gx, gy, gz, bx, by, bz, smem, params, err, sizeof err);
  if (rc == 0 && fault_kernel && strcmp(((Func*)f)->name, fault_kernel) == 0) sticky = ILLEGAL_ADDRESS;
  if (rc == 0) return OK;
  fprintf(stderr, "fake libcuda: %s: %s\n", ((Func*)f)->name, err);
  return rc == 2 ? INVALID_VALUE : LAUNCH_FAILED;
}

CUresult cuEventCreate(void** e, unsigned flags) {
  NEED_CTX();
  if (flags & ~7u) return INVALID_VALUE; /* CU_EVENT_BLOCKING_SYNC | DISABLE_TIMING | INTERPROCESS */
  for (int i = 0; i < MAX_EVENTS; ++i) {
    if (!live_events[i]) {
      Event* ev = calloc(1, sizeof(Event));
      ev->magic = EVENT_MAGIC;
      ev->flags = flags;
      live_events[i] = ev;
      *e = ev;
      return OK;
    }
  }
  return 2;
}

CUresult cuEventDestroy_v2(void* e) {
  for (int i = 0; i < MAX_EVENTS; ++i) {
    if (e && live_events[i] == e) {
      each_pending(forget_event, live_events[i]); /* waits queued on it keep their own copy */
      free(live_events[i]);
      live_events[i] = NULL;
      return OK;
    }
  }
  return INVALID_HANDLE;
}

CUresult cuEventSynchronize(void* e) {
  Event* ev = event_of(e);
  if (!ev) return INVALID_HANDLE;
  STICKY();
  if (ev->stream) run_until(ev->stream, ev->seq + 1);
  return OK;
}

CUresult cuEventRecord(void* e, void* stream) {
  Event* ev = event_of(e);
  Stream* s = stream_of(stream);
  if (!ev || !s) return INVALID_HANDLE;
  Op op = {OP_RECORD, NULL, NULL, 0, 0, ev, NULL, 0};
  ev->stream = s;
  ev->seq = enqueue(s, op);
  return OK;
}

CUresult cuEventElapsedTime_v2(float* ms, void* a, void* b) {
  Event* ea = event_of(a);
  Event* eb = event_of(b);
  if (!ea || !eb) return INVALID_HANDLE;
  if ((ea->flags | eb->flags) & 2u) return INVALID_HANDLE; /* CU_EVENT_DISABLE_TIMING: no timestamps */
  if (ea->stream) run_until(ea->stream, ea->seq + 1);
  if (eb->stream) run_until(eb->stream, eb->seq + 1);
  *ms = (float)(eb->ms - ea->ms);
  return OK;
}
