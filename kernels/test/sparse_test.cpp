// Host tests of kernels/src/sparse.cu under the SIMT emulator against
// double-precision references. Matrices: ragged shapes, empty rows, an empty
// matrix, duplicate columns in a row, and power-law (Zipf) degrees with a few
// very long rows; feature widths from 1 to 256, odd and multiple-of-4.
// Outputs are NaN-poisoned before every launch; the split plans are built
// here independently of the Java planner.
#include "../src/sparse.cu"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kt.h"

namespace {

struct Csr {
  int rows = 0, cols = 0;
  std::vector<int> ptr, col;
  std::vector<float> val;
  int nnz() const { return (int)col.size(); }
};

// Degrees: kind 0 uniform in [0, 6] with some empty rows, kind 1 Zipf-like
// (row r gets about max_deg / (r + 1) nonzeros, rows shuffled), kind 2 all
// empty.
Csr make_csr(kt::Rng& rng, int rows, int cols, int kind, int max_deg) {
  Csr a;
  a.rows = rows;
  a.cols = cols;
  std::vector<int> deg(rows, 0);
  for (int r = 0; r < rows; ++r) {
    if (kind == 0) deg[r] = rng.below(4) == 0 ? 0 : rng.below(7);
    if (kind == 1) deg[r] = std::max(0, max_deg / (r + 1) - rng.below(2));
  }
  if (kind == 1)
    for (int r = rows - 1; r > 0; --r) std::swap(deg[r], deg[rng.below(r + 1)]);
  a.ptr.assign(rows + 1, 0);
  for (int r = 0; r < rows; ++r) {
    a.ptr[r + 1] = a.ptr[r] + deg[r];
    for (int k = 0; k < deg[r]; ++k) {
      a.col.push_back(rng.below(cols));  // duplicates allowed: they add up
      a.val.push_back(rng.uniform(-1.5f, 1.5f));
    }
  }
  return a;
}

// The product in double, and per element the sum of |terms|: float summation of d terms is
// off by at most about d * 2^-24 of that sum (typically sqrt(d) times), so checks allow
// 2e-6 of it; a missed or doubled nonzero of a row of d is off by about 1/d of it.
struct Ref {
  std::vector<float> y;
  std::vector<double> mag;
};

Ref reference(const Csr& a, const std::vector<float>& x, int n, bool ones) {
  Ref r{std::vector<float>((size_t)a.rows * n), std::vector<double>((size_t)a.rows * n)};
  for (int i = 0; i < a.rows; ++i)
    for (int c = 0; c < n; ++c) {
      double acc = 0, mag = 0;
      for (int k = a.ptr[i]; k < a.ptr[i + 1]; ++k) {
        const double t = (ones ? 1.0 : (double)a.val[k]) * x[(size_t)a.col[k] * n + c];
        acc += t;
        mag += std::fabs(t);
      }
      r.y[(size_t)i * n + c] = (float)acc;
      r.mag[(size_t)i * n + c] = mag;
    }
  return r;
}

void check_product(const char* file, int line, const std::vector<float>& got, const Ref& want,
                   const std::string& what) {
  if (got.size() != want.y.size()) {
    kt::report(file, line, what + ": size mismatch");
    return;
  }
  int bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double tol = 2e-6 * want.mag[i] + 1e-6;
    if (!(std::fabs((double)got[i] - want.y[i]) <= tol) && bad++ < 3) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s: [%zu] got %.9g want %.9g (tolerance %.3g)", what.c_str(), i,
                    got[i], want.y[i], tol);
      kt::report(file, line, buf);
    }
  }
}
#define CHECK_PRODUCT(got, want, what) check_product(__FILE__, __LINE__, (got), (want), (what))

int lanes_for(int n, int v) {
  int need = (n + v - 1) / v, l = 1;
  while (l < need && l < 32) l <<= 1;
  return l;
}

unsigned grid(long long work, int lanes) { return kt::grid_for(work * lanes, 256, 40); }

struct Plan {
  std::vector<int> items, split_rows, split_ptr;
  int slots = 0;
  int count() const { return (int)items.size() / 4; }
};

Plan make_plan(const Csr& a, int piece) {
  Plan p;
  p.split_ptr.push_back(0);
  for (int r = 0; r < a.rows; ++r) {
    const int b = a.ptr[r], e = a.ptr[r + 1];
    if (e - b <= piece) {
      p.items.insert(p.items.end(), {r, b, e, -1});
      continue;
    }
    for (int s = b; s < e; s += piece) p.items.insert(p.items.end(), {r, s, std::min(e, s + piece), p.slots++});
    p.split_rows.push_back(r);
    p.split_ptr.push_back(p.slots);
  }
  return p;
}

const int kWidths[] = {1, 3, 4, 16, 17, 64, 131, 256};

std::string label(const char* what, const Csr& a, int n) {
  return std::string(what) + " rows " + std::to_string(a.rows) + " cols " + std::to_string(a.cols) +
         " nnz " + std::to_string(a.nnz()) + " n " + std::to_string(n);
}

std::vector<Csr> matrices(kt::Rng& rng) {
  return {make_csr(rng, 1, 1, 0, 0),     make_csr(rng, 37, 29, 0, 0),
          make_csr(rng, 130, 77, 0, 0),  make_csr(rng, 23, 11, 2, 0),
          make_csr(rng, 300, 300, 1, 900), make_csr(rng, 65, 1000, 1, 700)};
}

}  // namespace

TEST(sparse_spmm_rowsplit) {
  kt::Rng rng(801);
  for (const Csr& a : matrices(rng)) {
    for (int n : kWidths) {
      if ((long long)a.nnz() * n > 120000 && n > 64) continue;  // keep the emulator quick
      auto x = kt::random_vec(rng, (size_t)a.cols * n);
      for (int ones = 0; ones < 2; ++ones) {
        auto want = reference(a, x, n, ones);
        const float* val = ones ? nullptr : a.val.data();
        auto y = kt::nan_vec((size_t)a.rows * n);
        const int l1 = lanes_for(n, 1);
        LAUNCH(kiln_sparse_spmm_rowsplit_f32, dim3(grid(a.rows, l1)), dim3(256), 0, a.ptr.data(),
               a.col.data(), val, x.data(), y.data(), a.rows, n, l1);
        CHECK_PRODUCT(y, want, label(ones ? "rowsplit ones" : "rowsplit", a, n));
        // Fewer lanes than the width needs: each lane loops over several columns.
        auto y2 = kt::nan_vec((size_t)a.rows * n);
        LAUNCH(kiln_sparse_spmm_rowsplit_f32, dim3(1), dim3(256), 0, a.ptr.data(), a.col.data(), val,
               x.data(), y2.data(), a.rows, n, 2);
        CHECK_PRODUCT(y2, want, label("rowsplit 2 lanes, 1 block", a, n));
        if (n % 4 == 0) {
          auto y4 = kt::nan_vec((size_t)a.rows * n);
          const int l4 = lanes_for(n, 4);
          LAUNCH(kiln_sparse_spmm_rowsplit_v4_f32, dim3(grid(a.rows, l4)), dim3(256), 0,
                 a.ptr.data(), a.col.data(), val, x.data(), y4.data(), a.rows, n, l4);
          CHECK_PRODUCT(y4, want, label("rowsplit v4", a, n));
        }
      }
    }
  }
}

TEST(sparse_spmm_split) {
  kt::Rng rng(802);
  for (const Csr& a : matrices(rng)) {
    for (int piece : {1, 7, 32}) {
      const Plan p = make_plan(a, piece);
      for (int n : {1, 5, 16, 68}) {
        auto x = kt::random_vec(rng, (size_t)a.cols * n);
        auto want = reference(a, x, n, false);
        for (int v : {1, 4}) {
          if (v == 4 && n % 4) continue;
          const int lanes = lanes_for(n, v);
          auto y = kt::nan_vec((size_t)a.rows * n);
          auto partial = kt::nan_vec((size_t)std::max(1, p.slots) * n);
          if (v == 1)
            LAUNCH(kiln_sparse_spmm_split_f32, dim3(grid(p.count(), lanes)), dim3(256), 0,
                   p.items.data(), p.count(), a.col.data(), a.val.data(), x.data(), y.data(),
                   partial.data(), n, lanes);
          else
            LAUNCH(kiln_sparse_spmm_split_v4_f32, dim3(grid(p.count(), lanes)), dim3(256), 0,
                   p.items.data(), p.count(), a.col.data(), a.val.data(), x.data(), y.data(),
                   partial.data(), n, lanes);
          const int nsplit = (int)p.split_rows.size();
          if (nsplit > 0)
            LAUNCH(kiln_sparse_spmm_fixup_f32, dim3(kt::grid_for((long long)nsplit * n, 256, 40)),
                   dim3(256), 0, p.split_rows.data(), p.split_ptr.data(), partial.data(), y.data(),
                   nsplit, n);
          CHECK_PRODUCT(y, want,
                      label(v == 4 ? "split v4" : "split", a, n) + " piece " + std::to_string(piece));
        }
      }
    }
  }
}

TEST(sparse_segment_sum_and_expand) {
  kt::Rng rng(803);
  for (int segments : {1, 5, 40, 333}) {
    // Segment lengths 0..9, a long one in the middle.
    std::vector<int> off(segments + 1, 0);
    for (int s = 0; s < segments; ++s)
      off[s + 1] = off[s] + (s == segments / 2 ? 57 : rng.below(4) == 0 ? 0 : rng.below(10));
    const int m = off[segments];
    for (int n : {1, 3, 32, 45}) {
      auto src = kt::random_vec(rng, (size_t)m * n);
      std::vector<float> want((size_t)segments * n);
      for (int s = 0; s < segments; ++s)
        for (int c = 0; c < n; ++c) {
          double acc = 0;
          for (int i = off[s]; i < off[s + 1]; ++i) acc += src[(size_t)i * n + c];
          want[(size_t)s * n + c] = (float)acc;
        }
      auto out = kt::nan_vec((size_t)segments * n);
      const int lanes = lanes_for(n, 1);
      LAUNCH(kiln_sparse_segment_sum_f32, dim3(grid(segments, lanes)), dim3(256), 0, off.data(),
             src.data(), out.data(), segments, n, lanes);
      CHECK_CLOSE(out, want, 1e-5f, 1e-5f,
                  "segment_sum segments " + std::to_string(segments) + " n " + std::to_string(n));

      auto dout = kt::random_vec(rng, (size_t)segments * n);
      std::vector<float> dwant((size_t)m * n);
      for (int s = 0; s < segments; ++s)
        for (int i = off[s]; i < off[s + 1]; ++i)
          for (int c = 0; c < n; ++c) dwant[(size_t)i * n + c] = dout[(size_t)s * n + c];
      auto dsrc = kt::nan_vec((size_t)m * n);
      LAUNCH(kiln_sparse_segment_expand_f32, dim3(grid(segments, lanes)), dim3(256), 0, off.data(),
             dout.data(), dsrc.data(), segments, n, lanes);
      CHECK_CLOSE(dsrc, dwant, 0.f, 0.f,
                  "segment_expand segments " + std::to_string(segments) + " n " + std::to_string(n));
    }
  }
}

TEST(sparse_scatter_add) {
  kt::Rng rng(804);
  for (long long count : {1LL, 17LL, 1000LL}) {
    for (int n : {1, 3, 33}) {
      const int rows = 13;
      std::vector<int> idx(count);
      for (auto& i : idx) i = rng.below(4) == 0 ? 2 : rng.below(rows);  // one hot row
      auto src = kt::random_vec(rng, (size_t)count * n);
      auto base = kt::random_vec(rng, (size_t)rows * n);
      std::vector<double> acc(base.begin(), base.end());
      for (long long i = 0; i < count; ++i)
        for (int c = 0; c < n; ++c) acc[(size_t)idx[i] * n + c] += src[(size_t)i * n + c];
      std::vector<float> want(acc.begin(), acc.end());
      auto out = base;
      LAUNCH(kiln_sparse_scatter_add_f32, dim3(kt::grid_for(count * n, 256, 16)), dim3(256), 0,
             idx.data(), src.data(), out.data(), count, n);
      CHECK_CLOSE(out, want, 1e-4f, 1e-4f,
                  "scatter_add count " + std::to_string(count) + " n " + std::to_string(n));
    }
  }
}
