// Streaming IIR filters for the front end, float and fixed point, state kept
// in the object (no heap, no globals): DC blocker, pre-emphasis, biquad.
//
//   DC blocker   y[n] = x[n] - x[n-1] + a y[n-1]     (a in [0, 1), e.g. 0.995)
//   pre-emphasis y[n] = x[n] - a x[n-1]             (a in [0, 1), e.g. 0.97)
//   biquad (direct form I, a0 normalised to 1)
//                y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2]
//
// Fixed point: samples int16; DC blocker and pre-emphasis coefficients Q15;
// biquad coefficients Q28 in int32 (|c| < 8), 64-bit accumulator, rounding,
// int16 saturation of the output; the biquad keeps its output history with
// 12 extra fraction bits so that quantisation noise does not recirculate.
// Coefficients come from the host (host/dsp/biquad_design.h, RBJ cookbook).
//
//   BiquadS16 lp; lp.Init(CoeffsQ28(design));      // host-designed
//   lp.Process(in, out, n);                        // in == out allowed
#ifndef MOTE_MICRO_DSP_FILTERS_H_
#define MOTE_MICRO_DSP_FILTERS_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::micro::dsp {

inline int16_t SaturateS16(int64_t v) {
  return static_cast<int16_t>(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}
// Round-to-nearest (ties away from zero) arithmetic right shift, shift >= 1.
inline int64_t RoundShift(int64_t v, int shift) {
  const int64_t half = int64_t{1} << (shift - 1);
  return v >= 0 ? (v + half) >> shift : -((-v + half) >> shift);
}

class DcBlockerF32 {
 public:
  void Init(float a) { a_ = a; x1_ = y1_ = 0.0f; }
  void Process(const float* in, float* out, size_t n);
 private:
  float a_ = 0.0f, x1_ = 0.0f, y1_ = 0.0f;
};

class DcBlockerS16 {
 public:
  void Init(int16_t a_q15) { a_ = a_q15; x1_ = 0; y1_ = 0; }
  void Process(const int16_t* in, int16_t* out, size_t n);
 private:
  int32_t a_ = 0, x1_ = 0;
  int64_t y1_ = 0;  // Q15 (sample * 2^15), full precision
};

class PreEmphasisF32 {
 public:
  void Init(float a) { a_ = a; x1_ = 0.0f; }
  void Process(const float* in, float* out, size_t n);
 private:
  float a_ = 0.0f, x1_ = 0.0f;
};

// Output in Q15 int32 (x * 2^15 - a x1) so that nothing saturates.
class PreEmphasisS16 {
 public:
  void Init(int16_t a_q15) { a_ = a_q15; x1_ = 0; }
  void Process(const int16_t* in, int32_t* out_q15, size_t n);
 private:
  int32_t a_ = 0, x1_ = 0;
};

struct BiquadCoeffs {  // normalised: a0 == 1
  float b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};
struct BiquadCoeffsQ28 {
  int32_t b0 = 1 << 28, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};
// Rounds to Q28; false if a coefficient is not finite or |c| >= 8.
bool ToQ28(const BiquadCoeffs& c, BiquadCoeffsQ28* q);

class BiquadF32 {
 public:
  void Init(const BiquadCoeffs& c) { c_ = c; x1_ = x2_ = y1_ = y2_ = 0.0f; }
  void Process(const float* in, float* out, size_t n);
 private:
  BiquadCoeffs c_;
  float x1_ = 0, x2_ = 0, y1_ = 0, y2_ = 0;
};

class BiquadS16 {
 public:
  void Init(const BiquadCoeffsQ28& c) { c_ = c; x1_ = x2_ = 0; y1_ = y2_ = 0; }
  void Process(const int16_t* in, int16_t* out, size_t n);
 private:
  BiquadCoeffsQ28 c_;
  int32_t x1_ = 0, x2_ = 0;
  int32_t y1_ = 0, y2_ = 0;  // Q12: output * 2^12 (unsaturated, clamped to int32)
};

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_FILTERS_H_
