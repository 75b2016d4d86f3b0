// The field log's flash ring: wrap-around keeps the newest records, reopening
// continues after the last record, and a power cut at any byte of an append
// loses at most the record being written.
#include "micro/safety/field_log_ring.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "micro/safety/flash_sim.h"

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

// Record i: int16 window of 20 + i % 30 samples, value k * 7 + i.
struct Rec {
  std::vector<int16_t> w;
  LogContext ctx[1];
  LogRecord r;
};
Rec Make(uint32_t i) {
  Rec x;
  x.w.resize(20 + i % 30);
  for (size_t k = 0; k < x.w.size(); ++k) x.w[k] = static_cast<int16_t>(k * 7 + i);
  x.ctx[0] = {kLogKeyBatteryMv, static_cast<int16_t>(3000 + i)};
  x.r.timestamp_ms = 1000 + i;
  x.r.device_id = 42;
  x.r.decision = static_cast<uint8_t>(i & 1);
  x.r.sample_type = SampleType::kInt16;
  x.r.samples = x.w.data();
  x.r.sample_count = static_cast<uint16_t>(x.w.size());
  x.r.context = x.ctx;
  x.r.context_count = 1;
  return x;
}

// Timestamps of the dumped records; every dumped record must equal Make(i).
std::vector<uint64_t> DumpIds(FlashLogRing& ring) {
  VectorSink out;
  EXPECT_EQ(ring.Dump(&out), Status::kOk);
  std::vector<uint64_t> ids;
  LogScanStats st;
  struct Ctx {
    std::vector<uint64_t>* ids;
  } c{&ids};
  ScanLog(
      out.bytes.data(), out.bytes.size(),
      [](const LogRecordView& v, size_t, void* u) {
        const uint32_t i = static_cast<uint32_t>(v.timestamp_ms - 1000);
        const Rec want = Make(i);
        EXPECT_EQ(v.sample_count, want.w.size());
        EXPECT_EQ(std::memcmp(v.sample_bytes, want.w.data(), 2 * want.w.size()), 0);
        EXPECT_EQ(v.context[0].value, want.ctx[0].value);
        static_cast<Ctx*>(u)->ids->push_back(v.timestamp_ms - 1000);
      },
      &c, &st);
  EXPECT_EQ(st.skipped_bytes, 0u);  // a dump holds intact records only
  return ids;
}

std::vector<uint64_t> Range(uint64_t a, uint64_t b) {  // [a, b)
  std::vector<uint64_t> v;
  for (uint64_t i = a; i < b; ++i) v.push_back(i);
  return v;
}

constexpr size_t kSector = 512;

TEST(FieldLogRing, WrapAroundKeepsTheNewestRecords) {
  std::vector<uint8_t> mem(4 * kSector);
  SimFlash flash(mem.data(), mem.size(), kSector);
  FlashLogRing ring(&flash, 0, mem.size());
  ASSERT_EQ(ring.Open(), Status::kOk);
  for (uint32_t i = 0; i < 100; ++i) {
    const Rec x = Make(i);
    ASSERT_EQ(AppendLogRecord(&ring, x.r), Status::kOk) << i;
  }
  const auto ids = DumpIds(ring);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids, Range(ids.front(), 100));  // a contiguous run ending with the last
  // At least three full sectors' worth survive (largest record: 32+3+49*2 bytes).
  EXPECT_GE(ids.size(), 3 * ((kSector - 8) / (32 + 3 + 49 * 2)));
  EXPECT_EQ(flash.nor_violations(), 0u);
}

TEST(FieldLogRing, ReopenContinuesAfterTheLastRecord) {
  std::vector<uint8_t> mem(8 * kSector);
  SimFlash flash(mem.data(), mem.size(), kSector);
  {
    FlashLogRing ring(&flash, 0, mem.size());
    ASSERT_EQ(ring.Open(), Status::kOk);
    for (uint32_t i = 0; i < 10; ++i) ASSERT_EQ(AppendLogRecord(&ring, Make(i).r), Status::kOk);
  }
  FlashLogRing ring(&flash, 0, mem.size());  // after a reset
  ASSERT_EQ(ring.Open(), Status::kOk);
  for (uint32_t i = 10; i < 20; ++i) ASSERT_EQ(AppendLogRecord(&ring, Make(i).r), Status::kOk);
  EXPECT_EQ(DumpIds(ring), Range(0, 20));
  EXPECT_EQ(flash.nor_violations(), 0u);
}

TEST(FieldLogRing, RejectsBadRegionsAndOversizedRecords) {
  std::vector<uint8_t> mem(4 * kSector);
  SimFlash flash(mem.data(), mem.size(), kSector);
  ErrorText err;
  FlashLogRing one(&flash, 0, kSector);
  EXPECT_EQ(one.Open(&err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("2 whole sectors"), std::string::npos);
  FlashLogRing outside(&flash, 2 * kSector, 4 * kSector);
  EXPECT_EQ(outside.Open(), Status::kBadArgument);
  FlashLogRing ring(&flash, 0, mem.size());
  EXPECT_EQ(AppendLogRecord(&ring, Make(0).r), Status::kNotReady);  // not opened
  ASSERT_EQ(ring.Open(), Status::kOk);
  std::vector<int8_t> big(kSector);
  LogRecord r;
  r.samples = big.data();
  r.sample_count = static_cast<uint16_t>(big.size());
  EXPECT_EQ(AppendLogRecord(&ring, r, &err), Status::kBadArgument);
}

// Cuts the power at every byte operation of one append after `prefill`
// records; then reopens, checks the dump (all earlier records, the new one
// only if the append completed) and that the next append works.
size_t SweepAppend(uint32_t prefill, bool* erased_sector) {
  std::vector<uint8_t> base(4 * kSector);
  {
    SimFlash flash(base.data(), base.size(), kSector);
    FlashLogRing ring(&flash, 0, base.size());
    EXPECT_EQ(ring.Open(), Status::kOk);
    for (uint32_t i = 0; i < prefill; ++i) EXPECT_EQ(AppendLogRecord(&ring, Make(i).r), Status::kOk);
  }
  uint64_t total = 0;
  {
    std::vector<uint8_t> mem = base;
    SimFlash flash(mem.data(), mem.size(), kSector);
    std::copy(base.begin(), base.end(), mem.begin());
    FlashLogRing ring(&flash, 0, mem.size());
    EXPECT_EQ(ring.Open(), Status::kOk);
    const uint64_t before = flash.byte_ops();
    EXPECT_EQ(AppendLogRecord(&ring, Make(prefill).r), Status::kOk);
    total = flash.byte_ops() - before;
  }
  *erased_sector = total > LogRecordBytes(Make(prefill).r);
  for (uint64_t cut = 0; cut <= total; ++cut) {
    std::vector<uint8_t> mem = base;
    SimFlash flash(mem.data(), mem.size(), kSector);  // erases: restore the image
    std::copy(base.begin(), base.end(), mem.begin());
    FlashLogRing ring(&flash, 0, mem.size());
    EXPECT_EQ(ring.Open(), Status::kOk);
    flash.set_power_budget(static_cast<int64_t>(cut));
    const Status s = AppendLogRecord(&ring, Make(prefill).r);
    EXPECT_EQ(s == Status::kOk, cut == total) << cut;
    flash.PowerOn();
    FlashLogRing after(&flash, 0, mem.size());
    EXPECT_EQ(after.Open(), Status::kOk);
    const auto ids = DumpIds(after);
    EXPECT_EQ(ids, Range(0, s == Status::kOk ? prefill + 1 : prefill)) << "cut " << cut;
    EXPECT_EQ(AppendLogRecord(&after, Make(prefill + 1).r), Status::kOk) << cut;
    const auto ids2 = DumpIds(after);
    EXPECT_TRUE(!ids2.empty() && ids2.back() == prefill + 1u) << "cut " << cut;
    EXPECT_EQ(flash.nor_violations(), 0u) << cut;
    if (::testing::Test::HasFailure()) break;
  }
  return static_cast<size_t>(total + 1);
}

TEST(FieldLogRing, PowerLossAtEveryByteOfAnAppend) {
  size_t cuts = 0;
  bool erased = false, saw_in_sector = false, saw_new_sector = false;
  // Prefill counts that leave the next record in the head sector, or force a
  // fresh sector (erase + header + record).
  for (uint32_t prefill : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u}) {
    cuts += SweepAppend(prefill, &erased);
    (erased ? saw_new_sector : saw_in_sector) = true;
  }
  EXPECT_TRUE(saw_in_sector);
  EXPECT_TRUE(saw_new_sector);
  std::printf("[ sweep    ] field log append: %zu cut points\n", cuts);
}

}  // namespace
}  // namespace mote::micro
