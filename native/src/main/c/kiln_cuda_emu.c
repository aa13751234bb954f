/* JNI side of Kiln's emulated CUDA driver (dev.kiln.cuda.EmulatorDriver).
 *
 * Device memory is host memory: "device pointers" are addresses from
 * aligned_alloc. Kernels run in the SIMT emulator library (libkiln_emu.so),
 * opened with dlopen at init and launched through kiln_emu_launch with the
 * same void** argument array the real driver passes to cuLaunchKernel. */
#include <jni.h>

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln_emu.h"

typedef int (*launch_fn)(const char*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                         unsigned, void**, char*, size_t);
typedef int (*sig_fn)(const char*, char*, size_t);
typedef int (*names_fn)(char*, size_t);
typedef void (*seed_fn)(unsigned long long);
typedef void (*threads_fn)(int);

static void* g_lib;
static launch_fn g_launch;
static sig_fn g_signature;
static names_fn g_names;
static seed_fn g_seed;
static threads_fn g_threads;

#define JNI_FN(name) Java_dev_kiln_cuda_EmulatorNative_##name

/* Returns null on success, else a message. */
JNIEXPORT jstring JNICALL JNI_FN(open)(JNIEnv* env, jclass cls, jstring path) {
  if (g_lib) return NULL;
  const char* p = (*env)->GetStringUTFChars(env, path, NULL);
  void* lib = dlopen(p, RTLD_NOW | RTLD_LOCAL);
  (*env)->ReleaseStringUTFChars(env, path, p);
  if (!lib) return (*env)->NewStringUTF(env, dlerror());
  g_launch = (launch_fn)dlsym(lib, "kiln_emu_launch");
  g_signature = (sig_fn)dlsym(lib, "kiln_emu_kernel_signature");
  g_names = (names_fn)dlsym(lib, "kiln_emu_kernel_names");
  g_seed = (seed_fn)dlsym(lib, "kiln_emu_set_seed");
  g_threads = (threads_fn)dlsym(lib, "kiln_emu_set_threads");
  if (!g_launch || !g_signature || !g_names) {
    dlclose(lib);
    return (*env)->NewStringUTF(env, "the emulator library lacks kiln_emu_launch/kiln_emu_kernel_signature/kiln_emu_kernel_names");
  }
  g_lib = lib;
  return NULL;
}

JNIEXPORT jlong JNICALL JNI_FN(malloc)(JNIEnv* env, jclass cls, jlong bytes) {
  size_t n = ((size_t)bytes + 255) & ~(size_t)255;
  if (n == 0) n = 256;
  return (jlong)(intptr_t)aligned_alloc(256, n);
}

JNIEXPORT void JNICALL JNI_FN(free)(JNIEnv* env, jclass cls, jlong ptr) { free((void*)(intptr_t)ptr); }

JNIEXPORT void JNICALL JNI_FN(copyFromArray)(JNIEnv* env, jclass cls, jobject array, jlong off,
                                             jlong dst, jlong bytes) {
  char* a = (*env)->GetPrimitiveArrayCritical(env, (jarray)array, NULL);
  memcpy((void*)(intptr_t)dst, a + off, (size_t)bytes);
  (*env)->ReleasePrimitiveArrayCritical(env, (jarray)array, a, JNI_ABORT);
}

JNIEXPORT void JNICALL JNI_FN(copyToArray)(JNIEnv* env, jclass cls, jlong src, jobject array,
                                           jlong off, jlong bytes) {
  char* a = (*env)->GetPrimitiveArrayCritical(env, (jarray)array, NULL);
  memcpy(a + off, (const void*)(intptr_t)src, (size_t)bytes);
  (*env)->ReleasePrimitiveArrayCritical(env, (jarray)array, a, 0);
}

JNIEXPORT void JNICALL JNI_FN(copy)(JNIEnv* env, jclass cls, jlong dst, jlong src, jlong bytes) {
  memmove((void*)(intptr_t)dst, (const void*)(intptr_t)src, (size_t)bytes);
}

JNIEXPORT void JNICALL JNI_FN(memsetD8)(JNIEnv* env, jclass cls, jlong dst, jbyte v, jlong n) {
  memset((void*)(intptr_t)dst, (unsigned char)v, (size_t)n);
}

JNIEXPORT void JNICALL JNI_FN(memsetD32)(JNIEnv* env, jclass cls, jlong dst, jint v, jlong n) {
  uint32_t* p = (uint32_t*)(intptr_t)dst;
  for (jlong i = 0; i < n; ++i) p[i] = (uint32_t)v;
}

JNIEXPORT jlong JNICALL JNI_FN(address)(JNIEnv* env, jclass cls, jobject direct) {
  return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, direct);
}

/* Parameter list of a kernel, or null when the library has no such kernel. */
JNIEXPORT jstring JNICALL JNI_FN(signature)(JNIEnv* env, jclass cls, jstring name) {
  char buf[1024];
  const char* n = (*env)->GetStringUTFChars(env, name, NULL);
  int rc = g_signature(n, buf, sizeof buf);
  (*env)->ReleaseStringUTFChars(env, name, n);
  if (rc < 0) return NULL;
  buf[sizeof buf - 1] = 0;
  return (*env)->NewStringUTF(env, buf);
}

JNIEXPORT jstring JNICALL JNI_FN(kernelNames)(JNIEnv* env, jclass cls) {
  int need = g_names(NULL, 0);
  if (need <= 0) need = 1;
  char* buf = malloc((size_t)need + 1);
  g_names(buf, (size_t)need + 1);
  buf[need] = 0;
  jstring s = (*env)->NewStringUTF(env, buf);
  free(buf);
  return s;
}

JNIEXPORT void JNICALL JNI_FN(setSeed)(JNIEnv* env, jclass cls, jlong seed) {
  if (g_seed) g_seed((unsigned long long)seed);
}

JNIEXPORT void JNICALL JNI_FN(setThreads)(JNIEnv* env, jclass cls, jint n) {
  if (g_threads) g_threads(n);
}

/* Returns null on success, else "<code>: <message>". */
JNIEXPORT jstring JNICALL JNI_FN(launch)(JNIEnv* env, jclass cls, jstring name, jint gx, jint gy,
                                         jint gz, jint bx, jint by, jint bz, jint smem,
                                         jlong args) {
  char err[1024];
  err[0] = 0;
  const char* n = (*env)->GetStringUTFChars(env, name, NULL);
  int rc = g_launch(n, (unsigned)gx, (unsigned)gy, (unsigned)gz, (unsigned)bx, (unsigned)by,
                    (unsigned)bz, (unsigned)smem, (void**)(intptr_t)args, err, sizeof err);
  (*env)->ReleaseStringUTFChars(env, name, n);
  if (rc == 0) return NULL;
  char msg[1100];
  snprintf(msg, sizeof msg, "%d: %s", rc, err);
  return (*env)->NewStringUTF(env, msg);
}
