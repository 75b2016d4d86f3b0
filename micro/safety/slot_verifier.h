// Signed-model slots: the adapter that plugs the Ed25519 model signature
// check (model_signature.h) into the A/B slots' verifier callback
// (slots.h), so a slot is only booted, and an update only committed, when
// its image is a model signed by the device's key.
//
// Contract: VerifySignedModel() is an ImageVerifier. `user` points to a
// SignedModelPolicy; the image passes only when VerifyModelSignature() gives
// kOk with policy->public_key (an unsigned model is refused: kNotSigned).
// Every call records the status and the one-line reason in the policy, so
// the caller can say why a slot was refused (the slot API keeps only the
// status). A null policy or key is refused with kBadArgument. No heap.
//
//   SignedModelPolicy policy;
//   policy.public_key = kVendorPublicKey;                // 32 bytes, in flash
//   ModelSlots slots(&flash, layout, VerifySignedModel, &policy);
//   if (slots.Install(update, size, 8, &err) != Status::kOk)
//     log("update refused: %s (%s)", err.c_str(), policy.last_error.c_str());
//   BootResult boot;
//   slots.Boot(&boot, &err);   // a tampered newer slot falls back to the older one
#ifndef MOTE_MICRO_SAFETY_SLOT_VERIFIER_H_
#define MOTE_MICRO_SAFETY_SLOT_VERIFIER_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/status.h"

namespace mote::micro {

struct SignedModelPolicy {
  const uint8_t* public_key = nullptr;  // 32 bytes; must outlive the slots
  Status last_status = Status::kOk;     // the last image's verdict
  ErrorText last_error;                 // and why (empty when kOk)
  uint32_t checked = 0;                 // images checked
  uint32_t refused = 0;                 // images refused
};

// An ImageVerifier (slots.h): kOk when `image` carries a valid signature by
// policy->public_key; the VerifyModelSignature() status otherwise.
Status VerifySignedModel(const uint8_t* image, size_t size, void* policy);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_SLOT_VERIFIER_H_
