// Signed models: an Ed25519 signature carried inside the .tflite as standard
// metadata named "mote.signature" (format: docs/signing.md), so TFLite and
// TFLM still load the file. The device checks it before trusting the model.
//
// Record (80 bytes, the whole metadata buffer):
//   0  magic "msig"          4  format version (1)     5  algorithm (1: Ed25519)
//   6  reserved, 2 zero bytes 8  key id: SHA-256(public key)[0..8)
//   16 signature (R || S, 64 bytes)
// Signed message: SHA-256 of the whole file with the 80 record bytes read as
// zeros (the 32-byte digest is the Ed25519 message).
//
// Never crashes on arbitrary bytes; the model must be 4-byte aligned (as for
// Model::Init). Stack: about 1.45 KB at the peak (Cortex-M4 -Os, the Ed25519 verify).
//
//   ErrorText err;
//   Status s = VerifyModelSignature(model, model_size, kVendorPublicKey, &err);
//   if (s != Status::kOk) { log("model rejected: %s: %s", StatusName(s), err.c_str()); }
#ifndef MOTE_MICRO_SAFETY_MODEL_SIGNATURE_H_
#define MOTE_MICRO_SAFETY_MODEL_SIGNATURE_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/safety/sha256.h"
#include "micro/status.h"

namespace mote::micro {

constexpr char kSignatureMetadataName[] = "mote.signature";
constexpr size_t kSignatureRecordBytes = 80;
constexpr size_t kSignatureKeyIdBytes = 8;
constexpr uint8_t kSignatureFormatVersion = 1;
constexpr uint8_t kSignatureAlgorithmEd25519 = 1;
constexpr size_t kSignatureKeyIdOffset = 8;
constexpr size_t kSignatureOffset = 16;

struct SignatureRecord {
  uint8_t key_id[kSignatureKeyIdBytes];
  uint8_t signature[64];
};

// Key id of a public key: the first 8 bytes of its SHA-256.
void SignatureKeyId(const uint8_t public_key[32], uint8_t key_id[kSignatureKeyIdBytes]);

// Finds the record: *offset is its position in the file. kNotSigned when the
// model has no "mote.signature" metadata, kBadRecord when it is not 80 bytes,
// kBadModel / kTruncated / kBadArgument when the model itself does not parse.
Status FindSignatureRecord(const uint8_t* model, size_t size, size_t* offset, ErrorText* err);

// Checks magic, version, algorithm and reserved bytes; kBadRecord otherwise.
// REQUIRES: record points to kSignatureRecordBytes bytes.
Status ParseSignatureRecord(const uint8_t* record, SignatureRecord* out, ErrorText* err);

// The signed digest: SHA-256 of model[0, size) with [offset, offset + 80) as zeros.
// REQUIRES: offset + kSignatureRecordBytes <= size.
void ModelSignatureDigest(const uint8_t* model, size_t size, size_t offset,
                          uint8_t digest[kSha256Bytes]);

// kOk only when the model carries a well-formed record whose key id is that
// of `public_key` and whose signature verifies; kNotSigned, kBadRecord,
// kBadSignature (wrong key or any change to the file), kBadModel, kTruncated.
Status VerifyModelSignature(const uint8_t* model, size_t size, const uint8_t public_key[32],
                            ErrorText* err);

}  // namespace mote::micro

#endif  // MOTE_MICRO_SAFETY_MODEL_SIGNATURE_H_
