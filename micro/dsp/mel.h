// Mel filterbank: triangular bands over the power spectrum bins, stored sparse
// (first bin and bin count per band, weights packed band after band) in
// caller buffers filled at init from the config (double maths, no heap).
//
// Scales: HTK mel(f) = 2595 log10(1 + f / 700); Slaney mel(f) = 3 f / 200 below
// 1 kHz, 15 + ln(f / 1000) / (ln 6.4 / 27) above. Band edges: bands + 2 points
// equally spaced in mel from mel(fmin) to mel(fmax), mapped back to Hz.
// Triangles (bin k at f_k = k * rate / fft_size):
//   kHz  (librosa):  w = max(0, min((f - e_m)/(e_m+1 - e_m), (e_m+2 - f)/(e_m+2 - e_m+1)))
//   kMel (tf.signal): the same in mel units; the DC bin gets weight 0.
// Norm kSlaney multiplies band m by 2 / (e_m+2 - e_m) (Hz); kNone by 1.
//
//   int total = MelWeightCount(c);                 // size the weight buffer
//   BuildMelBankF32(c, start, count, weights);     // start/count: mel_bands each
//   ApplyMelF32(c.mel_bands, start, count, weights, power, mel);
#ifndef MOTE_MICRO_DSP_MEL_H_
#define MOTE_MICRO_DSP_MEL_H_

#include <stdint.h>

#include "micro/dsp/config.h"

namespace mote::micro::dsp {

double HzToMel(MelScale s, double hz);
double MelToHz(MelScale s, double mel);
// edges: c.mel_bands + 2 values (Hz).
void MelEdgesHz(const FrontEndConfig& c, double* edges);
// Triangle weight (peak 1, before the norm) of band m at frequency hz.
double MelTriangle(const FrontEndConfig& c, const double* edges, int m, double hz);
// The norm factor of band m (1 or 2 / bandwidth).
double MelBandScale(const FrontEndConfig& c, const double* edges, int m);

// Total weights of the sparse bank (sum of the per-band counts).
int MelWeightCount(const FrontEndConfig& c);
// start/count: c.mel_bands entries; weights: MelWeightCount(c) entries.
// F32 weights include the norm; Q15 weights are the triangles (peak 32767)
// and ln_scale_q16[m] = round(ln(band scale) * 2^16).
void BuildMelBankF32(const FrontEndConfig& c, uint16_t* start, uint16_t* count, float* weights);
void BuildMelBankQ15(const FrontEndConfig& c, uint16_t* start, uint16_t* count, int16_t* weights,
                     int32_t* ln_scale_q16);

// mel[m] = sum_k power[k] * w[m][k].
void ApplyMelF32(int bands, const uint16_t* start, const uint16_t* count, const float* weights,
                 const float* power, float* mel);

// Fixed point from the packed fixed FFT output: acc[m] = sum_k (P[k] >> shift)
// * w_q15[m][k] where P[k] = |X[k]|^2 (uint64) and shift is chosen per frame
// so that nothing overflows; returns shift. So mel[m] = acc[m] * 2^shift / 2^15.
// Uses packed as scratch: the bank's bins 1..n/2-1 are overwritten (each
// power is computed once, though the triangles overlap).
int MelEnergiesS32(int bands, const uint16_t* start, const uint16_t* count,
                   const int16_t* weights_q15, int32_t* packed, int fft_size, uint64_t* acc);

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_MEL_H_
