/* Test double of the NVIDIA driver library (libcuda.so.1) for machines without a GPU.
 *
 * It implements the driver-API calls kiln-cuda's JavaCppDriver makes, with host memory as
 * device memory, and runs cuLaunchKernel through Kiln's SIMT emulator (the library named by
 * KILN_FAKE_CUDA_EMU), passing on the kernelParams array unchanged. Put the directory holding
 * this libcuda.so.1 first on LD_LIBRARY_PATH, and JavaCPP's real bindings, the real
 * JavaCppDriver code (PointerPointer marshalling, pinned staging, PTX module loading, error
 * checks) run end to end. The PTX image is checked to be PTX text and otherwise ignored: the
 * kernel with the requested name is looked up in the emulator library instead. Test use only.
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
#define _POSIX_C_SOURCE 200809L
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
typedef struct { unsigned magic; double ms; Stream* stream; size_t seq; } Event;

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
  OK = 0, INVALID_VALUE = 1, NOT_INITIALIZED = 3, NO_DEVICE = 100, INVALID_IMAGE = 200, INVALID_CONTEXT = 201,
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
static int dummy_ctx, dummy_module;
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
  emu_launch = dlsym(lib, "kiln_emu_launch");
  emu_signature = dlsym(lib, "kiln_emu_kernel_signature");
  initialised = emu_launch && emu_signature;
  return initialised ? OK : NO_DEVICE;
}

CUresult cuGetErrorName(CUresult e, const char** s) {
  switch (e) {
    case OK: *s = "CUDA_SUCCESS"; break;
    case INVALID_VALUE: *s = "CUDA_ERROR_INVALID_VALUE"; break;
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
CUresult cuDeviceTotalMem_v2(size_t* bytes, int dev) { *bytes = (size_t)1 << 30; return OK; }

CUresult cuDeviceGetAttribute(int* v, int attrib, int dev) {
  *v = attrib == 75 ? cc_major : attrib == 76 ? cc_minor : 0; /* compute capability major, minor */
  return OK;
}

CUresult cuDeviceGetName(char* name, int len, int dev) {
  snprintf(name, (size_t)len, "Kiln fake CUDA device (SIMT emulator)");
  return OK;
}

CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned n, int* options, void** values) {
  NEED_CTX();
  const char* ptx = image;
  if (!ptx || !strstr(ptx, ".version") || !strstr(ptx, ".target")) return INVALID_IMAGE;
  *module = &dummy_module;
  return OK;
}

CUresult cuModuleUnload(void* module) { return OK; }

CUresult cuModuleGetFunction(void** f, void* module, const char* name) {
  NEED_CTX();
  if (module != &dummy_module || !initialised) return INVALID_VALUE;
  if (emu_signature(name, NULL, 0) < 0) return NOT_FOUND;
  Func* fn = calloc(1, sizeof(Func));
  snprintf(fn->name, sizeof fn->name, "%s", name);
  *f = fn;
  return OK;
}

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
  NEED_CTX();
  STICKY();
  void* m = aligned_alloc(256, (bytes + 255) & ~(size_t)255);
  *p = (CUdeviceptr)(size_t)m;
  return m ? OK : 2;
}
CUresult cuMemFree_v2(CUdeviceptr p) { NEED_CTX(); STICKY(); drain_all(); free((void*)(size_t)p); return OK; }
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
  for (int i = 0; i < MAX_EVENTS; ++i) {
    if (!live_events[i]) {
      Event* ev = calloc(1, sizeof(Event));
      ev->magic = EVENT_MAGIC;
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
  if (ea->stream) run_until(ea->stream, ea->seq + 1);
  if (eb->stream) run_until(eb->stream, eb->seq + 1);
  *ms = (float)(eb->ms - ea->ms);
  return OK;
}
