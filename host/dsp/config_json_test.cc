#include "host/dsp/config_json.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace mote::micro::dsp {
namespace {

bool SameConfig(const FrontEndConfig& a, const FrontEndConfig& b) {
  return a.sample_rate_hz == b.sample_rate_hz && a.window_us == b.window_us &&
         a.hop_us == b.hop_us && a.fft_size == b.fft_size && a.frames == b.frames &&
         a.window == b.window && a.feature == b.feature && a.mel_scale == b.mel_scale &&
         a.mel_triangles == b.mel_triangles && a.mel_norm == b.mel_norm &&
         a.mel_bands == b.mel_bands && a.num_mfcc == b.num_mfcc && a.normalize == b.normalize &&
         a.fixed_frac_bits == b.fixed_frac_bits && a.fmin_hz == b.fmin_hz &&
         a.fmax_hz == b.fmax_hz && a.log_floor == b.log_floor && a.preemphasis == b.preemphasis &&
         a.dc_alpha == b.dc_alpha;
}

TEST(HostConfigJsonTest, ConfigJsonRoundTripAndErrors) {
  FrontEndConfig c = KwsConfig();
  FeatureNorm n;
  host::dsp::ConfigFromJson(nlohmann::json::parse(R"({"feature": "logmel", "mel_bands": 32,
      "mel_scale": "slaney", "mel_norm": "slaney", "window": "hamming", "window_ms": 25,
      "hop_ms": 10, "preemphasis": 0.97})"), &c, &n);
  EXPECT_EQ(c.feature, FeatureType::kLogMel);
  EXPECT_EQ(c.num_mfcc, 0);
  EXPECT_EQ(WindowSamples(c), 400);
  EXPECT_EQ(HopSamples(c), 160);
  FrontEndConfig d = KwsConfig();
  host::dsp::ConfigFromJson(host::dsp::ConfigToJson(c, nullptr), &d, &n);
  EXPECT_TRUE(SameConfig(c, d));
  for (const char* bad : {R"({"fft_size": 500})", R"({"mel_scale": "bark"})", R"({"windw": 1})",
                          R"({"normalize": true})", R"({"fmax_hz": "x"})"}) {
    FrontEndConfig e = KwsConfig();
    EXPECT_THROW(host::dsp::ConfigFromJson(nlohmann::json::parse(bad), &e, &n), std::invalid_argument)
        << bad;
  }
}

}  // namespace
}  // namespace mote::micro::dsp
