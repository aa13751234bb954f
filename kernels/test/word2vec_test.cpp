// Host tests of kernels/src/word2vec.cu under the SIMT emulator against a
// double-precision reference. The pairs of a launch use disjoint rows (every
// input row and every target row at most once, except the deliberate
// negative-equals-positive repeats, which the kernel must skip), so the
// lock-free updates have one correct result. Dims from 1 to 300, mostly not
// multiples of 32; tables random, large rows to reach the clipping of |f| > 6.
#include "../src/word2vec.cu"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "kt.h"

namespace {

// The update of word2vec.cu's header, in double, pair after pair.
void reference(std::vector<double>& in, std::vector<double>& out, const std::vector<int>& inputs,
               const std::vector<int>& targets, int pairs, int k1, int dim, double alpha) {
  for (int p = 0; p < pairs; ++p) {
    double* x = &in[(size_t)inputs[p] * dim];
    std::vector<double> e(dim, 0.0);
    const int positive = targets[(size_t)p * k1];
    for (int j = 0; j < k1; ++j) {
      const int t = targets[(size_t)p * k1 + j];
      if (j > 0 && t == positive) continue;
      double* o = &out[(size_t)t * dim];
      double f = 0;
      for (int c = 0; c < dim; ++c) f += x[c] * o[c];
      const double label = j == 0 ? 1.0 : 0.0;
      const double g = f > 6 ? (label - 1) * alpha : f < -6 ? label * alpha
                                                            : (label - 1 / (1 + std::exp(-f))) * alpha;
      for (int c = 0; c < dim; ++c) {
        e[c] += g * o[c];
        o[c] += g * x[c];
      }
    }
    for (int c = 0; c < dim; ++c) x[c] += e[c];
  }
}

void run_case(kt::Rng& rng, int pairs, int k1, int dim, float scale, bool repeats, int grid) {
  // Rows: each pair gets its own input row and k1 own target rows; unused rows stay untouched.
  const int rows = pairs * (k1 + 1) + 3;
  std::vector<int> perm(rows);
  std::iota(perm.begin(), perm.end(), 0);
  for (int r = rows - 1; r > 0; --r) std::swap(perm[r], perm[rng.below(r + 1)]);
  std::vector<int> inputs(pairs), targets((size_t)pairs * k1);
  int next = 0;
  for (int p = 0; p < pairs; ++p) {
    inputs[p] = perm[next++];
    for (int j = 0; j < k1; ++j) targets[(size_t)p * k1 + j] = perm[next++];
    if (repeats && k1 > 1 && p % 3 == 0) targets[(size_t)p * k1 + k1 - 1] = targets[(size_t)p * k1];
  }
  // Input rows come from a different permutation of the same row range (the tables are separate).
  auto in = kt::random_vec(rng, (size_t)rows * dim, -scale, scale);
  auto out = kt::random_vec(rng, (size_t)rows * dim, -scale, scale);
  std::vector<double> rin(in.begin(), in.end()), rout(out.begin(), out.end());
  const float alpha = 0.025f + 0.5f * rng.uniform(0.f, 1.f);
  reference(rin, rout, inputs, targets, pairs, k1, dim, alpha);
  LAUNCH(kiln_word2vec_sgns_f32, dim3(grid), dim3(256), 0, in.data(), out.data(), inputs.data(),
         targets.data(), pairs, k1, dim, alpha);
  const std::string what = "sgns pairs " + std::to_string(pairs) + " k1 " + std::to_string(k1) +
                           " dim " + std::to_string(dim) + " scale " + std::to_string(scale) +
                           (repeats ? " with repeats" : "") + " grid " + std::to_string(grid);
  std::vector<float> win(rin.begin(), rin.end()), wout(rout.begin(), rout.end());
  CHECK_CLOSE(in, win, 1e-4f, 1e-5f, what + " (input table)");
  CHECK_CLOSE(out, wout, 1e-4f, 1e-5f, what + " (output table)");
}

}  // namespace

TEST(word2vec_sgns_disjoint_pairs) {
  kt::Rng rng(901);
  for (int dim : {1, 7, 33, 100, 130, 300})
    for (int k1 : {1, 2, 6})
      for (int pairs : {1, 9, 37}) run_case(rng, pairs, k1, dim, 0.5f, false, (pairs + 7) / 8);
}

TEST(word2vec_sgns_skips_positive_among_negatives_and_clips) {
  kt::Rng rng(902);
  for (int dim : {5, 64, 101}) {
    run_case(rng, 20, 6, dim, 0.5f, true, 3);
    // Rows with entries up to 2: |f| is often above 6, where the gradient is clipped.
    run_case(rng, 20, 6, dim, 2.f, false, 3);
  }
  // Fewer warps than pairs: the grid-stride loop.
  run_case(rng, 40, 8, 45, 0.5f, true, 1);
}

TEST(word2vec_sgns_leaves_other_rows_alone) {
  kt::Rng rng(903);
  const int dim = 70, k1 = 3, rows = 50;
  auto in = kt::random_vec(rng, (size_t)rows * dim), out = kt::random_vec(rng, (size_t)rows * dim);
  const auto in0 = in, out0 = out;
  std::vector<int> inputs{4}, targets{10, 11, 12};
  LAUNCH(kiln_word2vec_sgns_f32, dim3(1), dim3(256), 0, in.data(), out.data(), inputs.data(),
         targets.data(), 1, k1, dim, 0.1f);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < dim; ++c) {
      const size_t i = (size_t)r * dim + c;
      if (r != 4) CHECK_MSG(in[i] == in0[i], "input row " + std::to_string(r) + " changed");
      if (r < 10 || r > 12) CHECK_MSG(out[i] == out0[i], "output row " + std::to_string(r) + " changed");
    }
  CHECK(in[4 * dim] != in0[4 * dim]);
}
