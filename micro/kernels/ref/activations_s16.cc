#include "micro/kernels/ref/activations_s16.h"

#include <math.h>

#include "micro/kernels/ref/fixed_point.h"
#include "micro/kernels/ref/quant.h"

namespace mote::micro::ref {

// The values TFLite and CMSIS-NN use (close to, but not exactly,
// round(65536 / (1 + exp(-i / 24))): many entries differ by one or two, so
// they are data here, not computed; activations_s16_test.cc checks each entry
// is within 2 of the formula and that the table is monotonic).
const uint16_t kSigmoidTableU16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535};

bool CheckedLog2(float scale, int* log2) {
  const float x_log2 = logf(scale) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2 = static_cast<int>(rounded);
  return fabsf(x_log2 - rounded) < 1e-3f;
}

namespace {

// TFLM's input rescaling for the int16 sigmoid/tanh tables: to steps of
// 1/(3 * 4096); `pot_shifts` is how many left shifts still count as the
// power-of-two case (1 for LOGISTIC: shift 0; 2 for TANH: shift 0 or 1).
bool SigmoidPrepare(float input_scale, int pot_shifts, SigmoidParamsS16* p) {
  if (!(input_scale > 0.0f) || !(input_scale < 1.0e30f)) return false;
  constexpr int kInputIntegerBits = 3;
  int log2 = 0;
  const bool pot = CheckedLog2(input_scale, &log2);
  const int left_shift = (15 - kInputIntegerBits) + log2;
  if (pot && left_shift >= 0 && left_shift < pot_shifts) {
    p->input_multiplier = 3 << left_shift;
    p->input_right_shift = 0;
    return true;
  }
  double multiplier = static_cast<double>(input_scale) * 4096.0 * 3.0;
  int shift = 0;
  while (multiplier <= 32767.0 / 2.0 && shift <= 30) {
    ++shift;
    multiplier *= 2.0;
  }
  if (multiplier > 32767.0) return false;
  p->input_multiplier = static_cast<int32_t>(multiplier);
  p->input_right_shift = shift;
  return true;
}

inline int32_t RescaleSigmoidInput(const SigmoidParamsS16& p, int16_t x) {
  const int32_t round = p.input_right_shift > 0 ? int32_t{1} << (p.input_right_shift - 1) : 0;
  return (x * p.input_multiplier + round) >> p.input_right_shift;
}

}  // namespace

bool LogisticPrepareS16(float input_scale, SigmoidParamsS16* p) {
  return SigmoidPrepare(input_scale, 1, p);
}

bool TanhPrepareS16(float input_scale, SigmoidParamsS16* p) {
  return SigmoidPrepare(input_scale, 2, p);
}

void LogisticS16(const SigmoidParamsS16& p, int size, const int16_t* in, int16_t* out) {
  for (int i = 0; i < size; ++i) {
    const int32_t x = RescaleSigmoidInput(p, in[i]);
    const uint32_t ax = static_cast<uint32_t>(x < 0 ? -x : x);
    // 9 fraction bits: 7 of the rescaling plus the table's step of 1/24 = 4/(3*32).
    const uint32_t index = ax >> 9;
    uint32_t r;
    if (index >= 255) {
      r = uint32_t{0x7FFF} << 10;
    } else {
      const uint32_t a = kSigmoidTableU16[index];
      const uint32_t b = kSigmoidTableU16[index + 1];
      r = (a << 9) + (ax & 0x1FF) * (b - a);  // Q0.25
    }
    r = x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1;  // sigmoid(-x) = 1 - sigmoid(x)
    out[i] = static_cast<int16_t>(r >> 10);
  }
}

void TanhS16(const SigmoidParamsS16& p, int size, const int16_t* in, int16_t* out) {
  for (int i = 0; i < size; ++i) {
    const int32_t x = RescaleSigmoidInput(p, in[i]);
    const uint32_t ax = static_cast<uint32_t>(x < 0 ? -x : x);
    const uint32_t index = ax >> 8;  // sigmoid(2x): one fraction bit fewer
    int32_t r;
    if (index >= 255) {
      r = 0xFFFF << 8;
    } else {
      const uint32_t a = kSigmoidTableU16[index];
      const uint32_t b = kSigmoidTableU16[index + 1];
      r = static_cast<int32_t>((a << 8) + (ax & 0xFF) * (b - a));  // Q0.24
    }
    // 2 sigmoid - 1, and tanh(-x) = -tanh(x); arithmetic shift back to Q0.15.
    r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    out[i] = static_cast<int16_t>(r >> 8);
  }
}

namespace {

float ExpF(float x) { return expf(x); }
float OneOverOnePlusX(float x) { return 1.0f / (1.0f + x); }

// TFLM's gen_lut<float, int16_t, int16_t> with output range [-1, 1]: 512
// samples of f over [lo, hi] in Q0.15, each lowered by half the error the
// linear interpolation makes at the interval's midpoint, plus f(hi).
void GenLutS16(float (*f)(float), float lo, float hi, int16_t* lut) {
  constexpr int kSteps = 512;
  const float step = (hi - lo) / kSteps;
  const float half_step = step / 2;
  const float scale = 65536.0f / 2.0f;  // (max - min + 1) / (output range)
  const auto clamp = [](float v) {
    return v < -32768.0f ? -32768.0f : (v > 32767.0f ? 32767.0f : v);
  };
  for (int i = 0; i < kSteps; ++i) {
    const float val = f(lo + i * step);
    const float val_mid = f(lo + i * step + half_step);
    const float val_next = f(lo + (i + 1) * step);
    const float sample = roundf(val * scale);
    const float mid_interp = roundf((val_next * scale + roundf(val * scale)) / 2);
    const float mid = roundf(val_mid * scale);
    const float bias = roundf((mid_interp - mid) / 2);
    lut[i] = static_cast<int16_t>(clamp(sample - bias));
  }
  lut[kSteps] = static_cast<int16_t>(clamp(roundf(f(hi) * scale)));
}

}  // namespace

bool SoftmaxPrepareS16(float input_scale, float beta, int16_t* exp_lut, int16_t* recip_lut,
                       SoftmaxParamsS16* p) {
  const double real = static_cast<double>(input_scale) * static_cast<double>(beta) /
                      (10.0 / 65535.0);  // [-65535, 0] -> [-10, 0]
  if (!(real > 0.0) || !(real < 32768.0)) return false;
  int shift = 0;
  QuantizeMultiplier(real, &p->input_multiplier, &shift);
  if (shift > 15) return false;
  p->input_shift = shift;
  GenLutS16(ExpF, -10.0f, 0.0f, exp_lut);
  GenLutS16(OneOverOnePlusX, 0.0f, 1.0f, recip_lut);
  p->exp_lut = exp_lut;
  p->recip_lut = recip_lut;
  return true;
}

int16_t LookupS16(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);
  const int32_t offset = value & 0x7F;
  const int16_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int32_t delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

void SoftmaxS16(const SoftmaxParamsS16& p, int outer, int depth, const int16_t* in,
                int16_t* out) {
  for (int i = 0; i < outer; ++i) {
    const int16_t* row = in + static_cast<long>(i) * depth;
    int16_t* exps = out + static_cast<long>(i) * depth;  // exp values, then results
    int32_t row_max = -32768;
    for (int c = 0; c < depth; ++c) row_max = row[c] > row_max ? row[c] : row_max;
    int32_t sum = 0;  // Q16.15
    for (int c = 0; c < depth; ++c) {
      const int32_t scaled =
          MultiplyByQuantizedMultiplier(row[c] - row_max, p.input_multiplier, p.input_shift);
      exps[c] = LookupS16(static_cast<int16_t>(Clamp(scaled + 32767, -32768, 32767)), p.exp_lut);
      sum += exps[c];
    }
    // 1 / sum: normalise sum to [1, 2) in Q1.15, recentre x = sum - 1 from
    // [0, 1) to the table's [-32768, 32767), look up 1 / (1 + x).
    const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(sum));
    const int32_t shifted =
        static_cast<int32_t>(((static_cast<int64_t>(sum) << (headroom_plus_one - 1)) +
                              (1 << 13)) >> 14);
    const int32_t centred = Clamp(shifted - ((1 << 15) + (1 << 16)), -32768, 32767);
    const int32_t recip = LookupS16(static_cast<int16_t>(centred), p.recip_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int c = 0; c < depth; ++c) {
      const int32_t r = static_cast<int32_t>((int64_t{exps[c]} * recip + round) >> right_shift);
      exps[c] = static_cast<int16_t>(Clamp(r, 0, 32767));
    }
  }
}

}  // namespace mote::micro::ref
