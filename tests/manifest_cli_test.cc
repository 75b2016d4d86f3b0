// mote manifest set/show, mote inspect with a manifest, mote run on a model
// with a manifest (bit-exact), mote telemetry decode: exit codes and output.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/data/dataset.h"
#include "host/io/tflite_edit.h"
#include "micro/safety/telemetry.h"

#include "tests/run_command.h"

namespace {

using mote::testing::RunCommand;

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class ManifestCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mote_manifest_cli_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string Mote(const std::string& args) { return std::string(MOTE_CLI) + " " + args; }
  std::string dir_;
  const std::string model_ = std::string(MOTE_SHARED_DIR) + "/models/ad_autoencoder_int8.tflite";
};

TEST_F(ManifestCli, SetShowInspectAndRunBitExact) {
  std::string out;
  const std::string m = dir_ + "/m.tflite";
  ASSERT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + m +
                            " name=ad version=1.2.0 labels=normal,anomaly anomaly_threshold=11.5"
                            " hysteresis=0.5 warmup_windows=2 cycle_budget=2000000 --arena"),
                       &out),
            0)
      << out;
  ASSERT_EQ(RunCommand(Mote("manifest show " + m + " --json"), &out), 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["name"], "ad");
  EXPECT_EQ(j["version"], "1.2.0");
  EXPECT_EQ(j["labels"], nlohmann::json({"normal", "anomaly"}));
  EXPECT_EQ(j["thresholds"]["anomaly"].get<double>(), 11.5);
  EXPECT_EQ(j["warmup_windows"], 2);
  // --arena stored what mote inspect reports for the original model.
  ASSERT_EQ(RunCommand(Mote("inspect " + model_ + " --json"), &out), 0) << out;
  const auto orig = nlohmann::json::parse(out);
  EXPECT_EQ(j["arena_bytes"], orig["arena_bytes"]);
  EXPECT_FALSE(orig.contains("manifest"));
  ASSERT_EQ(RunCommand(Mote("inspect " + m + " --json"), &out), 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["manifest"], j);
  ASSERT_EQ(RunCommand(Mote("inspect " + m), &out), 0) << out;
  EXPECT_NE(out.find("manifest"), std::string::npos) << out;
  EXPECT_NE(out.find("1.2.0"), std::string::npos) << out;
  // mote run: same output bytes with and without the manifest.
  std::string input(640, '\0');
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<char>((i * 37 + 11) & 0xFF);
  WriteAll(dir_ + "/in.bin", input);
  ASSERT_EQ(RunCommand(Mote("run " + model_ + " -i " + dir_ + "/in.bin -o " + dir_ + "/a.bin"), &out), 0) << out;
  ASSERT_EQ(RunCommand(Mote("run " + m + " -i " + dir_ + "/in.bin -o " + dir_ + "/b.bin"), &out), 0) << out;
  const std::string a = ReadAll(dir_ + "/a.bin");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, ReadAll(dir_ + "/b.bin"));
  // Editing keeps the other fields; --from takes show's JSON back.
  ASSERT_EQ(RunCommand(Mote("manifest set " + m + " -o " + dir_ + "/m2.tflite version=1.3.0"), &out), 0) << out;
  ASSERT_EQ(RunCommand(Mote("manifest show " + dir_ + "/m2.tflite --json"), &out), 0) << out;
  auto j2 = nlohmann::json::parse(out);
  EXPECT_EQ(j2["version"], "1.3.0");
  EXPECT_EQ(j2["labels"], j["labels"]);
  WriteAll(dir_ + "/m.json", j.dump());
  ASSERT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/m3.tflite --from " + dir_ + "/m.json"), &out), 0) << out;
  ASSERT_EQ(RunCommand(Mote("manifest show " + dir_ + "/m3.tflite --json"), &out), 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out), j);
}

TEST_F(ManifestCli, CalibrationFromNpy) {
  mote::train::Tensor x({3, 640});
  for (size_t i = 0; i < x.size(); ++i) x.data[i] = static_cast<float>((i % 640) * 0.01 + (i / 640));
  std::string err, out;
  ASSERT_TRUE(mote::data::SaveNpy(dir_ + "/x.npy", x, false, &err)) << err;
  ASSERT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/c.tflite name=ad version=0.1.0 --calibration " +
                            dir_ + "/x.npy --json"),
                       &out),
            0)
      << out;
  const auto j = nlohmann::json::parse(out);
  ASSERT_EQ(j["calibration"]["mean"].size(), 640u);
  // rows are f*0.01 + {0, 1, 2}: mean f*0.01 + 1, variance 2/3
  EXPECT_NEAR(j["calibration"]["mean"][5].get<double>(), 1.05, 1e-5);
  EXPECT_NEAR(j["calibration"]["variance"][5].get<double>(), 2.0 / 3.0, 1e-5);
  mote::train::Tensor bad({3, 7});
  ASSERT_TRUE(mote::data::SaveNpy(dir_ + "/bad.npy", bad, false, &err)) << err;
  EXPECT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/c.tflite name=ad --calibration " +
                            dir_ + "/bad.npy"),
                       &out),
            1);
  EXPECT_NE(out.find("640 features"), std::string::npos) << out;
}

TEST_F(ManifestCli, ErrorsExitOneWithAMessage) {
  std::string out;
  EXPECT_EQ(RunCommand(Mote("manifest show " + model_), &out), 1);
  EXPECT_NE(out.find("no mote.manifest"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/x.tflite name=a colour=red"), &out), 1);
  EXPECT_NE(out.find("unknown manifest key"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/x.tflite name=a version=1.x.0"), &out), 1);
  EXPECT_NE(out.find("MAJOR.MINOR.PATCH"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/x.tflite version=1.0.0"), &out), 1);
  EXPECT_NE(out.find("needs a name"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/x.tflite name=a scale=1,2"), &out), 1);
  EXPECT_NE(out.find("one per input feature"), std::string::npos) << out;
  WriteAll(dir_ + "/bad.json", "{\"name\": 3}");
  EXPECT_EQ(RunCommand(Mote("manifest set " + model_ + " -o " + dir_ + "/x.tflite --from " + dir_ + "/bad.json"), &out), 1);
  EXPECT_NE(out.find("\"name\""), std::string::npos) << out;
}

TEST_F(ManifestCli, CorruptManifestIsReportedNotFatalForInspect) {
  const std::string bytes = ReadAll(model_);
  const std::vector<uint8_t> model(bytes.begin(), bytes.end());
  std::string err, out;
  auto bad = mote::host::AddMetadata(model, "mote.manifest", {'M', 'O', 'T', 'M', 1, 0, 0, 0, 16, 0, 0, 0, 1, 2, 3, 4}, &err);
  ASSERT_TRUE(bad) << err;
  const std::string path = dir_ + "/bad.tflite";
  WriteAll(path, std::string(bad->begin(), bad->end()));
  EXPECT_EQ(RunCommand(Mote("manifest show " + path), &out), 1);
  EXPECT_NE(out.find("CRC-32 mismatch"), std::string::npos) << out;
  ASSERT_EQ(RunCommand(Mote("inspect " + path), &out), 0) << out;
  EXPECT_NE(out.find("manifest     corrupt"), std::string::npos) << out;
  ASSERT_EQ(RunCommand(Mote("inspect " + path + " --json"), &out), 0) << out;
  EXPECT_NE(nlohmann::json::parse(out)["manifest_error"].get<std::string>().find("CRC"), std::string::npos);
  // set replaces it (with a warning).
  ASSERT_EQ(RunCommand(Mote("manifest set " + path + " -o " + dir_ + "/fixed.tflite name=a"), &out), 0) << out;
  EXPECT_NE(out.find("existing manifest ignored"), std::string::npos) << out;
  ASSERT_EQ(RunCommand(Mote("manifest show " + dir_ + "/fixed.tflite"), &out), 0) << out;
}

TEST_F(ManifestCli, TelemetryDecode) {
  using namespace mote::micro;
  Telemetry t;
  t.sequence = 9;
  t.uptime_s = 3600;
  t.model_version = {1, 2, 0};
  t.invocations = 100;
  t.windows = 104;
  t.nan_windows = 4;
  t.latency_min = 10;
  t.latency_mean = 12;
  t.latency_max = 20;
  t.drift_alarm = 1;
  t.drift_max_shift = 4.5f;
  t.flags = 1;
  uint8_t rec[kTelemetryBytes];
  ASSERT_EQ(EncodeTelemetry(t, rec, sizeof(rec), nullptr), Status::kOk);
  const std::string one(reinterpret_cast<char*>(rec), sizeof(rec));
  WriteAll(dir_ + "/t.bin", one + one);
  std::string out;
  ASSERT_EQ(RunCommand(Mote("telemetry decode " + dir_ + "/t.bin --json"), &out), 0) << out;
  const auto j = nlohmann::json::parse(out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["offset"], kTelemetryBytes);
  EXPECT_EQ(j[0]["model_version"], "1.2.0");
  EXPECT_EQ(j[0]["nan_windows"], 4);
  EXPECT_EQ(j[0]["drift"]["alarm"], true);
  EXPECT_EQ(j[0]["drift"]["max_shift"].get<double>(), 4.5);
  ASSERT_EQ(RunCommand(Mote("telemetry decode " + dir_ + "/t.bin"), &out), 0) << out;
  EXPECT_NE(out.find("ALARM"), std::string::npos) << out;
  std::string flipped = one;
  flipped[30] ^= 0x10;
  WriteAll(dir_ + "/bad.bin", one + flipped);
  EXPECT_EQ(RunCommand(Mote("telemetry decode " + dir_ + "/bad.bin"), &out), 1);
  EXPECT_NE(out.find("offset 92"), std::string::npos) << out;
  EXPECT_NE(out.find("CRC-32"), std::string::npos) << out;
  WriteAll(dir_ + "/short.bin", one.substr(0, 50));
  EXPECT_EQ(RunCommand(Mote("telemetry decode " + dir_ + "/short.bin"), &out), 1);
  EXPECT_NE(out.find("whole number"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(Mote("telemetry decode " + dir_ + "/missing.bin"), &out), 1);
}

}  // namespace
