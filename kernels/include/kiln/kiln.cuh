// Kiln kernel prelude: include first in every kernels/src/*.cu file.
//
// Declares the macros that differ between the device build (nvcc -ptx) and
// the host emulator build (g++ -include kernels/emu/simt.h, which defines
// KILN_EMU and its own versions of these macros):
//
//   KILN_SHARED(T, name, n)          static shared array T name[n]
//   KILN_SHARED_2D(T, name, r, c)    static shared array T name[r][c]
//   KILN_DYNAMIC_SHARED(T, name)     T* name -> the dynamic shared buffer
//   KILN_KERNEL_REGISTER(kernel)     after a kernel: makes it launchable by
//                                    name in the emulator (no-op on device)
//   KILN_DEVICE_ONLY("feature")      host: abort naming the feature
//
// Shared arrays are 16-byte aligned so float4 accesses are legal. Under the
// emulator they are filled with 0xFF bytes (NaN) at every block start.
#pragma once

#include <stdint.h>

#ifndef KILN_EMU
#include <cuda_fp16.h>
#include <cuda_bf16.h>

#define KILN_SHARED(type, name, count) __shared__ __align__(16) type name[(count)]
#define KILN_SHARED_2D(type, name, rows, cols) \
  __shared__ __align__(16) type name[(rows)][(cols)]
#define KILN_DYNAMIC_SHARED(type, name)                     \
  extern __shared__ __align__(16) unsigned char name##_kiln_raw[]; \
  type* name = reinterpret_cast<type*>(name##_kiln_raw)
#define KILN_KERNEL_REGISTER(kernel)
#define KILN_DEVICE_ONLY(feature) ((void)0)
#endif

#define KILN_HD __host__ __device__ __forceinline__
#define KILN_DEV __device__ __forceinline__
