// Fused optimizer updates, in place, one pass over the parameters. float32.
//
// Layout: param, grad and the state buffers are contiguous with n elements.
//
// SGD (torch.optim.SGD semantics, Backend.sgdUpdate):
//   g = grad + weight_decay * p
//   if momentum_buf != null:  buf = first_step ? g : momentum * buf + (1 - dampening) * g
//                             g   = nesterov ? g + momentum * buf : buf
//   p = p - lr * g
//   The buffer is used whenever it is passed, also with momentum == 0 (then
//   buf = (1 - dampening) * g after the first step); torch's plain SGD
//   (momentum 0, no buffer) passes null.
// AdamW (torch.optim.AdamW semantics, decoupled weight decay):
//   p = p * (1 - lr * weight_decay)
//   m = beta1 * m + (1 - beta1) * grad
//   v = beta2 * v + (1 - beta2) * grad^2
//   p = p - (lr / bias_correction1) * m / (sqrt(v) / sqrt(bias_correction2) + eps)
//   with bias_correction1 = 1 - beta1^t, bias_correction2 = 1 - beta2^t for
//   step t >= 1, computed by the caller (pass 1, 1 to disable).
// Adam (torch.optim.Adam, L2 weight decay): as AdamW but grad += weight_decay * p
//   instead of the decoupled decay.
//
// Algorithm: grid-stride loop; float4 accesses for the bulk when every
// pointer is 16-byte aligned, scalar tail.
//
// Launch configuration: 1-D, any block/grid; recommended block 256,
// grid min(ceil(n / 1024), 32 * SMs), at least 1.
//   kiln_optim_sgd_f32(float* param, const float* grad, float* momentum_buf,
//                      long long n, float lr, float momentum, float dampening,
//                      float weight_decay, int nesterov, int first_step)
//   kiln_optim_adamw_f32(float* param, const float* grad, float* exp_avg,
//                        float* exp_avg_sq, long long n, float lr, float beta1,
//                        float beta2, float eps, float weight_decay,
//                        float bias_correction1, float bias_correction2)
//   kiln_optim_adam_f32(same parameters as adamw)
//
// Ratio vs vendor: not yet measured on a GPU (no vendor counterpart).
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"

namespace {

using kiln::aligned16;
using kiln::global_tid;
using kiln::grid_threads;

struct Sgd {
  float lr, momentum, dampening, wd;
  bool nesterov, first, has_buf;
  KILN_DEV void step(float& p, float g, float& buf) const {
    g = fmaf(wd, p, g);
    if (has_buf) {
      buf = first ? g : fmaf(momentum, buf, (1.f - dampening) * g);
      g = nesterov ? fmaf(momentum, buf, g) : buf;
    }
    p = fmaf(-lr, g, p);
  }
};

template <bool kDecoupled>
struct Adam {
  float lr, b1, b2, eps, wd, step_size, inv_sqrt_bc2;
  KILN_DEV void step(float& p, float g, float& m, float& v) const {
    if (kDecoupled) p *= 1.f - lr * wd;
    else g = fmaf(wd, p, g);
    m = fmaf(b1, m, (1.f - b1) * g);
    v = fmaf(b2, v, (1.f - b2) * g * g);
    p -= step_size * m / fmaf(sqrtf(v), inv_sqrt_bc2, eps);
  }
};

KILN_DEV float& at(float4& v, int k) { return (&v.x)[k]; }

}  // namespace

extern "C" __global__ void kiln_optim_sgd_f32(float* param, const float* grad, float* momentum_buf,
                                              long long n, float lr, float momentum,
                                              float dampening, float weight_decay, int nesterov,
                                              int first_step) {
  const Sgd op{lr, momentum, dampening, weight_decay, nesterov != 0, first_step != 0,
               momentum_buf != nullptr};
  float* buf = op.has_buf ? momentum_buf : param;  // stand-in, never written when !has_buf
  const long long tid = global_tid(), stride = grid_threads();
  long long i0 = 0;
  if (aligned16(param) && aligned16(grad) && aligned16(buf)) {
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) {
      float4 p = kiln::load4(param + 4 * i), g = kiln::load4(grad + 4 * i);
      float4 b = op.has_buf ? kiln::load4(buf + 4 * i) : make_float4(0.f, 0.f, 0.f, 0.f);
      for (int k = 0; k < 4; ++k) op.step(at(p, k), at(g, k), at(b, k));
      kiln::store4(param + 4 * i, p);
      if (op.has_buf) kiln::store4(buf + 4 * i, b);
    }
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) {
    float p = param[i], b = op.has_buf ? buf[i] : 0.f;
    op.step(p, grad[i], b);
    param[i] = p;
    if (op.has_buf) buf[i] = b;
  }
}
KILN_KERNEL_REGISTER(kiln_optim_sgd_f32);

namespace {
template <bool kDecoupled>
KILN_DEV void adam_update(float* param, const float* grad, float* m, float* v, long long n,
                          float lr, float b1, float b2, float eps, float wd, float bc1,
                          float bc2) {
  const Adam<kDecoupled> op{lr, b1, b2, eps, wd, lr / bc1, 1.f / sqrtf(bc2)};
  const long long tid = global_tid(), stride = grid_threads();
  long long i0 = 0;
  if (aligned16(param) && aligned16(grad) && aligned16(m) && aligned16(v)) {
    const long long n4 = n >> 2;
    for (long long i = tid; i < n4; i += stride) {
      float4 p = kiln::load4(param + 4 * i), g = kiln::load4(grad + 4 * i);
      float4 mm = kiln::load4(m + 4 * i), vv = kiln::load4(v + 4 * i);
      for (int k = 0; k < 4; ++k) op.step(at(p, k), at(g, k), at(mm, k), at(vv, k));
      kiln::store4(param + 4 * i, p);
      kiln::store4(m + 4 * i, mm);
      kiln::store4(v + 4 * i, vv);
    }
    i0 = n4 << 2;
  }
  for (long long i = i0 + tid; i < n; i += stride) {
    float p = param[i], mm = m[i], vv = v[i];
    op.step(p, grad[i], mm, vv);
    param[i] = p;
    m[i] = mm;
    v[i] = vv;
  }
}
}  // namespace

extern "C" __global__ void kiln_optim_adamw_f32(float* param, const float* grad, float* exp_avg,
                                                float* exp_avg_sq, long long n, float lr,
                                                float beta1, float beta2, float eps,
                                                float weight_decay, float bias_correction1,
                                                float bias_correction2) {
  adam_update<true>(param, grad, exp_avg, exp_avg_sq, n, lr, beta1, beta2, eps, weight_decay,
                    bias_correction1, bias_correction2);
}
KILN_KERNEL_REGISTER(kiln_optim_adamw_f32);

extern "C" __global__ void kiln_optim_adam_f32(float* param, const float* grad, float* exp_avg,
                                               float* exp_avg_sq, long long n, float lr,
                                               float beta1, float beta2, float eps,
                                               float weight_decay, float bias_correction1,
                                               float bias_correction2) {
  adam_update<false>(param, grad, exp_avg, exp_avg_sq, n, lr, beta1, beta2, eps, weight_decay,
                     bias_correction1, bias_correction2);
}
KILN_KERNEL_REGISTER(kiln_optim_adam_f32);
