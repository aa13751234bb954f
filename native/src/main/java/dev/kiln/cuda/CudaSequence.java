package dev.kiln.cuda;

import dev.kiln.DType;
import dev.kiln.backend.AttentionGeometry;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.FamilyProvider;
import dev.kiln.backend.LstmStep;
import dev.kiln.backend.SequenceKernels;
import dev.kiln.kernels.Kernels.Attention;
import dev.kiln.kernels.Kernels.Entry;
import dev.kiln.kernels.Kernels.Layernorm;
import dev.kiln.kernels.Kernels.Lstm;

import java.lang.ref.Reference;
import java.util.Map;

/**
 * The {@link SequenceKernels} family on CUDA: launches of the
 * {@code layernorm}, {@code attention} and {@code lstm} kernel families with the geometry of
 * {@code kernels/SEQUENCE.md}.
 *
 * <p>Attention runs the flash kernels for head dims 32, 64 and 128; other head dims up to 128
 * are zero-padded to the next of those (zero columns change neither scores nor outputs) and the
 * results copied back; a value width Dv different from the key width D pads both to the kernel
 * head dim serving the wider one. Head dims above 128 never reach this class: {@code SequenceOps} takes the
 * composed matmul/softmax path for them.
 */
public final class CudaSequence implements SequenceKernels {

    /** Registers this family for the CUDA backend. */
    public static final class Provider extends FamilyProvider<SequenceKernels, CudaBackend> {
        public Provider() {
            super(SequenceKernels.class, CudaBackend.class, CudaSequence::new);
        }
    }

    /** Forward, dQ and dK/dV kernels of each padded head dim (32, 64, 128). */
    private static final Map<Integer, Entry[]> ATTENTION_KERNELS = Map.of(
            32, new Entry[] {Attention.FORWARD_D32_F32, Attention.BACKWARD_DQ_D32_F32, Attention.BACKWARD_DKDV_D32_F32},
            64, new Entry[] {Attention.FORWARD_D64_F32, Attention.BACKWARD_DQ_D64_F32, Attention.BACKWARD_DKDV_D64_F32},
            128, new Entry[] {Attention.FORWARD_D128_F32, Attention.BACKWARD_DQ_D128_F32, Attention.BACKWARD_DKDV_D128_F32});
    private static final int MAX_GRID = 65535;

    private final CudaBackend be;

    CudaSequence(CudaBackend be) {
        this.be = be;
    }

    private static long p(Buffer b) {
        return b == null ? 0L : ((CudaBuffer) b).pointer();
    }

    private static long p(BufferView v) {
        return v == null ? 0L : ((CudaBuffer) v.buffer()).pointer(v.offset());
    }

    private static int cap(long g) {
        return (int) Math.max(1, Math.min(MAX_GRID, g));
    }

    // ---- layer norm --------------------------------------------------------------------------

    @Override
    public void layerNorm(Buffer x, Buffer gamma, Buffer beta, Buffer y, Buffer mean, Buffer rstd, int rows, int cols, float eps) {
        if (rows == 0 || cols == 0) {
            return;
        }
        be.launch(Layernorm.FORWARD_F32, new int[] {cap((rows + 7L) / 8), 1, 1}, new int[] {32, 8, 1}, 0,
                a -> a.ptr(p(x)).ptr(0).ptr(p(gamma)).ptr(p(beta)).ptr(p(y)).ptr(0).ptr(p(mean)).ptr(p(rstd))
                        .i64(rows).i64(cols).f32(eps));
        Reference.reachabilityFence(new Object[] {x, gamma, beta, y, mean, rstd});
    }

    @Override
    public void layerNormBackward(Buffer gy, Buffer x, Buffer gamma, Buffer mean, Buffer rstd, Buffer gx, Buffer dgamma, Buffer dbeta,
                           int rows, int cols) {
        if (cols == 0) {
            return;
        }
        boolean params = dgamma != null || dbeta != null;
        int parts = (int) Math.max(1, Math.min((rows + 7L) / 8, 256));
        Buffer pg = dgamma == null ? null : be.allocate(DType.FLOAT32, (long) parts * cols);
        Buffer pb = dbeta == null ? null : be.allocate(DType.FLOAT32, (long) parts * cols);
        if (rows > 0) {
            be.launch(Layernorm.BACKWARD_F32, new int[] {parts, 1, 1}, new int[] {32, 8, 1}, 0,
                    a -> a.ptr(p(gy)).ptr(p(x)).ptr(p(gamma)).ptr(p(mean)).ptr(p(rstd)).ptr(0).ptr(p(gx))
                            .ptr(p(pg)).ptr(p(pb)).i64(rows).i64(cols));
        } else {
            if (pg != null) {
                be.fill(pg, 0f);
            }
            if (pb != null) {
                be.fill(pb, 0f);
            }
        }
        if (params) {
            be.launch(Layernorm.BACKWARD_REDUCE_F32, new int[] {cap((cols + 255L) / 256), 1, 1},
                    new int[] {256, 1, 1}, 0, a -> a.ptr(p(pg)).ptr(p(pb)).ptr(p(dgamma)).ptr(p(dbeta)).i64(parts).i64(cols));
        }
        Reference.reachabilityFence(new Object[] {gy, x, gamma, mean, rstd, gx, dgamma, dbeta, pg, pb});
    }

    // ---- attention ---------------------------------------------------------------------------

    /** The kernel head dim serving {@code d}: 32, 64 or 128. */
    static int kernelDim(int d) {
        if (d > 128) {
            throw new IllegalArgumentException("CUDA fused attention supports head dims up to 128, got " + d);
        }
        return d <= 32 ? 32 : d <= 64 ? 64 : 128;
    }

    private static int rowsPerBlock(int dp) {
        return dp == 128 ? 16 : 32;
    }

    /** {@code [rows, d]} into a zeroed {@code [rows, dp]} buffer (or the buffer itself when d = dp). */
    private Buffer pad(Buffer src, long rows, int d, int dp) {
        if (d == dp) {
            return src;
        }
        Buffer out = be.allocate(DType.FLOAT32, rows * dp);
        be.fill(out, 0f);
        if (rows > 0 && d > 0) {
            be.copyStrided(src, 0, new int[] {d, 1}, out, 0, new int[] {dp, 1}, new int[] {(int) rows, d});
        }
        return out;
    }

    private void unpad(Buffer padded, Buffer dst, long rows, int d, int dp) {
        if (padded != dst && rows > 0 && d > 0) {
            be.copyStrided(padded, 0, new int[] {dp, 1}, dst, 0, new int[] {d, 1}, new int[] {(int) rows, d});
        }
    }

    @Override
    public void attention(AttentionGeometry g, Buffer q, Buffer k, Buffer v, Buffer o, Buffer lse, Buffer kvLen) {
        int b = g.b(), h = g.h(), lq = g.lq(), lk = g.lk(), d = g.d(), dv = g.dv();
        float scale = g.scale();
        boolean causal = g.causal();
        if ((long) b * h * lq == 0) {
            return;
        }
        // Keys and values share the kernel's head dim: the narrower is padded with zero columns
        // (zero key columns add nothing to the scores, zero value columns give output columns
        // that are dropped).
        int dp = kernelDim(Math.max(d, dv));
        long qRows = (long) b * h * lq, kRows = (long) b * h * lk;
        Buffer qp = pad(q, qRows, d, dp), kp = pad(k, kRows, d, dp), vp = pad(v, kRows, dv, dp);
        Buffer op = dv == dp ? o : be.allocate(DType.FLOAT32, qRows * dp);
        int br = rowsPerBlock(dp);
        be.launch(ATTENTION_KERNELS.get(dp)[0], new int[] {(lq + br - 1) / br, h, b}, new int[] {128, 1, 1}, 0,
                a -> a.ptr(p(qp)).ptr(p(kp)).ptr(p(vp)).ptr(p(op)).ptr(p(lse)).ptr(p(kvLen))
                        .i32(h).i32(lq).i32(lk).f32(scale).i32(causal ? 1 : 0));
        unpad(op, o, qRows, dv, dp);
        Reference.reachabilityFence(new Object[] {q, k, v, o, lse, kvLen, qp, kp, vp, op});
    }

    @Override
    public void attentionBackward(AttentionGeometry g, Buffer q, Buffer k, Buffer v, Buffer o, Buffer lse, Buffer dout,
                                  Buffer dq, Buffer dk, Buffer dv, Buffer kvLen) {
        int b = g.b(), h = g.h(), lq = g.lq(), lk = g.lk(), d = g.d(), dvw = g.dv();
        float scale = g.scale();
        boolean causal = g.causal();
        long qRows = (long) b * h * lq, kRows = (long) b * h * lk;
        if (qRows == 0) {
            if (kRows > 0) {
                be.fill(dk, 0f);
                be.fill(dv, 0f);
            }
            return;
        }
        int dp = kernelDim(Math.max(d, dvw));
        Buffer qp = pad(q, qRows, d, dp), kp = pad(k, kRows, d, dp), vp = pad(v, kRows, dvw, dp);
        Buffer opad = pad(o, qRows, dvw, dp), dop = pad(dout, qRows, dvw, dp);
        Buffer dqp = d == dp ? dq : be.allocate(DType.FLOAT32, qRows * dp);
        Buffer dkp = d == dp ? dk : be.allocate(DType.FLOAT32, Math.max(1, kRows * dp));
        Buffer dvp = dvw == dp ? dv : be.allocate(DType.FLOAT32, Math.max(1, kRows * dp));
        Buffer delta = be.allocate(DType.FLOAT32, qRows);
        be.launch(Attention.BACKWARD_DELTA_F32, new int[] {cap((qRows + 7) / 8), 1, 1}, new int[] {32, 8, 1}, 0,
                a -> a.ptr(p(opad)).ptr(p(dop)).ptr(p(delta)).i64(qRows).i32(dp));
        int br = rowsPerBlock(dp);
        int causalFlag = causal ? 1 : 0;
        be.launch(ATTENTION_KERNELS.get(dp)[1], new int[] {(lq + br - 1) / br, h, b}, new int[] {128, 1, 1}, 0,
                a -> a.ptr(p(qp)).ptr(p(kp)).ptr(p(vp)).ptr(p(dop)).ptr(p(lse)).ptr(p(delta)).ptr(p(dqp)).ptr(p(kvLen))
                        .i32(h).i32(lq).i32(lk).f32(scale).i32(causalFlag));
        if (lk > 0) {
            be.launch(ATTENTION_KERNELS.get(dp)[2], new int[] {(lk + br - 1) / br, h, b},
                    new int[] {128, 1, 1}, 0,
                    a -> a.ptr(p(qp)).ptr(p(kp)).ptr(p(vp)).ptr(p(dop)).ptr(p(lse)).ptr(p(delta)).ptr(p(dkp)).ptr(p(dvp))
                            .ptr(p(kvLen)).i32(h).i32(lq).i32(lk).f32(scale).i32(causalFlag));
        }
        unpad(dqp, dq, qRows, d, dp);
        unpad(dkp, dk, kRows, d, dp);
        unpad(dvp, dv, kRows, dvw, dp);
        Reference.reachabilityFence(new Object[] {q, k, v, o, lse, dout, dq, dk, dv, kvLen, qp, kp, vp, opad, dop, dqp, dkp, dvp, delta});
    }

    // ---- LSTM cell ---------------------------------------------------------------------------

    private static int[] lstmGrid(long batch, long hidden) {
        return new int[] {cap((batch * hidden + 255) / 256), 1, 1};
    }

    @Override
    public void lstmCell(LstmStep s, BufferView gatesX, Buffer gatesH, Buffer bias, BufferView hPrev, BufferView cPrev,
                         BufferView h, BufferView c, BufferView gates, Buffer len) {
        int t = s.t(), batch = s.batch(), hidden = s.hidden();
        if ((long) batch * hidden == 0) {
            return;
        }
        Buffer gh = gatesH;
        if (gh == null) {
            // The kernels read gates_h unconditionally: a zero state's recurrent term is a zero buffer.
            gh = be.allocate(DType.FLOAT32, 4L * batch * hidden);
            be.fill(gh, 0f);
        }
        Buffer ghf = gh;
        int[] block = {256, 1, 1};
        if (len == null) {
            be.launch(Lstm.CELL_FORWARD_F32, lstmGrid(batch, hidden), block, 0,
                    a -> a.ptr(p(gatesX)).ptr(p(ghf)).ptr(p(bias)).ptr(p(cPrev)).ptr(p(h)).ptr(p(c))
                            .ptr(p(gates)).i64(batch).i64(hidden));
        } else {
            be.launch(Lstm.CELL_FORWARD_MASKED_F32, lstmGrid(batch, hidden), block, 0,
                    a -> a.ptr(p(gatesX)).ptr(p(ghf)).ptr(p(bias)).ptr(p(hPrev)).ptr(p(cPrev))
                            .ptr(p(h)).ptr(p(c)).ptr(p(gates)).ptr(p(len)).i32(t).i64(batch).i64(hidden));
        }
        Reference.reachabilityFence(new Object[] {gatesX, gatesH, gh, bias, hPrev, cPrev, h, c, gates, len});
    }

    @Override
    public void lstmCellBackward(LstmStep s, BufferView dhOut, Buffer dhRec, Buffer dcNext, BufferView gates, BufferView cPrev,
                                 BufferView c, BufferView dGates, Buffer dcPrev, Buffer dhCarry, Buffer len) {
        int t = s.t(), batch = s.batch(), hidden = s.hidden();
        if ((long) batch * hidden == 0) {
            return;
        }
        int[] block = {256, 1, 1};
        if (len == null) {
            be.launch(Lstm.CELL_BACKWARD_F32, lstmGrid(batch, hidden), block, 0,
                    a -> a.ptr(p(dhOut)).ptr(p(dhRec)).ptr(p(dcNext)).ptr(p(gates)).ptr(p(cPrev))
                            .ptr(p(c)).ptr(p(dGates)).ptr(p(dcPrev)).i64(batch).i64(hidden));
        } else {
            be.launch(Lstm.CELL_BACKWARD_MASKED_F32, lstmGrid(batch, hidden), block, 0,
                    a -> a.ptr(p(dhOut)).ptr(p(dhRec)).ptr(p(dcNext)).ptr(p(gates)).ptr(p(cPrev))
                            .ptr(p(c)).ptr(p(dGates)).ptr(p(dcPrev)).ptr(p(dhCarry)).ptr(p(len)).i32(t)
                            .i64(batch).i64(hidden));
        }
        Reference.reachabilityFence(new Object[] {dhOut, dhRec, dcNext, gates, cPrev, c, dGates, dcPrev, dhCarry, len});
    }
}
