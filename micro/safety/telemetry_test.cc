// Telemetry: encode/decode round trip; every single-bit flip, truncation and
// field violation rejected with kBadRecord.
#include "micro/safety/telemetry.h"

#include <gtest/gtest.h>

#include <cstring>

#include "micro/safety/crc32.h"

namespace mote::micro {
namespace {

Telemetry Sample() {
  Telemetry t;
  t.sequence = 0x01020304u;
  t.uptime_s = 86400;
  t.model_version = {1, 2, 3};
  t.invocations = 1000;
  t.windows = 1010;
  t.errors = 1;
  t.overruns = 2;
  t.fallbacks = 7;
  t.clamped_values = 0xFFFFFFFFu;
  t.nan_windows = 4;
  t.low_confidence = 33;
  t.warmup_skips = 5;
  t.latency_min = 90000;
  t.latency_max = 150000;
  t.latency_mean = 100000;
  t.drift_windows = 1005;
  t.drift_max_shift = 3.25f;
  t.drift_max_ratio = 0.125f;
  t.drift_worst_feature = 639;
  t.drift_alarm = 1;
  t.flags = 3;
  return t;
}

void Reseal(uint8_t* b) {
  const uint32_t c = Crc32(b, kTelemetryBytes - 4);
  for (int i = 0; i < 4; ++i) b[kTelemetryBytes - 4 + i] = static_cast<uint8_t>(c >> (8 * i));
}

TEST(TelemetryTest, RoundTripIsExact) {
  uint8_t buf[kTelemetryBytes];
  ErrorText err;
  const Telemetry in = Sample();
  ASSERT_EQ(EncodeTelemetry(in, buf, sizeof(buf), &err), Status::kOk);
  EXPECT_EQ(std::memcmp(buf, "MOTT", 4), 0);
  EXPECT_EQ(buf[6], kTelemetryBytes);  // length, little-endian
  EXPECT_EQ(buf[8], 0x04);             // sequence, little-endian
  Telemetry out;
  ASSERT_EQ(DecodeTelemetry(buf, sizeof(buf), &out, &err), Status::kOk) << err.c_str();
  uint8_t again[kTelemetryBytes];
  ASSERT_EQ(EncodeTelemetry(out, again, sizeof(again), &err), Status::kOk);
  EXPECT_EQ(std::memcmp(buf, again, sizeof(buf)), 0);
  EXPECT_EQ(out.sequence, in.sequence);
  EXPECT_EQ(out.model_version.patch, 3);
  EXPECT_EQ(out.clamped_values, 0xFFFFFFFFu);
  EXPECT_EQ(out.latency_mean, 100000u);
  EXPECT_EQ(out.drift_max_shift, 3.25f);
  EXPECT_EQ(out.drift_worst_feature, 639);
  EXPECT_EQ(out.flags, 3);
}

TEST(TelemetryTest, EverySingleBitFlipIsRejected) {
  uint8_t buf[kTelemetryBytes];
  ASSERT_EQ(EncodeTelemetry(Sample(), buf, sizeof(buf), nullptr), Status::kOk);
  for (size_t bit = 0; bit < kTelemetryBytes * 8; ++bit) {
    uint8_t bad[kTelemetryBytes];
    std::memcpy(bad, buf, sizeof(buf));
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Telemetry t;
    ErrorText err;
    EXPECT_EQ(DecodeTelemetry(bad, sizeof(bad), &t, &err), Status::kBadRecord) << bit;
    EXPECT_FALSE(err.empty());
  }
}

TEST(TelemetryTest, TruncationsAndSmallBuffersAreRejected) {
  uint8_t buf[kTelemetryBytes];
  ErrorText err;
  EXPECT_EQ(EncodeTelemetry(Sample(), buf, sizeof(buf) - 1, &err), Status::kBadArgument);
  ASSERT_EQ(EncodeTelemetry(Sample(), buf, sizeof(buf), &err), Status::kOk);
  Telemetry t;
  for (size_t n = 0; n < kTelemetryBytes; ++n)
    EXPECT_EQ(DecodeTelemetry(buf, n, &t, &err), Status::kBadRecord) << n;
  EXPECT_EQ(DecodeTelemetry(nullptr, 0, &t, &err), Status::kBadRecord);
}

TEST(TelemetryTest, FieldViolationsWithValidCrcAreRejected) {
  uint8_t good[kTelemetryBytes];
  ASSERT_EQ(EncodeTelemetry(Sample(), good, sizeof(good), nullptr), Status::kOk);
  struct Case {
    size_t at;
    uint8_t value;
    const char* says;
  } cases[] = {{4, 2, "format 2"},        {6, 91, "length"},       {22, 4, "reserved"},
               {23, 2, "reserved"},       {86, 1, "reserved"},     {79, 0xFF, "drift"},
               {63, 0xFF, "latency"}};
  for (const auto& c : cases) {
    uint8_t bad[kTelemetryBytes];
    std::memcpy(bad, good, sizeof(bad));
    bad[c.at] = c.value;
    Reseal(bad);
    Telemetry t;
    ErrorText err;
    EXPECT_EQ(DecodeTelemetry(bad, sizeof(bad), &t, &err), Status::kBadRecord) << c.at;
    EXPECT_NE(std::string(err.c_str()).find(c.says), std::string::npos) << err.c_str();
  }
}

}  // namespace
}  // namespace mote::micro
