// Kiln augment family: training-time image augmentation on the device.
// fp32 images, int32 per-image parameters.
//
// WHAT
//   crop_flip  random crop of the image padded by `pad` pixels and an optional
//              horizontal flip, with the per-image choices drawn on the host:
//              for image n, (oy, ox, f) = params[3n .. 3n+2], oy, ox in [0, 2*pad],
//              f in {0, 1};
//                y[n, c, i, j] = x[n, c, i + oy - pad, jj + ox - pad],
//                jj = f ? W-1-j : j,
//              and `fill` where the source lies outside the image (the padding).
//              Not differentiable (applied to input batches).
//
// LAYOUT
//   NCHW contiguous: x, y [N, C, H, W]; params [N, 3] int32.
//
// LAUNCH (1-D grid-stride, blockDim (256,1,1) recommended, any grid >= 1;
//   grid.x = min(ceil(N*C*H*W/256), 65535); dynamic shared memory 0)
//   kiln_augment_crop_flip_f32(const float* x, const int* params, float* y,
//                              int N, int C, int H, int W, int pad, float fill)
//   y is fully written, never read; x and y must not alias.
//
// One thread per output element, a gather; memory-bound. No vendor
// counterpart (cuDNN has none), so no ratio is recorded.
#include "kiln/kiln.cuh"
#include "kiln/vec.cuh"

extern "C" __global__ void kiln_augment_crop_flip_f32(const float* x, const int* params, float* y,
                                                      int N, int C, int H, int W, int pad,
                                                      float fill) {
    const long long HW = (long long)H * W, CHW = (long long)C * HW, total = (long long)N * CHW;
    for (long long o = kiln::global_tid(); o < total; o += kiln::grid_threads()) {
        const long long n = o / CHW;
        const long long plane = o / HW;
        const int hw = (int)(o - plane * HW), i = hw / W, j = hw % W;
        const int* pr = params + 3 * n;
        const int sr = i + pr[0] - pad;
        const int sc = (pr[2] ? W - 1 - j : j) + pr[1] - pad;
        y[o] = (sr >= 0 && sr < H && sc >= 0 && sc < W) ? x[plane * HW + (long long)sr * W + sc] : fill;
    }
}
KILN_KERNEL_REGISTER(kiln_augment_crop_flip_f32);
