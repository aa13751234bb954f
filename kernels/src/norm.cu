// Kiln norm family: 2-D batch normalisation (per channel over N, H, W),
// training forward, inference forward and backward. fp32.
//
// WHAT (M = N*H*W values per channel c; gamma/beta optional: null means
// gamma = 1, beta = 0)
//   train forward   mean = sum x / M,  var = sum (x - mean)^2 / M  (biased)
//                   invstd = 1 / sqrt(var + eps)
//                   y = (x - mean) * invstd * gamma + beta
//                   save_mean[c] = mean, save_invstd[c] = invstd
//                   running_mean = (1 - momentum) * running_mean + momentum * mean
//                   running_var  = (1 - momentum) * running_var
//                                  + momentum * var * M / (M - 1)   (UNBIASED, as torch)
//                   running_mean/var may be null (track_running_stats=False).
//                   M must be > 1 (torch rejects M == 1 in training).
//   eval forward    y = (x - running_mean) / sqrt(running_var + eps) * gamma + beta
//   backward        (training-mode statistics, from save_mean/save_invstd)
//                   dbeta  = sum dy,  dgamma = sum dy * xhat,  xhat = (x - mean) * invstd
//                   dx = gamma * invstd * (dy - dbeta / M - xhat * dgamma / M)
//                   dx, dgamma, dbeta may each be null (not computed).
//
// LAYOUT
//   NCHW contiguous: x, y, dy, dx [N, C, HW] with HW = H*W; per-channel
//   vectors [C]. Sizes are int64.
//
// ALGORITHM
//   Train forward and backward: one block per channel. Statistics in one
//   pass with Welford's update per thread (count, mean, M2), merged across
//   the warp by shuffles and across warps through shared memory with Chan's
//   pairwise formula -- numerically stable for data with a large mean, no
//   E[x^2] - E[x]^2 cancellation. A second pass writes y. Backward reduces
//   sum dy and sum dy*(x - mean) in one pass (block_sum), then writes dx.
//   The reduction order is fixed by the block size, so results are
//   deterministic. Eval forward is elementwise (grid-stride).
//   One block per channel under-fills a large GPU when C is small and N*H*W
//   large (e.g. C = 64 on 132 SMs); splitting a channel over several blocks
//   with a second merge pass is the later variant.
//
// LAUNCH (dynamic shared memory 0 for all)
//   kiln_norm_batch2d_forward_train_f32(const float* x, float* y, const float* gamma,
//       const float* beta, float* running_mean, float* running_var, float* save_mean,
//       float* save_invstd, long long N, long long C, long long HW, float momentum,
//       float eps)
//       grid (C), block (256) (any multiple of 32 up to 1024)
//   kiln_norm_batch2d_forward_eval_f32(const float* x, float* y, const float* gamma,
//       const float* beta, const float* running_mean, const float* running_var,
//       long long N, long long C, long long HW, float eps)
//       1-D grid-stride: block 256, grid min(ceil(N*C*HW/256), 65535); any grid >= 1
//   kiln_norm_batch2d_backward_f32(const float* dy, const float* x, const float* gamma,
//       const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
//       float* dbeta, long long N, long long C, long long HW)
//       grid (C), block (256) (any multiple of 32 up to 1024)
//   In-place y == x is allowed (each element is read before it is written by
//   the same thread); outputs may hold NaN before launch.
//
// Ratio vs cuDNN: not yet measured on a GPU.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"
#include "kiln/warp.cuh"

namespace {

struct Welford {
    float n, mean, m2;
};

KILN_DEV Welford welford_merge(Welford a, Welford b) {
    const float n = a.n + b.n;
    if (n == 0.0f) return a;
    const float d = b.mean - a.mean;
    const float fb = b.n / n;
    return {n, a.mean + d * fb, a.m2 + b.m2 + d * d * a.n * fb};
}

KILN_DEV Welford warp_welford(Welford v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        Welford w{__shfl_xor_sync(kiln::kFullMask, v.n, o),
                  __shfl_xor_sync(kiln::kFullMask, v.mean, o),
                  __shfl_xor_sync(kiln::kFullMask, v.m2, o)};
        v = welford_merge(v, w);
    }
    return v;
}

// Element i (0 <= i < N*HW) of channel c.
KILN_DEV long long chan_index(long long i, long long c, long long C, long long HW) {
    const long long n = i / HW;
    return (n * C + c) * HW + (i - n * HW);
}

}  // namespace

extern "C" __global__ void kiln_norm_batch2d_forward_train_f32(
    const float* x, float* y, const float* gamma, const float* beta, float* running_mean,
    float* running_var, float* save_mean, float* save_invstd, long long N, long long C,
    long long HW, float momentum, float eps) {
    KILN_SHARED(float, red, 3 * 32);
    const long long c = blockIdx.x, M = N * HW;
    const int tid = threadIdx.x, nwarps = blockDim.x / 32;

    Welford acc{0.0f, 0.0f, 0.0f};
    for (long long i = tid; i < M; i += blockDim.x) {
        const float v = x[chan_index(i, c, C, HW)];
        acc.n += 1.0f;
        const float d = v - acc.mean;
        acc.mean += d / acc.n;
        acc.m2 += d * (v - acc.mean);
    }
    acc = warp_welford(acc);
    if ((tid & 31) == 0) {
        red[tid >> 5] = acc.n;
        red[32 + (tid >> 5)] = acc.mean;
        red[64 + (tid >> 5)] = acc.m2;
    }
    __syncthreads();
    if (tid < 32) {
        Welford w{0.0f, 0.0f, 0.0f};
        if (tid < nwarps) w = Welford{red[tid], red[32 + tid], red[64 + tid]};
        w = warp_welford(w);
        __syncwarp();  // every lane has read red[] before lane 0 overwrites it
        if (tid == 0) {
            red[0] = w.mean;
            red[1] = w.m2;
        }
    }
    __syncthreads();
    const float mean = red[0];
    const float var = red[1] / (float)M;
    const float invstd = 1.0f / sqrtf(var + eps);
    if (tid == 0) {
        save_mean[c] = mean;
        save_invstd[c] = invstd;
        if (running_mean) running_mean[c] = (1.0f - momentum) * running_mean[c] + momentum * mean;
        if (running_var) {
            const float unbiased = red[1] / (float)(M - 1);
            running_var[c] = (1.0f - momentum) * running_var[c] + momentum * unbiased;
        }
    }
    // (x - mean) * scale + beta rather than x * scale + shift: for data with a
    // large mean the subtraction is nearly exact, a folded shift is not.
    const float scale = invstd * (gamma ? gamma[c] : 1.0f);
    const float b = beta ? beta[c] : 0.0f;
    for (long long i = tid; i < M; i += blockDim.x) {
        const long long k = chan_index(i, c, C, HW);
        y[k] = fmaf(x[k] - mean, scale, b);
    }
}
KILN_KERNEL_REGISTER(kiln_norm_batch2d_forward_train_f32);

extern "C" __global__ void kiln_norm_batch2d_forward_eval_f32(
    const float* x, float* y, const float* gamma, const float* beta, const float* running_mean,
    const float* running_var, long long N, long long C, long long HW, float eps) {
    const long long total = N * C * HW;
    for (long long i = kiln::global_tid(); i < total; i += kiln::grid_threads()) {
        const long long c = (i / HW) % C;
        const float scale = (gamma ? gamma[c] : 1.0f) / sqrtf(running_var[c] + eps);
        y[i] = fmaf(x[i] - running_mean[c], scale, beta ? beta[c] : 0.0f);
    }
}
KILN_KERNEL_REGISTER(kiln_norm_batch2d_forward_eval_f32);

extern "C" __global__ void kiln_norm_batch2d_backward_f32(
    const float* dy, const float* x, const float* gamma, const float* save_mean,
    const float* save_invstd, float* dx, float* dgamma, float* dbeta, long long N, long long C,
    long long HW) {
    KILN_SHARED(float, scratch, 32);
    const long long c = blockIdx.x, M = N * HW;
    const int tid = threadIdx.x;
    const float mean = save_mean[c], invstd = save_invstd[c];

    float sdy = 0.0f, sdyx = 0.0f;  // sum dy, sum dy * (x - mean)
    for (long long i = tid; i < M; i += blockDim.x) {
        const long long k = chan_index(i, c, C, HW);
        const float g = dy[k];
        sdy += g;
        sdyx = fmaf(g, x[k] - mean, sdyx);
    }
    sdy = kiln::block_sum(sdy, scratch);
    sdyx = kiln::block_sum(sdyx, scratch);
    if (tid == 0) {
        if (dbeta) dbeta[c] = sdy;
        if (dgamma) dgamma[c] = sdyx * invstd;
    }
    if (!dx) return;
    const float gs = (gamma ? gamma[c] : 1.0f) * invstd;
    const float mdy = sdy / (float)M;
    const float k2 = sdyx * invstd * invstd / (float)M;  // coefficient of (x - mean)
    for (long long i = tid; i < M; i += blockDim.x) {
        const long long k = chan_index(i, c, C, HW);
        dx[k] = gs * (dy[k] - mdy - (x[k] - mean) * k2);
    }
}
KILN_KERNEL_REGISTER(kiln_norm_batch2d_backward_f32);
