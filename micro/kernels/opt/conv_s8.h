// Optimized int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED.
//
// Contract: byte-identical outputs to micro/kernels/ref (the same int32 sums
// of (x + input_offset) * w, the same ChannelQuant::Apply requantization and
// clamp), layouts as there:
//   input [N, H, W, Cin], conv filter [Cout, KH, KW, Cin],
//   depthwise filter [1, KH, KW, C] (depth_multiplier 1), FC weights [units, depth].
// The speed comes from the loop order (channels innermost, contiguous in
// NHWC; two pixels x two channels or one input x four units per pass), no
// padding checks in the inner loops, DSP dual MACs on Arm (dot_s8.h), and
// requantization of 32 sums at a time in one tight loop (assembly on Arm DSP
// cores when every shift is a right shift and the clamp is the int8 range).
// The conv gathers each pixel's window into `col` (im2col) widened to int16
// with the input offset added once (padding becomes 0, exactly what the
// reference's skipped taps contribute); the depthwise kernel skips padding
// taps. Each kernel has an ...Applies() test the operator glue calls in
// Prepare; when it is false the glue runs the reference kernel.
//
//   // Prepare: window buffer from the persistent arena.
//   if (Conv2DS8Applies(in_shape, f_shape)) col = arena bytes(Conv2DS8ColBytes(f_shape));
//   // Eval
//   Conv2DS8(p, quant, bias, col, in_shape, in, f_shape, f, out_shape, out);
#ifndef MOTE_MICRO_KERNELS_OPT_CONV_S8_H_
#define MOTE_MICRO_KERNELS_OPT_CONV_S8_H_

#include <stdint.h>

#include "micro/kernels/ref/conv.h"
#include "micro/kernels/ref/fully_connected.h"
#include "micro/kernels/ref/quant.h"
#include "micro/kernels/ref/shape.h"

namespace mote::micro::opt {

// CONV_2D without groups (filter channels == input channels) and a window of
// at most kMaxWindow bytes (KH * KW * Cin).
inline constexpr int kMaxWindow = 1024;
bool Conv2DS8Applies(const ref::Shape4& in_shape, const ref::Shape4& filter_shape);
// int16 entries per pixel in Conv2DS8's window buffer: KH * KW * Cin rounded
// up to even (each window starts word-aligned).
inline int Conv2DS8ColStride(const ref::Shape4& filter_shape) {
  const ref::Shape4& f = filter_shape;
  return (f.h * f.w * f.c + 1) & ~1;
}
// Bytes of the window buffer Conv2DS8 widens two pixels' windows into
// (int16, input offset added).
inline int Conv2DS8ColBytes(const ref::Shape4& filter_shape) {
  return 4 * Conv2DS8ColStride(filter_shape);
}
// REQUIRES: Conv2DS8Applies; col has Conv2DS8ColBytes bytes, 4-byte aligned
// (contents ignored); bias nullable.
void Conv2DS8(const ref::ConvParams& p, const ref::ChannelQuant& quant, const int32_t* bias,
              int16_t* col, const ref::Shape4& in_shape, const int8_t* in,
              const ref::Shape4& filter_shape, const int8_t* filter,
              const ref::Shape4& out_shape, int8_t* out);

// Filter taps (KH * KW) the depthwise kernel takes at most (a pixel's tap
// table lives on the stack).
inline constexpr int kMaxTaps = 32;
// DEPTHWISE_CONV_2D with depth_multiplier 1, at most kMaxTaps taps.
bool DepthwiseConv2DS8Applies(const ref::ConvParams& p, const ref::Shape4& filter_shape);
// REQUIRES: DepthwiseConv2DS8Applies; bias nullable.
void DepthwiseConv2DS8(const ref::ConvParams& p, const ref::ChannelQuant& quant,
                       const int32_t* bias, const ref::Shape4& in_shape, const int8_t* in,
                       const ref::Shape4& filter_shape, const int8_t* filter,
                       const ref::Shape4& out_shape, int8_t* out);

// FULLY_CONNECTED with weights zero point 0 (what the TFLite converter makes).
inline bool FullyConnectedS8Applies(const ref::FullyConnectedParams& p) {
  return p.weights_offset == 0;
}
// REQUIRES: FullyConnectedS8Applies; bias nullable.
void FullyConnectedS8(const ref::FullyConnectedParams& p, const ref::ChannelQuant& quant,
                      const int32_t* bias, int batches, int depth, int units,
                      const int8_t* input, const int8_t* weights, int8_t* output);

}  // namespace mote::micro::opt

#endif  // MOTE_MICRO_KERNELS_OPT_CONV_S8_H_
