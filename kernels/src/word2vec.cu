// Kiln word2vec family: the fused skip-gram negative-sampling (SGNS) update,
// one (input, positive, negatives) training pair per warp, as in the original
// word2vec tool's inner loop.
//
// WHAT
//   For each pair p < pairs, with i = inputs[p], t_0 = targets[p * k1] (the
//   positive) and t_1 .. t_{k1-1} (the negatives), in that order:
//     for j in 0 .. k1-1, skipping negatives equal to t_0:
//       f     = dot(in[i, :], out[t_j, :])
//       g     = (label_j - sigmoid(f)) * alpha        label_0 = 1, others 0
//               (f > 6: g = (label_j - 1) * alpha; f < -6: g = label_j * alpha,
//               the tool's clipping)
//       e    += g * out[t_j, :]                        (e starts at zero)
//       out[t_j, :] += g * in[i, :]
//     in[i, :] += e
//   in is the input (word) table, out the output (context) table: word2vec's
//   syn0 and syn1neg. Pairs that share rows update them without locks
//   (Hogwild), as the tool's threads do: the result then depends on the
//   interleaving. Pairs whose rows are all distinct give the sequential result.
//
// LAYOUT
//   in, out fp32 [rows, dim] row-major; inputs int32 [pairs]; targets int32
//   [pairs, k1]; every index in [0, rows) (the caller checks). dim <= 512.
//
// ALGORITHM
//   A warp owns a pair; lane l holds columns l, l + 32, ... (at most 16) of the
//   input row and of e in registers, so the input row is read once and written
//   once. Each target costs one coalesced read of its row, a shuffle
//   reduction (xor butterfly: every lane gets the dot product), and one
//   coalesced write. No shared memory, no atomics.
//
// LAUNCH
//   blockDim (256,1,1): 8 pairs a block; grid.x = min(ceil(pairs / 8), 65535),
//   grid-stride over pairs; dynamic shared memory 0.
//   kiln_word2vec_sgns_f32(float* in, float* out, const int* inputs,
//       const int* targets, int pairs, int k1, int dim, float alpha)
//   in and out are updated in place. Not yet measured on a GPU.
//
// TESTS
//   kernels/test/word2vec_test.cpp: pairs with disjoint rows against a
//   double-precision reference, dims 1..300 (not multiples of 32), k1 1..8,
//   negatives equal to the positive skipped, clipping of large dot products.
//
// RESOURCES
//   See target/ptxas/word2vec.txt; no spills.
#include "kiln/kiln.cuh"
#include "kiln/warp.cuh"

namespace {

constexpr int kMaxSlices = 16;  // dim <= 32 * kMaxSlices

KILN_DEV float sgns_gradient(float f, float label, float alpha) {
  if (f > 6.f) return (label - 1.f) * alpha;
  if (f < -6.f) return label * alpha;
  return (label - 1.f / (1.f + expf(-f))) * alpha;
}

}  // namespace

extern "C" __global__ void kiln_word2vec_sgns_f32(float* in, float* out, const int* inputs,
                                                  const int* targets, int pairs, int k1, int dim,
                                                  float alpha) {
  const int lane = threadIdx.x & 31;
  const int warps = (int)(blockDim.x >> 5) * (int)gridDim.x;
  for (int p = (int)(blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5)); p < pairs; p += warps) {
    float* row = in + (long long)inputs[p] * dim;
    float x[kMaxSlices], e[kMaxSlices];
#pragma unroll
    for (int s = 0; s < kMaxSlices; ++s) {
      const int c = lane + 32 * s;
      x[s] = c < dim ? row[c] : 0.f;
      e[s] = 0.f;
    }
    const int* tp = targets + (long long)p * k1;
    const int positive = tp[0];
    for (int j = 0; j < k1; ++j) {
      const int t = tp[j];
      if (j > 0 && t == positive) continue;  // uniform across the warp
      float* o = out + (long long)t * dim;
      float dot = 0.f;
#pragma unroll
      for (int s = 0; s < kMaxSlices; ++s) {
        const int c = lane + 32 * s;
        if (c < dim) dot += x[s] * o[c];
      }
      const float g = sgns_gradient(kiln::warp_sum(dot), j == 0 ? 1.f : 0.f, alpha);
#pragma unroll
      for (int s = 0; s < kMaxSlices; ++s) {
        const int c = lane + 32 * s;
        if (c < dim) {
          const float oc = o[c];
          e[s] += g * oc;
          o[c] = oc + g * x[s];
        }
      }
    }
#pragma unroll
    for (int s = 0; s < kMaxSlices; ++s) {
      const int c = lane + 32 * s;
      if (c < dim) row[c] = x[s] + e[s];
    }
  }
}
KILN_KERNEL_REGISTER(kiln_word2vec_sgns_f32);
