// VerifyModelSignature on bytes that are not a signed model: never kOk,
// never a crash, and the status names the problem. (Signed models and bit
// flips: host/io/signing_test.cc.)
#include "micro/safety/model_signature.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace mote::micro {
namespace {

const uint8_t kKey[32] = {1, 2, 3};

TEST(ModelSignature, RandomBytesAreRejected) {
  std::mt19937 rng(5);
  alignas(16) uint8_t buf[512];
  for (int i = 0; i < 2000; ++i) {
    const size_t n = rng() % sizeof(buf);
    for (size_t j = 0; j < n; ++j) buf[j] = static_cast<uint8_t>(rng());
    if (n >= 8 && i % 2) memcpy(buf + 4, "TFL3", 4);
    ErrorText err;
    const Status s = VerifyModelSignature(buf, n, kKey, &err);
    ASSERT_NE(s, Status::kOk);
    EXPECT_FALSE(err.empty());
  }
}

TEST(ModelSignature, BadArgumentsAreReported) {
  ErrorText err;
  EXPECT_EQ(VerifyModelSignature(nullptr, 0, kKey, &err), Status::kBadArgument);
  alignas(4) uint8_t buf[16] = {};
  EXPECT_EQ(VerifyModelSignature(buf, sizeof(buf), nullptr, &err), Status::kBadArgument);
  EXPECT_NE(VerifyModelSignature(buf + 1, 8, kKey, nullptr), Status::kOk);  // misaligned
}

TEST(ModelSignature, RecordFieldsAreChecked) {
  uint8_t rec[kSignatureRecordBytes] = {'m', 's', 'i', 'g', 1, 1, 0, 0};
  SignatureRecord r;
  ErrorText err;
  EXPECT_EQ(ParseSignatureRecord(rec, &r, &err), Status::kOk);
  for (size_t i = 0; i < 8; ++i) {
    rec[i] ^= 0x10;
    EXPECT_EQ(ParseSignatureRecord(rec, &r, &err), Status::kBadRecord) << i;
    EXPECT_FALSE(err.empty());
    rec[i] ^= 0x10;
  }
}

}  // namespace
}  // namespace mote::micro
