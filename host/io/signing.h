// Host side of signed models (format: docs/signing.md, device side:
// micro/safety/model_signature.h): Ed25519 keys, signing and verifying with
// libsodium. The device verifier is independent code; tests check that both
// take the same decisions.
//
// Key files are two lines of text (plus optional "#" comment lines):
//   secret key NAME      "mote-ed25519-secret-key 1" + 64 hex digits (the 32-byte seed), mode 0600
//   public key NAME.pub  "mote-ed25519-public-key 1" + 64 hex digits (the 32-byte key);
//                        a comment line carries the key as a C initializer for firmware
//
//   SigningKey key = GenerateSigningKey();
//   WriteKeyFiles("vendor", key, &err);                   // vendor, vendor.pub
//   auto signed_model = SignModel(model, key, &err);      // adds or replaces the record
//   ModelCheck c = VerifyModel(signed_model->data(), signed_model->size(), key.public_key);
#ifndef MOTE_HOST_IO_SIGNING_H_
#define MOTE_HOST_IO_SIGNING_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "micro/status.h"

namespace mote::host {

using PublicKey = std::array<uint8_t, 32>;

struct SigningKey {
  std::array<uint8_t, 32> seed{};  // the secret
  PublicKey public_key{};
};

// REQUIRES for all functions here: libsodium initialises (else they throw std::runtime_error).
SigningKey GenerateSigningKey();
SigningKey SigningKeyFromSeed(const std::array<uint8_t, 32>& seed);
// "1a2b3c4d5e6f7081": the key id (SHA-256(public key)[0..8)) in hex.
std::string KeyIdHex(const PublicKey& public_key);

// Writes NAME (secret, mode 0600) and NAME.pub. Refuses to overwrite unless `force`.
bool WriteKeyFiles(const std::string& name, const SigningKey& key, bool force, std::string* err);
std::optional<SigningKey> ReadSecretKeyFile(const std::string& path, std::string* err);
std::optional<PublicKey> ReadPublicKeyFile(const std::string& path, std::string* err);

// Returns the signed model: the record is added as metadata "mote.signature",
// or overwritten in place when the model is already signed (re-signing).
std::optional<std::vector<uint8_t>> SignModel(const std::vector<uint8_t>& model,
                                              const SigningKey& key, std::string* err);

struct ModelCheck {
  micro::Status status = micro::Status::kBadModel;  // kOk: valid signature by that key
  std::string message;                              // why not, in one line
  std::string record_key_id;                        // hex key id found in the record, if any
};
// Verifies with libsodium (SHA-256 and Ed25519); same rules as the device.
ModelCheck VerifyModel(const uint8_t* model, size_t size, const PublicKey& public_key);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_SIGNING_H_
