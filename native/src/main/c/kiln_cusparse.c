/* JNI shim for cuSPARSE's generic SpMM (dev.kiln.cuda.CusparseNative), the vendor path of the
 * sparse family (kiln.cuda.impl.spmm=vendor).
 *
 * JavaCPP's cuSPARSE bindings lack cusparseCreateCsr, cusparseCreateDnMat, cusparseSpMM and
 * cusparseSpMM_bufferSize, so this library dlopens libcusparse.so.12 (the cuSPARSE of CUDA 12 and
 * 13) and calls them through function pointers. No cuSPARSE header is needed at build time: the
 * handful of types are opaque pointers and the enum values below are those of cusparse.h (also
 * JavaCPP's org.bytedeco.cuda.global.cusparse constants). The caller makes its CUDA context
 * current on the calling thread before every call. */
#include <jni.h>

#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
  OP_NON_TRANSPOSE = 0,   /* CUSPARSE_OPERATION_NON_TRANSPOSE */
  INDEX_32I = 2,          /* CUSPARSE_INDEX_32I */
  INDEX_BASE_ZERO = 0,    /* CUSPARSE_INDEX_BASE_ZERO */
  R_32F = 0,              /* CUDA_R_32F */
  ORDER_ROW = 2           /* CUSPARSE_ORDER_ROW */
};

typedef void* handle_t;
typedef void* spmat_t;
typedef void* dnmat_t;

static int (*p_create)(handle_t*);
static int (*p_destroy)(handle_t);
static int (*p_set_stream)(handle_t, void*);
static int (*p_create_csr)(spmat_t*, int64_t, int64_t, int64_t, void*, void*, void*, int, int, int, int);
static int (*p_destroy_spmat)(spmat_t);
static int (*p_create_dnmat)(dnmat_t*, int64_t, int64_t, int64_t, void*, int, int);
static int (*p_destroy_dnmat)(dnmat_t);
static int (*p_dnmat_set_values)(dnmat_t, void*);
static int (*p_spmm_buffer_size)(handle_t, int, int, const void*, spmat_t, dnmat_t, const void*, dnmat_t, int, int, size_t*);
static int (*p_spmm)(handle_t, int, int, const void*, spmat_t, dnmat_t, const void*, dnmat_t, int, int, void*);
static const char* (*p_error_string)(int);
static void* g_lib;

#define JNI_FN(name) Java_dev_kiln_cuda_CusparseNative_##name

/* Returns null when cuSPARSE is loaded, else the reason. */
JNIEXPORT jstring JNICALL JNI_FN(open)(JNIEnv* env, jclass cls) {
  if (g_lib) return NULL;
  void* lib = dlopen("libcusparse.so.12", RTLD_NOW | RTLD_LOCAL);
  if (!lib) lib = dlopen("libcusparse.so", RTLD_NOW | RTLD_LOCAL);
  if (!lib) return (*env)->NewStringUTF(env, dlerror());
#define SYM(var, name)                                                        \
  do {                                                                        \
    *(void**)(&var) = dlsym(lib, name);                                       \
    if (!var) {                                                               \
      dlclose(lib);                                                           \
      return (*env)->NewStringUTF(env, "libcusparse has no symbol " name);  \
    }                                                                         \
  } while (0)
  SYM(p_create, "cusparseCreate");
  SYM(p_destroy, "cusparseDestroy");
  SYM(p_set_stream, "cusparseSetStream");
  SYM(p_create_csr, "cusparseCreateCsr");
  SYM(p_destroy_spmat, "cusparseDestroySpMat");
  SYM(p_create_dnmat, "cusparseCreateDnMat");
  SYM(p_destroy_dnmat, "cusparseDestroyDnMat");
  SYM(p_dnmat_set_values, "cusparseDnMatSetValues");
  SYM(p_spmm_buffer_size, "cusparseSpMM_bufferSize");
  SYM(p_spmm, "cusparseSpMM");
  SYM(p_error_string, "cusparseGetErrorString");
#undef SYM
  g_lib = lib;
  return NULL;
}

JNIEXPORT jstring JNICALL JNI_FN(errorString)(JNIEnv* env, jclass cls, jint status) {
  const char* s = p_error_string ? p_error_string(status) : NULL;
  return (*env)->NewStringUTF(env, s ? s : "unknown cuSPARSE status");
}

/* out[0] = handle. */
JNIEXPORT jint JNICALL JNI_FN(create)(JNIEnv* env, jclass cls, jlongArray out) {
  handle_t h = NULL;
  int rc = p_create(&h);
  jlong v = (jlong)(intptr_t)h;
  (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
  return rc;
}

JNIEXPORT jint JNICALL JNI_FN(destroy)(JNIEnv* env, jclass cls, jlong handle) {
  return p_destroy((handle_t)(intptr_t)handle);
}

typedef struct {
  spmat_t a;
  dnmat_t x, y;
} plan_t;

static void release(plan_t* p) {
  if (p->a) p_destroy_spmat(p->a);
  if (p->x) p_destroy_dnmat(p->x);
  if (p->y) p_destroy_dnmat(p->y);
  free(p);
}

/* Descriptors for Y[rows, n] = A[rows, cols] X[cols, n] (CSR int32, row-major fp32) and the
 * workspace cusparseSpMM needs: out[0] = plan, out[1] = workspace bytes. x and y are only
 * placeholders here (cusparseSpMM_bufferSize looks at them); run() sets the real ones. */
JNIEXPORT jint JNICALL JNI_FN(plan)(JNIEnv* env, jclass cls, jlong handle, jlong rows, jlong cols, jlong nnz,
                                    jlong row_ptr, jlong col, jlong val, jlong n, jlong x, jlong y, jint alg,
                                    jlongArray out) {
  plan_t* p = calloc(1, sizeof *p);
  if (!p) return -1;
  int rc = p_create_csr(&p->a, rows, cols, nnz, (void*)(intptr_t)row_ptr, (void*)(intptr_t)col, (void*)(intptr_t)val,
                        INDEX_32I, INDEX_32I, INDEX_BASE_ZERO, R_32F);
  if (!rc) rc = p_create_dnmat(&p->x, cols, n, n, (void*)(intptr_t)x, R_32F, ORDER_ROW);
  if (!rc) rc = p_create_dnmat(&p->y, rows, n, n, (void*)(intptr_t)y, R_32F, ORDER_ROW);
  size_t bytes = 0;
  const float one = 1.0f, zero = 0.0f;
  if (!rc)
    rc = p_spmm_buffer_size((handle_t)(intptr_t)handle, OP_NON_TRANSPOSE, OP_NON_TRANSPOSE, &one, p->a, p->x, &zero, p->y,
                            R_32F, alg, &bytes);
  if (rc) {
    release(p);
    return rc;
  }
  jlong v[2] = {(jlong)(intptr_t)p, (jlong)bytes};
  (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  return 0;
}

/* Y = A X on `stream` (a CUstream, 0 for the legacy default stream). */
JNIEXPORT jint JNICALL JNI_FN(run)(JNIEnv* env, jclass cls, jlong handle, jlong plan, jlong stream, jlong x, jlong y,
                                   jlong workspace, jint alg) {
  plan_t* p = (plan_t*)(intptr_t)plan;
  handle_t h = (handle_t)(intptr_t)handle;
  int rc = p_set_stream(h, (void*)(intptr_t)stream);
  if (!rc) rc = p_dnmat_set_values(p->x, (void*)(intptr_t)x);
  if (!rc) rc = p_dnmat_set_values(p->y, (void*)(intptr_t)y);
  const float one = 1.0f, zero = 0.0f;
  if (!rc)
    rc = p_spmm(h, OP_NON_TRANSPOSE, OP_NON_TRANSPOSE, &one, p->a, p->x, &zero, p->y, R_32F, alg,
                (void*)(intptr_t)workspace);
  return rc;
}

JNIEXPORT void JNICALL JNI_FN(release)(JNIEnv* env, jclass cls, jlong plan) {
  release((plan_t*)(intptr_t)plan);
}
