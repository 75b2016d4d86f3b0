// Sample-rate conversion for audio on the host: a windowed-sinc polyphase
// resampler (Kaiser window, beta 9, 32 zero crossings each side of the
// centre tap) for any pair of integer rates.
//
// Contract: output[k] is the band-limited interpolation of the input at time
// k * from_rate / to_rate input samples, with the cut-off at 0.92 of the lower
// of the two Nyquist frequencies; samples before 0 and after the end count as
// zero. Output length is ceil(n * to_rate / from_rate). Passband (up to ~0.84
// of the lower Nyquist) is flat within 0.01 dB; content above the lower Nyquist
// is attenuated by more than 60 dB (tested). Same rates return a copy.
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
