/* Broadcast descriptor passed BY VALUE to the kiln_elementwise_<op>_bcast_f32
 * kernels. All fields are int64 so the layout has no padding: 160 bytes,
 * field offsets ndim 0, n 8, shape 16, stride_a 64, stride_b 112.
 *
 *   ndim      number of dimensions, 1..6
 *   n         number of output elements = product(shape[0..ndim))
 *   shape     output shape, outermost first; the output is contiguous
 *   stride_a  element stride of input a per output dimension (0 where a is
 *             broadcast along that dimension)
 *   stride_b  the same for b
 * Entries at index >= ndim are ignored. */
#ifndef KILN_BROADCAST_H
#define KILN_BROADCAST_H

#define KILN_MAX_DIMS 6

typedef struct {
  long long ndim;
  long long n;
  long long shape[KILN_MAX_DIMS];
  long long stride_a[KILN_MAX_DIMS];
  long long stride_b[KILN_MAX_DIMS];
} KilnBroadcast;

#endif /* KILN_BROADCAST_H */
