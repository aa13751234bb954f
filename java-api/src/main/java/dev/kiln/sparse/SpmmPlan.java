package dev.kiln.sparse;

import java.util.Arrays;

/**
 * How a backend's SpMM walks one matrix, decided once per matrix from its degree statistics
 * ({@code kernels/src/sparse.cu} documents both kernels):
 *
 * <ul>
 *   <li>{@link Kind#ROW_SPLIT} — a group of lanes per row. Chosen when degrees are even.</li>
 *   <li>{@link Kind#SPLIT} — nonzero-balanced: rows longer than {@link #piece()} nonzeros are cut
 *       into pieces of at most that many; every piece and every short row is one work item
 *       {@code (row, begin, end, slot)}. Pieces write partial sums to their slot and a fix-up pass
 *       adds each split row's slots in order (deterministic). Chosen when
 *       {@code maxDegree > max(64, 8 · meanDegree)} — power-law graphs, where a warp per row
 *       leaves a few warps walking thousands of nonzeros.</li>
 * </ul>
 *
 * {@code -Dkiln.sparse.spmm.kernel=auto|rowsplit|split} overrides the choice (auto by default).
 *
 * @param kind      which kernel
 * @param piece     the longest work item in nonzeros (SPLIT only; 0 for ROW_SPLIT)
 * @param items     {@code (row, begin, end, slot)} per item, slot −1 for an unsplit row (SPLIT only)
 * @param splitRows the rows cut into pieces, in order (SPLIT only)
 * @param splitPtr  {@code [splitRows.length + 1]}: split row i owns slots {@code [splitPtr[i], splitPtr[i+1])}
 * @param slots     partial-sum rows the pieces need
 */
public record SpmmPlan(Kind kind, int piece, int[] items, int[] splitRows, int[] splitPtr, int slots) {

    /** The two SpMM kernels. */
    public enum Kind { ROW_SPLIT, SPLIT }

    /** The plan for {@code a}, following {@code kiln.sparse.spmm.kernel}. */
    public static SpmmPlan of(Csr a) {
        String forced = System.getProperty("kiln.sparse.spmm.kernel", "auto").trim().toLowerCase();
        switch (forced) {
            case "rowsplit": return rowSplit();
            case "split": return split(a, pieceFor(a));
            case "auto": return skewed(a) ? split(a, pieceFor(a)) : rowSplit();
            default: throw new IllegalArgumentException("kiln.sparse.spmm.kernel must be auto, rowsplit or split, got '" + forced + "'");
        }
    }

    /** True for degree distributions the row-split kernel handles badly. */
    public static boolean skewed(Csr a) {
        return a.maxDegree() > Math.max(64, 8 * a.meanDegree());
    }

    /** Twice the mean degree, at least 32: long enough to amortise a piece, short enough to balance. */
    static int pieceFor(Csr a) {
        return (int) Math.max(32, Math.ceil(2 * a.meanDegree()));
    }

    public static SpmmPlan rowSplit() {
        return new SpmmPlan(Kind.ROW_SPLIT, 0, new int[0], new int[0], new int[] {0}, 0);
    }

    /** The SPLIT plan with pieces of at most {@code piece} nonzeros. */
    public static SpmmPlan split(Csr a, int piece) {
        if (piece < 1) {
            throw new IllegalArgumentException("piece must be positive, got " + piece);
        }
        int rows = a.rows();
        int[] ptr = a.rowPtrArray();
        int count = 0, nsplit = 0;
        for (int r = 0; r < rows; r++) {
            int d = ptr[r + 1] - ptr[r];
            if (d > piece) {
                count += (d + piece - 1) / piece;
                nsplit++;
            } else {
                count++;
            }
        }
        int[] items = new int[4 * count];
        int[] splitRows = new int[nsplit];
        int[] splitPtr = new int[nsplit + 1];
        int it = 0, slot = 0, s = 0;
        for (int r = 0; r < rows; r++) {
            int b = ptr[r], e = ptr[r + 1];
            if (e - b <= piece) {
                items[it++] = r;
                items[it++] = b;
                items[it++] = e;
                items[it++] = -1;
                continue;
            }
            for (int k = b; k < e; k += piece) {
                items[it++] = r;
                items[it++] = k;
                items[it++] = Math.min(e, k + piece);
                items[it++] = slot++;
            }
            splitRows[s] = r;
            splitPtr[++s] = slot;
        }
        return new SpmmPlan(Kind.SPLIT, piece, items, splitRows, splitPtr, slot);
    }

    /** Work items (SPLIT) — rows count as items for ROW_SPLIT. */
    public int itemCount() {
        return items.length / 4;
    }

    @Override
    public String toString() {
        return kind == Kind.ROW_SPLIT ? "rowsplit"
                : "split(piece " + piece + ", " + itemCount() + " items, " + splitRows.length + " split rows)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpmmPlan p && p.kind == kind && p.piece == piece && Arrays.equals(p.items, items)
                && Arrays.equals(p.splitRows, splitRows) && Arrays.equals(p.splitPtr, splitPtr) && p.slots == slots;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items) * 31 + kind.hashCode();
    }

    /** Lanes per row for a width of {@code n} read {@code v} floats at a time: a power of two, 1 to 32. */
    public static int lanes(int n, int v) {
        int need = (n + v - 1) / v, l = 1;
        while (l < need && l < 32) {
            l <<= 1;
        }
        return l;
    }
}
