package dev.kiln;

import dev.kiln.backend.Backend;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.AttentionGeometry;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.LstmStep;
import dev.kiln.backend.ReduceOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Differentiable ops of the sequence models: embedding lookup, layer norm, fused scaled-dot-product
 * attention and a whole LSTM layer. Each runs through the {@link Backend} SPI (so the CPU reference
 * and the CUDA kernels serve the same call) and records one autograd node.
 *
 * <pre>{@code
 * Tensor o = SequenceOps.scaledDotProductAttention(q, k, v, true, null);   // [B,H,L,D], causal
 * SequenceOps.LstmResult r = SequenceOps.lstm(x, null, null, w, u, b, lengths);
 * }</pre>
 */
public final class SequenceOps {

    private SequenceOps() {
    }

    // =============================================================================================
    // Embedding
    // =============================================================================================

    /**
     * Rows of {@code weight [V, E]} picked by integer {@code ids} of any shape: the result has shape
     * {@code ids.shape + [E]}. The backward scatters into the picked rows (indexAdd). Ids on the CPU
     * are range-checked here; an id outside {@code [0, V)} is an error naming the id and V. Ids on a
     * CUDA device are not read back: the gather kernel checks them, and a bad one is raised, naming
     * it, at the next synchronisation (the next host read or {@code synchronize()}).
     */
    public static Tensor embedding(Tensor weight, Tensor ids) {
        if (weight.rank() != 2 || weight.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("embedding needs a [V, E] FLOAT32 weight, got " + Shapes.str(weight.shape()) + " " + weight.dtype());
        }
        if (!ids.dtype().isIndex()) {
            throw new IllegalArgumentException("embedding needs INT32/INT64 token ids, got " + ids.dtype());
        }
        int vocab = weight.size(0);
        if (ids.device().kind() == Device.Kind.CPU) {
            for (long id : ids.toLongArray()) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("embedding: token id " + id + " is outside the vocabulary of "
                            + vocab + " ids (expected 0 <= id < " + vocab + ")");
                }
            }
        }
        int[] outShape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        outShape[ids.rank()] = weight.size(1);
        return weight.indexSelect(0, ids.to(weight.device()).reshape(-1)).reshape(outShape);
    }

    // =============================================================================================
    // Layer norm
    // =============================================================================================

    /** Layer norm over the last axis with optional affine {@code gamma}, {@code beta} ({@code [C]}). */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        requireFloat("layerNorm", x);
        int cols = x.size(-1);
        for (Tensor p : new Tensor[] {gamma, beta}) {
            if (p != null && (p.rank() != 1 || p.size(0) != cols)) {
                throw new IllegalArgumentException("layerNorm: affine parameter has shape " + Shapes.str(p.shape())
                        + ", expected [" + cols + "] for input " + Shapes.str(x.shape()));
            }
            if (p != null) {
                requireSameDevice("layerNorm", x, p);
            }
        }
        int rows = (int) (x.numel() / Math.max(1, cols));
        Backend be = x.backend();
        Device dev = x.device();
        Tensor y = Tensor.empty(dev, DType.FLOAT32, x.shape());
        Tensor mean = Tensor.empty(dev, DType.FLOAT32, rows);
        Tensor rstd = Tensor.empty(dev, DType.FLOAT32, rows);
        be.sequence().layerNorm(x.buffer(), buf(gamma), buf(beta), y.buffer(), mean.buffer(), rstd.buffer(), rows, cols, eps);
        List<Tensor> ins = new ArrayList<>(List.of(x));
        if (gamma != null) {
            ins.add(gamma);
        }
        if (beta != null) {
            ins.add(beta);
        }
        return Autograd.op("layerNorm", y, g -> {
            Tensor gx = Tensor.empty(dev, DType.FLOAT32, x.shape());
            Tensor dg = gamma == null ? null : Tensor.empty(dev, DType.FLOAT32, cols);
            Tensor db = beta == null ? null : Tensor.empty(dev, DType.FLOAT32, cols);
            be.sequence().layerNormBackward(g.buffer(), x.buffer(), buf(gamma), mean.buffer(), rstd.buffer(), gx.buffer(), buf(dg), buf(db), rows, cols);
            List<Tensor> out = new ArrayList<>(List.of(gx));
            if (gamma != null) {
                out.add(dg);
            }
            if (beta != null) {
                out.add(db);
            }
            return out.toArray(new Tensor[0]);
        }, ins.toArray(new Tensor[0]));
    }

    // =============================================================================================
    // Attention
    // =============================================================================================

    /** {@link #scaledDotProductAttention(Tensor, Tensor, Tensor, boolean, Tensor, float)} with scale 1/√D. */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, boolean causal, Tensor kvLen) {
        return scaledDotProductAttention(q, k, v, causal, kvLen, (float) (1 / Math.sqrt(q.size(-1))));
    }

    /**
     * Fused {@code softmax(q kᵀ·scale + mask) v} on {@code q [B,H,Lq,D]}, {@code k [B,H,Lk,D]} and
     * {@code v [B,H,Lk,Dv]} (the value width may differ from the key width, as in torch; the output
     * is {@code [B,H,Lq,Dv]}).
     * {@code kvLen} (nullable, INT32/INT64 {@code [B]}) hides keys {@code j >= kvLen[b]} (key padding);
     * {@code causal} hides keys {@code j > i} (top-left aligned). Query rows that see no key give 0.
     * On the CPU and for D, Dv ≤ 128 on CUDA this is one backend call each way (no [Lq, Lk] matrix
     * kept); a wider head off the CPU falls back to the composed matmul/softmax path.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, boolean causal, Tensor kvLen, float scale) {
        requireFloat("attention", q);
        requireFloat("attention", k);
        requireFloat("attention", v);
        requireSameDevice("attention", q, k);
        requireSameDevice("attention", q, v);
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 4 || !Arrays.equals(Arrays.copyOf(ks, 3), Arrays.copyOf(vs, 3))
                || qs[0] != ks[0] || qs[1] != ks[1] || qs[3] != ks[3]) {
            throw new IllegalArgumentException("attention needs q [B,H,Lq,D], k [B,H,Lk,D] and v [B,H,Lk,Dv], got q " + Shapes.str(qs)
                    + ", k " + Shapes.str(ks) + ", v " + Shapes.str(vs));
        }
        int b = qs[0], h = qs[1], lq = qs[2], lk = ks[2], d = qs[3], dv = vs[3];
        Tensor len = lengths("attention key-padding lengths (kvLen)", kvLen, b, q.device());
        if (Math.max(d, dv) > 128 && q.device().kind() != Device.Kind.CPU) {
            return composedAttention(q, k, v, causal, len, scale);
        }
        Backend be = q.backend();
        Device dev = q.device();
        Tensor o = Tensor.empty(dev, DType.FLOAT32, b, h, lq, dv);
        Tensor lse = Tensor.empty(dev, DType.FLOAT32, b, h, lq);
        AttentionGeometry geo = new AttentionGeometry(b, h, lq, lk, d, dv, scale, causal);
        be.sequence().attention(geo, q.buffer(), k.buffer(), v.buffer(), o.buffer(), lse.buffer(), buf(len));
        return Autograd.op("attention", o, g -> {
            Tensor dq = Tensor.empty(dev, DType.FLOAT32, qs);
            Tensor dk = Tensor.empty(dev, DType.FLOAT32, ks);
            Tensor dV = Tensor.empty(dev, DType.FLOAT32, vs);
            be.sequence().attentionBackward(geo, q.buffer(), k.buffer(), v.buffer(), o.buffer(), lse.buffer(), g.buffer(),
                    dq.buffer(), dk.buffer(), dV.buffer(), buf(len));
            return new Tensor[] {dq, dk, dV};
        }, q, k, v);
    }

    /**
     * {@link #maskedAttention(Tensor, Tensor, Tensor, boolean, Tensor, float)} with scale 1/√D.
     */
    public static Tensor maskedAttention(Tensor q, Tensor k, Tensor v, boolean causal, Tensor mask) {
        return maskedAttention(q, k, v, causal, mask, (float) (1 / Math.sqrt(q.size(-1))));
    }

    /**
     * Attention under an explicit mask. {@code mask} (INT32, INT64 or FLOAT32; nonzero means the
     * query may attend to the key) has rank 4 and broadcasts to the scores {@code [B, H, Lq, Lk]}:
     * each of its first three sizes is the scores' size or 1, the last is {@code Lk}. So
     * {@code [B,1,1,Lk]} is a key-padding mask, {@code [1,1,Lq,Lk]} one mask for every row, and
     * {@code [B,H,Lq,Lk]} one per head. {@code causal} is applied on top; a query row left with no
     * key gives 0, as in {@link #scaledDotProductAttention(Tensor, Tensor, Tensor, boolean, Tensor, float)}.
     *
     * <p>The mask is read to the host. A key-padding mask whose kept keys are a prefix of every row
     * (what padding produces) becomes per-row lengths and runs on the fused kernel; any other mask
     * takes the composed matmul/softmax path, which holds a {@code [B, H|1, Lq, Lk]} score mask.
     */
    public static Tensor maskedAttention(Tensor q, Tensor k, Tensor v, boolean causal, Tensor mask, float scale) {
        if (mask == null || q.rank() != 4 || k.rank() != 4) {
            return scaledDotProductAttention(q, k, v, causal, null, scale); // (bad ranks: its shape error)
        }
        int[] ms = mask.shape();
        int b = q.size(0), h = q.size(1), lq = q.size(2), lk = k.size(2);
        boolean shapeOk = ms.length == 4 && ms[3] == lk && (ms[0] == b || ms[0] == 1)
                && (ms[1] == h || ms[1] == 1) && (ms[2] == lq || ms[2] == 1);
        if (!shapeOk) {
            throw new IllegalArgumentException("attention mask must broadcast to the scores [B,H,Lq,Lk] = " + Shapes.str(b, h, lq, lk)
                    + " (rank 4, each size equal or 1, the last equal to Lk), got " + Shapes.str(ms));
        }
        if (mask.dtype() != DType.FLOAT32 && !mask.dtype().isIndex()) {
            throw new IllegalArgumentException("attention mask must be INT32, INT64 or FLOAT32 (nonzero = may attend), got " + mask.dtype());
        }
        float[] keep = mask.toType(DType.FLOAT32).toFloatArray();
        int[] prefix = ms[1] == 1 && ms[2] == 1 ? prefixLengths(keep, ms[0], lk) : null;
        if (prefix != null) {
            boolean all = true;
            int[] perRow = new int[b];
            for (int r = 0; r < b; r++) {
                perRow[r] = prefix[ms[0] == 1 ? 0 : r];
                all &= perRow[r] == lk;
            }
            return scaledDotProductAttention(q, k, v, causal, all ? null : Tensor.fromIndices(perRow).to(q.device()), scale);
        }
        return composedAttention(q, k, v, scale, ms[0], ms[1],
                (bb, hh, i, j) -> keep[((bb * ms[1] + hh) * ms[2] + (ms[2] == 1 ? 0 : i)) * lk + j] != 0 && (!causal || j <= i));
    }

    /** Per-row count of kept keys when each row of {@code keep [rows, lk]} is ones then zeros; else null. */
    private static int[] prefixLengths(float[] keep, int rows, int lk) {
        int[] len = new int[rows];
        for (int r = 0; r < rows; r++) {
            int n = 0;
            while (n < lk && keep[r * lk + n] != 0) {
                n++;
            }
            for (int j = n; j < lk; j++) {
                if (keep[r * lk + j] != 0) {
                    return null;
                }
            }
            len[r] = n;
        }
        return len;
    }

    /** Whether query {@code i} of batch row {@code b}, head {@code h} may attend to key {@code j}. */
    @FunctionalInterface
    private interface Visible {
        boolean at(int b, int h, int i, int j);
    }

    /** The unfused reference path for lengths and {@code causal}. */
    static Tensor composedAttention(Tensor q, Tensor k, Tensor v, boolean causal, Tensor len, float scale) {
        long[] lens = len == null ? null : len.toLongArray();
        return composedAttention(q, k, v, scale, q.size(0), 1,
                (bb, hh, i, j) -> (lens == null || j < lens[bb]) && (!causal || j <= i));
    }

    /**
     * The unfused path: an explicit score matrix, an additive mask {@code [mb, mh, Lq, Lk]} ({@code mb},
     * {@code mh} are 1 where it is shared by every batch row or head), softmax, and rows with no
     * visible key zeroed.
     */
    private static Tensor composedAttention(Tensor q, Tensor k, Tensor v, float scale, int mb, int mh, Visible visible) {
        int mq = q.size(2), lk = k.size(2);
        float[] add = new float[mb * mh * mq * lk];
        float[] any = new float[mb * mh * mq];
        for (int bb = 0; bb < mb; bb++) {
            for (int hh = 0; hh < mh; hh++) {
                for (int i = 0; i < mq; i++) {
                    int row = (bb * mh + hh) * mq + i;
                    for (int j = 0; j < lk; j++) {
                        if (visible.at(bb, hh, i, j)) {
                            any[row] = 1f;
                        } else {
                            add[row * lk + j] = -1e30f;
                        }
                    }
                }
            }
        }
        Tensor mask = Tensor.fromArray(add, mb, mh, mq, lk).to(q.device());
        Tensor rowsVisible = Tensor.fromArray(any, mb, mh, mq, 1).to(q.device());
        Tensor p = q.matmul(k.transpose(-2, -1)).mul(scale).add(mask).softmax(-1);
        return p.matmul(v).mul(rowsVisible);
    }

    // =============================================================================================
    // LSTM
    // =============================================================================================

    /**
     * Outputs of {@link #lstm}.
     *
     * @param output {@code [B, T, H]} hidden state at every step (at padded steps, the last valid one)
     * @param h      {@code [B, H]} hidden state after each row's last valid step
     * @param c      {@code [B, H]} cell state after each row's last valid step
     */
    public record LstmResult(Tensor output, Tensor h, Tensor c) {
    }

    /**
     * One LSTM layer over a batch-first sequence {@code x [B, T, I]} with weights {@code w [I, 4H]},
     * {@code u [H, 4H]}, {@code bias [4H]} (nullable) in gate order i, f, g, o; initial states
     * {@code h0}, {@code c0} ({@code [B, H]}, nullable = zeros); {@code lengths} (nullable, INT {@code [B]},
     * each in [0, T]) masks steps {@code t >= lengths[b]}, whose states carry over unchanged.
     * The input projection of all steps is one GEMM; each step is a recurrent GEMM and one fused cell call.
     */
    public static LstmResult lstm(Tensor x, Tensor h0, Tensor c0, Tensor w, Tensor u, Tensor bias, Tensor lengths) {
        requireFloat("lstm", x);
        if (x.rank() != 3) {
            throw new IllegalArgumentException("lstm needs a batch-first input [B, T, I], got " + Shapes.str(x.shape()));
        }
        int bsz = x.size(0), steps = x.size(1), in = x.size(2);
        if (u.rank() != 2 || u.size(1) % 4 != 0 || u.size(0) * 4 != u.size(1)) {
            throw new IllegalArgumentException("lstm: recurrent weight must be [H, 4H], got " + Shapes.str(u.shape()));
        }
        int hid = u.size(0);
        checkShape("lstm input weight", w, in, 4 * hid);
        if (bias != null) {
            checkShape("lstm bias", bias, 4 * hid);
        }
        if (h0 != null) {
            checkShape("lstm h0", h0, bsz, hid);
        }
        if (c0 != null) {
            checkShape("lstm c0", c0, bsz, hid);
        }
        if (steps == 0) {
            throw new IllegalArgumentException("lstm needs at least one time step, input is " + Shapes.str(x.shape()));
        }
        for (Tensor t : new Tensor[] {w, u, bias, h0, c0}) {
            if (t != null) {
                requireSameDevice("lstm", x, t);
            }
        }
        Tensor len = lengths("lstm lengths", lengths, bsz, x.device());
        if (len != null && len.device().kind() == Device.Kind.CPU) {
            for (long l : len.toLongArray()) {
                if (l < 0 || l > steps) {
                    throw new IllegalArgumentException("lstm: length " + l + " is outside [0, " + steps + "] for input " + Shapes.str(x.shape()));
                }
            }
        }
        Tensor xTm = x.permute(1, 0, 2);
        Tensor packed = lstmTimeMajor(xTm, h0, c0, w, u, bias, len);
        Tensor hs = packed.select(0, 0);
        Tensor output = hs.permute(1, 0, 2);
        return new LstmResult(output, hs.select(0, steps - 1), packed.select(0, 1).select(0, steps - 1));
    }

    /** The recorded core: time-major {@code xTm [T, B, I]} to {@code [2, T, B, H]} (all h, all c). */
    private static Tensor lstmTimeMajor(Tensor xTm, Tensor h0, Tensor c0, Tensor w, Tensor u, Tensor bias, Tensor len) {
        int steps = xTm.size(0), bsz = xTm.size(1), in = xTm.size(2), hid = u.size(0), g4 = 4 * hid;
        long sh = (long) bsz * hid, sg = (long) bsz * g4;
        Backend be = xTm.backend();
        Device dev = xTm.device();
        Tensor gx = Tensor.empty(dev, DType.FLOAT32, steps * bsz, g4);
        gemm(be, false, false, steps * bsz, g4, in, xTm.buffer(), 0, w.buffer(), 0, 0f, gx.buffer(), 0);
        Tensor packed = Tensor.empty(dev, DType.FLOAT32, 2, steps, bsz, hid);
        Tensor gates = Tensor.empty(dev, DType.FLOAT32, steps, bsz, g4);
        Tensor gh = Tensor.empty(dev, DType.FLOAT32, bsz, g4);
        Buffer pb = packed.buffer();
        long cBase = steps * sh;
        for (int t = 0; t < steps; t++) {
            Buffer hp = t == 0 ? buf(h0) : pb;
            long hpOff = t == 0 ? 0 : (t - 1) * sh;
            Buffer cp = t == 0 ? buf(c0) : pb;
            long cpOff = t == 0 ? 0 : cBase + (t - 1) * sh;
            Buffer ghArg = null;
            if (hp != null) {
                gemm(be, false, false, bsz, g4, hid, hp, hpOff, u.buffer(), 0, 0f, gh.buffer(), 0);
                ghArg = gh.buffer();
            }
            be.sequence().lstmCell(new LstmStep(t, bsz, hid), BufferView.of(gx.buffer(), t * sg), ghArg, buf(bias),
                    BufferView.of(hp, hpOff), BufferView.of(cp, cpOff), BufferView.of(pb, t * sh), BufferView.of(pb, cBase + t * sh),
                    BufferView.of(gates.buffer(), t * sg), buf(len));
        }
        List<Tensor> ins = new ArrayList<>(List.of(xTm, w, u));
        for (Tensor t : new Tensor[] {bias, h0, c0}) {
            if (t != null) {
                ins.add(t);
            }
        }
        return Autograd.op("lstm", packed, g -> {
            Buffer gb = g.buffer();
            Tensor dGates = Tensor.empty(dev, DType.FLOAT32, steps * bsz, g4);
            Tensor dhRec = Tensor.zeros(dev, bsz, hid);
            Tensor dhCarry = Tensor.zeros(dev, bsz, hid);
            Tensor dc = Tensor.empty(dev, DType.FLOAT32, bsz, hid);
            Tensor scratch = Tensor.empty(dev, DType.FLOAT32, bsz, hid);
            int[] st = {1};
            int[] shape1 = {(int) sh};
            int[] strides2 = Shapes.strides(new int[] {bsz, hid});
            int[] shape2 = {bsz, hid};
            for (int t = steps - 1; t >= 0; t--) {
                // dc entering step t: what step t+1 passed back plus any gradient on c_t from outside.
                if (t == steps - 1) {
                    be.copyStrided(gb, cBase + t * sh, st, dc.buffer(), 0, st, shape1);
                } else {
                    be.copyStrided(gb, cBase + t * sh, st, scratch.buffer(), 0, st, shape1);
                    be.binary(BinaryOp.ADD, dc.buffer(), strides2, scratch.buffer(), strides2, dc.buffer(), shape2);
                }
                Buffer cp = t == 0 ? buf(c0) : pb;
                long cpOff = t == 0 ? 0 : cBase + (t - 1) * sh;
                be.sequence().lstmCellBackward(new LstmStep(t, bsz, hid), BufferView.of(gb, t * sh),
                        t == steps - 1 ? null : dhRec.buffer(), dc.buffer(), BufferView.of(gates.buffer(), t * sg),
                        BufferView.of(cp, cpOff), BufferView.of(pb, cBase + t * sh), BufferView.of(dGates.buffer(), t * sg),
                        dc.buffer(), dhCarry.buffer(), buf(len));
                if (len != null) {
                    gemm(be, false, true, bsz, hid, g4, dGates.buffer(), t * sg, u.buffer(), 0, 1f, dhCarry.buffer(), 0);
                    Tensor tmp = dhRec;
                    dhRec = dhCarry;
                    dhCarry = tmp;
                } else {
                    gemm(be, false, true, bsz, hid, g4, dGates.buffer(), t * sg, u.buffer(), 0, 0f, dhRec.buffer(), 0);
                }
            }
            // h_{t-1} for every step (h0 or zeros first) for dU = Σ h_{t-1}ᵀ dGates_t as one GEMM.
            Tensor hPrev = Tensor.zeros(dev, steps * bsz, hid);
            if (h0 != null) {
                be.copyStrided(h0.buffer(), 0, st, hPrev.buffer(), 0, st, shape1);
            }
            if (steps > 1) {
                be.copyStrided(pb, 0, st, hPrev.buffer(), sh, st, new int[] {(int) ((steps - 1) * sh)});
            }
            Tensor du = Tensor.mm(hPrev, true, dGates, false);
            Tensor dw = Tensor.mm(xTm.reshape(steps * bsz, in), true, dGates, false);
            Tensor dx = Tensor.mm(dGates, false, w, true).reshape(steps, bsz, in);
            List<Tensor> out = new ArrayList<>(List.of(dx, dw, du));
            if (bias != null) {
                Tensor db = Tensor.empty(dev, DType.FLOAT32, g4);
                be.reduce(ReduceOp.SUM, dGates.buffer(), 1, steps * bsz, g4, db.buffer());
                out.add(db);
            }
            if (h0 != null) {
                out.add(dhRec);
            }
            if (c0 != null) {
                out.add(dc);
            }
            return out.toArray(new Tensor[0]);
        }, ins.toArray(new Tensor[0]));
    }

    private static void gemm(Backend be, boolean ta, boolean tb, int m, int n, int k, Buffer a, long aOff, Buffer b, long bOff,
                             float beta, Buffer c, long cOff) {
        if (k == 0) {
            if (beta == 0f) {
                throw new IllegalStateException("lstm: empty inner dimension");
            }
            return;
        }
        be.gemm(Gemm.of(ta, tb, m, n, k).scaled(1f, beta), BufferView.of(a, aOff), BufferView.of(b, bOff), BufferView.of(c, cOff));
    }

    // =============================================================================================
    // Checks
    // =============================================================================================

    private static Buffer buf(Tensor t) {
        return t == null ? null : t.buffer();
    }

    /** A 1-D INT32 copy of {@code lengths} on {@code device}, or null; an error for the wrong shape or dtype. */
    static Tensor lengths(String what, Tensor lengths, int batch, Device device) {
        if (lengths == null) {
            return null;
        }
        if (!lengths.dtype().isIndex() || lengths.rank() != 1 || lengths.size(0) != batch) {
            throw new IllegalArgumentException(what + " must be an INT32/INT64 tensor of shape [" + batch + "] (one length per batch row), got "
                    + lengths.dtype() + " " + Shapes.str(lengths.shape()));
        }
        return lengths.toType(DType.INT32).to(device);
    }

    private static void checkShape(String what, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(what + " has shape " + Shapes.str(t.shape()) + ", expected " + Shapes.str(expected));
        }
        requireFloat(what, t);
    }

    private static void requireFloat(String op, Tensor t) {
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + " needs a FLOAT32 tensor, got " + t.dtype() + " " + Shapes.str(t.shape()));
        }
    }

    private static void requireSameDevice(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": tensors are on different devices, " + a.device() + " and " + b.device());
        }
    }
}
