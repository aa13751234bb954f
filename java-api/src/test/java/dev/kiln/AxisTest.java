package dev.kiln;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.Checks.assertClose;
import static dev.kiln.Checks.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Reductions, softmax, argmax, index ops and broadcasting on every axis of 3-D and 4-D tensors
 * (first, middle, last), against references that walk multi-indices in double precision, plus
 * small literal cases. The registry's cases only reduce the last axis of 2-D tensors.
 */
class AxisTest {

    private static final int[][] SHAPES = {{2, 3, 4}, {3, 2, 2, 3}};

    // ---- literal cases ---------------------------------------------------------------------------

    @Test
    void maxAndArgmaxOverTheFirstAxisOfASmallMatrix() {
        Tensor x = Tensor.fromArray(new float[] {1, 5, 4, 2}, 2, 2);
        assertTensor(new float[] {4, 5}, new int[] {2}, x.max(0, false), "max axis 0");
        assertTensor(new float[] {5, 4}, new int[] {2}, x.max(1, false), "max axis 1");
        assertTensor(new float[] {4, 5}, new int[] {1, 2}, x.max(0, true), "max axis 0 keepDim");
        assertArrayEquals(new long[] {1, 0}, x.argmax(0).toLongArray());
        assertArrayEquals(new long[] {1, 0}, x.argmax(1).toLongArray());
        assertTensor(new float[] {5, 7}, new int[] {2}, x.sum(0, false), "sum axis 0");
        assertTensor(new float[] {6, 6}, new int[] {2, 1}, x.sum(1, true), "sum axis 1");
        assertTensor(new float[] {2.5f, 3.5f}, new int[] {2}, x.mean(0, false), "mean axis 0");
        assertTensor(new float[] {5}, new int[] {}, x.max(), "max of all");
        assertTensor(new float[] {3}, new int[] {}, x.mean(), "mean of all");
    }

    @Test
    void argmaxTakesTheFirstOfTiesOnEveryAxis() {
        // [2, 2, 2]: ties along each axis
        Tensor x = Tensor.fromArray(new float[] {3, 3, 3, 1, 3, 0, 3, 3}, 2, 2, 2);
        assertArrayEquals(new long[] {0, 0, 0, 1}, x.argmax(0).toLongArray());
        assertArrayEquals(new long[] {0, 0, 0, 1}, x.argmax(1).toLongArray());
        assertArrayEquals(new long[] {0, 0, 0, 0}, x.argmax(2).toLongArray());
        Tensor y = Tensor.fromArray(new float[] {-5, -1, -1, -7}, 1, 4);
        assertArrayEquals(new long[] {1}, y.argmax(1).toLongArray());
        assertArrayEquals(new long[] {0, 0, 0, 0}, y.argmax(0).toLongArray());
    }

    @Test
    void maxGradientIsSharedAmongTiesOnTheFirstAxis() {
        Tensor x = Tensor.fromArray(new float[] {2, 1, 2, 5, 0, 3}, 3, 2).requiresGrad(true);
        x.max(0, false).mul(Tensor.fromArray(new float[] {10, 100}, 2)).sum().backward();
        assertClose(new float[] {5, 0, 5, 100, 0, 0}, x.grad().toFloatArray(), "d max0");
    }

    @Test
    void softmaxOverTheFirstAndMiddleAxes() {
        Tensor x = Tensor.fromArray(new float[] {0, 1, 2, 3, 1, 1, 1, 1}, 2, 2, 2);
        double e = Math.E;
        float a = (float) (1 / (1 + e)), b = (float) (e / (1 + e)), h = 0.5f;
        float c = (float) (1 / (1 + e * e)), d = (float) (e * e / (1 + e * e));
        // axis 0 pairs (0,1), (1,1), (2,1), (3,1)
        assertClose(new float[] {h - 0.5f + (float) (1 / (1 + e)), h, (float) (e * e / (e * e + e)), (float) (e * e * e / (e * e * e + e)),
                b, h, (float) (e / (e * e + e)), (float) (e / (e * e * e + e))}, x.softmax(0).toFloatArray(), "softmax axis 0");
        // axis 1 pairs (0,2), (1,3), (1,1), (1,1)
        assertClose(new float[] {c, c, d, d, h, h, h, h}, x.softmax(1).toFloatArray(), "softmax axis 1");
        assertClose(new float[] {a, b, a, b, h, h, h, h}, x.softmax(2).toFloatArray(), "softmax axis 2");
        assertClose(new float[] {(float) Math.log(c), (float) Math.log(c), (float) Math.log(d), (float) Math.log(d),
                (float) Math.log(h), (float) Math.log(h), (float) Math.log(h), (float) Math.log(h)}, x.logSoftmax(1).toFloatArray(), "logSoftmax axis 1");
    }

    @Test
    void indexSelectOnEachAxis() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        Tensor i0 = Tensor.fromIndices(new int[] {1, 1, 0});
        assertTensor(new float[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new int[] {3, 3, 4}, x.indexSelect(0, i0), "indexSelect axis 0");
        Tensor i1 = Tensor.fromIndices(new int[] {2, 0});
        assertTensor(new float[] {8, 9, 10, 11, 0, 1, 2, 3, 20, 21, 22, 23, 12, 13, 14, 15}, new int[] {2, 2, 4},
                x.indexSelect(1, i1), "indexSelect axis 1");
        Tensor i2 = Tensor.fromLongs(new long[] {3, 0});
        assertTensor(new float[] {3, 0, 7, 4, 11, 8, 15, 12, 19, 16, 23, 20}, new int[] {2, 3, 2},
                x.indexSelect(-1, i2), "indexSelect axis 2");
    }

    // ---- every axis of 3-D and 4-D tensors against multi-index references ------------------------

    @TestFactory
    Stream<DynamicTest> reductionsOnEveryAxis() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] shape : SHAPES) {
            for (int axis = 0; axis < shape.length; axis++) {
                int a = axis;
                String name = Arrays.toString(shape) + " axis " + a;
                tests.add(DynamicTest.dynamicTest("sum/mean/max/argmax " + name, () -> reductions(shape, a)));
                tests.add(DynamicTest.dynamicTest("softmax " + name, () -> softmax(shape, a)));
                tests.add(DynamicTest.dynamicTest("indexSelect " + name, () -> indexSelect(shape, a)));
                tests.add(DynamicTest.dynamicTest("broadcast " + name, () -> broadcast(shape, a)));
                tests.add(DynamicTest.dynamicTest("slice/cat/stack " + name, () -> sliceCatStack(shape, a)));
            }
        }
        return tests.stream();
    }

    private static Tensor input(int[] shape, long seed) {
        return Tensor.randn(new Generator(seed), shape);
    }

    private static int[] strides(int[] s) {
        int[] st = new int[s.length];
        int acc = 1;
        for (int k = s.length - 1; k >= 0; k--) {
            st[k] = acc;
            acc *= s[k];
        }
        return st;
    }

    private static int numel(int[] s) {
        int n = 1;
        for (int d : s) {
            n *= d;
        }
        return n;
    }

    /** Multi-index of flat position {@code f} in {@code shape}. */
    private static int[] unravel(int f, int[] shape) {
        int[] idx = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = f % shape[k];
            f /= shape[k];
        }
        return idx;
    }

    private static int ravel(int[] idx, int[] shape) {
        int[] st = strides(shape);
        int f = 0;
        for (int k = 0; k < idx.length; k++) {
            f += idx[k] * st[k];
        }
        return f;
    }

    private static int[] without(int[] s, int a) {
        int[] r = new int[s.length - 1];
        for (int k = 0, j = 0; k < s.length; k++) {
            if (k != a) {
                r[j++] = s[k];
            }
        }
        return r;
    }

    private static int[] kept(int[] s, int a) {
        int[] r = s.clone();
        r[a] = 1;
        return r;
    }

    /** Values along {@code axis} through the output position {@code outIdx} (axis removed). */
    private static double[] line(float[] x, int[] shape, int axis, int[] outIdx) {
        double[] v = new double[shape[axis]];
        int[] full = new int[shape.length];
        for (int k = 0, j = 0; k < shape.length; k++) {
            full[k] = k == axis ? 0 : outIdx[j++];
        }
        for (int i = 0; i < shape[axis]; i++) {
            full[axis] = i;
            v[i] = x[ravel(full, shape)];
        }
        return v;
    }

    private static void reductions(int[] shape, int axis) {
        Tensor t = input(shape, 3 + axis);
        float[] x = t.toFloatArray();
        int[] outShape = without(shape, axis);
        int n = numel(outShape);
        float[] sum = new float[n], mean = new float[n], max = new float[n];
        long[] arg = new long[n];
        for (int f = 0; f < n; f++) {
            double[] v = line(x, shape, axis, unravel(f, outShape));
            double s = 0, m = Double.NEGATIVE_INFINITY;
            int am = 0;
            for (int i = 0; i < v.length; i++) {
                s += v[i];
                if (v[i] > m) {
                    m = v[i];
                    am = i;
                }
            }
            sum[f] = (float) s;
            mean[f] = (float) (s / v.length);
            max[f] = (float) m;
            arg[f] = am;
        }
        assertTensor(sum, outShape, t.sum(axis, false), "sum");
        assertTensor(sum, kept(shape, axis), t.sum(axis, true), "sum keepDim");
        assertTensor(sum, outShape, t.sum(axis - shape.length, false), "sum negative axis");
        assertTensor(mean, outShape, t.mean(axis, false), "mean");
        assertTensor(mean, kept(shape, axis), t.mean(axis, true), "mean keepDim");
        assertTensor(max, outShape, t.max(axis, false), "max");
        assertTensor(max, kept(shape, axis), t.max(axis, true), "max keepDim");
        assertArrayEquals(outShape, t.argmax(axis).shape(), "argmax shape");
        assertArrayEquals(arg, t.argmax(axis).toLongArray(), "argmax");

        // gradients: sum spreads g along the axis; max sends it to the (untied, random) maximum
        float[] gOut = input(outShape, 50).toFloatArray();
        Tensor p = Tensor.fromArray(x, shape).requiresGrad(true);
        p.sum(axis, false).mul(Tensor.fromArray(gOut, outShape)).sum().backward();
        float[] dSum = new float[x.length];
        float[] dMax = new float[x.length];
        for (int f = 0; f < x.length; f++) {
            int[] idx = unravel(f, shape);
            int o = ravel(without(idx, axis), outShape);
            dSum[f] = gOut[o];
            dMax[f] = idx[axis] == arg[o] ? gOut[o] : 0f;
        }
        assertClose(dSum, p.grad().toFloatArray(), "d sum");
        Tensor q = Tensor.fromArray(x, shape).requiresGrad(true);
        q.max(axis, false).mul(Tensor.fromArray(gOut, outShape)).sum().backward();
        assertClose(dMax, q.grad().toFloatArray(), "d max");
        Tensor r = Tensor.fromArray(x, shape).requiresGrad(true);
        r.mean(axis, true).mul(Tensor.fromArray(gOut, kept(shape, axis))).sum().backward();
        float[] dMean = dSum.clone();
        for (int k = 0; k < dMean.length; k++) {
            dMean[k] /= shape[axis];
        }
        assertClose(dMean, r.grad().toFloatArray(), "d mean");
    }

    private static void softmax(int[] shape, int axis) {
        float[] x = input(shape, 11 + axis).toFloatArray();
        float[] gOut = input(shape, 60).toFloatArray();
        double[] y = new double[x.length];
        float[] sm = new float[x.length], lsm = new float[x.length], dsm = new float[x.length], dlsm = new float[x.length];
        int[] outShape = without(shape, axis);
        for (int f = 0; f < numel(outShape); f++) {
            int[] o = unravel(f, outShape);
            double[] v = line(x, shape, axis, o);
            double[] g = line(gOut, shape, axis, o);
            double m = Arrays.stream(v).max().orElseThrow(), z = 0;
            for (double e : v) {
                z += Math.exp(e - m);
            }
            double dot = 0, gs = 0;
            double[] p = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                p[i] = Math.exp(v[i] - m) / z;
                dot += p[i] * g[i];
                gs += g[i];
            }
            int[] full = new int[shape.length];
            for (int i = 0; i < v.length; i++) {
                for (int k = 0, j = 0; k < shape.length; k++) {
                    full[k] = k == axis ? i : o[j++];
                }
                int at = ravel(full, shape);
                y[at] = p[i];
                sm[at] = (float) p[i];
                lsm[at] = (float) (v[i] - m - Math.log(z));
                dsm[at] = (float) (p[i] * (g[i] - dot));
                dlsm[at] = (float) (g[i] - p[i] * gs);
            }
        }
        Tensor a = Tensor.fromArray(x, shape).requiresGrad(true);
        Tensor out = a.softmax(axis);
        assertTensor(sm, shape, out, "softmax");
        out.mul(Tensor.fromArray(gOut, shape)).sum().backward();
        assertClose(dsm, a.grad().toFloatArray(), "d softmax");
        Tensor b = Tensor.fromArray(x, shape).requiresGrad(true);
        Tensor lout = b.logSoftmax(axis - shape.length);
        assertTensor(lsm, shape, lout, "logSoftmax");
        lout.mul(Tensor.fromArray(gOut, shape)).sum().backward();
        assertClose(dlsm, b.grad().toFloatArray(), "d logSoftmax");
    }

    private static void indexSelect(int[] shape, int axis) {
        float[] x = input(shape, 21 + axis).toFloatArray();
        int len = shape[axis];
        int[] idx = new int[len + 1];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = (len - 1 - j + len) % len; // reversed, one repeated
        }
        int[] outShape = shape.clone();
        outShape[axis] = idx.length;
        float[] want = new float[numel(outShape)];
        float[] gOut = input(outShape, 70).toFloatArray();
        float[] dx = new float[x.length];
        for (int f = 0; f < want.length; f++) {
            int[] o = unravel(f, outShape);
            int[] src = o.clone();
            src[axis] = idx[o[axis]];
            want[f] = x[ravel(src, shape)];
            dx[ravel(src, shape)] += gOut[f];
        }
        Tensor a = Tensor.fromArray(x, shape).requiresGrad(true);
        Tensor out = a.indexSelect(axis, Tensor.fromIndices(idx));
        assertTensor(want, outShape, out, "indexSelect");
        out.mul(Tensor.fromArray(gOut, outShape)).sum().backward();
        assertClose(dx, a.grad().toFloatArray(), "d indexSelect (repeated rows accumulate)");
    }

    private static void broadcast(int[] shape, int axis) {
        float[] x = input(shape, 31 + axis).toFloatArray();
        int[] bShape = kept(shape, axis);
        float[] bv = Tensor.rand(new Generator(32 + axis), bShape).add(0.5f).toFloatArray();
        float[] add = new float[x.length], sub = new float[x.length], mul = new float[x.length], div = new float[x.length];
        float[] mx = new float[x.length];
        float[] gOut = input(shape, 80).toFloatArray();
        float[] dbAdd = new float[bv.length], dbMul = new float[bv.length], dbSub = new float[bv.length];
        for (int f = 0; f < x.length; f++) {
            int[] idx = unravel(f, shape);
            idx[axis] = 0;
            int j = ravel(idx, bShape);
            add[f] = x[f] + bv[j];
            sub[f] = x[f] - bv[j];
            mul[f] = x[f] * bv[j];
            div[f] = (float) ((double) x[f] / bv[j]);
            mx[f] = Math.max(x[f], bv[j]);
            dbAdd[j] += gOut[f];
            dbSub[j] -= gOut[f];
            dbMul[j] += gOut[f] * x[f];
        }
        Tensor a = Tensor.fromArray(x, shape);
        Tensor b = Tensor.fromArray(bv, bShape);
        assertTensor(add, shape, a.add(b), "add");
        assertTensor(add, shape, b.add(a), "add (broadcast operand first)");
        assertTensor(sub, shape, a.sub(b), "sub");
        assertTensor(mul, shape, a.mul(b), "mul");
        assertTensor(div, shape, a.div(b), "div");
        assertTensor(mx, shape, a.maximum(b), "maximum");
        assertTensor(x, shape, a.expand(shape), "expand to own shape");
        float[] bExp = new float[x.length];
        for (int f = 0; f < x.length; f++) {
            int[] idx = unravel(f, shape);
            idx[axis] = 0;
            bExp[f] = bv[ravel(idx, bShape)];
        }
        assertTensor(bExp, shape, b.expand(shape), "expand");
        assertTensor(dbAdd, bShape, Tensor.fromArray(gOut, shape).sumTo(bShape), "sumTo");

        Tensor g = Tensor.fromArray(gOut, shape);
        Tensor b1 = Tensor.fromArray(bv, bShape).requiresGrad(true);
        a.add(b1).mul(g).sum().backward();
        assertClose(dbAdd, b1.grad().toFloatArray(), "d add / d broadcast operand");
        Tensor b2 = Tensor.fromArray(bv, bShape).requiresGrad(true);
        a.sub(b2).mul(g).sum().backward();
        assertClose(dbSub, b2.grad().toFloatArray(), "d sub / d broadcast operand");
        Tensor b3 = Tensor.fromArray(bv, bShape).requiresGrad(true);
        a.mul(b3).mul(g).sum().backward();
        assertClose(dbMul, b3.grad().toFloatArray(), 1e-5, 1e-4, "d mul / d broadcast operand");
    }

    private static void sliceCatStack(int[] shape, int axis) {
        Tensor a = input(shape, 41 + axis);
        float[] x = a.toFloatArray();
        int len = shape[axis];
        int[] sShape = shape.clone();
        sShape[axis] = len - 1;
        float[] tail = new float[numel(sShape)];
        for (int f = 0; f < tail.length; f++) {
            int[] o = unravel(f, sShape);
            o[axis] += 1;
            tail[f] = x[ravel(o, shape)];
        }
        Tensor s = a.slice(axis, 1, len);
        assertTensor(tail, sShape, s, "slice");
        Tensor head = a.slice(axis, 0, 1);
        assertTensor(x, shape, Tensor.cat(List.of(head, s), axis), "cat(slice, slice)");
        int[] selShape = without(shape, axis);
        float[] sel = new float[numel(selShape)];
        for (int f = 0; f < sel.length; f++) {
            int[] o = unravel(f, selShape);
            int[] full = new int[shape.length];
            for (int k = 0, j = 0; k < shape.length; k++) {
                full[k] = k == axis ? len - 1 : o[j++];
            }
            sel[f] = x[ravel(full, shape)];
        }
        assertTensor(sel, selShape, a.select(axis, len - 1), "select");
        // stack of selections along the axis rebuilds the tensor
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            parts.add(a.select(axis, i));
        }
        assertTensor(x, shape, Tensor.stack(parts, axis), "stack(select...)");
    }
}
