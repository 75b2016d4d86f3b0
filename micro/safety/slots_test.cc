// Model slots over the simulated NOR flash: install, verify, boot, fall back,
// roll back, and the power-loss sweep (an update cut at every byte operation).
#include "micro/safety/slots.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "micro/safety/crc32.h"
#include "micro/safety/flash_sim.h"

namespace mote::micro {
namespace {

constexpr size_t kSector = 512;
constexpr size_t kSlotBytes = 8 * kSector;
constexpr SlotLayout kLayout = {{0, kSlotBytes}, kSlotBytes};

std::vector<uint8_t> Image(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<uint8_t>(x);
  }
  return v;
}

struct Device {
  std::vector<uint8_t> mem = std::vector<uint8_t>(2 * kSlotBytes);
  SimFlash flash{mem.data(), mem.size(), kSector};
};

bool SameImage(const BootResult& b, const std::vector<uint8_t>& img) {
  return b.size == img.size() && b.image != nullptr &&
         std::memcmp(b.image, img.data(), img.size()) == 0;
}

TEST(ModelSlots, EmptyFlashBootsNothingAndSaysWhy) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  BootResult b;
  ErrorText err;
  EXPECT_EQ(slots.Boot(&b, &err), Status::kNotReady);
  EXPECT_EQ(b.slot, -1);
  EXPECT_EQ(b.info[0].state, SlotState::kEmpty);
  EXPECT_NE(std::string(err.c_str()).find("nothing bootable"), std::string::npos) << err.c_str();
}

TEST(ModelSlots, InstallsAlternateSlotsAndBootsNewest) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto v1 = Image(1000, 1), v2 = Image(2000, 2), v3 = Image(777, 3);
  ErrorText err;
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 11, &err), Status::kOk) << err.c_str();
  BootResult b;
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 0);
  EXPECT_TRUE(SameImage(b, v1));
  EXPECT_EQ(b.info[0].model_version, 11u);
  EXPECT_EQ(b.info[0].image_crc, Crc32(v1.data(), v1.size()));
  ASSERT_EQ(slots.Install(v2.data(), v2.size(), 12, &err), Status::kOk) << err.c_str();
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 1);
  EXPECT_TRUE(SameImage(b, v2));
  EXPECT_EQ(b.info[1].sequence, b.info[0].sequence + 1);
  EXPECT_FALSE(b.fell_back);
  ASSERT_EQ(slots.Install(v3.data(), v3.size(), 13, &err), Status::kOk) << err.c_str();
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 0);  // the older slot was overwritten
  EXPECT_TRUE(SameImage(b, v3));
  EXPECT_EQ(b.info[0].sequence, 3u);
  EXPECT_EQ(d.flash.nor_violations(), 0u);
}

TEST(ModelSlots, StreamingInstallInChunks) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto v1 = Image(1500, 4), v2 = Image(3001, 5);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  ErrorText err;
  ASSERT_EQ(slots.BeginInstall(v2.size(), 2, &err), Status::kOk) << err.c_str();
  EXPECT_EQ(slots.install_slot(), 1);
  for (size_t at = 0; at < v2.size(); at += 37) {
    const size_t n = std::min<size_t>(37, v2.size() - at);
    ASSERT_EQ(slots.WriteChunk(v2.data() + at, n, &err), Status::kOk) << err.c_str();
  }
  const uint8_t extra = 0;
  EXPECT_EQ(slots.WriteChunk(&extra, 1, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("exceed"), std::string::npos) << err.c_str();
  ASSERT_EQ(slots.FinishInstall(&err), Status::kOk) << err.c_str();
  BootResult b;
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_TRUE(SameImage(b, v2));
}

TEST(ModelSlots, ShortStreamIsNotCommittedAndOldModelBoots) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto v1 = Image(900, 6), v2 = Image(2000, 7);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  ASSERT_EQ(slots.BeginInstall(v2.size(), 2), Status::kOk);
  ASSERT_EQ(slots.WriteChunk(v2.data(), 1999), Status::kOk);
  ErrorText err;
  EXPECT_EQ(slots.FinishInstall(&err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("1999 of 2000"), std::string::npos) << err.c_str();
  BootResult b;
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 0);
  EXPECT_TRUE(SameImage(b, v1));
}

TEST(ModelSlots, RejectsBadSizesAndLayouts) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto big = Image(kSlotBytes - kSlotHeaderBytes + 1, 8);
  ErrorText err;
  EXPECT_EQ(slots.Install(big.data(), big.size(), 1, &err), Status::kBadArgument);
  EXPECT_EQ(slots.Install(big.data(), 0, 1, &err), Status::kBadArgument);
  ModelSlots overlap(&d.flash, {{0, kSector}, kSlotBytes});
  EXPECT_EQ(overlap.Install(big.data(), 10, 1, &err), Status::kBadArgument);
  EXPECT_NE(std::string(err.c_str()).find("overlap"), std::string::npos) << err.c_str();
  ModelSlots outside(&d.flash, {{0, 2 * kSlotBytes}, kSlotBytes});
  EXPECT_EQ(outside.Install(big.data(), 10, 1, &err), Status::kBadArgument);
  ModelSlots unaligned(&d.flash, {{0, kSlotBytes + 4}, kSlotBytes - kSector});
  EXPECT_EQ(unaligned.Install(big.data(), 10, 1, &err), Status::kBadArgument);
}

// A verifier of the tests' own: refuses images whose first 8 bytes are on a
// deny list (a stand-in for the signature check).
struct DenyList {
  std::vector<std::vector<uint8_t>> ids;
};
Status DenyVerifier(const uint8_t* image, size_t size, void* user) {
  const auto* deny = static_cast<const DenyList*>(user);
  for (const auto& id : deny->ids)
    if (size >= id.size() && std::memcmp(image, id.data(), id.size()) == 0)
      return Status::kBadSignature;
  return Status::kOk;
}

TEST(ModelSlots, VerifierFailureAtBootFallsBackToOldModel) {
  Device d;
  DenyList deny;
  ModelSlots slots(&d.flash, kLayout, DenyVerifier, &deny);
  const auto v1 = Image(1200, 9), v2 = Image(1300, 10);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  ASSERT_EQ(slots.Install(v2.data(), v2.size(), 2), Status::kOk);
  deny.ids.push_back({v2.begin(), v2.begin() + 8});  // e.g. a revoked signing key
  BootResult b;
  ErrorText err;
  ASSERT_EQ(slots.Boot(&b, &err), Status::kOk);
  EXPECT_EQ(b.slot, 0);
  EXPECT_TRUE(SameImage(b, v1));
  EXPECT_TRUE(b.fell_back);
  EXPECT_EQ(b.info[1].state, SlotState::kRejected);
  EXPECT_EQ(b.info[1].verifier_status, Status::kBadSignature);
  EXPECT_NE(std::string(err.c_str()).find("rejected"), std::string::npos) << err.c_str();
  EXPECT_EQ(slots.Verify(1, nullptr, &err), Status::kBadSignature);
}

TEST(ModelSlots, RefusedImageIsNeverCommitted) {
  Device d;
  DenyList deny;
  ModelSlots slots(&d.flash, kLayout, DenyVerifier, &deny);
  const auto v1 = Image(1200, 11), bad = Image(1300, 12);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  deny.ids.push_back({bad.begin(), bad.begin() + 8});
  ErrorText err;
  EXPECT_EQ(slots.Install(bad.data(), bad.size(), 2, &err), Status::kBadSignature);
  deny.ids.clear();  // even when the verifier would now accept it
  BootResult b;
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 0);
  EXPECT_EQ(b.info[1].state, SlotState::kUncommitted);
}

TEST(ModelSlots, BitRotInNewImageFallsBack) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto v1 = Image(1200, 13), v2 = Image(1300, 14);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  ASSERT_EQ(slots.Install(v2.data(), v2.size(), 2), Status::kOk);
  d.mem[kSlotBytes + kSlotHeaderBytes + 700] ^= 0x10;
  BootResult b;
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 0);
  EXPECT_TRUE(b.fell_back);
  EXPECT_EQ(b.info[1].state, SlotState::kBadImage);
  // A damaged header is caught by the header CRC.
  d.mem[8] ^= 1;  // slot A's sequence number
  ErrorText err;
  EXPECT_EQ(slots.Boot(&b, &err), Status::kNotReady);
  EXPECT_EQ(b.info[0].state, SlotState::kBadHeader);
}

TEST(ModelSlots, ActivateRollsBackAndRevokedSlotIsLastResort) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto v1 = Image(1000, 15), v2 = Image(1100, 16);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  ASSERT_EQ(slots.Install(v2.data(), v2.size(), 2), Status::kOk);
  ErrorText err;
  ASSERT_EQ(slots.Activate(0, &err), Status::kOk) << err.c_str();
  BootResult b;
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 0);
  EXPECT_EQ(b.info[1].state, SlotState::kRevoked);
  EXPECT_EQ(slots.Activate(1, &err), Status::kBadArgument);  // revoked: install again
  // Slot A rots: the revoked slot B still runs rather than nothing.
  d.mem[kSlotHeaderBytes + 10] ^= 0x01;
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 1);
  EXPECT_TRUE(SameImage(b, v2));
  // The next install goes to the slot not booted (A) and wins.
  const auto v3 = Image(500, 17);
  ASSERT_EQ(slots.Install(v3.data(), v3.size(), 3), Status::kOk);
  ASSERT_EQ(slots.Boot(&b), Status::kOk);
  EXPECT_EQ(b.slot, 0);
  EXPECT_TRUE(SameImage(b, v3));
  EXPECT_EQ(d.flash.nor_violations(), 0u);
}

// The sweep: the same update cut after every possible number of byte
// operations. After each cut (power back on) Boot() must find the old or the
// new model, never none, never a mix; when Install() said ok it must be the
// new one; and an update retried after the cut must succeed.
struct SweepResult {
  size_t offsets = 0, old_booted = 0, new_booted = 0;
};
SweepResult Sweep(Device& base, const std::vector<uint8_t>& old_img,
                  const std::vector<uint8_t>& new_img) {
  SweepResult r;
  const std::vector<uint8_t> snapshot = base.mem;
  // Count the byte operations of a complete update.
  Device probe;
  probe.mem = snapshot;
  ModelSlots probe_slots(&probe.flash, kLayout);
  const uint64_t before = probe.flash.byte_ops();
  EXPECT_EQ(probe_slots.Install(new_img.data(), new_img.size(), 99), Status::kOk);
  const uint64_t total = probe.flash.byte_ops() - before;
  EXPECT_GT(total, new_img.size());
  for (uint64_t cut = 0; cut <= total; ++cut) {
    Device d;
    d.mem = snapshot;
    ModelSlots slots(&d.flash, kLayout);
    d.flash.set_power_budget(static_cast<int64_t>(cut));
    const Status s = slots.Install(new_img.data(), new_img.size(), 99);
    EXPECT_EQ(s == Status::kOk, cut == total) << "cut " << cut;
    d.flash.PowerOn();
    BootResult b;
    ErrorText err;
    EXPECT_EQ(slots.Boot(&b, &err), Status::kOk) << "cut " << cut << ": " << err.c_str();
    const bool is_new = SameImage(b, new_img), is_old = SameImage(b, old_img);
    EXPECT_TRUE(is_new || is_old) << "cut " << cut;
    if (s == Status::kOk) EXPECT_TRUE(is_new) << "cut " << cut;
    r.new_booted += is_new;
    r.old_booted += is_old;
    ++r.offsets;
    EXPECT_EQ(d.flash.nor_violations(), 0u) << "cut " << cut;
    if (cut % 61 == 0) {  // retry after the cut: the update completes
      EXPECT_EQ(slots.Install(new_img.data(), new_img.size(), 99), Status::kOk) << "cut " << cut;
      EXPECT_EQ(slots.Boot(&b), Status::kOk);
      EXPECT_TRUE(SameImage(b, new_img)) << "retry after cut " << cut;
      EXPECT_EQ(d.flash.nor_violations(), 0u) << "cut " << cut;
    }
    if (::testing::Test::HasFailure()) break;  // one report, not thousands
  }
  return r;
}

TEST(ModelSlots, PowerLossAtEveryByteOfFirstUpdate) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto old_img = Image(2000, 20), new_img = Image(3000, 21);
  ASSERT_EQ(slots.Install(old_img.data(), old_img.size(), 1), Status::kOk);
  const SweepResult r = Sweep(d, old_img, new_img);
  // Erase (6 sectors: 64 + 3000 bytes) + image + header + commit marker, each
  // byte a cut point, plus the uncut run.
  EXPECT_EQ(r.offsets, 6 * kSector + 3000 + kSlotCommitOffset + 4 + 1);
  EXPECT_EQ(r.new_booted, 1u);  // only the completed update boots the new model
  EXPECT_EQ(r.old_booted + r.new_booted, r.offsets);
  std::printf("[ sweep    ] first update: %zu cut points, old %zu, new %zu\n", r.offsets,
              r.old_booted, r.new_booted);
}

TEST(ModelSlots, PowerLossAtEveryByteOverwritingAnOlderModel) {
  // Both slots hold committed models; the update erases the older one (A).
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto v1 = Image(3500, 30), v2 = Image(1800, 31), v3 = Image(2500, 32);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  ASSERT_EQ(slots.Install(v2.data(), v2.size(), 2), Status::kOk);
  const SweepResult r = Sweep(d, v2, v3);
  EXPECT_EQ(r.offsets, 6 * kSector + 2500 + kSlotCommitOffset + 4 + 1);
  EXPECT_EQ(r.new_booted, 1u);
  std::printf("[ sweep    ] overwrite: %zu cut points, old %zu, new %zu\n", r.offsets,
              r.old_booted, r.new_booted);
}

TEST(ModelSlots, PowerLossDuringActivateLeavesAValidModel) {
  Device d;
  ModelSlots slots(&d.flash, kLayout);
  const auto v1 = Image(600, 40), v2 = Image(700, 41);
  ASSERT_EQ(slots.Install(v1.data(), v1.size(), 1), Status::kOk);
  ASSERT_EQ(slots.Install(v2.data(), v2.size(), 2), Status::kOk);
  const std::vector<uint8_t> snapshot = d.mem;
  for (int cut = 0; cut <= 4; ++cut) {
    Device t;
    t.mem = snapshot;
    ModelSlots s(&t.flash, kLayout);
    t.flash.set_power_budget(cut);
    const Status st = s.Activate(0);
    t.flash.PowerOn();
    BootResult b;
    ASSERT_EQ(s.Boot(&b), Status::kOk) << "cut " << cut;
    EXPECT_TRUE(SameImage(b, v1) || SameImage(b, v2)) << "cut " << cut;
    if (st == Status::kOk) EXPECT_TRUE(SameImage(b, v1)) << "cut " << cut;
  }
}

}  // namespace
}  // namespace mote::micro
