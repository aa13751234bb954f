package dev.kiln.cuda;

/** JNI entry points of {@code libkiln_cusparse.so} (native/src/main/c/kiln_cusparse.c). */
final class CusparseNative {

    private CusparseNative() {
    }

    /** dlopens libcusparse.so.12; returns null or the reason it failed. */
    static native String open();

    static native String errorString(int status);

    /** out[0] = a new cuSPARSE handle. */
    static native int create(long[] out);

    static native int destroy(long handle);

    /** Descriptors of {@code Y = A X} and its workspace: out[0] = plan, out[1] = workspace bytes. */
    static native int plan(long handle, long rows, long cols, long nnz, long rowPtr, long col, long val, long n, long x,
                           long y, int alg, long[] out);

    /** {@code cusparseSpMM} on {@code stream} with x and y set on the plan's dense descriptors. */
    static native int run(long handle, long plan, long stream, long x, long y, long workspace, int alg);

    static native void release(long plan);
}
