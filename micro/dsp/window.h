// Analysis windows, periodic (the DFT-even form librosa and tf.signal use):
//   Hann     w[n] = 0.5  - 0.5  cos(2 pi n / L)
//   Hamming  w[n] = 0.54 - 0.46 cos(2 pi n / L)
//   rect     w[n] = 1,                       n = 0..L-1, L = window length
// Computed in double at init into a caller buffer (float, or Q15 int16 with
// 1.0 saturated to 32767).
//
//   float w[480];  FillWindowF32(WindowType::kHann, 480, w);
#ifndef MOTE_MICRO_DSP_WINDOW_H_
#define MOTE_MICRO_DSP_WINDOW_H_

#include <stdint.h>

#include "micro/dsp/config.h"

namespace mote::micro::dsp {

double WindowValue(WindowType type, int n, int length);
void FillWindowF32(WindowType type, int length, float* out);
void FillWindowQ15(WindowType type, int length, int16_t* out);

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_WINDOW_H_
