// The optimized int8 kernels against the reference kernels, byte for byte, on
// random shapes: odd channel counts, SAME/VALID padding, strides, dilation,
// per-tensor and per-channel requantization, input/output offsets, clamps,
// batches > 1, plus the KWS layer shapes. Runs on the host (GoogleTest) and
// on Cortex-M (firmware/minitest: the DSP paths), so buffers are static.
#include "micro/kernels/opt/conv_s8.h"

#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include "micro/kernels/kernel_util.h"
#include "micro/kernels/ref/conv.h"
#include "micro/kernels/ref/fully_connected.h"
#include "micro/kernels/test_rand.h"

namespace mote::micro::opt {
namespace {

uint32_t g_seed = 12345;
int Rand(int lo, int hi) { return RandIn(&g_seed, lo, hi); }

constexpr int kMaxIn = 49 * 10 * 64;
constexpr int kMaxOut = 49 * 10 * 64;
constexpr int kMaxFilter = 64 * 64 * 9;
constexpr int kMaxCh = 96;

int8_t g_in[kMaxIn];
int8_t g_filter[kMaxFilter];
int32_t g_bias[kMaxCh];
int32_t g_mult[kMaxCh];
int8_t g_shift[kMaxCh];
alignas(16) int16_t g_col[2 * kMaxWindow + 2];
int8_t g_out_ref[kMaxOut + 1];
int8_t g_out_opt[kMaxOut + 1];
int g_unclamped = 0;  // outputs strictly inside the clamp range, over all cases
int g_total = 0;

// Random requantization: per-channel or per-tensor, scales that put the
// outputs of sums over k products in a useful range.
ref::ChannelQuant RandomQuant(int channels, int k) {
  ref::ChannelQuant q;
  const bool per_channel = Rand(0, 1) == 1;
  for (int c = 0; c < (per_channel ? channels : 1); ++c) {
    const double real = 1.0 / (Rand(20, 400) * (1 + k / 4));
    int32_t m = 0;
    int s = 0;
    ref::QuantizeMultiplier(real, &m, &s);
    if (per_channel) {
      g_mult[c] = m;
      g_shift[c] = static_cast<int8_t>(s);
    } else {
      q.mult = m;
      q.shift = s;
    }
  }
  if (per_channel) {
    q.channel_mult = g_mult;
    q.channel_shift = g_shift;
    // Sometimes one channel with a left shift (real multiplier >= 0.5): the
    // kernels' right-shift-only requantization must leave such a layer alone.
    if (Rand(0, 3) == 0) {
      const int c = Rand(0, channels - 1);
      int s = 0;
      ref::QuantizeMultiplier(0.5 + Rand(0, 100) / 100.0, &g_mult[c], &s);
      g_shift[c] = static_cast<int8_t>(s);
    }
  }
  return q;
}

void RandomOffsetsAndClamp(int32_t* input_offset, int32_t* output_offset, int32_t* lo,
                           int32_t* hi) {
  *input_offset = -Rand(-128, 127);
  *output_offset = Rand(-128, 127);
  *lo = -128;
  *hi = 127;
  if (Rand(0, 2) == 0) *lo = *output_offset;  // ReLU
  if (Rand(0, 3) == 0) *hi = *lo + Rand(0, 127 - *lo);  // ReLU6-like
}

void Fill(int8_t* p, int n, int lo, int hi) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<int8_t>(Rand(lo, hi));
}

void CountUnclamped(const int8_t* out, int n, int32_t lo, int32_t hi) {
  for (int i = 0; i < n; ++i) g_unclamped += out[i] > lo && out[i] < hi;
  g_total += n;
}

// One random conv (depthwise or not) compared with the reference. Returns
// false if the shape did not fit the static buffers (then nothing ran).
bool ConvCase(bool depthwise, const ref::Shape4& is, int kh, int kw, int out_ch, int stride_h,
              int stride_w, int dil_h, int dil_w, bool same) {
  ref::ConvParams p;
  p.stride_h = stride_h;
  p.stride_w = stride_w;
  p.dilation_h = dil_h;
  p.dilation_w = dil_w;
  const int oh = ref::PaddedOutputSize(same, is.h, kh, stride_h, dil_h);
  const int ow = ref::PaddedOutputSize(same, is.w, kw, stride_w, dil_w);
  if (oh < 1 || ow < 1) return false;
  p.pad_h = ref::LeadingPadding(is.h, kh, stride_h, dil_h, oh);
  p.pad_w = ref::LeadingPadding(is.w, kw, stride_w, dil_w, ow);
  const ref::Shape4 fs = depthwise ? ref::Shape4{1, kh, kw, is.c} : ref::Shape4{out_ch, kh, kw, is.c};
  const ref::Shape4 os{is.n, oh, ow, depthwise ? is.c : out_ch};
  if (is.Elements() > kMaxIn || fs.Elements() > kMaxFilter || os.Elements() > kMaxOut ||
      os.c > kMaxCh)
    return false;
  RandomOffsetsAndClamp(&p.input_offset, &p.output_offset, &p.act_min, &p.act_max);
  Fill(g_in, is.Elements(), -128, 127);
  Fill(g_filter, fs.Elements(), Rand(0, 3) == 0 ? -128 : -127, 127);
  const bool has_bias = Rand(0, 3) != 0;
  for (int c = 0; c < os.c; ++c) g_bias[c] = Rand(-30000, 30000);
  const int k = kh * kw * (depthwise ? 1 : is.c);  // products per output
  const ref::ChannelQuant q = RandomQuant(os.c, k);
  const int32_t* bias = has_bias ? g_bias : nullptr;
  memset(g_out_ref, 0x55, sizeof(g_out_ref));
  memset(g_out_opt, 0x55, sizeof(g_out_opt));
  if (depthwise) {
    EXPECT_TRUE(DepthwiseConv2DS8Applies(p, fs));
    ref::DepthwiseConv2DPerChannelS8(p, q, is, g_in, fs, g_filter, bias, os, g_out_ref);
    DepthwiseConv2DS8(p, q, bias, is, g_in, fs, g_filter, os, g_out_opt);
  } else {
    EXPECT_TRUE(Conv2DS8Applies(is, fs));
    memset(g_col, 0x3c, static_cast<size_t>(Conv2DS8ColBytes(fs)));  // contents ignored
    ref::Conv2DPerChannelS8(p, q, is, g_in, fs, g_filter, bias, os, g_out_ref);
    Conv2DS8(p, q, bias, g_col, is, g_in, fs, g_filter, os, g_out_opt);
  }
  int first_diff = -1;
  for (int i = 0; i < os.Elements() && first_diff < 0; ++i)
    if (g_out_ref[i] != g_out_opt[i]) first_diff = i;
  EXPECT_EQ(first_diff, -1) << (depthwise ? "depthwise" : "conv") << " in [" << is.n << ","
                            << is.h << "," << is.w << "," << is.c << "] filter " << kh << "x"
                            << kw << " out_ch " << os.c << " stride " << stride_h << ","
                            << stride_w << " dilation " << dil_h << "," << dil_w
                            << " same " << same;
  // Nothing written past the output.
  EXPECT_EQ(g_out_opt[os.Elements()], static_cast<int8_t>(0x55));
  CountUnclamped(g_out_opt, os.Elements(), p.act_min, p.act_max);
  return true;
}

void RandomConvCases(bool depthwise, int cases) {
  int ran = 0;
  for (int i = 0; i < cases; ++i) {
    const int kh = Rand(1, 4), kw = Rand(1, 4), dil_h = Rand(1, 2), dil_w = Rand(1, 2);
    const bool same = Rand(0, 1) == 1;
    const int eff_h = (kh - 1) * dil_h + 1, eff_w = (kw - 1) * dil_w + 1;
    // VALID needs the input at least as large as the (dilated) filter.
    const ref::Shape4 is{Rand(1, 2), Rand(same ? 1 : eff_h, eff_h + 6),
                         Rand(same ? 1 : eff_w, eff_w + 6), Rand(1, depthwise ? 45 : 13)};
    ran += ConvCase(depthwise, is, kh, kw, Rand(1, 11), Rand(1, 3), Rand(1, 3), dil_h, dil_w,
                    same);
  }
  EXPECT_EQ(ran, cases);
}

TEST(OptConvS8, RandomShapesMatchReference) {
  g_unclamped = g_total = 0;
  RandomConvCases(false, 400);
  // The comparisons saw real values, not only clamped ones.
  EXPECT_GE(g_unclamped, g_total / 4);
}

TEST(OptDepthwiseConvS8, RandomShapesMatchReference) {
  g_unclamped = g_total = 0;
  RandomConvCases(true, 400);
  EXPECT_GE(g_unclamped, g_total / 4);
}

TEST(OptConvS8, KeywordSpottingLayers) {
  // DS-CNN: 10x4 stride 2 SAME first layer, 3x3 depthwise, 1x1 pointwise.
  EXPECT_TRUE(ConvCase(false, {1, 49, 10, 1}, 10, 4, 64, 2, 2, 1, 1, true));
  EXPECT_TRUE(ConvCase(true, {1, 25, 5, 64}, 3, 3, 64, 1, 1, 1, 1, true));
  EXPECT_TRUE(ConvCase(false, {1, 25, 5, 64}, 1, 1, 64, 1, 1, 1, 1, false));
  // Channel counts that leave tails in every unrolled loop.
  EXPECT_TRUE(ConvCase(false, {1, 7, 6, 37}, 3, 3, 23, 1, 2, 1, 1, true));
  EXPECT_TRUE(ConvCase(true, {2, 8, 7, 45}, 5, 3, 45, 2, 1, 1, 2, true));
  // Output channels in three requantization chunks, the last one odd.
  EXPECT_TRUE(ConvCase(false, {1, 5, 4, 9}, 3, 3, 71, 1, 1, 1, 1, true));
}

TEST(OptConvS8, AppliesOnlyToSupportedShapes) {
  ref::ConvParams p;
  EXPECT_TRUE(Conv2DS8Applies({1, 8, 8, 16}, {4, 8, 8, 16}));   // 1024-byte window
  EXPECT_FALSE(Conv2DS8Applies({1, 8, 8, 16}, {4, 9, 8, 16}));  // 1152 bytes
  EXPECT_EQ(Conv2DS8ColBytes({4, 1, 1, 16}), 64);
  EXPECT_EQ(Conv2DS8ColBytes({4, 3, 3, 5}), 184);  // 45 -> 46 int16 per window
  EXPECT_FALSE(Conv2DS8Applies({1, 8, 8, 6}, {4, 3, 3, 3}));   // grouped
  EXPECT_TRUE(DepthwiseConv2DS8Applies(p, {1, 3, 3, 8}));
  EXPECT_TRUE(DepthwiseConv2DS8Applies(p, {1, 4, 8, 8}));   // 32 taps
  EXPECT_FALSE(DepthwiseConv2DS8Applies(p, {1, 5, 7, 8}));  // 35 taps
  p.depth_multiplier = 2;
  EXPECT_FALSE(DepthwiseConv2DS8Applies(p, {1, 3, 3, 8}));
}

// Conv and depthwise writing their output over their input, as the planner
// arranges when the op allows it: the output starts SlidingWindowGap bytes
// below the input (what the reference's write/read order needs).
void InPlaceCase(bool depthwise, const ref::Shape4& is, int kh, int kw, int out_ch, int stride) {
  ref::ConvParams p;
  p.stride_h = p.stride_w = stride;
  const int oh = ref::PaddedOutputSize(true, is.h, kh, stride, 1);
  const int ow = ref::PaddedOutputSize(true, is.w, kw, stride, 1);
  p.pad_h = ref::LeadingPadding(is.h, kh, stride, 1, oh);
  p.pad_w = ref::LeadingPadding(is.w, kw, stride, 1, ow);
  const ref::Shape4 fs = depthwise ? ref::Shape4{1, kh, kw, is.c} : ref::Shape4{out_ch, kh, kw, is.c};
  const ref::Shape4 os{is.n, oh, ow, depthwise ? is.c : out_ch};
  RandomOffsetsAndClamp(&p.input_offset, &p.output_offset, &p.act_min, &p.act_max);
  Fill(g_filter, fs.Elements(), -127, 127);
  for (int c = 0; c < os.c; ++c) g_bias[c] = Rand(-30000, 30000);
  const ref::ChannelQuant q = RandomQuant(os.c, kh * kw * (depthwise ? 1 : is.c));
  const uint32_t gap = SlidingWindowGap(is, os, stride, stride, p.pad_h, p.pad_w, 1, 1);
  ASSERT_LE(static_cast<int>(gap) + is.Elements(), kMaxIn);
  int8_t* input = g_in + gap;
  Fill(input, is.Elements(), -128, 127);
  if (depthwise) {
    ref::DepthwiseConv2DPerChannelS8(p, q, is, input, fs, g_filter, g_bias, os, g_out_ref);
    DepthwiseConv2DS8(p, q, g_bias, is, input, fs, g_filter, os, g_in);
  } else {
    ref::Conv2DPerChannelS8(p, q, is, input, fs, g_filter, g_bias, os, g_out_ref);
    Conv2DS8(p, q, g_bias, g_col, is, input, fs, g_filter, os, g_in);
  }
  int first_diff = -1;
  for (int i = 0; i < os.Elements() && first_diff < 0; ++i)
    if (g_out_ref[i] != g_in[i]) first_diff = i;
  EXPECT_EQ(first_diff, -1) << (depthwise ? "depthwise" : "conv") << " gap " << gap;
}

TEST(OptConvS8, InPlaceMatchesReference) {
  InPlaceCase(false, {1, 5, 7, 24}, 1, 1, 24, 1);   // pointwise, same size
  InPlaceCase(false, {2, 6, 6, 8}, 1, 1, 6, 1);     // pointwise, narrower
  InPlaceCase(false, {1, 9, 8, 5}, 3, 3, 5, 2);
  InPlaceCase(true, {1, 7, 6, 20}, 3, 3, 0, 1);
  InPlaceCase(true, {1, 8, 8, 36}, 3, 3, 0, 2);
}

TEST(OptFullyConnectedS8, RandomShapesMatchReference) {
  g_unclamped = g_total = 0;
  for (int i = 0; i < 200; ++i) {
    const int batches = Rand(1, 3);
    const int depth = Rand(1, i < 20 ? 300 : 70);
    const int units = Rand(1, i < 20 ? 70 : 13);
    ref::FullyConnectedParams p;
    RandomOffsetsAndClamp(&p.input_offset, &p.output_offset, &p.act_min, &p.act_max);
    Fill(g_in, batches * depth, -128, 127);
    Fill(g_filter, units * depth, -127, 127);
    for (int u = 0; u < units; ++u) g_bias[u] = Rand(-30000, 30000);
    const int32_t* bias = Rand(0, 3) != 0 ? g_bias : nullptr;
    const ref::ChannelQuant q = RandomQuant(units, depth);
    ASSERT_TRUE(FullyConnectedS8Applies(p));
    ref::FullyConnectedS8(p, q, batches, depth, units, g_in, g_filter, bias, g_out_ref);
    FullyConnectedS8(p, q, bias, batches, depth, units, g_in, g_filter, g_out_opt);
    int first_diff = -1;
    for (int j = 0; j < batches * units && first_diff < 0; ++j)
      if (g_out_ref[j] != g_out_opt[j]) first_diff = j;
    EXPECT_EQ(first_diff, -1) << "batches " << batches << " depth " << depth << " units "
                              << units;
    CountUnclamped(g_out_opt, batches * units, p.act_min, p.act_max);
  }
  EXPECT_GE(g_unclamped, g_total / 4);
  ref::FullyConnectedParams p;
  p.weights_offset = 3;
  EXPECT_FALSE(FullyConnectedS8Applies(p));
}

}  // namespace
}  // namespace mote::micro::opt
