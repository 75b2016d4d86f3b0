#include "micro/kernels/ref/fully_connected_s16.h"

namespace mote::micro::ref {
namespace {

inline int32_t Requant(const ChannelQuant& q, int64_t acc, int u) { return q.Apply64(acc, u); }
inline int32_t Requant(const ChannelQuant& q, int32_t acc, int u) { return q.Apply(acc, u); }

template <typename Acc>
void FcS16(const FullyConnectedParams& p, const ChannelQuant& quant, int batches, int depth,
           int units, const int16_t* input, const int8_t* weights, const Acc* bias,
           int16_t* output) {
  for (int b = 0; b < batches; ++b) {
    const int16_t* x = input + b * depth;
    for (int u = 0; u < units; ++u) {
      const int8_t* w = weights + u * depth;
      Acc acc = 0;
      for (int d = 0; d < depth; ++d) acc += (w[d] + p.weights_offset) * int32_t{x[d]};
      if (bias != nullptr) acc += bias[u];
      output[b * units + u] =
          static_cast<int16_t>(Clamp(Requant(quant, acc, u), p.act_min, p.act_max));
    }
  }
}

}  // namespace

void FullyConnectedS16(const FullyConnectedParams& p, const ChannelQuant& quant, int batches,
                       int depth, int units, const int16_t* input, const int8_t* weights,
                       const int64_t* bias, int16_t* output) {
  FcS16<int64_t>(p, quant, batches, depth, units, input, weights, bias, output);
}

void FullyConnectedS16(const FullyConnectedParams& p, const ChannelQuant& quant, int batches,
                       int depth, int units, const int16_t* input, const int8_t* weights,
                       const int32_t* bias, int16_t* output) {
  FcS16<int32_t>(p, quant, batches, depth, units, input, weights, bias, output);
}

}  // namespace mote::micro::ref
