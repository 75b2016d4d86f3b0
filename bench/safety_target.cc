// Cortex-M firmware for bench/safety_target.py: checks the signature of the
// ~3 KB model embedded in the image (bench/safety_bench --write-model) with
// the public key embedded next to it, under QEMU with the instruction-count
// plugin. Marked intervals, in order: VerifyModelSignature, SHA-256 of the
// model alone, VerifyModelSignature of a copy with one flipped bit.
// Exit 0 iff the model verifies and the tampered copy does not.
#include <stdint.h>
#include <string.h>

#include "firmware/board.h"
#include "micro/safety/model_signature.h"
#include "micro/safety/sha256.h"

extern "C" {
extern const uint8_t mote_model[], mote_model_end[];
extern const uint8_t mote_key[];
}

namespace {

alignas(16) uint8_t g_copy[8192];

}  // namespace

int main() {
  using namespace mote::micro;
  const size_t size = static_cast<size_t>(mote_model_end - mote_model);
  ErrorText err;
  MoteStackPaint();
  MoteMarkBegin();
  const Status s = VerifyModelSignature(mote_model, size, mote_key, &err);
  MoteMarkEnd();
  const size_t stack = MoteStackUsed();
  MoteWrite("verify: ");
  MoteWrite(StatusName(s));
  MoteWrite(" model_bytes=");
  MoteWriteU(static_cast<uint32_t>(size));
  MoteWrite(" stack_used=");
  MoteWriteU(static_cast<uint32_t>(stack));
  MoteWrite("\n");

  uint8_t digest[kSha256Bytes];
  MoteMarkBegin();
  Sha256(mote_model, size, digest);
  MoteMarkEnd();

  Status t = Status::kOk;
  if (size <= sizeof(g_copy)) {
    memcpy(g_copy, mote_model, size);
    g_copy[size / 2] ^= 0x10;
    MoteMarkBegin();
    t = VerifyModelSignature(g_copy, size, mote_key, &err);
    MoteMarkEnd();
  }
  MoteWrite("tampered: ");
  MoteWrite(StatusName(t));
  MoteWrite("\n");
  return s == Status::kOk && t != Status::kOk ? 0 : 1;
}
