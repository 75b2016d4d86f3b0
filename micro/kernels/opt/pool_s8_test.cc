// The optimized int8 average pool against the reference kernel, byte for
// byte, on random shapes: channel counts with and without a remainder of 4,
// SAME/VALID padding, strides, windows larger than the input, clamps,
// batches > 1, plus the wake-word and KWS models' global pools. Runs on the
// host (GoogleTest) and on Cortex-M (firmware/minitest), so buffers are static.
#include "micro/kernels/opt/pool_s8.h"

#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include "micro/kernels/ref/pooling.h"
#include "micro/kernels/test_rand.h"

namespace mote::micro::opt {
namespace {

uint32_t g_seed = 777;
int Rand(int lo, int hi) { return RandIn(&g_seed, lo, hi); }

constexpr int kMax = 2 * 9 * 9 * 133;  // the largest random case
int8_t g_in[kMax];
int8_t g_out_ref[kMax + 1];
int8_t g_out_opt[kMax + 1];
int g_unclamped = 0, g_total = 0;

// One case; false when the shapes do not fit the static buffers.
bool PoolCase(const ref::Shape4& is, int fh, int fw, int sh, int sw, bool same, bool clamp) {
  ref::PoolParams p;
  p.filter_h = fh;
  p.filter_w = fw;
  p.stride_h = sh;
  p.stride_w = sw;
  const int oh = ref::PaddedOutputSize(same, is.h, fh, sh, 1);
  const int ow = ref::PaddedOutputSize(same, is.w, fw, sw, 1);
  if (oh < 1 || ow < 1) return false;
  p.pad_h = ref::LeadingPadding(is.h, fh, sh, 1, oh);
  p.pad_w = ref::LeadingPadding(is.w, fw, sw, 1, ow);
  if (clamp) {
    p.act_min = Rand(-128, 0);
    p.act_max = Rand(0, 127);
  }
  const ref::Shape4 os{is.n, oh, ow, is.c};
  if (is.Elements() > kMax || os.Elements() > kMax) return false;
  for (int i = 0; i < is.Elements(); ++i) g_in[i] = static_cast<int8_t>(Rand(-128, 127));
  memset(g_out_ref, 0x55, sizeof(g_out_ref));
  memset(g_out_opt, 0x55, sizeof(g_out_opt));
  ref::AveragePoolS8(p, is, g_in, os, g_out_ref);
  opt::AveragePoolS8(p, is, g_in, os, g_out_opt);
  int first_diff = -1;
  for (int i = 0; i < os.Elements() && first_diff < 0; ++i)
    if (g_out_ref[i] != g_out_opt[i]) first_diff = i;
  EXPECT_EQ(first_diff, -1) << "in [" << is.n << "," << is.h << "," << is.w << "," << is.c
                            << "] filter " << fh << "x" << fw << " stride " << sh << "," << sw
                            << " same " << same << " clamp " << p.act_min << ".." << p.act_max;
  EXPECT_EQ(g_out_opt[os.Elements()], static_cast<int8_t>(0x55));  // nothing written past
  for (int i = 0; i < os.Elements(); ++i, ++g_total)
    if (g_out_opt[i] > p.act_min && g_out_opt[i] < p.act_max) ++g_unclamped;
  return true;
}

TEST(OptAveragePoolS8, RandomShapesMatchReference) {
  g_unclamped = g_total = 0;
  int ran = 0;
  const int cases = 300;
  for (int i = 0; i < cases; ++i) {
    const int fh = Rand(1, 5), fw = Rand(1, 5);
    const bool same = Rand(0, 1) == 1;
    const ref::Shape4 is{Rand(1, 2), Rand(same ? 1 : fh, fh + 4), Rand(same ? 1 : fw, fw + 4),
                         Rand(1, 3) == 1 ? Rand(60, 133) : Rand(1, 20)};
    ran += PoolCase(is, fh, fw, Rand(1, 3), Rand(1, 3), same, Rand(0, 3) == 0);
  }
  EXPECT_EQ(ran, cases);
  // Small windows of random bytes average to values well inside the range.
  EXPECT_GE(g_unclamped, g_total / 2);
}

TEST(OptAveragePoolS8, GlobalPoolsOfTheExampleModels) {
  // The wake-word DS-CNN (32 channels) and MLPerf Tiny's KWS DS-CNN (64):
  // one output pixel from 25 x 5; then 160 channels with a 25 x 5 stride.
  EXPECT_TRUE(PoolCase({1, 25, 5, 32}, 25, 5, 1, 1, false, false));
  EXPECT_TRUE(PoolCase({1, 25, 5, 64}, 25, 5, 1, 1, false, false));
  EXPECT_TRUE(PoolCase({1, 25, 5, 160}, 25, 5, 25, 5, false, false));
}

}  // namespace
}  // namespace mote::micro::opt
