#include "micro/safety/slot_verifier.h"

#include "micro/safety/model_signature.h"

namespace mote::micro {

Status VerifySignedModel(const uint8_t* image, size_t size, void* user) {
  auto* policy = static_cast<SignedModelPolicy*>(user);
  if (policy == nullptr) return Status::kBadArgument;
  ++policy->checked;
  if (policy->public_key == nullptr) {
    policy->last_status = Fail(&policy->last_error, Status::kBadArgument, "no public key configured");
  } else {
    policy->last_error.Clear();
    policy->last_status = VerifyModelSignature(image, size, policy->public_key, &policy->last_error);
  }
  if (policy->last_status != Status::kOk) ++policy->refused;
  return policy->last_status;
}

}  // namespace mote::micro
