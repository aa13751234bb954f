package dev.kiln.cuda;

import java.nio.ByteBuffer;

/** JNI entry points of {@code libkiln_cuda_emu.so} (native/src/main/c/kiln_cuda_emu.c). */
final class EmulatorNative {

    private EmulatorNative() {
    }

    /** dlopens the emulator library; returns null or the reason it failed. */
    static native String open(String emulatorLibrary);

    static native long malloc(long bytes);

    static native void free(long ptr);

    static native void copyFromArray(Object array, long arrayOffset, long dst, long bytes);

    static native void copyToArray(long src, Object array, long arrayOffset, long bytes);

    static native void copy(long dst, long src, long bytes);

    static native void memsetD8(long dst, byte value, long bytes);

    static native void memsetD32(long dst, int value, long count);

    static native long address(ByteBuffer direct);

    /** The kernel's parameter list, or null when the emulator library has no such kernel. */
    static native String signature(String kernel);

    /** Registered kernel names, one per line. */
    static native String kernelNames();

    static native void setSeed(long seed);

    static native void setThreads(int threads);

    /** Runs a kernel; returns null or {@code "<code>: <message>"}. */
    static native String launch(String kernel, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes,
                                long args);
}
