#include "micro/dsp/dsp_math.h"

namespace mote::micro::dsp {
namespace {

struct QuarterSine {
  int32_t v[kQuarterSineSize];
};
constexpr QuarterSine MakeQuarterSine() {
  QuarterSine t{};
  for (int i = 0; i < kQuarterSineSize; ++i) {
    const double s = SinD(2.0 * kPiD * i / 1024.0) * 1073741824.0;
    t.v[i] = static_cast<int32_t>(s + 0.5);
  }
  return t;
}
constexpr QuarterSine kTable = MakeQuarterSine();

// kLog2Table[i] = round(log2(1 + i / 64) * 2^16), i = 0..64.
struct Log2Table {
  int32_t v[65];
};
constexpr Log2Table MakeLog2Table() {
  Log2Table t{};
  for (int i = 0; i <= 64; ++i) {
    t.v[i] = static_cast<int32_t>(LogD(1.0 + i / 64.0) / kLn2D * 65536.0 + 0.5);
  }
  return t;
}
constexpr Log2Table kLog2 = MakeLog2Table();

}  // namespace

const int32_t kQuarterSineQ30[kQuarterSineSize] = {
#define MOTE_Q(i) kTable.v[i]
#define MOTE_Q8(i) MOTE_Q(i), MOTE_Q(i + 1), MOTE_Q(i + 2), MOTE_Q(i + 3), MOTE_Q(i + 4), \
                   MOTE_Q(i + 5), MOTE_Q(i + 6), MOTE_Q(i + 7)
#define MOTE_Q64(i) MOTE_Q8(i), MOTE_Q8(i + 8), MOTE_Q8(i + 16), MOTE_Q8(i + 24), \
                    MOTE_Q8(i + 32), MOTE_Q8(i + 40), MOTE_Q8(i + 48), MOTE_Q8(i + 56)
    MOTE_Q64(0), MOTE_Q64(64), MOTE_Q64(128), MOTE_Q64(192), MOTE_Q(256)
#undef MOTE_Q64
#undef MOTE_Q8
#undef MOTE_Q
};

float LogF(float x) {
  uint32_t b = BitsFromFloat(x);
  int e = static_cast<int>((b >> 23) & 0xFF) - 127;
  if (e == -127) {  // subnormal: scale up by 2^23 first
    x *= 8388608.0f;
    b = BitsFromFloat(x);
    e = static_cast<int>((b >> 23) & 0xFF) - 127 - 23;
  }
  float m = FloatFromBits((b & 0x007FFFFFu) | 0x3F800000u);  // [1, 2)
  if (m >= 1.41421356f) {
    m *= 0.5f;
    ++e;
  }
  const float z = (m - 1.0f) / (m + 1.0f), z2 = z * z;
  // |z| <= 0.172: the series to z^9 is exact to float precision.
  const float s = z * (2.0f + z2 * (2.0f / 3 + z2 * (2.0f / 5 + z2 * (2.0f / 7 + z2 * (2.0f / 9)))));
  return s + static_cast<float>(e) * 0.693147180559945f;
}

int32_t Log2Q16(uint64_t x) {
  const int n = BitLength64(x) - 1;  // x in [2^n, 2^(n+1))
  // Mantissa with 30 fraction bits: m in [2^30, 2^31).
  const uint32_t m = n >= 30 ? static_cast<uint32_t>(x >> (n - 30))
                             : static_cast<uint32_t>(x << (30 - n));
  const uint32_t frac = m - (1u << 30);        // [0, 2^30)
  const uint32_t i = frac >> 24;               // 64 segments
  const uint32_t r = frac & 0xFFFFFFu;         // position in the segment, Q24
  const int32_t a = kLog2.v[i], d = kLog2.v[i + 1] - a;
  const int32_t interp = static_cast<int32_t>((static_cast<int64_t>(d) * r + (1 << 23)) >> 24);
  return n * 65536 + a + interp;
}

}  // namespace mote::micro::dsp
