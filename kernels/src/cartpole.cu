// Batched cart-pole environments (CartPole-v1 semantics, Barto, Sutton and
// Anderson 1983): N independent cart-poles stepped by one launch, finished
// episodes reset in the same launch from the counter-based Philox stream.
//
// Layout (contiguous float32, environment i at row i):
//   obs[N, 4]   state high parts: the float32 observation (x, x_dot, theta,
//               theta_dot) the agent sees
//   rest[N,4,2] the two float remainders of each state variable: the
//               double-precision state is exactly
//               ((double)obs + (double)rest[.., 0]) + (double)rest[.., 1]
//               (hi = float(d), mid = float(d - hi), lo = float(d - hi - mid),
//               each difference exact), so the physics runs in double like
//               the reference while everything stays in float32 tensors
//   steps[N]    steps taken in the current episode (exact small integers)
//   action[N]   0.0f (push left) or 1.0f (push right)
// Step outputs, all [N] or [N, 4] float32:
//   next_obs        the observation right after the step (before any reset)
//   reward          1 for every step
//   terminated      1 when |x| > 2.4 or |theta| > 12*2*pi/360 after the step
//   truncated       1 when the episode reached max_steps
//   finished_return the return of the episode that ended at this step, else 0
//   error[0]        set to i + 1 for an action outside {0, 1} (that
//                   environment is left untouched); never cleared here
// An environment whose episode ended is reset in the same launch: obs, rest and
// steps take the new episode's first state, which is what the agent acts on
// next.
//
// Physics, one explicit Euler step of tau = 0.02 s, in double precision with
// the operation order of dev.kiln.rl.CartPole (no fused multiply-adds: the
// device build uses the _rn intrinsics, which nvcc never contracts, so the
// CPU backend reproduces it operation for operation):
//   temp   = (F + m_p*l*theta_dot^2*sin) / (m_c + m_p)
//   th_acc = (g*sin - cos*temp) / (l*(4/3 - m_p*cos^2/(m_c + m_p)))
//   x_acc  = temp - m_p*l*th_acc*cos / (m_c + m_p)
//   x += tau*x_dot; x_dot += tau*x_acc; theta += tau*theta_dot;
//   theta_dot += tau*th_acc
// with g = 9.8, m_c = 1, m_p = 0.1, l = 0.5, F = +-10. sin and cos are
// Taylor polynomials through theta^15 / theta^16 in Horner form (truncation
// error < 1e-26 for |theta| <= 12 degrees, which every pre-step state
// satisfies), evaluated with unfused operations: the CUDA device, the host
// emulator and the Java CPU backend get the same bits. The open-loop pole
// (growth e^{4t}) would turn a last-bit difference between two libm sines
// into a visible one within a few hundred steps.
//
// Reset draws (kiln/philox.h mapping, dev.kiln.Generator): environment i of
// a launch at stream offset `offset` (a multiple of 4) uses the Philox block
// offset / 4 + i; state variable k is fma(0.1, u_k, -0.05) in double with
// u_k the uniform of word k. The caller advances the offset by 4N every
// launch, so each environment's reset numbers depend only on (seed, step, i).
//
// Launch configuration: 1-D, one thread per environment, any block size;
// recommended block 256, grid ceil(N / 256) (grid-stride loop beyond 65535
// blocks).
//
//   kiln_cartpole_reset_f32(float* obs, float* rest, float* steps, long long n,
//                           unsigned long long seed, unsigned long long offset)
//   kiln_cartpole_step_f32(const float* action, float* obs, float* rest,
//                          float* steps, float* next_obs, float* reward,
//                          float* terminated, float* truncated,
//                          float* finished_return, float* error, long long n,
//                          unsigned long long seed, unsigned long long offset,
//                          int max_steps)
//
// Ratio vs vendor: no vendor equivalent; not yet timed on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/philox.h"
#include "kiln/vec.cuh"

namespace {

using kiln::global_tid;
using kiln::grid_threads;

#ifdef KILN_EMU
// x86-64 baseline code has no FMA instruction, so g++ cannot contract these.
// The empty asm makes each rounded float opaque: g++ 12's SLP vectoriser
// otherwise folds d - (double)(float)d to 0 in cp_store at -O2.
inline double cp_add(double a, double b) { return a + b; }
inline double cp_sub(double a, double b) { return a - b; }
inline double cp_mul(double a, double b) { return a * b; }
inline double cp_div(double a, double b) { return a / b; }
inline double cp_fma(double a, double b, double c) { return std::fma(a, b, c); }
inline float cp_to_float(double a) {
  float f = static_cast<float>(a);
  asm("" : "+x"(f));
  return f;
}
#else
KILN_DEV double cp_add(double a, double b) { return __dadd_rn(a, b); }
KILN_DEV double cp_sub(double a, double b) { return __dsub_rn(a, b); }
KILN_DEV double cp_mul(double a, double b) { return __dmul_rn(a, b); }
KILN_DEV double cp_div(double a, double b) { return __ddiv_rn(a, b); }
KILN_DEV double cp_fma(double a, double b, double c) { return __fma_rn(a, b, c); }
KILN_DEV float cp_to_float(double a) { return __double2float_rn(a); }
#endif

constexpr double kGravity = 9.8;
constexpr double kMassPole = 0.1;
constexpr double kTotalMass = 1.0 + kMassPole;  // cart 1.0 + pole, as the reference computes it
constexpr double kHalfLength = 0.5;
constexpr double kPoleMassLength = kMassPole * kHalfLength;
constexpr double kForce = 10.0;
constexpr double kTau = 0.02;
constexpr double kXLimit = 2.4;
// 12 * 2 * pi / 360 evaluated in double, as the reference does.
constexpr double kThetaLimit = 12.0 * 2.0 * 3.141592653589793 / 360.0;

// Splits d into three floats whose double sum is d again.
KILN_DEV void cp_store(float* obs, float* rest, long long j, double d) {
  const float h = cp_to_float(d);
  const double r = cp_sub(d, static_cast<double>(h));
  const float m = cp_to_float(r);
  obs[j] = h;
  rest[2 * j] = m;
  rest[2 * j + 1] = cp_to_float(cp_sub(r, static_cast<double>(m)));
}

KILN_DEV double cp_load(const float* obs, const float* rest, long long j) {
  return cp_add(cp_add(static_cast<double>(obs[j]), static_cast<double>(rest[2 * j])),
                static_cast<double>(rest[2 * j + 1]));
}

// ((c0 * x + c1) * x + c2) ..., as dev.kiln.rl.CartPole.horner.
template <int N>
KILN_DEV double cp_horner(const double (&c)[N], double x) {
  double p = c[0];
#pragma unroll
  for (int k = 1; k < N; ++k) p = cp_add(cp_mul(p, x), c[k]);
  return p;
}

// sin and cos as in dev.kiln.rl.CartPole.sin/cos (same coefficients, same order).
KILN_DEV double cp_sin(double t) {
  constexpr double c[] = {-7.647163731819816e-13, 1.6059043836821613e-10, -2.505210838544172e-08,
                          2.7557319223985893e-06, -0.0001984126984126984, 0.008333333333333333,
                          -0.16666666666666666};
  const double t2 = cp_mul(t, t);
  return cp_add(t, cp_mul(cp_mul(t, t2), cp_horner(c, t2)));
}

KILN_DEV double cp_cos(double t) {
  constexpr double c[] = {4.779477332387385e-14, -1.1470745597729725e-11, 2.08767569878681e-09,
                          -2.755731922398589e-07, 2.48015873015873e-05, -0.001388888888888889,
                          0.041666666666666664, -0.5};
  const double t2 = cp_mul(t, t);
  return cp_add(1.0, cp_mul(t2, cp_horner(c, t2)));
}

KILN_DEV void cp_reset_one(float* obs, float* rest, float* steps, long long i,
                           unsigned long long seed, unsigned long long offset) {
  const kiln_philox4 w = kiln_philox_block(seed, (offset >> 2) + static_cast<unsigned long long>(i));
#pragma unroll
  for (int k = 0; k < 4; ++k) {
    const double u = static_cast<double>(kiln_philox_u01(w.v[k]));
    cp_store(obs, rest, 4 * i + k, cp_fma(0.1, u, -0.05));
  }
  steps[i] = 0.0f;
}

}  // namespace

extern "C" __global__ void kiln_cartpole_reset_f32(float* obs, float* rest, float* steps, long long n,
                                                   unsigned long long seed,
                                                   unsigned long long offset) {
  for (long long i = global_tid(); i < n; i += grid_threads()) {
    cp_reset_one(obs, rest, steps, i, seed, offset);
  }
}
KILN_KERNEL_REGISTER(kiln_cartpole_reset_f32);

extern "C" __global__ void kiln_cartpole_step_f32(const float* action, float* obs, float* rest,
                                                  float* steps, float* next_obs, float* reward,
                                                  float* terminated, float* truncated,
                                                  float* finished_return, float* error,
                                                  long long n, unsigned long long seed,
                                                  unsigned long long offset, int max_steps) {
  for (long long i = global_tid(); i < n; i += grid_threads()) {
    const float a = action[i];
    if (a != 0.0f && a != 1.0f) {
      error[0] = static_cast<float>(i + 1);
      continue;
    }
    const long long b = 4 * i;
    const double x = cp_load(obs, rest, b);
    const double x_dot = cp_load(obs, rest, b + 1);
    const double theta = cp_load(obs, rest, b + 2);
    const double theta_dot = cp_load(obs, rest, b + 3);
    const double force = a == 1.0f ? kForce : -kForce;
    const double c = cp_cos(theta), s = cp_sin(theta);
    const double temp =
        cp_div(cp_add(force, cp_mul(cp_mul(kPoleMassLength, cp_mul(theta_dot, theta_dot)), s)),
               kTotalMass);
    const double th_acc =
        cp_div(cp_sub(cp_mul(kGravity, s), cp_mul(c, temp)),
               cp_mul(kHalfLength,
                      cp_sub(4.0 / 3.0, cp_div(cp_mul(kMassPole, cp_mul(c, c)), kTotalMass))));
    const double x_acc =
        cp_sub(temp, cp_div(cp_mul(cp_mul(kPoleMassLength, th_acc), c), kTotalMass));
    const double nx = cp_add(x, cp_mul(kTau, x_dot));
    const double nx_dot = cp_add(x_dot, cp_mul(kTau, x_acc));
    const double ntheta = cp_add(theta, cp_mul(kTau, theta_dot));
    const double ntheta_dot = cp_add(theta_dot, cp_mul(kTau, th_acc));
    const float t = steps[i] + 1.0f;
    const bool term = nx < -kXLimit || nx > kXLimit || ntheta < -kThetaLimit || ntheta > kThetaLimit;
    const bool trunc = t >= static_cast<float>(max_steps);
    cp_store(obs, rest, b, nx);
    cp_store(obs, rest, b + 1, nx_dot);
    cp_store(obs, rest, b + 2, ntheta);
    cp_store(obs, rest, b + 3, ntheta_dot);
#pragma unroll
    for (int k = 0; k < 4; ++k) next_obs[b + k] = obs[b + k];
    reward[i] = 1.0f;
    terminated[i] = term ? 1.0f : 0.0f;
    truncated[i] = trunc ? 1.0f : 0.0f;
    finished_return[i] = (term || trunc) ? t : 0.0f;
    if (term || trunc) {
      cp_reset_one(obs, rest, steps, i, seed, offset);
    } else {
      steps[i] = t;
    }
  }
}
KILN_KERNEL_REGISTER(kiln_cartpole_step_f32);
