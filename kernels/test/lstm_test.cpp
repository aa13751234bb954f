// Host tests of kernels/src/lstm.cu against per-step double-precision LSTM
// cell math, single steps and a short chained sequence with lengths.
#include "../src/lstm.cu"

#include "kt.h"

namespace {

double sig(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct StepRef {
  std::vector<float> h, c, gates;
};

// One forward step; t >= len[b] carries the state (len empty: no mask).
StepRef ref_forward(const std::vector<float>& gx, const std::vector<float>& gh,
                    const std::vector<float>* bias, const std::vector<float>* h_prev,
                    const std::vector<float>* c_prev, const std::vector<int>& len, int t,
                    long long B, long long H) {
  StepRef r;
  r.h.resize(B * H);
  r.c.resize(B * H);
  r.gates.assign(B * 4 * H, 0.f);
  for (long long b = 0; b < B; ++b)
    for (long long j = 0; j < H; ++j) {
      const long long e = b * H + j;
      const double cp = c_prev ? (*c_prev)[e] : 0.0;
      if (!len.empty() && t >= len[b]) {
        r.c[e] = static_cast<float>(cp);
        r.h[e] = h_prev ? (*h_prev)[e] : 0.f;
        continue;
      }
      double a[4];
      for (int q = 0; q < 4; ++q) {
        const long long k = b * 4 * H + q * H + j;
        a[q] = double(gx[k]) + gh[k] + (bias ? (*bias)[q * H + j] : 0.f);
      }
      const double i = sig(a[0]), f = sig(a[1]), g = std::tanh(a[2]), o = sig(a[3]);
      const double c = f * cp + i * g;
      r.c[e] = static_cast<float>(c);
      r.h[e] = static_cast<float>(o * std::tanh(c));
      const double act[4] = {i, f, g, o};
      for (int q = 0; q < 4; ++q) r.gates[b * 4 * H + q * H + j] = static_cast<float>(act[q]);
    }
  return r;
}

struct StepGrad {
  std::vector<float> d_gates, dc_prev, dh_carry;
};

StepGrad ref_backward(const std::vector<float>* dh_out, const std::vector<float>* dh_rec,
                      const std::vector<float>* dc_next, const std::vector<float>& gates,
                      const std::vector<float>* c_prev, const std::vector<float>& c,
                      const std::vector<int>& len, int t, long long B, long long H) {
  StepGrad r;
  r.d_gates.assign(B * 4 * H, 0.f);
  r.dc_prev.resize(B * H);
  r.dh_carry.assign(B * H, 0.f);
  for (long long b = 0; b < B; ++b)
    for (long long j = 0; j < H; ++j) {
      const long long e = b * H + j, k = b * 4 * H + j;
      const double dh = (dh_out ? (*dh_out)[e] : 0.0) + (dh_rec ? (*dh_rec)[e] : 0.0);
      const double dcn = dc_next ? (*dc_next)[e] : 0.0;
      if (!len.empty() && t >= len[b]) {
        r.dc_prev[e] = static_cast<float>(dcn);
        r.dh_carry[e] = static_cast<float>(dh);
        continue;
      }
      const double i = gates[k], f = gates[k + H], g = gates[k + 2 * H], o = gates[k + 3 * H];
      const double cp = c_prev ? (*c_prev)[e] : 0.0, tc = std::tanh(double(c[e]));
      const double dc = dcn + dh * o * (1 - tc * tc);
      r.d_gates[k] = static_cast<float>(dc * g * i * (1 - i));
      r.d_gates[k + H] = static_cast<float>(dc * cp * f * (1 - f));
      r.d_gates[k + 2 * H] = static_cast<float>(dc * i * (1 - g * g));
      r.d_gates[k + 3 * H] = static_cast<float>(dh * tc * o * (1 - o));
      r.dc_prev[e] = static_cast<float>(dc * f);
    }
  return r;
}

unsigned grid_of(long long n) { return kt::grid_for(n, 256, 8); }

const long long kBH[][2] = {{1, 1}, {3, 17}, {2, 129}, {5, 64}};

}  // namespace

TEST(lstm_cell_forward_backward) {
  kt::Rng rng(601);
  for (auto& bh : kBH) {
    const long long B = bh[0], H = bh[1], n = B * H, n4 = 4 * n;
    for (int variant = 0; variant < 2; ++variant) {
      const bool with_state = variant == 1;  // else zero initial state, no bias
      auto gx = kt::random_vec(rng, n4, -3.f, 3.f), gh = kt::random_vec(rng, n4);
      auto bias = kt::random_vec(rng, 4 * H), cp = kt::random_vec(rng, n);
      const std::vector<float>* bp = with_state ? &bias : nullptr;
      const std::vector<float>* cpp = with_state ? &cp : nullptr;
      const StepRef want = ref_forward(gx, gh, bp, nullptr, cpp, {}, 0, B, H);
      auto h = kt::nan_vec(n), c = kt::nan_vec(n), gates = kt::nan_vec(n4);
      const std::string what = std::to_string(B) + "x" + std::to_string(H) +
                               (with_state ? " bias+state" : " zero state");
      LAUNCH(kiln_lstm_cell_forward_f32, dim3(grid_of(n)), dim3(256), 0, gx.data(), gh.data(),
             bp ? bp->data() : nullptr, cpp ? cpp->data() : nullptr, h.data(), c.data(),
             gates.data(), B, H);
      CHECK_CLOSE(h, want.h, 1e-5f, 1e-6f, what + " h");
      CHECK_CLOSE(c, want.c, 1e-5f, 1e-6f, what + " c");
      CHECK_CLOSE(gates, want.gates, 1e-5f, 1e-6f, what + " gates");

      auto dh = kt::random_vec(rng, n), dhr = kt::random_vec(rng, n), dcn = kt::random_vec(rng, n);
      const StepGrad gw = ref_backward(&dh, with_state ? &dhr : nullptr,
                                       with_state ? &dcn : nullptr, gates, cpp, c, {}, 0, B, H);
      auto dg = kt::nan_vec(n4), dcp = kt::nan_vec(n);
      LAUNCH(kiln_lstm_cell_backward_f32, dim3(1), dim3(256), 0, dh.data(),
             with_state ? dhr.data() : nullptr, with_state ? dcn.data() : nullptr, gates.data(),
             cpp ? cpp->data() : nullptr, c.data(), dg.data(), dcp.data(), B, H);
      CHECK_CLOSE(dg, gw.d_gates, 1e-5f, 1e-6f, what + " d_gates");
      CHECK_CLOSE(dcp, gw.dc_prev, 1e-5f, 1e-6f, what + " dc_prev");
    }
  }
}

// Five steps of a sequence with lengths {5, 2, 0, 3}: the masked kernels
// chained through h, c (forward) and dc, dh (backward); the recurrent GEMM
// output is replaced by fixed random inputs, the recurrent gradient dh_rec by
// random inputs plus the carried dh, so the chaining of every state is tested.
TEST(lstm_cell_masked_sequence) {
  kt::Rng rng(602);
  const long long B = 4, H = 19, n = B * H, n4 = 4 * n;
  const int T = 5;
  std::vector<int> len = {5, 2, 0, 3};
  auto bias = kt::random_vec(rng, 4 * H);
  std::vector<std::vector<float>> gx(T), gh(T), dh_out(T), dh_rec(T);
  for (int t = 0; t < T; ++t) {
    gx[t] = kt::random_vec(rng, n4, -3.f, 3.f);
    gh[t] = kt::random_vec(rng, n4);
    dh_out[t] = kt::random_vec(rng, n);
    dh_rec[t] = kt::random_vec(rng, n);
  }
  auto h0 = kt::random_vec(rng, n), c0 = kt::random_vec(rng, n);
  // Forward: kernel and reference, each chained on its own outputs.
  std::vector<std::vector<float>> h(T + 1), c(T + 1), gates(T + 1);
  std::vector<StepRef> want(T + 1);
  h[0] = h0;
  c[0] = c0;
  want[0].h = h0;
  want[0].c = c0;
  for (int t = 0; t < T; ++t) {
    want[t + 1] = ref_forward(gx[t], gh[t], &bias, &want[t].h, &want[t].c, len, t, B, H);
    h[t + 1] = kt::nan_vec(n);
    c[t + 1] = kt::nan_vec(n);
    gates[t + 1] = kt::nan_vec(n4);
    LAUNCH(kiln_lstm_cell_forward_masked_f32, dim3(1), dim3(256), 0, gx[t].data(), gh[t].data(),
           bias.data(), h[t].data(), c[t].data(), h[t + 1].data(), c[t + 1].data(),
           gates[t + 1].data(), len.data(), t, B, H);
    const std::string what = "step " + std::to_string(t);
    CHECK_CLOSE(h[t + 1], want[t + 1].h, 1e-5f, 1e-6f, what + " h");
    CHECK_CLOSE(c[t + 1], want[t + 1].c, 1e-5f, 1e-6f, what + " c");
    CHECK_CLOSE(gates[t + 1], want[t + 1].gates, 1e-5f, 1e-6f, what + " gates");
  }
  // Backward from t = T-1 down to 0; dc and the carried dh flow between steps
  // (dc in place: dc_prev aliases dc_next).
  std::vector<float> dc = kt::random_vec(rng, n), dc_ref = dc;
  std::vector<float> carry(n, 0.f), carry_ref(n, 0.f);
  for (int t = T - 1; t >= 0; --t) {
    std::vector<float> rec(n), rec_ref(n);
    for (long long e = 0; e < n; ++e) {
      rec[e] = dh_rec[t][e] + carry[e];
      rec_ref[e] = dh_rec[t][e] + carry_ref[e];
    }
    const StepGrad gw = ref_backward(&dh_out[t], &rec_ref, &dc_ref, want[t + 1].gates,
                                     &want[t].c, want[t + 1].c, len, t, B, H);
    auto dg = kt::nan_vec(n4), dhc = kt::nan_vec(n);
    LAUNCH(kiln_lstm_cell_backward_masked_f32, dim3(1), dim3(64), 0, dh_out[t].data(),
           rec.data(), dc.data(), gates[t + 1].data(), c[t].data(), c[t + 1].data(), dg.data(),
           dc.data(), dhc.data(), len.data(), t, B, H);
    const std::string what = "backward step " + std::to_string(t);
    CHECK_CLOSE(dg, gw.d_gates, 1e-4f, 1e-6f, what + " d_gates");
    CHECK_CLOSE(dc, gw.dc_prev, 1e-4f, 1e-6f, what + " dc_prev");
    CHECK_CLOSE(dhc, gw.dh_carry, 1e-5f, 0.f, what + " dh_carry");
    dc_ref = gw.dc_prev;
    carry = dhc;
    carry_ref = gw.dh_carry;
  }
  // Batch 2 (len 0): the state is carried through every step untouched.
  for (long long j = 0; j < H; ++j) {
    CHECK(h[T][2 * H + j] == h0[2 * H + j]);
    CHECK(c[T][2 * H + j] == c0[2 * H + j]);
  }
}
