package dev.kiln.bench.gpu;

import dev.kiln.kernels.Kernels;
import dev.kiln.kernels.Kernels.Elementwise;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.LstmStep;
import dev.kiln.DType;
import dev.kiln.backend.ReduceOp;
import dev.kiln.cuda.CudaBackend;
import dev.kiln.cuda.CudaBuffer;
import dev.kiln.cuda.CudnnLstm;

import java.util.Locale;

/**
 * The LSTM-layer cases the sequence benchmarks time ({@link SequenceBench}, {@link LstmBenchmark}):
 * one layer, input size = hidden size {@code H}, batch {@code B}, {@code T} steps, time-major,
 * random (standard normal) input, weights scaled by {@code 1/sqrt(H)}, initial states and the
 * upstream gradient of every {@code h_t}; never zeros.
 *
 * <p>Both paths make the same GEMM calls through the backend ({@code CudaBackend.gemm}, so Kiln's
 * own GEMM unless {@code kiln.cuda.impl.gemm=vendor}): forward {@code Gx = X·W} for all steps at
 * once, then per step {@code Gh = h_{t-1}·U}; backward per step {@code dh_rec = dG_t·Uᵀ}, then
 * {@code dU = H_{prev}ᵀ·dG}, {@code dW = Xᵀ·dG}, {@code dX = dG·Wᵀ} and {@code dbias = Σ dG}
 * over all steps. They differ only in the gate arithmetic:
 * <ul>
 *   <li>fused (ours): per step one {@code kiln_lstm_cell_forward_f32} (backward
 *       {@code kiln_lstm_cell_backward_f32}) through the backend's SPI;</li>
 *   <li>unfused: separate elementwise kernels, as a framework without a fused cell would launch
 *       them: forward {@code pre = Gh + Gx_t} and {@code + bias} (broadcast adds that also
 *       regroup the gates gate-major, so the rest is contiguous), sigmoid, tanh,
 *       {@code c = f·c_prev}, {@code i·g}, {@code c += i·g}, {@code tanh(c)}, {@code h = o·tanh(c)}
 *       (9 launches a step); backward 12 elementwise launches and one strided copy back to the
 *       {@code [B, 4H]} layout the GEMMs read.</li>
 *   <li>cuDNN ({@link CudnnLstm}): the same layer with the same weights (packed into cuDNN's
 *       weight space once), {@code cudnnRNNForward} in training mode; backward
 *       {@code cudnnRNNBackwardData_v8} then {@code cudnnRNNBackwardWeights_v8} (unpacking its
 *       weight gradients to Kiln's layout is outside the timed call). FP32 math
 *       ({@code CUDNN_FMA_MATH}).</li>
 * </ul>
 */
final class LstmCases implements AutoCloseable {


    enum Pass { FORWARD, BACKWARD }

    enum Impl {
        FUSED("kiln fused cell"),
        FUSED_CUBLAS_GEMM("kiln fused cell, cuBLAS GEMMs"),
        UNFUSED("unfused elementwise gates"),
        CUDNN("cuDNN RNN v8 (cudnnRNNForward, BackwardData/Weights)");

        final String label;

        Impl(String label) {
            this.label = label;
        }

        String unavailable(GpuContext g) {
            if (g.vendor()) {
                return null;
            }
            return this == FUSED_CUBLAS_GEMM ? "unavailable under the emulator (no cuBLAS)"
                    : this == CUDNN ? "unavailable under the emulator (no cuDNN)" : null;
        }
    }

    record Size(int hidden, int batch, int steps) {
        /** GEMM FLOPs: forward 2·T·B·4H·(In + H) with In = H; backward twice that (dh_rec + dU, dW + dX). */
        double flops(Pass p) {
            double f = 2.0 * steps * batch * 4.0 * hidden * (2.0 * hidden);
            return p == Pass.BACKWARD ? 2 * f : f;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "H%d B%d T%d", hidden, batch, steps);
        }
    }

    final GpuContext g;
    final CudaBackend be;
    final Size s;
    final int h, b, t;
    final long bh, g4;   // B·H and B·4H
    final CudaBuffer x, w, u, bias, dhOut;
    final CudaBuffer gx, gh;   // scratch shared by both paths
    // fused path
    final CudaBuffer hs, cs, gates, dG, dhRec, dc, dU, dW, dX, dBias;
    // unfused path
    final CudaBuffer uhs, ucs, pre, sg, tg, tc, tmp, dA, dPre, udG, udhRec, udc, udU, udW, udX, udBias;
    // cuDNN path (created on first use: needs cuDNN)
    private CudnnLstm cudnn;
    private CudaBuffer cy, cdX, cdh0, cdc0, cdU, cdW, cdBias;
    private boolean fusedForwardDone, unfusedForwardDone, cudnnForwardDone;

    LstmCases(GpuContext g, Size s, long seed) {
        this.g = g;
        this.be = g.backend;
        this.s = s;
        h = s.hidden();
        b = s.batch();
        t = s.steps();
        bh = (long) b * h;
        g4 = 4L * bh;
        float ws = (float) (1.0 / Math.sqrt(h));
        x = normal((long) t * bh, seed, 1f);
        w = normal(4L * h * h, seed + 1, ws);
        u = normal(4L * h * h, seed + 2, ws);
        bias = normal(4L * h, seed + 3, 0.1f);
        dhOut = normal((long) t * bh, seed + 4, 1f);
        CudaBuffer h0 = normal(bh, seed + 5, 0.5f), c0 = normal(bh, seed + 6, 0.5f);
        gx = f32(t * g4);
        gh = f32(g4);
        hs = f32((t + 1) * bh);
        cs = f32((t + 1) * bh);
        uhs = f32((t + 1) * bh);
        ucs = f32((t + 1) * bh);
        for (CudaBuffer dst : new CudaBuffer[] {hs, uhs}) {
            g.driver.copyDtoD(dst.pointer(), h0.pointer(), 4 * bh);
        }
        for (CudaBuffer dst : new CudaBuffer[] {cs, ucs}) {
            g.driver.copyDtoD(dst.pointer(), c0.pointer(), 4 * bh);
        }
        be.synchronize();
        h0.close();
        c0.close();
        gates = f32(t * g4);
        dG = f32(t * g4);
        dhRec = f32(bh);
        dc = f32(bh);
        dU = f32(4L * h * h);
        dW = f32(4L * h * h);
        dX = f32((long) t * bh);
        dBias = f32(4L * h);
        pre = f32(g4);
        sg = f32(t * g4);
        tg = f32((long) t * bh);
        tc = f32((long) t * bh);
        tmp = f32(bh);
        dA = f32(g4);
        dPre = f32(g4);
        udG = f32(t * g4);
        udhRec = f32(bh);
        udc = f32(bh);
        udU = f32(4L * h * h);
        udW = f32(4L * h * h);
        udX = f32((long) t * bh);
        udBias = f32(4L * h);
    }

    private CudaBuffer f32(long n) {
        return (CudaBuffer) be.allocate(DType.FLOAT32, Math.max(1, n));
    }

    private CudaBuffer normal(long n, long seed, float scale) {
        CudaBuffer buf = f32(n);
        be.random(buf, n, seed, 0, true);
        if (scale != 1f) {
            long p = buf.pointer();
            ew(Elementwise.SCALE_F32, n, a -> a.ptr(p).ptr(p).i64(n).f32(scale));
        }
        return buf;
    }

    /** The operation one timed call runs; a backward reuses its own path's forward state. */
    Runnable op(Impl impl, Pass pass) {
        boolean vendorGemm = impl == Impl.FUSED_CUBLAS_GEMM;
        Runnable r;
        if (impl == Impl.CUDNN) {
            CudnnLstm c = cudnn();
            Runnable fwd = () -> c.forward(x.pointer(), hs.pointer(0), cs.pointer(0), cy.pointer(), 0, 0);
            if (pass == Pass.FORWARD) {
                return fwd;
            }
            if (!cudnnForwardDone) {
                fwd.run();
                cudnnForwardDone = true;
            }
            return () -> c.backward(dhOut.pointer(), cdX.pointer(), cdh0.pointer(), cdc0.pointer());
        }
        if (impl == Impl.UNFUSED) {
            if (pass == Pass.FORWARD) {
                r = this::unfusedForward;
            } else {
                if (!unfusedForwardDone) {
                    unfusedForward();
                    unfusedForwardDone = true;
                }
                r = this::unfusedBackward;
            }
        } else if (pass == Pass.FORWARD) {
            r = this::fusedForward;
        } else {
            if (!fusedForwardDone) {
                withGemm(vendorGemm, this::fusedForward).run();
                fusedForwardDone = true;
            }
            r = this::fusedBackward;
        }
        return withGemm(vendorGemm, r);
    }

    /** The cuDNN layer on this case's weights (h₀, c₀ are the fused path's, read from {@code hs[0]}, {@code cs[0]}). */
    private CudnnLstm cudnn() {
        if (cudnn == null) {
            cudnn = new CudnnLstm(be, h, h, b, t);
            cudnn.setWeights(w, u, bias);
            cy = f32((long) t * bh);
            cdX = f32((long) t * bh);
            cdh0 = f32(bh);
            cdc0 = f32(bh);
            cdU = f32(4L * h * h);
            cdW = f32(4L * h * h);
            cdBias = f32(4L * h);
        }
        return cudnn;
    }

    /** {@code r} with {@code kiln.cuda.impl.gemm=vendor} set on the backend around it when {@code vendor}. */
    private Runnable withGemm(boolean vendor, Runnable r) {
        if (!vendor) {
            return r;
        }
        return () -> {
            try (AutoCloseable scope = be.withOptions(be.options().with("kiln.cuda.impl.gemm", "vendor"))) {
                r.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    // ---- fused -------------------------------------------------------------------------------

    void fusedForward() {
        be.gemm(new Gemm(false, false, 1, t * b, 4 * h, h, 1f, 0f, 0, 0, 0),
                BufferView.of(x, 0), BufferView.of(w, 0), BufferView.of(gx, 0));
        for (int i = 0; i < t; i++) {
            be.gemm(new Gemm(false, false, 1, b, 4 * h, h, 1f, 0f, 0, 0, 0),
                BufferView.of(hs, i * bh), BufferView.of(u, 0), BufferView.of(gh, 0));
            be.sequence().lstmCell(new LstmStep(i, b, h), BufferView.of(gx, i * g4), gh, bias, BufferView.of(hs, i * bh),
                    BufferView.of(cs, i * bh), BufferView.of(hs, (i + 1) * bh), BufferView.of(cs, (i + 1) * bh),
                    BufferView.of(gates, i * g4), null);
        }
    }

    void fusedBackward() {
        for (int i = t - 1; i >= 0; i--) {
            boolean last = i == t - 1;
            be.sequence().lstmCellBackward(new LstmStep(i, b, h), BufferView.of(dhOut, i * bh), last ? null : dhRec,
                    last ? null : dc, BufferView.of(gates, i * g4), BufferView.of(cs, i * bh), BufferView.of(cs, (i + 1) * bh),
                    BufferView.of(dG, i * g4), dc, null, null);
            be.gemm(new Gemm(false, true, 1, b, h, 4 * h, 1f, 0f, 0, 0, 0),
                BufferView.of(dG, i * g4), BufferView.of(u, 0), BufferView.of(dhRec, 0));
        }
        weightGrads(hs, dG, dU, dW, dX, dBias);
    }

    private void weightGrads(CudaBuffer hsAll, CudaBuffer dg, CudaBuffer du, CudaBuffer dw, CudaBuffer dx, CudaBuffer db) {
        be.gemm(new Gemm(true, false, 1, h, 4 * h, t * b, 1f, 0f, 0, 0, 0),
                BufferView.of(hsAll, 0), BufferView.of(dg, 0), BufferView.of(du, 0));
        be.gemm(new Gemm(true, false, 1, h, 4 * h, t * b, 1f, 0f, 0, 0, 0),
                BufferView.of(x, 0), BufferView.of(dg, 0), BufferView.of(dw, 0));
        be.gemm(new Gemm(false, true, 1, t * b, h, 4 * h, 1f, 0f, 0, 0, 0),
                BufferView.of(dg, 0), BufferView.of(w, 0), BufferView.of(dx, 0));
        be.reduce(ReduceOp.SUM, dg, 1, t * b, 4 * h, db);
    }

    // ---- unfused -----------------------------------------------------------------------------

    private void ew(Kernels.Entry kernel, long n, java.util.function.Consumer<dev.kiln.cuda.LaunchArgs> params) {
        int block = 256;
        int grid = (int) Math.max(1, Math.min(65535, (n + block - 1) / block));
        be.launch(kernel, new int[] {grid, 1, 1}, new int[] {block, 1, 1}, 0, params);
    }

    private void unary(Kernels.Entry op, long xp, long yp, long n) {
        ew(op, n, a -> a.ptr(xp).ptr(yp).i64(n).f32(0f));
    }

    private void unaryBackward(Kernels.Entry op, long gyp, long saved, long gxp, long n) {
        ew(op, n, a -> a.ptr(gyp).ptr(saved).ptr(gxp).i64(n).f32(0f));
    }

    private void binary(Kernels.Entry op, long ap, long bp, long op2, long n) {
        ew(op, n, a -> a.ptr(ap).ptr(bp).ptr(op2).i64(n));
    }

    /** {@code out[g, r, j] = a[...] + b[...]} over shape [4, B, H] with the given strides (out contiguous). */
    private void addBcast(long ap, long[] sa, long bp, long[] sb, long out) {
        long[] desc = new long[20];
        desc[0] = 3;
        desc[1] = g4;
        long[] shape = {4, b, h};
        for (int i = 0; i < 3; i++) {
            desc[2 + i] = shape[i];
            desc[8 + i] = sa[i];
            desc[14 + i] = sb[i];
        }
        ew(Elementwise.ADD_BCAST_F32, g4, a -> a.ptr(ap).ptr(bp).ptr(out).struct(desc));
    }

    private long at(CudaBuffer buf, long index) {
        return buf.pointer(index);
    }

    void unfusedForward() {
        be.gemm(new Gemm(false, false, 1, t * b, 4 * h, h, 1f, 0f, 0, 0, 0),
                BufferView.of(x, 0), BufferView.of(w, 0), BufferView.of(gx, 0));
        long[] rowMajor = {h, 4L * h, 1}, gateMajor = {bh, h, 1}, biasStr = {h, 0, 1};
        for (int i = 0; i < t; i++) {
            be.gemm(new Gemm(false, false, 1, b, 4 * h, h, 1f, 0f, 0, 0, 0),
                BufferView.of(uhs, i * bh), BufferView.of(u, 0), BufferView.of(gh, 0));
            long s0 = i * g4;   // this step's [4, B, H] block of sg
            addBcast(gh.pointer(), rowMajor, at(gx, i * g4), rowMajor, pre.pointer());
            addBcast(pre.pointer(), gateMajor, bias.pointer(), biasStr, pre.pointer());
            unary(Elementwise.SIGMOID_F32, pre.pointer(), at(sg, s0), g4);
            unary(Elementwise.TANH_F32, at(pre, 2 * bh), at(tg, i * bh), bh);
            long cPrev = at(ucs, i * bh), cNew = at(ucs, (i + 1) * bh);
            binary(Elementwise.MUL_F32, at(sg, s0 + bh), cPrev, cNew, bh);                 // f·c_prev
            binary(Elementwise.MUL_F32, at(sg, s0), at(tg, i * bh), tmp.pointer(), bh);    // i·g
            binary(Elementwise.ADD_F32, cNew, tmp.pointer(), cNew, bh);
            unary(Elementwise.TANH_F32, cNew, at(tc, i * bh), bh);
            binary(Elementwise.MUL_F32, at(sg, s0 + 3 * bh), at(tc, i * bh), at(uhs, (i + 1) * bh), bh);   // h = o·tanh(c)
        }
    }

    void unfusedBackward() {
        for (int i = t - 1; i >= 0; i--) {
            boolean last = i == t - 1;
            long s0 = i * g4, tci = at(tc, i * bh), tgi = at(tg, i * bh);
            long dh;
            if (last) {
                dh = at(dhOut, i * bh);
            } else {
                dh = tmp.pointer();
                binary(Elementwise.ADD_F32, at(dhOut, i * bh), udhRec.pointer(), dh, bh);
            }
            binary(Elementwise.MUL_F32, dh, tci, at(dA, 3 * bh), bh);                      // do = dh·tanh(c)
            binary(Elementwise.MUL_F32, dh, at(sg, s0 + 3 * bh), tmp.pointer(), bh);       // d tanh(c) = dh·o
            if (last) {
                unaryBackward(Elementwise.TANH_BACKWARD_F32, tmp.pointer(), tci, udc.pointer(), bh);        // dc = ...·(1 − tanh²)
            } else {
                unaryBackward(Elementwise.TANH_BACKWARD_F32, tmp.pointer(), tci, tmp.pointer(), bh);
                binary(Elementwise.ADD_F32, tmp.pointer(), udc.pointer(), udc.pointer(), bh);      // + dc_next
            }
            binary(Elementwise.MUL_F32, udc.pointer(), tgi, at(dA, 0), bh);                 // di = dc·g
            binary(Elementwise.MUL_F32, udc.pointer(), at(ucs, i * bh), at(dA, bh), bh);    // df = dc·c_prev
            binary(Elementwise.MUL_F32, udc.pointer(), at(sg, s0), at(dA, 2 * bh), bh);     // dg = dc·i
            binary(Elementwise.MUL_F32, udc.pointer(), at(sg, s0 + bh), udc.pointer(), bh); // dc_prev = dc·f
            unaryBackward(Elementwise.SIGMOID_BACKWARD_F32, dA.pointer(), at(sg, s0), dPre.pointer(), g4);
            unaryBackward(Elementwise.TANH_BACKWARD_F32, at(dA, 2 * bh), tgi, at(dPre, 2 * bh), bh);
            be.copyStrided(dPre, 0, new int[] {h, b * h, 1}, udG, i * g4, new int[] {4 * h, h, 1}, new int[] {b, 4, h});
            be.gemm(new Gemm(false, true, 1, b, h, 4 * h, 1f, 0f, 0, 0, 0),
                BufferView.of(udG, i * g4), BufferView.of(u, 0), BufferView.of(udhRec, 0));
        }
        weightGrads(uhs, udG, udU, udW, udX, udBias);
    }

    // ---- checks ------------------------------------------------------------------------------

    private float[] down(CudaBuffer buf, long n) {
        float[] a = new float[(int) n];
        g.driver.copyDtoH(a, 0, buf.pointer(), 4L * n);
        return a;
    }

    void poison(Impl impl, Pass pass) {
        if (impl == Impl.CUDNN) {
            for (CudaBuffer o : pass == Pass.FORWARD ? new CudaBuffer[] {cy} : new CudaBuffer[] {cdX, cdh0, cdc0}) {
                g.poison(o.pointer(), o.bytes());
            }
            if (pass == Pass.BACKWARD) {
                g.poison(cudnn.gradientSpace(), cudnn.weightSpaceBytes());
            }
            return;
        }
        CudaBuffer[] outs = impl == Impl.UNFUSED
                ? (pass == Pass.FORWARD ? new CudaBuffer[] {} : new CudaBuffer[] {udU, udW, udX, udBias})
                : (pass == Pass.FORWARD ? new CudaBuffer[] {} : new CudaBuffer[] {dU, dW, dX, dBias});
        for (CudaBuffer o : outs) {
            g.poison(o.pointer(), o.bytes());
        }
        if (pass == Pass.FORWARD) {
            // h_1..h_T and c_1..c_T (h_0, c_0 are inputs)
            CudaBuffer hh = impl == Impl.UNFUSED ? uhs : hs, cc = impl == Impl.UNFUSED ? ucs : cs;
            g.poison(hh.pointer(bh), 4L * t * bh);
            g.poison(cc.pointer(bh), 4L * t * bh);
        }
    }

    /**
     * Forward: every h_t and c_t; backward: dU, dW, dX, dbias, dh_0, dc_0. cuDNN's forward gives
     * h_0 (its input) and every h_t only (its c_t stay inside it), so it is checked on those.
     */
    float[][] outputs(Impl impl, Pass pass) {
        be.synchronize();
        if (impl == Impl.CUDNN) {
            if (pass == Pass.FORWARD) {
                float[] all = new float[(int) ((t + 1) * bh)];
                System.arraycopy(down(hs, bh), 0, all, 0, (int) bh);
                System.arraycopy(down(cy, (long) t * bh), 0, all, (int) bh, (int) (t * bh));
                return new float[][] {all};
            }
            cudnn.weightGrads(cdW, cdU, cdBias);
            be.synchronize();
            return new float[][] {down(cdU, 4L * h * h), down(cdW, 4L * h * h), down(cdX, (long) t * bh), down(cdBias, 4L * h),
                    down(cdh0, bh), down(cdc0, bh)};
        }
        boolean un = impl == Impl.UNFUSED;
        if (pass == Pass.FORWARD) {
            return new float[][] {down(un ? uhs : hs, (t + 1) * bh), down(un ? ucs : cs, (t + 1) * bh)};
        }
        return un
                ? new float[][] {down(udU, 4L * h * h), down(udW, 4L * h * h), down(udX, (long) t * bh), down(udBias, 4L * h),
                        down(udhRec, bh), down(udc, bh)}
                : new float[][] {down(dU, 4L * h * h), down(dW, 4L * h * h), down(dX, (long) t * bh), down(dBias, 4L * h),
                        down(dhRec, bh), down(dc, bh)};
    }

    static final double TOLERANCE = 1e-4;

    @Override
    public void close() {
        be.synchronize();
        for (CudaBuffer c : new CudaBuffer[] {x, w, u, bias, dhOut, gx, gh, hs, cs, gates, dG, dhRec, dc, dU, dW, dX, dBias,
                uhs, ucs, pre, sg, tg, tc, tmp, dA, dPre, udG, udhRec, udc, udU, udW, udX, udBias}) {
            c.close();
        }
        if (cudnn != null) {
            cudnn.close();
            for (CudaBuffer c : new CudaBuffer[] {cy, cdX, cdh0, cdc0, cdU, cdW, cdBias}) {
                c.close();
            }
        }
    }
}
