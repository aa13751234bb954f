// Host tests of kernels/src/gemm.cu and kernels/include/kiln/mma.cuh under the
// SIMT emulator: the tensor-core wrappers one by one (fragment layouts, tf32
// rounding, ldmatrix), then every gemm entry point against a double-precision
// CPU reference at small and ragged shapes, both transposes, batches, padded
// leading dimensions, alpha/beta and the bias/activation epilogues. The
// sm_90a wgmma kernels run here on mma.cuh's wgmma emulation, which shares
// the kernel's reading of the PTX ISA: only a GPU run checks that reading.
#include "../src/gemm.cu"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kt.h"


namespace {

using bf16 = __nv_bfloat16;

float tf32_rna(float x) { return kiln::bits_to_float(kiln::tf32_round_bits(x)); }
float bf16_round(float x) { return __bfloat162float(__float2bfloat16(x)); }

// --------------------------------------------------------------------------
// Wrapper test kernels (one warp). Fragments are filled here straight from
// the PTX ISA formulas, written independently of mma.cuh.
// --------------------------------------------------------------------------

// A 16x8, B 8x8 (row-major k x n), C/D 16x8, all fp32 in global memory.
__global__ void mma_tf32_probe(const float* A, const float* B, const float* C, float* D) {
    const int lane = threadIdx.x, groupID = lane >> 2, tig = lane % 4;
    uint32_t a[4], b[2];
    float c[4], d[4];
    for (int i = 0; i < 4; ++i) {
        const int row = groupID + ((i == 1 || i == 3) ? 8 : 0);
        const int col = tig + (i >= 2 ? 4 : 0);
        a[i] = kiln::cvt_tf32(A[row * 8 + col]);
    }
    for (int i = 0; i < 2; ++i) b[i] = kiln::cvt_tf32(B[(tig + 4 * i) * 8 + groupID]);
    for (int i = 0; i < 4; ++i) c[i] = C[(groupID + 8 * (i / 2)) * 8 + tig * 2 + (i & 1)];
    kiln::mma_m16n8k8_tf32(d, a, b, c);
    for (int i = 0; i < 4; ++i) D[(groupID + 8 * (i / 2)) * 8 + tig * 2 + (i & 1)] = d[i];
}

// A 16x16, B 16x16 (row-major k x n, only n < 8 used), C/D 16x8.
__global__ void mma_bf16_probe(const bf16* A, const bf16* B, const float* C, float* D) {
    const int lane = threadIdx.x, groupID = lane >> 2, tig = lane % 4;
    bf16 ae[8], be[4];
    for (int i = 0; i < 8; ++i) {
        const int row = groupID + 8 * ((i / 2) % 2);
        const int col = tig * 2 + (i % 2) + 8 * (i / 4);
        ae[i] = A[row * 16 + col];
    }
    for (int i = 0; i < 4; ++i) {
        const int row = tig * 2 + (i % 2) + 8 * (i / 2);
        be[i] = B[row * 8 + groupID];
    }
    uint32_t a[4], b[2];
    float c[4], d[4];
    for (int i = 0; i < 4; ++i) a[i] = kiln::pack_bf16(ae[2 * i], ae[2 * i + 1]);
    for (int i = 0; i < 2; ++i) b[i] = kiln::pack_bf16(be[2 * i], be[2 * i + 1]);
    for (int i = 0; i < 4; ++i) c[i] = C[(groupID + 8 * (i / 2)) * 8 + tig * 2 + (i & 1)];
    kiln::mma_m16n8k16_bf16(d, a, b, c);
    for (int i = 0; i < 4; ++i) D[(groupID + 8 * (i / 2)) * 8 + tig * 2 + (i & 1)] = d[i];
}

// Four 8x8 bf16 matrices stored as a 32-row, 8-column array (matrix i = rows
// 8i..8i+7), copied to shared memory; lane l points at row l. Writes every
// lane's 4 registers to out[lane*4 + i] (plain and .trans).
__global__ void ldmatrix_probe(const bf16* src, uint32_t* out, uint32_t* out_t) {
    KILN_SHARED(bf16, s, 32 * 8);
    const int lane = threadIdx.x;
    for (int j = 0; j < 8; ++j) s[lane * 8 + j] = src[lane * 8 + j];
    __syncwarp();
    uint32_t r[4], rt[4];
    kiln::ldmatrix_x4(r, s + lane * 8);
    kiln::ldmatrix_x4_trans(rt, s + lane * 8);
    for (int i = 0; i < 4; ++i) {
        out[lane * 4 + i] = r[i];
        out_t[lane * 4 + i] = rt[i];
    }
}

TEST(gemm_cvt_tf32_rounding) {
    auto bits = [](float x) { return kiln::float_to_bits(x); };
    // 1 + 2^-11 is halfway between tf32 neighbours: ties go away from zero.
    CHECK(kiln::tf32_round_bits(1.0f + 0x1p-11f) == bits(1.0f + 0x1p-10f));
    CHECK(kiln::tf32_round_bits(-(1.0f + 0x1p-11f)) == bits(-(1.0f + 0x1p-10f)));
    CHECK(kiln::tf32_round_bits(1.0f + 0x1p-11f - 0x1p-23f) == bits(1.0f));
    CHECK(kiln::tf32_round_bits(1.0f + 0x1p-10f + 0x1p-11f) == bits(1.0f + 0x1p-9f));
    CHECK(kiln::tf32_round_bits(3.0f) == bits(3.0f));
    CHECK((kiln::tf32_round_bits(0.1f) & 0x1fffu) == 0u);
    CHECK(kiln::tf32_round_bits(0x1.fffffep127f) == 0x7f800000u);  // rounds up to +inf
    CHECK(std::isnan(kiln::bits_to_float(kiln::tf32_round_bits(NAN))));
    CHECK(kiln::tf32_round_bits(INFINITY) == bits(INFINITY));
}

TEST(gemm_mma_m16n8k8_tf32_wrapper) {
    kt::Rng rng(11);
    for (int trial = 0; trial < 3; ++trial) {
        auto A = kt::random_vec(rng, 16 * 8), B = kt::random_vec(rng, 8 * 8),
             C = kt::random_vec(rng, 16 * 8);
        std::vector<float> D(16 * 8, NAN), want(16 * 8);
        for (int m = 0; m < 16; ++m)
            for (int n = 0; n < 8; ++n) {
                double s = C[m * 8 + n];
                for (int k = 0; k < 8; ++k) s += (double)tf32_rna(A[m * 8 + k]) * tf32_rna(B[k * 8 + n]);
                want[m * 8 + n] = (float)s;
            }
        LAUNCH(mma_tf32_probe, dim3(1), dim3(32), 0, A.data(), B.data(), C.data(), D.data());
        CHECK_CLOSE(D, want, 1e-6f, 1e-6f, "mma tf32 trial " + std::to_string(trial));
    }
}

TEST(gemm_mma_m16n8k16_bf16_wrapper) {
    kt::Rng rng(12);
    for (int trial = 0; trial < 3; ++trial) {
        std::vector<bf16> A(16 * 16), B(16 * 8);
        std::vector<float> Af(16 * 16), Bf(16 * 8);
        for (int i = 0; i < 256; ++i) { A[i] = __float2bfloat16(rng.uniform(-2, 2)); Af[i] = __bfloat162float(A[i]); }
        for (int i = 0; i < 128; ++i) { B[i] = __float2bfloat16(rng.uniform(-2, 2)); Bf[i] = __bfloat162float(B[i]); }
        auto C = kt::random_vec(rng, 16 * 8);
        std::vector<float> D(16 * 8, NAN), want(16 * 8);
        for (int m = 0; m < 16; ++m)
            for (int n = 0; n < 8; ++n) {
                double s = C[m * 8 + n];
                for (int k = 0; k < 16; ++k) s += (double)Af[m * 16 + k] * Bf[k * 8 + n];
                want[m * 8 + n] = (float)s;
            }
        LAUNCH(mma_bf16_probe, dim3(1), dim3(32), 0, A.data(), B.data(), C.data(), D.data());
        CHECK_CLOSE(D, want, 1e-6f, 1e-6f, "mma bf16 trial " + std::to_string(trial));
    }
}

TEST(gemm_ldmatrix_x4_wrapper) {
    std::vector<bf16> src(32 * 8);
    for (int i = 0; i < 256; ++i) src[i] = __float2bfloat16((float)i);  // exact in bf16
    std::vector<uint32_t> out(128, 0xdeadbeefu), out_t(128, 0xdeadbeefu);
    LAUNCH(ldmatrix_probe, dim3(1), dim3(32), 0, src.data(), out.data(), out_t.data());
    auto val = [&](int mat, int row, int col) { return (float)(mat * 64 + row * 8 + col); };
    int bad = 0;
    for (int lane = 0; lane < 32; ++lane)
        for (int i = 0; i < 4; ++i) {
            const uint32_t r = out[lane * 4 + i], rt = out_t[lane * 4 + i];
            const float lo = kiln::bits_to_float(r << 16), hi = kiln::bits_to_float(r & 0xffff0000u);
            const float tlo = kiln::bits_to_float(rt << 16), thi = kiln::bits_to_float(rt & 0xffff0000u);
            // Plain: row lane/4, columns 2*(lane%4) and +1 of matrix i.
            if (lo != val(i, lane / 4, 2 * (lane % 4)) || hi != val(i, lane / 4, 2 * (lane % 4) + 1)) ++bad;
            // Transposed: element (lane/4, 2*(lane%4)+j) of the transpose = (2*(lane%4)+j, lane/4).
            if (tlo != val(i, 2 * (lane % 4), lane / 4) || thi != val(i, 2 * (lane % 4) + 1, lane / 4)) ++bad;
        }
    CHECK_MSG(bad == 0, std::to_string(bad) + " ldmatrix registers wrong");
}

// --------------------------------------------------------------------------
// gemm entry points against the CPU reference.
// --------------------------------------------------------------------------
enum class Kind { F32, TF32, BF16, BF16F32 };

struct Variant {
    const char* name;
    Kind kind;
    int align;    // leading dims and batch strides rounded to this (4: ALIGN4, 8: ALIGN8)
    int bm, bn;   // block tile
    unsigned threads;
    void (*f32)(const float*, const float*, float*, const float*, int, int, int, int, int, int,
                long long, long long, long long, float, float, int, int, int);
    void (*bf)(const bf16*, const bf16*, bf16*, const bf16*, int, int, int, int, int, int,
               long long, long long, long long, float, float, int, int, int);
    void (*bff)(const bf16*, const bf16*, float*, const float*, int, int, int, int, int, int,
                long long, long long, long long, float, float, int, int, int);
};

const Variant kNaive{"naive_f32", Kind::F32, 1, 16, 16, 256, kiln_gemm_naive_f32, nullptr, nullptr};
const Variant kSimt{"simt_f32", Kind::F32, 1, 128, 128, 256, kiln_gemm_simt_f32, nullptr, nullptr};
const Variant kSimtV4{"simtv4_f32", Kind::F32, 4, 128, 128, 256, kiln_gemm_simtv4_f32, nullptr, nullptr};
const Variant kTf32{"tf32_f32", Kind::TF32, 1, 128, 128, 256, kiln_gemm_tf32_f32, nullptr, nullptr};
const Variant kTf32V4{"tf32v4_f32", Kind::TF32, 4, 128, 128, 256, kiln_gemm_tf32v4_f32, nullptr, nullptr};
const Variant kMma{"mma_bf16", Kind::BF16, 1, 128, 128, 256, nullptr, kiln_gemm_mma_bf16, nullptr};
const Variant kMmaF32{"mmaf32_bf16", Kind::BF16F32, 1, 128, 128, 256, nullptr, nullptr, kiln_gemm_mmaf32_bf16};
const Variant kMmaV8{"mmav8_bf16", Kind::BF16, 8, 128, 128, 256, nullptr, kiln_gemm_mmav8_bf16, nullptr};
const Variant kMmaV8F32{"mmav8f32_bf16", Kind::BF16F32, 8, 128, 128, 256, nullptr, nullptr, kiln_gemm_mmav8f32_bf16};
// wgmma: under the emulator, against mma.cuh's per-thread wgmma emulation.
const Variant kWgmma{"wgmma_bf16", Kind::BF16, 1, 64, 128, 128, nullptr, kiln_gemm_wgmma_bf16, nullptr};
const Variant kWgmmaF32{"wgmmaf32_bf16", Kind::BF16F32, 1, 64, 128, 128, nullptr, nullptr, kiln_gemm_wgmmaf32_bf16};

struct Case {
    int M, N, K;
    int transA = 0, transB = 0;
    int batch = 1;
    float alpha = 1.0f, beta = 0.0f;
    bool bias = false;
    int act = 0;
    int pad = 0;        // extra elements per row of A, B and C (kept a multiple of 4 for ALIGN4)
    int gap = 0;        // extra elements between batch entries
    bool bcastB = false;  // strideB = 0: one B for the whole batch
};

std::string describe(const Variant& v, const Case& c) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%s M=%d N=%d K=%d tA=%d tB=%d batch=%d alpha=%g beta=%g bias=%d act=%d pad=%d gap=%d bcastB=%d",
                  v.name, c.M, c.N, c.K, c.transA, c.transB, c.batch, c.alpha, c.beta, (int)c.bias,
                  c.act, c.pad, c.gap, (int)c.bcastB);
    return buf;
}

double act_ref(double v, int act) {
    if (act == 1) return v > 0 ? v : 0;
    if (act == 2) return 0.5 * v * (1.0 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
    return v;
}

constexpr float kSentinel = 12345.0f;

// Runs one case; returns false (after reporting) on mismatch.
bool run_case(const Variant& v, const Case& c, uint64_t seed) {
    kt::Rng rng(seed);
    const bool isbf = v.kind == Kind::BF16 || v.kind == Kind::BF16F32;
    const int rowsA = c.transA ? c.K : c.M, colsA = c.transA ? c.M : c.K;
    const int rowsB = c.transB ? c.N : c.K, colsB = c.transB ? c.K : c.N;
    auto round4 = [&](int x) { return (x + v.align - 1) / v.align * v.align; };
    const int lda = round4(colsA + c.pad), ldb = round4(colsB + c.pad), ldc = round4(c.N + c.pad);
    const long long sA = round4(rowsA * lda + c.gap), sB = c.bcastB ? 0 : round4(rowsB * ldb + c.gap),
                    sC = round4(c.M * ldc + c.gap);
    const size_t nA = sA * (c.batch - 1) + (size_t)rowsA * lda;
    const size_t nB = sB * (c.batch - 1) + (size_t)rowsB * ldb;
    const size_t nC = sC * (c.batch - 1) + (size_t)c.M * ldc;

    // Inputs: random everywhere, padding included (a kernel that reads
    // padding gets a wrong answer). Af/Bf hold exactly what the kernel sees.
    std::vector<float> Af = kt::random_vec(rng, nA), Bf = kt::random_vec(rng, nB);
    std::vector<float> bias = kt::random_vec(rng, c.N);
    std::vector<float> C0(nC, kSentinel);
    std::vector<bool> inC(nC, false);
    for (int b = 0; b < c.batch; ++b)
        for (int m = 0; m < c.M; ++m)
            for (int n = 0; n < c.N; ++n) {
                const size_t i = b * sC + (size_t)m * ldc + n;
                inC[i] = true;
                C0[i] = c.beta == 0.0f ? NAN : rng.uniform(-2, 2);
            }
    if (isbf) {
        for (auto& x : Af) x = bf16_round(x);
        for (auto& x : Bf) x = bf16_round(x);
    }
    if (v.kind == Kind::BF16)  // C and bias are bf16 too
        for (auto* vec : {&C0, &bias})
            for (auto& x : *vec) x = std::isnan(x) ? x : bf16_round(x);

    // Reference. tf32: the kernel rounds operands with cvt.rna, so does this.
    auto opA = [&](int b, int m, int k) {
        const float x = c.transA ? Af[b * sA + (size_t)k * lda + m] : Af[b * sA + (size_t)m * lda + k];
        return v.kind == Kind::TF32 ? tf32_rna(x) : x;
    };
    auto opB = [&](int b, int k, int n) {
        const float x = c.transB ? Bf[b * sB + (size_t)n * ldb + k] : Bf[b * sB + (size_t)k * ldb + n];
        return v.kind == Kind::TF32 ? tf32_rna(x) : x;
    };
    std::vector<double> want(nC, 0.0), tol(nC, 0.0);
    const bool out_bf16 = v.kind == Kind::BF16;
    for (int b = 0; b < c.batch; ++b)
        for (int m = 0; m < c.M; ++m)
            for (int n = 0; n < c.N; ++n) {
                double s = 0, mag = 0;
                for (int k = 0; k < c.K; ++k) {
                    const double p = (double)opA(b, m, k) * opB(b, k, n);
                    s += p;
                    mag += std::fabs(p);
                }
                const size_t i = b * sC + (size_t)m * ldc + n;
                double pre = c.alpha * s;
                mag = std::fabs(c.alpha) * mag;
                if (c.beta != 0.0f) { pre += (double)c.beta * C0[i]; mag += std::fabs(c.beta * C0[i]); }
                if (c.bias) { pre += bias[n]; mag += std::fabs(bias[n]); }
                want[i] = act_ref(pre, c.act);
                // fp32 accumulation over K terms, gelu slope <= 1.13, bf16 output rounding.
                tol[i] = 1.2 * (2e-5 * mag + 1e-6) + (out_bf16 ? 0x1p-8 * std::fabs(want[i]) : 0.0);
            }

    // Launch.
    const dim3 grid((c.N + v.bn - 1) / v.bn, (c.M + v.bm - 1) / v.bm, c.batch);
    const dim3 block(v.threads);
    std::vector<float> got(nC);
    // Under the sanitizer, C is unwritten device memory wherever the kernel
    // must not read it: everywhere when beta == 0, the padding otherwise.
    auto mark_unread = [&](auto& C) {
        for (size_t i = 0; i < nC; ++i)
            if (c.beta == 0.0f || !inC[i])
                kiln::emu::san::mark_uninitialized(&C[i], sizeof(C[i]));
    };
    if (!isbf) {
        std::vector<float> C = C0;
        mark_unread(C);
        LAUNCH(v.f32, grid, block, 0, Af.data(), Bf.data(), C.data(), c.bias ? bias.data() : nullptr,
               c.M, c.N, c.K, lda, ldb, ldc, sA, sB, sC, c.alpha, c.beta, c.transA, c.transB, c.act);
        got = C;
    } else {
        std::vector<bf16> A16(nA), B16(nB);
        for (size_t i = 0; i < nA; ++i) A16[i] = __float2bfloat16(Af[i]);
        for (size_t i = 0; i < nB; ++i) B16[i] = __float2bfloat16(Bf[i]);
        if (v.kind == Kind::BF16) {
            std::vector<bf16> C(nC), bias16(c.N);
            for (size_t i = 0; i < nC; ++i) C[i] = __float2bfloat16(C0[i]);
            for (int n = 0; n < c.N; ++n) bias16[n] = __float2bfloat16(bias[n]);
            mark_unread(C);
            LAUNCH(v.bf, grid, block, 0, A16.data(), B16.data(), C.data(), c.bias ? bias16.data() : nullptr,
                   c.M, c.N, c.K, lda, ldb, ldc, sA, sB, sC, c.alpha, c.beta, c.transA, c.transB, c.act);
            for (size_t i = 0; i < nC; ++i) got[i] = __bfloat162float(C[i]);
        } else {
            std::vector<float> C = C0;
            mark_unread(C);
            LAUNCH(v.bff, grid, block, 0, A16.data(), B16.data(), C.data(), c.bias ? bias.data() : nullptr,
                   c.M, c.N, c.K, lda, ldb, ldc, sA, sB, sC, c.alpha, c.beta, c.transA, c.transB, c.act);
            got = C;
        }
    }

    int bad = 0;
    for (size_t i = 0; i < nC; ++i) {
        const bool ok = inC[i] ? (!std::isnan(got[i]) && std::fabs(got[i] - want[i]) <= tol[i])
                               : (got[i] == C0[i]);  // outside the matrix: untouched
        if (!ok && bad++ < 3) {
            char buf[160];
            std::snprintf(buf, sizeof buf, " [%zu]%s got %.9g want %.9g tol %.3g", i,
                          inC[i] ? "" : " (padding)", got[i], inC[i] ? want[i] : (double)C0[i], tol[i]);
            kt::report(__FILE__, __LINE__, describe(v, c) + buf);
        }
    }
    return bad == 0;
}

const int kDims[] = {1, 17, 33, 129};

// Shapes: every (M, N, K) in kDims^3 for the cheap kernels; for the
// tensor-core ones (each mma is a warp exchange in the emulator) a set that
// still puts every size in every position.
std::vector<Case> shape_cases(bool all) {
    std::vector<Case> out;
    if (all) {
        for (int M : kDims)
            for (int N : kDims)
                for (int K : kDims) out.push_back({M, N, K});
    } else {
        const int S[][3] = {{1, 1, 1},    {17, 33, 129}, {129, 17, 33}, {33, 129, 17},
                            {129, 1, 33},  {1, 129, 33}, {17, 17, 1},   {33, 1, 17},
                            {129, 129, 17}};
        for (auto& s : S) out.push_back({s[0], s[1], s[2]});
    }
    return out;
}

// Epilogue / batching cases on one ragged shape.
std::vector<Case> epilogue_cases(int M, int N, int K) {
    std::vector<Case> out;
    Case c{M, N, K};
    c.batch = 3; c.alpha = 0.5f; c.beta = -1.5f; c.pad = 4; c.gap = 8;
    out.push_back(c);                                            // alpha/beta, batch, padding
    c.bias = true; c.act = 1; c.transA = 1;
    out.push_back(c);                                            // + bias + relu
    c.beta = 0.0f; c.act = 2; c.transA = 0; c.transB = 1;
    out.push_back(c);                                            // bias + gelu, NaN-poisoned C
    c.bcastB = true; c.alpha = -2.0f; c.beta = 1.0f; c.act = 0; c.transA = 1;
    out.push_back(c);                                            // B shared across the batch
    Case z{M, N, 0};
    z.beta = 0.5f; z.bias = true; z.act = 1;
    out.push_back(z);                                            // K = 0: act(beta*C + bias)
    return out;
}

void sweep(const Variant& v, bool all_shapes, int epi_M, int epi_N, int epi_K) {
    uint64_t seed = 1000;
    int failed = 0, run = 0;
    for (Case c : shape_cases(all_shapes))
        for (int t = 0; t < 4; ++t) {
            c.transA = t & 1;
            c.transB = t >> 1;
            ++run;
            if (!run_case(v, c, seed++)) ++failed;
        }
    for (const Case& c : epilogue_cases(epi_M, epi_N, epi_K)) {
        ++run;
        if (!run_case(v, c, seed++)) ++failed;
    }
    CHECK_MSG(failed == 0, std::string(v.name) + ": " + std::to_string(failed) + " of " +
                               std::to_string(run) + " cases failed");
}

}  // namespace

TEST(gemm_naive_f32) { sweep(kNaive, true, 33, 17, 129); }
TEST(gemm_simt_f32) { sweep(kSimt, true, 129, 33, 17); }
TEST(gemm_simtv4_f32) { sweep(kSimtV4, true, 33, 129, 33); }
TEST(gemm_tf32_f32) { sweep(kTf32, false, 33, 17, 33); }
TEST(gemm_tf32v4_f32) { sweep(kTf32V4, false, 17, 33, 33); }
TEST(gemm_mma_bf16) { sweep(kMma, false, 33, 17, 33); }
TEST(gemm_mmaf32_bf16) { sweep(kMmaF32, false, 17, 33, 33); }
TEST(gemm_mmav8_bf16) { sweep(kMmaV8, false, 33, 65, 17); }
TEST(gemm_mmav8f32_bf16) { sweep(kMmaV8F32, false, 65, 33, 40); }
TEST(gemm_wgmma_bf16) { sweep(kWgmma, false, 65, 17, 33); }
TEST(gemm_wgmmaf32_bf16) { sweep(kWgmmaF32, false, 17, 129, 65); }

// The v4 kernels under ALIGN4 and the scalar ones must agree bit for bit
// (tf32v4 is a different pipeline: cp.async and rounding at fragment load).
TEST(gemm_v4_matches_scalar_bitwise) {
    kt::Rng rng(77);
    const int M = 37, N = 70, K = 41, ld = 72;  // ld covers every stored shape
    auto A = kt::random_vec(rng, ld * ld), B = kt::random_vec(rng, ld * ld);
    auto C0 = kt::random_vec(rng, M * ld), bias = kt::random_vec(rng, N);
    for (auto pair : {std::make_pair(&kSimt, &kSimtV4), std::make_pair(&kTf32, &kTf32V4)})
        for (int tr = 0; tr < 4; ++tr) {
            std::vector<float> C1 = C0, C2 = C0;
            LAUNCH(pair.first->f32, dim3(1, 1, 1), dim3(256), 0, A.data(), B.data(), C1.data(), bias.data(),
                   M, N, K, ld, ld, ld, 0LL, 0LL, 0LL, 0.75f, 0.25f, tr & 1, tr >> 1, 2);
            LAUNCH(pair.second->f32, dim3(1, 1, 1), dim3(256), 0, A.data(), B.data(), C2.data(), bias.data(),
                   M, N, K, ld, ld, ld, 0LL, 0LL, 0LL, 0.75f, 0.25f, tr & 1, tr >> 1, 2);
            CHECK_MSG(std::memcmp(C1.data(), C2.data(), C1.size() * 4) == 0,
                      std::string(pair.second->name) + " differs from " + pair.first->name +
                          " (transA=" + std::to_string(tr & 1) + ", transB=" + std::to_string(tr >> 1) + ")");
        }
}
