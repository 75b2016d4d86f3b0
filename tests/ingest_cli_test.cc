// mote data ingest: a log with injected corruption from two devices gives
// the intact records as a data set the trainer's loader reads, exact counts
// per reason in --json, per-device summaries, and one-line errors.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/data/dataset.h"
#include "micro/safety/field_log.h"

#include "tests/run_command.h"
#include "tests/temp_dir.h"

namespace {

using namespace mote;

using mote::testing::RunCommand;

struct Fixture {
  // Per process: ctest runs the tests of this file side by side.
  std::filesystem::path dir = mote::testing::ProcessTempDir("mote_ingest_cli_test");
  std::vector<std::vector<int16_t>> windows;  // of the intact records, in order
  std::vector<int> decisions;
  std::string log1, log2;

  Fixture() {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    log1 = Write("dev1.log", 1, 0, 40, /*corrupt=*/true);
    log2 = Write("dev2.log", 2, 40, 30, false);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }

  std::string Write(const char* name, uint32_t device, int first, int n, bool corrupt) {
    std::vector<uint8_t> bytes;
    for (int i = first; i < first + n; ++i) {
      std::vector<int16_t> w(32);
      for (int k = 0; k < 32; ++k) w[k] = static_cast<int16_t>((i * 37 + k * 11) % 900 - 450 + device * 100);
      micro::LogContext ctx[] = {{micro::kLogKeyTemperature, static_cast<int16_t>(250 + i)}};
      micro::LogRecord r;
      r.timestamp_ms = 5000 + i;
      r.device_id = device;
      r.model_version = 2;
      r.decision = static_cast<uint8_t>(i % 4 == 0);
      r.confidence_q16 = 40000;
      r.context = ctx;
      r.context_count = 1;
      r.sample_type = micro::SampleType::kInt16;
      r.samples = w.data();
      r.sample_count = 32;
      std::vector<uint8_t> rec(micro::LogRecordBytes(r));
      EXPECT_EQ(micro::EncodeLogRecord(r, rec.data(), rec.size(), nullptr), micro::Status::kOk);
      bool intact = true;
      if (corrupt && (i == 3 || i == 20)) {
        rec[50] ^= 0x80;  // bit flip
        intact = false;
      }
      if (corrupt && i == 10) {
        rec.resize(40);  // torn
        intact = false;
      }
      bytes.insert(bytes.end(), rec.begin(), rec.end());
      if (corrupt && i == 15) bytes.insert(bytes.end(), {0x00, 0x13, 0x37, 0x42, 0x99});
      if (intact) {
        windows.push_back(w);
        decisions.push_back(r.decision);
      }
    }
    if (corrupt) bytes.resize(bytes.size() - 7), windows.pop_back(), decisions.pop_back();
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                               static_cast<std::streamsize>(bytes.size()));
    return path;
  }
};

TEST(IngestCli, JsonCountsDatasetAndDrift) {
  Fixture f;
  const std::string out = (f.dir / "field.npy").string();
  std::string text;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " data ingest " + f.log1 + " " + f.log2 + " -o " +
                           out + " --json",
                       &text),
            0)
      << text;
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["files"], 2);
  EXPECT_EQ(j["records"], f.windows.size());
  EXPECT_EQ(j["rows"], f.windows.size());
  EXPECT_EQ(j["corrupt"]["bad_crc"], 2);
  EXPECT_EQ(j["corrupt"]["torn"], 1);
  EXPECT_EQ(j["corrupt"]["truncated"], 1);
  EXPECT_EQ(j["corrupt"]["bad_field"], 0);
  ASSERT_EQ(j["devices"].size(), 2u);
  EXPECT_EQ(j["devices"][0]["device_id"], 1);
  EXPECT_EQ(j["devices"][0]["count"], 40 - 4);  // 2 flipped, 1 torn, 1 truncated
  EXPECT_EQ(j["devices"][1]["count"], 30);
  std::string err;
  auto x = data::LoadNpy(out, &err);
  auto y = data::LoadNpy((f.dir / "field_labels.npy").string(), &err);
  ASSERT_TRUE(x && y) << err;
  ASSERT_EQ(x->shape, (train::Shape{static_cast<int>(f.windows.size()), 32, 1}));
  for (size_t r = 0; r < f.windows.size(); ++r) {
    for (int k = 0; k < 32; ++k) ASSERT_EQ(x->data[r * 32 + k], f.windows[r][k]) << r;
    EXPECT_EQ(y->data[r], f.decisions[r]) << r;
  }
  // Device 2's decision rate: every 4th record (ids 40..69).
  int positives = 0;
  for (int i = 40; i < 70; ++i) positives += i % 4 == 0;
  EXPECT_NEAR(j["devices"][1]["decision_rate"].get<double>(), positives / 30.0, 1e-12);
  std::ifstream meta(f.dir / "field_meta.csv");
  size_t lines = 0;
  for (std::string l; std::getline(meta, l);) ++lines;
  EXPECT_EQ(lines, f.windows.size() + 1);
}

TEST(IngestCli, TextOutputNamesReasons) {
  Fixture f;
  std::string text;
  ASSERT_EQ(RunCommand(std::string(MOTE_CLI) + " data ingest " + f.log1 + " -o " +
                           (f.dir / "a.npy").string(),
                       &text),
            0)
      << text;
  EXPECT_NE(text.find("bad_crc 2, unknown_version 0, bad_field 0, torn 1, truncated 1"),
            std::string::npos)
      << text;
}

TEST(IngestCli, ErrorsAreOneLine) {
  Fixture f;
  std::string text;
  EXPECT_NE(RunCommand(std::string(MOTE_CLI) + " data ingest /nonexistent.log -o x.npy", &text), 0);
  EXPECT_NE(text.find("nonexistent.log"), std::string::npos) << text;
  const std::string junk = (f.dir / "junk.bin").string();
  std::ofstream(junk) << "not a log at all";
  text.clear();
  EXPECT_EQ(RunCommand(std::string(MOTE_CLI) + " data ingest " + junk + " -o " +
                           (f.dir / "j.npy").string(),
                       &text),
            1);
  EXPECT_NE(text.find("no intact record"), std::string::npos) << text;
}

}  // namespace
