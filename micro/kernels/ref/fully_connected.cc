#include "micro/kernels/ref/fully_connected.h"

#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

void FullyConnectedS8(const FullyConnectedParams& p, const ChannelQuant& quant, int batches, int depth,
                      int units, const int8_t* input, const int8_t* weights,
                      const int32_t* bias, int8_t* output) {
  for (int b = 0; b < batches; ++b) {
    const int8_t* x = input + b * depth;
    for (int u = 0; u < units; ++u) {
      const int8_t* w = weights + u * depth;
      int32_t acc = 0;
      for (int d = 0; d < depth; ++d) {
        acc += (w[d] + p.weights_offset) * (x[d] + p.input_offset);
      }
      if (bias != nullptr) acc += bias[u];
      acc = quant.Apply(acc, u);
      acc += p.output_offset;
      output[b * units + u] = static_cast<int8_t>(Clamp(acc, p.act_min, p.act_max));
    }
  }
}

void FullyConnectedF32(const FullyConnectedParams& p, int batches, int depth,
                       int units, const float* input, const float* weights,
                       const float* bias, float* output) {
  for (int b = 0; b < batches; ++b) {
    const float* x = input + b * depth;
    for (int u = 0; u < units; ++u) {
      const float* w = weights + u * depth;
      float total = 0.0f;
      for (int d = 0; d < depth; ++d) total += x[d] * w[d];
      float v = total + (bias != nullptr ? bias[u] : 0.0f);
      v = v < p.act_min_f ? p.act_min_f : (v > p.act_max_f ? p.act_max_f : v);
      output[b * units + u] = v;
    }
  }
}

}  // namespace mote::micro::ref
