package dev.kiln.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinTask;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API form of {@link Sgemm}'s blocked product: a register-resident C tile, as in
 * OpenBLAS and BLIS. Loaded only when {@link CpuSimd#enabled()}.
 *
 * <h2>Algorithm</h2>
 * The micro-kernel keeps a tile of {@value #MR} rows × {@code NV} vectors of C in registers
 * ({@code NV = 4} where the preferred vector holds 16 floats or more: 6×64 floats in 24 AVX-512
 * registers, leaving room for the 4 B vectors and the A broadcast among the 32; {@code NV = 2}
 * for narrower vectors, where 16 registers is the norm) and, for every {@code p} of a K panel,
 * loads {@code NV} vectors of packed B, broadcasts each of the {@value #MR} packed A values
 * and issues {@code MR·NV} fused multiply-adds. Both operands are packed so that the kernel
 * reads them sequentially: op(B) in micro-panels of {@code NR = NV·lanes} columns,
 * {@code bp[p·NR + j]}, zero-padded to a whole panel; alpha·op(A) in micro-panels of
 * {@value #MR} rows, {@code ap[p·MR + i]}, zero-padded likewise.
 *
 * <p>Loops, outermost first: up to {@code NC} columns of op(B), all of K, packed once (at most
 * {@code B_FLOATS} floats, 8 MiB, in L3; fewer columns when K is deep) and shared by every thread;
 * then, in parallel over a grid of row and column blocks of C, {@value #MC} rows of op(A); the
 * {@code KC}-deep panels of K in order ({@link Sgemm#KC}: the same K blocking as the scalar form),
 * each packing its slice of the A block (about 144 KiB, L2); B micro-panels (about 64 KiB, read
 * from L2); A micro-panels. So a product costs two fork-join rounds per B panel, pack and
 * compute, however deep K is. Tiles that reach past C's last row or column are computed whole
 * (the packed operands are zero there) into a scratch tile and merged element by element; so
 * are whole tiles when {@code beta} is neither 0 nor 1 on the first K panel. Other whole tiles
 * go from the registers straight into C.
 *
 * <p>Every element of C is the same chain of operations as in {@link SgemmBlock}: within a K
 * panel a sequential chain of fused multiply-adds starting from zero, then merged into C
 * (on the first panel {@code acc} when beta is 0, {@code C + acc} when it is 1, otherwise
 * {@code beta·C + acc} by a fused multiply-add; {@code C + acc} after).
 * The two forms therefore give bit-identical results; only the speed differs.
 */
final class SgemmVector {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int LANES = F.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Vectors per row of the register tile on this platform (see the class comment). */
    static final int NV = LANES >= 16 ? 4 : 2;
    /** Rows of op(A) per packed A block: a multiple of MR. */
    static final int MC = 144;
    /** Columns of op(B) per shared B panel at most: a multiple of every tile width. */
    static final int NC = 4096;
    /** Floats of packed op(B) per shared B panel at most (8 MiB): fewer columns when K is deep. */
    static final long B_FLOATS = 1L << 21;

    /** Below this many packed B floats a panel is packed on the calling thread. */
    private static final int PARALLEL_PACK = 1 << 16;

    private static final int STORE = 0;
    private static final int ADD = 1;
    private static final int SCALE_ADD = 2;

    /** Packing buffers of one thread; a nested product on a busy thread gets fresh ones. */
    private static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * 4 * LANES];
        boolean busy;

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private SgemmVector() {
    }

    private static Workspace acquire() {
        Workspace w = WORKSPACE.get();
        if (w.busy) {
            w = new Workspace();
        }
        w.busy = true;
        return w;
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} with the platform's tile (arguments as in
     * {@link Sgemm#sgemm}, already checked), split over up to {@code threads} workers of
     * {@link CpuThreads}' pool.
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc, int threads) {
        multiply(NV, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads);
    }

    /** {@link #multiply} with a tile of {@code nv} (2 or 4) vectors per row; tests run both. */
    static void multiply(int nv, boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc, int threads) {
        if (nv != 2 && nv != 4) {
            throw new IllegalArgumentException("sgemm tile: expected 2 or 4 vectors per row, got " + nv);
        }
        if (m <= 0 || n <= 0 || k <= 0) {
            throw new IllegalArgumentException("sgemm tile: expected m, n, k > 0, got m=" + m + " n=" + n + " k=" + k);
        }
        int nr = nv * LANES;
        // Columns per B panel: every K panel of it packed at once, at most B_FLOATS floats.
        int ncMax = (int) Math.max(nr, Math.min(NC, B_FLOATS / k / nr * nr));
        Workspace ws = acquire();
        try {
            for (int jc = 0; jc < n; jc += ncMax) {
                int nc = Math.min(ncMax, n - jc);
                int panels = (nc + nr - 1) / nr;
                float[] bp = ws.b(panels * nr * k);
                packBPanel(threads, transB, b, bOff, ldb, k, jc, nc, nr, panels, bp);
                computePanel(nv, threads, transA, m, k, alpha, a, aOff, lda, bp, nc, panels, beta, c, cOff + jc, ldc);
            }
        } finally {
            ws.busy = false;
        }
    }

    /**
     * Packs op(B)[:, jc:jc+nc]: K panel {@code t} (rows {@code t·KC ...}) at {@code t·KC·panels·NR},
     * as {@link #packB} lays it out; in parallel over (K panel, micro-panel) pairs when large.
     */
    private static void packBPanel(int threads, boolean transB, float[] b, int bOff, int ldb, int k,
                                   int jc, int nc, int nr, int panels, float[] bp) {
        int kPanels = (k + Sgemm.KC - 1) / Sgemm.KC, units = kPanels * panels;
        int chunks = threads <= 1 || (long) panels * nr * k < PARALLEL_PACK ? 1 : Math.min(units, threads * 2);
        if (chunks == 1) {
            packBUnits(transB, b, bOff, ldb, k, jc, nc, nr, panels, 0, units, bp);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int t = 0; t < chunks; t++) {
            int u0 = units * t / chunks, u1 = units * (t + 1) / chunks;
            tasks.add(ForkJoinTask.adapt(() -> packBUnits(transB, b, bOff, ldb, k, jc, nc, nr, panels, u0, u1, bp)));
        }
        CpuThreads.invokeAll(tasks);
    }

    /** Packs units {@code [u0, u1)}: unit {@code u} is micro-panel {@code u % panels} of K panel {@code u / panels}. */
    private static void packBUnits(boolean transB, float[] b, int bOff, int ldb, int k, int jc, int nc, int nr,
                                   int panels, int u0, int u1, float[] bp) {
        for (int u = u0; u < u1; ) {
            int t = u / panels, q0 = u % panels, q1 = Math.min(panels, q0 + (u1 - u));
            int pc = t * Sgemm.KC, kc = Math.min(Sgemm.KC, k - pc);
            packB(transB, b, bOff, ldb, pc, kc, jc, nc, nr, q0, q1, bp, pc * panels * nr);
            u += q1 - q0;
        }
    }

    /**
     * {@code bp[at + q·NR·kc + p·NR + j] = op(B)[pc+p][jc + q·NR + j]} for micro-panels
     * {@code q ∈ [q0, q1)}, zero past column {@code nc}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, int nr,
                      int q0, int q1, float[] bp, int at) {
        for (int q = q0; q < q1; q++) {
            int j0 = q * nr, w = Math.min(nr, nc - j0), base = at + q * nr * kc;
            if (!transB) {
                int src = bOff + pc * ldb + jc + j0;
                if (w == nr) {
                    for (int p = 0; p < kc; p++, src += ldb) {
                        System.arraycopy(b, src, bp, base + p * nr, nr);
                    }
                } else {
                    for (int p = 0; p < kc; p++, src += ldb) {
                        int d = base + p * nr;
                        System.arraycopy(b, src, bp, d, w);
                        java.util.Arrays.fill(bp, d + w, d + nr, 0f);
                    }
                }
                continue;
            }
            // B stored N×K: op(B)[p][j] = b[(jc+j)*ldb + pc+p]. Transposed in strips of 8 stored
            // rows (8 sequential read streams; each packed row gets 8 adjacent floats per visit).
            int j = 0;
            for (; j + 8 <= w; j += 8) {
                int s = bOff + (jc + j0 + j) * ldb + pc;
                for (int p = 0, d = base + j; p < kc; p++, s++, d += nr) {
                    bp[d] = b[s];
                    bp[d + 1] = b[s + ldb];
                    bp[d + 2] = b[s + 2 * ldb];
                    bp[d + 3] = b[s + 3 * ldb];
                    bp[d + 4] = b[s + 4 * ldb];
                    bp[d + 5] = b[s + 5 * ldb];
                    bp[d + 6] = b[s + 6 * ldb];
                    bp[d + 7] = b[s + 7 * ldb];
                }
            }
            for (; j < w; j++) {
                int s = bOff + (jc + j0 + j) * ldb + pc;
                for (int p = 0, d = base + j; p < kc; p++, d += nr) {
                    bp[d] = b[s + p];
                }
            }
            if (w < nr) {
                for (int p = 0, d = base + w; p < kc; p++, d += nr) {
                    java.util.Arrays.fill(bp, d, d + nr - w, 0f);
                }
            }
        }
    }

    /**
     * {@code ap[r·MR·kc + p·MR + i] = alpha·op(A)[i0 + r·MR + i][pc+p]} for the rows
     * {@code [i0, i0+mc)}, zero past row {@code i0+mc}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int pc, int kc,
                      float alpha, float[] ap) {
        for (int r = 0; r * MR < mc; r++) {
            int rows = Math.min(MR, mc - r * MR), base = r * MR * kc, i = i0 + r * MR;
            if (transA) {
                // A stored K×M: the MR values of one p are adjacent.
                int s = aOff + pc * lda + i;
                for (int p = 0, d = base; p < kc; p++, s += lda, d += MR) {
                    for (int ii = 0; ii < rows; ii++) {
                        ap[d + ii] = alpha * a[s + ii];
                    }
                    for (int ii = rows; ii < MR; ii++) {
                        ap[d + ii] = 0f;
                    }
                }
            } else if (rows == MR) {
                int s0 = aOff + i * lda + pc;
                int s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
                for (int p = 0, d = base; p < kc; p++, d += MR) {
                    ap[d] = alpha * a[s0 + p];
                    ap[d + 1] = alpha * a[s1 + p];
                    ap[d + 2] = alpha * a[s2 + p];
                    ap[d + 3] = alpha * a[s3 + p];
                    ap[d + 4] = alpha * a[s4 + p];
                    ap[d + 5] = alpha * a[s5 + p];
                }
            } else {
                for (int ii = 0; ii < MR; ii++) {
                    int s = aOff + (i + ii) * lda + pc;
                    for (int p = 0, d = base + ii; p < kc; p++, d += MR) {
                        ap[d] = ii < rows ? alpha * a[s + p] : 0f;
                    }
                }
            }
        }
    }

    /**
     * {@code C[:, 0:nc] (at cOff) = beta·C + alpha·op(A)·panel} for one packed B panel (all of K),
     * over a grid of row and column blocks of C.
     */
    private static void computePanel(int nv, int threads, boolean transA, int m, int k, float alpha,
                                     float[] a, int aOff, int lda, float[] bp, int nc, int panels,
                                     float beta, float[] c, int cOff, int ldc) {
        int microRows = (m + MR - 1) / MR;
        long work = (long) m * nc * k;
        int tasks = threads <= 1 ? 1 : (int) Math.min(threads * 4L, Math.max(1, work / Sgemm.PARALLEL_WORK_PER_TASK));
        if (tasks <= 1) {
            computeBlock(nv, transA, 0, m, k, alpha, a, aOff, lda, bp, nc, panels, 0, panels, beta, c, cOff, ldc);
            return;
        }
        // Rows first (a column split makes each block pack the same A rows again).
        int rowBlocks = Math.min(tasks, microRows);
        int colBlocks = Math.min(panels, (tasks + rowBlocks - 1) / rowBlocks);
        List<ForkJoinTask<?>> list = new ArrayList<>(rowBlocks * colBlocks);
        for (int rb = 0; rb < rowBlocks; rb++) {
            int i0 = Math.min(m, microRows * rb / rowBlocks * MR);
            int i1 = Math.min(m, microRows * (rb + 1) / rowBlocks * MR);
            for (int cb = 0; cb < colBlocks; cb++) {
                int q0 = panels * cb / colBlocks, q1 = panels * (cb + 1) / colBlocks;
                if (i0 < i1 && q0 < q1) {
                    list.add(ForkJoinTask.adapt(() -> computeBlock(nv, transA, i0, i1, k, alpha, a, aOff, lda,
                            bp, nc, panels, q0, q1, beta, c, cOff, ldc)));
                }
            }
        }
        CpuThreads.invokeAll(list);
    }

    /**
     * Rows {@code [i0, i1)} of C against the B micro-panels {@code [q0, q1)}, every K panel in
     * order, on the calling thread.
     */
    private static void computeBlock(int nv, boolean transA, int i0, int i1, int k, float alpha,
                                     float[] a, int aOff, int lda, float[] bp, int nc, int panels, int q0, int q1,
                                     float beta, float[] c, int cOff, int ldc) {
        int nr = nv * LANES;
        Workspace ws = acquire();
        try {
            for (int ic = i0; ic < i1; ic += MC) {
                int mc = Math.min(MC, i1 - ic);
                int micro = (mc + MR - 1) / MR;
                for (int pc = 0; pc < k; pc += Sgemm.KC) {
                    int kc = Math.min(Sgemm.KC, k - pc);
                    float betaHere = pc == 0 ? beta : 1f;
                    int mode = betaHere == 0f ? STORE : betaHere == 1f ? ADD : SCALE_ADD;
                    float[] ap = ws.a(micro * MR * kc);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, ap);
                    for (int q = q0; q < q1; q++) {
                        int j = q * nr, w = Math.min(nr, nc - j), bo = pc * panels * nr + q * nr * kc;
                        for (int r = 0; r < micro; r++) {
                            int i = ic + r * MR, h = Math.min(MR, i1 - i), ao = r * MR * kc;
                            int co = cOff + i * ldc + j;
                            boolean whole = h == MR && w == nr;
                            if (whole && mode != SCALE_ADD) {
                                // Straight from the registers into C: stored, or added.
                                kernel(nv, kc, ap, ao, bp, bo, c, co, ldc, mode == ADD);
                            } else {
                                kernel(nv, kc, ap, ao, bp, bo, ws.tile, 0, nr, false);
                                if (whole) {
                                    merge(ws.tile, nv, betaHere, c, co, ldc);
                                } else {
                                    mergeEdge(ws.tile, nr, h, w, betaHere, c, co, ldc);
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            ws.busy = false;
        }
    }

    private static void kernel(int nv, int kc, float[] ap, int ao, float[] bp, int bo,
                               float[] out, int oo, int ldo, boolean add) {
        if (nv == 4) {
            kernel6x4(kc, ap, ao, bp, bo, out, oo, ldo, add);
        } else {
            kernel6x2(kc, ap, ao, bp, bo, out, oo, ldo, add);
        }
    }

    /** A whole tile ({@code tile[i·NR + j]}) merged into C as {@code beta·C + tile}, a vector at a time. */
    private static void merge(float[] tile, int nv, float beta, float[] c, int co, int ldc) {
        int nr = nv * LANES;
        FloatVector betas = FloatVector.broadcast(F, beta);
        for (int i = 0, t = 0; i < MR; i++, co += ldc) {
            for (int v = 0; v < nr; v += LANES, t += LANES) {
                FloatVector.fromArray(F, c, co + v).fma(betas, FloatVector.fromArray(F, tile, t)).intoArray(c, co + v);
            }
        }
    }

    /** The part of a tile that lies inside C, merged element by element as the kernel and {@link #merge} do. */
    private static void mergeEdge(float[] tile, int nr, int h, int w, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < h; i++) {
            int o = co + i * ldc, t = i * nr;
            for (int j = 0; j < w; j++) {
                float acc = tile[t + j];
                c[o + j] = beta == 0f ? acc : beta == 1f ? c[o + j] + acc : Math.fma(beta, c[o + j], acc);
            }
        }
    }

    /**
     * The 6×(4 vectors) register tile over one packed K panel. Written out in full: the
     * accumulators must be plain locals for C2 to keep them in registers (an array of vectors
     * would be boxed on the heap). The tile is stored to {@code out} at {@code oo} (rows
     * {@code ldo} apart), or added to what is there when {@code add}; the {@code beta·C + tile}
     * merge stays outside ({@link #merge}): a third write-back in here, or one written as calls
     * to a helper, makes the method too large for C2 to inline the vector operations, which
     * boxes the accumulators (measured: 70 instead of 95 GFLOP/s).
     */
    static void kernel6x4(int kc, float[] ap, int ao, float[] bp, int bo, float[] out, int oo, int ldo, boolean add) {
        final int l = LANES;
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0, bi = bo, ai = ao; p < kc; p++, bi += 4 * l, ai += MR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + l);
            FloatVector b2 = FloatVector.fromArray(F, bp, bi + 2 * l);
            FloatVector b3 = FloatVector.fromArray(F, bp, bi + 3 * l);
            FloatVector x = FloatVector.broadcast(F, ap[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
            x = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            c43 = b3.fma(x, c43);
            x = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            c53 = b3.fma(x, c53);
        }
        if (add) {
            int o0 = oo;
            int o1 = oo + ldo;
            int o2 = oo + 2 * ldo;
            int o3 = oo + 3 * ldo;
            int o4 = oo + 4 * ldo;
            int o5 = oo + 5 * ldo;
            c00.add(FloatVector.fromArray(F, out, o0)).intoArray(out, o0);
            c01.add(FloatVector.fromArray(F, out, o0 + l)).intoArray(out, o0 + l);
            c02.add(FloatVector.fromArray(F, out, o0 + 2 * l)).intoArray(out, o0 + 2 * l);
            c03.add(FloatVector.fromArray(F, out, o0 + 3 * l)).intoArray(out, o0 + 3 * l);
            c10.add(FloatVector.fromArray(F, out, o1)).intoArray(out, o1);
            c11.add(FloatVector.fromArray(F, out, o1 + l)).intoArray(out, o1 + l);
            c12.add(FloatVector.fromArray(F, out, o1 + 2 * l)).intoArray(out, o1 + 2 * l);
            c13.add(FloatVector.fromArray(F, out, o1 + 3 * l)).intoArray(out, o1 + 3 * l);
            c20.add(FloatVector.fromArray(F, out, o2)).intoArray(out, o2);
            c21.add(FloatVector.fromArray(F, out, o2 + l)).intoArray(out, o2 + l);
            c22.add(FloatVector.fromArray(F, out, o2 + 2 * l)).intoArray(out, o2 + 2 * l);
            c23.add(FloatVector.fromArray(F, out, o2 + 3 * l)).intoArray(out, o2 + 3 * l);
            c30.add(FloatVector.fromArray(F, out, o3)).intoArray(out, o3);
            c31.add(FloatVector.fromArray(F, out, o3 + l)).intoArray(out, o3 + l);
            c32.add(FloatVector.fromArray(F, out, o3 + 2 * l)).intoArray(out, o3 + 2 * l);
            c33.add(FloatVector.fromArray(F, out, o3 + 3 * l)).intoArray(out, o3 + 3 * l);
            c40.add(FloatVector.fromArray(F, out, o4)).intoArray(out, o4);
            c41.add(FloatVector.fromArray(F, out, o4 + l)).intoArray(out, o4 + l);
            c42.add(FloatVector.fromArray(F, out, o4 + 2 * l)).intoArray(out, o4 + 2 * l);
            c43.add(FloatVector.fromArray(F, out, o4 + 3 * l)).intoArray(out, o4 + 3 * l);
            c50.add(FloatVector.fromArray(F, out, o5)).intoArray(out, o5);
            c51.add(FloatVector.fromArray(F, out, o5 + l)).intoArray(out, o5 + l);
            c52.add(FloatVector.fromArray(F, out, o5 + 2 * l)).intoArray(out, o5 + 2 * l);
            c53.add(FloatVector.fromArray(F, out, o5 + 3 * l)).intoArray(out, o5 + 3 * l);
        } else {
            int o0 = oo;
            int o1 = oo + ldo;
            int o2 = oo + 2 * ldo;
            int o3 = oo + 3 * ldo;
            int o4 = oo + 4 * ldo;
            int o5 = oo + 5 * ldo;
            c00.intoArray(out, o0);
            c01.intoArray(out, o0 + l);
            c02.intoArray(out, o0 + 2 * l);
            c03.intoArray(out, o0 + 3 * l);
            c10.intoArray(out, o1);
            c11.intoArray(out, o1 + l);
            c12.intoArray(out, o1 + 2 * l);
            c13.intoArray(out, o1 + 3 * l);
            c20.intoArray(out, o2);
            c21.intoArray(out, o2 + l);
            c22.intoArray(out, o2 + 2 * l);
            c23.intoArray(out, o2 + 3 * l);
            c30.intoArray(out, o3);
            c31.intoArray(out, o3 + l);
            c32.intoArray(out, o3 + 2 * l);
            c33.intoArray(out, o3 + 3 * l);
            c40.intoArray(out, o4);
            c41.intoArray(out, o4 + l);
            c42.intoArray(out, o4 + 2 * l);
            c43.intoArray(out, o4 + 3 * l);
            c50.intoArray(out, o5);
            c51.intoArray(out, o5 + l);
            c52.intoArray(out, o5 + 2 * l);
            c53.intoArray(out, o5 + 3 * l);
        }
    }

    /** The 6×(2 vectors) register tile: 12 accumulators, for machines with 16 vector registers. */
    static void kernel6x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] out, int oo, int ldo, boolean add) {
        final int l = LANES;
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0, bi = bo, ai = ao; p < kc; p++, bi += 2 * l, ai += MR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + l);
            FloatVector x = FloatVector.broadcast(F, ap[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
        }
        if (add) {
            int o0 = oo;
            int o1 = oo + ldo;
            int o2 = oo + 2 * ldo;
            int o3 = oo + 3 * ldo;
            int o4 = oo + 4 * ldo;
            int o5 = oo + 5 * ldo;
            c00.add(FloatVector.fromArray(F, out, o0)).intoArray(out, o0);
            c01.add(FloatVector.fromArray(F, out, o0 + l)).intoArray(out, o0 + l);
            c10.add(FloatVector.fromArray(F, out, o1)).intoArray(out, o1);
            c11.add(FloatVector.fromArray(F, out, o1 + l)).intoArray(out, o1 + l);
            c20.add(FloatVector.fromArray(F, out, o2)).intoArray(out, o2);
            c21.add(FloatVector.fromArray(F, out, o2 + l)).intoArray(out, o2 + l);
            c30.add(FloatVector.fromArray(F, out, o3)).intoArray(out, o3);
            c31.add(FloatVector.fromArray(F, out, o3 + l)).intoArray(out, o3 + l);
            c40.add(FloatVector.fromArray(F, out, o4)).intoArray(out, o4);
            c41.add(FloatVector.fromArray(F, out, o4 + l)).intoArray(out, o4 + l);
            c50.add(FloatVector.fromArray(F, out, o5)).intoArray(out, o5);
            c51.add(FloatVector.fromArray(F, out, o5 + l)).intoArray(out, o5 + l);
        } else {
            int o0 = oo;
            int o1 = oo + ldo;
            int o2 = oo + 2 * ldo;
            int o3 = oo + 3 * ldo;
            int o4 = oo + 4 * ldo;
            int o5 = oo + 5 * ldo;
            c00.intoArray(out, o0);
            c01.intoArray(out, o0 + l);
            c10.intoArray(out, o1);
            c11.intoArray(out, o1 + l);
            c20.intoArray(out, o2);
            c21.intoArray(out, o2 + l);
            c30.intoArray(out, o3);
            c31.intoArray(out, o3 + l);
            c40.intoArray(out, o4);
            c41.intoArray(out, o4 + l);
            c50.intoArray(out, o5);
            c51.intoArray(out, o5 + l);
        }
    }
    /**
     * {@link Sgemm}'s unpacked product for small shapes, C already scaled by beta: vectors along j,
     * four rows of C at a time (four independent chains), over op(B) copied once into a K×N panel
     * zero-padded to whole vectors. Per element the operations are {@link Sgemm#smallScalar}'s in
     * its order: with B stored K×N a fused multiply-add chain over p from {@code C[i][j]} with the
     * multiplier {@code alpha·op(A)[i][p]}; with B stored N×K a chain from zero, then
     * {@code C[i][j] + alpha·sum}. So the result has the same bits. Rows of C go through a scratch
     * tile, so that no vector crosses a method boundary (C2 would box it).
     */
    static void small(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc) {
        int np = (n + LANES - 1) / LANES * LANES;
        Workspace ws = acquire();
        try {
            float[] bp = ws.b(k * np);
            for (int p = 0; p < k; p++) {
                int d = p * np;
                if (transB) {
                    for (int j = 0, s = bOff + p; j < n; j++, s += ldb) {
                        bp[d + j] = b[s];
                    }
                } else {
                    System.arraycopy(b, bOff + p * ldb, bp, d, n);
                }
                java.util.Arrays.fill(bp, d + n, d + np, 0f);
            }
            // a[x + p·pa] is op(A)[i][p] for x = aOff + i·ri.
            int pa = transA ? lda : 1, ri = transA ? 1 : lda;
            float[] tile = ws.tile;
            for (int i = 0; i < m; i += 4) {
                int rows = Math.min(4, m - i);
                for (int j = 0; j < n; j += LANES) {
                    int w = Math.min(LANES, n - j);
                    for (int r = 0; r < rows; r++) {
                        int co = cOff + (i + r) * ldc + j;
                        if (transB) {
                            java.util.Arrays.fill(tile, r * LANES, (r + 1) * LANES, 0f);
                        } else {
                            System.arraycopy(c, co, tile, r * LANES, w);
                        }
                    }
                    if (rows == 4) {
                        smallTile4(transB, alpha, k, a, aOff + i * ri, pa, ri, bp, np, j, tile);
                    } else {
                        smallTile1(transB, alpha, k, a, aOff + i * ri, pa, ri, rows, bp, np, j, tile);
                    }
                    for (int r = 0; r < rows; r++) {
                        int co = cOff + (i + r) * ldc + j, t = r * LANES;
                        if (transB) {
                            for (int l = 0; l < w; l++) {
                                c[co + l] = c[co + l] + alpha * tile[t + l];
                            }
                        } else {
                            System.arraycopy(tile, t, c, co, w);
                        }
                    }
                }
            }
        } finally {
            ws.busy = false;
        }
    }

    /** Four rows' chains for columns {@code [j, j + LANES)}: tile rows 0..3 in and out. */
    private static void smallTile4(boolean transB, float alpha, int k, float[] a, int x, int pa, int ri,
                                   float[] bp, int np, int j, float[] tile) {
        FloatVector c0 = FloatVector.fromArray(F, tile, 0), c1 = FloatVector.fromArray(F, tile, LANES);
        FloatVector c2 = FloatVector.fromArray(F, tile, 2 * LANES), c3 = FloatVector.fromArray(F, tile, 3 * LANES);
        float s = transB ? 1f : alpha;
        for (int p = 0; p < k; p++, x += pa) {
            FloatVector bv = FloatVector.fromArray(F, bp, p * np + j);
            float a0 = a[x], a1 = a[x + ri], a2 = a[x + 2 * ri], a3 = a[x + 3 * ri];
            // transB: the multiplier is op(A) itself (alpha comes after the sum); s·a would round
            // nothing away when s is 1, so one expression serves both.
            c0 = bv.fma(FloatVector.broadcast(F, s * a0), c0);
            c1 = bv.fma(FloatVector.broadcast(F, s * a1), c1);
            c2 = bv.fma(FloatVector.broadcast(F, s * a2), c2);
            c3 = bv.fma(FloatVector.broadcast(F, s * a3), c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, LANES);
        c2.intoArray(tile, 2 * LANES);
        c3.intoArray(tile, 3 * LANES);
    }

    /** {@code rows} (1 to 3) rows' chains, one after another, as {@link #smallTile4}. */
    private static void smallTile1(boolean transB, float alpha, int k, float[] a, int x, int pa, int ri, int rows,
                                   float[] bp, int np, int j, float[] tile) {
        float s = transB ? 1f : alpha;
        for (int r = 0; r < rows; r++, x += ri) {
            FloatVector acc = FloatVector.fromArray(F, tile, r * LANES);
            for (int p = 0, xp = x; p < k; p++, xp += pa) {
                acc = FloatVector.fromArray(F, bp, p * np + j).fma(FloatVector.broadcast(F, s * a[xp]), acc);
            }
            acc.intoArray(tile, r * LANES);
        }
    }
}
