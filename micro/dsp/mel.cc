#include "micro/dsp/mel.h"

#include <string.h>

#include "micro/dsp/dsp_math.h"
#include "micro/dsp/fft.h"

namespace mote::micro::dsp {
namespace {

constexpr double kSlaneyStep = 200.0 / 3.0;  // Hz per mel below 1 kHz
constexpr double kSlaneyMinLogHz = 1000.0, kSlaneyMinLogMel = 15.0;
constexpr double kSlaneyLogStep = LogD(6.4) / 27.0;

// Bins with a possibly nonzero weight for band m: [first, last].
void BinRange(const FrontEndConfig& c, const double* edges, int m, int* first, int* last) {
  const double df = static_cast<double>(c.sample_rate_hz) / c.fft_size;
  int lo = static_cast<int>(edges[m] / df);
  int hi = static_cast<int>(edges[m + 2] / df) + 1;
  const int top = c.fft_size / 2;
  if (c.mel_triangles == MelTriangles::kMel && lo < 1) lo = 1;
  if (hi > top) hi = top;
  // Trim bins whose weight is exactly zero.
  while (lo <= hi && MelTriangle(c, edges, m, lo * df) <= 0.0) ++lo;
  while (hi >= lo && MelTriangle(c, edges, m, hi * df) <= 0.0) --hi;
  *first = lo;
  *last = hi;
}

template <typename Store>
void Build(const FrontEndConfig& c, uint16_t* start, uint16_t* count, Store store) {
  double edges[kMaxMelBands + 2];
  MelEdgesHz(c, edges);
  const double df = static_cast<double>(c.sample_rate_hz) / c.fft_size;
  int pos = 0;
  for (int m = 0; m < c.mel_bands; ++m) {
    int lo, hi;
    BinRange(c, edges, m, &lo, &hi);
    start[m] = static_cast<uint16_t>(lo);
    count[m] = static_cast<uint16_t>(hi >= lo ? hi - lo + 1 : 0);
    for (int k = lo; k <= hi; ++k) store(pos++, MelTriangle(c, edges, m, k * df), m, edges);
  }
}

}  // namespace

double HzToMel(MelScale s, double hz) {
  if (s == MelScale::kHtk) return 2595.0 * Log10D(1.0 + hz / 700.0);
  if (hz < kSlaneyMinLogHz) return hz / kSlaneyStep;
  return kSlaneyMinLogMel + LogD(hz / kSlaneyMinLogHz) / kSlaneyLogStep;
}

double MelToHz(MelScale s, double mel) {
  if (s == MelScale::kHtk) return 700.0 * (ExpD(mel / 2595.0 * 2.302585092994045684) - 1.0);
  if (mel < kSlaneyMinLogMel) return mel * kSlaneyStep;
  return kSlaneyMinLogHz * ExpD(kSlaneyLogStep * (mel - kSlaneyMinLogMel));
}

void MelEdgesHz(const FrontEndConfig& c, double* edges) {
  const double lo = HzToMel(c.mel_scale, c.fmin_hz), hi = HzToMel(c.mel_scale, c.fmax_hz);
  const int n = c.mel_bands + 2;
  for (int i = 0; i < n; ++i) edges[i] = MelToHz(c.mel_scale, lo + (hi - lo) * i / (n - 1));
}

double MelTriangle(const FrontEndConfig& c, const double* edges, int m, double hz) {
  double l = edges[m], ctr = edges[m + 1], u = edges[m + 2], f = hz;
  if (c.mel_triangles == MelTriangles::kMel) {
    if (hz <= 0.0) return 0.0;
    l = HzToMel(c.mel_scale, l);
    ctr = HzToMel(c.mel_scale, ctr);
    u = HzToMel(c.mel_scale, u);
    f = HzToMel(c.mel_scale, hz);
  }
  const double lower = ctr > l ? (f - l) / (ctr - l) : (f >= l ? 1.0 : -1.0);
  const double upper = u > ctr ? (u - f) / (u - ctr) : (f <= u ? 1.0 : -1.0);
  const double w = lower < upper ? lower : upper;
  return w > 0.0 ? w : 0.0;
}

double MelBandScale(const FrontEndConfig& c, const double* edges, int m) {
  if (c.mel_norm != MelNorm::kSlaney) return 1.0;
  const double bw = edges[m + 2] - edges[m];
  return bw > 0.0 ? 2.0 / bw : 1.0;
}

int MelWeightCount(const FrontEndConfig& c) {
  double edges[kMaxMelBands + 2];
  MelEdgesHz(c, edges);
  int total = 0;
  for (int m = 0; m < c.mel_bands; ++m) {
    int lo, hi;
    BinRange(c, edges, m, &lo, &hi);
    if (hi >= lo) total += hi - lo + 1;
  }
  return total;
}

void BuildMelBankF32(const FrontEndConfig& c, uint16_t* start, uint16_t* count, float* weights) {
  Build(c, start, count, [&](int pos, double w, int m, const double* edges) {
    weights[pos] = static_cast<float>(w * MelBandScale(c, edges, m));
  });
}

void BuildMelBankQ15(const FrontEndConfig& c, uint16_t* start, uint16_t* count, int16_t* weights,
                     int32_t* ln_scale_q16) {
  Build(c, start, count, [&](int pos, double w, int, const double*) {
    const double q = w * 32768.0 + 0.5;
    weights[pos] = static_cast<int16_t>(q >= 32767.0 ? 32767 : static_cast<int32_t>(q));
  });
  double edges[kMaxMelBands + 2];
  MelEdgesHz(c, edges);
  for (int m = 0; m < c.mel_bands; ++m) {
    const double l = LogD(MelBandScale(c, edges, m)) * 65536.0;
    ln_scale_q16[m] = static_cast<int32_t>(l >= 0 ? l + 0.5 : l - 0.5);
  }
}

void ApplyMelF32(int bands, const uint16_t* start, const uint16_t* count, const float* weights,
                 const float* power, float* mel) {
  for (int m = 0; m < bands; ++m) {
    float acc = 0.0f;
    const float* p = power + start[m];
    for (int i = 0; i < count[m]; ++i) acc += p[i] * weights[i];
    weights += count[m];
    mel[m] = acc;
  }
}

int MelEnergiesS32(int bands, const uint16_t* start, const uint16_t* count,
                   const int16_t* weights_q15, int32_t* packed, int fft_size, uint64_t* acc) {
  // The bank's bin range.
  int lo = fft_size, hi = -1, max_count = 1;
  for (int m = 0; m < bands; ++m) {
    if (count[m] == 0) continue;
    if (start[m] < lo) lo = start[m];
    if (start[m] + count[m] - 1 > hi) hi = start[m] + count[m] - 1;
    if (count[m] > max_count) max_count = count[m];
  }
  // Each bin's power once, in place: P[k] = re^2 + im^2 (uint64) over
  // packed[2k], packed[2k + 1] for 1 <= k < n/2; DC and Nyquist (packed[0],
  // packed[1]) stay as they are and go to p_dc, p_nyq.
  const int half = fft_size / 2;
  const int in_lo = lo >= 1 ? lo : 1, in_hi = hi <= half - 1 ? hi : half - 1;
  const uint64_t p_dc = lo <= 0 ? PowerBinS32(packed, fft_size, 0) : 0;
  const uint64_t p_nyq = hi >= half ? PowerBinS32(packed, fft_size, half) : 0;
  uint64_t peak = p_dc > p_nyq ? p_dc : p_nyq;
  for (int k = in_lo; k <= in_hi; ++k) {
    const int32_t re = packed[2 * k], im = packed[2 * k + 1];
    const uint64_t p = static_cast<uint64_t>(static_cast<int64_t>(re) * re) +
                       static_cast<uint64_t>(static_cast<int64_t>(im) * im);
    memcpy(packed + 2 * k, &p, sizeof p);
    if (p > peak) peak = p;
  }
  // (P >> shift) * 2^15 * count < 2^63; the shifted powers again in place.
  const int budget = 63 - 15 - BitLength64(static_cast<uint64_t>(max_count));
  int shift = BitLength64(peak) - budget;
  if (shift < 0) shift = 0;
  if (shift > 0) {
    for (int k = in_lo; k <= in_hi; ++k) {
      uint64_t p;
      memcpy(&p, packed + 2 * k, sizeof p);
      p >>= shift;
      memcpy(packed + 2 * k, &p, sizeof p);
    }
  }
  const uint64_t s_dc = p_dc >> shift, s_nyq = p_nyq >> shift;
  const int16_t* w = weights_q15;  // 0..32767: a 32-bit factor
  for (int m = 0; m < bands; ++m) {
    uint64_t a = 0;
    const int k0 = start[m], cnt = count[m];
    if (k0 >= 1 && k0 + cnt <= half) {  // no DC / Nyquist bin
      const int32_t* x = packed + 2 * k0;
      for (int i = 0; i < cnt; ++i, x += 2) {
        uint64_t p;
        memcpy(&p, x, sizeof p);
        a += p * static_cast<uint32_t>(w[i]);
      }
    } else {
      for (int i = 0; i < cnt; ++i) {
        const int k = k0 + i;
        uint64_t p = k == 0 ? s_dc : s_nyq;
        if (k != 0 && k != half) memcpy(&p, packed + 2 * k, sizeof p);
        a += p * static_cast<uint32_t>(w[i]);
      }
    }
    w += cnt;
    acc[m] = a;
  }
  return shift;
}

}  // namespace mote::micro::dsp
