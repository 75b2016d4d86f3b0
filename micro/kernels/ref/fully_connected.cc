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
  // Four units at a time with separate accumulators: each sum still runs
  // over d in order, so results equal the one-unit loop bit for bit.
  const auto finish = [&p, bias](float total, int u) {
    const float v = total + (bias != nullptr ? bias[u] : 0.0f);
    return v < p.act_min_f ? p.act_min_f : (v > p.act_max_f ? p.act_max_f : v);
  };
  for (int b = 0; b < batches; ++b) {
    const float* x = input + b * depth;
    float* y = output + b * units;
    int u = 0;
    for (; u + 4 <= units; u += 4) {
      const float* w0 = weights + u * depth;
      const float* w1 = w0 + depth;
      const float* w2 = w1 + depth;
      const float* w3 = w2 + depth;
      float t0 = 0.0f, t1 = 0.0f, t2 = 0.0f, t3 = 0.0f;
      for (int d = 0; d < depth; ++d) {
        const float v = x[d];
        t0 += v * w0[d];
        t1 += v * w1[d];
        t2 += v * w2[d];
        t3 += v * w3[d];
      }
      y[u] = finish(t0, u);
      y[u + 1] = finish(t1, u + 1);
      y[u + 2] = finish(t2, u + 2);
      y[u + 3] = finish(t3, u + 3);
    }
    for (; u < units; ++u) {
      const float* w = weights + u * depth;
      float total = 0.0f;
      for (int d = 0; d < depth; ++d) total += x[d] * w[d];
      y[u] = finish(total, u);
    }
  }
}

}  // namespace mote::micro::ref
