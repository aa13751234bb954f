// Host tests of kernels/src/attention.cu against an explicit double-precision
// softmax(Q Kᵀ scale + mask) V and its analytic gradient.
#include "../src/attention.cu"

#include "kt.h"

namespace {

using bf16 = __nv_bfloat16;

struct Shape {
  int b, h, lq, lk, d;
  long long qn() const { return 1LL * b * h * lq * d; }
  long long kn() const { return 1LL * b * h * lk * d; }
  long long rows() const { return 1LL * b * h * lq; }
};

struct Ref {
  std::vector<float> o, lse, dq, dk, dv;
};

// Explicit attention with masks; gradients of sum(O ∘ dO) when dout is given.
Ref reference(const Shape& s, const std::vector<float>& q, const std::vector<float>& k,
              const std::vector<float>& v, const std::vector<float>* dout,
              const std::vector<int>& kv_len, bool causal, double scale) {
  Ref r;
  r.o.assign(s.qn(), 0.f);
  r.lse.assign(s.rows(), -INFINITY);
  r.dq.assign(s.qn(), 0.f);
  r.dk.assign(s.kn(), 0.f);
  r.dv.assign(s.kn(), 0.f);
  std::vector<double> dk(s.kn(), 0.0), dv(s.kn(), 0.0);
  const int D = s.d;
  for (int b = 0; b < s.b; ++b)
    for (int h = 0; h < s.h; ++h) {
      const long long bh = 1LL * b * s.h + h;
      const float* Q = q.data() + bh * s.lq * D;
      const float* K = k.data() + bh * s.lk * D;
      const float* V = v.data() + bh * s.lk * D;
      const int klim = std::min(std::max(kv_len.empty() ? s.lk : kv_len[b], 0), s.lk);
      for (int i = 0; i < s.lq; ++i) {
        std::vector<double> sc(s.lk, -INFINITY), p(s.lk, 0.0);
        double mx = -INFINITY;
        for (int j = 0; j < s.lk; ++j) {
          if (j >= klim || (causal && j > i)) continue;
          double acc = 0;
          for (int c = 0; c < D; ++c) acc += double(Q[i * D + c]) * K[j * D + c];
          sc[j] = acc * scale;
          mx = std::max(mx, sc[j]);
        }
        if (mx == -INFINITY) continue;  // no visible key: O = 0, lse = -inf
        double sum = 0;
        for (int j = 0; j < s.lk; ++j) sum += (p[j] = sc[j] == -INFINITY ? 0.0 : std::exp(sc[j] - mx));
        for (int j = 0; j < s.lk; ++j) p[j] /= sum;
        r.lse[bh * s.lq + i] = static_cast<float>(mx + std::log(sum));
        std::vector<double> o(D, 0.0);
        for (int j = 0; j < s.lk; ++j)
          for (int c = 0; c < D; ++c) o[c] += p[j] * V[j * D + c];
        for (int c = 0; c < D; ++c) r.o[(bh * s.lq + i) * D + c] = static_cast<float>(o[c]);
        if (!dout) continue;
        const float* G = dout->data() + (bh * s.lq + i) * D;
        double delta = 0;
        for (int c = 0; c < D; ++c) delta += double(G[c]) * o[c];
        std::vector<double> dq(D, 0.0);
        for (int j = 0; j < s.lk; ++j) {
          if (p[j] == 0.0) continue;
          double dp = 0;
          for (int c = 0; c < D; ++c) dp += double(G[c]) * V[j * D + c];
          const double ds = p[j] * (dp - delta);
          for (int c = 0; c < D; ++c) {
            dq[c] += scale * ds * K[j * D + c];
            dk[(bh * s.lk + j) * D + c] += scale * ds * Q[i * D + c];
            dv[(bh * s.lk + j) * D + c] += p[j] * G[c];
          }
        }
        for (int c = 0; c < D; ++c) r.dq[(bh * s.lq + i) * D + c] = static_cast<float>(dq[c]);
      }
    }
  for (long long i = 0; i < s.kn(); ++i) {
    r.dk[i] = static_cast<float>(dk[i]);
    r.dv[i] = static_cast<float>(dv[i]);
  }
  return r;
}

using FwdF32 = void (*)(const float*, const float*, const float*, float*, float*, const int*, int,
                        int, int, float, int);
using DqF32 = void (*)(const float*, const float*, const float*, const float*, const float*,
                       const float*, float*, const int*, int, int, int, float, int);
using DkdvF32 = void (*)(const float*, const float*, const float*, const float*, const float*,
                         const float*, float*, float*, const int*, int, int, int, float, int);
using FwdBf16 = void (*)(const bf16*, const bf16*, const bf16*, bf16*, float*, const int*, int,
                         int, int, float, int);

using DqBf16 = void (*)(const bf16*, const bf16*, const bf16*, const bf16*, const float*,
                        const float*, float*, const int*, int, int, int, float, int);
using DkdvBf16 = void (*)(const bf16*, const bf16*, const bf16*, const bf16*, const float*,
                          const float*, float*, float*, const int*, int, int, int, float, int);

struct Kernels {
  FwdF32 fwd;
  DqF32 dq;
  DkdvF32 dkdv;
  FwdBf16 mma;
  int br;
  DqBf16 mma_dq;
  DkdvBf16 mma_dkdv;
  int mma_rows;  // owned rows per block of the bf16 backward (its block is 2·mma_rows threads)
};

Kernels kernels_for(int d) {
  if (d == 32)
    return {kiln_attention_forward_d32_f32, kiln_attention_backward_dq_d32_f32,
            kiln_attention_backward_dkdv_d32_f32, kiln_attention_forward_mma_d32_bf16, 32,
            kiln_attention_backward_dq_mma_d32_bf16, kiln_attention_backward_dkdv_mma_d32_bf16, 64};
  if (d == 64)
    return {kiln_attention_forward_d64_f32, kiln_attention_backward_dq_d64_f32,
            kiln_attention_backward_dkdv_d64_f32, kiln_attention_forward_mma_d64_bf16, 32,
            kiln_attention_backward_dq_mma_d64_bf16, kiln_attention_backward_dkdv_mma_d64_bf16, 64};
  return {kiln_attention_forward_d128_f32, kiln_attention_backward_dq_d128_f32,
          kiln_attention_backward_dkdv_d128_f32, kiln_attention_forward_mma_d128_bf16, 16,
          kiln_attention_backward_dq_mma_d128_bf16, kiln_attention_backward_dkdv_mma_d128_bf16, 32};
}

unsigned tiles(int n, int t) { return static_cast<unsigned>((n + t - 1) / t); }

// delta = rowsum(O ∘ dO) in double, from the O the kernels saw.
std::vector<float> delta_ref(const std::vector<float>& o, const std::vector<float>& go, long long rows, int d) {
  std::vector<float> out(rows);
  for (long long r = 0; r < rows; ++r) {
    double a = 0;
    for (int c = 0; c < d; ++c) a += double(o[r * d + c]) * go[r * d + c];
    out[r] = static_cast<float>(a);
  }
  return out;
}

std::string name_of(const Shape& s, bool causal, const std::vector<int>& kv_len) {
  std::string n = "B" + std::to_string(s.b) + " H" + std::to_string(s.h) + " Lq" +
                  std::to_string(s.lq) + " Lk" + std::to_string(s.lk) + " D" +
                  std::to_string(s.d) + (causal ? " causal" : "");
  if (!kv_len.empty()) {
    n += " kv_len";
    for (int x : kv_len) n += " " + std::to_string(x);
  }
  return n;
}

struct Case {
  int lq, lk;
  bool causal;
  int kv1;  // kv_len of batch 1 (-1: no kv_len array)
};

void run_f32(int d, const Case& cs, kt::Rng& rng) {
  const Shape s{2, 2, cs.lq, cs.lk, d};
  std::vector<int> kv_len;
  if (cs.kv1 >= 0) kv_len = {cs.lk, cs.kv1};
  const float scale = 1.f / std::sqrt(float(d));
  auto q = kt::random_vec(rng, s.qn(), -2.f, 2.f);
  auto k = kt::random_vec(rng, s.kn(), -2.f, 2.f);
  auto v = kt::random_vec(rng, s.kn());
  auto go = kt::random_vec(rng, s.qn());
  const Ref want = reference(s, q, k, v, &go, kv_len, cs.causal, scale);
  const Kernels kn = kernels_for(d);
  const int* kvp = kv_len.empty() ? nullptr : kv_len.data();
  const std::string what = name_of(s, cs.causal, kv_len);

  auto o = kt::nan_vec(s.qn()), lse = kt::nan_vec(s.rows());
  LAUNCH(kn.fwd, dim3(tiles(s.lq, kn.br), s.h, s.b), dim3(128), 0, q.data(), k.data(), v.data(),
         o.data(), lse.data(), kvp, s.h, s.lq, s.lk, scale, int(cs.causal));
  CHECK_CLOSE(o, want.o, 1e-4f, 2e-5f, what + " O");
  CHECK_CLOSE(lse, want.lse, 1e-5f, 1e-5f, what + " lse");

  auto delta = kt::nan_vec(s.rows());
  LAUNCH(kiln_attention_backward_delta_f32, dim3(tiles(int(s.rows()), 8)), dim3(32, 8), 0,
         o.data(), go.data(), delta.data(), s.rows(), d);
  CHECK_CLOSE(delta, delta_ref(o, go, s.rows(), d), 1e-5f, 1e-5f, what + " delta");

  auto dq = kt::nan_vec(s.qn()), dk = kt::nan_vec(s.kn()), dv = kt::nan_vec(s.kn());
  LAUNCH(kn.dq, dim3(tiles(s.lq, kn.br), s.h, s.b), dim3(128), 0, q.data(), k.data(), v.data(),
         go.data(), lse.data(), delta.data(), dq.data(), kvp, s.h, s.lq, s.lk, scale,
         int(cs.causal));
  LAUNCH(kn.dkdv, dim3(tiles(s.lk, kn.br), s.h, s.b), dim3(128), 0, q.data(), k.data(),
         v.data(), go.data(), lse.data(), delta.data(), dk.data(), dv.data(), kvp, s.h, s.lq,
         s.lk, scale, int(cs.causal));
  CHECK_CLOSE(dq, want.dq, 1e-3f, 1e-4f, what + " dQ");
  CHECK_CLOSE(dk, want.dk, 1e-3f, 1e-4f, what + " dK");
  CHECK_CLOSE(dv, want.dv, 1e-3f, 1e-4f, what + " dV");
}

// Rounds x to bf16 in place and returns the bf16 copy.
std::vector<bf16> round_bf16(std::vector<float>& x) {
  std::vector<bf16> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    y[i] = __float2bfloat16(x[i]);
    x[i] = __bfloat162float(y[i]);
  }
  return y;
}

// bf16 forward, then (backward) the bf16 delta, dQ and dK/dV kernels on the
// forward's own bf16 O and lse, against the double reference of the
// bf16-rounded inputs.
void run_bf16(int d, const Case& cs, kt::Rng& rng, bool backward = false) {
  const Shape s{2, 2, cs.lq, cs.lk, d};
  std::vector<int> kv_len;
  if (cs.kv1 >= 0) kv_len = {cs.lk, cs.kv1};
  const float scale = 1.f / std::sqrt(float(d));
  auto q = kt::random_vec(rng, s.qn(), -2.f, 2.f);
  auto k = kt::random_vec(rng, s.kn(), -2.f, 2.f);
  auto v = kt::random_vec(rng, s.kn());
  auto go = kt::random_vec(rng, s.qn());
  std::vector<bf16> q16 = round_bf16(q), k16 = round_bf16(k), v16 = round_bf16(v), g16 = round_bf16(go);
  const Ref want = reference(s, q, k, v, backward ? &go : nullptr, kv_len, cs.causal, scale);
  const Kernels kn = kernels_for(d);
  std::vector<bf16> o16(s.qn(), __float2bfloat16(NAN));
  auto lse = kt::nan_vec(s.rows());
  LAUNCH(kn.mma, dim3(tiles(s.lq, 64), s.h, s.b), dim3(128), 0, q16.data(), k16.data(),
         v16.data(), o16.data(), lse.data(), kv_len.empty() ? nullptr : kv_len.data(), s.h,
         s.lq, s.lk, scale, int(cs.causal));
  std::vector<float> o(s.qn());
  for (long long i = 0; i < s.qn(); ++i) o[i] = __bfloat162float(o16[i]);
  const std::string what = "bf16 " + name_of(s, cs.causal, kv_len);
  // P is rounded to bf16 (2^-9 relative) before P V and O is stored in bf16.
  CHECK_CLOSE(o, want.o, 1.6e-2f, 8e-3f, what + " O");
  CHECK_CLOSE(lse, want.lse, 1e-5f, 1e-4f, what + " lse");
  if (!backward) return;

  const int* kvp = kv_len.empty() ? nullptr : kv_len.data();
  auto delta = kt::nan_vec(s.rows());
  LAUNCH(kiln_attention_backward_delta_bf16, dim3(tiles(int(s.rows()), 8)), dim3(32, 8), 0,
         o16.data(), g16.data(), delta.data(), s.rows(), d);
  CHECK_CLOSE(delta, delta_ref(o, go, s.rows(), d), 1e-5f, 1e-5f, what + " delta");
  auto dq = kt::nan_vec(s.qn()), dk = kt::nan_vec(s.kn()), dv = kt::nan_vec(s.kn());
  const dim3 block(2 * kn.mma_rows);
  LAUNCH(kn.mma_dq, dim3(tiles(s.lq, kn.mma_rows), s.h, s.b), block, 0, q16.data(), k16.data(),
         v16.data(), g16.data(), lse.data(), delta.data(), dq.data(), kvp, s.h, s.lq, s.lk, scale,
         int(cs.causal));
  LAUNCH(kn.mma_dkdv, dim3(tiles(s.lk, kn.mma_rows), s.h, s.b), block, 0, q16.data(), k16.data(),
         v16.data(), g16.data(), lse.data(), delta.data(), dk.data(), dv.data(), kvp, s.h, s.lq,
         s.lk, scale, int(cs.causal));
  // P and dS go through bf16 (2^-9 relative each) and delta comes from the bf16 O.
  CHECK_CLOSE(dq, want.dq, 3e-2f, 1.5e-2f, what + " dQ");
  CHECK_CLOSE(dk, want.dk, 3e-2f, 1.5e-2f, what + " dK");
  CHECK_CLOSE(dv, want.dv, 3e-2f, 1.5e-2f, what + " dV");
}

const Case kCases[] = {
    {1, 1, false, -1},  {17, 17, true, -1},  {33, 33, false, 20}, {100, 100, true, 71},
    {17, 33, false, 0}, {33, 17, true, 5},   {100, 37, false, 36},
};

}  // namespace

TEST(attention_f32_d32) {
  kt::Rng rng(501);
  for (const Case& c : kCases) run_f32(32, c, rng);
}

TEST(attention_f32_d64) {
  kt::Rng rng(502);
  for (const Case& c : kCases) run_f32(64, c, rng);
}

TEST(attention_f32_d128) {
  kt::Rng rng(503);
  run_f32(128, {33, 33, true, 20}, rng);
  run_f32(128, {17, 40, false, -1}, rng);
}

TEST(attention_mma_bf16_d32) {
  kt::Rng rng(511);
  for (const Case& c : kCases) run_bf16(32, c, rng);
}

TEST(attention_mma_bf16_d64) {
  kt::Rng rng(512);
  for (const Case& c : kCases) run_bf16(64, c, rng);
}

TEST(attention_mma_bf16_d128) {
  kt::Rng rng(513);
  run_bf16(128, {100, 100, true, 71}, rng);
}

TEST(attention_mma_bf16_backward_d32) {
  kt::Rng rng(514);
  for (const Case& c : kCases) run_bf16(32, c, rng, true);
}

TEST(attention_mma_bf16_backward_d64) {
  kt::Rng rng(515);
  for (const Case& c : kCases) run_bf16(64, c, rng, true);
}

TEST(attention_mma_bf16_backward_d128) {
  kt::Rng rng(516);
  run_bf16(128, {100, 100, true, 71}, rng, true);
  run_bf16(128, {17, 40, false, -1}, rng, true);
}

// Outputs of rows with no visible key are exactly 0 (lse -inf), and a second
// launch over poisoned outputs gives bit-identical results (deterministic
// backward, no atomics).
TEST(attention_fully_masked_and_deterministic) {
  kt::Rng rng(521);
  const Shape s{2, 2, 9, 13, 32};
  std::vector<int> kv_len = {0, 13};
  auto q = kt::random_vec(rng, s.qn()), k = kt::random_vec(rng, s.kn()),
       v = kt::random_vec(rng, s.kn()), go = kt::random_vec(rng, s.qn());
  auto o = kt::nan_vec(s.qn()), lse = kt::nan_vec(s.rows()), delta = kt::nan_vec(s.rows());
  LAUNCH(kiln_attention_forward_d32_f32, dim3(1, 2, 2), dim3(128), 0, q.data(), k.data(),
         v.data(), o.data(), lse.data(), kv_len.data(), 2, 9, 13, 0.3f, 0);
  for (long long i = 0; i < 2 * 9 * 32; ++i) CHECK(o[i] == 0.f);  // batch 0, both heads
  for (int i = 0; i < 18; ++i) CHECK(lse[i] == -INFINITY);
  LAUNCH(kiln_attention_backward_delta_f32, dim3(5), dim3(32, 8), 0, o.data(), go.data(),
         delta.data(), s.rows(), 32);
  std::vector<float> first[3];
  for (int rep = 0; rep < 2; ++rep) {
    auto dq = kt::nan_vec(s.qn()), dk = kt::nan_vec(s.kn()), dv = kt::nan_vec(s.kn());
    LAUNCH(kiln_attention_backward_dq_d32_f32, dim3(1, 2, 2), dim3(128), 0, q.data(), k.data(),
           v.data(), go.data(), lse.data(), delta.data(), dq.data(), kv_len.data(), 2, 9, 13,
           0.3f, 0);
    LAUNCH(kiln_attention_backward_dkdv_d32_f32, dim3(1, 2, 2), dim3(128), 0, q.data(),
           k.data(), v.data(), go.data(), lse.data(), delta.data(), dk.data(), dv.data(),
           kv_len.data(), 2, 9, 13, 0.3f, 0);
    for (long long i = 0; i < 2 * 9 * 32; ++i) CHECK(dq[i] == 0.f);
    for (long long i = 0; i < 2 * 13 * 32; ++i) CHECK(dk[i] == 0.f && dv[i] == 0.f);
    if (rep == 0) {
      first[0] = dq;
      first[1] = dk;
      first[2] = dv;
    } else {
      CHECK(std::memcmp(first[0].data(), dq.data(), dq.size() * 4) == 0);
      CHECK(std::memcmp(first[1].data(), dk.data(), dk.size() * 4) == 0);
      CHECK(std::memcmp(first[2].data(), dv.data(), dv.size() * 4) == 0);
    }
  }
  // lk == 0: O = 0, lse = -inf.
  auto o0 = kt::nan_vec(s.qn()), l0 = kt::nan_vec(s.rows());
  LAUNCH(kiln_attention_forward_d32_f32, dim3(1, 2, 2), dim3(128), 0, q.data(), k.data(),
         v.data(), o0.data(), l0.data(), static_cast<const int*>(nullptr), 2, 9, 0, 0.3f, 1);
  for (float x : o0) CHECK(x == 0.f);
  for (float x : l0) CHECK(x == -INFINITY);
  std::vector<bf16> q16(s.qn(), __float2bfloat16(0.5f)), o16(s.qn(), __float2bfloat16(NAN));
  auto l1 = kt::nan_vec(s.rows());
  LAUNCH(kiln_attention_forward_mma_d32_bf16, dim3(1, 2, 2), dim3(128), 0, q16.data(),
         q16.data(), q16.data(), o16.data(), l1.data(), static_cast<const int*>(nullptr), 2, 9,
         0, 0.3f, 0);
  for (bf16 x : o16) CHECK(__bfloat162float(x) == 0.f);
  for (float x : l1) CHECK(x == -INFINITY);
}
