package dev.kiln.sparse;

import dev.kiln.backend.Buffer;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.cpu.CpuBackend;
import dev.kiln.backend.cpu.CpuThreads;

import java.util.Arrays;

/**
 * The CPU implementation of {@link SparseKernels}: products split over the common fork-join pool in
 * chunks of rows holding about equal numbers of nonzeros (so a power-law row does not leave the
 * other threads idle). Each output row is written by one thread in a fixed order: deterministic.
 */
public final class CpuSparse implements SparseKernels {

    /** The provider line in {@code META-INF/services/dev.kiln.backend.KernelFamily}. */
    public static final class Provider extends FamilyProvider<SparseKernels, CpuBackend> {
        public Provider() {
            super(SparseKernels.class, CpuBackend.class, CpuSparse::new);
        }
    }

    /** Multiply-adds below which a product runs on the calling thread. */
    private static final long GRAIN = 1 << 15;

    private final CpuBackend be;

    CpuSparse(CpuBackend be) {
        this.be = be;
    }

    private record CpuMatrix(Csr csr) implements Matrix {
        @Override
        public String kernel() {
            return "cpu";
        }
    }

    @Override
    public Matrix upload(Csr csr) {
        return new CpuMatrix(csr);
    }

    @Override
    public void spmm(Matrix a, Buffer x, Buffer y, int n) {
        Csr m = ((CpuMatrix) a).csr();
        product(m.rowPtrArray(), m.colIdxArray(), m.valuesArray(), CpuBackend.array(x), CpuBackend.array(y), m.rows(), n);
    }

    /** y[r] = Σ_k val[k] · x[col[k]] over row r (col null: k itself; val null: ones). */
    private static void product(int[] ptr, int[] col, float[] val, float[] xs, float[] ys, int rows, int n) {
        int nnz = ptr[rows];
        long work = ((long) nnz + rows) * n;
        int chunks = (int) Math.min(threads() * 4L, Math.max(1, work / GRAIN));
        if (chunks <= 1 || rows < 2) {
            rows(ptr, col, val, xs, ys, 0, rows, n);
            return;
        }
        // Chunk c starts at the first row whose nonzeros (plus one per row) reach c/chunks of the total.
        int[] start = new int[chunks + 1];
        long total = (long) nnz + rows;
        for (int c = 1; c < chunks; c++) {
            long target = total * c / chunks;
            int lo = start[c - 1], hi = rows;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if ((long) ptr[mid] + mid < target) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            start[c] = lo;
        }
        start[chunks] = rows;
        CpuThreads.forEach(chunks, c -> rows(ptr, col, val, xs, ys, start[c], start[c + 1], n));
    }

    private static void rows(int[] ptr, int[] col, float[] val, float[] xs, float[] ys, int lo, int hi, int n) {
        for (int r = lo; r < hi; r++) {
            int out = r * n;
            Arrays.fill(ys, out, out + n, 0f);
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                float w = val == null ? 1f : val[k];
                int src = (col == null ? k : col[k]) * n;
                for (int c = 0; c < n; c++) {
                    ys[out + c] += w * xs[src + c];
                }
            }
        }
    }

    private static int threads() {
        return CpuThreads.count();
    }

    private int[] ints(Buffer b, int count) {
        long[] l = be.downloadIndices(b);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }

    @Override
    public void segmentSum(Buffer offsets, Buffer src, Buffer out, int segments, int n) {
        product(ints(offsets, segments + 1), null, null, CpuBackend.array(src), CpuBackend.array(out), segments, n);
    }

    @Override
    public void segmentExpand(Buffer offsets, Buffer dout, Buffer dsrc, int segments, int n) {
        int[] off = ints(offsets, segments + 1);
        float[] d = CpuBackend.array(dout), s = CpuBackend.array(dsrc);
        for (int seg = 0; seg < segments; seg++) {
            for (int i = off[seg]; i < off[seg + 1]; i++) {
                System.arraycopy(d, seg * n, s, i * n, n);
            }
        }
    }

    @Override
    public void scatterAdd(Buffer index, Buffer src, Buffer out, int count, int n) {
        int[] idx = ints(index, count);
        float[] s = CpuBackend.array(src), o = CpuBackend.array(out);
        for (int i = 0; i < count; i++) {
            int dst = idx[i] * n;
            for (int c = 0; c < n; c++) {
                o[dst + c] += s[i * n + c];
            }
        }
    }
}
