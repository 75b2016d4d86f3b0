#include "micro/dsp/dct.h"

#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {

double DctCoefficient(int k, int m, int size) {
  const double s = k == 0 ? SqrtD(1.0 / size) : SqrtD(2.0 / size);
  return s * CosD(kPiD * k * (2 * m + 1) / (2.0 * size));
}

void FillDctF32(int outputs, int size, float* table) {
  for (int k = 0; k < outputs; ++k)
    for (int m = 0; m < size; ++m) table[k * size + m] = static_cast<float>(DctCoefficient(k, m, size));
}

void FillDctQ15(int outputs, int size, int16_t* table) {
  for (int k = 0; k < outputs; ++k) {
    for (int m = 0; m < size; ++m) {
      const double v = DctCoefficient(k, m, size) * 32768.0;
      const double r = v >= 0 ? v + 0.5 : v - 0.5;
      table[k * size + m] = static_cast<int16_t>(r >= 32767 ? 32767 : r <= -32768 ? -32768 : r);
    }
  }
}

void DctF32(const float* table, const float* in, int size, int outputs, float* out) {
  for (int k = 0; k < outputs; ++k) {
    const float* row = table + k * size;
    float acc = 0.0f;
    for (int m = 0; m < size; ++m) acc += row[m] * in[m];
    out[k] = acc;
  }
}

void DctQ16(const int16_t* table, const int32_t* in, int size, int outputs, int32_t* out) {
  for (int k = 0; k < outputs; ++k) {
    const int16_t* row = table + k * size;
    int64_t acc = 0;
    for (int m = 0; m < size; ++m) acc += static_cast<int64_t>(row[m]) * in[m];
    out[k] = static_cast<int32_t>((acc + (1 << 14)) >> 15);
  }
}

}  // namespace mote::micro::dsp
