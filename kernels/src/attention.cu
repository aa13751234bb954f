// Kiln attention family: fused scaled-dot-product attention in the flash
// style (forward and backward, fp32 and bf16), never materialising the
// Lq x Lk score matrix in device memory.
//
// WHAT
//   For every batch b and head h, with S = scale * Q Kᵀ + mask:
//     O   = softmax(S) V                     (row softmax over keys)
//     lse = logsumexp(S) per query row       (natural log; saved for backward)
//   mask: key j gets no weight for query i when
//     j >= kv_len[b]                (key padding; kv_len may be null = all Lk
//                                    keys valid; values are clamped to [0, Lk])
//     causal != 0 and j > i         (top-left aligned, as torch's is_causal:
//                                    query i sees keys 0..i, also when Lq != Lk)
//   A query row with no visible key (kv_len[b] == 0, or lk == 0; with the
//   causal mask alone every row sees key 0) gets O = 0 and lse = -inf;
//   backward gives it dQ = 0 and it adds nothing to dK/dV. (torch gives NaN
//   there; 0 is the useful value for fully padded batch entries.)
//   Backward (fp32), given dO:
//     delta_i = sum_d dO[i,d] O[i,d]                 (pre-pass kernel)
//     P  = exp(S - lse)      (recomputed from Q, K and the saved lse)
//     dV = Pᵀ dO,  dP = dO Vᵀ,  dS = P ∘ (dP - delta),
//     dQ = scale * dS K,  dK = scale * dSᵀ Q.
//
// LAYOUT
//   q, o, dout, dq: [B, H, Lq, D]; k, v, dk, dv: [B, H, Lk, D]; row-major and
//   contiguous. lse, delta: [B, H, Lq] fp32. kv_len: int32 [B] or null.
//   B = gridDim.z, H = `heads`. Lengths are int, offsets computed in int64.
//
// ALGORITHM
//   fp32 (SIMT, any sm_80+; also what the emulator tests most):
//     A block of 128 threads owns a tile of BR rows (query rows in the
//     forward/dQ kernels, key rows in the dK/dV kernel) for one (b, h); each
//     row is shared by PARTS = 128/BR consecutive lanes of one warp, each lane
//     keeping D/PARTS interleaved output columns in registers. The other
//     operand streams through shared memory in tiles of BC rows; scores of
//     the tile go through a padded shared BRxBC buffer so every lane of a row
//     sees all of them. Forward keeps the running max m and sum l per row
//     (online softmax) and rescales its accumulator when m grows.
//     BR = BC = 32 for D = 32, 64; 16 for D = 128 (keeps the dK/dV kernel's
//     four D-wide tiles under the 48 KiB of static shared memory).
//   Backward is three kernels, deterministic (no atomics; outputs need no
//   zeroing):
//     backward_delta  one warp per query row, delta = rowsum(dO ∘ O);
//     backward_dq     query tile per block (like the forward), streams K/V
//                     tiles, recomputes P and dS, accumulates dQ in registers;
//     backward_dkdv   key tile per block, streams Q/dO tiles (causal: only
//                     tiles at or below the diagonal), accumulates dK and dV
//                     in registers.
//     The split recomputes S and dP once more than an atomic dQ would (7
//     instead of 5 tile products) in exchange for determinism and no
//     zero-fill; revisit with GPU numbers.
//   bf16 forward (mma.sync m16n8k16, sm_80+): 4 warps, 64 query rows per
//     block (16 per warp), 64-key K/V tiles in shared memory (rows padded by
//     8 bf16 so ldmatrix is conflict-free). Q fragments stay in registers for
//     the whole block; S = Q Kᵀ with K fragments from ldmatrix; the online
//     softmax runs on the S accumulator fragments (base-2 exponent, scale
//     folded into log2e); P is rounded to bf16 and fed back as the A operand
//     of P V straight from the accumulator layout (no shared-memory trip),
//     with V fragments from ldmatrix.trans. fp32 accumulation, O written
//     bf16, lse fp32. Single-buffered, plain loads (no cp.async pipeline
//     yet); a Hopper wgmma/TMA variant is not written.
//   bf16 backward (mma.sync m16n8k16, sm_80+): the fp32 backward's split
//     (delta, dQ, dK/dV kernels) with every product on tensor cores; see the
//     section comment above backward_dq_mma_bf16. fp32 dQ, dK, dV.
//   Head dim is a template parameter with one entry point per D in
//   {32, 64, 128}: the per-thread accumulators are register arrays whose size
//   must be known at compile time, and the loops over D fully unroll. Other
//   head dims (<= 128) would be served by padding D to the next of these on
//   the host side (zero columns change nothing); not done here.
//
// ENTRY POINTS AND LAUNCH (block 128 threads for all but backward_delta and the bf16 backward;
// static shared memory only, dynamic = 0; see kernels/SEQUENCE.md)
//   kiln_attention_forward_d{32,64,128}_f32(
//       const float* q, const float* k, const float* v, float* o, float* lse,
//       const int* kv_len, int heads, int lq, int lk, float scale, int causal)
//     grid (ceil(lq/BR), heads, batch); lse may be null (inference).
//   kiln_attention_forward_mma_d{32,64,128}_bf16(
//       const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v,
//       __nv_bfloat16* o, float* lse, const int* kv_len, int heads, int lq,
//       int lk, float scale, int causal)
//     grid (ceil(lq/64), heads, batch); k and v 16-byte aligned (read as
//     16-byte vectors), q and o 4-byte aligned (bf16 pairs); lse may be null.
//   kiln_attention_backward_delta_f32(const float* o, const float* dout,
//       float* delta, long long rows, int d)
//     block (32, 8), grid ceil(rows/8) capped at 65535; rows = B*H*Lq.
//   kiln_attention_backward_dq_d{32,64,128}_f32(
//       const float* q, const float* k, const float* v, const float* dout,
//       const float* lse, const float* delta, float* dq, const int* kv_len,
//       int heads, int lq, int lk, float scale, int causal)
//     grid (ceil(lq/BR), heads, batch).
//   kiln_attention_backward_dkdv_d{32,64,128}_f32(
//       const float* q, const float* k, const float* v, const float* dout,
//       const float* lse, const float* delta, float* dk, float* dv,
//       const int* kv_len, int heads, int lq, int lk, float scale, int causal)
//     grid (ceil(lk/BR), heads, batch).
//   kiln_attention_backward_delta_bf16(const __nv_bfloat16* o,
//       const __nv_bfloat16* dout, float* delta, long long rows, int d)
//     as the f32 one.
//   kiln_attention_backward_dq_mma_d{32,64,128}_bf16(bf16 q, k, v, dout,
//       const float* lse, const float* delta, float* dq, kv_len, heads, lq,
//       lk, scale, causal)
//   kiln_attention_backward_dkdv_mma_d{32,64,128}_bf16(bf16 q, k, v, dout,
//       lse, delta, float* dk, float* dv, kv_len, heads, lq, lk, scale, causal)
//     block 2*BM threads, grid (ceil(lq or lk / BM), heads, batch), BM = 64
//     (D 32, 64) or 32 (D 128); q, k, v, dout 16-byte aligned.
//   lq >= 1, lk >= 0 for the forward/dQ kernels (lk = 0: O = 0, lse = -inf,
//   dQ = 0); dK/dV needs lk >= 1 (nothing to launch otherwise).
//
// Ratio vs vendor (cuDNN SDPA, unfused cuBLAS + softmax): not yet measured on
// a GPU.
#include "kiln/kiln.cuh"
#include "kiln/mma.cuh"
#include "kiln/warp.cuh"

namespace {

// ---------------------------------------------------------------------------
// fp32 SIMT kernels
// ---------------------------------------------------------------------------
constexpr int kThreads = 128;

template <int D>
struct Cfg {
  static_assert(D == 32 || D == 64 || D == 128, "head dim");
  static constexpr int BR = D == 128 ? 16 : 32;  // rows owned by the block
  static constexpr int BC = BR;                  // rows of a streamed tile
  static constexpr int PARTS = kThreads / BR;    // lanes per owned row
  static constexpr int CPT = D / PARTS;          // output columns per lane
  static constexpr int JPT = BC / PARTS;         // scores per lane per tile
  static constexpr int LD = D + 1;               // padded shared row
  static constexpr int LDS = BC + 1;
};

struct Head {
  long long q_off, k_off;  // element offset of this (b, h) in q-like / k-like tensors
  long long row_off;       // offset of this (b, h) in lse/delta
  int klim;                // keys [0, klim) can carry weight
};

KILN_DEV Head head_of(const int* kv_len, int heads, int lq, int lk, int d) {
  const int b = blockIdx.z, h = blockIdx.y;
  const long long bh = static_cast<long long>(b) * heads + h;
  int klim = lk;
  if (kv_len) {
    const int kl = kv_len[b];
    klim = kl < 0 ? 0 : (kl < lk ? kl : lk);
  }
  return {bh * lq * d, bh * lk * d, bh * lq, klim};
}

// Copies rows [r0, r0 + R) of a [*, D] matrix into padded shared rows; rows
// at or beyond `rlim` are zero.
template <int D, int R>
KILN_DEV void load_rows(float* dst, const float* src, int r0, int rlim) {
  for (int idx = threadIdx.x; idx < R * D; idx += kThreads) {
    const int r = idx / D, c = idx % D;
    dst[r * (D + 1) + c] = r0 + r < rlim ? src[static_cast<long long>(r0 + r) * D + c] : 0.f;
  }
}

template <int D>
KILN_DEV float dot_rows(const float* a, const float* b) {
  float s = 0.f;
#pragma unroll
  for (int c = 0; c < D; ++c) s = fmaf(a[c], b[c], s);
  return s;
}

template <int D>
KILN_DEV void forward_f32(const float* q, const float* k, const float* v, float* o, float* lse,
                          const int* kv_len, int heads, int lq, int lk, float scale,
                          int causal) {
  using C = Cfg<D>;
  KILN_SHARED(float, Qs, C::BR * C::LD);
  KILN_SHARED(float, Ks, C::BC * C::LD);
  KILN_SHARED(float, Vs, C::BC * C::LD);
  KILN_SHARED(float, Ss, C::BR * C::LDS);
  const Head hd = head_of(kv_len, heads, lq, lk, D);
  const int q0 = blockIdx.x * C::BR;
  const int r = threadIdx.x / C::PARTS, p = threadIdx.x % C::PARTS;
  const int qi = q0 + r;
  int klim = hd.klim;
  if (causal && klim > q0 + C::BR) klim = q0 + C::BR;

  load_rows<D, C::BR>(Qs, q + hd.q_off, q0, lq);
  float acc[C::CPT];
#pragma unroll
  for (int c = 0; c < C::CPT; ++c) acc[c] = 0.f;
  float m = -INFINITY, l = 0.f;

  for (int k0 = 0; k0 < klim; k0 += C::BC) {
    __syncthreads();  // previous tile fully consumed (and Qs written, first time)
    load_rows<D, C::BC>(Ks, k + hd.k_off, k0, klim);
    load_rows<D, C::BC>(Vs, v + hd.k_off, k0, klim);
    __syncthreads();
#pragma unroll
    for (int jj = 0; jj < C::JPT; ++jj) {
      const int j = p + C::PARTS * jj, kj = k0 + j;
      const bool valid = kj < klim && (!causal || kj <= qi);
      Ss[r * C::LDS + j] = valid ? scale * dot_rows<D>(Qs + r * C::LD, Ks + j * C::LD) : -INFINITY;
    }
    __syncwarp();  // the lanes of a row live in one warp
    float mt = -INFINITY;
    for (int j = 0; j < C::BC; ++j) mt = fmaxf(mt, Ss[r * C::LDS + j]);
    const float mn = fmaxf(m, mt);
    if (mn == -INFINITY) continue;  // nothing visible to this row yet
    const float alpha = expf(m - mn);  // m == -inf -> 0
    l *= alpha;
#pragma unroll
    for (int c = 0; c < C::CPT; ++c) acc[c] *= alpha;
    for (int j = 0; j < C::BC; ++j) {
      const float pj = expf(Ss[r * C::LDS + j] - mn);  // masked: exp(-inf) = 0
      l += pj;
      const float* vr = Vs + j * C::LD + p;
#pragma unroll
      for (int c = 0; c < C::CPT; ++c) acc[c] = fmaf(pj, vr[C::PARTS * c], acc[c]);
    }
    m = mn;
  }
  if (qi < lq) {
    const float inv = l > 0.f ? 1.f / l : 0.f;
    float* orow = o + hd.q_off + static_cast<long long>(qi) * D + p;
#pragma unroll
    for (int c = 0; c < C::CPT; ++c) orow[C::PARTS * c] = acc[c] * inv;
    if (lse && p == 0) lse[hd.row_off + qi] = l > 0.f ? m + logf(l) : -INFINITY;
  }
}

template <int D>
KILN_DEV void backward_dq_f32(const float* q, const float* k, const float* v, const float* dout,
                              const float* lse, const float* delta, float* dq,
                              const int* kv_len, int heads, int lq, int lk, float scale,
                              int causal) {
  using C = Cfg<D>;
  KILN_SHARED(float, Qs, C::BR * C::LD);
  KILN_SHARED(float, Gs, C::BR * C::LD);  // dO rows
  KILN_SHARED(float, Ks, C::BC * C::LD);
  KILN_SHARED(float, Vs, C::BC * C::LD);
  KILN_SHARED(float, Ss, C::BR * C::LDS);  // dS
  const Head hd = head_of(kv_len, heads, lq, lk, D);
  const int q0 = blockIdx.x * C::BR;
  const int r = threadIdx.x / C::PARTS, p = threadIdx.x % C::PARTS;
  const int qi = q0 + r;
  int klim = hd.klim;
  if (causal && klim > q0 + C::BR) klim = q0 + C::BR;

  load_rows<D, C::BR>(Qs, q + hd.q_off, q0, lq);
  load_rows<D, C::BR>(Gs, dout + hd.q_off, q0, lq);
  const float lse_i = qi < lq ? lse[hd.row_off + qi] : 0.f;
  const float del_i = qi < lq ? delta[hd.row_off + qi] : 0.f;
  float acc[C::CPT];
#pragma unroll
  for (int c = 0; c < C::CPT; ++c) acc[c] = 0.f;

  for (int k0 = 0; k0 < klim; k0 += C::BC) {
    __syncthreads();
    load_rows<D, C::BC>(Ks, k + hd.k_off, k0, klim);
    load_rows<D, C::BC>(Vs, v + hd.k_off, k0, klim);
    __syncthreads();
#pragma unroll
    for (int jj = 0; jj < C::JPT; ++jj) {
      const int j = p + C::PARTS * jj, kj = k0 + j;
      const bool valid = qi < lq && kj < klim && (!causal || kj <= qi);
      float ds = 0.f;
      if (valid) {
        const float pij = expf(scale * dot_rows<D>(Qs + r * C::LD, Ks + j * C::LD) - lse_i);
        ds = pij * (dot_rows<D>(Gs + r * C::LD, Vs + j * C::LD) - del_i);
      }
      Ss[r * C::LDS + j] = ds;
    }
    __syncwarp();
    for (int j = 0; j < C::BC; ++j) {
      const float ds = Ss[r * C::LDS + j];
      const float* kr = Ks + j * C::LD + p;
#pragma unroll
      for (int c = 0; c < C::CPT; ++c) acc[c] = fmaf(ds, kr[C::PARTS * c], acc[c]);
    }
  }
  if (qi < lq) {
    float* row = dq + hd.q_off + static_cast<long long>(qi) * D + p;
#pragma unroll
    for (int c = 0; c < C::CPT; ++c) row[C::PARTS * c] = acc[c] * scale;
  }
}

template <int D>
KILN_DEV void backward_dkdv_f32(const float* q, const float* k, const float* v,
                                const float* dout, const float* lse, const float* delta,
                                float* dk, float* dv, const int* kv_len, int heads, int lq,
                                int lk, float scale, int causal) {
  using C = Cfg<D>;
  KILN_SHARED(float, Ks, C::BR * C::LD);
  KILN_SHARED(float, Vs, C::BR * C::LD);
  KILN_SHARED(float, Qs, C::BC * C::LD);
  KILN_SHARED(float, Gs, C::BC * C::LD);    // dO rows
  KILN_SHARED(float, Ps, C::BR * C::LDS);   // [key][query]
  KILN_SHARED(float, Ds, C::BR * C::LDS);   // dS, [key][query]
  KILN_SHARED(float, Ls, C::BC);            // lse of the query tile
  KILN_SHARED(float, Es, C::BC);            // delta of the query tile
  const Head hd = head_of(kv_len, heads, lq, lk, D);
  const int k0 = blockIdx.x * C::BR;
  const int r = threadIdx.x / C::PARTS, p = threadIdx.x % C::PARTS;
  const int kj = k0 + r;
  const int klim = hd.klim;

  float gk[C::CPT], gv[C::CPT];
#pragma unroll
  for (int c = 0; c < C::CPT; ++c) gk[c] = gv[c] = 0.f;

  if (k0 < klim) {  // uniform over the block
    load_rows<D, C::BR>(Ks, k + hd.k_off, k0, klim);
    load_rows<D, C::BR>(Vs, v + hd.k_off, k0, klim);
    // Causal: queries i < k0 see none of these keys.
    for (int q0 = causal ? (k0 / C::BC) * C::BC : 0; q0 < lq; q0 += C::BC) {
      __syncthreads();
      load_rows<D, C::BC>(Qs, q + hd.q_off, q0, lq);
      load_rows<D, C::BC>(Gs, dout + hd.q_off, q0, lq);
      for (int i = threadIdx.x; i < C::BC; i += kThreads) {
        Ls[i] = q0 + i < lq ? lse[hd.row_off + q0 + i] : 0.f;
        Es[i] = q0 + i < lq ? delta[hd.row_off + q0 + i] : 0.f;
      }
      __syncthreads();
#pragma unroll
      for (int ii = 0; ii < C::JPT; ++ii) {
        const int i = p + C::PARTS * ii, qi = q0 + i;
        const bool valid = qi < lq && kj < klim && (!causal || kj <= qi);
        float pij = 0.f, ds = 0.f;
        if (valid) {
          pij = expf(scale * dot_rows<D>(Qs + i * C::LD, Ks + r * C::LD) - Ls[i]);
          ds = pij * (dot_rows<D>(Gs + i * C::LD, Vs + r * C::LD) - Es[i]);
        }
        Ps[r * C::LDS + i] = pij;
        Ds[r * C::LDS + i] = ds;
      }
      __syncwarp();
      for (int i = 0; i < C::BC; ++i) {
        const float pij = Ps[r * C::LDS + i], ds = Ds[r * C::LDS + i];
        const float* gr = Gs + i * C::LD + p;
        const float* qr = Qs + i * C::LD + p;
#pragma unroll
        for (int c = 0; c < C::CPT; ++c) {
          gv[c] = fmaf(pij, gr[C::PARTS * c], gv[c]);
          gk[c] = fmaf(ds, qr[C::PARTS * c], gk[c]);
        }
      }
    }
  }
  if (kj < lk) {  // keys beyond kv_len get zero gradients
    float* kr = dk + hd.k_off + static_cast<long long>(kj) * D + p;
    float* vr = dv + hd.k_off + static_cast<long long>(kj) * D + p;
#pragma unroll
    for (int c = 0; c < C::CPT; ++c) {
      kr[C::PARTS * c] = gk[c] * scale;
      vr[C::PARTS * c] = gv[c];
    }
  }
}

// ---------------------------------------------------------------------------
// bf16 tensor-core forward
// ---------------------------------------------------------------------------
constexpr int kMmaBQ = 64;  // query rows per block (16 per warp)
constexpr int kMmaBK = 64;  // keys per streamed tile
constexpr float kLog2e = 1.4426950408889634f;
constexpr float kLn2 = 0.6931471805599453f;

KILN_DEV uint32_t load_pair(const __nv_bfloat16* p) {
  return *reinterpret_cast<const uint32_t*>(p);
}

template <int D>
KILN_DEV void forward_mma_bf16(const __nv_bfloat16* q, const __nv_bfloat16* k,
                               const __nv_bfloat16* v, __nv_bfloat16* o, float* lse,
                               const int* kv_len, int heads, int lq, int lk, float scale,
                               int causal) {
  static_assert(D == 32 || D == 64 || D == 128, "head dim");
  constexpr int LD = D + 8;  // bf16 per shared row: 16-byte multiple, conflict-free ldmatrix
  constexpr int KS = D / 16;       // k-steps of Q Kᵀ
  constexpr int NT = kMmaBK / 8;   // n-tiles of S
  constexpr int DT = D / 8;        // n-tiles of O
  constexpr int VEC = D / 8;       // 16-byte vectors per row
  KILN_SHARED(__nv_bfloat16, Ks, kMmaBK * LD);
  KILN_SHARED(__nv_bfloat16, Vs, kMmaBK * LD);
  const Head hd = head_of(kv_len, heads, lq, lk, D);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, t = lane & 3;
  const int q0 = blockIdx.x * kMmaBQ;
  const int row0 = q0 + 16 * warp + g, row1 = row0 + 8;  // this lane's two query rows
  int klim = hd.klim;
  if (causal && klim > q0 + kMmaBQ) klim = q0 + kMmaBQ;
  const float sl2 = scale * kLog2e;

  // Q fragments (A operand, 16 x D per warp) for the whole block.
  uint32_t qa[KS][4];
  {
    const __nv_bfloat16* q_0 = q + hd.q_off + static_cast<long long>(row0) * D;
    const __nv_bfloat16* q_1 = q + hd.q_off + static_cast<long long>(row1) * D;
#pragma unroll
    for (int kk = 0; kk < KS; ++kk) {
      const int c = 16 * kk + 2 * t;
      qa[kk][0] = row0 < lq ? load_pair(q_0 + c) : 0u;
      qa[kk][1] = row1 < lq ? load_pair(q_1 + c) : 0u;
      qa[kk][2] = row0 < lq ? load_pair(q_0 + c + 8) : 0u;
      qa[kk][3] = row1 < lq ? load_pair(q_1 + c + 8) : 0u;
    }
  }
  float acc[DT][4];
#pragma unroll
  for (int j = 0; j < DT; ++j) acc[j][0] = acc[j][1] = acc[j][2] = acc[j][3] = 0.f;
  float m[2] = {-INFINITY, -INFINITY}, l[2] = {0.f, 0.f};  // base-2 running max, lane-partial sum

  for (int k0 = 0; k0 < klim; k0 += kMmaBK) {
    __syncthreads();
    for (int idx = threadIdx.x; idx < kMmaBK * VEC; idx += kThreads) {
      const int rr = idx / VEC, cc = (idx % VEC) * 8;
      uint4 kv = make_uint4(0u, 0u, 0u, 0u), vv = kv;
      if (k0 + rr < klim) {
        const long long off = hd.k_off + static_cast<long long>(k0 + rr) * D + cc;
        kv = *reinterpret_cast<const uint4*>(k + off);
        vv = *reinterpret_cast<const uint4*>(v + off);
      }
      *reinterpret_cast<uint4*>(Ks + rr * LD + cc) = kv;
      *reinterpret_cast<uint4*>(Vs + rr * LD + cc) = vv;
    }
    __syncthreads();

    // S = Q Kᵀ (16 x 64 per warp).
    float s[NT][4];
#pragma unroll
    for (int j = 0; j < NT; ++j) s[j][0] = s[j][1] = s[j][2] = s[j][3] = 0.f;
#pragma unroll
    for (int np = 0; np < NT / 2; ++np) {
#pragma unroll
      for (int kk = 0; kk < KS; ++kk) {
        uint32_t b[4];
        kiln::ldmatrix_x4(b, Ks + (16 * np + (lane & 7) + 8 * (lane >> 4)) * LD + 16 * kk +
                                 8 * ((lane >> 3) & 1));
        const uint32_t b0[2] = {b[0], b[1]}, b1[2] = {b[2], b[3]};
        kiln::mma_m16n8k16_bf16(s[2 * np], qa[kk], b0, s[2 * np]);
        kiln::mma_m16n8k16_bf16(s[2 * np + 1], qa[kk], b1, s[2 * np + 1]);
      }
    }

    // Mask, online softmax on the fragments (rows g and g+8 of the warp).
    float mx[2] = {-INFINITY, -INFINITY};
#pragma unroll
    for (int j = 0; j < NT; ++j)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int key = k0 + 8 * j + 2 * t + (e & 1);
        const int qi = e < 2 ? row0 : row1;
        const bool valid = key < klim && (!causal || key <= qi);
        s[j][e] = valid ? s[j][e] * sl2 : -INFINITY;
        mx[e >> 1] = fmaxf(mx[e >> 1], s[j][e]);
      }
    float base[2], alpha[2];
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      mx[h] = fmaxf(mx[h], __shfl_xor_sync(kiln::kFullMask, mx[h], 1));
      mx[h] = fmaxf(mx[h], __shfl_xor_sync(kiln::kFullMask, mx[h], 2));
      const float mn = fmaxf(m[h], mx[h]);
      base[h] = mn == -INFINITY ? 0.f : mn;  // all masked so far: exp2(-inf - 0) = 0
      alpha[h] = exp2f(m[h] - base[h]);
      m[h] = mn;
      l[h] *= alpha[h];
    }
#pragma unroll
    for (int j = 0; j < DT; ++j) {
      acc[j][0] *= alpha[0];
      acc[j][1] *= alpha[0];
      acc[j][2] *= alpha[1];
      acc[j][3] *= alpha[1];
    }
#pragma unroll
    for (int j = 0; j < NT; ++j)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        s[j][e] = exp2f(s[j][e] - base[e >> 1]);
        l[e >> 1] += s[j][e];
      }

    // O += P V: P from the S accumulators (C layout == A layout pairwise).
#pragma unroll
    for (int kk = 0; kk < kMmaBK / 16; ++kk) {
      uint32_t pa[4];
      pa[0] = kiln::pack_bf16(__float2bfloat16(s[2 * kk][0]), __float2bfloat16(s[2 * kk][1]));
      pa[1] = kiln::pack_bf16(__float2bfloat16(s[2 * kk][2]), __float2bfloat16(s[2 * kk][3]));
      pa[2] = kiln::pack_bf16(__float2bfloat16(s[2 * kk + 1][0]),
                              __float2bfloat16(s[2 * kk + 1][1]));
      pa[3] = kiln::pack_bf16(__float2bfloat16(s[2 * kk + 1][2]),
                              __float2bfloat16(s[2 * kk + 1][3]));
#pragma unroll
      for (int dp = 0; dp < D / 16; ++dp) {
        uint32_t b[4];
        kiln::ldmatrix_x4_trans(b, Vs + (16 * kk + (lane & 7) + 8 * ((lane >> 3) & 1)) * LD +
                                       16 * dp + 8 * (lane >> 4));
        const uint32_t b0[2] = {b[0], b[1]}, b1[2] = {b[2], b[3]};
        kiln::mma_m16n8k16_bf16(acc[2 * dp], pa, b0, acc[2 * dp]);
        kiln::mma_m16n8k16_bf16(acc[2 * dp + 1], pa, b1, acc[2 * dp + 1]);
      }
    }
  }

  float inv[2];
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    l[h] += __shfl_xor_sync(kiln::kFullMask, l[h], 1);
    l[h] += __shfl_xor_sync(kiln::kFullMask, l[h], 2);
    inv[h] = l[h] > 0.f ? 1.f / l[h] : 0.f;
  }
  __nv_bfloat16* o_0 = o + hd.q_off + static_cast<long long>(row0) * D + 2 * t;
  __nv_bfloat16* o_1 = o + hd.q_off + static_cast<long long>(row1) * D + 2 * t;
#pragma unroll
  for (int j = 0; j < DT; ++j) {
    if (row0 < lq)
      *reinterpret_cast<uint32_t*>(o_0 + 8 * j) = kiln::pack_bf16(
          __float2bfloat16(acc[j][0] * inv[0]), __float2bfloat16(acc[j][1] * inv[0]));
    if (row1 < lq)
      *reinterpret_cast<uint32_t*>(o_1 + 8 * j) = kiln::pack_bf16(
          __float2bfloat16(acc[j][2] * inv[1]), __float2bfloat16(acc[j][3] * inv[1]));
  }
  if (lse && t == 0) {
    if (row0 < lq) lse[hd.row_off + row0] = l[0] > 0.f ? (m[0] + log2f(l[0])) * kLn2 : -INFINITY;
    if (row1 < lq) lse[hd.row_off + row1] = l[1] > 0.f ? (m[1] + log2f(l[1])) * kLn2 : -INFINITY;
  }
}

// ---------------------------------------------------------------------------
// bf16 tensor-core backward
// ---------------------------------------------------------------------------
// Same split as the fp32 backward (delta pre-pass, a dQ kernel owning query
// rows, a dK/dV kernel owning key rows; no atomics). Every product is an
// mma.m16n8k16 with fp32 accumulation; P and dS are rounded to bf16 on their
// way from accumulator fragments into A operands, like P in the forward.
// Owned rows (16 per warp) and streamed tiles (32 rows) both sit in shared
// memory and every fragment comes from ldmatrix, which keeps the dK+dV
// accumulators of D = 128 (128 floats a lane) clear of spills. D = 128 uses
// 2 warps per block (32 owned rows) to stay under 48 KiB of static shared
// memory; D = 32, 64 use 4 (64 rows).
template <int D>
struct BwdMma {
  static_assert(D == 32 || D == 64 || D == 128, "head dim");
  static constexpr int W = D == 128 ? 2 : 4;  // warps per block
  static constexpr int THREADS = 32 * W;
  static constexpr int ROWS = 16 * W;         // owned rows per block
  static constexpr int BT = 32;               // rows of a streamed tile
  static constexpr int LD = D + 8;            // bf16 per shared row (ldmatrix conflict-free)
  static constexpr int KS = D / 16;           // k-steps over the head dim
  static constexpr int NT = BT / 8;           // n-tiles of a score block
  static constexpr int DT = D / 8;            // n-tiles of a D-wide result
};

// Rows [r0, r0 + R) of a [*, D] bf16 matrix into shared rows of LD; rows at or
// beyond rlim are zero. 16-byte vectors: the matrix must be 16-byte aligned.
template <int D, int R, int THREADS>
KILN_DEV void load_rows_bf16(__nv_bfloat16* dst, const __nv_bfloat16* src, int r0, int rlim) {
  constexpr int VEC = D / 8, LD = D + 8;
  for (int idx = threadIdx.x; idx < R * VEC; idx += THREADS) {
    const int rr = idx / VEC, cc = (idx % VEC) * 8;
    uint4 val = make_uint4(0u, 0u, 0u, 0u);
    if (r0 + rr < rlim) val = *reinterpret_cast<const uint4*>(src + static_cast<long long>(r0 + rr) * D + cc);
    *reinterpret_cast<uint4*>(dst + rr * LD + cc) = val;
  }
}

// A fragment (16 x 16) of shared rows row0.., k-step kk.
template <int LD>
KILN_DEV void frag_a(uint32_t (&a)[4], const __nv_bfloat16* S, int row0, int kk, int lane) {
  kiln::ldmatrix_x4(a, S + (row0 + (lane & 15)) * LD + 16 * kk + 8 * (lane >> 4));
}

// B fragments of n-tiles 2np, 2np+1 when the shared rows are the n index
// (B = rowsᵀ, as K in S = Q Kᵀ).
template <int LD>
KILN_DEV void frag_b_rows(uint32_t (&b0)[2], uint32_t (&b1)[2], const __nv_bfloat16* S, int np, int kk,
                          int lane) {
  uint32_t b[4];
  kiln::ldmatrix_x4(b, S + (16 * np + (lane & 7) + 8 * (lane >> 4)) * LD + 16 * kk + 8 * ((lane >> 3) & 1));
  b0[0] = b[0]; b0[1] = b[1]; b1[0] = b[2]; b1[1] = b[3];
}

// B fragments of n-tiles 2dp, 2dp+1 when the shared rows are the k index
// (B = rows, as V in P V).
template <int LD>
KILN_DEV void frag_b_cols(uint32_t (&b0)[2], uint32_t (&b1)[2], const __nv_bfloat16* S, int kk, int dp,
                          int lane) {
  uint32_t b[4];
  kiln::ldmatrix_x4_trans(b, S + (16 * kk + (lane & 7) + 8 * ((lane >> 3) & 1)) * LD + 16 * dp + 8 * (lane >> 4));
  b0[0] = b[0]; b0[1] = b[1]; b1[0] = b[2]; b1[1] = b[3];
}

// acc[NT][4] = (rows 16w.. of A) · Bᵀ over D, B's rows the n index.
template <int D, int NT>
KILN_DEV void scores(float (&acc)[NT][4], const __nv_bfloat16* A, int row0, const __nv_bfloat16* B, int lane) {
  constexpr int LD = D + 8;
#pragma unroll
  for (int j = 0; j < NT; ++j) acc[j][0] = acc[j][1] = acc[j][2] = acc[j][3] = 0.f;
#pragma unroll
  for (int kk = 0; kk < D / 16; ++kk) {
    uint32_t a[4];
    frag_a<LD>(a, A, row0, kk, lane);
#pragma unroll
    for (int np = 0; np < NT / 2; ++np) {
      uint32_t b0[2], b1[2];
      frag_b_rows<LD>(b0, b1, B, np, kk, lane);
      kiln::mma_m16n8k16_bf16(acc[2 * np], a, b0, acc[2 * np]);
      kiln::mma_m16n8k16_bf16(acc[2 * np + 1], a, b1, acc[2 * np + 1]);
    }
  }
}

// out[DT][4] += P · B, P the [16 x BT] accumulator fragments (rounded to bf16),
// B's rows the k index.
template <int D, int NT>
KILN_DEV void accumulate(float (&out)[D / 8][4], const float (&P)[NT][4], const __nv_bfloat16* B, int lane) {
  constexpr int LD = D + 8;
#pragma unroll
  for (int kk = 0; kk < NT / 2; ++kk) {
    uint32_t pa[4];
    pa[0] = kiln::pack_bf16(__float2bfloat16(P[2 * kk][0]), __float2bfloat16(P[2 * kk][1]));
    pa[1] = kiln::pack_bf16(__float2bfloat16(P[2 * kk][2]), __float2bfloat16(P[2 * kk][3]));
    pa[2] = kiln::pack_bf16(__float2bfloat16(P[2 * kk + 1][0]), __float2bfloat16(P[2 * kk + 1][1]));
    pa[3] = kiln::pack_bf16(__float2bfloat16(P[2 * kk + 1][2]), __float2bfloat16(P[2 * kk + 1][3]));
#pragma unroll
    for (int dp = 0; dp < D / 16; ++dp) {
      uint32_t b0[2], b1[2];
      frag_b_cols<LD>(b0, b1, B, kk, dp, lane);
      kiln::mma_m16n8k16_bf16(out[2 * dp], pa, b0, out[2 * dp]);
      kiln::mma_m16n8k16_bf16(out[2 * dp + 1], pa, b1, out[2 * dp + 1]);
    }
  }
}

// Stores rows r0 (elements 0, 1) and r1 (2, 3) of D-wide fp32 fragments times f.
template <int D>
KILN_DEV void store_rows_f32(float* base, const float (&acc)[D / 8][4], int r0, int r1, int rlim, float f, int t) {
#pragma unroll
  for (int j = 0; j < D / 8; ++j) {
    const int c = 8 * j + 2 * t;
    if (r0 < rlim) {
      base[static_cast<long long>(r0) * D + c] = acc[j][0] * f;
      base[static_cast<long long>(r0) * D + c + 1] = acc[j][1] * f;
    }
    if (r1 < rlim) {
      base[static_cast<long long>(r1) * D + c] = acc[j][2] * f;
      base[static_cast<long long>(r1) * D + c + 1] = acc[j][3] * f;
    }
  }
}

template <int D>
KILN_DEV void backward_dq_mma_bf16(const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v,
                                   const __nv_bfloat16* dout, const float* lse, const float* delta, float* dq,
                                   const int* kv_len, int heads, int lq, int lk, float scale, int causal) {
  using C = BwdMma<D>;
  KILN_SHARED(__nv_bfloat16, Qs, C::ROWS * C::LD);
  KILN_SHARED(__nv_bfloat16, Gs, C::ROWS * C::LD);  // dO rows
  KILN_SHARED(__nv_bfloat16, Ks, C::BT * C::LD);
  KILN_SHARED(__nv_bfloat16, Vs, C::BT * C::LD);
  const Head hd = head_of(kv_len, heads, lq, lk, D);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, t = lane & 3;
  const int q0 = blockIdx.x * C::ROWS;
  const int row[2] = {q0 + 16 * warp + g, q0 + 16 * warp + g + 8};
  int klim = hd.klim;
  if (causal && klim > q0 + C::ROWS) klim = q0 + C::ROWS;
  const float sl2 = scale * kLog2e;
  float lse2[2], del[2];
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const bool in = row[h] < lq;
    lse2[h] = in ? lse[hd.row_off + row[h]] * kLog2e : -INFINITY;
    del[h] = in ? delta[hd.row_off + row[h]] : 0.f;
  }
  load_rows_bf16<D, C::ROWS, C::THREADS>(Qs, q + hd.q_off, q0, lq);
  load_rows_bf16<D, C::ROWS, C::THREADS>(Gs, dout + hd.q_off, q0, lq);
  float acc[C::DT][4];
#pragma unroll
  for (int j = 0; j < C::DT; ++j) acc[j][0] = acc[j][1] = acc[j][2] = acc[j][3] = 0.f;

  for (int k0 = 0; k0 < klim; k0 += C::BT) {
    __syncthreads();
    load_rows_bf16<D, C::BT, C::THREADS>(Ks, k + hd.k_off, k0, klim);
    load_rows_bf16<D, C::BT, C::THREADS>(Vs, v + hd.k_off, k0, klim);
    __syncthreads();
    float sc[C::NT][4], dp[C::NT][4];
    scores<D, C::NT>(sc, Qs, 16 * warp, Ks, lane);  // S = Q Kᵀ
    scores<D, C::NT>(dp, Gs, 16 * warp, Vs, lane);  // dP = dO Vᵀ
#pragma unroll
    for (int j = 0; j < C::NT; ++j)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int key = k0 + 8 * j + 2 * t + (e & 1), h = e >> 1;
        const bool valid = row[h] < lq && key < klim && (!causal || key <= row[h]) && lse2[h] > -INFINITY;
        const float pij = valid ? exp2f(sc[j][e] * sl2 - lse2[h]) : 0.f;
        sc[j][e] = pij * (dp[j][e] - del[h]);  // dS
      }
    accumulate<D, C::NT>(acc, sc, Ks, lane);  // dQ += dS K
  }
  store_rows_f32<D>(dq + hd.q_off, acc, row[0], row[1], lq, scale, t);
}

template <int D>
KILN_DEV void backward_dkdv_mma_bf16(const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v,
                                     const __nv_bfloat16* dout, const float* lse, const float* delta, float* dk,
                                     float* dv, const int* kv_len, int heads, int lq, int lk, float scale,
                                     int causal) {
  using C = BwdMma<D>;
  KILN_SHARED(__nv_bfloat16, Ks, C::ROWS * C::LD);
  KILN_SHARED(__nv_bfloat16, Vs, C::ROWS * C::LD);
  KILN_SHARED(__nv_bfloat16, Qs, C::BT * C::LD);
  KILN_SHARED(__nv_bfloat16, Gs, C::BT * C::LD);  // dO rows
  KILN_SHARED(float, Ls, C::BT);                  // lse·log2e of the query tile (-inf: no key visible)
  KILN_SHARED(float, Es, C::BT);                  // delta of the query tile
  const Head hd = head_of(kv_len, heads, lq, lk, D);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, t = lane & 3;
  const int k0 = blockIdx.x * C::ROWS;
  const int key[2] = {k0 + 16 * warp + g, k0 + 16 * warp + g + 8};
  const int klim = hd.klim;
  const float sl2 = scale * kLog2e;
  float gk[C::DT][4], gv[C::DT][4];
#pragma unroll
  for (int j = 0; j < C::DT; ++j)
#pragma unroll
    for (int e = 0; e < 4; ++e) gk[j][e] = gv[j][e] = 0.f;

  if (k0 < klim) {  // uniform over the block
    load_rows_bf16<D, C::ROWS, C::THREADS>(Ks, k + hd.k_off, k0, klim);
    load_rows_bf16<D, C::ROWS, C::THREADS>(Vs, v + hd.k_off, k0, klim);
    // Causal: queries i < k0 see none of these keys.
    for (int q0 = causal ? (k0 / C::BT) * C::BT : 0; q0 < lq; q0 += C::BT) {
      __syncthreads();
      load_rows_bf16<D, C::BT, C::THREADS>(Qs, q + hd.q_off, q0, lq);
      load_rows_bf16<D, C::BT, C::THREADS>(Gs, dout + hd.q_off, q0, lq);
      for (int i = threadIdx.x; i < C::BT; i += C::THREADS) {
        Ls[i] = q0 + i < lq ? lse[hd.row_off + q0 + i] * kLog2e : -INFINITY;
        Es[i] = q0 + i < lq ? delta[hd.row_off + q0 + i] : 0.f;
      }
      __syncthreads();
      float pt[C::NT][4], ds[C::NT][4];
      scores<D, C::NT>(pt, Ks, 16 * warp, Qs, lane);  // Sᵀ = K Qᵀ
      scores<D, C::NT>(ds, Vs, 16 * warp, Gs, lane);  // dPᵀ = V dOᵀ
#pragma unroll
      for (int j = 0; j < C::NT; ++j)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int i = 8 * j + 2 * t + (e & 1), qi = q0 + i, kj = key[e >> 1];
          const bool valid = qi < lq && kj < klim && (!causal || kj <= qi) && Ls[i] > -INFINITY;
          const float pij = valid ? exp2f(pt[j][e] * sl2 - Ls[i]) : 0.f;
          pt[j][e] = pij;                       // Pᵀ
          ds[j][e] = pij * (ds[j][e] - Es[i]);  // dSᵀ
        }
      accumulate<D, C::NT>(gv, pt, Gs, lane);  // dV += Pᵀ dO
      accumulate<D, C::NT>(gk, ds, Qs, lane);  // dK += dSᵀ Q
    }
  }
  // Keys at or past kv_len (and all keys when k0 >= klim) get zero gradients.
  store_rows_f32<D>(dk + hd.k_off, gk, key[0], key[1], lk, scale, t);
  store_rows_f32<D>(dv + hd.k_off, gv, key[0], key[1], lk, 1.f, t);
}

KILN_DEV float as_float(float x) { return x; }
KILN_DEV float as_float(__nv_bfloat16 x) { return __bfloat162float(x); }

// delta = rowsum(dO ∘ O), one warp per row; fp32 or bf16 inputs, fp32 sums.
template <class T>
KILN_DEV void backward_delta(const T* o, const T* dout, float* delta, long long rows, int d) {
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.y;
  for (long long r = static_cast<long long>(blockIdx.x) * blockDim.y + threadIdx.y; r < rows; r += stride) {
    const T* orow = o + r * d;
    const T* grow = dout + r * d;
    float s = 0.f;
    for (int c = threadIdx.x; c < d; c += 32) s = fmaf(as_float(orow[c]), as_float(grow[c]), s);
    s = kiln::warp_sum(s);
    if (threadIdx.x == 0) delta[r] = s;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------
#define KILN_ATTN_F32(D)                                                                        \
  extern "C" __global__ void __launch_bounds__(kThreads) kiln_attention_forward_d##D##_f32(    \
      const float* q, const float* k, const float* v, float* o, float* lse,                    \
      const int* kv_len, int heads, int lq, int lk, float scale, int causal) {                 \
    forward_f32<D>(q, k, v, o, lse, kv_len, heads, lq, lk, scale, causal);                     \
  }                                                                                             \
  KILN_KERNEL_REGISTER(kiln_attention_forward_d##D##_f32);                                      \
  extern "C" __global__ void __launch_bounds__(kThreads) kiln_attention_backward_dq_d##D##_f32( \
      const float* q, const float* k, const float* v, const float* dout, const float* lse,     \
      const float* delta, float* dq, const int* kv_len, int heads, int lq, int lk, float scale, \
      int causal) {                                                                             \
    backward_dq_f32<D>(q, k, v, dout, lse, delta, dq, kv_len, heads, lq, lk, scale, causal);   \
  }                                                                                             \
  KILN_KERNEL_REGISTER(kiln_attention_backward_dq_d##D##_f32);                                  \
  extern "C" __global__ void __launch_bounds__(kThreads)                                        \
      kiln_attention_backward_dkdv_d##D##_f32(                                                  \
          const float* q, const float* k, const float* v, const float* dout, const float* lse, \
          const float* delta, float* dk, float* dv, const int* kv_len, int heads, int lq,      \
          int lk, float scale, int causal) {                                                    \
    backward_dkdv_f32<D>(q, k, v, dout, lse, delta, dk, dv, kv_len, heads, lq, lk, scale,      \
                         causal);                                                               \
  }                                                                                             \
  KILN_KERNEL_REGISTER(kiln_attention_backward_dkdv_d##D##_f32);                                \
  extern "C" __global__ void __launch_bounds__(kThreads)                                        \
      kiln_attention_forward_mma_d##D##_bf16(                                                   \
          const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v,              \
          __nv_bfloat16* o, float* lse, const int* kv_len, int heads, int lq, int lk,          \
          float scale, int causal) {                                                            \
    forward_mma_bf16<D>(q, k, v, o, lse, kv_len, heads, lq, lk, scale, causal);                \
  }                                                                                             \
  KILN_KERNEL_REGISTER(kiln_attention_forward_mma_d##D##_bf16);                                 \
  extern "C" __global__ void __launch_bounds__(BwdMma<D>::THREADS)                              \
      kiln_attention_backward_dq_mma_d##D##_bf16(                                               \
          const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v,              \
          const __nv_bfloat16* dout, const float* lse, const float* delta, float* dq,          \
          const int* kv_len, int heads, int lq, int lk, float scale, int causal) {             \
    backward_dq_mma_bf16<D>(q, k, v, dout, lse, delta, dq, kv_len, heads, lq, lk, scale,       \
                            causal);                                                            \
  }                                                                                             \
  KILN_KERNEL_REGISTER(kiln_attention_backward_dq_mma_d##D##_bf16);                             \
  extern "C" __global__ void __launch_bounds__(BwdMma<D>::THREADS)                              \
      kiln_attention_backward_dkdv_mma_d##D##_bf16(                                             \
          const __nv_bfloat16* q, const __nv_bfloat16* k, const __nv_bfloat16* v,              \
          const __nv_bfloat16* dout, const float* lse, const float* delta, float* dk,          \
          float* dv, const int* kv_len, int heads, int lq, int lk, float scale, int causal) {  \
    backward_dkdv_mma_bf16<D>(q, k, v, dout, lse, delta, dk, dv, kv_len, heads, lq, lk, scale, \
                              causal);                                                          \
  }                                                                                             \
  KILN_KERNEL_REGISTER(kiln_attention_backward_dkdv_mma_d##D##_bf16);

KILN_ATTN_F32(32)
KILN_ATTN_F32(64)
KILN_ATTN_F32(128)

extern "C" __global__ void kiln_attention_backward_delta_f32(const float* o, const float* dout,
                                                             float* delta, long long rows,
                                                             int d) {
  backward_delta(o, dout, delta, rows, d);
}
KILN_KERNEL_REGISTER(kiln_attention_backward_delta_f32);

extern "C" __global__ void kiln_attention_backward_delta_bf16(const __nv_bfloat16* o,
                                                              const __nv_bfloat16* dout,
                                                              float* delta, long long rows, int d) {
  backward_delta(o, dout, delta, rows, d);
}
KILN_KERNEL_REGISTER(kiln_attention_backward_delta_bf16);
