#include "micro/dsp/timeseries.h"

#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {

float InvSqrtF(float x) {
  float y = FloatFromBits(0x5F3759DFu - (BitsFromFloat(x) >> 1));
  for (int i = 0; i < 3; ++i) y = y * (1.5f - 0.5f * x * y * y);
  return y;
}

float MovingNormF32::Process(float x) {
  if (!started_) {
    mean_ = x;
    var_ = 0.0f;
    started_ = true;
  } else {
    const float d = x - mean_;
    mean_ += a_ * d;
    var_ = (1.0f - a_) * (var_ + a_ * d * d);
  }
  return (x - mean_) * InvSqrtF(var_ + eps_);
}

uint32_t ClampSamplesS16(int16_t* x, size_t n, int16_t lo, int16_t hi) {
  uint32_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (x[i] <= lo) { count += 1; x[i] = lo; }
    else if (x[i] >= hi) { count += 1; x[i] = hi; }
  }
  return count;
}

uint32_t ClampSamplesF32(float* x, size_t n, float lo, float hi) {
  uint32_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    if (v != v) { count += 1; x[i] = 0.0f; }
    else if (v <= lo) { count += 1; x[i] = lo; }
    else if (v >= hi) { count += 1; x[i] = hi; }
  }
  return count;
}

}  // namespace mote::micro::dsp
