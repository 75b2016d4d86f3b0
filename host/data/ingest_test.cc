// Ingest: intact records become rows (values byte-exact as float), defects
// are counted, other lengths and NaN windows are left out, summaries agree
// with a direct computation.
#include "host/data/ingest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "host/data/dataset.h"

namespace mote::data {
namespace {

std::vector<uint8_t> Encode(const micro::LogRecord& r) {
  std::vector<uint8_t> out(micro::LogRecordBytes(r));
  EXPECT_EQ(micro::EncodeLogRecord(r, out.data(), out.size(), nullptr), micro::Status::kOk);
  return out;
}

micro::LogRecord Int8Record(const std::vector<int8_t>& w, uint32_t device, uint8_t decision,
                            uint64_t t) {
  micro::LogRecord r;
  r.timestamp_ms = t;
  r.device_id = device;
  r.model_version = 3;
  r.decision = decision;
  r.confidence_q16 = 65535;
  r.sample_type = micro::SampleType::kInt8;
  r.samples = w.data();
  r.sample_count = static_cast<uint16_t>(w.size());
  return r;
}

TEST(Ingest, RowsLabelsMetaAndCounts) {
  std::vector<std::vector<int8_t>> wins;
  for (int i = 0; i < 6; ++i) {
    std::vector<int8_t> w(16);
    for (int k = 0; k < 16; ++k) w[k] = static_cast<int8_t>(i * 20 - 60 + k);
    wins.push_back(w);
  }
  std::vector<uint8_t> log;
  for (int i = 0; i < 6; ++i) {
    auto b = Encode(Int8Record(wins[i], 1 + i % 2, i % 3 == 0, 1000 + i));
    if (i == 2) b[40] ^= 1;  // corrupt: not a row
    log.insert(log.end(), b.begin(), b.end());
  }
  std::vector<int8_t> short_w(8, 5);
  auto s = Encode(Int8Record(short_w, 1, 0, 2000));  // another length
  log.insert(log.end(), s.begin(), s.end());
  float nan_w[16];
  for (float& f : nan_w) f = 1.0f;
  nan_w[3] = std::nanf("");
  micro::LogRecord nr = Int8Record(wins[0], 2, 0, 3000);
  nr.sample_type = micro::SampleType::kFloat32;
  nr.samples = nan_w;
  auto n = Encode(nr);
  log.insert(log.end(), n.begin(), n.end());

  Ingest ingest;
  ingest.AddBytes("mem", log);
  EXPECT_EQ(ingest.stats().records, 7u);  // 5 int8 of 16 + 1 of 8 + the NaN one
  EXPECT_EQ(ingest.stats().non_finite, 1u);
  EXPECT_EQ(ingest.stats().defects[static_cast<int>(micro::LogDefect::kBadCrc)], 1u);
  EXPECT_EQ(ingest.CommonLength(), 16u);
  const auto dir = std::filesystem::temp_directory_path() / "mote_ingest_test";
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "field.npy").string();
  std::string err;
  ASSERT_TRUE(ingest.Write(out, 0, &err)) << err;
  EXPECT_EQ(ingest.stats().other_length, 1u);
  auto x = LoadNpy(out, &err);
  auto y = LoadNpy((dir / "field_labels.npy").string(), &err);
  ASSERT_TRUE(x && y) << err;
  ASSERT_EQ(x->shape, (train::Shape{5, 16, 1}));
  const int kept[] = {0, 1, 3, 4, 5};
  for (int r = 0; r < 5; ++r) {
    for (int k = 0; k < 16; ++k) EXPECT_EQ(x->data[r * 16 + k], wins[kept[r]][k]);
    EXPECT_EQ(y->data[r], kept[r] % 3 == 0 ? 1.0f : 0.0f);
  }
  std::ifstream meta(dir / "field_meta.csv");
  std::string line;
  std::getline(meta, line);
  EXPECT_EQ(line.rfind("row,timestamp_ms,device_id", 0), 0u) << line;
  std::getline(meta, line);
  EXPECT_EQ(line.rfind("0,1000,1,3,1,1.000000,int8,,mem,0", 0), 0u) << line;

  const auto sums = ingest.Summaries();
  ASSERT_EQ(sums.size(), 2u);
  // Device 1: windows 0, 4 and the short one (2 was corrupt).
  double sum = 0, sq = 0;
  size_t cnt = 0;
  for (int i : {0, 4}) for (int8_t v : wins[i]) sum += v, sq += v * v, ++cnt;
  for (int8_t v : short_w) sum += v, sq += v * v, ++cnt;
  const double mean = sum / cnt;
  EXPECT_EQ(sums[0].device_id, 1u);
  EXPECT_EQ(sums[0].count, 3u);
  EXPECT_NEAR(sums[0].mean, mean, 1e-9);
  EXPECT_NEAR(sums[0].std, std::sqrt(sq / cnt - mean * mean), 1e-9);
  EXPECT_NEAR(sums[0].decision_rate, 1.0 / 3, 1e-12);  // window 0 only
  EXPECT_EQ(sums[0].first_ms, 1000u);
  EXPECT_EQ(sums[0].last_ms, 2000u);
  std::filesystem::remove_all(dir);
}

TEST(Ingest, MissingFileIsAnErrorNamingIt) {
  Ingest ingest;
  std::string err;
  EXPECT_FALSE(ingest.AddFile("/nonexistent/dev.log", &err));
  EXPECT_NE(err.find("/nonexistent/dev.log"), std::string::npos) << err;
}

TEST(Ingest, NoRecordsNoDataset) {
  Ingest ingest;
  ingest.AddBytes("junk", std::vector<uint8_t>(100, 0x11));
  std::string err;
  EXPECT_FALSE(ingest.Write("/tmp/never_written.npy", 0, &err));
  EXPECT_NE(err.find("no intact record"), std::string::npos) << err;
  EXPECT_EQ(ingest.stats().skipped_bytes, 100u);
}

}  // namespace
}  // namespace mote::data
