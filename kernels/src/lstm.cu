// Kiln lstm family: the fused per-time-step LSTM cell, forward and backward,
// with a masked variant for variable sequence lengths. float32.
//
// WHAT
//   A layer runs, for t = 0 .. T-1 (x W for all steps is one GEMM done before
//   the loop; h_{t-1} U is one GEMM per step, both in the gemm family):
//     pre  = gates_x[t] + gates_h + bias          (gates_h = h_{t-1} U)
//     i, f, g, o = sigmoid(pre_i), sigmoid(pre_f), tanh(pre_g), sigmoid(pre_o)
//     c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
//   Gate order i, f, g, o as in torch.nn.LSTM. The activated gates and c_t
//   are saved for backward. Backward for one step, with
//     dh  = dh_out (gradient from the layer output at t) + dh_rec (from step
//           t+1 through its recurrent GEMM d_gates_{t+1} Uᵀ),
//     dc  = dc_next + dh * o * (1 - tanh²(c_t)),
//   writes the pre-activation gate gradients
//     d_i = dc g i(1-i),  d_f = dc c_{t-1} f(1-f),  d_g = dc i (1-g²),
//     d_o = dh tanh(c_t) o(1-o)
//   (for the GEMMs: dW += xᵀ d_gates, dU += h_{t-1}ᵀ d_gates,
//   dx = d_gates Wᵀ, dh_rec for t-1 = d_gates Uᵀ; the bias gradient is the
//   sum of d_gates over batch and time, a reduce-family sum) and
//   dc_prev = dc * f.
//   Masked variant (per-batch lengths len[b], the step index t passed in):
//   rows with t >= len[b] carry the state through unchanged (h_t = h_{t-1},
//   c_t = c_{t-1}), save zero gates, and in backward give zero d_gates,
//   dc_prev = dc_next and dh_carry = dh (the gradient that must reach h_{t-1}
//   directly; the caller runs the recurrent GEMM with beta = 1 onto it).
//   Unmasked rows write dh_carry = 0. The h of a padded step is the carried
//   state, not zero: a caller that wants zero outputs there masks them.
//
// LAYOUT
//   Contiguous per step: gates_x, gates_h, gates, d_gates [batch, 4*hidden];
//   h, h_prev, c, c_prev, dh_out, dh_rec, dc_next, dc_prev, dh_carry
//   [batch, hidden]; bias [4*hidden]. Time-major sequences ([T, batch, ...])
//   make every step a pointer offset; batch-first callers transpose once.
//   Nullable: bias (no bias), c_prev and h_prev (zero initial state), dh_out,
//   dh_rec and dc_next (zero). dc_prev may alias dc_next, and h/c may alias
//   h_prev/c_prev (each element is read before it is written by the same
//   thread).
//
// ALGORITHM
//   Elementwise over batch*hidden (grid-stride); each thread reads the four
//   gate pre-activations of its (b, j), so a step is one pass over the gate
//   buffers. A persistent small-batch kernel keeping U on chip across steps
//   is not written yet (documented in kernels/SEQUENCE.md).
//
// LAUNCH (all): block 256, grid min(ceil(batch*hidden/256), 65535), dynamic
// shared memory 0; any grid >= 1 is correct.
//   kiln_lstm_cell_forward_f32(const float* gates_x, const float* gates_h,
//       const float* bias, const float* c_prev, float* h, float* c,
//       float* gates, long long batch, long long hidden)
//   kiln_lstm_cell_forward_masked_f32(const float* gates_x, const float* gates_h,
//       const float* bias, const float* h_prev, const float* c_prev, float* h,
//       float* c, float* gates, const int* len, int t, long long batch,
//       long long hidden)
//   kiln_lstm_cell_backward_f32(const float* dh_out, const float* dh_rec,
//       const float* dc_next, const float* gates, const float* c_prev,
//       const float* c, float* d_gates, float* dc_prev, long long batch,
//       long long hidden)
//   kiln_lstm_cell_backward_masked_f32(const float* dh_out, const float* dh_rec,
//       const float* dc_next, const float* gates, const float* c_prev,
//       const float* c, float* d_gates, float* dc_prev, float* dh_carry,
//       const int* len, int t, long long batch, long long hidden)
//
// Ratio vs vendor (cuDNN cudnnRNNForward/backward, whole layer): not yet
// measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"

namespace {

KILN_DEV float sigmoid(float x) { return 1.f / (1.f + expf(-x)); }

template <bool kMasked>
KILN_DEV void cell_forward(const float* gx, const float* gh, const float* bias,
                           const float* h_prev, const float* c_prev, float* h, float* c,
                           float* gates, const int* len, int t, long long batch,
                           long long hidden) {
  const long long n = batch * hidden, H4 = 4 * hidden;
  for (long long e = kiln::global_tid(); e < n; e += kiln::grid_threads()) {
    const long long b = e / hidden, j = e - b * hidden;
    const long long gi = b * H4 + j;
    const float cp = c_prev ? c_prev[e] : 0.f;
    if (kMasked && t >= len[b]) {
      const float hp = h_prev ? h_prev[e] : 0.f;
      c[e] = cp;
      h[e] = hp;
#pragma unroll
      for (int q = 0; q < 4; ++q) gates[gi + q * hidden] = 0.f;
      continue;
    }
    float pre[4];
#pragma unroll
    for (int q = 0; q < 4; ++q) {
      const long long k = gi + q * hidden;
      pre[q] = gx[k] + gh[k] + (bias ? bias[j + q * hidden] : 0.f);
    }
    const float ig = sigmoid(pre[0]), fg = sigmoid(pre[1]), gg = tanhf(pre[2]),
                og = sigmoid(pre[3]);
    const float ct = fg * cp + ig * gg;
    c[e] = ct;
    h[e] = og * tanhf(ct);
    gates[gi] = ig;
    gates[gi + hidden] = fg;
    gates[gi + 2 * hidden] = gg;
    gates[gi + 3 * hidden] = og;
  }
}

template <bool kMasked>
KILN_DEV void cell_backward(const float* dh_out, const float* dh_rec, const float* dc_next,
                            const float* gates, const float* c_prev, const float* c,
                            float* d_gates, float* dc_prev, float* dh_carry, const int* len,
                            int t, long long batch, long long hidden) {
  const long long n = batch * hidden, H4 = 4 * hidden;
  for (long long e = kiln::global_tid(); e < n; e += kiln::grid_threads()) {
    const long long b = e / hidden, j = e - b * hidden;
    const long long gi = b * H4 + j;
    const float dh = (dh_out ? dh_out[e] : 0.f) + (dh_rec ? dh_rec[e] : 0.f);
    const float dcn = dc_next ? dc_next[e] : 0.f;
    if (kMasked && t >= len[b]) {
#pragma unroll
      for (int q = 0; q < 4; ++q) d_gates[gi + q * hidden] = 0.f;
      dc_prev[e] = dcn;
      dh_carry[e] = dh;
      continue;
    }
    const float ig = gates[gi], fg = gates[gi + hidden], gg = gates[gi + 2 * hidden],
                og = gates[gi + 3 * hidden];
    const float cp = c_prev ? c_prev[e] : 0.f;
    const float tc = tanhf(c[e]);
    const float dc = dcn + dh * og * (1.f - tc * tc);
    d_gates[gi] = dc * gg * ig * (1.f - ig);
    d_gates[gi + hidden] = dc * cp * fg * (1.f - fg);
    d_gates[gi + 2 * hidden] = dc * ig * (1.f - gg * gg);
    d_gates[gi + 3 * hidden] = dh * tc * og * (1.f - og);
    dc_prev[e] = dc * fg;
    if (kMasked) dh_carry[e] = 0.f;
  }
}

}  // namespace

extern "C" __global__ void kiln_lstm_cell_forward_f32(const float* gates_x, const float* gates_h,
                                                      const float* bias, const float* c_prev,
                                                      float* h, float* c, float* gates,
                                                      long long batch, long long hidden) {
  cell_forward<false>(gates_x, gates_h, bias, nullptr, c_prev, h, c, gates, nullptr, 0, batch,
                      hidden);
}
KILN_KERNEL_REGISTER(kiln_lstm_cell_forward_f32);

extern "C" __global__ void kiln_lstm_cell_forward_masked_f32(
    const float* gates_x, const float* gates_h, const float* bias, const float* h_prev,
    const float* c_prev, float* h, float* c, float* gates, const int* len, int t,
    long long batch, long long hidden) {
  cell_forward<true>(gates_x, gates_h, bias, h_prev, c_prev, h, c, gates, len, t, batch, hidden);
}
KILN_KERNEL_REGISTER(kiln_lstm_cell_forward_masked_f32);

extern "C" __global__ void kiln_lstm_cell_backward_f32(const float* dh_out, const float* dh_rec,
                                                       const float* dc_next, const float* gates,
                                                       const float* c_prev, const float* c,
                                                       float* d_gates, float* dc_prev,
                                                       long long batch, long long hidden) {
  cell_backward<false>(dh_out, dh_rec, dc_next, gates, c_prev, c, d_gates, dc_prev, nullptr,
                       nullptr, 0, batch, hidden);
}
KILN_KERNEL_REGISTER(kiln_lstm_cell_backward_f32);

extern "C" __global__ void kiln_lstm_cell_backward_masked_f32(
    const float* dh_out, const float* dh_rec, const float* dc_next, const float* gates,
    const float* c_prev, const float* c, float* d_gates, float* dc_prev, float* dh_carry,
    const int* len, int t, long long batch, long long hidden) {
  cell_backward<true>(dh_out, dh_rec, dc_next, gates, c_prev, c, d_gates, dc_prev, dh_carry, len,
                      t, batch, hidden);
}
KILN_KERNEL_REGISTER(kiln_lstm_cell_backward_masked_f32);
