// Kiln conv family: 2-D convolution forward, data gradient, weight gradient
// and bias gradient as implicit GEMMs. fp32 storage; fp32 (SIMT) or tf32
// (tensor-core) products, fp32 accumulation.
//
// WHAT (per group g of `groups`; Cg = C/groups, Kg = K/groups)
//   forward   y[n,k,p,q]  = act( bias[k] + sum_{c,r,s} w[k,c,r,s] *
//                           x[n, g*Cg+c, p*sh-ph+r*dh, q*sw-pw+s*dw] )
//   data      dx[n,c,h,w] = sum over (k,r,s,p,q) with h = p*sh-ph+r*dh and
//                           w = q*sw-pw+s*dw of  w[k,c,r,s] * dy[n,k,p,q]
//   weight    dw[k,c,r,s] = sum_{n,p,q} dy[n,k,p,q] * x[n, g*Cg+c, h(p,r), w(q,s)]
//   bias      db[k]       = sum_{n,p,q} dy[n,k,p,q]
//   (x outside [0,H) x [0,W) is the zero padding). act: 0 none, 1 relu.
//
// LAYOUT
//   NCHW activations (x, dx: [N,C,H,W]; y, dy: [N,K,P,Q]) and weights
//   [K, C/groups, R, S], contiguous fp32. NCHW is native because Kiln's
//   Java API and its CPU reference backend are NCHW (PyTorch's order), so no
//   layout conversion happens at the Java/kernel boundary. NHWC (x [N,H,W,C],
//   y [N,P,Q,K], KRSC weights) has entry points of its own (*_nhwc_*): the
//   GEMM reduction runs (r, s, c) with the channel fastest, so the gathers
//   read channels contiguously (loaders *Nhwc below).
//   Geometry: one KilnConvGeom (kiln/conv_geom.h) passed by value.
//
// ALGORITHM
//   Implicit GEMM, no im2col buffer in global memory: the loaders gather the
//   virtual im2col operand tile straight from x / dy into shared memory,
//   decoding (n, p, q) x (c, r, s) on the fly (multiply-high division by
//   the runtime extents, FastDiv below). Per group (blockIdx.z):
//     forward  M = Kg (out channels) N = N*P*Q (pixels)   Kd = Cg*R*S
//              A = w rows, B = gathered x
//     data     M = Cg (in channels)  N = N*H*W (pixels)   Kd = Kg*R*S
//              A = w^T, B = gathered dy: for input pixel (h, w) and tap
//              (r, s), t = h+ph-r*dh must be >= 0, divisible by sh and
//              t/sh < P (same for w); else the element is zero. Correct for
//              any stride; for stride s it gathers ~s^2 zeros per useful
//              element (splitting into s_h*s_w phase sub-problems is the
//              later speed-up).
//     weight   M = Kg               N = Cg*R*S            Kd = N*P*Q
//              A = dy (pixels contiguous), B = gathered x; the N*P*Q
//              reduction is split over `splits` slices (grid.z =
//              groups*splits), each writing its own partial dw to a
//              workspace; kiln_conv_backward_weight_reduce_f32 sums the
//              slices in slice order. No atomics: results are deterministic
//              and independent of the launch order.
//   Block tile 64 (M) x 64 (N) x 16 (Kd), 256 threads, shared memory double
//   buffered with the next tile staged in registers while the current one
//   is multiplied. Tiles are stored k-major (As[kk][m], Bs[kk][n]).
//   fp32 SIMT: each thread a 4 x 4 register block, rows 4*ty..4*ty+3 (one
//   float4 shared read) x columns tx, tx+16, tx+32, tx+48 (conflict-free
//   scalar reads; coalesced output stores along pixels).
//   tf32: operands rounded with cvt.rna.tf32 on the way into shared memory;
//   8 warps as 2 (M) x 4 (N), warp tile 32 x 16 = 2 x 2 mma.m16n8k8.tf32
//   per k-step of 8; row stride 72 words makes the fragment reads
//   conflict-free.
//   Depthwise (groups == C) runs through the same kernels with Kg = K/C
//   rows per group: correct, but the 64-row tile is mostly idle; a direct
//   depthwise kernel is a later variant.
//
// LAUNCH (blockDim = (256,1,1) for all; dynamic shared memory 0; static
// shared memory < 48 KiB) -- full contract in kernels/CONV.md
//   kiln_conv_forward_f32(KilnConvGeom g, const float* x, const float* w,
//                         const float* bias, float* y, int act)
//   kiln_conv_forward_tf32_f32(same)                          sm_80+
//   every forward/backward_data/backward_weight entry point also exists as
//   *_nhwc_f32 and *_nhwc_tf32_f32 (NHWC activations, KRSC weights)
//       grid (ceil(N*P*Q/64), ceil((K/groups)/64), groups); bias may be null
//   kiln_conv_backward_data_f32(KilnConvGeom g, const float* dy, const float* w,
//                               float* dx)
//   kiln_conv_backward_data_tf32_f32(same)                    sm_80+
//       grid (ceil(N*H*W/64), ceil((C/groups)/64), groups)
//   kiln_conv_backward_weight_f32(KilnConvGeom g, const float* x, const float* dy,
//                                 float* ws, int splits)
//   kiln_conv_backward_weight_tf32_f32(same)                  sm_80+
//       grid (ceil((C/groups)*R*S/64), ceil((K/groups)/64), groups*splits);
//       ws holds splits * K*(C/groups)*R*S floats; with splits == 1, ws may be dw
//   kiln_conv_backward_weight_reduce_f32(const float* ws, float* dw,
//                                        long long count, int splits)
//       dw[i] = sum_{s<splits} ws[s*count + i]; any 1-D grid (grid-stride)
//   kiln_conv_backward_bias_f32(KilnConvGeom g, const float* dy, float* db)
//       grid (K), block 256
//   Outputs are fully written (never read): they may hold NaN before launch.
//
// No kernel spills (ptxas -v for sm_80 and sm_90a in kernels/CONV.md).
// Ratio vs cuDNN: not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/mma.cuh"
#include "kiln/warp.cuh"
#include "kiln/conv_geom.h"

#include <type_traits>

namespace {

constexpr int BM = 64, BN = 64, BK = 16, NT = 256;
constexpr int LD_F32 = BM + 4;   // float4-aligned rows, 2-way store conflicts at most
constexpr int LD_TF32 = BM + 8;  // (8t + g) % 32 distinct: conflict-free fragments

// Each loader fills v[4] for the tile starting at reduction index k0 and
// stores them at S[kk*ld + i] (i = m for A, n for B). Element e of thread tid:
//   row-fast  (i fast): i = tid % 64, kk = tid / 64 + 4e
//   k-fast    (kk fast): kk = tid % 16, i = tid / 16 + 16e
// Consecutive threads walk whichever index is contiguous in global memory.
KILN_DEV int rf_i(int tid) { return tid % 64; }
KILN_DEV int rf_k(int tid, int e) { return tid / 64 + 4 * e; }
KILN_DEV int kf_k(int tid) { return tid % 16; }
KILN_DEV int kf_i(int tid, int e) { return tid / 16 + 16 * e; }

// Division by a runtime divisor d >= 1, exact for 0 <= n < 2^31, as one
// multiply-high, an add and a shift (round-up method): s = ceil(log2 d),
// m = floor(2^32 (2^s - d) / d) + 1, n / d = (umulhi(n, m) + n) >> s. The
// gathers decode (c, r, s) and (n, p, q) per element; hardware integer
// division would cost ~20 instructions each.
struct FastDiv {
    int d;
    unsigned m, s;
    KILN_DEV FastDiv() : d(1), m(1), s(0) {}
    KILN_DEV explicit FastDiv(int div) : d(div), s(0) {
        while ((1u << s) < (unsigned)d) ++s;
        m = (unsigned)(((1ull << 32) * ((1ull << s) - (unsigned)d)) / (unsigned)d + 1);
    }
    KILN_DEV int div(int n) const {
        return (int)((__umulhi((unsigned)n, m) + (unsigned)n) >> s);
    }
    // q = n / d, returns n % d.
    KILN_DEV int divmod(int n, int& q) const {
        q = div(n);
        return n - q * d;
    }
};

struct ToF32 {
    KILN_DEV float operator()(float v) const { return v; }
};
struct ToTf32 {
    KILN_DEV float operator()(float v) const { return kiln::bits_to_float(kiln::cvt_tf32(v)); }
};

template <bool kRowFast, class Conv>
KILN_DEV void store_tile(float* S, int ld, const float (&v)[4], int tid, Conv conv) {
#pragma unroll
    for (int e = 0; e < 4; ++e) {
        const int i = kRowFast ? rf_i(tid) : kf_i(tid, e);
        const int kk = kRowFast ? rf_k(tid, e) : kf_k(tid);
        S[kk * ld + i] = conv(v[e]);
    }
}

// ---------------------------------------------------------------------------
// Forward: A = w (Kg x Cg*R*S, rows contiguous), B = im2col(x) gathered.
// ---------------------------------------------------------------------------
struct FwdA {
    static constexpr bool kRowFast = false;
    const float* w;  // group's first filter
    int M, CRS, m0;
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int kk = k0 + kf_k(tid);
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int m = m0 + kf_i(tid, e);
            v[e] = (m < M && kk < kend) ? w[(long long)m * CRS + kk] : 0.0f;
        }
    }
};

struct FwdB {
    static constexpr bool kRowFast = true;
    const float* xb;  // x + (n*C + g*Cg)*H*W for this thread's pixel
    int h0, w0;       // top-left input coordinate of the window
    bool valid;
    int H, W, dh, dw;
    FastDiv S, RS;
    KILN_DEV FwdB(const KilnConvGeom& g, const float* x, int grp, int n0, int tid) {
        const int Cg = g.C / g.groups, PQ = g.P * g.Q;
        const int j = n0 + rf_i(tid);
        valid = j < g.N * PQ;
        const int n = valid ? j / PQ : 0, pq = valid ? j % PQ : 0;
        h0 = (pq / g.Q) * g.stride_h - g.pad_h;
        w0 = (pq % g.Q) * g.stride_w - g.pad_w;
        xb = x + ((long long)n * g.C + (long long)grp * Cg) * g.H * g.W;
        H = g.H; W = g.W; S = FastDiv(g.S); RS = FastDiv(g.R * g.S); dh = g.dil_h; dw = g.dil_w;
    }
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int crs = k0 + rf_k(tid, e);
            float val = 0.0f;
            if (valid && crs < kend) {
                int c, r;
                const int rs = RS.divmod(crs, c);
                const int s = S.divmod(rs, r);
                const int h = h0 + r * dh, ww = w0 + s * dw;
                if ((unsigned)h < (unsigned)H && (unsigned)ww < (unsigned)W)
                    val = xb[((long long)c * H + h) * W + ww];
            }
            v[e] = val;
        }
    }
};

// ---------------------------------------------------------------------------
// Data gradient: A(c, (k,r,s)) = w[g*Kg+k, c, r, s], B((k,r,s), (n,h,w)) =
// dy[n, g*Kg+k, p, q] where the tap (r, s) of output (p, q) lands on (h, w).
// ---------------------------------------------------------------------------
struct DgradA {
    static constexpr bool kRowFast = true;
    const float* w;  // group's first filter
    int M, Cg;
    FastDiv RS;
    int m0;
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int c = m0 + rf_i(tid);
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int krs = k0 + rf_k(tid, e);
            float val = 0.0f;
            if (c < M && krs < kend) {
                int k;
                const int rs = RS.divmod(krs, k);
                val = w[((long long)k * Cg + c) * RS.d + rs];
            }
            v[e] = val;
        }
    }
};

struct DgradB {
    static constexpr bool kRowFast = true;
    const float* dyb;  // dy + (n*K + g*Kg)*P*Q for this thread's input pixel
    int hp, wp;        // h + pad_h, w + pad_w
    bool valid;
    int P, Q, dh, dw;
    FastDiv S, RS, sh, sw;
    KILN_DEV DgradB(const KilnConvGeom& g, const float* dy, int grp, int n0, int tid) {
        const int Kg = g.K / g.groups, HW = g.H * g.W;
        const int j = n0 + rf_i(tid);
        valid = j < g.N * HW;
        const int n = valid ? j / HW : 0, hw = valid ? j % HW : 0;
        hp = hw / g.W + g.pad_h;
        wp = hw % g.W + g.pad_w;
        dyb = dy + ((long long)n * g.K + (long long)grp * Kg) * g.P * g.Q;
        P = g.P; Q = g.Q; S = FastDiv(g.S); RS = FastDiv(g.R * g.S);
        sh = FastDiv(g.stride_h); sw = FastDiv(g.stride_w); dh = g.dil_h; dw = g.dil_w;
    }
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int krs = k0 + rf_k(tid, e);
            float val = 0.0f;
            if (valid && krs < kend) {
                int k, r, p, q;
                const int rs = RS.divmod(krs, k);
                const int s = S.divmod(rs, r);
                const int th = hp - r * dh, tw = wp - s * dw;
                if (th >= 0 && tw >= 0) {
                    const int rh = sh.divmod(th, p), rw = sw.divmod(tw, q);
                    if (rh == 0 && rw == 0 && p < P && q < Q)
                        val = dyb[((long long)k * P + p) * Q + q];
                }
            }
            v[e] = val;
        }
    }
};

// ---------------------------------------------------------------------------
// Weight gradient: A(k, (n,p,q)) = dy[n, g*Kg+k, p, q],
// B((n,p,q), (c,r,s)) = x[n, g*Cg+c, p*sh-ph+r*dh, q*sw-pw+s*dw].
// Both are loaded k-fast (pixels contiguous in dy and, for stride 1, in x).
// ---------------------------------------------------------------------------
struct WgradA {
    static constexpr bool kRowFast = false;
    const float* dyg;  // dy + g*Kg*P*Q
    int M, K;
    FastDiv PQ;
    int m0;
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int j = k0 + kf_k(tid);
        const bool ok = j < kend;
        int n = 0;
        const int pq = ok ? PQ.divmod(j, n) : 0;
        const float* base = dyg + (long long)n * K * PQ.d + pq;
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int m = m0 + kf_i(tid, e);
            v[e] = (ok && m < M) ? base[(long long)m * PQ.d] : 0.0f;
        }
    }
};

struct WgradB {
    static constexpr bool kRowFast = false;
    const float* xg;  // x + g*Cg*H*W
    int C, H, W;
    FastDiv PQ, Q, S, RS;
    int CRS, sh, sw, ph, pw, dh, dw, n0;
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int j = k0 + kf_k(tid);
        const bool ok = j < kend;
        int n = 0, p;
        const int pq = ok ? PQ.divmod(j, n) : 0;
        const int q = Q.divmod(pq, p);
        const int hb = p * sh - ph, wb = q * sw - pw;
        const float* base = xg + (long long)n * C * H * W;
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int crs = n0 + kf_i(tid, e);
            float val = 0.0f;
            if (ok && crs < CRS) {
                int c, r;
                const int rs = RS.divmod(crs, c);
                const int s = S.divmod(rs, r);
                const int h = hb + r * dh, ww = wb + s * dw;
                if ((unsigned)h < (unsigned)H && (unsigned)ww < (unsigned)W)
                    val = base[((long long)c * H + h) * W + ww];
            }
            v[e] = val;
        }
    }
};

// ---------------------------------------------------------------------------
// NHWC: x, dx [N, H, W, C]; y, dy [N, P, Q, K]; w, dw [K, R, S, C/groups]
// (KRSC). Every GEMM reduction over a filter runs (r, s, c) with the channel
// fastest, so consecutive reduction indices are consecutive floats of x / dy
// / w. The forward's A operand is FwdA unchanged (a KRSC row is contiguous)
// and the weight gradient's epilogue is WgradEpi unchanged (it writes KRSC).
// ---------------------------------------------------------------------------
struct FwdBNhwc {
    static constexpr bool kRowFast = false;  // reduction index fast: channels contiguous
    const float* xb[4];  // x + n*H*W*C + g*Cg for element e's pixel
    int h0[4], w0[4];
    bool valid[4];
    int H, W, C, dh, dw;
    FastDiv Cg, S;
    KILN_DEV FwdBNhwc(const KilnConvGeom& g, const float* x, int grp, int n0, int tid) {
        const int cg = g.C / g.groups, PQ = g.P * g.Q;
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int j = n0 + kf_i(tid, e);
            valid[e] = j < g.N * PQ;
            const int n = valid[e] ? j / PQ : 0, pq = valid[e] ? j % PQ : 0;
            h0[e] = (pq / g.Q) * g.stride_h - g.pad_h;
            w0[e] = (pq % g.Q) * g.stride_w - g.pad_w;
            xb[e] = x + (long long)n * g.H * g.W * g.C + (long long)grp * cg;
        }
        H = g.H; W = g.W; C = g.C; dh = g.dil_h; dw = g.dil_w; Cg = FastDiv(cg); S = FastDiv(g.S);
    }
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int rsc = k0 + kf_k(tid);
        const bool ok = rsc < kend;
        int rs = 0, r = 0;
        const int c = ok ? Cg.divmod(rsc, rs) : 0;
        const int s = S.divmod(rs, r);
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int h = h0[e] + r * dh, ww = w0[e] + s * dw;
            v[e] = (ok && valid[e] && (unsigned)h < (unsigned)H && (unsigned)ww < (unsigned)W)
                       ? xb[e][((long long)h * W + ww) * C + c] : 0.0f;
        }
    }
};

// Data gradient, reduction order (r, s, k): A(c, (r,s,k)) = w[k, r, s, c].
struct DgradANhwc {
    static constexpr bool kRowFast = true;  // c contiguous in w
    const float* w;  // group's first filter
    int M, RS;
    FastDiv Kg;
    int m0;
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int c = m0 + rf_i(tid);
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int rsk = k0 + rf_k(tid, e);
            float val = 0.0f;
            if (c < M && rsk < kend) {
                int rs;
                const int k = Kg.divmod(rsk, rs);
                val = w[((long long)k * RS + rs) * M + c];
            }
            v[e] = val;
        }
    }
};

struct DgradBNhwc {
    static constexpr bool kRowFast = false;  // k contiguous in dy
    const float* dyb[4];  // dy + n*P*Q*K + g*Kg for element e's input pixel
    int hp[4], wp[4];     // h + pad_h, w + pad_w
    bool valid[4];
    int P, Q, K, dh, dw;
    FastDiv Kg, S, sh, sw;
    KILN_DEV DgradBNhwc(const KilnConvGeom& g, const float* dy, int grp, int n0, int tid) {
        const int kg = g.K / g.groups, HW = g.H * g.W;
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int j = n0 + kf_i(tid, e);
            valid[e] = j < g.N * HW;
            const int n = valid[e] ? j / HW : 0, hw = valid[e] ? j % HW : 0;
            hp[e] = hw / g.W + g.pad_h;
            wp[e] = hw % g.W + g.pad_w;
            dyb[e] = dy + (long long)n * g.P * g.Q * g.K + (long long)grp * kg;
        }
        P = g.P; Q = g.Q; K = g.K; dh = g.dil_h; dw = g.dil_w;
        Kg = FastDiv(kg); S = FastDiv(g.S); sh = FastDiv(g.stride_h); sw = FastDiv(g.stride_w);
    }
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int rsk = k0 + kf_k(tid);
        const bool ok = rsk < kend;
        int rs = 0, r = 0;
        const int k = ok ? Kg.divmod(rsk, rs) : 0;
        const int s = S.divmod(rs, r);
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            float val = 0.0f;
            const int th = hp[e] - r * dh, tw = wp[e] - s * dw;
            if (ok && valid[e] && th >= 0 && tw >= 0) {
                int p, q;
                const int rh = sh.divmod(th, p), rw = sw.divmod(tw, q);
                if (rh == 0 && rw == 0 && p < P && q < Q) val = dyb[e][((long long)p * Q + q) * K + k];
            }
            v[e] = val;
        }
    }
};

// Weight gradient: A(k, (n,p,q)) = dy[n, p, q, g*Kg+k] (k contiguous),
// B((n,p,q), (r,s,c)) = x[n, h(p,r), w(q,s), g*Cg+c] (c contiguous).
struct WgradANhwc {
    static constexpr bool kRowFast = true;
    const float* dyg;  // dy + g*Kg
    int M, K, m0;
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
        const int m = m0 + rf_i(tid);
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int j = k0 + rf_k(tid, e);
            v[e] = (m < M && j < kend) ? dyg[(long long)j * K + m] : 0.0f;
        }
    }
};

struct WgradBNhwc {
    static constexpr bool kRowFast = true;  // this thread's (r, s, c) is fixed; c contiguous across threads
    const float* xg;  // x + g*Cg
    int C, H, W, sh, sw, ph, pw;
    FastDiv PQ, Q;
    int hoff, woff, c;  // r*dil_h, s*dil_w and c of this thread's column
    bool valid;
    KILN_DEV WgradBNhwc(const KilnConvGeom& g, const float* x, int grp, int n0, int tid) {
        const int cg = g.C / g.groups, CRS = cg * g.R * g.S;
        const int j = n0 + rf_i(tid);
        valid = j < CRS;
        const int rs = valid ? j / cg : 0;
        c = valid ? j % cg : 0;
        hoff = (rs / g.S) * g.dil_h;
        woff = (rs % g.S) * g.dil_w;
        xg = x + (long long)grp * cg;
        C = g.C; H = g.H; W = g.W; sh = g.stride_h; sw = g.stride_w; ph = g.pad_h; pw = g.pad_w;
        PQ = FastDiv(g.P * g.Q); Q = FastDiv(g.Q);
    }
    KILN_DEV void load(float (&v)[4], int k0, int kend, int tid) const {
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            const int j = k0 + rf_k(tid, e);
            float val = 0.0f;
            if (valid && j < kend) {
                int n, p;
                const int pq = PQ.divmod(j, n);
                const int q = Q.divmod(pq, p);
                const int h = p * sh - ph + hoff, ww = q * sw - pw + woff;
                if ((unsigned)h < (unsigned)H && (unsigned)ww < (unsigned)W)
                    val = xg[(((long long)n * H + h) * W + ww) * C + c];
            }
            v[e] = val;
        }
    }
};

// ---------------------------------------------------------------------------
// The shared implicit-GEMM main loop. Reduction range [kbeg, kend). Calls
// epi(m, n, acc) for every (m, n) of the block tile inside M x N.
// ---------------------------------------------------------------------------
template <bool kTf32, class LA, class LB, class Epi>
KILN_DEV void igemm(float* As, float* Bs, const LA& la, const LB& lb, int M, int N, int m0,
                    int n0, int kbeg, int kend, const Epi& epi) {
    constexpr int LD = kTf32 ? LD_TF32 : LD_F32;
    constexpr int BUF = BK * LD;
    const int tid = threadIdx.x;
    using Conv = typename std::conditional<kTf32, ToTf32, ToF32>::type;

    float ra[4], rb[4];
    la.load(ra, kbeg, kend, tid);
    lb.load(rb, kbeg, kend, tid);
    store_tile<LA::kRowFast>(As, LD, ra, tid, Conv{});
    store_tile<LB::kRowFast>(Bs, LD, rb, tid, Conv{});
    __syncthreads();

    if (!kTf32) {
        const int ty = tid / 16, tx = tid % 16;
        float acc[4][4];
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
            for (int j = 0; j < 4; ++j) acc[i][j] = 0.0f;
        int buf = 0;
        for (int k0 = kbeg; k0 < kend; k0 += BK) {
            const bool more = k0 + BK < kend;
            if (more) {
                la.load(ra, k0 + BK, kend, tid);
                lb.load(rb, k0 + BK, kend, tid);
            }
            const float* as = As + buf * BUF;
            const float* bs = Bs + buf * BUF;
#pragma unroll
            for (int kk = 0; kk < BK; ++kk) {
                const float4 a = *reinterpret_cast<const float4*>(as + kk * LD + 4 * ty);
                float b[4];
#pragma unroll
                for (int j = 0; j < 4; ++j) b[j] = bs[kk * LD + tx + 16 * j];
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    acc[0][j] = fmaf(a.x, b[j], acc[0][j]);
                    acc[1][j] = fmaf(a.y, b[j], acc[1][j]);
                    acc[2][j] = fmaf(a.z, b[j], acc[2][j]);
                    acc[3][j] = fmaf(a.w, b[j], acc[3][j]);
                }
            }
            if (more) {
                store_tile<LA::kRowFast>(As + (buf ^ 1) * BUF, LD, ra, tid, Conv{});
                store_tile<LB::kRowFast>(Bs + (buf ^ 1) * BUF, LD, rb, tid, Conv{});
            }
            __syncthreads();
            buf ^= 1;
        }
#pragma unroll
        for (int i = 0; i < 4; ++i) {
            const int m = m0 + 4 * ty + i;
            if (m >= M) continue;
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const int n = n0 + tx + 16 * j;
                if (n < N) epi(m, n, acc[i][j]);
            }
        }
    } else {
        const int warp = tid / 32, lane = tid % 32;
        const int g = lane >> 2, t = lane & 3;
        const int wm = (warp / 4) * 32, wn = (warp % 4) * 16;
        float acc[2][2][4];
#pragma unroll
        for (int i = 0; i < 2; ++i)
#pragma unroll
            for (int j = 0; j < 2; ++j)
#pragma unroll
                for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;
        int buf = 0;
        for (int k0 = kbeg; k0 < kend; k0 += BK) {
            const bool more = k0 + BK < kend;
            if (more) {
                la.load(ra, k0 + BK, kend, tid);
                lb.load(rb, k0 + BK, kend, tid);
            }
            const float* as = As + buf * BUF;
            const float* bs = Bs + buf * BUF;
#pragma unroll
            for (int ks = 0; ks < BK; ks += 8) {
                uint32_t a[2][4], b[2][2];
#pragma unroll
                for (int i = 0; i < 2; ++i) {
                    const float* p = as + (ks + t) * LD + wm + 16 * i + g;
                    a[i][0] = kiln::float_to_bits(p[0]);
                    a[i][1] = kiln::float_to_bits(p[8]);
                    a[i][2] = kiln::float_to_bits(p[4 * LD]);
                    a[i][3] = kiln::float_to_bits(p[4 * LD + 8]);
                }
#pragma unroll
                for (int j = 0; j < 2; ++j) {
                    const float* p = bs + (ks + t) * LD + wn + 8 * j + g;
                    b[j][0] = kiln::float_to_bits(p[0]);
                    b[j][1] = kiln::float_to_bits(p[4 * LD]);
                }
#pragma unroll
                for (int i = 0; i < 2; ++i)
#pragma unroll
                    for (int j = 0; j < 2; ++j)
                        kiln::mma_m16n8k8_tf32(acc[i][j], a[i], b[j], acc[i][j]);
            }
            if (more) {
                store_tile<LA::kRowFast>(As + (buf ^ 1) * BUF, LD, ra, tid, Conv{});
                store_tile<LB::kRowFast>(Bs + (buf ^ 1) * BUF, LD, rb, tid, Conv{});
            }
            __syncthreads();
            buf ^= 1;
        }
        // c0 (g, 2t), c1 (g, 2t+1), c2 (g+8, 2t), c3 (g+8, 2t+1)
#pragma unroll
        for (int i = 0; i < 2; ++i)
#pragma unroll
            for (int h = 0; h < 2; ++h) {
                const int m = m0 + wm + 16 * i + g + 8 * h;
                if (m >= M) continue;
#pragma unroll
                for (int j = 0; j < 2; ++j) {
                    const int n = n0 + wn + 8 * j + 2 * t;
                    if (n < N) epi(m, n, acc[i][j][2 * h]);
                    if (n + 1 < N) epi(m, n + 1, acc[i][j][2 * h + 1]);
                }
            }
    }
}

struct FwdEpi {
    float* y;          // y + g*Kg*P*Q
    const float* bias; // bias + g*Kg, or null
    long long KPQ;
    int PQ, act;
    KILN_DEV void operator()(int m, int j, float acc) const {
        float v = acc + (bias ? bias[m] : 0.0f);
        if (act == 1) v = v > 0.0f ? v : 0.0f;
        const int n = j / PQ, pq = j - n * PQ;
        y[n * KPQ + (long long)m * PQ + pq] = v;
    }
};

struct DgradEpi {
    float* dx;  // dx + g*Cg*H*W
    long long CHW;
    int HW;
    KILN_DEV void operator()(int m, int j, float acc) const {
        const int n = j / HW, hw = j - n * HW;
        dx[n * CHW + (long long)m * HW + hw] = acc;
    }
};

struct WgradEpi {
    float* dw;  // slice's partial dw + g*Kg*CRS
    int CRS;
    KILN_DEV void operator()(int m, int j, float acc) const {
        dw[(long long)m * CRS + j] = acc;
    }
};

// NHWC epilogues: GEMM column j is a pixel, row m a channel.
struct FwdEpiNhwc {
    float* y;          // y + g*Kg
    const float* bias; // bias + g*Kg, or null
    int K, act;
    KILN_DEV void operator()(int m, int j, float acc) const {
        float v = acc + (bias ? bias[m] : 0.0f);
        if (act == 1) v = v > 0.0f ? v : 0.0f;
        y[(long long)j * K + m] = v;
    }
};

struct DgradEpiNhwc {
    float* dx;  // dx + g*Cg
    int C;
    KILN_DEV void operator()(int m, int j, float acc) const { dx[(long long)j * C + m] = acc; }
};

template <bool kTf32, bool kNhwc>
KILN_DEV void conv_forward(const KilnConvGeom& g, const float* x, const float* w,
                           const float* bias, float* y, int act) {
    constexpr int BUF = BK * (kTf32 ? LD_TF32 : LD_F32);
    KILN_SHARED(float, As, 2 * BUF);
    KILN_SHARED(float, Bs, 2 * BUF);
    const int grp = blockIdx.z;
    const int Cg = g.C / g.groups, Kg = g.K / g.groups;
    const int CRS = Cg * g.R * g.S, PQ = g.P * g.Q;
    const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    const FwdA la{w + (long long)grp * Kg * CRS, Kg, CRS, m0};
    const float* bg = bias ? bias + (long long)grp * Kg : nullptr;
    if constexpr (kNhwc) {
        const FwdBNhwc lb(g, x, grp, n0, threadIdx.x);
        const FwdEpiNhwc epi{y + (long long)grp * Kg, bg, g.K, act};
        igemm<kTf32>(As, Bs, la, lb, Kg, g.N * PQ, m0, n0, 0, CRS, epi);
    } else {
        const FwdB lb(g, x, grp, n0, threadIdx.x);
        const FwdEpi epi{y + (long long)grp * Kg * PQ, bg, (long long)g.K * PQ, PQ, act};
        igemm<kTf32>(As, Bs, la, lb, Kg, g.N * PQ, m0, n0, 0, CRS, epi);
    }
}

template <bool kTf32, bool kNhwc>
KILN_DEV void conv_backward_data(const KilnConvGeom& g, const float* dy, const float* w, float* dx) {
    constexpr int BUF = BK * (kTf32 ? LD_TF32 : LD_F32);
    KILN_SHARED(float, As, 2 * BUF);
    KILN_SHARED(float, Bs, 2 * BUF);
    const int grp = blockIdx.z;
    const int Cg = g.C / g.groups, Kg = g.K / g.groups, RS = g.R * g.S, HW = g.H * g.W;
    const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    const float* wg = w + (long long)grp * Kg * Cg * RS;
    if constexpr (kNhwc) {
        const DgradANhwc la{wg, Cg, RS, FastDiv(Kg), m0};
        const DgradBNhwc lb(g, dy, grp, n0, threadIdx.x);
        const DgradEpiNhwc epi{dx + (long long)grp * Cg, g.C};
        igemm<kTf32>(As, Bs, la, lb, Cg, g.N * HW, m0, n0, 0, Kg * RS, epi);
    } else {
        const DgradA la{wg, Cg, Cg, FastDiv(RS), m0};
        const DgradB lb(g, dy, grp, n0, threadIdx.x);
        const DgradEpi epi{dx + (long long)grp * Cg * HW, (long long)g.C * HW, HW};
        igemm<kTf32>(As, Bs, la, lb, Cg, g.N * HW, m0, n0, 0, Kg * RS, epi);
    }
}

template <bool kTf32, bool kNhwc>
KILN_DEV void conv_backward_weight(const KilnConvGeom& g, const float* x, const float* dy, float* ws,
                                   int splits) {
    constexpr int BUF = BK * (kTf32 ? LD_TF32 : LD_F32);
    KILN_SHARED(float, As, 2 * BUF);
    KILN_SHARED(float, Bs, 2 * BUF);
    const int grp = blockIdx.z / splits, split = blockIdx.z % splits;
    const int Cg = g.C / g.groups, Kg = g.K / g.groups, RS = g.R * g.S, CRS = Cg * RS;
    const int PQ = g.P * g.Q, NPQ = g.N * PQ;
    const int chunk = (NPQ + splits - 1) / splits;
    const int kbeg = min(NPQ, split * chunk), kend = min(NPQ, kbeg + chunk);
    const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    const WgradEpi epi{ws + (long long)split * g.K * CRS + (long long)grp * Kg * CRS, CRS};
    if constexpr (kNhwc) {
        const WgradANhwc la{dy + (long long)grp * Kg, Kg, g.K, m0};
        const WgradBNhwc lb(g, x, grp, n0, threadIdx.x);
        igemm<kTf32>(As, Bs, la, lb, Kg, CRS, m0, n0, kbeg, kend, epi);
    } else {
        const FastDiv fpq(PQ);
        const WgradA la{dy + (long long)grp * Kg * PQ, Kg, g.K, fpq, m0};
        const WgradB lb{x + (long long)grp * Cg * g.H * g.W, g.C, g.H, g.W, fpq, FastDiv(g.Q),
                        FastDiv(g.S), FastDiv(RS), CRS, g.stride_h, g.stride_w, g.pad_h, g.pad_w,
                        g.dil_h, g.dil_w, n0};
        igemm<kTf32>(As, Bs, la, lb, Kg, CRS, m0, n0, kbeg, kend, epi);
    }
}

}  // namespace

// One entry point per pass, precision (f32 SIMT / tf32 tensor cores) and layout.
#define KILN_CONV_ENTRIES(SUFFIX, TF32, NHWC)                                                      \
    extern "C" __global__ void __launch_bounds__(NT) kiln_conv_forward##SUFFIX(                    \
        KilnConvGeom g, const float* x, const float* w, const float* bias, float* y, int act) {   \
        conv_forward<TF32, NHWC>(g, x, w, bias, y, act);                                           \
    }                                                                                              \
    KILN_KERNEL_REGISTER(kiln_conv_forward##SUFFIX);                                               \
    extern "C" __global__ void __launch_bounds__(NT) kiln_conv_backward_data##SUFFIX(              \
        KilnConvGeom g, const float* dy, const float* w, float* dx) {                              \
        conv_backward_data<TF32, NHWC>(g, dy, w, dx);                                              \
    }                                                                                              \
    KILN_KERNEL_REGISTER(kiln_conv_backward_data##SUFFIX);                                         \
    extern "C" __global__ void __launch_bounds__(NT) kiln_conv_backward_weight##SUFFIX(            \
        KilnConvGeom g, const float* x, const float* dy, float* ws, int splits) {                  \
        conv_backward_weight<TF32, NHWC>(g, x, dy, ws, splits);                                    \
    }                                                                                              \
    KILN_KERNEL_REGISTER(kiln_conv_backward_weight##SUFFIX);

KILN_CONV_ENTRIES(_f32, false, false)
KILN_CONV_ENTRIES(_tf32_f32, true, false)
KILN_CONV_ENTRIES(_nhwc_f32, false, true)
KILN_CONV_ENTRIES(_nhwc_tf32_f32, true, true)

extern "C" __global__ void kiln_conv_backward_weight_reduce_f32(const float* ws, float* dw,
                                                                long long count, int splits) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {
        float s = 0.0f;
        for (int k = 0; k < splits; ++k) s += ws[k * count + i];
        dw[i] = s;
    }
}
KILN_KERNEL_REGISTER(kiln_conv_backward_weight_reduce_f32);

extern "C" __global__ void __launch_bounds__(NT)
kiln_conv_backward_bias_f32(KilnConvGeom g, const float* dy, float* db) {
    KILN_SHARED(float, scratch, 32);
    const int k = blockIdx.x;
    const long long PQ = (long long)g.P * g.Q, total = g.N * PQ;
    float s = 0.0f;
    for (long long i = threadIdx.x; i < total; i += blockDim.x) {
        const long long n = i / PQ, pq = i - n * PQ;
        s += dy[(n * g.K + k) * PQ + pq];
    }
    s = kiln::block_sum(s, scratch);
    if (threadIdx.x == 0) db[k] = s;
}
KILN_KERNEL_REGISTER(kiln_conv_backward_bias_f32);
