// Optimized int8 AVERAGE_POOL_2D.
//
// Contract: byte-identical outputs to ref::AveragePoolS8 (the same int32 sum
// over the window clipped to the input, the same rounding half away from
// zero, the same clamp). The speed comes from the loop order: four channels
// (adjacent in NHWC) are summed at once in registers over the window, with
// the window's bounds computed once per output pixel instead of per channel.
//
//   AveragePoolS8(p, in_shape, in, out_shape, out);
#ifndef MOTE_MICRO_KERNELS_OPT_POOL_S8_H_
#define MOTE_MICRO_KERNELS_OPT_POOL_S8_H_

#include <stdint.h>

#include "micro/kernels/ref/pooling.h"
#include "micro/kernels/ref/shape.h"

namespace mote::micro::opt {

void AveragePoolS8(const ref::PoolParams& p, const ref::Shape4& in_shape, const int8_t* in,
                   const ref::Shape4& out_shape, int8_t* out);

}  // namespace mote::micro::opt

#endif  // MOTE_MICRO_KERNELS_OPT_POOL_S8_H_
