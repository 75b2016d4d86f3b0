// Biquad coefficients from a cut-off (RBJ "Audio EQ Cookbook" formulas), for
// micro/dsp/filters.h (float, or Q28 via micro::dsp::ToQ28). a0 is
// normalised to 1. Band-pass has a constant 0 dB peak gain at the centre.
//
//   auto hp = DesignBiquad(BiquadKind::kHighPass, 16000, 100.0, 0.7071);
//   micro::dsp::BiquadF32 f; f.Init(hp);
//   double g = BiquadGain(hp, 16000, 100.0);     // ~0.7071 (-3 dB)
#ifndef MOTE_HOST_DSP_BIQUAD_DESIGN_H_
#define MOTE_HOST_DSP_BIQUAD_DESIGN_H_

#include <string>

#include "micro/dsp/filters.h"

namespace mote::host::dsp {

enum class BiquadKind { kLowPass, kHighPass, kBandPass };

// Throws std::invalid_argument unless 0 < freq_hz < rate / 2 and q > 0 (finite).
micro::dsp::BiquadCoeffs DesignBiquad(BiquadKind kind, double rate_hz, double freq_hz, double q);
// The same in double (the float struct rounds), for tests and reports.
struct BiquadD {
  double b0, b1, b2, a1, a2;
};
BiquadD DesignBiquadD(BiquadKind kind, double rate_hz, double freq_hz, double q);
// |H(e^{i w})| at freq_hz.
double BiquadGain(const micro::dsp::BiquadCoeffs& c, double rate_hz, double freq_hz);
BiquadKind ParseBiquadKind(const std::string& name);  // "lowpass" | "highpass" | "bandpass"

}  // namespace mote::host::dsp

#endif  // MOTE_HOST_DSP_BIQUAD_DESIGN_H_
