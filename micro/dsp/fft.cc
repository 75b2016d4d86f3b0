#include "micro/dsp/fft.h"

#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {
namespace {

constexpr float kQ30ToFloat = 1.0f / 1073741824.0f;

template <typename T>
void BitReverse(T* z, int m) {  // z: m complex values, interleaved
  for (int i = 1, j = 0; i < m; ++i) {
    int bit = m >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      T t = z[2 * i]; z[2 * i] = z[2 * j]; z[2 * j] = t;
      t = z[2 * i + 1]; z[2 * i + 1] = z[2 * j + 1]; z[2 * j + 1] = t;
    }
  }
}

inline int32_t MulQ30(int32_t a, int32_t w) {
  return static_cast<int32_t>((static_cast<int64_t>(a) * w + (1 << 29)) >> 30);
}

void ComplexFftF32(float* z, int m) {
  BitReverse(z, m);
  for (int len = 2; len <= m; len <<= 1) {
    const int half = len / 2, step = 1024 / len;
    for (int j = 0; j < half; ++j) {
      int32_t c, s;
      CosSinQ30(static_cast<uint32_t>(j * step), &c, &s);
      const float wr = c * kQ30ToFloat, wi = s * kQ30ToFloat;
      for (int i = j; i < m; i += len) {
        float* u = z + 2 * i;
        float* v = z + 2 * (i + half);
        const float vr = v[0] * wr - v[1] * wi, vi = v[0] * wi + v[1] * wr;
        v[0] = u[0] - vr; v[1] = u[1] - vi;
        u[0] += vr; u[1] += vi;
      }
    }
  }
}

void ComplexFftS32(int32_t* z, int m) {
  BitReverse(z, m);
  for (int len = 2; len <= m; len <<= 1) {
    const int half = len / 2, step = 1024 / len;
    for (int j = 0; j < half; ++j) {
      int32_t wr, wi;
      CosSinQ30(static_cast<uint32_t>(j * step), &wr, &wi);
      for (int i = j; i < m; i += len) {
        int32_t* u = z + 2 * i;
        int32_t* v = z + 2 * (i + half);
        const int64_t pr = static_cast<int64_t>(v[0]) * wr - static_cast<int64_t>(v[1]) * wi;
        const int64_t pi = static_cast<int64_t>(v[0]) * wi + static_cast<int64_t>(v[1]) * wr;
        const int32_t vr = static_cast<int32_t>((pr + (1 << 29)) >> 30);
        const int32_t vi = static_cast<int32_t>((pi + (1 << 29)) >> 30);
        v[0] = u[0] - vr; v[1] = u[1] - vi;
        u[0] += vr; u[1] += vi;
      }
    }
  }
}

}  // namespace

void RealFftF32(float* buf, int n) {
  const int m = n / 2;
  ComplexFftF32(buf, m);
  const float a0 = buf[0], b0 = buf[1];
  buf[0] = a0 + b0;
  buf[1] = a0 - b0;
  const int step = 1024 / n;
  for (int k = 1; k <= m / 2; ++k) {
    float* zk = buf + 2 * k;
    float* zm = buf + 2 * (m - k);
    const float a = zk[0], b = zk[1], c = zm[0], d = zm[1];
    const float er = 0.5f * (a + c), ei = 0.5f * (b - d);
    const float orr = 0.5f * (b + d), oi = 0.5f * (c - a);
    int32_t wc, ws;
    CosSinQ30(static_cast<uint32_t>(k * step), &wc, &ws);
    const float wr = wc * kQ30ToFloat, wi = ws * kQ30ToFloat;
    const float tr = wr * orr - wi * oi, ti = wr * oi + wi * orr;
    zm[0] = er - tr; zm[1] = ti - ei;
    zk[0] = er + tr; zk[1] = ei + ti;
  }
}

void RealFftS32(int32_t* buf, int n) {
  const int m = n / 2;
  ComplexFftS32(buf, m);
  const int32_t a0 = buf[0], b0 = buf[1];
  buf[0] = a0 + b0;
  buf[1] = a0 - b0;
  const int step = 1024 / n;
  for (int k = 1; k <= m / 2; ++k) {
    int32_t* zk = buf + 2 * k;
    int32_t* zm = buf + 2 * (m - k);
    const int32_t a = zk[0], b = zk[1], c = zm[0], d = zm[1];
    // Twice E and O (exact), T2 = W * 2O rounded, X = (2E +- T2) / 2 rounded.
    const int32_t er2 = a + c, ei2 = b - d, or2 = b + d, oi2 = c - a;
    int32_t wr, wi;
    CosSinQ30(static_cast<uint32_t>(k * step), &wr, &wi);
    const int32_t tr2 = MulQ30(or2, wr) - MulQ30(oi2, wi);
    const int32_t ti2 = MulQ30(oi2, wr) + MulQ30(or2, wi);
    zm[0] = (er2 - tr2 + 1) >> 1; zm[1] = (ti2 - ei2 + 1) >> 1;
    zk[0] = (er2 + tr2 + 1) >> 1; zk[1] = (ei2 + ti2 + 1) >> 1;
  }
}

void PowerSpectrumF32(const float* packed, int n, float* power) {
  // In place safe: power[k] (k >= 1) only overwrites packed values already read.
  const float dc = packed[0], nyquist = packed[1];
  for (int k = 1; k < n / 2; ++k)
    power[k] = packed[2 * k] * packed[2 * k] + packed[2 * k + 1] * packed[2 * k + 1];
  power[0] = dc * dc;
  power[n / 2] = nyquist * nyquist;
}

}  // namespace mote::micro::dsp
