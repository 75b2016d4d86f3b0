// Analysis windows, periodic (the DFT-even form librosa and tf.signal use):
//   Hann     w[n] = 0.5  - 0.5  cos(2 pi n / L)
//   Hamming  w[n] = 0.54 - 0.46 cos(2 pi n / L)
//   rect     w[n] = 1,                       n = 0..L-1, L = window length
// Computed in double at init into a caller buffer (float, or Q15 int16 with
// 1.0 saturated to 32767).
//
//   float w[480];  FillWindowF32(WindowType::kHann, 480, w);
//
// WindowS16 is the fixed front end's first step: pre-emphasis and window of
// one frame of int16 samples into int32 (Q15 products).
#ifndef MOTE_MICRO_DSP_WINDOW_H_
#define MOTE_MICRO_DSP_WINDOW_H_

#include <stdint.h>

#include "micro/dsp/config.h"

namespace mote::micro::dsp {

double WindowValue(WindowType type, int n, int length);
void FillWindowF32(WindowType type, int length, float* out);
void FillWindowQ15(WindowType type, int length, int16_t* out);

// b[i] = round((x[i] 2^15 - pre x[i-1]) win[i] / 2^15) for i < n, x[-1] =
// prev (pre: the pre-emphasis coefficient in Q15, 0 = off, then b[i] is
// exactly x[i] win[i]). Returns the OR of all |b[i]|: its bit length is that
// of the largest |b[i]| (the frame's block exponent), 0 for a silent frame.
uint32_t WindowS16(const int16_t* x, int n, int32_t pre, int32_t prev, const int16_t* win,
                   int32_t* b);

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_WINDOW_H_
