#include "host/dsp/biquad_design.h"

#include <cmath>
#include <complex>
#include <stdexcept>

namespace mote::host::dsp {

BiquadD DesignBiquadD(BiquadKind kind, double rate_hz, double freq_hz, double q) {
  if (!(rate_hz > 0) || !std::isfinite(rate_hz))
    throw std::invalid_argument("biquad: sample rate must be positive");
  if (!(freq_hz > 0) || !(freq_hz < rate_hz / 2))
    throw std::invalid_argument("biquad: cut-off " + std::to_string(freq_hz) +
                                " Hz not in (0, rate / 2)");
  if (!(q > 0) || !std::isfinite(q)) throw std::invalid_argument("biquad: Q must be positive");
  const double w0 = 2.0 * M_PI * freq_hz / rate_hz, cw = std::cos(w0);
  const double alpha = std::sin(w0) / (2.0 * q);
  double b0, b1, b2;
  switch (kind) {
    case BiquadKind::kLowPass: b0 = (1 - cw) / 2; b1 = 1 - cw; b2 = (1 - cw) / 2; break;
    case BiquadKind::kHighPass: b0 = (1 + cw) / 2; b1 = -(1 + cw); b2 = (1 + cw) / 2; break;
    default: b0 = alpha; b1 = 0; b2 = -alpha; break;
  }
  const double a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
  return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

micro::dsp::BiquadCoeffs DesignBiquad(BiquadKind kind, double rate_hz, double freq_hz, double q) {
  const BiquadD d = DesignBiquadD(kind, rate_hz, freq_hz, q);
  micro::dsp::BiquadCoeffs c;
  c.b0 = static_cast<float>(d.b0);
  c.b1 = static_cast<float>(d.b1);
  c.b2 = static_cast<float>(d.b2);
  c.a1 = static_cast<float>(d.a1);
  c.a2 = static_cast<float>(d.a2);
  return c;
}

double BiquadGain(const micro::dsp::BiquadCoeffs& c, double rate_hz, double freq_hz) {
  const std::complex<double> z1 = std::polar(1.0, -2.0 * M_PI * freq_hz / rate_hz), z2 = z1 * z1;
  const auto num = static_cast<double>(c.b0) + static_cast<double>(c.b1) * z1 +
                   static_cast<double>(c.b2) * z2;
  const auto den = 1.0 + static_cast<double>(c.a1) * z1 + static_cast<double>(c.a2) * z2;
  return std::abs(num / den);
}

BiquadKind ParseBiquadKind(const std::string& name) {
  if (name == "lowpass") return BiquadKind::kLowPass;
  if (name == "highpass") return BiquadKind::kHighPass;
  if (name == "bandpass") return BiquadKind::kBandPass;
  throw std::invalid_argument("biquad kind '" + name + "': expected lowpass, highpass or bandpass");
}

}  // namespace mote::host::dsp
