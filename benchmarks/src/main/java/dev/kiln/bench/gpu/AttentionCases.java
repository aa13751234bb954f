package dev.kiln.bench.gpu;

import dev.kiln.kernels.Kernels;
import dev.kiln.kernels.Kernels.Attention;
import dev.kiln.backend.AttentionGeometry;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.DType;
import dev.kiln.backend.BinaryOp;
import dev.kiln.cuda.CudaBackend;
import dev.kiln.cuda.CudaBuffer;
import dev.kiln.cuda.CudaDriver;

import java.util.Locale;

/**
 * The attention cases the sequence benchmarks time ({@link SequenceBench}, {@link AttentionBenchmark}):
 * {@code [B, H, L, D]} FP32 Q, K, V (standard normal, drawn on the device), self-attention
 * ({@code Lq = Lk = L}), scale {@code 1/sqrt(D)}, causal or not, forward and backward.
 *
 * <ul>
 *   <li>Ours: the fused flash kernels through the backend's SPI ({@code CudaBackend.attention} /
 *       {@code attentionBackward}: {@code kiln_attention_forward_d{64,128}_f32}, then
 *       {@code backward_delta}, {@code backward_dq}, {@code backward_dkdv}), and the BF16 mma
 *       kernels launched raw on bf16 copies of the same inputs: forward
 *       {@code kiln_attention_forward_mma_d{64,128}_bf16}; backward
 *       {@code kiln_attention_backward_delta_bf16}, {@code backward_dq_mma_d*_bf16},
 *       {@code backward_dkdv_mma_d*_bf16} (FP32 gradients) from the BF16 forward's O and lse.</li>
 *   <li>Unfused: {@code S = scale·QKᵀ} materialised as {@code [B·H, L, L]} FP32 by a batched GEMM,
 *       (causal: {@code S += mask}, a broadcast add of an {@code L×L} 0/−∞ matrix), row softmax in
 *       place ({@code kiln_softmax_forward_f32}), {@code O = P·V}; backward {@code dV = Pᵀ·dO},
 *       {@code dP = dO·Vᵀ}, {@code dS = softmax'(P, dP)} in place, {@code dQ = scale·dS·K},
 *       {@code dK = scale·dSᵀ·Q}. The GEMMs are cuBLAS ({@code cublasSgemmStridedBatched}, or
 *       {@code cublasGemmStridedBatchedEx} with TF32 compute) through the driver's vendor entry
 *       points, or Kiln's own GEMM through the backend (the only one under the emulator).</li>
 * </ul>
 */
final class AttentionCases implements AutoCloseable {

    /** The BF16 forward, dQ and dK/dV kernels of each head dim. */
    private static final java.util.Map<Integer, Kernels.Entry[]> BF16 = java.util.Map.of(
            32, new Kernels.Entry[] {Attention.FORWARD_MMA_D32_BF16, Attention.BACKWARD_DQ_MMA_D32_BF16, Attention.BACKWARD_DKDV_MMA_D32_BF16},
            64, new Kernels.Entry[] {Attention.FORWARD_MMA_D64_BF16, Attention.BACKWARD_DQ_MMA_D64_BF16, Attention.BACKWARD_DKDV_MMA_D64_BF16},
            128, new Kernels.Entry[] {Attention.FORWARD_MMA_D128_BF16, Attention.BACKWARD_DQ_MMA_D128_BF16,
                Attention.BACKWARD_DKDV_MMA_D128_BF16});

    enum Pass { FORWARD, BACKWARD }

    /** Which GEMM the unfused path uses. */
    enum UnfusedGemm { CUBLAS_FP32, CUBLAS_TF32, KILN }

    enum Impl {
        FLASH_F32("kiln flash FP32", null),
        FLASH_BF16("kiln flash mma BF16", null),
        UNFUSED_CUBLAS("unfused cublasSgemm + kiln softmax", UnfusedGemm.CUBLAS_FP32),
        UNFUSED_CUBLAS_TF32("unfused cuBLAS TF32 + kiln softmax", UnfusedGemm.CUBLAS_TF32),
        UNFUSED_KILN("unfused kiln GEMM + kiln softmax", UnfusedGemm.KILN);

        final String label;
        final UnfusedGemm gemm;

        Impl(String label, UnfusedGemm gemm) {
            this.label = label;
            this.gemm = gemm;
        }

        boolean unfused() {
            return gemm != null;
        }

        /** Why this implementation cannot run this pass here, or null. */
        String unavailable(GpuContext g, Pass pass) {
            if (this == FLASH_BF16 && g.cc() < 80) {
                return "the mma kernel needs sm_80+";
            }
            if ((gemm == UnfusedGemm.CUBLAS_FP32 || gemm == UnfusedGemm.CUBLAS_TF32) && !g.vendor()) {
                return "unavailable under the emulator (no cuBLAS)";
            }
            return null;
        }
    }

    /** One size: batch, heads, sequence length, head dim, causal. */
    record Size(int b, int h, int l, int d, boolean causal) {
        long bh() {
            return (long) b * h;
        }

        /** Matrix-product FLOPs: forward 4·B·H·L²·D, backward 2.5× that; causal counts half. */
        double flops(Pass p) {
            double f = 4.0 * bh() * l * (double) l * d * (p == Pass.BACKWARD ? 2.5 : 1.0);
            return causal ? f / 2 : f;
        }

        /** Bytes of the unfused path's L×L buffers: S (forward), plus dP/dS (backward). */
        long scoresBytes(Pass p) {
            return 4L * bh() * l * l * (p == Pass.BACKWARD ? 2 : 1);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "B%d H%d L%d D%d%s", b, h, l, d, causal ? " causal" : "");
        }
    }

    final GpuContext g;
    final CudaBackend be;
    Size s;
    final float scale;
    final long rows, elems;
    // FP32 inputs and our outputs
    final CudaBuffer q, k, v, dout, o, lse, dq, dk, dv;
    // unfused outputs and the L×L buffers (allocated on first use)
    CudaBuffer uo, udq, udk, udv, scores, dscores, mask;
    // bf16 copies (raw device memory) and the bf16 output
    long qb, kb, vb, ob, gb;
    // the bf16 path's lse, delta and FP32 gradients (allocated on first use)
    CudaBuffer lseb, deltab, dqb, dkb, dvb;
    private boolean forwardDone, bf16ForwardDone;

    AttentionCases(GpuContext g, Size s, long seed) {
        this.g = g;
        this.be = g.backend;
        this.s = s;
        this.scale = (float) (1.0 / Math.sqrt(s.d()));
        this.rows = s.bh() * s.l();
        this.elems = rows * s.d();
        q = normal(seed);
        k = normal(seed + 1);
        v = normal(seed + 2);
        dout = normal(seed + 3);
        o = f32(elems);
        lse = f32(rows);
        dq = f32(elems);
        dk = f32(elems);
        dv = f32(elems);
    }

    private CudaBuffer f32(long n) {
        return (CudaBuffer) be.allocate(DType.FLOAT32, Math.max(1, n));
    }

    private CudaBuffer normal(long seed) {
        CudaBuffer b = f32(elems);
        be.random(b, elems, seed, 0, true);
        return b;
    }

    /** Switches between causal and not on the same inputs (the saved forward state is redone). */
    void causal(boolean causal) {
        if (causal != s.causal()) {
            s = new Size(s.b(), s.h(), s.l(), s.d(), causal);
            forwardDone = false;
            bf16ForwardDone = false;
        }
    }

    /** The operation one timed call runs. Our backward and the unfused backward reuse their own forward's saved state. */
    Runnable op(Impl impl, Pass pass) {
        switch (impl) {
            case FLASH_F32:
                if (pass == Pass.FORWARD) {
                    return this::flashForward;
                }
                ensureFlashForward();
                return this::flashBackward;
            case FLASH_BF16:
                ensureBf16();
                if (pass == Pass.FORWARD) {
                    return this::bf16Forward;
                }
                if (!bf16ForwardDone) {
                    bf16Forward();
                    bf16ForwardDone = true;
                }
                return this::bf16Backward;
            default:
                ensureUnfused(pass);
                if (pass == Pass.FORWARD) {
                    return () -> unfusedForward(impl.gemm);
                }
                unfusedForward(impl.gemm);
                return () -> unfusedBackward(impl.gemm);
        }
    }

    // ---- ours --------------------------------------------------------------------------------

    private AttentionGeometry geometry() {
        return new AttentionGeometry(s.b(), s.h(), s.l(), s.l(), s.d(), scale, s.causal());
    }

    void flashForward() {
        be.sequence().attention(geometry(), q, k, v, o, lse, null);
    }

    private void ensureFlashForward() {
        if (!forwardDone) {
            flashForward();
            forwardDone = true;
        }
    }

    void flashBackward() {
        be.sequence().attentionBackward(geometry(), q, k, v, o, lse, dout, dq, dk, dv, null);
    }

    private void ensureBf16() {
        if (qb == 0) {
            qb = toBf16(q);
            kb = toBf16(k);
            vb = toBf16(v);
            ob = g.driver.malloc(2L * elems + 16);
            gb = toBf16(dout);
            lseb = f32(rows);
            deltab = f32(rows);
            dqb = f32(elems);
            dkb = f32(elems);
            dvb = f32(elems);
        }
    }

    /** A bf16 copy of an FP32 device buffer (rounded on the host: there is no FP32→BF16 kernel). */
    private long toBf16(CudaBuffer x) {
        if (elems > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many elements for a host bf16 copy: " + elems);
        }
        float[] h = new float[(int) elems];
        g.driver.copyDtoH(h, 0, x.pointer(), 4L * elems);
        return g.uploadBf16(h);
    }

    /** The BF16 forward; it writes lse too, which the BF16 backward reads. */
    void bf16Forward() {
        int d = s.d(), h = s.h(), l = s.l(), causal = s.causal() ? 1 : 0;
        long lp = lseb.pointer();
        be.launch(BF16.get(d)[0], new int[] {(l + 63) / 64, h, s.b()}, new int[] {128, 1, 1}, 0,
                a -> a.ptr(qb).ptr(kb).ptr(vb).ptr(ob).ptr(lp).ptr(0).i32(h).i32(l).i32(l).f32(scale).i32(causal));
    }

    /** The BF16 backward: delta from the bf16 O and dO, then the dQ and dK/dV mma kernels (SEQUENCE.md launch shapes). */
    void bf16Backward() {
        int d = s.d(), h = s.h(), l = s.l(), causal = s.causal() ? 1 : 0;
        int owned = d == 128 ? 32 : 64;   // rows per block; 2 threads per row
        long lp = lseb.pointer(), dp = deltab.pointer(), dqp = dqb.pointer(), dkp = dkb.pointer(), dvp = dvb.pointer();
        int dg = (int) Math.max(1, Math.min(65535, (rows + 7) / 8));
        be.launch(Attention.BACKWARD_DELTA_BF16, new int[] {dg, 1, 1}, new int[] {32, 8, 1}, 0,
                a -> a.ptr(ob).ptr(gb).ptr(dp).i64(rows).i32(d));
        int[] grid = {(l + owned - 1) / owned, h, s.b()}, block = {2 * owned, 1, 1};
        be.launch(BF16.get(d)[1], grid, block, 0,
                a -> a.ptr(qb).ptr(kb).ptr(vb).ptr(gb).ptr(lp).ptr(dp).ptr(dqp).ptr(0).i32(h).i32(l).i32(l).f32(scale).i32(causal));
        be.launch(BF16.get(d)[2], grid, block, 0,
                a -> a.ptr(qb).ptr(kb).ptr(vb).ptr(gb).ptr(lp).ptr(dp).ptr(dkp).ptr(dvp).ptr(0).i32(h).i32(l).i32(l).f32(scale)
                        .i32(causal));
    }

    // ---- unfused -----------------------------------------------------------------------------

    private void ensureUnfused(Pass pass) {
        if (uo == null) {
            uo = f32(elems);
        }
        if (scores == null) {
            scores = f32(s.bh() * s.l() * (long) s.l());
        }
        if (s.causal() && mask == null) {
            int l = s.l();
            float[] m = new float[l * l];
            for (int i = 0; i < l; i++) {
                for (int j = i + 1; j < l; j++) {
                    m[i * l + j] = Float.NEGATIVE_INFINITY;
                }
            }
            mask = f32((long) l * l);
            be.upload(m, mask);
        }
        if (pass == Pass.BACKWARD && dscores == null) {
            dscores = f32(s.bh() * s.l() * (long) s.l());
            udq = f32(elems);
            udk = f32(elems);
            udv = f32(elems);
        }
    }

    /** Frees the unfused path's buffers (after a failed allocation of its L×L scores). */
    void dropUnfused() {
        be.synchronize();
        for (CudaBuffer b : new CudaBuffer[] {uo, udq, udk, udv, scores, dscores, mask}) {
            if (b != null) {
                b.close();
            }
        }
        uo = udq = udk = udv = scores = dscores = mask = null;
    }

    private void mm(UnfusedGemm gemm, boolean ta, boolean tb, int m, int n, int kk, float alpha,
                    CudaBuffer a, long sa, CudaBuffer b, long sb, CudaBuffer c, long sc) {
        int batch = (int) s.bh();
        switch (gemm) {
            case CUBLAS_FP32:
                g.driver.vendorSgemm(ta, tb, batch, m, n, kk, alpha, a.pointer(), sa, b.pointer(), sb, 0f, c.pointer(), sc);
                break;
            case CUBLAS_TF32:
                g.driver.vendorGemmEx(ta, tb, batch, m, n, kk, alpha, a.pointer(), sa, b.pointer(), sb, 0f, c.pointer(), sc,
                        CudaDriver.GemmType.F32, CudaDriver.GemmType.F32, CudaDriver.GemmCompute.TF32);
                break;
            default:
                be.gemm(new Gemm(ta, tb, batch, m, n, kk, alpha, 0f, sa, sb, sc),
                BufferView.of(a, 0), BufferView.of(b, 0), BufferView.of(c, 0));
        }
    }

    void unfusedForward(UnfusedGemm gemm) {
        int l = s.l(), d = s.d();
        long ld = (long) l * d, ll = (long) l * l;
        mm(gemm, false, true, l, l, d, scale, q, ld, k, ld, scores, ll);
        if (s.causal()) {
            be.binary(BinaryOp.ADD, scores, new int[] {l * l, l, 1}, mask, new int[] {0, l, 1}, scores, new int[] {(int) s.bh(), l, l});
        }
        be.softmax(scores, scores, (int) rows, l, 1, false);
        mm(gemm, false, false, l, d, l, 1f, scores, ll, v, ld, uo, ld);
    }

    void unfusedBackward(UnfusedGemm gemm) {
        int l = s.l(), d = s.d();
        long ld = (long) l * d, ll = (long) l * l;
        mm(gemm, true, false, l, d, l, 1f, scores, ll, dout, ld, udv, ld);       // dV = Pᵀ·dO
        mm(gemm, false, true, l, l, d, 1f, dout, ld, v, ld, dscores, ll);        // dP = dO·Vᵀ
        be.softmaxBackward(scores, dscores, dscores, (int) rows, l, 1, false);   // dS (unscaled)
        mm(gemm, false, false, l, d, l, scale, dscores, ll, k, ld, udq, ld);     // dQ = scale·dS·K
        mm(gemm, true, false, l, d, l, scale, dscores, ll, q, ld, udk, ld);      // dK = scale·dSᵀ·Q
    }

    // ---- checks ------------------------------------------------------------------------------

    /** How many leading elements of each output the checks compare (whole heads, at most 2²² floats). */
    long checked() {
        long perHead = (long) s.l() * s.d();
        return Math.min(elems, Math.max(perHead, (1L << 22) / perHead * perHead));
    }

    float[] head(CudaBuffer b) {
        int n = (int) checked();
        float[] x = new float[n];
        g.driver.copyDtoH(x, 0, b.pointer(), 4L * n);
        return x;
    }

    float[] headBf16(long p) {
        return g.downloadBf16(p, (int) checked());
    }

    /** NaN-fills the outputs {@code impl} writes in {@code pass}, so an unwritten element fails the check. */
    void poison(Impl impl, Pass pass) {
        long bytes = 4L * elems;
        if (impl == Impl.FLASH_BF16) {
            if (pass == Pass.FORWARD) {
                g.poison(ob, 2L * elems);
            } else {
                for (CudaBuffer b : new CudaBuffer[] {dqb, dkb, dvb}) {
                    g.poison(b.pointer(), bytes);
                }
            }
        } else if (impl == Impl.FLASH_F32) {
            if (pass == Pass.FORWARD) {
                g.poison(o.pointer(), bytes);
            } else {
                for (CudaBuffer b : new CudaBuffer[] {dq, dk, dv}) {
                    g.poison(b.pointer(), bytes);
                }
            }
        } else if (pass == Pass.FORWARD) {
            g.poison(uo.pointer(), bytes);
        } else {
            for (CudaBuffer b : new CudaBuffer[] {udq, udk, udv}) {
                g.poison(b.pointer(), bytes);
            }
        }
    }

    /** The checked outputs of {@code impl} after a call: O, or dQ, dK, dV. */
    float[][] outputs(Impl impl, Pass pass) {
        be.synchronize();
        if (impl == Impl.FLASH_BF16) {
            return pass == Pass.FORWARD ? new float[][] {headBf16(ob)} : new float[][] {head(dqb), head(dkb), head(dvb)};
        }
        if (impl == Impl.FLASH_F32) {
            return pass == Pass.FORWARD ? new float[][] {head(o)} : new float[][] {head(dq), head(dk), head(dv)};
        }
        return pass == Pass.FORWARD ? new float[][] {head(uo)} : new float[][] {head(udq), head(udk), head(udv)};
    }

    /** The largest ‖got − ref‖ / ‖ref‖ over the outputs (NaN if any NaN was read). */
    static double maxRelErr(float[][] got, float[][] ref) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            double e = GpuContext.relErr(got[i], ref[i]);
            if (Double.isNaN(e)) {
                return Double.NaN;
            }
            worst = Math.max(worst, e);
        }
        return worst;
    }

    static double tolerance(Impl impl) {
        switch (impl) {
            case FLASH_BF16: return 2e-2;
            case UNFUSED_CUBLAS_TF32: return 1e-2;
            default: return 2e-4;
        }
    }

    @Override
    public void close() {
        be.synchronize();
        for (CudaBuffer b : new CudaBuffer[] {q, k, v, dout, o, lse, dq, dk, dv, uo, udq, udk, udv, scores, dscores, mask, lseb,
                deltab, dqb, dkb, dvb}) {
            if (b != null) {
                b.close();
            }
        }
        for (long p : new long[] {qb, kb, vb, ob, gb}) {
            if (p != 0) {
                g.driver.free(p);
            }
        }
        qb = kb = vb = ob = gb = 0;
    }
}
