package dev.kiln.cuda;

import dev.kiln.kernels.Kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Kernel parameters marshalled into the {@code void**} array that {@code cuLaunchKernel} (and the
 * emulator's {@code kiln_emu_launch}) take: each parameter's value is written into one reusable
 * native block at its natural alignment, and slot {@code i} of a second reusable native block
 * holds the address of parameter {@code i}. Nothing is allocated per launch. Not thread-safe: the
 * backend serialises launches.
 */
public final class LaunchArgs {

    /** Most parameters of one kernel. */
    public static final int MAX_PARAMS = 32;
    private static final int VALUE_BYTES = 4096;

    private enum Kind { PTR, I32, I64, F32, STRUCT }

    private final ByteBuffer values = ByteBuffer.allocateDirect(VALUE_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer pointers = ByteBuffer.allocateDirect(MAX_PARAMS * 8).order(ByteOrder.nativeOrder());
    private final long valuesAddress;
    private final long pointersAddress;
    private final Kind[] kinds = new Kind[MAX_PARAMS];
    private final long[] raw = new long[MAX_PARAMS];
    private int count;
    private int offset;

    LaunchArgs(CudaDriver driver) {
        this.valuesAddress = driver.address(values);
        this.pointersAddress = driver.address(pointers);
    }

    /** Starts a new parameter list. */
    public LaunchArgs reset() {
        count = 0;
        offset = 0;
        return this;
    }

    private int slot(Kind kind, int size, int align) {
        if (count == MAX_PARAMS) {
            throw new IllegalStateException("more than " + MAX_PARAMS + " kernel parameters");
        }
        int at = (offset + align - 1) & -align;
        if (at + size > VALUE_BYTES) {
            throw new IllegalStateException("kernel parameters exceed " + VALUE_BYTES + " bytes");
        }
        offset = at + size;
        pointers.putLong(count * 8, valuesAddress + at);
        kinds[count] = kind;
        count++;
        return at;
    }

    /** A device pointer parameter ({@code T*}); 0 passes a null pointer. */
    public LaunchArgs ptr(long devicePointer) {
        int at = slot(Kind.PTR, 8, 8);
        values.putLong(at, devicePointer);
        raw[count - 1] = devicePointer;
        return this;
    }

    public LaunchArgs i32(int v) {
        int at = slot(Kind.I32, 4, 4);
        values.putInt(at, v);
        raw[count - 1] = v;
        return this;
    }

    public LaunchArgs i64(long v) {
        int at = slot(Kind.I64, 8, 8);
        values.putLong(at, v);
        raw[count - 1] = v;
        return this;
    }

    public LaunchArgs f32(float v) {
        int at = slot(Kind.F32, 4, 4);
        values.putFloat(at, v);
        raw[count - 1] = Float.floatToRawIntBits(v);
        return this;
    }

    /** A by-value struct made of int64 fields (8-byte aligned, no padding). */
    public LaunchArgs struct(long[] fields) {
        int at = slot(Kind.STRUCT, fields.length * 8, 8);
        for (int k = 0; k < fields.length; k++) {
            values.putLong(at + 8 * k, fields[k]);
        }
        raw[count - 1] = fields.length * 8L;
        return this;
    }

    /**
     * A by-value struct made of int32 fields (4-byte aligned, no padding), such as the conv and
     * pool kernels' {@code KilnConvGeom} / {@code KilnPoolGeom}.
     */
    public LaunchArgs struct32(int[] fields) {
        int at = slot(Kind.STRUCT, fields.length * 4, 4);
        for (int k = 0; k < fields.length; k++) {
            values.putInt(at + 4 * k, fields[k]);
        }
        raw[count - 1] = fields.length * 4L;
        return this;
    }

    /** The PTX type parameter {@code k} is passed as ({@code u64}, {@code u32}, {@code f32}, {@code b8[N]}). */
    private String ptxType(int k) {
        switch (kinds[k]) {
            case PTR:
            case I64: return "u64";
            case I32: return "u32";
            case F32: return "f32";
            default: return "b8[" + raw[k] + "]";
        }
    }

    /**
     * Checks the parameters written since {@link #reset()} against {@code kernel}'s PTX parameter
     * list (count, and each one's kind and size).
     *
     * @throws CudaException naming the kernel, both lists and the values when they differ
     */
    public void check(Kernels.Entry kernel) {
        boolean ok = count == kernel.args();
        List<String> want = kernel.paramTypes();
        StringBuilder got = new StringBuilder();
        for (int k = 0; k < count; k++) {
            got.append(k == 0 ? "" : ", ").append(ptxType(k));
            ok &= k < want.size() && want.get(k).equals(ptxType(k));
        }
        if (!ok) {
            throw new CudaException("launch of " + kernel.name() + " [" + kernel.family() + "] packed " + count
                    + " argument(s) (" + got + "), the kernel takes " + kernel.args() + " (" + String.join(", ", want)
                    + "): args " + describe());
        }
    }

    /** Number of parameters written since {@link #reset()}. */
    public int count() {
        return count;
    }

    /** Address of the {@code void*[count]} parameter array. */
    public long pointerArray() {
        return pointersAddress;
    }

    /** The direct buffer behind {@link #pointerArray()} (for drivers that wrap it once). */
    ByteBuffer pointerBuffer() {
        return pointers;
    }

    /** Readable parameter list for error messages: {@code [ptr 0x7f.., i32 17, f32 0.5, struct 160 B]}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                sb.append(", ");
            }
            switch (kinds[k]) {
                case PTR: sb.append("ptr 0x").append(Long.toHexString(raw[k])); break;
                case I32: sb.append("i32 ").append((int) raw[k]); break;
                case I64: sb.append("i64 ").append(raw[k]); break;
                case F32: sb.append("f32 ").append(Float.intBitsToFloat((int) raw[k])); break;
                default: sb.append("struct ").append(raw[k]).append(" B"); break;
            }
        }
        return sb.append(']').toString();
    }
}
