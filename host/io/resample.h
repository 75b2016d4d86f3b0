// Sample-rate conversion for audio on the host: a windowed-sinc polyphase
// resampler (Kaiser window, beta 9, 32 zero crossings each side of the
// centre tap) for any pair of integer rates.
//
// Contract: output[k] is the band-limited interpolation of the input at time
// k * from_rate / to_rate input samples, with the cut-off at 0.92 of the lower
// of the two Nyquist frequencies; samples before 0 and after the end count as
// zero. Output length is ceil(n * to_rate / from_rate). Measured for -> 16 kHz
// (bench/resample_response.cc): flat within 0.001 dB to 6.5 kHz (0.81 of the
// Nyquist), -0.41 dB at 7 kHz, -11.6 dB at 7.5 kHz; tones from 8.5 kHz leave
// less than -94 dB of aliases (the tests require 0.01 dB and 60 dB). Same rates
// return a copy.
// Deterministic: the same input gives the same bytes.
//
//   std::vector<float> y = Resample(x, 22050, 16000);   // REQUIRES rates in [1, 1e6]
#ifndef MOTE_HOST_IO_RESAMPLE_H_
#define MOTE_HOST_IO_RESAMPLE_H_

#include <cstddef>
#include <vector>

namespace mote::host {

std::vector<float> Resample(const std::vector<float>& x, int from_rate, int to_rate);
// ceil(n * to_rate / from_rate).
size_t ResampledLength(size_t n, int from_rate, int to_rate);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_RESAMPLE_H_
