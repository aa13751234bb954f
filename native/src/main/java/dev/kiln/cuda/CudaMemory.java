package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.kernels.Kernels;
import dev.kiln.kernels.Kernels.Entry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The memory part of {@link CudaBackend}: host transfers with dtype conversion, fill, strided
 * copies and dtype conversion on the device ({@code kernels/src/memory.cu}). Called by the
 * backend's synchronised {@code Backend} methods with buffers it has checked.
 */
final class CudaMemory {

    /** Axes a {@code KilnStrided} descriptor holds. */
    static final int STRIDED_DIMS = 8;

    private final CudaBackend be;
    private final CudaDriver driver;

    CudaMemory(CudaBackend be) {
        this.be = be;
        this.driver = be.driver();
    }

    private static void checkLength(long len, CudaBuffer dst) {
        if (len > dst.size()) {
            throw new IllegalArgumentException("upload of " + len + " elements into a buffer of " + dst.size());
        }
    }

    /** Uploads {@code src} (float, int or long array) into {@code d}, converting with Java casts to its dtype. */
    void upload(Object src, int length, CudaBuffer d) {
        checkLength(length, d);
        Object data;
        switch (d.dtype()) {
            case FLOAT32: {
                float[] v = src instanceof float[] ? (float[]) src : new float[length];
                if (src instanceof int[]) {
                    for (int k = 0; k < length; k++) {
                        v[k] = ((int[]) src)[k];
                    }
                } else if (src instanceof long[]) {
                    for (int k = 0; k < length; k++) {
                        v[k] = ((long[]) src)[k];
                    }
                }
                data = v;
                break;
            }
            case INT32: {
                int[] v = src instanceof int[] ? (int[]) src : new int[length];
                if (src instanceof float[]) {
                    for (int k = 0; k < length; k++) {
                        v[k] = (int) (long) ((float[]) src)[k];
                    }
                } else if (src instanceof long[]) {
                    for (int k = 0; k < length; k++) {
                        v[k] = (int) ((long[]) src)[k];
                    }
                }
                data = v;
                break;
            }
            default: {
                long[] v = src instanceof long[] ? (long[]) src : new long[length];
                if (src instanceof float[]) {
                    for (int k = 0; k < length; k++) {
                        v[k] = (long) ((float[]) src)[k];
                    }
                } else if (src instanceof int[]) {
                    for (int k = 0; k < length; k++) {
                        v[k] = ((int[]) src)[k];
                    }
                }
                data = v;
            }
        }
        long bytes = (long) length * d.dtype().bytes();
        if (data instanceof float[]) {
            driver.copyHtoD(d.pointer(), (float[]) data, 0, bytes);
        } else if (data instanceof int[]) {
            driver.copyHtoD(d.pointer(), (int[]) data, 0, bytes);
        } else {
            driver.copyHtoD(d.pointer(), (long[]) data, 0, bytes);
        }
    }

    float[] downloadFloats(CudaBuffer s) {
        float[] out = new float[(int) s.size()];
        driver.copyDtoH(out, 0, s.pointer(), 4L * out.length);
        return out;
    }

    long[] downloadIndices(CudaBuffer s) {
        int n = (int) s.size();
        long[] out = new long[n];
        switch (s.dtype()) {
            case INT64: driver.copyDtoH(out, 0, s.pointer(), 8L * n); break;
            case INT32: {
                int[] v = new int[n];
                driver.copyDtoH(v, 0, s.pointer(), 4L * n);
                for (int k = 0; k < n; k++) {
                    out[k] = v[k];
                }
                break;
            }
            default: {
                float[] v = new float[n];
                driver.copyDtoH(v, 0, s.pointer(), 4L * n);
                for (int k = 0; k < n; k++) {
                    out[k] = (long) v[k];
                }
            }
        }
        return out;
    }

    /** {@code n} floats at {@code ptr} set to {@code value}. */
    void fill(long ptr, long n, float value) {
        if (n > 0) {
            be.begin().ptr(ptr).i64(n).f32(value);
            be.launch1d(Kernels.Memory.FILL_F32, n);
        }
    }

    /**
     * Merges adjacent axes that are contiguous in every operand and drops size-1 axes.
     * Returns {shape, strides of operand 0, strides of operand 1, ...}.
     */
    static int[][] collapse(int[] shape, int[]... strides) {
        List<Integer> dims = new ArrayList<>();
        List<int[]> st = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 1) {
                continue;
            }
            int[] s = new int[strides.length];
            for (int o = 0; o < strides.length; o++) {
                s[o] = strides[o][k];
            }
            if (!dims.isEmpty()) {
                int last = dims.size() - 1;
                boolean merge = true;
                for (int o = 0; o < strides.length; o++) {
                    if ((long) st.get(last)[o] != (long) s[o] * shape[k]) {
                        merge = false;
                        break;
                    }
                }
                if (merge) {
                    dims.set(last, dims.get(last) * shape[k]);
                    st.set(last, s);
                    continue;
                }
            }
            dims.add(shape[k]);
            st.add(s);
        }
        if (dims.isEmpty()) {
            dims.add(1);
            st.add(new int[strides.length]);
        }
        int[][] out = new int[1 + strides.length][dims.size()];
        for (int k = 0; k < dims.size(); k++) {
            out[0][k] = dims.get(k);
            for (int o = 0; o < strides.length; o++) {
                out[1 + o][k] = st.get(k)[o];
            }
        }
        return out;
    }

    /**
     * A {@code KilnStrided} / {@code KilnBroadcast} descriptor passed by value: int64
     * {@code {ndim, n, shape[max], strides0[max], strides1[max]}} for {@code shape.length <= max} axes.
     */
    static long[] descriptor(int max, int[] shape, int[] strides0, int[] strides1) {
        long[] desc = new long[2 + 3 * max];
        desc[0] = shape.length;
        desc[1] = numel(shape);
        for (int k = 0; k < shape.length; k++) {
            desc[2 + k] = shape[k];
            desc[2 + max + k] = strides0[k];
            desc[2 + 2 * max + k] = strides1[k];
        }
        return desc;
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    void copyStrided(CudaBuffer s, long srcOff, int[] srcStrides, CudaBuffer d, long dstOff, int[] dstStrides, int[] shape) {
        if (s.dtype() != d.dtype()) {
            throw new IllegalArgumentException("copyStrided needs equal dtypes, got " + s.dtype() + " and " + d.dtype());
        }
        if (numel(shape) == 0) {
            return;
        }
        int[][] c = collapse(shape, srcStrides, dstStrides);
        copyCollapsed(s, srcOff, d, dstOff, c[0], c[1], c[2]);
    }

    private void copyCollapsed(CudaBuffer s, long srcOff, CudaBuffer d, long dstOff, int[] shape, int[] ss, int[] ds) {
        int eb = s.dtype().bytes();
        long n = numel(shape);
        int nd = shape.length;
        if (nd == 1 && (ss[0] == 1 || shape[0] == 1) && (ds[0] == 1 || shape[0] == 1)) {
            driver.copyDtoD(d.pointer(dstOff), s.pointer(srcOff), n * eb);
        } else if (nd > STRIDED_DIMS) {
            // More axes than the descriptor holds: one launch per index of the leading axis.
            int[] rs = Arrays.copyOfRange(shape, 1, nd);
            int[] rss = Arrays.copyOfRange(ss, 1, nd), rds = Arrays.copyOfRange(ds, 1, nd);
            for (int i = 0; i < shape[0]; i++) {
                copyCollapsed(s, srcOff + (long) i * ss[0], d, dstOff + (long) i * ds[0], rs, rss, rds);
            }
        } else {
            be.begin().ptr(s.pointer(srcOff)).ptr(d.pointer(dstOff)).struct(descriptor(STRIDED_DIMS, shape, ss, ds));
            be.launch1d(eb == 4 ? Kernels.Memory.COPY_B32 : Kernels.Memory.COPY_B64, n);
        }
    }

    /** The conversion kernel from {@code from} to {@code to} (different dtypes). */
    static Entry convertKernel(DType from, DType to) {
        switch (from) {
            case FLOAT32: return to == DType.INT32 ? Kernels.Memory.CONVERT_F32_I32 : Kernels.Memory.CONVERT_F32_I64;
            case INT32: return to == DType.FLOAT32 ? Kernels.Memory.CONVERT_I32_F32 : Kernels.Memory.CONVERT_I32_I64;
            default: return to == DType.FLOAT32 ? Kernels.Memory.CONVERT_I64_F32 : Kernels.Memory.CONVERT_I64_I32;
        }
    }

    void convert(CudaBuffer s, CudaBuffer d, long n) {
        if (n == 0) {
            return;
        }
        if (s.dtype() == d.dtype()) {
            driver.copyDtoD(d.pointer(), s.pointer(), n * s.dtype().bytes());
        } else {
            be.begin().ptr(s.pointer()).ptr(d.pointer()).i64(n);
            be.launch1d(convertKernel(s.dtype(), d.dtype()), n);
        }
    }
}
