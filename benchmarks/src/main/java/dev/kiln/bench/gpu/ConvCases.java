package dev.kiln.bench.gpu;

import dev.kiln.DType;
import dev.kiln.backend.Buffer;
import dev.kiln.backend.ConvGeometry;
import dev.kiln.cuda.CudaBuffer;
import dev.kiln.cuda.CudnnConv;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ConvBench} and {@link ConvBenchmark} share: the convolution layers of Kiln's
 * ResNet-18 stack on 28×28 input ({@code models/.../resnet}: a 3×3 stride-1 stem, no max-pool,
 * four stages of basic blocks at widths 64-128-256-512 on 28, 14, 7 and 4 pixels; stages 2-4 open
 * with a stride-2 3×3 conv and a stride-2 1×1 projection), device operands for one layer, and
 * the three passes run by our kernels (the backend's SPI, {@code kiln.cuda.impl.conv=own}) or by
 * cuDNN ({@link CudnnConv}, the algorithm cudnnFind picked).
 */
final class ConvCases {

    private ConvCases() {
    }

    /** One conv layer: input channels, input size (square), output channels, kernel, stride, padding. */
    record Layer(String name, int c, int h, int k, int r, int stride, int pad) {
        ConvGeometry geometry(int n) {
            return ConvGeometry.of(n, c, h, h, k, r, r, stride, stride, pad, pad, 1, 1, 1);
        }

        /** The same layer with every channel count divided by {@code div} (at least 1): smoke sizes. */
        Layer shrunk(int div) {
            return new Layer(name, Math.max(1, c / div), h, Math.max(1, k / div), r, stride, pad);
        }

        String describe() {
            int p = ConvGeometry.outSize(h, r, stride, pad, 1);
            return c + "→" + k + " " + r + "×" + r + "/" + stride + " " + h + "→" + p;
        }
    }

    /** ResNet-18 on 28×28 (Kiln's full ResNet preset), each distinct conv shape once. */
    static final List<Layer> RESNET18_28 = List.of(
            new Layer("stem", 1, 28, 64, 3, 1, 1),
            new Layer("s1.conv", 64, 28, 64, 3, 1, 1),
            new Layer("s2.down", 64, 28, 128, 3, 2, 1),
            new Layer("s2.proj", 64, 28, 128, 1, 2, 0),
            new Layer("s2.conv", 128, 14, 128, 3, 1, 1),
            new Layer("s3.down", 128, 14, 256, 3, 2, 1),
            new Layer("s3.proj", 128, 14, 256, 1, 2, 0),
            new Layer("s3.conv", 256, 7, 256, 3, 1, 1),
            new Layer("s4.down", 256, 7, 512, 3, 2, 1),
            new Layer("s4.proj", 256, 7, 512, 1, 2, 0),
            new Layer("s4.conv", 512, 4, 512, 3, 1, 1));

    static Layer layer(String name) {
        for (Layer l : RESNET18_28) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no ResNet layer '" + name + "'; one of " + RESNET18_28.stream().map(Layer::name).toList());
    }

    /** The three passes. */
    enum Pass {
        FORWARD("fwd"), BACKWARD_DATA("bwd-data"), BACKWARD_FILTER("bwd-filter");

        final String label;

        Pass(String label) {
            this.label = label;
        }

        CudnnConv.Pass cudnn() {
            return CudnnConv.Pass.values()[ordinal()];
        }
    }

    /** Multiply-adds × 2 of one pass (the same for all three: N·K·P·Q·C/g·R·S products). */
    static double flops(ConvGeometry g) {
        return 2.0 * g.n() * g.k() * g.p() * g.q() * g.cg() * g.r() * g.s();
    }

    /** Device buffers of one layer: x, w, dy (random normals, never zeros) and the outputs y, dx, dw. */
    static final class Operands implements AutoCloseable {
        final ConvGeometry g;
        final float[] hostX, hostW, hostDy;
        final Buffer x, w, dy, y, dx, dw;
        private final GpuContext ctx;

        Operands(GpuContext ctx, ConvGeometry g, long seed) {
            this.ctx = ctx;
            this.g = g;
            int nx = g.n() * g.c() * g.h() * g.w(), nw = g.k() * g.cg() * g.r() * g.s(), ny = g.n() * g.k() * g.p() * g.q();
            hostX = GpuContext.normals(nx, seed);
            hostW = GpuContext.normals(nw, seed + 1);
            hostDy = GpuContext.normals(ny, seed + 2);
            x = upload(hostX);
            w = upload(hostW);
            dy = upload(hostDy);
            y = ctx.backend.allocate(DType.FLOAT32, ny);
            dx = ctx.backend.allocate(DType.FLOAT32, nx);
            dw = ctx.backend.allocate(DType.FLOAT32, nw);
        }

        private Buffer upload(float[] v) {
            Buffer b = ctx.backend.allocate(DType.FLOAT32, v.length);
            ctx.backend.upload(v, b);
            return b;
        }

        Buffer out(Pass p) {
            return p == Pass.FORWARD ? y : p == Pass.BACKWARD_DATA ? dx : dw;
        }

        void poison(Pass p) {
            Buffer b = out(p);
            ctx.poison(((CudaBuffer) b).pointer(), 4L * b.size());
        }

        float[] download(Pass p) {
            return ctx.backend.downloadFloats(out(p));
        }

        @Override
        public void close() {
            ctx.backend.synchronize();
            for (Buffer b : new Buffer[] {x, w, dy, y, dx, dw}) {
                b.close();
            }
        }
    }

    /** Our kernels through the backend's SPI (the launches training makes). */
    static Runnable ours(GpuContext ctx, Operands o, Pass p) {
        ConvGeometry g = o.g;
        switch (p) {
            case FORWARD: return () -> ctx.backend.vision().conv2dForward(g, o.x, o.w, null, o.y, false);
            case BACKWARD_DATA: return () -> ctx.backend.vision().conv2dBackwardData(g, o.dy, o.w, o.dx);
            default: return () -> ctx.backend.vision().conv2dBackwardWeight(g, o.x, o.dy, o.dw);
        }
    }

    /** cuDNN with the algorithm cudnnFind picks on the first call (cached after). */
    static Runnable cudnn(CudnnConv dnn, Operands o, Pass p) {
        ConvGeometry g = o.g;
        switch (p) {
            case FORWARD: return () -> dnn.forward(g, o.x, o.w, null, o.y, false);
            case BACKWARD_DATA: return () -> dnn.backwardData(g, o.dy, o.w, o.dx);
            default: return () -> dnn.backwardFilter(g, o.x, o.dy, o.dw);
        }
    }

    /** Why cuDNN cannot run on this context, or null when it can (creates the handle). */
    static String cudnnUnavailable(GpuContext ctx) {
        if (!ctx.vendor()) {
            return "unavailable under the emulator (no cuDNN)";
        }
        try {
            CudnnConv.of(ctx.backend);
            return null;
        } catch (RuntimeException | LinkageError e) {
            return "unavailable: " + e.getMessage();
        }
    }

    // ---- host reference (double), for runs without cuDNN (small sizes) ------------------------

    /** The pass computed on the host in double from the operands' host copies (NCHW/KCRS or NHWC/KRSC; groups 1). */
    static double[] reference(Operands o, Pass p) {
        ConvGeometry g = o.g;
        int n = g.n(), c = g.c(), h = g.h(), w = g.w(), k = g.k(), r = g.r(), s = g.s(), pp = g.p(), q = g.q();
        double[] out = new double[p == Pass.FORWARD ? n * k * pp * q : p == Pass.BACKWARD_DATA ? n * c * h * w : k * c * r * s];
        for (int b = 0; b < n; b++) {
            for (int ko = 0; ko < k; ko++) {
                for (int oy = 0; oy < pp; oy++) {
                    for (int ox = 0; ox < q; ox++) {
                        int yi = g.nhwc() ? ((b * pp + oy) * q + ox) * k + ko : ((b * k + ko) * pp + oy) * q + ox;
                        double acc = 0;
                        for (int ci = 0; ci < c; ci++) {
                            for (int ry = 0; ry < r; ry++) {
                                int iy = oy * g.strideH() - g.padH() + ry * g.dilH();
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int sx = 0; sx < s; sx++) {
                                    int ix = ox * g.strideW() - g.padW() + sx * g.dilW();
                                    if (ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    int xi = g.nhwc() ? ((b * h + iy) * w + ix) * c + ci : ((b * c + ci) * h + iy) * w + ix;
                                    int wi = g.nhwc() ? ((ko * r + ry) * s + sx) * c + ci : ((ko * c + ci) * r + ry) * s + sx;
                                    switch (p) {
                                        case FORWARD: acc += (double) o.hostX[xi] * o.hostW[wi]; break;
                                        case BACKWARD_DATA: out[xi] += (double) o.hostDy[yi] * o.hostW[wi]; break;
                                        default: out[wi] += (double) o.hostDy[yi] * o.hostX[xi]; break;
                                    }
                                }
                            }
                        }
                        if (p == Pass.FORWARD) {
                            out[yi] = acc;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Relative-error tolerance vs cuDNN or the host reference: fp32 far under 1e-3; tf32 near 3e-4 (METHOD.md). */
    static double tolerance(boolean tf32) {
        return tf32 ? 1e-2 : 1e-3;
    }

    static List<Layer> select(String csv) {
        if (csv == null) {
            return RESNET18_28;
        }
        List<Layer> l = new ArrayList<>();
        for (String s : csv.split(",")) {
            l.add(layer(s.trim()));
        }
        return l;
    }
}
