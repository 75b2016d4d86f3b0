// Real FFT of N = 32..1024 points (a power of two), in place: an N/2-point
// complex radix-2 FFT of the even/odd samples plus the split step. Twiddles
// come from the constant Q30 quarter-sine table (dsp_math.h, 1 KB flash);
// nothing is computed or stored at init, no RAM beyond the caller's buffer.
//
// Forward transform X[k] = sum_n x[n] e^{-2 pi i k n / N}; float: unscaled.
// Output layout (the CMSIS / FFTPACK "packed" form), N values:
//   buf[0] = Re X[0], buf[1] = Re X[N/2],
//   buf[2k] = Re X[k], buf[2k+1] = Im X[k]      for k = 1 .. N/2 - 1.
//
// Fixed point (RealFftS32): int32 input with |x| < 2^29 (callers
// block-normalise a frame to that range: FftInputBits); every stage halves
// (CMSIS-style scaled radix-2, Q31 twiddles, truncating high-word products),
// so the output is the DFT divided by N, |Re|, |Im| < 2^29: X_out = X / N.
//
//   float buf[512]; ... RealFftF32(buf, 512);  PowerSpectrumF32(buf, 512, power);
#ifndef MOTE_MICRO_DSP_FFT_H_
#define MOTE_MICRO_DSP_FFT_H_

#include <stdint.h>

#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {

// REQUIRES: n a power of two in 32..1024; buf holds n values.
void RealFftF32(float* buf, int n);
void RealFftS32(int32_t* buf, int n);
// RealFftS32 in portable C++ only: on Thumb-2 cores RealFftS32 runs its
// radix-2^2 stages in assembly, and tests require both to give the same bits.
void RealFftS32Portable(int32_t* buf, int n);

// Magnitude bits the fixed FFT input may use: |x| < 2^FftInputBits(n) (29).
inline int FftInputBits(int n) { return n > 0 ? 29 : 0; }

// |X[k]|^2 for k = 0..n/2 (n/2 + 1 values) from the packed output; power may
// equal packed (in place).
void PowerSpectrumF32(const float* packed, int n, float* power);
MOTE_DSP_INLINE uint64_t PowerBinS32(const int32_t* packed, int n, int k) {
  int32_t re, im = 0;  // int32 operands: one 32x32->64 multiply each (SMULL)
  if (k == 0) {
    re = packed[0];
  } else if (k == n / 2) {
    re = packed[1];
  } else {
    re = packed[2 * k];
    im = packed[2 * k + 1];
  }
  return static_cast<uint64_t>(static_cast<int64_t>(re) * re) +
         static_cast<uint64_t>(static_cast<int64_t>(im) * im);
}

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_FFT_H_
