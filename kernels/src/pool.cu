// Kiln pool family: 2-D max pooling (with argmax indices), average pooling
// and adaptive average pooling, forward and backward. fp32.
//
// WHAT (PyTorch semantics; per (n, c) plane, window of output (p, q))
//   max      y = max over the window taps (h, w) = (p*sh-ph + r*dh, q*sw-pw + s*dw)
//            that lie inside the input; idx = h*W + w of the max (the flat
//            index into the H x W plane, int64, as torch's indices). A NaN
//            wins (and the last NaN gives the index), as in torch. A window
//            with no tap inside the input gives -inf and idx -1 (torch
//            forbids such windows: pad <= kernel/2).
//   avg      hs = p*sh-ph, he = min(hs+R, H+ph) (same for w); pool = (he-hs)*(we-ws)
//            counted before clamping to the input; the sum runs over the
//            clamped window; divisor = pool if count_include_pad else the
//            clamped window's size. (No dilation; divisor_override is not
//            supported.)
//   adaptive start(i) = floor(i*H/P), end(i) = ceil((i+1)*H/P) (same for
//            w with W, Q); y = mean over [start, end) x [start_w, end_w).
//            KilnPoolGeom's R, S, stride, pad, dil are ignored.
//   Ceil mode is the caller's choice of P and Q; the formulas above handle
//   the last window hanging over the border.
//   Backward passes are gathers: each dx element sums the dy of every output
//   window that used it (max: whose idx names it), in a fixed order. No
//   atomics, no zero-fill pass; results are deterministic.
//
// LAYOUT
//   NCHW contiguous: x, dx [N, C, H, W]; y, dy, idx [N, C, P, Q]. Geometry
//   in one KilnPoolGeom (kiln/conv_geom.h) passed by value.
//
// LAUNCH (all: 1-D grid-stride, blockDim (256,1,1) recommended, any grid >= 1;
//   grid.x = min(ceil(count/256), 65535) where count = N*C*P*Q for forward,
//   N*C*H*W for backward; dynamic shared memory 0)
//   kiln_pool_max2d_forward_f32(KilnPoolGeom g, const float* x, float* y, long long* idx)
//       idx may be null (inference)
//   kiln_pool_max2d_backward_f32(KilnPoolGeom g, const float* dy, const long long* idx,
//                                float* dx)
//   kiln_pool_avg2d_forward_f32(KilnPoolGeom g, const float* x, float* y,
//                               int count_include_pad)
//   kiln_pool_avg2d_backward_f32(KilnPoolGeom g, const float* dy, float* dx,
//                                int count_include_pad)
//   kiln_pool_adaptive_avg2d_forward_f32(KilnPoolGeom g, const float* x, float* y)
//   kiln_pool_adaptive_avg2d_backward_f32(KilnPoolGeom g, const float* dy, float* dx)
//   Outputs are fully written, never read (may hold NaN before launch).
//
// One thread per output (forward) or input (backward) element: these are
// memory-bound; a shared-memory tiled variant would save the re-reads of
// overlapping windows. Ratio vs cuDNN: not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"
#include "kiln/conv_geom.h"

namespace {

// Window of output index o along one axis of an average pool.
struct AvgSpan {
    int lo, hi, full;  // clamped [lo, hi) and the unclamped size for count_include_pad
};
KILN_DEV AvgSpan avg_span(int o, int stride, int pad, int k, int in) {
    int s = o * stride - pad;
    int e = min(s + k, in + pad);
    const int full = e - s;
    s = max(s, 0);
    e = min(e, in);
    return {s, e, full};
}

KILN_DEV float avg_divisor(const KilnPoolGeom& g, int p, int q, int cip) {
    const AvgSpan a = avg_span(p, g.stride_h, g.pad_h, g.R, g.H);
    const AvgSpan b = avg_span(q, g.stride_w, g.pad_w, g.S, g.W);
    return cip ? (float)(a.full * b.full) : (float)((a.hi - a.lo) * (b.hi - b.lo));
}

KILN_DEV int adaptive_start(int i, int in, int out) { return (int)(((long long)i * in) / out); }
KILN_DEV int adaptive_end(int i, int in, int out) {
    return (int)(((long long)(i + 1) * in + out - 1) / out);
}

}  // namespace

extern "C" __global__ void kiln_pool_max2d_forward_f32(KilnPoolGeom g, const float* x, float* y,
                                                       long long* idx) {
    const long long PQ = (long long)g.P * g.Q, total = (long long)g.N * g.C * PQ;
    for (long long o = kiln::global_tid(); o < total; o += kiln::grid_threads()) {
        const long long plane = o / PQ;
        const int pq = (int)(o - plane * PQ), p = pq / g.Q, q = pq % g.Q;
        const float* xp = x + plane * g.H * g.W;
        float best = -INFINITY;
        long long bi = -1;
        for (int r = 0; r < g.R; ++r) {
            const int h = p * g.stride_h - g.pad_h + r * g.dil_h;
            if (h < 0 || h >= g.H) continue;
            for (int s = 0; s < g.S; ++s) {
                const int w = q * g.stride_w - g.pad_w + s * g.dil_w;
                if (w < 0 || w >= g.W) continue;
                const int i = h * g.W + w;
                const float v = xp[i];
                // The first tap seeds (best, index), so an all -inf window
                // keeps its first tap, as torch does; a NaN always wins.
                if (bi < 0 || v > best || v != v) {
                    best = v;
                    bi = i;
                }
            }
        }
        y[o] = best;
        if (idx) idx[o] = bi;
    }
}
KILN_KERNEL_REGISTER(kiln_pool_max2d_forward_f32);

extern "C" __global__ void kiln_pool_max2d_backward_f32(KilnPoolGeom g, const float* dy,
                                                        const long long* idx, float* dx) {
    const long long HW = (long long)g.H * g.W, PQ = (long long)g.P * g.Q;
    const long long total = (long long)g.N * g.C * HW;
    for (long long i = kiln::global_tid(); i < total; i += kiln::grid_threads()) {
        const long long plane = i / HW;
        const int hw = (int)(i - plane * HW), h = hw / g.W, w = hw % g.W;
        const float* dyp = dy + plane * PQ;
        const long long* ip = idx + plane * PQ;
        float acc = 0.0f;
        // Output rows p whose window has a tap r on row h: h = p*sh - ph + r*dh.
        for (int r = 0; r < g.R; ++r) {
            const int th = h + g.pad_h - r * g.dil_h;
            if (th < 0) break;
            const int p = th / g.stride_h;
            if (p * g.stride_h != th || p >= g.P) continue;
            for (int s = 0; s < g.S; ++s) {
                const int tw = w + g.pad_w - s * g.dil_w;
                if (tw < 0) break;
                const int q = tw / g.stride_w;
                if (q * g.stride_w != tw || q >= g.Q) continue;
                const long long o = (long long)p * g.Q + q;
                if (ip[o] == hw) acc += dyp[o];
            }
        }
        dx[i] = acc;
    }
}
KILN_KERNEL_REGISTER(kiln_pool_max2d_backward_f32);

extern "C" __global__ void kiln_pool_avg2d_forward_f32(KilnPoolGeom g, const float* x, float* y,
                                                       int count_include_pad) {
    const long long PQ = (long long)g.P * g.Q, total = (long long)g.N * g.C * PQ;
    for (long long o = kiln::global_tid(); o < total; o += kiln::grid_threads()) {
        const long long plane = o / PQ;
        const int pq = (int)(o - plane * PQ), p = pq / g.Q, q = pq % g.Q;
        const float* xp = x + plane * g.H * g.W;
        const AvgSpan a = avg_span(p, g.stride_h, g.pad_h, g.R, g.H);
        const AvgSpan b = avg_span(q, g.stride_w, g.pad_w, g.S, g.W);
        float s = 0.0f;
        for (int h = a.lo; h < a.hi; ++h)
            for (int w = b.lo; w < b.hi; ++w) s += xp[h * g.W + w];
        y[o] = s / avg_divisor(g, p, q, count_include_pad);
    }
}
KILN_KERNEL_REGISTER(kiln_pool_avg2d_forward_f32);

extern "C" __global__ void kiln_pool_avg2d_backward_f32(KilnPoolGeom g, const float* dy, float* dx,
                                                        int count_include_pad) {
    const long long HW = (long long)g.H * g.W, PQ = (long long)g.P * g.Q;
    const long long total = (long long)g.N * g.C * HW;
    for (long long i = kiln::global_tid(); i < total; i += kiln::grid_threads()) {
        const long long plane = i / HW;
        const int hw = (int)(i - plane * HW), h = hw / g.W, w = hw % g.W;
        const float* dyp = dy + plane * PQ;
        // Windows with p*sh - ph <= h < p*sh - ph + R.
        const int p0 = h + g.pad_h < g.R ? 0 : (h + g.pad_h - g.R) / g.stride_h + 1;
        const int p1 = min((h + g.pad_h) / g.stride_h + 1, g.P);
        const int q0 = w + g.pad_w < g.S ? 0 : (w + g.pad_w - g.S) / g.stride_w + 1;
        const int q1 = min((w + g.pad_w) / g.stride_w + 1, g.Q);
        float acc = 0.0f;
        for (int p = p0; p < p1; ++p)
            for (int q = q0; q < q1; ++q)
                acc += dyp[(long long)p * g.Q + q] / avg_divisor(g, p, q, count_include_pad);
        dx[i] = acc;
    }
}
KILN_KERNEL_REGISTER(kiln_pool_avg2d_backward_f32);

extern "C" __global__ void kiln_pool_adaptive_avg2d_forward_f32(KilnPoolGeom g, const float* x,
                                                                float* y) {
    const long long PQ = (long long)g.P * g.Q, total = (long long)g.N * g.C * PQ;
    for (long long o = kiln::global_tid(); o < total; o += kiln::grid_threads()) {
        const long long plane = o / PQ;
        const int pq = (int)(o - plane * PQ), p = pq / g.Q, q = pq % g.Q;
        const float* xp = x + plane * g.H * g.W;
        const int h0 = adaptive_start(p, g.H, g.P), h1 = adaptive_end(p, g.H, g.P);
        const int w0 = adaptive_start(q, g.W, g.Q), w1 = adaptive_end(q, g.W, g.Q);
        float s = 0.0f;
        for (int h = h0; h < h1; ++h)
            for (int w = w0; w < w1; ++w) s += xp[h * g.W + w];
        y[o] = s / (float)((h1 - h0) * (w1 - w0));
    }
}
KILN_KERNEL_REGISTER(kiln_pool_adaptive_avg2d_forward_f32);

extern "C" __global__ void kiln_pool_adaptive_avg2d_backward_f32(KilnPoolGeom g, const float* dy,
                                                                 float* dx) {
    const long long HW = (long long)g.H * g.W, PQ = (long long)g.P * g.Q;
    const long long total = (long long)g.N * g.C * HW;
    for (long long i = kiln::global_tid(); i < total; i += kiln::grid_threads()) {
        const long long plane = i / HW;
        const int hw = (int)(i - plane * HW), h = hw / g.W, w = hw % g.W;
        const float* dyp = dy + plane * PQ;
        // start(p) <= h  <=>  p <= ceil((h+1)P/H) - 1;  end(p) > h  <=>  p >= floor(hP/H).
        const int p0 = (int)(((long long)h * g.P) / g.H);
        const int p1 = min((int)(((long long)(h + 1) * g.P + g.H - 1) / g.H), g.P);
        const int q0 = (int)(((long long)w * g.Q) / g.W);
        const int q1 = min((int)(((long long)(w + 1) * g.Q + g.W - 1) / g.W), g.Q);
        float acc = 0.0f;
        for (int p = p0; p < p1; ++p) {
            const int hs = adaptive_start(p, g.H, g.P), he = adaptive_end(p, g.H, g.P);
            for (int q = q0; q < q1; ++q) {
                const int ws = adaptive_start(q, g.W, g.Q), we = adaptive_end(q, g.W, g.Q);
                acc += dyp[(long long)p * g.Q + q] / (float)((he - hs) * (we - ws));
            }
        }
        dx[i] = acc;
    }
}
KILN_KERNEL_REGISTER(kiln_pool_adaptive_avg2d_backward_f32);
