// Field log records: round trip, encoder limits, and a stream with injected
// corruption in which every intact record is found and every defect counted.
#include "micro/safety/field_log.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "micro/safety/crc32.h"

namespace mote::micro {
namespace {

class VectorSink : public LogSink {
 public:
  Status Begin(size_t) override { return Status::kOk; }
  Status Write(const uint8_t* d, size_t n) override {
    bytes.insert(bytes.end(), d, d + n);
    return Status::kOk;
  }
  std::vector<uint8_t> bytes;
};

struct Owned {  // a record and the storage its pointers refer to
  LogRecord r;
  std::vector<uint8_t> samples;
  std::vector<LogContext> ctx;
};

Owned MakeRecord(uint32_t i) {
  Owned o;
  uint32_t x = i * 2654435761u + 7;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  o.r.timestamp_ms = 1700000000000ull + i * 250;
  o.r.device_id = 100 + i % 3;
  o.r.model_version = 4;
  o.r.decision = static_cast<uint8_t>(next() % 2);
  o.r.confidence_q16 = static_cast<uint16_t>(next());
  o.r.sample_type = static_cast<SampleType>(i % 3);
  o.r.sample_count = static_cast<uint16_t>(8 + next() % 40);
  o.samples.resize(SampleBytes(o.r.sample_type) * o.r.sample_count);
  for (auto& b : o.samples) b = static_cast<uint8_t>(next());
  if (o.r.sample_type == SampleType::kFloat32)  // finite floats
    for (size_t k = 0; k < o.r.sample_count; ++k) {
      const float f = static_cast<float>(static_cast<int>(next() % 2000) - 1000) / 100.0f;
      std::memcpy(o.samples.data() + 4 * k, &f, 4);
    }
  o.ctx = {{kLogKeyTemperature, static_cast<int16_t>(200 + i % 50)},
           {kLogKeyBatteryMv, static_cast<int16_t>(3300 - i)}};
  o.ctx.resize(i % 3);
  o.r.samples = o.samples.data();
  o.r.context = o.ctx.data();
  o.r.context_count = static_cast<uint8_t>(o.ctx.size());
  return o;
}

std::vector<uint8_t> Encode(const Owned& o) {
  std::vector<uint8_t> out(LogRecordBytes(o.r));
  size_t n = 0;
  EXPECT_EQ(EncodeLogRecord(o.r, out.data(), out.size(), &n), Status::kOk);
  EXPECT_EQ(n, out.size());
  return out;
}

void ExpectSame(const LogRecordView& v, const Owned& o) {
  EXPECT_EQ(v.timestamp_ms, o.r.timestamp_ms);
  EXPECT_EQ(v.device_id, o.r.device_id);
  EXPECT_EQ(v.model_version, o.r.model_version);
  EXPECT_EQ(v.decision, o.r.decision);
  EXPECT_EQ(v.confidence_q16, o.r.confidence_q16);
  EXPECT_EQ(v.sample_type, o.r.sample_type);
  ASSERT_EQ(v.sample_count, o.r.sample_count);
  EXPECT_EQ(std::memcmp(v.sample_bytes, o.samples.data(), o.samples.size()), 0);
  ASSERT_EQ(v.context_count, o.ctx.size());
  for (size_t k = 0; k < o.ctx.size(); ++k) {
    EXPECT_EQ(v.context[k].key, o.ctx[k].key);
    EXPECT_EQ(v.context[k].value, o.ctx[k].value);
  }
}

TEST(FieldLog, RoundTripEveryField) {
  for (uint32_t i = 0; i < 30; ++i) {
    const Owned o = MakeRecord(i);
    const auto bytes = Encode(o);
    // Size from the documented layout, not from the encoder.
    EXPECT_EQ(bytes.size(), 32 + 3 * o.ctx.size() + o.samples.size());
    EXPECT_EQ(bytes[0], 0xA5);
    EXPECT_EQ(bytes[1], 0x4C);
    EXPECT_EQ(bytes[2], 1);
    uint32_t crc;
    std::memcpy(&crc, bytes.data() + bytes.size() - 4, 4);
    EXPECT_EQ(crc, Crc32(bytes.data(), bytes.size() - 4));
    LogRecordView v;
    size_t used = 0;
    ASSERT_EQ(DecodeLogRecord(bytes.data(), bytes.size(), &v, &used, nullptr), Status::kOk);
    EXPECT_EQ(used, bytes.size());
    ExpectSame(v, o);
  }
}

TEST(FieldLog, EncoderRefusesWhatTheFormatCannotHold) {
  Owned o = MakeRecord(1);
  std::vector<LogContext> many(9, {1, 1});
  o.r.context = many.data();
  o.r.context_count = 9;
  uint8_t buf[512];
  ErrorText err;
  EXPECT_EQ(EncodeLogRecord(o.r, buf, sizeof(buf), nullptr, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("9 context fields"), std::string::npos) << err.c_str();
  o = MakeRecord(1);
  o.r.sample_type = static_cast<SampleType>(7);
  EXPECT_EQ(EncodeLogRecord(o.r, buf, sizeof(buf), nullptr), Status::kBadArgument);
  o = MakeRecord(1);
  o.r.samples = nullptr;
  EXPECT_EQ(EncodeLogRecord(o.r, buf, sizeof(buf), nullptr), Status::kBadArgument);
  o = MakeRecord(2);  // float32
  o.r.sample_count = 20000;  // 80 kB > 64 kB
  EXPECT_EQ(LogRecordBytes(o.r), 0u);
  o = MakeRecord(1);
  EXPECT_EQ(EncodeLogRecord(o.r, buf, 10, nullptr), Status::kBadArgument);  // buffer too small
}

TEST(FieldLog, DecoderNamesEachDefect) {
  const Owned o = MakeRecord(4);
  const auto good = Encode(o);
  LogDefect why;
  size_t used;
  auto flipped = good;
  flipped[40] ^= 0x08;
  EXPECT_EQ(DecodeLogRecord(flipped.data(), flipped.size(), nullptr, &used, &why), Status::kBadRecord);
  EXPECT_EQ(why, LogDefect::kBadCrc);
  EXPECT_EQ(used, good.size());
  auto v2 = good;  // a later format version, CRC intact
  v2[2] = 2;
  const uint32_t crc = Crc32(v2.data(), v2.size() - 4);
  std::memcpy(v2.data() + v2.size() - 4, &crc, 4);
  EXPECT_EQ(DecodeLogRecord(v2.data(), v2.size(), nullptr, &used, &why), Status::kBadRecord);
  EXPECT_EQ(why, LogDefect::kBadVersion);
  EXPECT_EQ(DecodeLogRecord(good.data(), good.size() - 1, nullptr, &used, &why), Status::kTruncated);
  EXPECT_EQ(why, LogDefect::kTruncated);
  EXPECT_EQ(DecodeLogRecord(good.data(), 3, nullptr, &used, &why), Status::kTruncated);
  auto count = good;  // a flipped sample count disagrees with the length
  count[26] ^= 0x01;
  EXPECT_EQ(DecodeLogRecord(count.data(), count.size(), nullptr, &used, &why), Status::kBadRecord);
  EXPECT_EQ(why, LogDefect::kBadField);
  auto shortlen = good;
  shortlen[4] = 5;
  shortlen[5] = 0;
  EXPECT_EQ(DecodeLogRecord(shortlen.data(), shortlen.size(), nullptr, &used, &why), Status::kBadRecord);
  EXPECT_EQ(why, LogDefect::kBadField);
}

struct Collected {
  std::vector<uint64_t> timestamps;
  std::vector<size_t> offsets;
};
void Collect(const LogRecordView& v, size_t offset, void* user) {
  auto* c = static_cast<Collected*>(user);
  c->timestamps.push_back(v.timestamp_ms);
  c->offsets.push_back(offset);
}

TEST(FieldLog, CorruptStreamKeepsEveryIntactRecordAndCountsTheRest) {
  constexpr uint32_t kN = 200;
  std::vector<Owned> recs;
  for (uint32_t i = 0; i < kN; ++i) recs.push_back(MakeRecord(i));
  const std::vector<uint32_t> flipped = {5, 17, 80, 133};
  const uint32_t torn = 30, unknown_version_after = 90, truncated_last = kN - 1;
  std::vector<uint8_t> stream;
  std::vector<uint64_t> expected;  // timestamps of the records that must survive
  size_t intact_bytes = 0;
  uint32_t g = 99;
  for (uint32_t i = 0; i < kN; ++i) {
    auto bytes = Encode(recs[i]);
    bool intact = true;
    if (std::find(flipped.begin(), flipped.end(), i) != flipped.end()) {
      bytes[bytes.size() - 6] ^= 0x40;  // a sample bit
      intact = false;
    }
    if (i == torn) {  // writer lost power mid-record; the next one follows
      bytes.resize(bytes.size() / 2);
      intact = false;
    }
    if (i == truncated_last) {
      bytes.resize(bytes.size() - 3);
      intact = false;
    }
    stream.insert(stream.end(), bytes.begin(), bytes.end());
    if (intact) {
      expected.push_back(recs[i].r.timestamp_ms);
      intact_bytes += bytes.size();
    }
    if (i == 50) {  // garbage without the sync byte
      for (int k = 0; k < 100; ++k) {
        g = g * 1103515245u + 12345u;
        uint8_t b = static_cast<uint8_t>(g >> 16);
        stream.push_back(b == kLogSync0 ? 0 : b);
      }
    }
    if (i == 60) stream.insert(stream.end(), 300, 0xFF);  // erased flash
    if (i == unknown_version_after) {
      auto v2 = Encode(recs[i]);
      v2[2] = 9;
      const uint32_t crc = Crc32(v2.data(), v2.size() - 4);
      std::memcpy(v2.data() + v2.size() - 4, &crc, 4);
      stream.insert(stream.end(), v2.begin(), v2.end());
    }
  }
  Collected got;
  LogScanStats st;
  ScanLog(stream.data(), stream.size(), Collect, &got, &st);
  EXPECT_EQ(got.timestamps, expected);
  EXPECT_EQ(st.records, kN - flipped.size() - 2);
  EXPECT_EQ(st.defects[static_cast<int>(LogDefect::kBadCrc)], flipped.size());
  EXPECT_EQ(st.defects[static_cast<int>(LogDefect::kTorn)], 1u);
  EXPECT_EQ(st.defects[static_cast<int>(LogDefect::kTruncated)], 1u);
  EXPECT_EQ(st.defects[static_cast<int>(LogDefect::kBadVersion)], 1u);
  EXPECT_EQ(st.defects[static_cast<int>(LogDefect::kBadField)], 0u);
  EXPECT_EQ(st.skipped_bytes, stream.size() - intact_bytes);
}

TEST(FieldLog, ScanSurvivesEveryTruncationOfAStream) {
  std::vector<uint8_t> stream;
  std::vector<size_t> ends;
  for (uint32_t i = 0; i < 6; ++i) {
    const auto b = Encode(MakeRecord(i));
    stream.insert(stream.end(), b.begin(), b.end());
    ends.push_back(stream.size());
  }
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    LogScanStats st;
    ScanLog(stream.data(), cut, nullptr, nullptr, &st);
    const size_t whole = std::count_if(ends.begin(), ends.end(), [&](size_t e) { return e <= cut; });
    EXPECT_EQ(st.records, whole) << cut;
    const bool partial = whole < ends.size() && cut > (whole == 0 ? 0 : ends[whole - 1]);
    EXPECT_EQ(st.defects[static_cast<int>(LogDefect::kTruncated)], partial ? 1u : 0u) << cut;
  }
}

}  // namespace
}  // namespace mote::micro
