// Kiln tensor-core wrappers: one small function per warp-level matrix
// instruction (mma.sync m16n8k8 tf32, mma.sync m16n8k16 bf16, ldmatrix,
// cvt to tf32) and the Hopper warpgroup pieces (wgmma, its shared-memory
// descriptor, the fences).
//
// On the device each wrapper is one inline-PTX statement. Under the SIMT
// emulator (KILN_EMU) the warp-level ones are exact emulations: every lane's
// fragment registers are gathered with kiln::emu::warp_gather, the operand
// matrices are rebuilt from the fragment layouts of the PTX ISA
// ("Matrix fragments for mma.m16n8k8 / mma.m16n8k16", "ldmatrix"), the
// product is formed in float and each lane gets back its part of D. All 32
// lanes of the warp must call them together, as on hardware (.sync.aligned).
// The wgmma pieces are emulated per thread (see the Hopper section below).
//
// Fragment layouts used below (groupID g = lane >> 2, t = lane & 3):
//   m16n8k8 .tf32   A 16x8 : a0 (g, t)   a1 (g+8, t)   a2 (g, t+4)   a3 (g+8, t+4)
//                   B 8x8  : b0 (k=t, n=g)             b1 (k=t+4, n=g)
//   m16n8k16 .bf16  A 16x16: reg0 (g, 2t..2t+1)   reg1 (g+8, 2t..2t+1)
//                            reg2 (g, 2t+8..2t+9) reg3 (g+8, 2t+8..2t+9)
//                   B 16x8 : reg0 (k=2t..2t+1, n=g)  reg1 (k=2t+8..2t+9, n=g)
//                   (two bf16 per 32-bit register, the lower index in the
//                   low half)
//   C/D (both) 16x8 f32    : c0 (g, 2t)  c1 (g, 2t+1)  c2 (g+8, 2t)  c3 (g+8, 2t+1)
//   ldmatrix .x4 .b16: lanes 8i..8i+7 give the row addresses of matrix i
//                   (8 rows of 16 bytes); lane l receives in r[i] the
//                   elements (l/4, 2(l%4)) and (l/4, 2(l%4)+1) of matrix i;
//                   .trans delivers the transposed matrix instead.
#pragma once

#include <stdint.h>
#include <cuda_bf16.h>

#ifdef KILN_EMU
#include <array>
#include <cstring>
#include <vector>
#endif
// The emulator's sanitizer build skips the register-only tensor-core math.
#ifndef KILN_EMU_UNCHECKED
#define KILN_EMU_UNCHECKED
#endif

namespace kiln {

// ---------------------------------------------------------------------------
// Scalar helpers shared by the device code and the host emulation.
// ---------------------------------------------------------------------------

// Bits of a float rounded to tf32 the way cvt.rna.tf32.f32 does: to nearest,
// ties away from zero, keeping 10 explicit mantissa bits (low 13 bits zero).
// NaN and infinity pass through.
inline __host__ __device__ uint32_t tf32_round_bits(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    if ((u & 0x7f800000u) == 0x7f800000u) return u;  // inf / nan
    u += 0x1000u;                                      // half an ulp of tf32: ties go away from zero
    return u & 0xffffe000u;
}

inline __host__ __device__ float bits_to_float(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

inline __host__ __device__ uint32_t float_to_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

// Packs two bf16 into one 32-bit register, lo in bits 0..15.
inline __host__ __device__ uint32_t pack_bf16(__nv_bfloat16 lo, __nv_bfloat16 hi) {
    uint16_t l, h;
    memcpy(&l, &lo, 2);
    memcpy(&h, &hi, 2);
    return (uint32_t)l | ((uint32_t)h << 16);
}

#ifdef KILN_EMU
// ---------------------------------------------------------------------------
// Host emulation.
// ---------------------------------------------------------------------------
namespace mma_emu {

inline float tf32_operand(uint32_t bits) {
    // The tensor core reads only the upper 19 bits of a .tf32 operand.
    return bits_to_float(bits & 0xffffe000u);
}

inline float bf16_lo(uint32_t r) { return bits_to_float(r << 16); }
inline float bf16_hi(uint32_t r) { return bits_to_float(r & 0xffff0000u); }

// One lane's operands of one mma: gathered in a single warp exchange.
struct MmaLane {
    uint32_t a[4];
    uint32_t b[2];
    float c[4];
};

inline std::array<MmaLane, 32> gather_operands(const uint32_t a[4], const uint32_t b[2],
                                               const float c[4]) {
    MmaLane mine;
    for (int i = 0; i < 4; ++i) mine.a[i] = a[i];
    for (int i = 0; i < 2; ++i) mine.b[i] = b[i];
    for (int i = 0; i < 4; ++i) mine.c[i] = c[i];
    return kiln::emu::warp_gather(mine);
}

// C (16x8) from every lane's c0..c3.
inline void rebuild_c(const std::array<MmaLane, 32>& all, float C[16][8]) {
    for (int l = 0; l < 32; ++l) {
        const int g = l >> 2, t = l & 3;
        C[g][2 * t] = all[l].c[0];
        C[g][2 * t + 1] = all[l].c[1];
        C[g + 8][2 * t] = all[l].c[2];
        C[g + 8][2 * t + 1] = all[l].c[3];
    }
}

// This lane's d0..d3 of D (16x8).
inline void scatter_d(const float D[16][8], float d[4]) {
    const int lane = kiln::emu::lane_id();
    const int g = lane >> 2, t = lane & 3;
    d[0] = D[g][2 * t];
    d[1] = D[g][2 * t + 1];
    d[2] = D[g + 8][2 * t];
    d[3] = D[g + 8][2 * t + 1];
}

}  // namespace mma_emu
#endif  // KILN_EMU

// ---------------------------------------------------------------------------
// cvt.rna.tf32.f32
// ---------------------------------------------------------------------------
__device__ __forceinline__ uint32_t cvt_tf32(float x) {
#ifdef KILN_EMU
    return tf32_round_bits(x);
#else
    uint32_t r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
#endif
}

// ---------------------------------------------------------------------------
// D = A(16x8, tf32, row) * B(8x8, tf32, col) + C, f32 accumulate.
// d may alias c.
// ---------------------------------------------------------------------------
KILN_EMU_UNCHECKED __device__ __forceinline__ void mma_m16n8k8_tf32(float d[4], const uint32_t a[4],
                                                 const uint32_t b[2], const float c[4]) {
#ifdef KILN_EMU
    using namespace mma_emu;
    const std::array<MmaLane, 32> all = gather_operands(a, b, c);
    float A[16][8], B[8][8], C[16][8], D[16][8];
    for (int l = 0; l < 32; ++l) {
        const int g = l >> 2, t = l & 3;
        A[g][t] = tf32_operand(all[l].a[0]);
        A[g + 8][t] = tf32_operand(all[l].a[1]);
        A[g][t + 4] = tf32_operand(all[l].a[2]);
        A[g + 8][t + 4] = tf32_operand(all[l].a[3]);
        B[t][g] = tf32_operand(all[l].b[0]);
        B[t + 4][g] = tf32_operand(all[l].b[1]);
    }
    rebuild_c(all, C);
    for (int m = 0; m < 16; ++m)
        for (int n = 0; n < 8; ++n) {
            float s = C[m][n];
            for (int k = 0; k < 8; ++k) s += A[m][k] * B[k][n];  // tf32 products are exact in float
            D[m][n] = s;
        }
    scatter_d(D, d);
#else
    asm volatile(
        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%10, %11, %12, %13};\n"
        : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]),
          "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]));
#endif
}

// ---------------------------------------------------------------------------
// D = A(16x16, bf16, row) * B(16x8, bf16, col) + C, f32 accumulate.
// d may alias c.
// ---------------------------------------------------------------------------
KILN_EMU_UNCHECKED __device__ __forceinline__ void mma_m16n8k16_bf16(float d[4], const uint32_t a[4],
                                                  const uint32_t b[2], const float c[4]) {
#ifdef KILN_EMU
    using namespace mma_emu;
    const std::array<MmaLane, 32> all = gather_operands(a, b, c);
    float A[16][16], B[16][8], C[16][8], D[16][8];
    for (int l = 0; l < 32; ++l) {
        const int g = l >> 2, t = l & 3;
        const uint32_t* r = all[l].a;
        A[g][2 * t] = bf16_lo(r[0]);         A[g][2 * t + 1] = bf16_hi(r[0]);
        A[g + 8][2 * t] = bf16_lo(r[1]);     A[g + 8][2 * t + 1] = bf16_hi(r[1]);
        A[g][2 * t + 8] = bf16_lo(r[2]);     A[g][2 * t + 9] = bf16_hi(r[2]);
        A[g + 8][2 * t + 8] = bf16_lo(r[3]); A[g + 8][2 * t + 9] = bf16_hi(r[3]);
        const uint32_t* q = all[l].b;
        B[2 * t][g] = bf16_lo(q[0]);         B[2 * t + 1][g] = bf16_hi(q[0]);
        B[2 * t + 8][g] = bf16_lo(q[1]);     B[2 * t + 9][g] = bf16_hi(q[1]);
    }
    rebuild_c(all, C);
    for (int m = 0; m < 16; ++m)
        for (int n = 0; n < 8; ++n) {
            float s = C[m][n];
            for (int k = 0; k < 16; ++k) s += A[m][k] * B[k][n];  // bf16 products are exact in float
            D[m][n] = s;
        }
    scatter_d(D, d);
#else
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%10, %11, %12, %13};\n"
        : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]),
          "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]));
#endif
}

// ---------------------------------------------------------------------------
// ldmatrix.sync.aligned.m8n8.x4(.trans).shared.b16
// row: this lane's row address (16 bytes, 16-byte aligned, in shared memory).
// ---------------------------------------------------------------------------
#ifdef KILN_EMU
namespace mma_emu {
inline void ldmatrix_x4_emu(uint32_t r[4], const void* row, bool trans) {
    const std::array<const void*, 32> rows = kiln::emu::warp_gather(row);
    const int lane = kiln::emu::lane_id();
    for (int i = 0; i < 4; ++i) {
        uint16_t e[2];
        for (int j = 0; j < 2; ++j) {
            int mr, mc;  // element (mr, mc) of matrix i
            if (!trans) { mr = lane >> 2; mc = 2 * (lane & 3) + j; }
            else        { mr = 2 * (lane & 3) + j; mc = lane >> 2; }
            memcpy(&e[j], (const char*)rows[8 * i + mr] + 2 * mc, 2);
        }
        r[i] = (uint32_t)e[0] | ((uint32_t)e[1] << 16);
    }
}
}  // namespace mma_emu
#endif

__device__ __forceinline__ void ldmatrix_x4(uint32_t r[4], const void* row) {
#ifdef KILN_EMU
    mma_emu::ldmatrix_x4_emu(r, row, false);
#else
    const uint32_t a = (uint32_t)__cvta_generic_to_shared(row);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(a));
#endif
}

__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t r[4], const void* row) {
#ifdef KILN_EMU
    mma_emu::ldmatrix_x4_emu(r, row, true);
#else
    const uint32_t a = (uint32_t)__cvta_generic_to_shared(row);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(a));
#endif
}

// ---------------------------------------------------------------------------
// cp.async (sm_80+): 16-byte global -> shared copies that complete at
// cp_async_wait_all. src_bytes (0..16) bytes are read, the rest of the 16 is
// zero-filled; dst and src must be 16-byte aligned.
// Host emulation: copies are queued per thread and performed only at that
// thread's cp_async_wait_all, so a missing wait leaves the destination as
// it was (poisoned shared memory) and the result goes wrong.
// ---------------------------------------------------------------------------
#ifdef KILN_EMU
namespace mma_emu {
struct PendingCopy {
    uint64_t epoch;
    unsigned thread;
    void* dst;
    const void* src;
    int bytes;
};
inline std::vector<PendingCopy>& pending_copies() {
    static thread_local std::vector<PendingCopy> q;  // one block at a time per OS thread
    return q;
}
inline unsigned linear_thread() {
    return threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
}
}  // namespace mma_emu
#endif

__device__ __forceinline__ void cp_async_16(void* smem_dst, const void* gmem_src, int src_bytes) {
#ifdef KILN_EMU
    if (((uintptr_t)smem_dst & 15) || ((uintptr_t)gmem_src & 15) || src_bytes < 0 || src_bytes > 16)
        kiln::emu::fail("cp.async: misaligned address or bad source size");
    mma_emu::pending_copies().push_back(
        {kiln::emu::block_epoch(), mma_emu::linear_thread(), smem_dst, gmem_src, src_bytes});
#else
    const uint32_t d = (uint32_t)__cvta_generic_to_shared(smem_dst);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(d), "l"(gmem_src),
                 "r"(src_bytes)
                 : "memory");
#endif
}

__device__ __forceinline__ void cp_async_commit() {
#ifndef KILN_EMU
    asm volatile("cp.async.commit_group;\n" ::: "memory");
#endif
}

// Waits for all of this thread's cp.async copies (other threads' copies need
// a barrier after their own wait, as on hardware).
__device__ __forceinline__ void cp_async_wait_all() {
#ifdef KILN_EMU
    auto& q = mma_emu::pending_copies();
    const uint64_t epoch = kiln::emu::block_epoch();
    const unsigned me = mma_emu::linear_thread();
    size_t keep = 0;
    for (size_t i = 0; i < q.size(); ++i) {
        if (q[i].epoch != epoch) continue;  // left over by an earlier block: dropped
        if (q[i].thread == me) {
            unsigned char buf[16] = {0};
            memcpy(buf, q[i].src, (size_t)q[i].bytes);
            memcpy(q[i].dst, buf, 16);
            continue;
        }
        q[keep++] = q[i];
    }
    q.resize(keep);
#else
    asm volatile("cp.async.wait_all;\n" ::: "memory");
#endif
}

// ---------------------------------------------------------------------------
// Hopper (sm_90a) warpgroup MMA: wgmma with both operands in shared memory.
// On the device these exist only when compiling for sm_90a (KILN_HAS_WGMMA).
// Under the emulator they are emulated per thread from this file's reading
// of the PTX ISA (descriptor fields, no-swizzle canonical layout, the
// m64nNk16 accumulator layout); that reading itself is checked only by the
// GPU parity suite. wgmma is asynchronous on hardware and synchronous here,
// so a missing wgmma_wait_all is not caught by the emulator.
// ---------------------------------------------------------------------------
#if defined(KILN_EMU) || (defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL))
#define KILN_HAS_WGMMA 1

// Shared-memory matrix descriptor for wgmma, no swizzle (canonical
// "interleave" layout): the operand is made of core matrices of 8 rows x 16
// contiguous bytes (128 bytes each). lbo = byte distance between core
// matrices adjacent in K, sbo = between core matrices adjacent in M (or N).
// Device bit fields: [0,14) address>>4, [16,30) lbo>>4, [32,46) sbo>>4,
// [49,52) base offset = 0, [62,64) swizzle = 0 (none).
__device__ __forceinline__ uint64_t wgmma_desc_noswizzle(const void* smem, uint32_t lbo,
                                                        uint32_t sbo) {
#ifdef KILN_EMU
    // Host form: the 48-bit host address, lbo>>4 and sbo>>4 in a byte each.
    const uint64_t a = (uint64_t)(uintptr_t)smem;
    if ((a >> 48) != 0 || (a & 15) != 0 || (lbo & 15) != 0 || (sbo & 15) != 0 ||
        (lbo >> 4) > 0xff || (sbo >> 4) > 0xff)
        kiln::emu::fail("wgmma descriptor: address or offsets outside what the emulator encodes");
    return a | ((uint64_t)(lbo >> 4) << 48) | ((uint64_t)(sbo >> 4) << 56);
#else
    const uint32_t a = (uint32_t)__cvta_generic_to_shared(smem);
    uint64_t d = 0;
    d |= (uint64_t)((a >> 4) & 0x3fff);
    d |= (uint64_t)((lbo >> 4) & 0x3fff) << 16;
    d |= (uint64_t)((sbo >> 4) & 0x3fff) << 32;
    return d;
#endif
}

// Orders this thread's generic-proxy shared-memory writes before later
// async-proxy reads (wgmma operands).
__device__ __forceinline__ void fence_proxy_async_shared() {
#ifndef KILN_EMU
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
#endif
}
__device__ __forceinline__ void wgmma_fence() {
#ifndef KILN_EMU
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
#endif
}
__device__ __forceinline__ void wgmma_commit() {
#ifndef KILN_EMU
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
#endif
}
__device__ __forceinline__ void wgmma_wait_all() {
#ifndef KILN_EMU
    asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
#endif
}

#ifdef KILN_EMU
namespace mma_emu {
// Element (row, k) of a K-major bf16 operand behind a host descriptor.
inline float wgmma_operand(uint64_t desc, int row, int k) {
    const char* base = (const char*)(uintptr_t)(desc & 0xffffffffffffull);
    const uint32_t lbo = (uint32_t)((desc >> 48) & 0xff) << 4;
    const uint32_t sbo = (uint32_t)((desc >> 56) & 0xff) << 4;
    uint16_t h;
    memcpy(&h, base + (row / 8) * sbo + (k / 8) * lbo + (row % 8) * 16 + (k % 8) * 2, 2);
    return bits_to_float((uint32_t)h << 16);
}
}  // namespace mma_emu
#endif

// D(64x128, f32) += A(64x16, bf16, K-major smem) * B(16x128, bf16, K-major smem),
// issued by the 4 warps of a warpgroup together.
// Accumulator layout (warp w of the warpgroup, g = lane>>2, t = lane&3):
// d[4j + 0/1] = D(16w + g, 8j + 2t + 0/1), d[4j + 2/3] = D(16w + g + 8, 8j + 2t + 0/1).
__device__ __forceinline__ void wgmma_m64n128k16_bf16(float d[64], uint64_t da, uint64_t db) {
#ifdef KILN_EMU
    const int tid = (int)(threadIdx.x % 128);
    const int w = tid / 32, g = (tid % 32) >> 2, t = tid & 3;
    for (int j = 0; j < 16; ++j)
        for (int r = 0; r < 4; ++r) {
            const int row = 16 * w + g + 8 * (r / 2), col = 8 * j + 2 * t + (r % 2);
            float s = d[4 * j + r];
            for (int k = 0; k < 16; ++k)
                s += mma_emu::wgmma_operand(da, row, k) * mma_emu::wgmma_operand(db, col, k);
            d[4 * j + r] = s;
        }
#else
    asm volatile(
        "{\n"
        ".reg .pred p;\n"
        "setp.ne.b32 p, %66, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, "
        "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, "
        "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, "
        "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63}, "
        "%64, %65, p, 1, 1, 0, 0;\n"
        "}\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]),
          "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]),
          "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]),
          "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]),
          "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31]),
          "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), "+f"(d[36]), "+f"(d[37]),
          "+f"(d[38]), "+f"(d[39]), "+f"(d[40]), "+f"(d[41]), "+f"(d[42]), "+f"(d[43]),
          "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]), "+f"(d[48]), "+f"(d[49]),
          "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]),
          "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]),
          "+f"(d[62]), "+f"(d[63])
        : "l"(da), "l"(db), "r"(1)
        : "memory");
#endif
}
#endif  // KILN_HAS_WGMMA

}  // namespace kiln
