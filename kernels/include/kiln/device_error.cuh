// Kiln's device error word: how a kernel reports a bad input value (an index
// or a target out of range) without stopping the stream or a host round trip.
//
// LAYOUT: unsigned long long err[8], all zero when clear.
//   err[0] flag (claimed with atomicCAS 0 -> 1: the first report wins)
//   err[1] the bad value, err[2] its position (element or row),
//   err[3] the caller's operation code, err[4] the bound the value broke
//   (valid values are [0, bound)).
// One word per CUDA backend, shared by every kernel that checks its inputs
// (index select/add, cross-entropy targets); the host reads it at its next
// synchronisation point, raises the error the operation code names and
// clears it (CudaBackend.checkDeviceErrors).
#pragma once

#include "kiln/kiln.cuh"

namespace kiln {

// Records a bad value in the error word unless one is recorded already.
KILN_DEV void report_device_error(unsigned long long* err, long long value, long long position,
                                  int op, long long bound) {
  if (atomicCAS(err, 0ULL, 1ULL) == 0ULL) {
    err[1] = static_cast<unsigned long long>(value);
    err[2] = static_cast<unsigned long long>(position);
    err[3] = static_cast<unsigned long long>(op);
    err[4] = static_cast<unsigned long long>(bound);
  }
}

}  // namespace kiln
