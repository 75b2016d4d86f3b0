// libFuzzer target for the device's signature checks (micro/safety).
//
// Input starting with 'E' (and at least 97 bytes): differential Ed25519 —
// public key = bytes 1..33, signature = 33..97, message = the rest; mote's
// Ed25519Verify and libsodium's crypto_sign_verify_detached must agree.
// Any other input: a model for VerifyModelSignature with the fuzzing key
// (seed = 32 bytes of 0x42, see run_signature_fuzzer.sh, which seeds the
// corpus with models signed by it); when it says kOk, libsodium must agree.
// Never crash, never read out of bounds (ASan + UBSan).
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

#include "micro/safety/ed25519.h"
#include "micro/safety/model_signature.h"

namespace {

uint8_t g_public_key[32];

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (sodium_init() < 0) abort();
  uint8_t seed[32], sk[64];
  memset(seed, 0x42, sizeof(seed));
  crypto_sign_seed_keypair(g_public_key, sk, seed);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mote::micro;
  if (size >= 97 && data[0] == 'E') {
    const uint8_t* pk = data + 1;
    const uint8_t* sig = data + 33;
    const bool mote = Ed25519Verify(sig, data + 97, size - 97, pk);
    const bool sodium = crypto_sign_verify_detached(sig, data + 97, size - 97, pk) == 0;
    if (mote != sodium) abort();
    return 0;
  }
  // Models must be 4-byte aligned: copy into fresh storage of exactly `size`
  // bytes (vector storage from new is 16-byte aligned), so ASan sees overreads.
  std::vector<uint8_t> model(data, data + size);
  ErrorText err;
  const Status s = VerifyModelSignature(size ? model.data() : nullptr, size, g_public_key, &err);
  if (s == Status::kOk) {
    size_t offset = 0;
    if (FindSignatureRecord(model.data(), size, &offset, nullptr) != Status::kOk) abort();
    uint8_t digest[kSha256Bytes];
    ModelSignatureDigest(model.data(), size, offset, digest);
    if (crypto_sign_verify_detached(model.data() + offset + kSignatureOffset, digest,
                                    sizeof(digest), g_public_key) != 0)
      abort();
  }
  return 0;
}
