#include "micro/dsp/filters.h"

#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {

void DcBlockerF32::Process(const float* in, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float y = x - x1_ + a_ * y1_;
    x1_ = x;
    y1_ = y;
    out[i] = y;
  }
}

void DcBlockerS16::Process(const int16_t* in, int16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const int32_t x = in[i];
    // y (Q15) = (x - x1) * 2^15 + a * y1 / 2^15
    int64_t y = static_cast<int64_t>(x - x1_) * 32768 + RoundShift(a_ * y1_, 15);
    const int64_t lim = int64_t{32767} << 15;
    if (y > lim) y = lim;
    if (y < -lim - (int64_t{1} << 15)) y = -lim - (int64_t{1} << 15);
    x1_ = x;
    y1_ = y;
    out[i] = SaturateS16(RoundShift(y, 15));
  }
}

void PreEmphasisF32::Process(const float* in, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float x = in[i];
    out[i] = x - a_ * x1_;
    x1_ = x;
  }
}

void PreEmphasisS16::Process(const int16_t* in, int32_t* out_q15, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const int32_t x = in[i];
    out_q15[i] = x * 32768 - a_ * x1_;
    x1_ = x;
  }
}

bool ToQ28(const BiquadCoeffs& c, BiquadCoeffsQ28* q) {
  const float v[5] = {c.b0, c.b1, c.b2, c.a1, c.a2};
  int32_t r[5];
  for (int i = 0; i < 5; ++i) {
    if (!IsFiniteF(v[i]) || v[i] >= 8.0f || v[i] <= -8.0f) return false;
    const double s = static_cast<double>(v[i]) * 268435456.0;
    r[i] = static_cast<int32_t>(s >= 0 ? s + 0.5 : s - 0.5);
  }
  q->b0 = r[0]; q->b1 = r[1]; q->b2 = r[2]; q->a1 = r[3]; q->a2 = r[4];
  return true;
}

void BiquadF32::Process(const float* in, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float y = c_.b0 * x + c_.b1 * x1_ + c_.b2 * x2_ - c_.a1 * y1_ - c_.a2 * y2_;
    x2_ = x1_; x1_ = x;
    y2_ = y1_; y1_ = y;
    out[i] = y;
  }
}

void BiquadS16::Process(const int16_t* in, int16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const int32_t x = in[i];
    // Accumulate in Q40 (= Q28 coefficient * Q12 signal).
    int64_t acc = (static_cast<int64_t>(c_.b0) * x + static_cast<int64_t>(c_.b1) * x1_ +
                   static_cast<int64_t>(c_.b2) * x2_) * 4096;
    acc -= static_cast<int64_t>(c_.a1) * y1_ + static_cast<int64_t>(c_.a2) * y2_;
    int64_t y12 = RoundShift(acc, 28);  // Q12
    if (y12 > INT32_MAX) y12 = INT32_MAX;
    if (y12 < INT32_MIN) y12 = INT32_MIN;
    x2_ = x1_; x1_ = x;
    y2_ = y1_; y1_ = static_cast<int32_t>(y12);
    out[i] = SaturateS16(RoundShift(y12, 12));
  }
}

}  // namespace mote::micro::dsp
