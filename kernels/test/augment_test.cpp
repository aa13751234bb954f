// Host tests of kernels/src/augment.cu under the SIMT emulator against a
// reference that pads the image explicitly, mirrors it and cuts the window
// (no shared index arithmetic with the kernel). Outputs are NaN-poisoned
// before every launch.
#include "../src/augment.cu"

#include <string>
#include <vector>

#include "kt.h"

namespace {

struct AugCase {
  int N, C, H, W, pad;
};

const AugCase kAugCases[] = {
    {4, 1, 28, 28, 4},  // Fashion-MNIST, ResNet padding
    {3, 3, 7, 5, 2},    // ragged, rectangular
    {5, 2, 3, 3, 3},    // pad as large as the image
    {2, 2, 6, 9, 0},    // flip only
};

}  // namespace

TEST(augment_crop_flip) {
  kt::Rng rng(601);
  for (const AugCase& c : kAugCases) {
    const long long HW = (long long)c.H * c.W, n = (long long)c.N * c.C * HW;
    auto x = kt::random_vec(rng, n);
    std::vector<int> params(3 * c.N);
    for (int i = 0; i < c.N; ++i) {
      params[3 * i] = (int)(rng.next() % (unsigned)(2 * c.pad + 1));
      params[3 * i + 1] = (int)(rng.next() % (unsigned)(2 * c.pad + 1));
      params[3 * i + 2] = i % 2;
    }
    const float fill = -0.75f;
    const int PH = c.H + 2 * c.pad, PW = c.W + 2 * c.pad;
    std::vector<float> want(n);
    for (int i = 0; i < c.N; ++i)
      for (int ch = 0; ch < c.C; ++ch) {
        std::vector<float> padded((size_t)PH * PW, fill);
        for (int r = 0; r < c.H; ++r)
          for (int q = 0; q < c.W; ++q)
            padded[(size_t)(r + c.pad) * PW + q + c.pad] = x[(i * c.C + ch) * HW + r * c.W + q];
        if (params[3 * i + 2])
          for (int r = 0; r < PH; ++r)
            for (int q = 0; q < PW / 2; ++q)
              std::swap(padded[(size_t)r * PW + q], padded[(size_t)r * PW + PW - 1 - q]);
        // Mirroring the padded image moves the window origin from ox to 2*pad - ox.
        const int oy = params[3 * i], ox = params[3 * i + 2] ? 2 * c.pad - params[3 * i + 1] : params[3 * i + 1];
        for (int r = 0; r < c.H; ++r)
          for (int q = 0; q < c.W; ++q)
            want[(i * c.C + ch) * HW + r * c.W + q] = padded[(size_t)(r + oy) * PW + q + ox];
      }
    const std::string what = "crop_flip N" + std::to_string(c.N) + " C" + std::to_string(c.C) + " " +
                             std::to_string(c.H) + "x" + std::to_string(c.W) + " pad " + std::to_string(c.pad);
    auto y = kt::nan_vec(n);
    LAUNCH(kiln_augment_crop_flip_f32, dim3(kt::grid_for(n, 256, 64)), dim3(256), 0, x.data(),
           params.data(), y.data(), c.N, c.C, c.H, c.W, c.pad, fill);
    CHECK_CLOSE(y, want, 0.f, 0.f, what);
    auto y1 = kt::nan_vec(n);
    LAUNCH(kiln_augment_crop_flip_f32, dim3(1), dim3(64), 0, x.data(), params.data(), y1.data(), c.N,
           c.C, c.H, c.W, c.pad, fill);
    CHECK_CLOSE(y1, want, 0.f, 0.f, what + " (one block)");
  }
}
