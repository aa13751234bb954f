/* Test double of the NVIDIA driver library (libcuda.so.1) for machines without a GPU.
 *
 * It implements the driver-API calls kiln-cuda's JavaCppDriver makes, with host memory as
 * device memory, and runs cuLaunchKernel through Kiln's SIMT emulator (the library named by
 * KILN_FAKE_CUDA_EMU), passing on the kernelParams array unchanged. Put the directory holding
 * this libcuda.so.1 first on LD_LIBRARY_PATH, and JavaCPP's real bindings, the real
 * JavaCppDriver code (PointerPointer marshalling, pinned staging, PTX module loading, error
 * checks) run end to end. The PTX image is checked to be PTX text and otherwise ignored: the
 * kernel with the requested name is looked up in the emulator library instead. Test use only. */
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
typedef struct { double ms; } Event;

enum {
  OK = 0, INVALID_VALUE = 1, NOT_INITIALIZED = 3, NO_DEVICE = 100, INVALID_IMAGE = 200,
  NOT_FOUND = 500, LAUNCH_FAILED = 719
};

static int (*emu_launch)(const char*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                         unsigned, void**, char*, size_t);
static int (*emu_signature)(const char*, char*, size_t);
static int initialised;
static int dummy_ctx, dummy_module;

CUresult cuInit(unsigned flags) {
  const char* path = getenv("KILN_FAKE_CUDA_EMU");
  if (!path) return NO_DEVICE;
  void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "fake libcuda: %s\n", dlerror());
    return NO_DEVICE;
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
    case NO_DEVICE: *s = "CUDA_ERROR_NO_DEVICE"; break;
    case INVALID_IMAGE: *s = "CUDA_ERROR_INVALID_IMAGE"; break;
    case NOT_FOUND: *s = "CUDA_ERROR_NOT_FOUND"; break;
    case LAUNCH_FAILED: *s = "CUDA_ERROR_LAUNCH_FAILED"; break;
    default: *s = "CUDA_ERROR_UNKNOWN"; break;
  }
  return OK;
}

CUresult cuDeviceGetCount(int* n) { *n = initialised ? 1 : 0; return initialised ? OK : NOT_INITIALIZED; }
CUresult cuDevicePrimaryCtxRetain(void** ctx, int dev) { *ctx = &dummy_ctx; return dev == 0 ? OK : INVALID_VALUE; }
CUresult cuDevicePrimaryCtxRelease_v2(int dev) { return OK; }
CUresult cuCtxSetCurrent(void* ctx) { return ctx == &dummy_ctx ? OK : INVALID_VALUE; }
CUresult cuCtxSynchronize(void) { return OK; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return OK; }
CUresult cuDeviceTotalMem_v2(size_t* bytes, int dev) { *bytes = (size_t)1 << 30; return OK; }

CUresult cuDeviceGetAttribute(int* v, int attrib, int dev) {
  *v = attrib == 75 ? 8 : 0; /* compute capability 8.0 */
  return OK;
}

CUresult cuDeviceGetName(char* name, int len, int dev) {
  snprintf(name, (size_t)len, "Kiln fake CUDA device (SIMT emulator)");
  return OK;
}

CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned n, int* options, void** values) {
  const char* ptx = image;
  if (!ptx || !strstr(ptx, ".version") || !strstr(ptx, ".target")) return INVALID_IMAGE;
  *module = &dummy_module;
  return OK;
}

CUresult cuModuleUnload(void* module) { return OK; }

CUresult cuModuleGetFunction(void** f, void* module, const char* name) {
  if (module != &dummy_module || !initialised) return INVALID_VALUE;
  if (emu_signature(name, NULL, 0) < 0) return NOT_FOUND;
  Func* fn = calloc(1, sizeof(Func));
  snprintf(fn->name, sizeof fn->name, "%s", name);
  *f = fn;
  return OK;
}

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
  void* m = aligned_alloc(256, (bytes + 255) & ~(size_t)255);
  *p = (CUdeviceptr)(size_t)m;
  return m ? OK : 2;
}
CUresult cuMemFree_v2(CUdeviceptr p) { free((void*)(size_t)p); return OK; }
CUresult cuMemAllocHost_v2(void** p, size_t bytes) { *p = malloc(bytes); return *p ? OK : 2; }
CUresult cuMemFreeHost(void* p) { free(p); return OK; }
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void* s, size_t n) { memcpy((void*)(size_t)d, s, n); return OK; }
CUresult cuMemcpyDtoH_v2(void* d, CUdeviceptr s, size_t n) { memcpy(d, (void*)(size_t)s, n); return OK; }
CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { memmove((void*)(size_t)d, (void*)(size_t)s, n); return OK; }
CUresult cuMemsetD8_v2(CUdeviceptr d, unsigned char v, size_t n) { memset((void*)(size_t)d, v, n); return OK; }
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) {
  unsigned* p = (unsigned*)(size_t)d;
  for (size_t i = 0; i < n; ++i) p[i] = v;
  return OK;
}

CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned smem, void* stream, void** params, void** extra) {
  if (!f || !params || extra) return INVALID_VALUE;
  char err[512];
  int rc = emu_launch(((Func*)f)->name, gx, gy, gz, bx, by, bz, smem, params, err, sizeof err);
  if (rc == 0) return OK;
  fprintf(stderr, "fake libcuda: %s: %s\n", ((Func*)f)->name, err);
  return rc == 2 ? INVALID_VALUE : LAUNCH_FAILED;
}

CUresult cuEventCreate(void** e, unsigned flags) { *e = calloc(1, sizeof(Event)); return OK; }
CUresult cuEventDestroy_v2(void* e) { free(e); return OK; }
CUresult cuEventSynchronize(void* e) { return OK; }
CUresult cuEventRecord(void* e, void* stream) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  ((Event*)e)->ms = t.tv_sec * 1e3 + t.tv_nsec / 1e6;
  return OK;
}
CUresult cuEventElapsedTime_v2(float* ms, void* a, void* b) {
  *ms = (float)(((Event*)b)->ms - ((Event*)a)->ms);
  return OK;
}
