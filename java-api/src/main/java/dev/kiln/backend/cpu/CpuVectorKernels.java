package dev.kiln.backend.cpu;

import dev.kiln.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API forms of the CPU backend's element-wise loops (ReLU and activation gradients,
 * broadcast arithmetic and the GEMM bias epilogue, the Adam and SGD updates, batch norm's normalise
 * and input-gradient passes, the attention kernels' AXPY updates). Loaded only when
 * {@link CpuSimd#enabled()}; the callers keep the scalar loops beside each call.
 *
 * <p>Every kernel here is element-wise and does, lane by lane, the scalar loop's float operations in
 * the scalar loop's order (separate multiplies and adds, never a fused multiply-add; square roots
 * are correctly rounded in both), so both forms give the same bits. Each loop runs whole vectors
 * and finishes the ragged tail with the scalar expression.
 */
final class CpuVectorKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private CpuVectorKernels() {
    }

    /** {@code y[k] = x[k] > 0 ? x[k] : 0} on {@code [lo, hi)} (NaN gives 0, as the scalar test). */
    static void relu(float[] x, float[] y, int lo, int hi) {
        FloatVector zero = FloatVector.zero(F);
        int k = lo;
        for (int end = lo + F.loopBound(hi - lo); k < end; k += L) {
            FloatVector v = FloatVector.fromArray(F, x, k);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, k);
        }
        for (; k < hi; k++) {
            y[k] = x[k] > 0 ? x[k] : 0f;
        }
    }

    /** {@code gx[k] = gy[k] · (x[k] > 0 ? 1 : 0)} (a product, so a NaN or negative gradient keeps its scalar bits). */
    static void reluBackward(float[] x, float[] gy, float[] gx, int lo, int hi) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        int k = lo;
        for (int end = lo + F.loopBound(hi - lo); k < end; k += L) {
            VectorMask<Float> pos = FloatVector.fromArray(F, x, k).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(F, gy, k).mul(zero.blend(one, pos)).intoArray(gx, k);
        }
        for (; k < hi; k++) {
            gx[k] = gy[k] * (x[k] > 0 ? 1f : 0f);
        }
    }

    /** {@code gx = gy · (1 - y·y)}: tanh's gradient from its output. */
    static void tanhBackward(float[] y, float[] gy, float[] gx, int lo, int hi) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int k = lo;
        for (int end = lo + F.loopBound(hi - lo); k < end; k += L) {
            FloatVector v = FloatVector.fromArray(F, y, k);
            FloatVector.fromArray(F, gy, k).mul(one.sub(v.mul(v))).intoArray(gx, k);
        }
        for (; k < hi; k++) {
            gx[k] = gy[k] * (1f - y[k] * y[k]);
        }
    }

    /** {@code gx = gy · (y·(1 - y))}: the sigmoid's gradient from its output. */
    static void sigmoidBackward(float[] y, float[] gy, float[] gx, int lo, int hi) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int k = lo;
        for (int end = lo + F.loopBound(hi - lo); k < end; k += L) {
            FloatVector v = FloatVector.fromArray(F, y, k);
            FloatVector.fromArray(F, gy, k).mul(v.mul(one.sub(v))).intoArray(gx, k);
        }
        for (; k < hi; k++) {
            gx[k] = gy[k] * (y[k] * (1f - y[k]));
        }
    }

    /** True for the binary ops {@link #binaryRow} runs: IEEE arithmetic, where lanes equal the scalar result. */
    static boolean arithmetic(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
    }

    /**
     * One output row {@code out[o .. o+n) = a[ao + k·sa] op b[bo + k·sb]} for an {@link #arithmetic}
     * op, where each stride is 0 (a broadcast value) or 1 (a contiguous run).
     */
    static void binaryRow(BinaryOp op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] out, int o, int n) {
        int k = 0;
        int end = F.loopBound(n);
        // Three loops rather than one with a choice of operand: a vector chosen by a branch would be
        // allocated by C2 instead of kept in a register.
        if (sa == 0) {
            FloatVector x = FloatVector.broadcast(F, a[ao]);
            for (; k < end; k += L) {
                apply(op, x, FloatVector.fromArray(F, b, bo + k), out, o + k);
            }
        } else if (sb == 0) {
            FloatVector y = FloatVector.broadcast(F, b[bo]);
            for (; k < end; k += L) {
                apply(op, FloatVector.fromArray(F, a, ao + k), y, out, o + k);
            }
        } else {
            for (; k < end; k += L) {
                apply(op, FloatVector.fromArray(F, a, ao + k), FloatVector.fromArray(F, b, bo + k), out, o + k);
            }
        }
        for (; k < n; k++) {
            out[o + k] = op.apply(a[ao + k * sa], b[bo + k * sb]);
        }
    }

    /**
     * Stores {@code x op y} at {@code out[o]} for an {@link #arithmetic} op: one call per constant
     * operator, each storing its own result, since C2 compiles only constant operators to vector
     * instructions (one held in a variable runs the API's per-lane fallback) and keeps a vector in a
     * register only when no branch merges it.
     */
    private static void apply(BinaryOp op, FloatVector x, FloatVector y, float[] out, int o) {
        switch (op) {
            case ADD: x.add(y).intoArray(out, o); break;
            case SUB: x.sub(y).intoArray(out, o); break;
            case MUL: x.mul(y).intoArray(out, o); break;
            default: x.div(y).intoArray(out, o); break;
        }
    }

    /**
     * The Adam/AdamW update on {@code [lo, hi)}; the scalar form is {@code CpuBackend.adamUpdate}.
     * The two weight-decay forms are separate loops, so no vector value merges across a branch
     * (which would make C2 allocate it).
     */
    static void adam(float[] p, float[] g, float[] ms, float[] vs, int lo, int hi, float lr, float beta1, float beta2,
                     float eps, float weightDecay, boolean decoupled, float bc1, float bc2) {
        float c1 = 1f - beta1, c2 = 1f - beta2, lrWd = lr * weightDecay;
        int k = lo;
        int end = lo + F.loopBound(hi - lo);
        if (decoupled) {
            for (; k < end; k += L) {
                FloatVector pk = FloatVector.fromArray(F, p, k);
                pk = pk.sub(pk.mul(lrWd));
                adamTail(pk, FloatVector.fromArray(F, g, k), p, ms, vs, k, lr, beta1, beta2, eps, c1, c2, bc1, bc2);
            }
        } else {
            for (; k < end; k += L) {
                FloatVector pk = FloatVector.fromArray(F, p, k);
                FloatVector gk = FloatVector.fromArray(F, g, k).add(pk.mul(weightDecay));
                adamTail(pk, gk, p, ms, vs, k, lr, beta1, beta2, eps, c1, c2, bc1, bc2);
            }
        }
        for (; k < hi; k++) {
            float gk = g[k];
            if (decoupled) {
                p[k] -= lrWd * p[k];
            } else {
                gk += weightDecay * p[k];
            }
            ms[k] = beta1 * ms[k] + c1 * gk;
            vs[k] = beta2 * vs[k] + c2 * gk * gk;
            float mHat = ms[k] / bc1, vHat = vs[k] / bc2;
            p[k] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
        }
    }

    /** Adam's moments and step for one vector of parameters {@code pk} (decay applied) and gradients {@code gk}. */
    private static void adamTail(FloatVector pk, FloatVector gk, float[] p, float[] ms, float[] vs, int k, float lr,
                                 float beta1, float beta2, float eps, float c1, float c2, float bc1, float bc2) {
        FloatVector mk = FloatVector.fromArray(F, ms, k).mul(beta1).add(gk.mul(c1));
        FloatVector vk = FloatVector.fromArray(F, vs, k).mul(beta2).add(gk.mul(c2).mul(gk));
        mk.intoArray(ms, k);
        vk.intoArray(vs, k);
        FloatVector mHat = mk.div(bc1), vHat = vk.div(bc2);
        pk.sub(mHat.mul(lr).div(vHat.lanewise(VectorOperators.SQRT).add(eps))).intoArray(p, k);
    }

    /**
     * SGD with optional momentum on {@code [lo, hi)}; the scalar form is {@code CpuBackend.sgdUpdate}.
     * One loop per variant (plain, first momentum step, momentum, Nesterov), for the reason given at
     * {@link #adam}.
     */
    static void sgd(float[] p, float[] g, float[] v, int lo, int hi, float lr, float momentum, float dampening,
                    float weightDecay, boolean nesterov, boolean firstStep) {
        float keep = 1f - dampening;
        int k = lo;
        int end = lo + F.loopBound(hi - lo);
        if (v == null) {
            for (; k < end; k += L) {
                FloatVector pk = FloatVector.fromArray(F, p, k);
                FloatVector d = FloatVector.fromArray(F, g, k).add(pk.mul(weightDecay));
                pk.sub(d.mul(lr)).intoArray(p, k);
            }
        } else {
            for (; k < end; k += L) {
                FloatVector pk = FloatVector.fromArray(F, p, k);
                FloatVector d = FloatVector.fromArray(F, g, k).add(pk.mul(weightDecay));
                if (firstStep) {
                    d.intoArray(v, k);
                    if (nesterov) {
                        pk.sub(d.add(d.mul(momentum)).mul(lr)).intoArray(p, k);
                    } else {
                        pk.sub(d.mul(lr)).intoArray(p, k);
                    }
                } else {
                    FloatVector vk = FloatVector.fromArray(F, v, k).mul(momentum).add(d.mul(keep));
                    vk.intoArray(v, k);
                    if (nesterov) {
                        pk.sub(d.add(vk.mul(momentum)).mul(lr)).intoArray(p, k);
                    } else {
                        pk.sub(vk.mul(lr)).intoArray(p, k);
                    }
                }
            }
        }
        for (; k < hi; k++) {
            float d = g[k] + weightDecay * p[k];
            if (v != null) {
                v[k] = firstStep ? d : momentum * v[k] + keep * d;
                d = nesterov ? d + momentum * v[k] : v[k];
            }
            p[k] -= lr * d;
        }
    }

    /** Batch norm's normalise pass: {@code y = (x - mean)·scale + shift} on {@code [lo, hi)}. */
    static void normalize(float[] x, float[] y, int lo, int hi, float mean, float scale, float shift) {
        int k = lo;
        for (int end = lo + F.loopBound(hi - lo); k < end; k += L) {
            FloatVector.fromArray(F, x, k).sub(mean).mul(scale).add(shift).intoArray(y, k);
        }
        for (; k < hi; k++) {
            y[k] = (x[k] - mean) * scale + shift;
        }
    }

    /** Batch norm's input gradient: {@code dx = k·(dy - mdy - ((x - mean)·invstd)·mdyx)} on {@code [lo, hi)}. */
    static void normalizeBackward(float[] dy, float[] x, float[] dx, int lo, int hi, float mean, float invstd,
                                  float k, float mdy, float mdyx) {
        int i = lo;
        for (int end = lo + F.loopBound(hi - lo); i < end; i += L) {
            FloatVector xhat = FloatVector.fromArray(F, x, i).sub(mean).mul(invstd);
            FloatVector.fromArray(F, dy, i).sub(mdy).sub(xhat.mul(mdyx)).mul(k).intoArray(dx, i);
        }
        for (; i < hi; i++) {
            float xhat = (x[i] - mean) * invstd;
            dx[i] = k * (dy[i] - mdy - xhat * mdyx);
        }
    }

    /** {@code y[yo + c] += a · x[xo + c]} for {@code c < n} (a product, then a sum: no fused multiply-add). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int c = 0;
        for (int end = F.loopBound(n); c < end; c += L) {
            FloatVector.fromArray(F, y, yo + c).add(FloatVector.fromArray(F, x, xo + c).mul(a)).intoArray(y, yo + c);
        }
        for (; c < n; c++) {
            y[yo + c] += a * x[xo + c];
        }
    }
}
