// DCT-II with orthonormal scaling (scipy.fft.dct(type=2, norm="ortho")),
// the MFCC step: out[k] = s_k sum_{m<M} in[m] cos(pi k (2m + 1) / (2M)),
// s_0 = sqrt(1/M), s_k = sqrt(2/M). Only the first K outputs are computed;
// the K x M table is filled at init into a caller buffer (float or Q15).
//
//   float table[10 * 40];  FillDctF32(10, 40, table);
//   DctF32(table, log_mel, 40, 10, mfcc);
#ifndef MOTE_MICRO_DSP_DCT_H_
#define MOTE_MICRO_DSP_DCT_H_

#include <stdint.h>

namespace mote::micro::dsp {

double DctCoefficient(int k, int m, int size);
void FillDctF32(int outputs, int size, float* table);
void FillDctQ15(int outputs, int size, int16_t* table);  // 1.0 saturates to 32767

void DctF32(const float* table, const float* in, int size, int outputs, float* out);
// in/out Q16 int32; 64-bit accumulation, rounded.
void DctQ16(const int16_t* table, const int32_t* in, int size, int outputs, int32_t* out);

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_DCT_H_
