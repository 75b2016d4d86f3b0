// Signed models end to end: sign a small int8 model with libsodium (host),
// check it with the device verifier (micro/safety/model_signature.h), flip
// every single bit of the signed file and require both verifiers to reject
// each flip; wrong keys, unsigned and re-signed models; key files.
#include "host/io/signing.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include "host/io/file.h"
#include "host/io/tflite_writer.h"
#include "micro/model/model.h"
#include "micro/safety/model_signature.h"

namespace mote::host {
namespace {

using micro::Status;

// A 64 -> 32 int8 fully connected model (about 3 KB).
std::vector<uint8_t> SmallModel() {
  std::mt19937 rng(11);
  TfliteModel m;
  std::vector<uint8_t> w(32 * 64), b(32 * 4, 0);
  for (auto& x : w) x = static_cast<uint8_t>(rng());
  const int in = m.AddTensor({"input", {1, 64}, micro::DType::kInt8, {}, {0.1f}, {0}});
  const int wt = m.AddTensor({"weights", {32, 64}, micro::DType::kInt8, w, {0.05f}, {0}});
  const int bt = m.AddTensor({"bias", {32}, micro::DType::kInt32, b, {0.005f}, {0}});
  const int out = m.AddTensor({"output", {1, 32}, micro::DType::kInt8, {}, {0.2f}, {0}});
  TfliteOp op;
  op.builtin = 9;  // FULLY_CONNECTED
  op.inputs = {in, wt, bt};
  op.outputs = {out};
  m.ops.push_back(op);
  m.inputs = {in};
  m.outputs = {out};
  return WriteTflite(m);
}

SigningKey Key(uint8_t fill) {
  std::array<uint8_t, 32> seed;
  seed.fill(fill);
  return SigningKeyFromSeed(seed);
}

// The device verifier on 4-byte aligned storage.
Status Device(const std::vector<uint8_t>& model, const PublicKey& pk, std::string* why = nullptr) {
  AlignedBytes a(model.size());
  if (!model.empty()) memcpy(a.data(), model.data(), model.size());
  micro::ErrorText err;
  const Status s = micro::VerifyModelSignature(a.data(), a.size(), pk.data(), &err);
  if (why != nullptr) *why = err.c_str();
  return s;
}

TEST(Signing, SignedModelVerifiesOnHostAndDeviceAndStillParses) {
  const auto model = SmallModel();
  const SigningKey key = Key(1);
  std::string err;
  auto signed_model = SignModel(model, key, &err);
  ASSERT_TRUE(signed_model) << err;
  std::string why;
  EXPECT_EQ(Device(*signed_model, key.public_key, &why), Status::kOk) << why;
  const ModelCheck c = VerifyModel(signed_model->data(), signed_model->size(), key.public_key);
  EXPECT_EQ(c.status, Status::kOk) << c.message;
  EXPECT_EQ(c.record_key_id, KeyIdHex(key.public_key));
  // Still an ordinary model with the same tensors.
  AlignedBytes a(signed_model->size());
  memcpy(a.data(), signed_model->data(), a.size());
  micro::Model m;
  micro::ErrorText e;
  ASSERT_EQ(m.Init(a.data(), a.size(), &e), Status::kOk) << e.c_str();
  EXPECT_EQ(m.num_tensors(), 4u);
  const uint8_t* rec = nullptr;
  uint32_t len = 0;
  ASSERT_EQ(m.FindMetadata("mote.signature", &rec, &len, &e), Status::kOk);
  ASSERT_EQ(len, 80u);
  EXPECT_EQ(memcmp(rec, "msig\x01\x01\x00\x00", 8), 0);
}

TEST(Signing, EverySingleBitFlipIsRejected) {
  const auto model = SmallModel();
  const SigningKey key = Key(2);
  std::string err;
  auto signed_model = SignModel(model, key, &err);
  ASSERT_TRUE(signed_model) << err;
  size_t flips = 0, rejected_device = 0, rejected_host = 0;
  std::vector<uint8_t> t = *signed_model;
  for (size_t byte = 0; byte < t.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      t[byte] ^= static_cast<uint8_t>(1u << bit);
      const Status d = Device(t, key.public_key);
      const Status h = VerifyModel(t.data(), t.size(), key.public_key).status;
      ++flips;
      rejected_device += d != Status::kOk;
      rejected_host += h != Status::kOk;
      ASSERT_NE(d, Status::kOk) << "byte " << byte << " bit " << bit << " accepted";
      ASSERT_EQ(d == Status::kOk, h == Status::kOk) << "byte " << byte << " bit " << bit;
      t[byte] ^= static_cast<uint8_t>(1u << bit);
    }
  }
  EXPECT_EQ(flips, signed_model->size() * 8);
  EXPECT_EQ(rejected_device, flips);
  EXPECT_EQ(rejected_host, flips);
  EXPECT_GE(signed_model->size(), 2500u);  // a real, few-KB model
  RecordProperty("bit_flips", static_cast<int>(flips));
  printf("signed model %zu bytes: %zu single-bit flips, all rejected\n", signed_model->size(), flips);
}

TEST(Signing, WrongKeyUnsignedAndTruncatedAreRejected) {
  const auto model = SmallModel();
  const SigningKey key = Key(3), other = Key(4);
  std::string err;
  auto s = SignModel(model, key, &err);
  ASSERT_TRUE(s) << err;
  std::string why;
  EXPECT_EQ(Device(*s, other.public_key, &why), Status::kBadSignature);
  EXPECT_NE(why.find("different key"), std::string::npos) << why;
  EXPECT_EQ(VerifyModel(s->data(), s->size(), other.public_key).status, Status::kBadSignature);
  EXPECT_EQ(Device(model, key.public_key), Status::kNotSigned);
  EXPECT_EQ(VerifyModel(model.data(), model.size(), key.public_key).status, Status::kNotSigned);
  for (size_t n : {size_t{0}, size_t{7}, s->size() / 2, s->size() - 1}) {
    std::vector<uint8_t> cut(s->begin(), s->begin() + static_cast<long>(n));
    EXPECT_NE(Device(cut, key.public_key), Status::kOk) << n;
    EXPECT_NE(VerifyModel(cut.data(), cut.size(), key.public_key).status, Status::kOk) << n;
  }
  // A record whose key id was edited to match the other key still fails.
  auto forged = *s;
  AlignedBytes a(forged.size());
  memcpy(a.data(), forged.data(), forged.size());
  size_t off = 0;
  ASSERT_EQ(micro::FindSignatureRecord(a.data(), a.size(), &off, nullptr), Status::kOk);
  micro::SignatureKeyId(other.public_key.data(), forged.data() + off + micro::kSignatureKeyIdOffset);
  EXPECT_EQ(Device(forged, other.public_key), Status::kBadSignature);
  // Bad record fields give kBadRecord.
  auto bad_version = *s;
  bad_version[off + 4] = 2;
  EXPECT_EQ(Device(bad_version, key.public_key), Status::kBadRecord);
  EXPECT_EQ(VerifyModel(bad_version.data(), bad_version.size(), key.public_key).status,
            Status::kBadRecord);
}

TEST(Signing, ResigningReplacesTheRecordInPlace) {
  const auto model = SmallModel();
  const SigningKey a = Key(5), b = Key(6);
  std::string err;
  auto s1 = SignModel(model, a, &err);
  ASSERT_TRUE(s1) << err;
  auto s2 = SignModel(*s1, b, &err);
  ASSERT_TRUE(s2) << err;
  EXPECT_EQ(s2->size(), s1->size());
  EXPECT_EQ(Device(*s2, b.public_key), Status::kOk);
  EXPECT_EQ(Device(*s2, a.public_key), Status::kBadSignature);
  // Signing is deterministic (Ed25519): same key, same bytes.
  auto s3 = SignModel(*s2, a, &err);
  ASSERT_TRUE(s3);
  EXPECT_EQ(*s3, *s1);
}

TEST(Signing, GarbageIsNotSigned) {
  std::string err;
  std::vector<uint8_t> junk(1000, 0xab);
  EXPECT_FALSE(SignModel(junk, Key(7), &err));
  EXPECT_NE(err.find("not a valid .tflite"), std::string::npos) << err;
}

TEST(Signing, KeyFilesRoundTripWithPrivateMode) {
  char dir[] = "/tmp/mote_signing_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string name = std::string(dir) + "/k";
  const SigningKey key = GenerateSigningKey();
  std::string err;
  ASSERT_TRUE(WriteKeyFiles(name, key, false, &err)) << err;
  EXPECT_FALSE(WriteKeyFiles(name, key, false, &err));  // refuses to overwrite
  EXPECT_NE(err.find("exists"), std::string::npos) << err;
  struct stat st;
  ASSERT_EQ(stat(name.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto sk = ReadSecretKeyFile(name, &err);
  ASSERT_TRUE(sk) << err;
  EXPECT_EQ(sk->seed, key.seed);
  EXPECT_EQ(sk->public_key, key.public_key);
  {  // The .pub carries the key as a C initializer for the firmware, as a comment.
    std::ifstream in(name + ".pub");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    char first[8];
    snprintf(first, sizeof(first), "{0x%02x,", key.public_key[0]);
    EXPECT_NE(text.find(std::string("kPublicKey[32] = ") + first), std::string::npos) << text;
  }
  auto pk = ReadPublicKeyFile(name + ".pub", &err);
  ASSERT_TRUE(pk) << err;
  EXPECT_EQ(*pk, key.public_key);
  EXPECT_FALSE(ReadPublicKeyFile(name, &err));  // the secret file is not a public key
  EXPECT_NE(err.find("other half"), std::string::npos) << err;
  std::ofstream(name + ".bad") << "mote-ed25519-public-key 1\nzz\n";
  EXPECT_FALSE(ReadPublicKeyFile(name + ".bad", &err));
  EXPECT_NE(err.find("64 hex"), std::string::npos) << err;
  for (const char* f : {"/k", "/k.pub", "/k.bad"}) std::remove((std::string(dir) + f).c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace mote::host
