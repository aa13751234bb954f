package dev.kiln.sparse;

import java.util.Arrays;

/**
 * An immutable CSR matrix on the host: {@code rowPtr [rows + 1]}, {@code colIdx [nnz]} (int32,
 * columns sorted within a row, no duplicates) and {@code values [nnz]} (null when every stored
 * value is 1). The structure behind {@link SparseTensor}; backends copy it with
 * {@link SparseKernels#upload}.
 */
public final class Csr {

    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final float[] values;

    private Csr(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
    }

    /**
     * Builds a CSR matrix from coordinates: entry k is {@code (row[k], col[k], values[k])}
     * ({@code values} null: all 1). Duplicate coordinates are summed. An index outside the shape
     * is an error naming the entry and its value.
     */
    public static Csr fromCoo(int rows, int cols, int[] row, int[] col, float[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("sparse shape must be non-negative, got " + rows + " x " + cols);
        }
        if (row.length != col.length || (values != null && values.length != row.length)) {
            throw new IllegalArgumentException("COO arrays differ in length: " + row.length + " row indices, " + col.length
                    + " column indices" + (values == null ? "" : ", " + values.length + " values"));
        }
        int n = row.length;
        for (int k = 0; k < n; k++) {
            if (row[k] < 0 || row[k] >= rows) {
                throw new IllegalArgumentException("entry " + k + " has row index " + row[k] + ", outside [0, " + rows + ")");
            }
            if (col[k] < 0 || col[k] >= cols) {
                throw new IllegalArgumentException("entry " + k + " has column index " + col[k] + ", outside [0, " + cols + ")");
            }
        }
        // Counting sort by row, then sort each row's columns and merge duplicates.
        int[] ptr = offsets(row, rows);
        int[] fill = Arrays.copyOf(ptr, rows);
        long[] keyed = new long[n]; // column << 32 | original position, sorted per row
        for (int k = 0; k < n; k++) {
            keyed[fill[row[k]]++] = ((long) col[k] << 32) | k;
        }
        int[] outPtr = new int[rows + 1];
        int[] outCol = new int[n];
        float[] outVal = values == null ? null : new float[n];
        int w = 0;
        for (int r = 0; r < rows; r++) {
            Arrays.sort(keyed, ptr[r], ptr[r + 1]);
            int rowStart = w;
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                int c = (int) (keyed[k] >>> 32), src = (int) keyed[k];
                if (w > rowStart && outCol[w - 1] == c) {
                    if (outVal != null) {
                        outVal[w - 1] += values[src];
                    }
                    // without values a duplicate stays a single 1 (a graph edge given twice)
                    continue;
                }
                outCol[w] = c;
                if (outVal != null) {
                    outVal[w] = values[src];
                }
                w++;
            }
            outPtr[r + 1] = w;
        }
        return new Csr(rows, cols, outPtr, Arrays.copyOf(outCol, w), outVal == null ? null : Arrays.copyOf(outVal, w));
    }

    /**
     * Wraps CSR arrays after checking them: {@code rowPtr} starts at 0, never decreases and ends at
     * {@code colIdx.length}; columns lie in {@code [0, cols)}. The arrays are copied.
     */
    public static Csr of(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        if (rowPtr.length != rows + 1 || rowPtr[0] != 0 || rowPtr[rows] != colIdx.length) {
            throw new IllegalArgumentException("rowPtr must have rows + 1 = " + (rows + 1) + " entries from 0 to nnz = "
                    + colIdx.length + ", got " + rowPtr.length + " entries from " + (rowPtr.length == 0 ? "-" : rowPtr[0])
                    + " to " + (rowPtr.length == 0 ? "-" : rowPtr[rowPtr.length - 1]));
        }
        if (values != null && values.length != colIdx.length) {
            throw new IllegalArgumentException(values.length + " values for " + colIdx.length + " column indices");
        }
        for (int r = 0; r < rows; r++) {
            if (rowPtr[r + 1] < rowPtr[r]) {
                throw new IllegalArgumentException("rowPtr decreases at row " + r + ": " + rowPtr[r] + " then " + rowPtr[r + 1]);
            }
        }
        for (int k = 0; k < colIdx.length; k++) {
            if (colIdx[k] < 0 || colIdx[k] >= cols) {
                throw new IllegalArgumentException("entry " + k + " has column index " + colIdx[k] + ", outside [0, " + cols + ")");
            }
        }
        return new Csr(rows, cols, rowPtr.clone(), colIdx.clone(), values == null ? null : values.clone());
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return colIdx.length;
    }

    /** Row offsets (a copy). */
    public int[] rowPtr() {
        return rowPtr.clone();
    }

    /** Column indices (a copy). */
    public int[] colIdx() {
        return colIdx.clone();
    }

    /** Stored values (a copy; all ones when the matrix was built without values). */
    public float[] values() {
        if (values == null) {
            float[] ones = new float[colIdx.length];
            Arrays.fill(ones, 1f);
            return ones;
        }
        return values.clone();
    }

    /** True when no values are stored (every stored entry is 1). */
    public boolean unitValues() {
        return values == null;
    }

    // Shared with the backends of this package and dev.kiln.cuda without copying.
    int[] rowPtrArray() {
        return rowPtr;
    }

    int[] colIdxArray() {
        return colIdx;
    }

    float[] valuesArray() {
        return values;
    }

    /** Where each of {@code n} buckets starts when {@code keys} (each in [0, n)) are sorted: {@code [n + 1]} offsets. */
    private static int[] offsets(int[] keys, int n) {
        int[] ptr = new int[n + 1];
        for (int k : keys) {
            ptr[k + 1]++;
        }
        for (int i = 0; i < n; i++) {
            ptr[i + 1] += ptr[i];
        }
        return ptr;
    }

    /** The number of stored entries of row r. */
    public int degree(int r) {
        return rowPtr[r + 1] - rowPtr[r];
    }

    /** The largest row length (0 for an empty matrix). */
    public int maxDegree() {
        int m = 0;
        for (int r = 0; r < rows; r++) {
            m = Math.max(m, rowPtr[r + 1] - rowPtr[r]);
        }
        return m;
    }

    /** Stored entries per row on average (0 without rows). */
    public double meanDegree() {
        return rows == 0 ? 0 : (double) nnz() / rows;
    }

    /** The transpose, by a counting sort over columns (columns of each row stay sorted). */
    public Csr transpose() {
        int nnz = nnz();
        int[] ptr = offsets(colIdx, cols);
        int[] fill = Arrays.copyOf(ptr, cols);
        int[] tc = new int[nnz];
        float[] tv = values == null ? null : new float[nnz];
        for (int r = 0; r < rows; r++) {
            for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
                int dst = fill[colIdx[k]]++;
                tc[dst] = r;
                if (tv != null) {
                    tv[dst] = values[k];
                }
            }
        }
        return new Csr(cols, rows, ptr, tc, tv);
    }

    /** The same structure with new values (one per stored entry). */
    public Csr withValues(float[] newValues) {
        if (newValues.length != nnz()) {
            throw new IllegalArgumentException(newValues.length + " values for " + nnz() + " stored entries");
        }
        return new Csr(rows, cols, rowPtr, colIdx, newValues.clone());
    }

    /** Row-major dense copy {@code [rows * cols]}. */
    public float[] toDense() {
        float[] d = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
                d[r * cols + colIdx[k]] += values == null ? 1f : values[k];
            }
        }
        return d;
    }

    @Override
    public String toString() {
        return "Csr[" + rows + " x " + cols + ", nnz " + nnz() + "]";
    }
}
