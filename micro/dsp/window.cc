#include "micro/dsp/window.h"

#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {

double WindowValue(WindowType type, int n, int length) {
  const double c = CosD(2.0 * kPiD * n / length);
  switch (type) {
    case WindowType::kHann: return 0.5 - 0.5 * c;
    case WindowType::kHamming: return 0.54 - 0.46 * c;
    default: return 1.0;
  }
}

void FillWindowF32(WindowType type, int length, float* out) {
  for (int n = 0; n < length; ++n) out[n] = static_cast<float>(WindowValue(type, n, length));
}

void FillWindowQ15(WindowType type, int length, int16_t* out) {
  for (int n = 0; n < length; ++n) {
    const double v = WindowValue(type, n, length) * 32768.0 + 0.5;
    out[n] = static_cast<int16_t>(v >= 32767.0 ? 32767 : static_cast<int32_t>(v));
  }
}

}  // namespace mote::micro::dsp
