// `mote demo anomaly` field-safety artifacts: the signed model verifies with
// the demo key (device verifier) and with --key; any bit flip is refused; the
// manifest carries the training windows' per-sample mean/variance (recomputed
// here in double from the same synthetic data), the arena bytes the report
// gives and the --cycle-budget; a second run reuses the key and gives the
// same bytes.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/data/dataset.h"
#include "host/io/file.h"
#include "host/io/manifest.h"
#include "host/io/signing.h"
#include "micro/safety/model_signature.h"
#include "tests/run_command.h"

namespace mote {
namespace {

std::string RunMote(const std::string& args, int* code) {
  const auto r = mote::testing::RunCli(args);
  *code = r.code;
  return r.out;
}

std::vector<uint8_t> Bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

micro::Status DeviceVerify(const std::vector<uint8_t>& model, const host::PublicKey& key) {
  host::AlignedBytes a(model.size());
  memcpy(a.data(), model.data(), model.size());
  return micro::VerifyModelSignature(a.data(), a.size(), key.data(), nullptr);
}

TEST(DemoSafety, SignedModelManifestAndKey) {
  const std::string out = ::testing::TempDir() + "/mote_demo_safety";
  std::remove((out + "/demo_key").c_str());
  std::remove((out + "/demo_key.pub").c_str());
  int code = -1;
  const std::string args = "demo anomaly --epochs 3 --cycle-budget 1234567 --out " + out;
  std::string log = RunMote(args, &code);
  ASSERT_EQ(code, 0) << log;
  std::string err;
  auto pub = host::ReadPublicKeyFile(out + "/demo_key.pub", &err);
  ASSERT_TRUE(pub) << err;
  EXPECT_EQ(Bytes(out + "/anomaly_signed_key.bin"), std::vector<uint8_t>(pub->begin(), pub->end()));
  const std::vector<uint8_t> model = Bytes(out + "/anomaly_signed.tflite");
  ASSERT_GT(model.size(), Bytes(out + "/anomaly_int8.tflite").size());
  EXPECT_EQ(DeviceVerify(model, *pub), micro::Status::kOk);
  for (size_t pos : {size_t{9}, model.size() / 2, model.size() - 3}) {
    std::vector<uint8_t> bad = model;
    bad[pos] ^= 0x20;
    EXPECT_NE(DeviceVerify(bad, *pub), micro::Status::kOk) << pos;
  }

  auto m = host::ReadModelManifest(model.data(), model.size(), &err);
  ASSERT_TRUE(m) << err;
  EXPECT_EQ(m->name, "anomaly");
  EXPECT_EQ(m->labels, (std::vector<std::string>{"normal", "anomaly"}));
  EXPECT_EQ(m->cycle_budget, 1234567u);
  const auto report = nlohmann::json::parse(std::ifstream(out + "/report.json"));
  EXPECT_EQ(m->arena_bytes, report["arena_bytes"].get<uint32_t>());
  EXPECT_TRUE(m->has_thresholds);
  EXPECT_FLOAT_EQ(m->anomaly_threshold, 0.5f);
  // Calibration: mean and population variance of the 1600 training windows per sample.
  const data::Dataset d = data::SynthAnomaly(2000, 64, 1);
  ASSERT_EQ(m->mean.size(), 64u);
  ASSERT_EQ(m->variance.size(), 64u);
  for (int t = 0; t < 64; ++t) {
    double s = 0, s2 = 0;
    for (int i = 0; i < 1600; ++i) {
      const double v = d.x.data[i * 64 + t];
      s += v;
      s2 += v * v;
    }
    const double mean = s / 1600, var = s2 / 1600 - mean * mean;
    EXPECT_NEAR(m->mean[t], mean, 1e-4) << t;
    EXPECT_NEAR(m->variance[t], var, 1e-3 * var + 1e-5) << t;
  }

  // A second run reuses the demo key: the same signed bytes.
  log = RunMote(args, &code);
  ASSERT_EQ(code, 0) << log;
  EXPECT_EQ(Bytes(out + "/anomaly_signed.tflite"), model);

  // --key: signed by that key, not the demo key.
  const std::string vendor = out + "/vendor";
  std::remove(vendor.c_str());
  std::remove((vendor + ".pub").c_str());
  log = RunMote("keygen -o " + vendor, &code);
  ASSERT_EQ(code, 0) << log;
  log = RunMote(args + " --key " + vendor, &code);
  ASSERT_EQ(code, 0) << log;
  auto vpub = host::ReadPublicKeyFile(vendor + ".pub", &err);
  ASSERT_TRUE(vpub) << err;
  const std::vector<uint8_t> vmodel = Bytes(out + "/anomaly_signed.tflite");
  EXPECT_EQ(DeviceVerify(vmodel, *vpub), micro::Status::kOk);
  EXPECT_EQ(DeviceVerify(vmodel, *pub), micro::Status::kBadSignature);
}

TEST(DemoSafety, BadKeyFileIsAClearError) {
  const std::string out = ::testing::TempDir() + "/mote_demo_badkey";
  int code = -1;
  const std::string log = RunMote("demo anomaly --epochs 1 --out " + out + " --key /nonexistent/key", &code);
  EXPECT_NE(code, 0);
  EXPECT_NE(log.find("/nonexistent/key"), std::string::npos) << log;
}

}  // namespace
}  // namespace mote
