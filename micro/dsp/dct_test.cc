#include "micro/dsp/dct.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

TEST(DspDctTest, MatchesNaiveOrthoDct) {
  const int m = 40, k = 13;
  std::vector<float> in(m), table(k * m), out(k);
  std::vector<int16_t> tq(k * m);
  std::vector<int32_t> in_q(m), out_q(k);
  for (int i = 0; i < m; ++i) {
    in[i] = std::sin(0.3f * i) * 5 - 2;
    in_q[i] = static_cast<int32_t>(std::lround(in[i] * 65536.0));
  }
  FillDctF32(k, m, table.data());
  FillDctQ15(k, m, tq.data());
  DctF32(table.data(), in.data(), m, k, out.data());
  DctQ16(tq.data(), in_q.data(), m, k, out_q.data());
  for (int j = 0; j < k; ++j) {
    double ref = 0;
    for (int i = 0; i < m; ++i) ref += in[i] * std::cos(M_PI * j * (2 * i + 1) / (2.0 * m));
    ref *= std::sqrt((j == 0 ? 1.0 : 2.0) / m);
    EXPECT_NEAR(out[j], ref, 1e-4) << j;
    EXPECT_NEAR(out_q[j] / 65536.0, ref, 2e-3) << j;  // Q15 table
  }
}

TEST(DspDctTest, FullTableIsOrthonormal) {
  const int m = 16;
  std::vector<float> t(m * m);
  FillDctF32(m, m, t.data());
  for (int a = 0; a < m; ++a)
    for (int b = 0; b < m; ++b) {
      double dot = 0;
      for (int i = 0; i < m; ++i) dot += double(t[a * m + i]) * t[b * m + i];
      EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-6);
    }
}

}  // namespace
}  // namespace mote::micro::dsp
