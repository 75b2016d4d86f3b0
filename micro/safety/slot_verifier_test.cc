// Signed-model slots: ModelSlots + VerifySignedModel on the simulated flash,
// with models signed on the host (libsodium, host/io/signing.h). A signed
// model installs and boots; a tampered (one bit), unsigned or foreign-key
// model is refused at install, and one that reached a committed slot anyway
// is refused at boot, which falls back to the older signed model.
#include "micro/safety/slot_verifier.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "host/io/signing.h"
#include "host/io/tflite_writer.h"
#include "micro/safety/flash_sim.h"
#include "micro/safety/slots.h"

namespace mote::micro {
namespace {

constexpr size_t kSector = 1024;
constexpr size_t kSlotBytes = 8 * kSector;
constexpr SlotLayout kLayout = {{0, kSlotBytes}, kSlotBytes};

// A 64 -> 16 int8 fully connected model; `salt` changes its weights.
std::vector<uint8_t> Model(uint32_t salt) {
  std::mt19937 rng(salt);
  host::TfliteModel m;
  std::vector<uint8_t> w(16 * 64), b(16 * 4, 0);
  for (auto& x : w) x = static_cast<uint8_t>(rng());
  const int in = m.AddTensor({"input", {1, 64}, DType::kInt8, {}, {0.1f}, {0}});
  const int wt = m.AddTensor({"weights", {16, 64}, DType::kInt8, w, {0.05f}, {0}});
  const int bt = m.AddTensor({"bias", {16}, DType::kInt32, b, {0.005f}, {0}});
  const int out = m.AddTensor({"output", {1, 16}, DType::kInt8, {}, {0.2f}, {0}});
  host::TfliteOp op;
  op.builtin = 9;  // FULLY_CONNECTED
  op.inputs = {in, wt, bt};
  op.outputs = {out};
  m.ops.push_back(op);
  m.inputs = {in};
  m.outputs = {out};
  return host::WriteTflite(m);
}

host::SigningKey Key(uint8_t fill) {
  std::array<uint8_t, 32> seed;
  seed.fill(fill);
  return host::SigningKeyFromSeed(seed);
}

std::vector<uint8_t> Signed(const std::vector<uint8_t>& model, const host::SigningKey& key) {
  std::string err;
  auto s = host::SignModel(model, key, &err);
  EXPECT_TRUE(s.has_value()) << err;
  return s.value_or(std::vector<uint8_t>{});
}

struct Device {
  Device() : mem(2 * kSlotBytes), flash(mem.data(), mem.size(), kSector) {
    policy.public_key = key.public_key.data();
  }
  host::SigningKey key = Key(7);
  std::vector<uint8_t> mem;  // operator new: 16-byte aligned, as the verifier needs 4
  SimFlash flash;
  SignedModelPolicy policy;
};

// The slot's image bytes as booted.
std::vector<uint8_t> Image(const BootResult& b) { return {b.image, b.image + b.size}; }

TEST(SlotVerifier, SignedModelsInstallAndBootNewest) {
  Device d;
  ModelSlots slots(&d.flash, kLayout, VerifySignedModel, &d.policy);
  const auto v1 = Signed(Model(1), d.key), v2 = Signed(Model(2), d.key);
  ErrorText err;
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1, &err), Status::kOk) << err.c_str();
  ASSERT_EQ(slots.Install(v2.data(), v2.size(), 2, &err), Status::kOk) << err.c_str();
  BootResult boot;
  ASSERT_EQ(slots.Boot(&boot, &err), Status::kOk) << err.c_str();
  EXPECT_EQ(boot.slot, 1);
  EXPECT_FALSE(boot.fell_back);
  EXPECT_EQ(boot.info[1].model_version, 2u);
  EXPECT_EQ(Image(boot), v2);
  EXPECT_EQ(d.policy.last_status, Status::kOk);
  EXPECT_EQ(d.policy.refused, 0u);
  EXPECT_GE(d.policy.checked, 4u);  // 2 installs + both slots at boot
}

TEST(SlotVerifier, TamperedUpdateIsRefusedAndOldModelStillBoots) {
  Device d;
  ModelSlots slots(&d.flash, kLayout, VerifySignedModel, &d.policy);
  const auto v1 = Signed(Model(1), d.key);
  const auto v2 = Signed(Model(2), d.key);
  ErrorText err;
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1, &err), Status::kOk) << err.c_str();
  // One flipped bit at a few places (header, weights, the signature itself, the end).
  for (size_t pos : {size_t{5}, v2.size() / 2, v2.size() - 100, v2.size() - 1}) {
    std::vector<uint8_t> bad = v2;
    bad[pos] ^= 0x04;
    const Status s = slots.Install(bad.data(), bad.size(), 2, &err);
    EXPECT_NE(s, Status::kOk) << "flip at " << pos;
    EXPECT_NE(d.policy.last_status, Status::kOk) << "flip at " << pos;
    EXPECT_FALSE(d.policy.last_error.empty());
    BootResult boot;
    ASSERT_EQ(slots.Boot(&boot, &err), Status::kOk) << err.c_str();
    EXPECT_EQ(boot.slot, 0) << "flip at " << pos;
    EXPECT_EQ(Image(boot), v1);
  }
}

TEST(SlotVerifier, TamperedCommittedSlotFallsBackAtBoot) {
  Device d;
  const auto v1 = Signed(Model(1), d.key);
  std::vector<uint8_t> v2 = Signed(Model(2), d.key);
  v2[v2.size() / 3] ^= 0x01;
  ErrorText err;
  {
    ModelSlots checked(&d.flash, kLayout, VerifySignedModel, &d.policy);
    ASSERT_EQ(checked.Install(v1.data(), v1.size(), 1, &err), Status::kOk) << err.c_str();
  }
  {
    // Written by something that does not check signatures (a debugger, an
    // old bootloader): committed, with a correct CRC.
    ModelSlots unchecked(&d.flash, kLayout);
    ASSERT_EQ(unchecked.Install(v2.data(), v2.size(), 2, &err), Status::kOk) << err.c_str();
    BootResult boot;
    ASSERT_EQ(unchecked.Boot(&boot, &err), Status::kOk);
    ASSERT_EQ(boot.slot, 1);  // without the adapter the tampered model would run
  }
  ModelSlots slots(&d.flash, kLayout, VerifySignedModel, &d.policy);
  BootResult boot;
  ASSERT_EQ(slots.Boot(&boot, &err), Status::kOk) << err.c_str();
  EXPECT_EQ(boot.slot, 0);
  EXPECT_TRUE(boot.fell_back);
  EXPECT_EQ(boot.info[1].state, SlotState::kRejected);
  EXPECT_EQ(boot.info[1].verifier_status, Status::kBadSignature);
  EXPECT_EQ(Image(boot), v1);
}

TEST(SlotVerifier, UnsignedAndForeignModelsAreRefused) {
  Device d;
  ModelSlots slots(&d.flash, kLayout, VerifySignedModel, &d.policy);
  ErrorText err;
  const auto unsigned_model = Model(3);
  EXPECT_NE(slots.Install(unsigned_model.data(), unsigned_model.size(), 1, &err), Status::kOk);
  EXPECT_EQ(d.policy.last_status, Status::kNotSigned);
  const auto foreign = Signed(Model(3), Key(9));
  EXPECT_NE(slots.Install(foreign.data(), foreign.size(), 1, &err), Status::kOk);
  EXPECT_EQ(d.policy.last_status, Status::kBadSignature);
  EXPECT_EQ(d.policy.refused, 2u);
  BootResult boot;
  EXPECT_EQ(slots.Boot(&boot, &err), Status::kNotReady);
  EXPECT_EQ(boot.slot, -1);
}

TEST(SlotVerifier, MissingPolicyOrKeyIsRefused) {
  alignas(4) uint8_t image[64] = {};
  EXPECT_EQ(VerifySignedModel(image, sizeof(image), nullptr), Status::kBadArgument);
  SignedModelPolicy policy;  // no key
  EXPECT_EQ(VerifySignedModel(image, sizeof(image), &policy), Status::kBadArgument);
  EXPECT_FALSE(policy.last_error.empty());
  EXPECT_EQ(policy.refused, 1u);
}

}  // namespace
}  // namespace mote::micro
