// Manifest: host encode -> device parse -> host decode; every truncation and
// corruption rejected with kBadRecord; unknown fields skipped; a manifest in
// a real model leaves its outputs bit-exact.
#include "host/io/manifest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "host/io/file.h"
#include "host/io/loaded_model.h"
#include "host/io/tflite_edit.h"
#include "micro/safety/crc32.h"

namespace mote::host {
namespace {

using micro::ErrorText;
using micro::Manifest;
using micro::ParseManifest;
using micro::Status;

ManifestData FullManifest() {
  ManifestData m;
  m.name = "anomaly";
  m.version = {1, 2, 3};
  m.min_runtime = std::array<uint16_t, 3>{0, 1, 0};
  m.labels = {"normal", "anomaly", ""};
  m.scale = {0.5f, 2.0f, 0.25f};
  m.offset = {0.0f, -1.0f, 3.5f};
  m.has_thresholds = true;
  m.confidence_threshold = 0.7f;
  m.hysteresis = 0.05f;
  m.anomaly_threshold = 1.5f;
  m.mean = {0.1f, -0.2f, 3.0f};
  m.variance = {1.0f, 0.5f, 0.0f};
  std::array<uint8_t, 32> h;
  for (int i = 0; i < 32; ++i) h[i] = static_cast<uint8_t>(i * 7 + 1);
  m.training_hash = h;
  m.arena_bytes = 12345;
  m.cycle_budget = 800000;
  m.warmup_windows = 4;
  m.front_end = {1, 2, 3, 4, 5};
  return m;
}

std::vector<uint8_t> Encode(const ManifestData& m) {
  std::string err;
  auto r = EncodeManifest(m, &err);
  EXPECT_TRUE(r) << err;
  return r ? *r : std::vector<uint8_t>();
}

// Parses from an allocation of exactly the record's size.
Status Parse(const std::vector<uint8_t>& rec, Manifest* m, ErrorText* err) {
  std::unique_ptr<uint8_t[]> copy(new uint8_t[rec.size() + 1]);
  if (!rec.empty()) std::memcpy(copy.get(), rec.data(), rec.size());
  return ParseManifest(copy.get(), rec.size(), m, err);
}

void PutLe32(std::vector<uint8_t>* b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*b)[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
// Recomputes length and CRC after an edit of the fields (docs/manifest.md).
void Reseal(std::vector<uint8_t>* b) {
  PutLe32(b, 8, static_cast<uint32_t>(b->size()));
  PutLe32(b, b->size() - 4, micro::Crc32(b->data(), b->size() - 4));
}
// Inserts a raw field just before the CRC.
std::vector<uint8_t> WithField(std::vector<uint8_t> rec, uint16_t tag, uint16_t flags,
                               const std::vector<uint8_t>& value) {
  std::vector<uint8_t> f = {static_cast<uint8_t>(tag), static_cast<uint8_t>(tag >> 8),
                            static_cast<uint8_t>(flags), static_cast<uint8_t>(flags >> 8), 0, 0, 0, 0};
  PutLe32(&f, 4, static_cast<uint32_t>(value.size()));
  f.insert(f.end(), value.begin(), value.end());
  while (f.size() % 4) f.push_back(0);
  rec.insert(rec.end() - 4, f.begin(), f.end());
  Reseal(&rec);
  return rec;
}

TEST(ManifestTest, RoundTripHostDeviceHost) {
  const ManifestData in = FullManifest();
  const auto rec = Encode(in);
  Manifest d;
  ErrorText err;
  ASSERT_EQ(Parse(rec, &d, &err), Status::kOk) << err.c_str();
  // The device view, field by field.
  EXPECT_TRUE(d.present);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(d.name.data), d.name.size), "anomaly");
  EXPECT_EQ(d.version.major, 1);
  EXPECT_EQ(d.version.minor, 2);
  EXPECT_EQ(d.version.patch, 3);
  ASSERT_EQ(d.num_labels, 3u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(d.Label(1).data), d.Label(1).size), "anomaly");
  EXPECT_EQ(d.Label(2).size, 0u);
  EXPECT_EQ(d.Scale(1), 2.0f);
  EXPECT_EQ(d.Offset(2), 3.5f);
  EXPECT_EQ(d.mean[2], 3.0f);
  EXPECT_EQ(d.variance[1], 0.5f);
  EXPECT_EQ(d.confidence_threshold, 0.7f);
  EXPECT_EQ(d.cycle_budget, 800000u);
  EXPECT_EQ(d.warmup_windows, 4u);
  EXPECT_EQ(d.training_hash[31], static_cast<uint8_t>(31 * 7 + 1));
  EXPECT_EQ(d.front_end.size, 5u);
  EXPECT_EQ(d.unknown_fields, 0u);
  // Back on the host: the same manifest (JSON compares every field exactly).
  std::string e;
  auto out = DecodeManifest(rec.data(), rec.size(), &e);
  ASSERT_TRUE(out) << e;
  EXPECT_EQ(ManifestToJson(*out), ManifestToJson(in));
  // And JSON -> struct -> JSON is the identity.
  ManifestData j;
  ASSERT_TRUE(ManifestFromJson(ManifestToJson(in), &j, &e)) << e;
  EXPECT_EQ(Encode(j), rec);
}

TEST(ManifestTest, MinimalHasIdentityScalingAndNoOptionalFields) {
  ManifestData m;
  m.name = "x";
  const auto rec = Encode(m);
  EXPECT_EQ(rec.size(), 12u + 12u + 16u + 4u);  // header, name (padded), version, CRC
  Manifest d;
  ASSERT_EQ(Parse(rec, &d, nullptr), Status::kOk);
  EXPECT_EQ(d.Scale(7), 1.0f);
  EXPECT_EQ(d.Offset(7), 0.0f);
  EXPECT_FALSE(d.has_thresholds);
  EXPECT_EQ(d.training_hash, nullptr);
  EXPECT_EQ(d.mean.count, 0u);
}

TEST(ManifestTest, EveryTruncationIsRejected) {
  const auto rec = Encode(FullManifest());
  for (size_t n = 0; n < rec.size(); ++n) {
    std::vector<uint8_t> cut(rec.begin(), rec.begin() + n);
    Manifest d;
    ErrorText err;
    EXPECT_EQ(Parse(cut, &d, &err), Status::kBadRecord) << n;
    EXPECT_FALSE(err.empty());
    EXPECT_FALSE(d.present);
  }
}

TEST(ManifestTest, EveryBitFlipIsRejected) {
  const auto rec = Encode(FullManifest());
  for (size_t bit = 0; bit < rec.size() * 8; ++bit) {
    auto bad = rec;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Manifest d;
    EXPECT_EQ(Parse(bad, &d, nullptr), Status::kBadRecord) << bit;
  }
}

// Corruptions with a valid CRC reach the field checks: each must fail with a
// message, or parse into views that stay inside the record.
TEST(ManifestTest, ResealedByteCorruptionsNeverEscapeTheRecord) {
  const auto rec = Encode(FullManifest());
  const uint8_t values[] = {0x00, 0x01, 0x7F, 0x80, 0xFF};
  int rejected = 0;
  for (size_t at = 4; at + 4 < rec.size(); ++at) {
    if (at >= 8 && at < 12) continue;  // the length: Reseal rewrites it
    for (uint8_t v : values) {
      auto bad = rec;
      if (bad[at] == v) continue;
      bad[at] = v;
      Reseal(&bad);
      Manifest d;
      ErrorText err;
      const Status s = Parse(bad, &d, &err);
      if (s != Status::kOk) {
        EXPECT_EQ(s, Status::kBadRecord);
        EXPECT_FALSE(err.empty());
        ++rejected;
        continue;
      }
      for (uint32_t i = 0; i < d.num_labels; ++i)
        EXPECT_LE(d.Label(i).size, bad.size());
    }
  }
  EXPECT_GT(rejected, 100);
}

TEST(ManifestTest, SpecificCorruptionsNameTheProblem) {
  const auto rec = Encode(FullManifest());
  struct Case {
    std::vector<uint8_t> bytes;
    const char* message;
  };
  std::vector<Case> cases;
  auto b = rec;
  b[0] = 'X';
  cases.push_back({b, "magic"});
  b = rec;
  b[4] = 2;  // format 2
  Reseal(&b);
  cases.push_back({b, "format 2"});
  b = rec;
  PutLe32(&b, 8, static_cast<uint32_t>(rec.size() + 4));
  cases.push_back({b, "record length"});
  cases.push_back({WithField(rec, 2, 0, {1, 0, 2, 0, 3, 0, 0, 0}), "appears twice"});
  cases.push_back({WithField(rec, 999, micro::kManifestFieldCritical, {1}), "critical"});
  // Field values the host encoder refuses to write, written raw.
  ManifestData base;
  base.name = "m";
  const auto minimal = Encode(base);
  auto f32s = [](std::vector<float> v) {
    std::vector<uint8_t> out(4);
    PutLe32(&out, 0, static_cast<uint32_t>(v.size() / 2));
    for (float f : v) {
      uint32_t u;
      std::memcpy(&u, &f, 4);
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(u >> (8 * i)));
    }
    return out;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  cases.push_back({WithField(minimal, 7, 0, f32s({0.0f, nan})), "NaN"});
  cases.push_back({WithField(minimal, 7, 0, f32s({0.0f, -1.0f})), "variance is negative"});
  cases.push_back({WithField(minimal, 5, 0, f32s({1.0f, 2.0f, 3.0f})), "count does not match"});
  cases.push_back({WithField(minimal, 9, 0, {1, 2}), "expected 4 bytes"});
  cases.push_back({WithField(minimal, 8, 0, std::vector<uint8_t>(31)), "expected 32 bytes"});
  cases.push_back({WithField(minimal, 4, 0, {2, 0, 0, 0, 1, 0, 'a'}), "label list ends early"});
  cases.push_back({WithField(minimal, 4, 0, {1, 0, 0, 0, 9, 0, 'a'}), "label runs past"});
  cases.push_back({WithField(minimal, 6, 0, std::vector<uint8_t>(8)), "expected 12 bytes"});
  // A field whose length runs past the record.
  b = minimal;
  PutLe32(&b, 12 + 4, 1000);
  Reseal(&b);
  cases.push_back({b, "past the end"});
  // Name missing: drop the name field (first, 12 bytes with padding).
  b = minimal;
  b.erase(b.begin() + 12, b.begin() + 24);
  Reseal(&b);
  cases.push_back({b, "name is missing"});
  for (const auto& c : cases) {
    Manifest d;
    ErrorText err;
    EXPECT_EQ(Parse(c.bytes, &d, &err), Status::kBadRecord) << c.message;
    EXPECT_NE(std::string(err.c_str()).find(c.message), std::string::npos) << err.c_str();
  }
}

}  // namespace
}  // namespace mote::host

namespace mote::host {
namespace {

TEST(ManifestTest, MinRuntimeIsCheckedAgainstTheRuntime) {
  ManifestData m;
  m.name = "a";
  m.min_runtime = std::array<uint16_t, 3>{0, 2, 0};
  const auto rec = Encode(m);
  Manifest d;
  ASSERT_EQ(Parse(rec, &d, nullptr), Status::kOk);
  ErrorText err;
  EXPECT_EQ(micro::CheckRuntimeVersion(d, {0, 1, 9}, &err), Status::kBadModel);
  EXPECT_STREQ(err.c_str(), "model needs runtime >= 0.2.0, this is 0.1.9");
  EXPECT_EQ(micro::CheckRuntimeVersion(d, {0, 2, 0}, &err), Status::kOk);
  EXPECT_EQ(micro::CheckRuntimeVersion(d, {1, 0, 0}, &err), Status::kOk);
  EXPECT_EQ(micro::CompareVersions({1, 0, 0}, {0, 9, 9}), 1);
  EXPECT_EQ(micro::CompareVersions({0, 1, 2}, {0, 1, 3}), -1);
}

TEST(ManifestTest, UnknownFieldsAreSkipped) {
  const auto rec = Encode(FullManifest());
  const auto grown = WithField(WithField(rec, 300, 0, {9, 9, 9}), 301, 0x8000, {});
  Manifest d;
  ErrorText err;
  ASSERT_EQ(Parse(grown, &d, &err), Status::kOk) << err.c_str();
  EXPECT_EQ(d.unknown_fields, 2u);
  std::string e;
  auto out = DecodeManifest(grown.data(), grown.size(), &e);
  ASSERT_TRUE(out) << e;
  EXPECT_EQ(ManifestToJson(*out), ManifestToJson(FullManifest()));
}

TEST(ManifestTest, EncoderRefusesWhatTheDeviceWouldReject) {
  std::string err;
  ManifestData m;
  EXPECT_FALSE(EncodeManifest(m, &err));  // no name
  EXPECT_NE(err.find("name"), std::string::npos);
  m.name = "a";
  m.scale = {1.0f};
  EXPECT_FALSE(EncodeManifest(m, &err));  // offsets missing
  m.offset = {0.0f};
  m.mean = {std::nanf("")};
  m.variance = {1.0f};
  EXPECT_FALSE(EncodeManifest(m, &err));
  m.mean = {0.0f};
  EXPECT_TRUE(EncodeManifest(m, &err)) << err;
}

TEST(ManifestTest, SettingsParseAndRejectWithClearErrors) {
  ManifestData m;
  std::string err;
  for (const char* kv : {"name=anomaly", "version=1.2.0", "labels=normal,anomaly", "threshold=0.7",
                         "hysteresis=0.05", "scale=0.5", "offset=-1", "cycle_budget=900000",
                         "warmup_windows=3", "min_runtime=0.1.0"})
    EXPECT_TRUE(ApplyManifestSetting(kv, &m, &err)) << kv << ": " << err;
  EXPECT_EQ(m.version, (std::array<uint16_t, 3>{1, 2, 0}));
  EXPECT_EQ(m.labels, (std::vector<std::string>{"normal", "anomaly"}));
  EXPECT_EQ(m.confidence_threshold, 0.7f);
  EXPECT_EQ(m.offset, std::vector<float>{-1.0f});
  EXPECT_EQ(m.cycle_budget, 900000u);
  // JSON shows floats in their shortest form, and reads them back exactly.
  const auto j = ManifestToJson(m);
  EXPECT_EQ(j["thresholds"]["confidence"].dump(), "0.7");
  ManifestData back;
  ASSERT_TRUE(ManifestFromJson(j, &back, &err)) << err;
  EXPECT_EQ(back.confidence_threshold, 0.7f);
  struct Bad {
    const char* kv;
    const char* says;
  } bad[] = {{"version=1.2", "MAJOR.MINOR.PATCH"}, {"version=1.2.70000", "MAJOR.MINOR.PATCH"},
             {"threshold=nan", "finite"},           {"scale=1,x", "finite"},
             {"warmup_windows=-1", "unsigned"},     {"colour=red", "unknown manifest key"},
             {"training_hash=abc", "32 bytes"},     {"nonsense", "key=value"}};
  for (const auto& b : bad) {
    err.clear();
    EXPECT_FALSE(ApplyManifestSetting(b.kv, &m, &err)) << b.kv;
    EXPECT_NE(err.find(b.says), std::string::npos) << b.kv << ": " << err;
  }
}

TEST(ManifestTest, JsonRejectsUnknownKeysAndWrongTypes) {
  ManifestData m;
  std::string err;
  EXPECT_FALSE(ManifestFromJson({{"nmae", "x"}}, &m, &err));
  EXPECT_NE(err.find("nmae"), std::string::npos);
  err.clear();
  EXPECT_FALSE(ManifestFromJson({{"labels", 3}}, &m, &err));
  EXPECT_NE(err.find("labels"), std::string::npos);
  err.clear();
  EXPECT_FALSE(ManifestFromJson({{"thresholds", {{"confidence", 0.5}}}}, &m, &err));
}

TEST(ManifestTest, CalibrationStatsMatchTwoPassFormula) {
  // rows of 3 features
  std::vector<float> x;
  for (int r = 0; r < 50; ++r)
    for (int f = 0; f < 3; ++f) x.push_back(static_cast<float>(std::sin(r * 0.7 + f) * (f + 1) + f));
  std::vector<float> mean, var;
  CalibrationStats(x, 3, &mean, &var);
  for (int f = 0; f < 3; ++f) {
    double s = 0, s2 = 0;
    for (int r = 0; r < 50; ++r) s += x[r * 3 + f];
    const double mu = s / 50;
    for (int r = 0; r < 50; ++r) s2 += (x[r * 3 + f] - mu) * (x[r * 3 + f] - mu);
    EXPECT_NEAR(mean[f], mu, 1e-6);
    EXPECT_NEAR(var[f], s2 / 50, 1e-5);
  }
}

TEST(ManifestTest, ManifestInARealModelIsFoundAndOutputsStayBitExact) {
  const std::string path = std::string(MOTE_SHARED_DIR) + "/models/ad_autoencoder_int8.tflite";
  std::string err;
  auto orig = LoadedModel::Open(path, &err);
  ASSERT_TRUE(orig) << err;
  const std::vector<uint8_t> bytes(orig->bytes().data(), orig->bytes().data() + orig->bytes().size());
  EXPECT_FALSE(ReadModelManifest(bytes.data(), bytes.size(), &err));
  EXPECT_TRUE(err.empty()) << err;
  ManifestData m = FullManifest();
  const size_t n = static_cast<size_t>(orig->interpreter().input(0)->elements());
  m.scale.assign(n, 0.5f);
  m.offset.assign(n, 0.0f);
  m.mean.assign(n, 0.0f);
  m.variance.assign(n, 1.0f);
  const auto rec = Encode(m);
  auto edited = AddMetadata(bytes, micro::kManifestMetadataName, rec, &err);
  ASSERT_TRUE(edited) << err;
  auto with = LoadedModel::FromBytes(edited->data(), edited->size(), &err);
  ASSERT_TRUE(with) << err;
  // The device finds and parses it through the model reader.
  Manifest d;
  ErrorText e;
  ASSERT_EQ(micro::FindManifest(&with->interpreter().model(), &d, &e), Status::kOk) << e.c_str();
  ASSERT_TRUE(d.present);
  EXPECT_EQ(d.mean.count, n);
  // Same outputs, byte for byte, on pseudo-random inputs.
  micro::Interpreter& a = orig->interpreter();
  micro::Interpreter& b = with->interpreter();
  uint32_t seed = 7;
  for (int run = 0; run < 3; ++run) {
    for (uint32_t i = 0; i < a.input(0)->bytes; ++i) {
      seed = seed * 1664525u + 1013904223u;
      a.input(0)->data[i] = b.input(0)->data[i] = static_cast<uint8_t>(seed >> 24);
    }
    ASSERT_EQ(a.Invoke(), Status::kOk);
    ASSERT_EQ(b.Invoke(), Status::kOk);
    ASSERT_EQ(a.output(0)->bytes, b.output(0)->bytes);
    EXPECT_EQ(std::memcmp(a.output(0)->data, b.output(0)->data, a.output(0)->bytes), 0);
  }
}

}  // namespace
}  // namespace mote::host
