// Kiln gemm family: batched, strided, fused-epilogue matrix products.
//
// WHAT
//   For every batch b (blockIdx.z):
//     C_b = act( alpha * op(A_b) · op(B_b) + beta * C_b + bias )
//   op(A) is M x K, op(B) is K x N, C is M x N; bias (optional, may be null)
//   has N entries and is added to every row; act is none / relu /
//   gelu (tanh approximation). With beta == 0, C is never read (it may hold
//   NaN). Accumulation is always in fp32.
//
// LAYOUT (row-major everywhere, element strides, never bytes)
//   A: transA == 0 -> stored M x K, A[m*lda + k]  (lda >= K)
//      transA != 0 -> stored K x M, A[k*lda + m]  (lda >= M)
//   B: transB == 0 -> stored K x N, B[k*ldb + n]  (ldb >= N)
//      transB != 0 -> stored N x K, B[n*ldb + k]  (ldb >= K)
//   C: C[m*ldc + n]; batch b starts at A + b*strideA, B + b*strideB,
//      C + b*strideC (a stride of 0 broadcasts that operand over the batch).
//   act: 0 none, 1 relu, 2 gelu_tanh. Bias has C's element type.
//
// ENTRY POINTS (all share one parameter list; TA = A/B element, TC = C/bias):
//   (const TA* A, const TA* B, TC* C, const TC* bias,
//    int M, int N, int K, int lda, int ldb, int ldc,
//    long long strideA, long long strideB, long long strideC,
//    float alpha, float beta, int transA, int transB, int act)
//
//   entry point               TA    TC    block  grid (x, y, z)                 dyn smem  needs
//   kiln_gemm_naive_f32       f32   f32   256    (ceil(N/16),  ceil(M/16),  batch) 0      -
//   kiln_gemm_simt_f32        f32   f32   256    (ceil(N/128), ceil(M/128), batch) 0      -
//   kiln_gemm_simtv4_f32      f32   f32   256    (ceil(N/128), ceil(M/128), batch) 0      ALIGN4
//   kiln_gemm_tf32_f32        f32   f32   256    (ceil(N/128), ceil(M/128), batch) 0      sm_80+
//   kiln_gemm_tf32v4_f32      f32   f32   256    (ceil(N/128), ceil(M/128), batch) 0      sm_80+, ALIGN4
//   kiln_gemm_mma_bf16        bf16  bf16  256    (ceil(N/128), ceil(M/128), batch) 0      sm_80+
//   kiln_gemm_mmaf32_bf16     bf16  f32   256    (ceil(N/128), ceil(M/128), batch) 0      sm_80+
//   kiln_gemm_mmav8_bf16      bf16  bf16  256    (ceil(N/128), ceil(M/128), batch) 0      sm_80+, ALIGN8
//   kiln_gemm_mmav8f32_bf16   bf16  f32   256    (ceil(N/128), ceil(M/128), batch) 0      sm_80+, ALIGN8
//   kiln_gemm_wgmma_bf16      bf16  bf16  128    (ceil(N/128), ceil(M/64),  batch) 0      sm_90a PTX only
//   kiln_gemm_wgmmaf32_bf16   bf16  f32   128    (ceil(N/128), ceil(M/64),  batch) 0      sm_90a PTX only
//
//   Blocks are 1-D (blockDim = (block, 1, 1)); batch <= 65535 (grid.z).
//   M, N >= 1 and K >= 0, any values (ragged edges are handled in every
//   kernel; K == 0 gives act(beta*C + bias)).
//   ALIGN4: A, B, C 16-byte aligned and lda, ldb, ldc, strideA, strideB,
//   strideC all multiples of 4. simtv4 then uses float4 loads/stores wherever
//   a whole vector is inside the matrix (scalar elsewhere); tf32v4 copies
//   operands with 16-byte cp.async. Without ALIGN4 use the variant without
//   "v4": same results (bit for bit).
//   ALIGN8: A and B 16-byte aligned and lda, ldb, strideA, strideB multiples
//   of 8 (C unconstrained); the v8 kernels copy operands with 16-byte
//   cp.async (zero-filled at the edges).
//   All kernels use static shared memory only (< 48 KiB), so no
//   cuFuncSetAttribute is needed.
//
// ALGORITHM
//   naive   one thread per C element, K-loop from global memory; reference
//           and fallback (tiny shapes).
//   simt    128x128x16 block tile, double-buffered shared memory (A stored
//           k-major so both operands are read as float4), global loads for the
//           next tile held in registers while the current one is computed;
//           8 warps as 4 (M) x 2 (N), warp tile 32x64, each lane an 8x8 micro
//           tile made of 2x2 sub-tiles of 4x4 (lanes 4 x 8 in the warp), so
//           shared reads are conflict-free float4 and broadcasts.
//   tf32    same pipeline, 128x128x16 tile; operands rounded to tf32
//           (cvt.rna) when written to shared memory; 8 warps as 2 x 4, warp
//           tile 64x32 = 4 x 4 mma.sync.m16n8k8 per k-step of 8. Padded rows
//           (A: +4 words, B: +8 words) make the fragment reads conflict-free.
//   tf32v4  the same tile and warps fed by 16-byte cp.async into shared
//           memory laid out as in global memory (two buffers, copies of the
//           next tile in flight), cvt.rna as the fragments are read.
//   mma     bf16 m16n8k16, 128x128x32 tile, A stored [m][k] and B stored
//           [n][k] (+8 bf16 pad: conflict-free ldmatrix), fragments via
//           ldmatrix.x4; 8 warps as 2 x 4, warp tile 64x32. Next tile staged
//           in registers.
//   mmav8   the same tile and warp layout fed by cp.async: shared memory
//           keeps each operand's memory layout ([m][k] or [k][m], [k][n] or
//           [n][k]) and transposed layouts are read with ldmatrix.x4.trans;
//           two buffers, the next tile's copies in flight during the mmas.
//   wgmma   Hopper: one warpgroup, 64x128x32 tile, operands written to shared
//           memory in the no-swizzle core-matrix layout, 2 x
//           wgmma.m64n128k16 per tile; double-buffered: the copy of the next
//           tile runs while the asynchronous wgmmas of this one do. No TMA yet.
//   Transposes are folded into the global->shared copy (each copy is
//   coalesced along whichever dimension is contiguous in memory).
//
// EMULATOR / TESTS
//   Every kernel runs under the SIMT emulator (kernels/emu) and is checked by
//   kernels/test/gemm_test.cpp against a double-precision CPU reference. The
//   wgmma kernels are compiled only into the compute_90a PTX (absent from
//   compute_80); the real wgmma/descriptor path cannot run under the
//   emulator: there kiln/mma.cuh substitutes a per-thread emulation written
//   from the same reading of the PTX ISA as this kernel, so the host test
//   checks this file's copy/index/epilogue arithmetic but NOT that reading
//   (descriptor fields, no-swizzle core-matrix layout, accumulator layout).
//   Only the GPU parity suite covers that, and it has not run yet.
//
// RESOURCES AND SPEED
//   ptxas registers / shared memory per kernel: see kernels/GEMM.md. No
//   kernel spills. Ratio against cuBLAS: not measured yet (no GPU run so far).
#include <kiln/mma.cuh>
#include <cuda_bf16.h>

#ifndef KILN_SHARED
#define KILN_SHARED(type, name, count) __shared__ __align__(16) type name[(count)]
#endif
#ifndef KILN_KERNEL_REGISTER
#define KILN_KERNEL_REGISTER(kernel)
#endif

namespace kiln {
namespace gemm {

enum Act { ACT_NONE = 0, ACT_RELU = 1, ACT_GELU = 2 };

__device__ __forceinline__ float activate(float v, int act) {
    if (act == ACT_RELU) return v > 0.0f ? v : 0.0f;
    if (act == ACT_GELU) {
        const float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
        return 0.5f * v * (1.0f + tanhf(u));
    }
    return v;
}

__device__ __forceinline__ float to_f32(float x) { return x; }
__device__ __forceinline__ float to_f32(__nv_bfloat16 x) { return __bfloat162float(x); }
__device__ __forceinline__ void store_out(float* p, float v) { *p = v; }
__device__ __forceinline__ void store_out(__nv_bfloat16* p, float v) { *p = __float2bfloat16(v); }
template <class T> __device__ __forceinline__ T zero();
template <> __device__ __forceinline__ float zero<float>() { return 0.0f; }
template <> __device__ __forceinline__ __nv_bfloat16 zero<__nv_bfloat16>() {
    return __float2bfloat16(0.0f);
}

// act(alpha*acc + beta*old + b); old is ignored when beta == 0 (it may be NaN).
__device__ __forceinline__ float epilogue_value(float acc, float old, float b, float alpha,
                                                float beta, int act) {
    float v = alpha * acc;
    if (beta != 0.0f) v += beta * old;
    v += b;
    return activate(v, act);
}

// One C element: C is read only when beta != 0.
template <class TC>
__device__ __forceinline__ void epilogue(TC* c, float acc, const TC* bias, int n, float alpha,
                                         float beta, int act) {
    const float old = beta != 0.0f ? to_f32(*c) : 0.0f;
    const float b = bias ? to_f32(bias[n]) : 0.0f;
    store_out(c, epilogue_value(acc, old, b, alpha, beta, act));
}

// ---------------------------------------------------------------------------
// Global -> register -> shared tile copy, scalar elements.
// The tile is the logical matrix X(r, c), r in [r0, r0+R), c in [c0, c0+CC);
// elements outside rows < RL, cols < CL read as zero. X(r, c) is stored at
// X[r*ld + c] (trans == false) or X[c*ld + r] (trans == true); consecutive
// threads walk the dimension that is contiguous in memory. store() writes
// element (r, c) to S[r*sr + c*sc].
// ---------------------------------------------------------------------------
template <int R, int CC, int NT, class T>
struct TileCopy {
    static constexpr int E = R * CC / NT;
    static_assert(R * CC % NT == 0, "tile must divide among the threads");
    T v[E];

    __device__ __forceinline__ static void coords(int i, bool trans, int& r, int& c) {
        if (!trans) { c = i % CC; r = i / CC; }
        else        { r = i % R;  c = i / R; }
    }

    __device__ __forceinline__ void load(const T* X, long long ld, bool trans, int r0, int c0,
                                         int RL, int CL, int tid) {
#pragma unroll
        for (int e = 0; e < E; ++e) {
            int r, c;
            coords(tid + e * NT, trans, r, c);
            const int gr = r0 + r, gc = c0 + c;
            v[e] = zero<T>();
            if (gr < RL && gc < CL)
                v[e] = trans ? X[(long long)gc * ld + gr] : X[(long long)gr * ld + gc];
        }
    }

    template <class S, class Conv>
    __device__ __forceinline__ void store(S* smem, int sr, int sc, bool trans, int tid,
                                          Conv conv) const {
#pragma unroll
        for (int e = 0; e < E; ++e) {
            int r, c;
            coords(tid + e * NT, trans, r, c);
            smem[r * sr + c * sc] = conv(v[e]);
        }
    }
};

// ---------------------------------------------------------------------------
// The same copy for fp32 in runs of 4 along the contiguous dimension. With
// VEC, a run that lies wholly inside the matrix is one float4 load (the
// caller guarantees ALIGN4); otherwise each element is loaded on its own,
// bounds-checked. The run start is a multiple of 4 in the tile.
// ---------------------------------------------------------------------------
template <int R, int CC, int NT, bool VEC>
struct TileCopy4 {
    static constexpr int U = R * CC / 4 / NT;
    static_assert(R * CC % (4 * NT) == 0 && R % 4 == 0 && CC % 4 == 0, "bad tile");
    float v[U][4];

    // Unit u covers (r, c..c+3) when !trans, (r..r+3, c) when trans.
    __device__ __forceinline__ static void coords(int u, bool trans, int& r, int& c) {
        if (!trans) { r = u / (CC / 4); c = (u % (CC / 4)) * 4; }
        else        { c = u / (R / 4);  r = (u % (R / 4)) * 4; }
    }

    __device__ __forceinline__ void load(const float* X, long long ld, bool trans, int r0, int c0,
                                         int RL, int CL, int tid) {
#pragma unroll
        for (int e = 0; e < U; ++e) {
            int r, c;
            coords(tid + e * NT, trans, r, c);
            const int gr = r0 + r, gc = c0 + c;
            // "fixed" = the index that stays put along the run, "run" = the one that moves.
            const int fixed = trans ? gc : gr, fixedL = trans ? CL : RL;
            const int run = trans ? gr : gc, runL = trans ? RL : CL;
#pragma unroll
            for (int j = 0; j < 4; ++j) v[e][j] = 0.0f;
            if (fixed < fixedL) {
                const float* p = X + (long long)fixed * ld + run;
                if (VEC && run + 3 < runL) {
                    const float4 q = *reinterpret_cast<const float4*>(p);
                    v[e][0] = q.x; v[e][1] = q.y; v[e][2] = q.z; v[e][3] = q.w;
                } else {
#pragma unroll
                    for (int j = 0; j < 4; ++j)
                        if (run + j < runL) v[e][j] = p[j];
                }
            }
        }
    }

    template <class S, class Conv>
    __device__ __forceinline__ void store(S* smem, int sr, int sc, bool trans, int tid,
                                          Conv conv) const {
#pragma unroll
        for (int e = 0; e < U; ++e) {
            int r, c;
            coords(tid + e * NT, trans, r, c);
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const int rr = trans ? r + j : r, cc = trans ? c : c + j;
                smem[rr * sr + cc * sc] = conv(v[e][j]);
            }
        }
    }
};

// bf16 in pairs along the contiguous dimension, packed in one 32-bit
// register (half the staging registers and index arithmetic of TileCopy).
// Loads stay scalar (no alignment assumed); a pair that is contiguous in
// shared memory too is stored as one 32-bit word.
template <int R, int CC, int NT>
struct TileCopyBf16x2 {
    static constexpr int U = R * CC / 2 / NT;
    static_assert(R * CC % (2 * NT) == 0 && R % 2 == 0 && CC % 2 == 0, "bad tile");
    uint32_t v[U];

    __device__ __forceinline__ static void coords(int u, bool trans, int& r, int& c) {
        if (!trans) { r = u / (CC / 2); c = (u % (CC / 2)) * 2; }
        else        { c = u / (R / 2);  r = (u % (R / 2)) * 2; }
    }

    __device__ __forceinline__ void load(const __nv_bfloat16* X, long long ld, bool trans, int r0,
                                         int c0, int RL, int CL, int tid) {
#pragma unroll
        for (int e = 0; e < U; ++e) {
            int r, c;
            coords(tid + e * NT, trans, r, c);
            const int gr = r0 + r, gc = c0 + c;
            const int fixed = trans ? gc : gr, fixedL = trans ? CL : RL;
            const int run = trans ? gr : gc, runL = trans ? RL : CL;
            __nv_bfloat16 lo = zero<__nv_bfloat16>(), hi = zero<__nv_bfloat16>();
            if (fixed < fixedL) {
                const __nv_bfloat16* p = X + (long long)fixed * ld + run;
                if (run < runL) lo = p[0];
                if (run + 1 < runL) hi = p[1];
            }
            v[e] = kiln::pack_bf16(lo, hi);
        }
    }

    // Element (r, c) goes to S[r*sr + c*sc]; S must be 4-byte aligned.
    __device__ __forceinline__ void store(__nv_bfloat16* smem, int sr, int sc, bool trans,
                                          int tid) const {
#pragma unroll
        for (int e = 0; e < U; ++e) {
            int r, c;
            coords(tid + e * NT, trans, r, c);
            const int step = trans ? sr : sc;  // shared-memory distance between the pair
            __nv_bfloat16* q = smem + r * sr + c * sc;
            if (step == 1) {
                *reinterpret_cast<uint32_t*>(q) = v[e];
            } else {
                const uint32_t x = v[e];
                const uint16_t lo = (uint16_t)(x & 0xffffu), hi = (uint16_t)(x >> 16);
                memcpy(static_cast<void*>(q), &lo, 2);
                memcpy(static_cast<void*>(q + step), &hi, 2);
            }
        }
    }
};

struct Identity {
    template <class T> __device__ __forceinline__ T operator()(T x) const { return x; }
};
struct ToTf32 {
    __device__ __forceinline__ uint32_t operator()(float x) const { return kiln::cvt_tf32(x); }
};

// Moves the operand pointers to batch blockIdx.z.
template <class TA, class TC>
__device__ __forceinline__ void batch_offset(const TA*& A, const TA*& B, TC*& C,
                                             long long strideA, long long strideB,
                                             long long strideC) {
    const long long z = blockIdx.z;
    A += z * strideA;
    B += z * strideB;
    C += z * strideC;
}

// ---------------------------------------------------------------------------
// naive
// ---------------------------------------------------------------------------
constexpr int NAIVE_TILE = 16;

__device__ __forceinline__ void naive_body(const float* A, const float* B, float* C,
                                           const float* bias, int M, int N, int K, int lda,
                                           int ldb, int ldc, long long strideA,
                                           long long strideB, long long strideC, float alpha,
                                           float beta, int transA, int transB, int act) {
    batch_offset(A, B, C, strideA, strideB, strideC);
    const int n = blockIdx.x * NAIVE_TILE + (int)threadIdx.x % NAIVE_TILE;
    const int m = blockIdx.y * NAIVE_TILE + (int)threadIdx.x / NAIVE_TILE;
    if (m >= M || n >= N) return;
    float acc = 0.0f;
    for (int k = 0; k < K; ++k) {
        const float a = transA ? A[(long long)k * lda + m] : A[(long long)m * lda + k];
        const float b = transB ? B[(long long)n * ldb + k] : B[(long long)k * ldb + n];
        acc += a * b;
    }
    epilogue(C + (long long)m * ldc + n, acc, bias, n, alpha, beta, act);
}

// ---------------------------------------------------------------------------
// simt: fp32 FFMA, shared-memory + register + warp tiling.
// ---------------------------------------------------------------------------
constexpr int S_BM = 128, S_BN = 128, S_BK = 16, S_NT = 256;
constexpr int S_ALD = S_BM + 4;  // As[k][m]; +4 keeps float4 alignment, halves store conflicts
constexpr int S_BLD = S_BN + 4;  // Bs[k][n]
constexpr int S_ABUF = S_BK * S_ALD, S_BBUF = S_BK * S_BLD;

template <bool VEC>
__device__ __forceinline__ void simt_body(const float* A, const float* B, float* C,
                                          const float* bias, int M, int N, int K, int lda,
                                          int ldb, int ldc, long long strideA, long long strideB,
                                          long long strideC, float alpha, float beta, int transA,
                                          int transB, int act) {
    KILN_SHARED(float, As, 2 * S_ABUF);
    KILN_SHARED(float, Bs, 2 * S_BBUF);
    batch_offset(A, B, C, strideA, strideB, strideC);

    const int tid = threadIdx.x;
    const int warp = tid / 32, lane = tid % 32;
    const int wm = (warp / 2) * 32, wn = (warp % 2) * 64;  // warp tile 32 x 64
    const int lm = lane / 8, ln = lane % 8;                // lanes 4 x 8
    const int m0 = blockIdx.y * S_BM, n0 = blockIdx.x * S_BN;

    TileCopy4<S_BM, S_BK, S_NT, VEC> ga;  // op(A)(m, k)
    TileCopy4<S_BK, S_BN, S_NT, VEC> gb;  // op(B)(k, n)
    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; ++i)
#pragma unroll
        for (int j = 0; j < 8; ++j) acc[i][j] = 0.0f;

    const int nk = (K + S_BK - 1) / S_BK;
    ga.load(A, lda, transA, m0, 0, M, K, tid);
    gb.load(B, ldb, transB, 0, n0, K, N, tid);
    ga.store(As, 1, S_ALD, transA, tid, Identity{});
    gb.store(Bs, S_BLD, 1, transB, tid, Identity{});
    __syncthreads();

    for (int kt = 0; kt < nk; ++kt) {
        const int cur = kt & 1;
        if (kt + 1 < nk) {
            ga.load(A, lda, transA, m0, (kt + 1) * S_BK, M, K, tid);
            gb.load(B, ldb, transB, (kt + 1) * S_BK, n0, K, N, tid);
        }
        const float* as = As + cur * S_ABUF;
        const float* bs = Bs + cur * S_BBUF;
#pragma unroll
        for (int kk = 0; kk < S_BK; ++kk) {
            float a[8], b[8];
#pragma unroll
            for (int i = 0; i < 2; ++i) {
                const float4 q = *reinterpret_cast<const float4*>(as + kk * S_ALD + wm + i * 16 + lm * 4);
                a[4 * i] = q.x; a[4 * i + 1] = q.y; a[4 * i + 2] = q.z; a[4 * i + 3] = q.w;
            }
#pragma unroll
            for (int j = 0; j < 2; ++j) {
                const float4 q = *reinterpret_cast<const float4*>(bs + kk * S_BLD + wn + j * 32 + ln * 4);
                b[4 * j] = q.x; b[4 * j + 1] = q.y; b[4 * j + 2] = q.z; b[4 * j + 3] = q.w;
            }
#pragma unroll
            for (int i = 0; i < 8; ++i)
#pragma unroll
                for (int j = 0; j < 8; ++j) acc[i][j] += a[i] * b[j];
        }
        if (kt + 1 < nk) {
            ga.store(As + (cur ^ 1) * S_ABUF, 1, S_ALD, transA, tid, Identity{});
            gb.store(Bs + (cur ^ 1) * S_BBUF, S_BLD, 1, transB, tid, Identity{});
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 8; ++i) {
        const int m = m0 + wm + (i / 4) * 16 + lm * 4 + (i % 4);
        if (m >= M) continue;
        float* crow = C + (long long)m * ldc;
#pragma unroll
        for (int jb = 0; jb < 2; ++jb) {
            const int n = n0 + wn + jb * 32 + ln * 4;
            if (VEC && n + 3 < N) {
                float4 old = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
                if (beta != 0.0f) old = *reinterpret_cast<const float4*>(crow + n);
                const float o[4] = {old.x, old.y, old.z, old.w};
                float r[4];
#pragma unroll
                for (int j = 0; j < 4; ++j)
                    r[j] = epilogue_value(acc[i][jb * 4 + j], o[j], bias ? bias[n + j] : 0.0f,
                                          alpha, beta, act);
                *reinterpret_cast<float4*>(crow + n) = make_float4(r[0], r[1], r[2], r[3]);
            } else {
#pragma unroll
                for (int j = 0; j < 4; ++j)
                    if (n + j < N) epilogue(crow + n + j, acc[i][jb * 4 + j], bias, n + j, alpha, beta, act);
            }
        }
    }
}

// Epilogue of a 64x32 warp tile held as 4 x 4 m16n8 accumulators (C/D
// fragment layout: c0,c1 at (g, 2t..2t+1), c2,c3 at (g+8, 2t..2t+1)).
template <class TC>
__device__ __forceinline__ void store_warp_tile(const float (&acc)[4][4][4], TC* C, const TC* bias,
                                                int M, int N, int ldc, int mw, int nw, int g,
                                                int t, float alpha, float beta, int act) {
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int m = mw + 16 * i + g + 8 * h;
            if (m >= M) continue;
            TC* crow = C + (long long)m * ldc;
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const int n = nw + 8 * j + 2 * t;
                if (n < N) epilogue(crow + n, acc[i][j][2 * h], bias, n, alpha, beta, act);
                if (n + 1 < N) epilogue(crow + n + 1, acc[i][j][2 * h + 1], bias, n + 1, alpha, beta, act);
            }
        }
}

// One operand tile for cp.async, stored as memory has it: FIX rows of RUN
// contiguous elements (row f at X[f*ld]), copied in 16-byte chunks to
// S[f*lds + r]; chunks past the matrix edge are (partly) zero-filled. Each of
// the NT threads copies CHUNKS chunks (FIX*RUN*sizeof(T) = CHUNKS*NT*16).
template <class T, int CHUNKS, int NT>
__device__ __forceinline__ void async_tile(T* S, int lds, const T* X, long long ld, int FIX, int RUN,
                                           int f0, int r0, int fixL, int runL, int tid) {
    constexpr int PER = 16 / sizeof(T);  // elements per chunk
    const int chunks_per_row = RUN / PER;
#pragma unroll
    for (int e = 0; e < CHUNKS; ++e) {
        const int u = tid + e * NT;
        const int f = u / chunks_per_row, r = (u % chunks_per_row) * PER;
        const int gf = f0 + f, gr = r0 + r;
        int valid = runL - gr;
        valid = valid < 0 ? 0 : (valid > PER ? PER : valid);
        if (gf >= fixL || f >= FIX) valid = 0;
        const T* src = valid > 0 ? X + (long long)gf * ld + gr : X;
        kiln::cp_async_16(S + f * lds + r, src, valid * (int)sizeof(T));
    }
}

// ---------------------------------------------------------------------------
// tf32: mma.sync.m16n8k8, fp32 storage.
// ---------------------------------------------------------------------------
constexpr int T_BM = 128, T_BN = 128, T_BK = 16, T_NT = 256;
constexpr int T_ALD = T_BK + 4;  // As[m][k] words: (20g + t) % 32 distinct over a warp
constexpr int T_BLD = T_BN + 8;  // Bs[k][n] words: (8t + g) % 32 distinct over a warp
constexpr int T_ABUF = T_BM * T_ALD, T_BBUF = T_BK * T_BLD;

__device__ __forceinline__ void tf32_body(const float* A, const float* B, float* C,
                                          const float* bias, int M, int N, int K, int lda,
                                          int ldb, int ldc, long long strideA, long long strideB,
                                          long long strideC, float alpha, float beta, int transA,
                                          int transB, int act) {
    KILN_SHARED(uint32_t, As, 2 * T_ABUF);
    KILN_SHARED(uint32_t, Bs, 2 * T_BBUF);
    batch_offset(A, B, C, strideA, strideB, strideC);

    const int tid = threadIdx.x;
    const int warp = tid / 32, lane = tid % 32;
    const int g = lane >> 2, t = lane & 3;
    const int wm = (warp / 4) * 64, wn = (warp % 4) * 32;  // warp tile 64 x 32
    const int m0 = blockIdx.y * T_BM, n0 = blockIdx.x * T_BN;

    TileCopy4<T_BM, T_BK, T_NT, false> ga;
    TileCopy4<T_BK, T_BN, T_NT, false> gb;
    float acc[4][4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j)
#pragma unroll
            for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;

    const int nk = (K + T_BK - 1) / T_BK;
    ga.load(A, lda, transA, m0, 0, M, K, tid);
    gb.load(B, ldb, transB, 0, n0, K, N, tid);
    ga.store(As, T_ALD, 1, transA, tid, ToTf32{});
    gb.store(Bs, T_BLD, 1, transB, tid, ToTf32{});
    __syncthreads();

    for (int kt = 0; kt < nk; ++kt) {
        const int cur = kt & 1;
        if (kt + 1 < nk) {
            ga.load(A, lda, transA, m0, (kt + 1) * T_BK, M, K, tid);
            gb.load(B, ldb, transB, (kt + 1) * T_BK, n0, K, N, tid);
        }
        const uint32_t* as = As + cur * T_ABUF;
        const uint32_t* bs = Bs + cur * T_BBUF;
#pragma unroll
        for (int ks = 0; ks < T_BK; ks += 8) {
            uint32_t a[4][4], b[4][2];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                const uint32_t* p = as + (wm + 16 * i + g) * T_ALD + ks + t;
                a[i][0] = p[0];
                a[i][1] = p[8 * T_ALD];
                a[i][2] = p[4];
                a[i][3] = p[8 * T_ALD + 4];
            }
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const uint32_t* p = bs + (ks + t) * T_BLD + wn + 8 * j + g;
                b[j][0] = p[0];
                b[j][1] = p[4 * T_BLD];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) kiln::mma_m16n8k8_tf32(acc[i][j], a[i], b[j], acc[i][j]);
        }
        if (kt + 1 < nk) {
            ga.store(As + (cur ^ 1) * T_ABUF, T_ALD, 1, transA, tid, ToTf32{});
            gb.store(Bs + (cur ^ 1) * T_BBUF, T_BLD, 1, transB, tid, ToTf32{});
        }
        __syncthreads();
    }

    store_warp_tile(acc, C, bias, M, N, ldc, m0 + wm, n0 + wn, g, t, alpha, beta, act);
}

// ---------------------------------------------------------------------------
// tf32v4: the tf32 tile fed by 16-byte cp.async (ALIGN4). Shared memory keeps
// each operand's memory layout; operands are rounded to tf32 (cvt.rna) as the
// fragments are read, so results equal tf32_body's bit for bit.
// ---------------------------------------------------------------------------
constexpr int TV_LDK = T_BK + 4;    // [m][k] / [n][k] rows: (20g + t) % 32 distinct
constexpr int TV_LDMN = T_BM + 8;   // [k][m] / [k][n] rows: (8t + g) % 32 distinct
constexpr int TV_BUF = T_BM * TV_LDK;
static_assert(T_BM == T_BN && T_BK * TV_LDMN <= TV_BUF, "tf32v4 buffer sizing");

__device__ __forceinline__ void tf32_async_body(const float* A, const float* B, float* C,
                                                const float* bias, int M, int N, int K, int lda,
                                                int ldb, int ldc, long long strideA,
                                                long long strideB, long long strideC, float alpha,
                                                float beta, int transA, int transB, int act) {
    KILN_SHARED(float, As, 2 * TV_BUF);  // transA ? [k][m] : [m][k]
    KILN_SHARED(float, Bs, 2 * TV_BUF);  // transB ? [n][k] : [k][n]
    batch_offset(A, B, C, strideA, strideB, strideC);

    const int tid = threadIdx.x;
    const int warp = tid / 32, lane = tid % 32;
    const int g = lane >> 2, t = lane & 3;
    const int wm = (warp / 4) * 64, wn = (warp % 4) * 32;  // warp tile 64 x 32
    const int m0 = blockIdx.y * T_BM, n0 = blockIdx.x * T_BN;

    // Element strides of logical op(A)(m, k) and op(B)(k, n) in shared memory.
    const int a_lds = transA ? TV_LDMN : TV_LDK, b_lds = transB ? TV_LDK : TV_LDMN;
    const int a_sm = transA ? 1 : TV_LDK, a_sk = transA ? TV_LDMN : 1;
    const int b_sk = transB ? 1 : TV_LDMN, b_sn = transB ? TV_LDK : 1;
    auto issue = [&](int buf, int k0) {
        if (!transA) async_tile<float, 2, T_NT>(As + buf * TV_BUF, a_lds, A, lda, T_BM, T_BK, m0, k0, M, K, tid);
        else         async_tile<float, 2, T_NT>(As + buf * TV_BUF, a_lds, A, lda, T_BK, T_BM, k0, m0, K, M, tid);
        if (!transB) async_tile<float, 2, T_NT>(Bs + buf * TV_BUF, b_lds, B, ldb, T_BK, T_BN, k0, n0, K, N, tid);
        else         async_tile<float, 2, T_NT>(Bs + buf * TV_BUF, b_lds, B, ldb, T_BN, T_BK, n0, k0, N, K, tid);
        kiln::cp_async_commit();
    };

    float acc[4][4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j)
#pragma unroll
            for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;

    const int nk = (K + T_BK - 1) / T_BK;
    if (nk > 0) issue(0, 0);
    kiln::cp_async_wait_all();
    __syncthreads();
    for (int kt = 0; kt < nk; ++kt) {
        const int cur = kt & 1;
        if (kt + 1 < nk) issue(cur ^ 1, (kt + 1) * T_BK);
        const float* as = As + cur * TV_BUF;
        const float* bs = Bs + cur * TV_BUF;
#pragma unroll
        for (int ks = 0; ks < T_BK; ks += 8) {
            uint32_t a[4][4], b[4][2];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                const float* p = as + (wm + 16 * i + g) * a_sm + (ks + t) * a_sk;
                a[i][0] = kiln::cvt_tf32(p[0]);
                a[i][1] = kiln::cvt_tf32(p[8 * a_sm]);
                a[i][2] = kiln::cvt_tf32(p[4 * a_sk]);
                a[i][3] = kiln::cvt_tf32(p[8 * a_sm + 4 * a_sk]);
            }
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                const float* p = bs + (ks + t) * b_sk + (wn + 8 * j + g) * b_sn;
                b[j][0] = kiln::cvt_tf32(p[0]);
                b[j][1] = kiln::cvt_tf32(p[4 * b_sk]);
            }
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) kiln::mma_m16n8k8_tf32(acc[i][j], a[i], b[j], acc[i][j]);
        }
        kiln::cp_async_wait_all();
        __syncthreads();
    }
    store_warp_tile(acc, C, bias, M, N, ldc, m0 + wm, n0 + wn, g, t, alpha, beta, act);
}

// ---------------------------------------------------------------------------
// mma: bf16 mma.sync.m16n8k16 with ldmatrix.
// ---------------------------------------------------------------------------
constexpr int H_BM = 128, H_BN = 128, H_BK = 32, H_NT = 256;
constexpr int H_LD = H_BK + 8;  // bf16 per row: 80-byte rows -> conflict-free ldmatrix
constexpr int H_ABUF = H_BM * H_LD, H_BBUF = H_BN * H_LD;

template <class TC>
__device__ __forceinline__ void mma_bf16_body(const __nv_bfloat16* A, const __nv_bfloat16* B,
                                              TC* C, const TC* bias, int M, int N, int K,
                                              int lda, int ldb, int ldc, long long strideA,
                                              long long strideB, long long strideC, float alpha,
                                              float beta, int transA, int transB, int act) {
    KILN_SHARED(__nv_bfloat16, As, 2 * H_ABUF);  // [m][k]
    KILN_SHARED(__nv_bfloat16, Bs, 2 * H_BBUF);  // [n][k]
    batch_offset(A, B, C, strideA, strideB, strideC);

    const int tid = threadIdx.x;
    const int warp = tid / 32, lane = tid % 32;
    const int g = lane >> 2, t = lane & 3;
    const int wm = (warp / 4) * 64, wn = (warp % 4) * 32;  // warp tile 64 x 32
    const int m0 = blockIdx.y * H_BM, n0 = blockIdx.x * H_BN;

    TileCopyBf16x2<H_BM, H_BK, H_NT> ga;  // op(A)(m, k)
    TileCopyBf16x2<H_BK, H_BN, H_NT> gb;  // op(B)(k, n)
    float acc[4][4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j)
#pragma unroll
            for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;

    const int nk = (K + H_BK - 1) / H_BK;
    ga.load(A, lda, transA, m0, 0, M, K, tid);
    gb.load(B, ldb, transB, 0, n0, K, N, tid);
    ga.store(As, H_LD, 1, transA, tid);
    gb.store(Bs, 1, H_LD, transB, tid);
    __syncthreads();

    // ldmatrix row addresses: A matrices (rows 0-7 | 8-15) x (k 0-7 | 8-15);
    // B matrices (n 0-7, k 0-7 | 8-15), then (n 8-15, k 0-7 | 8-15).
    const int a_row = lane % 16, a_col = 8 * (lane / 16);
    const int b_row = 8 * (lane / 16) + lane % 8, b_col = 8 * ((lane / 8) % 2);

    for (int kt = 0; kt < nk; ++kt) {
        const int cur = kt & 1;
        if (kt + 1 < nk) {
            ga.load(A, lda, transA, m0, (kt + 1) * H_BK, M, K, tid);
            gb.load(B, ldb, transB, (kt + 1) * H_BK, n0, K, N, tid);
        }
        const __nv_bfloat16* as = As + cur * H_ABUF;
        const __nv_bfloat16* bs = Bs + cur * H_BBUF;
#pragma unroll
        for (int ks = 0; ks < H_BK; ks += 16) {
            uint32_t a[4][4], b[4][2];
#pragma unroll
            for (int i = 0; i < 4; ++i)
                kiln::ldmatrix_x4(a[i], as + (wm + 16 * i + a_row) * H_LD + ks + a_col);
#pragma unroll
            for (int jp = 0; jp < 2; ++jp) {
                uint32_t r[4];
                kiln::ldmatrix_x4(r, bs + (wn + 16 * jp + b_row) * H_LD + ks + b_col);
                b[2 * jp][0] = r[0];
                b[2 * jp][1] = r[1];
                b[2 * jp + 1][0] = r[2];
                b[2 * jp + 1][1] = r[3];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) kiln::mma_m16n8k16_bf16(acc[i][j], a[i], b[j], acc[i][j]);
        }
        if (kt + 1 < nk) {
            ga.store(As + (cur ^ 1) * H_ABUF, H_LD, 1, transA, tid);
            gb.store(Bs + (cur ^ 1) * H_BBUF, 1, H_LD, transB, tid);
        }
        __syncthreads();
    }

    store_warp_tile(acc, C, bias, M, N, ldc, m0 + wm, n0 + wn, g, t, alpha, beta, act);
}

// ---------------------------------------------------------------------------
// mmav8: the same bf16 tile with cp.async (ALIGN8 operands). Shared memory
// follows each operand's memory layout, so every copy is a 16-byte cp.async
// (zero-filled past the matrix edge); the fragments of a transposed layout
// come from ldmatrix.trans. No staging registers: the next tile's copies are
// in flight while this tile is multiplied.
// ---------------------------------------------------------------------------
constexpr int V_LDK = H_BK + 8;    // rows along K ([m][k] or [n][k]): 80 bytes
constexpr int V_LDMN = H_BM + 8;   // rows along M or N ([k][m] or [k][n]): 272 bytes
constexpr int V_BUF = H_BM * V_LDK;  // >= H_BK * V_LDMN
static_assert(H_BM == H_BN && H_BK * V_LDMN <= V_BUF, "mmav8 buffer sizing");

template <class TC>
__device__ __forceinline__ void mma_bf16_async_body(const __nv_bfloat16* A, const __nv_bfloat16* B,
                                                    TC* C, const TC* bias, int M, int N, int K,
                                                    int lda, int ldb, int ldc, long long strideA,
                                                    long long strideB, long long strideC,
                                                    float alpha, float beta, int transA,
                                                    int transB, int act) {
    KILN_SHARED(__nv_bfloat16, As, 2 * V_BUF);  // transA ? [k][m] : [m][k]
    KILN_SHARED(__nv_bfloat16, Bs, 2 * V_BUF);  // transB ? [n][k] : [k][n]
    batch_offset(A, B, C, strideA, strideB, strideC);

    const int tid = threadIdx.x;
    const int warp = tid / 32, lane = tid % 32;
    const int g = lane >> 2, t = lane & 3;
    const int wm = (warp / 4) * 64, wn = (warp % 4) * 32;  // warp tile 64 x 32
    const int m0 = blockIdx.y * H_BM, n0 = blockIdx.x * H_BN;

    // Per operand: stored rows (FIX) x contiguous run (RUN) and shared row length.
    const int a_lds = transA ? V_LDMN : V_LDK;
    const int b_lds = transB ? V_LDK : V_LDMN;
    auto issue = [&](int buf, int k0) {
        if (!transA) async_tile<__nv_bfloat16, 2, H_NT>(As + buf * V_BUF, a_lds, A, lda, H_BM, H_BK, m0, k0, M, K, tid);
        else         async_tile<__nv_bfloat16, 2, H_NT>(As + buf * V_BUF, a_lds, A, lda, H_BK, H_BM, k0, m0, K, M, tid);
        if (!transB) async_tile<__nv_bfloat16, 2, H_NT>(Bs + buf * V_BUF, b_lds, B, ldb, H_BK, H_BN, k0, n0, K, N, tid);
        else         async_tile<__nv_bfloat16, 2, H_NT>(Bs + buf * V_BUF, b_lds, B, ldb, H_BN, H_BK, n0, k0, N, K, tid);
        kiln::cp_async_commit();
    };

    float acc[4][4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j)
#pragma unroll
            for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;

    // ldmatrix row for this lane: matrix q = lane/8, row r = lane%8.
    // A [m][k] (plain):  m = 16i + r + 8(q%2), k = ks + 8(q/2)
    // A [k][m] (.trans): k = ks + r + 8(q/2), m = 16i + 8(q%2)
    // B [n][k] (plain):  n = 16jp + r + 8(q/2), k = ks + 8(q%2)
    // B [k][n] (.trans): k = ks + r + 8(q%2), n = 16jp + 8(q/2)
    const int q = lane / 8, r8 = lane % 8;

    const int nk = (K + H_BK - 1) / H_BK;
    if (nk > 0) issue(0, 0);
    kiln::cp_async_wait_all();
    __syncthreads();
    for (int kt = 0; kt < nk; ++kt) {
        const int cur = kt & 1;
        if (kt + 1 < nk) issue(cur ^ 1, (kt + 1) * H_BK);
        const __nv_bfloat16* as = As + cur * V_BUF;
        const __nv_bfloat16* bs = Bs + cur * V_BUF;
#pragma unroll
        for (int ks = 0; ks < H_BK; ks += 16) {
            uint32_t a[4][4], b[4][2];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                if (!transA)
                    kiln::ldmatrix_x4(a[i], as + (wm + 16 * i + r8 + 8 * (q % 2)) * V_LDK + ks + 8 * (q / 2));
                else
                    kiln::ldmatrix_x4_trans(a[i], as + (ks + r8 + 8 * (q / 2)) * V_LDMN + wm + 16 * i + 8 * (q % 2));
            }
#pragma unroll
            for (int jp = 0; jp < 2; ++jp) {
                uint32_t r[4];
                if (transB)
                    kiln::ldmatrix_x4(r, bs + (wn + 16 * jp + r8 + 8 * (q / 2)) * V_LDK + ks + 8 * (q % 2));
                else
                    kiln::ldmatrix_x4_trans(r, bs + (ks + r8 + 8 * (q % 2)) * V_LDMN + wn + 16 * jp + 8 * (q / 2));
                b[2 * jp][0] = r[0];
                b[2 * jp][1] = r[1];
                b[2 * jp + 1][0] = r[2];
                b[2 * jp + 1][1] = r[3];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) kiln::mma_m16n8k16_bf16(acc[i][j], a[i], b[j], acc[i][j]);
        }
        kiln::cp_async_wait_all();
        __syncthreads();
    }
    store_warp_tile(acc, C, bias, M, N, ldc, m0 + wm, n0 + wn, g, t, alpha, beta, act);
}

// ---------------------------------------------------------------------------
// wgmma (sm_90a): one warpgroup, m64n128k16 from shared memory.
// ---------------------------------------------------------------------------
#if defined(KILN_HAS_WGMMA)
constexpr int W_BM = 64, W_BN = 128, W_BK = 32, W_NT = 128;
// No-swizzle core-matrix layout of an R x W_BK (K-major) operand: core matrix
// (row/8, k/8) is 128 contiguous bytes, ordered k-group fastest; element
// (row, k) -> ((row/8)*(W_BK/8) + k/8)*64 + (row%8)*8 + k%8.
constexpr uint32_t W_LBO = 128;               // next core matrix along K
constexpr uint32_t W_SBO = (W_BK / 8) * 128;  // next core matrix along M / N

template <int R, class T>
__device__ __forceinline__ void wg_copy(T* smem, const T* X, long long ld, bool trans,
                                        bool rows_are_r, int row0, int k0, int RL, int KL,
                                        int tid) {
    // Logical tile X'(row, k); when rows_are_r the stored matrix is X'(row, k)
    // itself (trans flips it), else it is X'(k, row) (B in K x N form).
    constexpr int E = R * W_BK / W_NT;
#pragma unroll 4
    for (int e = 0; e < E; ++e) {
        const int i = tid + e * W_NT;
        // Walk the dimension that is contiguous in memory.
        const bool k_contig = rows_are_r ? !trans : trans;
        int row, k;
        if (k_contig) { k = i % W_BK; row = i / W_BK; }
        else          { row = i % R;  k = i / R; }
        const int gr = row0 + row, gk = k0 + k;
        T v = zero<T>();
        if (gr < RL && gk < KL) {
            // Address of logical (gr, gk) in the stored matrix.
            const bool row_major_rk = rows_are_r ? !trans : trans;  // stored [row][k]
            v = row_major_rk ? X[(long long)gr * ld + gk] : X[(long long)gk * ld + gr];
        }
        smem[((row / 8) * (W_BK / 8) + k / 8) * 64 + (row % 8) * 8 + k % 8] = v;
    }
}

template <class TC>
__device__ __forceinline__ void wgmma_body(const __nv_bfloat16* A, const __nv_bfloat16* B, TC* C,
                                           const TC* bias, int M, int N, int K, int lda, int ldb,
                                           int ldc, long long strideA, long long strideB,
                                           long long strideC, float alpha, float beta,
                                           int transA, int transB, int act) {
    // Two buffers: the copy of tile kt+1 runs while the wgmmas of tile kt do.
    KILN_SHARED(__nv_bfloat16, As, 2 * W_BM * W_BK);  // core-matrix layout, see wg_copy
    KILN_SHARED(__nv_bfloat16, Bs, 2 * W_BN * W_BK);
    batch_offset(A, B, C, strideA, strideB, strideC);

    const int tid = threadIdx.x;
    const int warp = tid / 32, lane = tid % 32;
    const int g = lane >> 2, t = lane & 3;
    const int m0 = blockIdx.y * W_BM, n0 = blockIdx.x * W_BN;

    float d[64];
#pragma unroll
    for (int i = 0; i < 64; ++i) d[i] = 0.0f;

    // A: logical (m, k), stored M x K unless transA.
    // B: logical (n, k), stored K x N unless transB (then N x K).
    const int nk = (K + W_BK - 1) / W_BK;
    if (nk > 0) {
        wg_copy<W_BM>(As, A, lda, transA, true, m0, 0, M, K, tid);
        wg_copy<W_BN>(Bs, B, ldb, transB, false, n0, 0, N, K, tid);
        kiln::fence_proxy_async_shared();
    }
    __syncthreads();
    for (int kt = 0; kt < nk; ++kt) {
        const int cur = kt & 1;
        const __nv_bfloat16* as = As + cur * W_BM * W_BK;
        const __nv_bfloat16* bs = Bs + cur * W_BN * W_BK;
        kiln::wgmma_fence();
#pragma unroll
        for (int s = 0; s < W_BK / 16; ++s) {
            const uint64_t da = kiln::wgmma_desc_noswizzle(as + s * 2 * 64, W_LBO, W_SBO);
            const uint64_t db = kiln::wgmma_desc_noswizzle(bs + s * 2 * 64, W_LBO, W_SBO);
            kiln::wgmma_m64n128k16_bf16(d, da, db);
        }
        kiln::wgmma_commit();
        // The other buffer was last read by the wgmmas of tile kt-1, which every
        // thread waited for before the barrier that ended that iteration.
        if (kt + 1 < nk) {
            wg_copy<W_BM>(As + (cur ^ 1) * W_BM * W_BK, A, lda, transA, true, m0, (kt + 1) * W_BK, M, K, tid);
            wg_copy<W_BN>(Bs + (cur ^ 1) * W_BN * W_BK, B, ldb, transB, false, n0, (kt + 1) * W_BK, N, K, tid);
            kiln::fence_proxy_async_shared();
        }
        kiln::wgmma_wait_all();
        __syncthreads();
    }

#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const int m = m0 + 16 * warp + g + 8 * h;
        if (m >= M) continue;
        TC* crow = C + (long long)m * ldc;
#pragma unroll
        for (int j = 0; j < 16; ++j) {
            const int n = n0 + 8 * j + 2 * t;
            if (n < N) epilogue(crow + n, d[4 * j + 2 * h], bias, n, alpha, beta, act);
            if (n + 1 < N) epilogue(crow + n + 1, d[4 * j + 2 * h + 1], bias, n + 1, alpha, beta, act);
        }
    }
}
#endif  // KILN_HAS_WGMMA

}  // namespace gemm
}  // namespace kiln

// ---------------------------------------------------------------------------
// Entry points. Parameter list and launch geometry: see the file header.
// ---------------------------------------------------------------------------
#define KILN_GEMM_FWD                                                                       \
    A, B, C, bias, M, N, K, lda, ldb, ldc, strideA, strideB, strideC, alpha, beta, transA, \
        transB, act

extern "C" __global__ void __launch_bounds__(256)
kiln_gemm_naive_f32(const float* A, const float* B, float* C, const float* bias, int M, int N,
                    int K, int lda, int ldb, int ldc, long long strideA, long long strideB,
                    long long strideC, float alpha, float beta, int transA, int transB, int act) {
    kiln::gemm::naive_body(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_naive_f32);

extern "C" __global__ void __launch_bounds__(256)
kiln_gemm_simt_f32(const float* A, const float* B, float* C, const float* bias, int M, int N,
                   int K, int lda, int ldb, int ldc, long long strideA, long long strideB,
                   long long strideC, float alpha, float beta, int transA, int transB, int act) {
    kiln::gemm::simt_body<false>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_simt_f32);

extern "C" __global__ void __launch_bounds__(256)
kiln_gemm_simtv4_f32(const float* A, const float* B, float* C, const float* bias, int M, int N,
                     int K, int lda, int ldb, int ldc, long long strideA, long long strideB,
                     long long strideC, float alpha, float beta, int transA, int transB, int act) {
    kiln::gemm::simt_body<true>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_simtv4_f32);

extern "C" __global__ void __launch_bounds__(256, 2)
kiln_gemm_tf32_f32(const float* A, const float* B, float* C, const float* bias, int M, int N,
                   int K, int lda, int ldb, int ldc, long long strideA, long long strideB,
                   long long strideC, float alpha, float beta, int transA, int transB, int act) {
    kiln::gemm::tf32_body(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_tf32_f32);

extern "C" __global__ void __launch_bounds__(256, 2)
kiln_gemm_tf32v4_f32(const float* A, const float* B, float* C, const float* bias, int M, int N,
                     int K, int lda, int ldb, int ldc, long long strideA, long long strideB,
                     long long strideC, float alpha, float beta, int transA, int transB, int act) {
    kiln::gemm::tf32_async_body(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_tf32v4_f32);

extern "C" __global__ void __launch_bounds__(256)
kiln_gemm_mma_bf16(const __nv_bfloat16* A, const __nv_bfloat16* B, __nv_bfloat16* C,
                   const __nv_bfloat16* bias, int M, int N, int K, int lda, int ldb, int ldc,
                   long long strideA, long long strideB, long long strideC, float alpha,
                   float beta, int transA, int transB, int act) {
    kiln::gemm::mma_bf16_body<__nv_bfloat16>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_mma_bf16);

extern "C" __global__ void __launch_bounds__(256)
kiln_gemm_mmaf32_bf16(const __nv_bfloat16* A, const __nv_bfloat16* B, float* C,
                      const float* bias, int M, int N, int K, int lda, int ldb, int ldc,
                      long long strideA, long long strideB, long long strideC, float alpha,
                      float beta, int transA, int transB, int act) {
    kiln::gemm::mma_bf16_body<float>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_mmaf32_bf16);

extern "C" __global__ void __launch_bounds__(256, 2)
kiln_gemm_mmav8_bf16(const __nv_bfloat16* A, const __nv_bfloat16* B, __nv_bfloat16* C,
                     const __nv_bfloat16* bias, int M, int N, int K, int lda, int ldb, int ldc,
                     long long strideA, long long strideB, long long strideC, float alpha,
                     float beta, int transA, int transB, int act) {
    kiln::gemm::mma_bf16_async_body<__nv_bfloat16>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_mmav8_bf16);

extern "C" __global__ void __launch_bounds__(256, 2)
kiln_gemm_mmav8f32_bf16(const __nv_bfloat16* A, const __nv_bfloat16* B, float* C,
                        const float* bias, int M, int N, int K, int lda, int ldb, int ldc,
                        long long strideA, long long strideB, long long strideC, float alpha,
                        float beta, int transA, int transB, int act) {
    kiln::gemm::mma_bf16_async_body<float>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_mmav8f32_bf16);

#if defined(KILN_HAS_WGMMA)
extern "C" __global__ void __launch_bounds__(128)
kiln_gemm_wgmma_bf16(const __nv_bfloat16* A, const __nv_bfloat16* B, __nv_bfloat16* C,
                     const __nv_bfloat16* bias, int M, int N, int K, int lda, int ldb, int ldc,
                     long long strideA, long long strideB, long long strideC, float alpha,
                     float beta, int transA, int transB, int act) {
    kiln::gemm::wgmma_body<__nv_bfloat16>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_wgmma_bf16);

extern "C" __global__ void __launch_bounds__(128)
kiln_gemm_wgmmaf32_bf16(const __nv_bfloat16* A, const __nv_bfloat16* B, float* C,
                        const float* bias, int M, int N, int K, int lda, int ldb, int ldc,
                        long long strideA, long long strideB, long long strideC, float alpha,
                        float beta, int transA, int transB, int act) {
    kiln::gemm::wgmma_body<float>(KILN_GEMM_FWD);
}
KILN_KERNEL_REGISTER(kiln_gemm_wgmmaf32_bf16);
#endif  // KILN_HAS_WGMMA

#undef KILN_GEMM_FWD
