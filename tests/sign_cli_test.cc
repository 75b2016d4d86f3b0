// mote keygen / sign / verify: exit 0 only for a valid signature by the
// given key; exit 1 with a one-line reason for unsigned, wrong key, tampered
// and corrupt models; --json carries the verdict.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/run_command.h"

namespace {

using mote::testing::RunCommand;

const std::string kCli = MOTE_CLI;
const std::string kModel = std::string(MOTE_SHARED_DIR) + "/models/kws_dscnn_int8.tflite";

class SignCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char d[] = "/tmp/mote_sign_cli_XXXXXX";
    ASSERT_NE(mkdtemp(d), nullptr);
    dir_ = d;
  }
  void TearDown() override { (void)std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_;
};

TEST_F(SignCli, KeygenSignVerify) {
  std::string out;
  const std::string key = dir_ + "/vendor", other = dir_ + "/other";
  ASSERT_EQ(RunCommand(kCli + " keygen -o " + key, &out), 0) << out;
  EXPECT_NE(out.find("key id"), std::string::npos) << out;
  struct stat st;
  ASSERT_EQ(stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(RunCommand(kCli + " keygen -o " + key, &out), 1) << out;  // no silent overwrite
  ASSERT_EQ(RunCommand(kCli + " keygen -o " + other, &out), 0) << out;

  const std::string signed_model = dir_ + "/signed.tflite";
  ASSERT_EQ(RunCommand(kCli + " sign " + kModel + " --key " + key + " -o " + signed_model, &out), 0)
      << out;
  EXPECT_EQ(RunCommand(kCli + " verify " + signed_model + " --pub " + key + ".pub", &out), 0) << out;
  EXPECT_NE(out.find("valid signature"), std::string::npos) << out;
  // The signed model still runs through the normal reader.
  EXPECT_EQ(RunCommand(kCli + " inspect " + signed_model, &out), 0) << out;

  EXPECT_EQ(RunCommand(kCli + " verify " + signed_model + " --pub " + other + ".pub", &out), 1);
  EXPECT_NE(out.find("different key"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(kCli + " verify " + kModel + " --pub " + key + ".pub", &out), 1);
  EXPECT_NE(out.find("not signed"), std::string::npos) << out;

  // One byte changed in the middle of the weights.
  std::ifstream in(signed_model, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  bytes[bytes.size() / 2] ^= 0x01;
  const std::string tampered = dir_ + "/tampered.tflite";
  std::ofstream(tampered, std::ios::binary) << bytes;
  EXPECT_EQ(RunCommand(kCli + " verify " + tampered + " --pub " + key + ".pub", &out), 1);
  EXPECT_NE(out.find("signature does not"), std::string::npos) << out;

  const std::string junk = dir_ + "/junk.tflite";
  std::ofstream(junk) << "not a model";
  EXPECT_EQ(RunCommand(kCli + " verify " + junk + " --pub " + key + ".pub", &out), 1);
  EXPECT_EQ(RunCommand(kCli + " sign " + junk + " --key " + key + " -o " + dir_ + "/x", &out), 1);
  EXPECT_NE(out.find("not a valid .tflite"), std::string::npos) << out;
  // Keys swapped: a public key is not a signing key.
  EXPECT_EQ(RunCommand(kCli + " sign " + kModel + " --key " + key + ".pub -o " + dir_ + "/x", &out), 1);
  EXPECT_NE(out.find("not a mote key file"), std::string::npos) << out;
}

TEST_F(SignCli, JsonVerdicts) {
  std::string out;
  const std::string key = dir_ + "/k";
  ASSERT_EQ(RunCommand(kCli + " keygen -o " + key, &out), 0) << out;
  const std::string s = dir_ + "/s.tflite";
  ASSERT_EQ(RunCommand(kCli + " sign " + kModel + " --key " + key + " -o " + s, &out), 0) << out;
  ASSERT_EQ(RunCommand("(" + kCli + " verify " + s + " --pub " + key + ".pub --json 2>/dev/null)", &out), 0);
  auto j = nlohmann::json::parse(out);
  EXPECT_TRUE(j["valid"].get<bool>());
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["key_id"], j["public_key_id"]);
  ASSERT_EQ(RunCommand("(" + kCli + " verify " + kModel + " --pub " + key + ".pub --json 2>/dev/null)", &out), 1);
  j = nlohmann::json::parse(out);
  EXPECT_FALSE(j["valid"].get<bool>());
  EXPECT_EQ(j["status"], "model is not signed");
}

}  // namespace
