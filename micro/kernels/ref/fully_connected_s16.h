// Reference 16x8 fully connected layer: int16 activations, int8 weights,
// int64 or int32 bias.
//
// Contract: bit-exact with TensorFlow Lite Micro's 16x8 reference kernel.
//   input [batches, depth] int16 (zero point 0), weights [units, depth] int8,
//   bias [units] (nullable), output [batches, units] int16 (zero point 0).
// acc = sum((w + weights_offset) * x) (+ bias), requantized per unit (or
// per tensor) and clamped to [p.act_min, p.act_max]; no input or output
// offsets (symmetric activations). As in conv_s16.h, an int64 bias means an
// int64 accumulator and MultiplyByQuantizedMultiplier64, an int32 bias (or
// none) an int32 accumulator and MultiplyByQuantizedMultiplier.
//
//   FullyConnectedS16(p, quant, batches, depth, units, x, w, bias64, y);
#ifndef MOTE_MICRO_KERNELS_REF_FULLY_CONNECTED_S16_H_
#define MOTE_MICRO_KERNELS_REF_FULLY_CONNECTED_S16_H_

#include <stdint.h>

#include "micro/kernels/ref/fully_connected.h"
#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

void FullyConnectedS16(const FullyConnectedParams& p, const ChannelQuant& quant, int batches,
                       int depth, int units, const int16_t* input, const int8_t* weights,
                       const int64_t* bias, int16_t* output);
void FullyConnectedS16(const FullyConnectedParams& p, const ChannelQuant& quant, int batches,
                       int depth, int units, const int16_t* input, const int8_t* weights,
                       const int32_t* bias, int16_t* output);

}  // namespace mote::micro::ref

#endif  // MOTE_MICRO_KERNELS_REF_FULLY_CONNECTED_S16_H_
