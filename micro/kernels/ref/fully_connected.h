// Reference fully connected layer (int8 and float32).
//
// Contract: bit-exact with TensorFlow Lite Micro's reference kernels.
//   input  [batches, depth] (any shape flattened to this)
//   weights [units, depth] row-major, bias [units] (nullable)
//   output [batches, units]
// int8: acc = sum((w + weights_offset) * (x + input_offset)) + bias, then
// requantized with one multiplier/shift per unit (per-tensor models repeat
// the same value), plus output_offset, clamped to [act_min, act_max].
//
//   FullyConnectedS8(p, mult, shift, batches, depth, units, x, w, bias, y);
#ifndef MOTE_MICRO_KERNELS_REF_FULLY_CONNECTED_H_
#define MOTE_MICRO_KERNELS_REF_FULLY_CONNECTED_H_

#include <stdint.h>

#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

struct FullyConnectedParams {
  int32_t input_offset = 0;    // minus the input zero point
  int32_t weights_offset = 0;  // minus the weights zero point
  int32_t output_offset = 0;   // output zero point
  int32_t act_min = -128, act_max = 127;
  float act_min_f = -3.4e38f, act_max_f = 3.4e38f;
};

void FullyConnectedS8(const FullyConnectedParams& p, const ChannelQuant& quant, int batches, int depth,
                      int units, const int8_t* input, const int8_t* weights,
                      const int32_t* bias, int8_t* output);

void FullyConnectedF32(const FullyConnectedParams& p, int batches, int depth,
                       int units, const float* input, const float* weights,
                       const float* bias, float* output);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_FULLY_CONNECTED_H_
