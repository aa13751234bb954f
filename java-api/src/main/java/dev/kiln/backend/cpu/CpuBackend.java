package dev.kiln.backend.cpu;

import dev.kiln.DType;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.backend.Backend;
import dev.kiln.backend.BinaryOp;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.BufferView;
import dev.kiln.backend.Gemm;
import dev.kiln.backend.ReduceOp;
import dev.kiln.backend.TargetErrors;
import dev.kiln.backend.UnaryOp;

/**
 * The pure-Java backend: the reference every GPU kernel is tested against, and the fallback when
 * no GPU is usable. Large loops are split over the common fork-join pool; GEMM is {@link Sgemm}.
 */
public final class CpuBackend implements Backend {

    /** The single CPU backend. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    private static final int GRAIN = 1 << 14;
    /** Whether the element-wise loops below run their {@link CpuVectorKernels} forms. */
    private static final boolean SIMD = CpuSimd.enabled();

    private CpuBackend() {
    }

    @Override
    public Device device() {
        return Device.cpu();
    }

    private static CpuBuffer cpu(Buffer b) {
        return CpuBuffer.of(b);
    }

    private static float[] f(Buffer b) {
        CpuBuffer c = cpu(b);
        if (c.f == null) {
            throw new IllegalArgumentException("Expected a FLOAT32 buffer, got " + c.dtype);
        }
        return c.f;
    }

    /** The float array behind a CPU FLOAT32 buffer (no copy); for code that lives beside this backend. */
    public static float[] array(Buffer b) {
        return f(b);
    }

    // ---- memory ------------------------------------------------------------------------------

    @Override
    public Buffer allocate(DType dtype, long n) {
        return new CpuBuffer(dtype, n);
    }

    @Override
    public void upload(float[] src, Buffer dst) {
        System.arraycopy(src, 0, f(dst), 0, src.length);
    }

    @Override
    public void upload(int[] src, Buffer dst) {
        CpuBuffer d = cpu(dst);
        for (int k = 0; k < src.length; k++) {
            store(d, k, src[k]);
        }
    }

    @Override
    public void upload(long[] src, Buffer dst) {
        CpuBuffer d = cpu(dst);
        for (int k = 0; k < src.length; k++) {
            store(d, k, src[k]);
        }
    }

    private static void store(CpuBuffer d, int k, long v) {
        if (d.i != null) {
            d.i[k] = (int) v;
        } else if (d.l != null) {
            d.l[k] = v;
        } else {
            d.f[k] = v;
        }
    }

    @Override
    public float[] downloadFloats(Buffer src) {
        return f(src).clone();
    }

    @Override
    public long[] downloadIndices(Buffer src) {
        CpuBuffer c = cpu(src);
        long[] out = new long[(int) c.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = c.f != null ? (long) c.f[k] : c.index(k);
        }
        return out;
    }

    @Override
    public void fill(Buffer dst, float value) {
        java.util.Arrays.fill(f(dst), value);
    }

    @Override
    public void copyStrided(Buffer src, long srcOff, int[] srcStrides, Buffer dst, long dstOff, int[] dstStrides, int[] shape) {
        CpuBuffer s = cpu(src), d = cpu(dst);
        int rank = shape.length;
        if (rank == 0) {
            copyRun(s, (int) srcOff, 0, d, (int) dstOff, 0, 1);
            return;
        }
        int last = shape[rank - 1];
        int rows = 1;
        for (int k = 0; k < rank - 1; k++) {
            rows *= shape[k];
        }
        int ss = srcStrides[rank - 1], ds = dstStrides[rank - 1];
        Parallel.range(rows, Math.max(1, GRAIN / Math.max(1, last)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                long so = srcOff, dOff = dstOff;
                int rem = r;
                for (int k = rank - 2; k >= 0; k--) {
                    int idx = rem % shape[k];
                    rem /= shape[k];
                    so += (long) idx * srcStrides[k];
                    dOff += (long) idx * dstStrides[k];
                }
                copyRun(s, (int) so, ss, d, (int) dOff, ds, last);
            }
        });
    }

    private static void copyRun(CpuBuffer s, int so, int ss, CpuBuffer d, int dOff, int ds, int n) {
        if (s.f != null) {
            if (ss == 1 && ds == 1) {
                System.arraycopy(s.f, so, d.f, dOff, n);
            } else {
                for (int k = 0; k < n; k++) {
                    d.f[dOff + k * ds] = s.f[so + k * ss];
                }
            }
        } else if (s.i != null) {
            for (int k = 0; k < n; k++) {
                d.i[dOff + k * ds] = s.i[so + k * ss];
            }
        } else {
            for (int k = 0; k < n; k++) {
                d.l[dOff + k * ds] = s.l[so + k * ss];
            }
        }
    }

    @Override
    public void convert(Buffer src, Buffer dst, long n) {
        CpuBuffer s = cpu(src), d = cpu(dst);
        for (int k = 0; k < n; k++) {
            if (s.f != null && d.f != null) {
                d.f[k] = s.f[k];
            } else {
                store(d, k, s.f != null ? (long) s.f[k] : s.index(k));
            }
        }
    }

    // ---- elementwise -------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, float alpha, Buffer x, Buffer y, long n) {
        float[] xs = f(x), ys = f(y);
        Parallel.range((int) n, GRAIN, (lo, hi) -> {
            if (op == UnaryOp.RELU) {
                relu(xs, ys, lo, hi);
                return;
            }
            for (int k = lo; k < hi; k++) {
                ys[k] = op.apply(xs[k], alpha);
            }
        });
    }

    @Override
    public void unaryBackward(UnaryOp op, float alpha, Buffer x, Buffer y, Buffer gy, Buffer gx, long n) {
        float[] xs = f(x), ys = f(y), gys = f(gy), gxs = f(gx);
        Parallel.range((int) n, GRAIN, (lo, hi) -> {
            if (SIMD && op == UnaryOp.RELU) {
                CpuVectorKernels.reluBackward(xs, gys, gxs, lo, hi);
            } else if (SIMD && op == UnaryOp.TANH) {
                CpuVectorKernels.tanhBackward(ys, gys, gxs, lo, hi);
            } else if (SIMD && op == UnaryOp.SIGMOID) {
                CpuVectorKernels.sigmoidBackward(ys, gys, gxs, lo, hi);
            } else if (op == UnaryOp.RELU) {
                // UnaryOp.derivative is too large to inline; ReLU's gradient is the hot case.
                for (int k = lo; k < hi; k++) {
                    gxs[k] = gys[k] * (xs[k] > 0 ? 1f : 0f);
                }
            } else {
                for (int k = lo; k < hi; k++) {
                    gxs[k] = gys[k] * op.derivative(xs[k], ys[k], alpha);
                }
            }
        });
    }

    /** ReLU on {@code [lo, hi)}: the vector form or the scalar loop (UnaryOp.apply does not inline). */
    static void relu(float[] xs, float[] ys, int lo, int hi) {
        if (SIMD) {
            CpuVectorKernels.relu(xs, ys, lo, hi);
        } else {
            for (int k = lo; k < hi; k++) {
                ys[k] = xs[k] > 0 ? xs[k] : 0f;
            }
        }
    }

    @Override
    public void binary(BinaryOp op, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape) {
        float[] as = f(a), bs = f(b), os = f(out);
        int rank = outShape.length;
        int last = rank == 0 ? 1 : outShape[rank - 1];
        int rows = 1;
        for (int k = 0; k < rank - 1; k++) {
            rows *= outShape[k];
        }
        int sa = rank == 0 ? 0 : aStrides[rank - 1], sb = rank == 0 ? 0 : bStrides[rank - 1];
        boolean vector = SIMD && CpuVectorKernels.arithmetic(op) && (sa | sb) <= 1 && last > 1;
        Parallel.range(rows, Math.max(1, GRAIN / Math.max(1, last)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int ao = 0, bo = 0, rem = r;
                for (int k = rank - 2; k >= 0; k--) {
                    int idx = rem % outShape[k];
                    rem /= outShape[k];
                    ao += idx * aStrides[k];
                    bo += idx * bStrides[k];
                }
                int o = r * last;
                if (vector) {
                    CpuVectorKernels.binaryRow(op, as, ao, sa, bs, bo, sb, os, o, last);
                    continue;
                }
                for (int k = 0; k < last; k++) {
                    os[o + k] = op.apply(as[ao + k * sa], bs[bo + k * sb]);
                }
            }
        });
    }

    // ---- linear algebra ----------------------------------------------------------------------

    @Override
    public void gemm(Gemm g, BufferView a, BufferView b, BufferView c, Gemm.Epilogue epilogue) {
        float[] as = f(a.buffer()), bs = f(b.buffer()), cs = f(c.buffer());
        float[] bias = epilogue == null || epilogue.bias() == null ? null : f(epilogue.bias());
        UnaryOp act = epilogue == null ? null : epilogue.unaryOp();
        int m = g.m(), n = g.n();
        for (int p = 0; p < g.batch(); p++) {
            int cOff = (int) (c.offset() + p * g.strideC());
            CpuGemm.sgemm(g.transA(), g.transB(), m, n, g.k(), g.alpha(), as, (int) (a.offset() + p * g.strideA()), g.lda(),
                    bs, (int) (b.offset() + p * g.strideB()), g.ldb(), g.beta(), cs, cOff, n);
            if (bias != null || act != null) {
                applyEpilogue(cs, cOff, m, n, bias, act);
            }
        }
    }

    /** The GEMM epilogue on the finished product: {@code c = act(c + bias[col])}, rows over the cores. */
    private static void applyEpilogue(float[] c, int off, int m, int n, float[] bias, UnaryOp act) {
        Parallel.range(m, Math.max(1, GRAIN / Math.max(1, n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int row = off + r * n;
                if (act == null || act == UnaryOp.RELU) {
                    // The common epilogues as two passes (bias, then ReLU): the same float
                    // operations as the general loop, without its per-element UnaryOp call.
                    if (bias != null && SIMD) {
                        CpuVectorKernels.binaryRow(BinaryOp.ADD, c, row, 1, bias, 0, 1, c, row, n);
                    } else if (bias != null) {
                        for (int j = 0; j < n; j++) {
                            c[row + j] += bias[j];
                        }
                    }
                    if (act == UnaryOp.RELU) {
                        relu(c, c, row, row + n);
                    }
                    continue;
                }
                for (int j = 0, o = row; j < n; j++, o++) {
                    float v = bias == null ? c[o] : c[o] + bias[j];
                    c[o] = act.apply(v, 0f);
                }
            }
        });
    }

    // ---- reductions and normalisation --------------------------------------------------------

    @Override
    public void reduce(ReduceOp op, Buffer x, int outer, int dim, int inner, Buffer out) {
        float[] xs = f(x);
        CpuBuffer o = cpu(out);
        Parallel.range(outer * inner, Math.max(1, GRAIN / Math.max(1, dim)), (lo, hi) -> {
            if (op == ReduceOp.SUM && inner > 1) {
                sumColumns(xs, o.f, dim, inner, lo, hi);
                return;
            }
            for (int r = lo; r < hi; r++) {
                int base = (r / inner) * dim * inner + r % inner;
                if (op == ReduceOp.SUM) {
                    double s = 0;
                    for (int d = 0; d < dim; d++) {
                        s += xs[base + d * inner];
                    }
                    o.f[r] = (float) s;
                } else {
                    float best = Float.NEGATIVE_INFINITY;
                    int arg = 0;
                    for (int d = 0; d < dim; d++) {
                        float v = xs[base + d * inner];
                        if (v > best || Float.isNaN(v) && !Float.isNaN(best)) {
                            best = v;
                            arg = d;
                        }
                    }
                    if (op == ReduceOp.MAX) {
                        o.f[r] = best;
                    } else {
                        store(o, r, arg);
                    }
                }
            }
        });
    }

    /**
     * Sums over the middle axis of {@code [outer, dim, inner]} for outputs {@code [lo, hi)} (index
     * {@code outer·inner}): up to 64 neighbouring outputs walk the rows together, so each row is read
     * contiguously and the sums (in double, each in order of the reduced index, as one output at a
     * time would) proceed side by side.
     */
    private static void sumColumns(float[] xs, float[] out, int dim, int inner, int lo, int hi) {
        double[] acc = new double[Math.min(64, inner)];
        for (int r = lo; r < hi; ) {
            int i0 = r % inner;
            int w = Math.min(Math.min(hi - r, inner - i0), acc.length);
            java.util.Arrays.fill(acc, 0, w, 0.0);
            int base = (r / inner) * dim * inner + i0;
            for (int d = 0; d < dim; d++) {
                for (int j = 0, row = base + d * inner; j < w; j++) {
                    acc[j] += xs[row + j];
                }
            }
            for (int j = 0; j < w; j++) {
                out[r + j] = (float) acc[j];
            }
            r += w;
        }
    }

    @Override
    public void softmax(Buffer x, Buffer y, int outer, int dim, int inner, boolean log) {
        float[] xs = f(x), ys = f(y);
        Parallel.range(outer * inner, Math.max(1, GRAIN / Math.max(1, dim)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = (r / inner) * dim * inner + r % inner;
                float max = Float.NEGATIVE_INFINITY;
                for (int d = 0; d < dim; d++) {
                    max = Math.max(max, xs[base + d * inner]);
                }
                double sum = 0;
                for (int d = 0; d < dim; d++) {
                    sum += Math.exp(xs[base + d * inner] - max);
                }
                float logSum = (float) Math.log(sum);
                for (int d = 0; d < dim; d++) {
                    float z = xs[base + d * inner] - max - logSum;
                    ys[base + d * inner] = log ? z : (float) Math.exp(z);
                }
            }
        });
    }

    @Override
    public void softmaxBackward(Buffer y, Buffer gy, Buffer gx, int outer, int dim, int inner, boolean log) {
        float[] ys = f(y), gys = f(gy), gxs = f(gx);
        Parallel.range(outer * inner, Math.max(1, GRAIN / Math.max(1, dim)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = (r / inner) * dim * inner + r % inner;
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    int q = base + d * inner;
                    dot += log ? gys[q] : gys[q] * ys[q];
                }
                for (int d = 0; d < dim; d++) {
                    int q = base + d * inner;
                    gxs[q] = log ? gys[q] - (float) Math.exp(ys[q]) * (float) dot : ys[q] * (gys[q] - (float) dot);
                }
            }
        });
    }

    @Override
    public void crossEntropy(Buffer logits, Buffer targets, int rows, int cols, long ignoreIndex, Buffer loss, Buffer grad) {
        float[] xs = f(logits), ls = f(loss), gs = f(grad);
        CpuBuffer t = cpu(targets);
        for (int r = 0; r < rows; r++) {
            long v = t.index(r);
            if (v != ignoreIndex && (v < 0 || v >= cols)) {
                throw TargetErrors.outOfRange(r, v, cols);
            }
        }
        Parallel.range(rows, Math.max(1, GRAIN / Math.max(1, cols)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = r * cols;
                if (t.index(r) == ignoreIndex) {
                    ls[r] = 0f;
                    java.util.Arrays.fill(gs, base, base + cols, 0f);
                    continue;
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, xs[base + c]);
                }
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += Math.exp(xs[base + c] - max);
                }
                float lse = max + (float) Math.log(sum);
                int target = (int) t.index(r);
                // The maximum comes off before the log-sum is subtracted: (max + log s) - x rounds
                // to half an ulp of max (3e-5 at logits near 800).
                ls[r] = (float) (Math.log(sum) - (xs[base + target] - max));
                // The gradient keeps exp(x - (max + log s)), which CPU training has always used:
                // the max-first form changes the bits of every training run (a quick-mode ResNet
                // result moved from 0.6920 to 0.6940). Near logits of 800 it is off by up to 3e-6
                // absolute, the max-first form by 1e-8 (as the CUDA kernel computes it).
                for (int c = 0; c < cols; c++) {
                    gs[base + c] = (float) Math.exp(xs[base + c] - lse) - (c == target ? 1f : 0f);
                }
            }
        });
    }

    // ---- indexing ----------------------------------------------------------------------------

    @Override
    public void indexSelect(Buffer x, int outer, int dim, int inner, Buffer idx, int count, Buffer out) {
        float[] xs = f(x), os = f(out);
        CpuBuffer ix = cpu(idx);
        Parallel.range(outer * count, Math.max(1, GRAIN / Math.max(1, inner)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r / count, j = r % count;
                int src = (o * dim + (int) ix.index(j)) * inner;
                System.arraycopy(xs, src, os, r * inner, inner);
            }
        });
    }

    @Override
    public void indexAdd(Buffer g, int outer, int dim, int inner, Buffer idx, int count, Buffer gx) {
        float[] gs = f(g), gxs = f(gx);
        CpuBuffer ix = cpu(idx);
        // Parallel over outer only: within one outer slice, repeated indices write the same rows.
        Parallel.range(outer, Math.max(1, GRAIN / Math.max(1, count * inner)), (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                for (int j = 0; j < count; j++) {
                    int dst = (o * dim + (int) ix.index(j)) * inner, src = (o * count + j) * inner;
                    for (int i = 0; i < inner; i++) {
                        gxs[dst + i] += gs[src + i];
                    }
                }
            }
        });
    }

    // ---- random ------------------------------------------------------------------------------

    @Override
    public void random(Buffer dst, long n, long seed, long offset, boolean normal) {
        float[] d = f(dst);
        int chunk = 1 << 16; // multiple of 4, so chunks start on Philox block boundaries
        Parallel.range((int) ((n + chunk - 1) / chunk), 1, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                int start = c * chunk, len = (int) Math.min(chunk, n - start);
                if (normal) {
                    Generator.normal(seed, offset + start, d, start, len);
                } else {
                    Generator.uniform(seed, offset + start, d, start, len);
                }
            }
        });
    }

    // ---- optimisers --------------------------------------------------------------------------

    @Override
    public void sgdUpdate(Buffer param, Buffer grad, Buffer velocity, long n, float lr, float momentum,
                          float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float[] p = f(param), g = f(grad), v = velocity == null ? null : f(velocity);
        Parallel.range((int) n, GRAIN, (lo, hi) -> {
            if (SIMD) {
                CpuVectorKernels.sgd(p, g, v, lo, hi, lr, momentum, dampening, weightDecay, nesterov, firstStep);
                return;
            }
            for (int k = lo; k < hi; k++) {
                float d = g[k] + weightDecay * p[k];
                if (v != null) {
                    v[k] = firstStep ? d : momentum * v[k] + (1f - dampening) * d;
                    d = nesterov ? d + momentum * v[k] : v[k];
                }
                p[k] -= lr * d;
            }
        });
    }

    @Override
    public void adamUpdate(Buffer param, Buffer grad, Buffer m, Buffer v, long n, float lr, float beta1, float beta2,
                           float eps, float weightDecay, boolean decoupled, float bc1, float bc2) {
        float[] p = f(param), g = f(grad), ms = f(m), vs = f(v);
        Parallel.range((int) n, GRAIN, (lo, hi) -> {
            if (SIMD) {
                CpuVectorKernels.adam(p, g, ms, vs, lo, hi, lr, beta1, beta2, eps, weightDecay, decoupled, bc1, bc2);
                return;
            }
            for (int k = lo; k < hi; k++) {
                float gk = g[k];
                if (decoupled) {
                    p[k] -= lr * weightDecay * p[k];
                } else {
                    gk += weightDecay * p[k];
                }
                ms[k] = beta1 * ms[k] + (1f - beta1) * gk;
                vs[k] = beta2 * vs[k] + (1f - beta2) * gk * gk;
                float mHat = ms[k] / bc1, vHat = vs[k] / bc2;
                p[k] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
            }
        });
    }

}
