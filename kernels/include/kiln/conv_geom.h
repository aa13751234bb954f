/* Geometry of a 2-D convolution and of a 2-D pooling window, passed BY VALUE
 * as one kernel parameter to the conv (kernels/src/conv.cu) and pool
 * (kernels/src/pool.cu) kernels. Plain C, usable from host C/C++ and the
 * device; the Java side writes the same bytes (all fields int32, in this
 * order, no padding) into one reused launch-parameter buffer.
 *
 * Every dimension fits in an int; the kernels form memory offsets in 64-bit.
 * The products the kernels use as GEMM dimensions (N*P*Q, N*H*W, C/groups*R*S,
 * K/groups*R*S) must also be < 2^31.
 *
 * Output size (PyTorch's formula, floor mode; the caller may pass a larger
 * P/Q for ceil mode in pooling, see pool.cu):
 *   P = (H + 2*pad_h - dil_h*(R-1) - 1) / stride_h + 1
 *   Q = (W + 2*pad_w - dil_w*(S-1) - 1) / stride_w + 1
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/* Convolution: x [N, C, H, W], w [K, C/groups, R, S], y [N, K, P, Q], NCHW,
 * contiguous, fp32. C and K are multiples of groups. 64 bytes. */
typedef struct KilnConvGeom {
  int N, C, H, W;          /* input */
  int K, R, S;             /* output channels, filter height, width */
  int P, Q;                /* output height, width */
  int stride_h, stride_w;  /* >= 1 */
  int pad_h, pad_w;        /* >= 0, zero padding */
  int dil_h, dil_w;        /* >= 1 */
  int groups;              /* >= 1; groups == C is depthwise */
} KilnConvGeom;

/* Pooling: x [N, C, H, W] -> y [N, C, P, Q], window R x S. 56 bytes.
 * dil_h/dil_w are used by max pooling only (avg pooling has none: pass 1). */
typedef struct KilnPoolGeom {
  int N, C, H, W;
  int P, Q;
  int R, S;
  int stride_h, stride_w;
  int pad_h, pad_w;
  int dil_h, dil_w;
} KilnPoolGeom;

/* Floor-mode output extent of one spatial axis. */
static inline int kiln_conv_out_size(int in, int k, int stride, int pad, int dil) {
  return (in + 2 * pad - dil * (k - 1) - 1) / stride + 1;
}

#ifdef __cplusplus
}
#endif
