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
        if (CpuSimd.enabled() && i0 < i1 && j0 < j1 && k > 0) {
            // The same product with a register tile (bit-identical results): the block as a
            // matrix of its own, A and B entered at its first row and column.
            SgemmVector.multiply(transA, transB, i1 - i0, j1 - j0, k, alpha,
                    a, aOff + (transA ? i0 : i0 * lda), lda, b, bOff + (transB ? j0 * ldb : j0), ldb,
                    beta, c, cOff + i0 * ldc + j0, ldc, 1);
            return;
        }
        computeScalar(transA, transB, i0, i1, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #compute} in plain Java, whatever {@link CpuSimd} chose. */
    static void computeScalar(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
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
            // B stored N×K: op(B)[p][j] = b[(jc+j)*ldb + pc+p]. A transpose in strips of 8 stored
            // rows: 8 sequential read streams, and each dst row gets 8 adjacent floats per visit
            // (one element per row per visit would touch a new cache line on every write).
            int j = 0;
            for (; j + 8 <= nc; j += 8) {
                int s0 = bOff + (jc + j) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    float[] d = dst[p];
                    int s = s0 + p;
                    d[j] = b[s];
                    d[j + 1] = b[s + ldb];
                    d[j + 2] = b[s + 2 * ldb];
                    d[j + 3] = b[s + 3 * ldb];
                    d[j + 4] = b[s + 4 * ldb];
                    d[j + 5] = b[s + 5 * ldb];
                    d[j + 6] = b[s + 6 * ldb];
                    d[j + 7] = b[s + 7 * ldb];
                }
            }
            for (; j < nc; j++) {
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
            // A stored K×M: op(A)[i][p] = a[(pc+p)*lda + ic+i]. In strips of 8 stored rows, like
            // packB's transpose: each packed row gets 8 adjacent floats per visit.
            int p = 0;
            for (; p + 8 <= kc; p += 8) {
                int s0 = aOff + (pc + p) * lda + ic;
                for (int i = 0; i < mc; i++) {
                    int s = s0 + i, d = i * kc + p;
                    dst[d] = alpha * a[s];
                    dst[d + 1] = alpha * a[s + lda];
                    dst[d + 2] = alpha * a[s + 2 * lda];
                    dst[d + 3] = alpha * a[s + 3 * lda];
                    dst[d + 4] = alpha * a[s + 4 * lda];
                    dst[d + 5] = alpha * a[s + 5 * lda];
                    dst[d + 6] = alpha * a[s + 6 * lda];
                    dst[d + 7] = alpha * a[s + 7 * lda];
                }
            }
            for (; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int i = 0; i < mc; i++) {
                    dst[i * kc + p] = alpha * a[src + i];
                }
            }
        }
    }

    /**
     * {@code acc[i][0:nc] = sum_p ap[i*kc+p] * bp[p][0:nc]} for i in [0, mc).
     *
     * <p>Register blocking is 3×3: one pass of the vectorised j loop reads three B rows and
     * updates three accumulator rows (nine FMAs per element, six loads, three stores). Three
     * B rows (in L1) are applied to every accumulator row before the next three are read.
     */
    static void kernel(float[] ap, int mc, int kc, float[][] bp, int nc, float[][] acc) {
        for (int i = 0; i < mc; i++) {
            java.util.Arrays.fill(acc[i], 0, nc, 0f);
        }
        int p = 0;
        for (; p + 3 <= kc; p += 3) {
            float[] r0 = bp[p], r1 = bp[p + 1], r2 = bp[p + 2];
            int i = 0;
            for (; i + 3 <= mc; i += 3) {
                pass33(acc[i], acc[i + 1], acc[i + 2], r0, r1, r2, ap, i * kc + p, kc, nc);
            }
            for (; i < mc; i++) {
                pass13(acc[i], r0, r1, r2, ap, i * kc + p, nc);
            }
        }
        for (; p < kc; p++) {
            float[] r0 = bp[p];
            for (int i = 0; i < mc; i++) {
                pass11(acc[i], r0, ap[i * kc + p], nc);
            }
        }
    }

    /**
     * Three B rows over three accumulator rows: {@code c_r[j] += sum_q ap[ao + r*kc + q] * r_q[j]}.
     *
     * <p>The j loop carries nine FMAs per element, the largest body C2's superword pass still
     * unrolls far enough to vectorise (a fourth row, or a fourth B row, leaves it scalar), and
     * it has to be compiled as a method of its own: inlined into the blocking loops of
     * {@link #kernel} C2 leaves it scalar. The explicit bounds check below keeps this method's
     * bytecode above C2's inlining size ({@code -XX:FreqInlineSize}, 325 bytes), so it is
     * always called, never inlined; one call per {@code 9·n} FMAs costs nothing.
     */
    static void pass33(float[] c0, float[] c1, float[] c2, float[] r0, float[] r1, float[] r2,
                       float[] ap, int ao, int kc, int n) {
        if (n > c0.length || n > c1.length || n > c2.length || n > r0.length || n > r1.length
                || n > r2.length || ao < 0 || ao + 2 * kc + 2 >= ap.length) {
            throw new IllegalStateException(new StringBuilder("sgemm pass out of bounds: n=").append(n)
                    .append(" rows ").append(c0.length).append('/').append(c1.length).append('/').append(c2.length)
                    .append(" panel ").append(r0.length).append('/').append(r1.length).append('/').append(r2.length)
                    .append(" a ").append(ao).append('+').append(2 * kc + 2).append(" of ").append(ap.length)
                    .toString());
        }
        int a1 = ao + kc, a2 = a1 + kc;
        float a00 = ap[ao], a01 = ap[ao + 1], a02 = ap[ao + 2];
        float a10 = ap[a1], a11 = ap[a1 + 1], a12 = ap[a1 + 2];
        float a20 = ap[a2], a21 = ap[a2 + 1], a22 = ap[a2 + 2];
        for (int j = 0; j < n; j++) {
            float x0 = r0[j], x1 = r1[j], x2 = r2[j];
            c0[j] = Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j])));
            c1[j] = Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j])));
            c2[j] = Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j])));
        }
    }

    /** One accumulator row, three B rows (the rows left over when mc is not a multiple of 3). */
    static void pass13(float[] c0, float[] r0, float[] r1, float[] r2, float[] ap, int ao, int n) {
        float a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2];
        for (int j = 0; j < n; j++) {
            c0[j] = Math.fma(a2, r2[j], Math.fma(a1, r1[j], Math.fma(a0, r0[j], c0[j])));
        }
    }

    /** One accumulator row, one B row (the B rows left over when kc is not a multiple of 3). */
    static void pass11(float[] c0, float[] r0, float a0, int n) {
        for (int j = 0; j < n; j++) {
            c0[j] = Math.fma(a0, r0[j], c0[j]);
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
