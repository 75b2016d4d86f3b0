// Small shape helpers shared by the reference kernels.
#ifndef MOTE_MICRO_KERNELS_REF_SHAPE_H_
#define MOTE_MICRO_KERNELS_REF_SHAPE_H_

#include <stdint.h>

namespace mote::micro::ref {

// A 4-D NHWC shape (lower-rank tensors are padded with leading 1s).
struct Shape4 {
  int n = 1, h = 1, w = 1, c = 1;
  int Elements() const { return n * h * w * c; }
  int Offset(int b, int y, int x, int ch) const {
    return ((b * h + y) * w + x) * c + ch;
  }
};

// Output size and leading padding of one spatial dimension, as TFLite
// computes them. `same` selects SAME padding, otherwise VALID.
inline int PaddedOutputSize(bool same, int in, int filter, int stride,
                            int dilation) {
  const int effective = (filter - 1) * dilation + 1;
  return same ? (in + stride - 1) / stride : (in - effective + stride) / stride;
}
inline int LeadingPadding(int in, int filter, int stride, int dilation,
                          int out) {
  const int effective = (filter - 1) * dilation + 1;
  const int total = (out - 1) * stride + effective - in;
  return total > 0 ? total / 2 : 0;
}

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_SHAPE_H_
