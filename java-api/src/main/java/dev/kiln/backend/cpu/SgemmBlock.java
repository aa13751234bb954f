package dev.kiln.backend.cpu;

import static dev.kiln.backend.cpu.Sgemm.KC;
import static dev.kiln.backend.cpu.Sgemm.MC;
import static dev.kiln.backend.cpu.Sgemm.NC;

/**
 * The packed, cache-blocked product of one block {@code C[i0:i1, j0:j1]} over the full K, on
 * the calling thread. See {@link Sgemm} for the scheme.
 */
final class SgemmBlock {

    /** Per-thread packing buffers (about 0.6 MiB per thread). */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private static final class Workspace {
        /** MC×KC block of alpha·op(A), row i at {@code i*kc}. */
        final float[] a = new float[MC * KC];
        /** KC×NC panel of op(B): one array per row, so the kernel indexes every array by j alone. */
        final float[][] b = new float[KC][NC];
        /** MC×NC accumulators: one array per row of the C block. */
        final float[][] acc = new float[MC][NC];
    }

    private SgemmBlock() {
    }

    static void compute(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, ws.b);
                float betaHere = pc == 0 ? beta : 1f;
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, ws.a);
                    kernel(ws.a, mc, kc, ws.b, nc, ws.acc);
                    merge(ws.acc, mc, nc, betaHere, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** {@code dst[p][j] = op(B)[pc+p][jc+j]}. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[][] dst) {
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (pc + p) * ldb + jc, dst[p], 0, nc);
            }
        } else {
            // B stored N×K: op(B)[p][j] = b[(jc+j)*ldb + pc+p]; read each stored row once.
            for (int j = 0; j < nc; j++) {
                int src = bOff + (jc + j) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    dst[p][j] = b[src + p];
                }
            }
        }
    }

    /** {@code dst[i*kc + p] = alpha * op(A)[ic+i][pc+p]}. */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc,
                      float alpha, float[] dst) {
        if (!transA) {
            for (int i = 0; i < mc; i++) {
                int src = aOff + (ic + i) * lda + pc, d = i * kc;
                for (int p = 0; p < kc; p++) {
                    dst[d + p] = alpha * a[src + p];
                }
            }
        } else {
            // A stored K×M: op(A)[i][p] = a[(pc+p)*lda + ic+i].
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int i = 0; i < mc; i++) {
                    dst[i * kc + p] = alpha * a[src + i];
                }
            }
        }
    }

    /**
     * {@code acc[i][0:nc] = sum_p ap[i*kc+p] * bp[p][0:nc]} for i in [0, mc).
     * Four rows of the B panel at a time (they stay in L1) are applied to every accumulator
     * row; the j loop is the vectorised one.
     */
    static void kernel(float[] ap, int mc, int kc, float[][] bp, int nc, float[][] acc) {
        int p = 0;
        if (kc >= 4) {
            float[] r0 = bp[0], r1 = bp[1], r2 = bp[2], r3 = bp[3];
            for (int i = 0; i < mc; i++) {
                int ao = i * kc;
                first4(acc[i], r0, r1, r2, r3, ap[ao], ap[ao + 1], ap[ao + 2], ap[ao + 3], nc);
            }
            p = 4;
        } else {
            for (int i = 0; i < mc; i++) {
                java.util.Arrays.fill(acc[i], 0, nc, 0f);
            }
        }
        for (; p + 4 <= kc; p += 4) {
            float[] r0 = bp[p], r1 = bp[p + 1], r2 = bp[p + 2], r3 = bp[p + 3];
            for (int i = 0; i < mc; i++) {
                int ao = i * kc + p;
                add4(acc[i], r0, r1, r2, r3, ap[ao], ap[ao + 1], ap[ao + 2], ap[ao + 3], nc);
            }
        }
        for (; p < kc; p++) {
            float[] r0 = bp[p];
            for (int i = 0; i < mc; i++) {
                add1(acc[i], r0, ap[i * kc + p], nc);
            }
        }
    }

    private static void first4(float[] c, float[] r0, float[] r1, float[] r2, float[] r3,
                               float a0, float a1, float a2, float a3, int n) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.fma(a3, r3[j], Math.fma(a2, r2[j], Math.fma(a1, r1[j], a0 * r0[j])));
        }
    }

    private static void add4(float[] c, float[] r0, float[] r1, float[] r2, float[] r3,
                             float a0, float a1, float a2, float a3, int n) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.fma(a3, r3[j], Math.fma(a2, r2[j], Math.fma(a1, r1[j], Math.fma(a0, r0[j], c[j]))));
        }
    }

    private static void add1(float[] c, float[] r0, float a0, int n) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.fma(a0, r0[j], c[j]);
        }
    }

    /** {@code C[i][j] = beta*C[i][j] + acc[i][j]}, where beta 0 ignores what C held. */
    static void merge(float[][] acc, int mc, int nc, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < mc; i++) {
            float[] r = acc[i];
            int o = co + i * ldc;
            if (beta == 0f) {
                System.arraycopy(r, 0, c, o, nc);
            } else if (beta == 1f) {
                for (int j = 0; j < nc; j++) {
                    c[o + j] += r[j];
                }
            } else {
                for (int j = 0; j < nc; j++) {
                    c[o + j] = Math.fma(beta, c[o + j], r[j]);
                }
            }
        }
    }
}
