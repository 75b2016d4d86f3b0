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

uint32_t WindowS16(const int16_t* x, int n, int32_t pre, int32_t prev, const int16_t* win,
                   int32_t* b) {
  uint32_t bits = 0;
  if (pre == 0) {
    for (int i = 0; i < n; ++i) {
      const int32_t w = x[i] * win[i];
      b[i] = w;
      bits |= w < 0 ? 0u - static_cast<uint32_t>(w) : static_cast<uint32_t>(w);
    }
    return bits;
  }
  for (int i = 0; i < n; ++i) {
    const int32_t v = x[i] * 32768 - pre * prev;  // Q15, |v| < 2^31
    prev = x[i];
    const int32_t w = static_cast<int32_t>((static_cast<int64_t>(v) * win[i] + (1 << 14)) >> 15);
    b[i] = w;
    bits |= w < 0 ? 0u - static_cast<uint32_t>(w) : static_cast<uint32_t>(w);
  }
  return bits;
}

}  // namespace mote::micro::dsp
