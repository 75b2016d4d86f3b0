#include "micro/safety/model_signature.h"

#include <string.h>

#include "micro/model/model.h"
#include "micro/safety/ed25519.h"

namespace mote::micro {
namespace {

constexpr uint8_t kMagic[4] = {'m', 's', 'i', 'g'};

}  // namespace

void SignatureKeyId(const uint8_t public_key[32], uint8_t key_id[kSignatureKeyIdBytes]) {
  uint8_t digest[kSha256Bytes];
  Sha256(public_key, 32, digest);
  memcpy(key_id, digest, kSignatureKeyIdBytes);
}

Status FindSignatureRecord(const uint8_t* model, size_t size, size_t* offset, ErrorText* err) {
  Model m;
  if (Status s = m.Init(model, size, err); s != Status::kOk) return s;
  const uint8_t* data = nullptr;
  uint32_t length = 0;
  if (Status s = m.FindMetadata(kSignatureMetadataName, &data, &length, err); s != Status::kOk)
    return s;
  if (data == nullptr)
    return Fail(err, Status::kNotSigned, "no \"", kSignatureMetadataName, "\" metadata");
  if (length != kSignatureRecordBytes)
    return Fail(err, Status::kBadRecord, "signature record is ", length, " bytes (expected ",
                kSignatureRecordBytes, ")");
  if (data < model || data + length > model + size)  // the reader checks this too
    return Fail(err, Status::kBadRecord, "signature record lies outside the file");
  *offset = static_cast<size_t>(data - model);
  return Status::kOk;
}

Status ParseSignatureRecord(const uint8_t* record, SignatureRecord* out, ErrorText* err) {
  if (memcmp(record, kMagic, 4) != 0)
    return Fail(err, Status::kBadRecord, "signature record: bad magic (expected \"msig\")");
  if (record[4] != kSignatureFormatVersion)
    return Fail(err, Status::kBadRecord, "signature record: unknown format version ", record[4]);
  if (record[5] != kSignatureAlgorithmEd25519)
    return Fail(err, Status::kBadRecord, "signature record: unknown algorithm ", record[5]);
  if (record[6] != 0 || record[7] != 0)
    return Fail(err, Status::kBadRecord, "signature record: reserved bytes are not zero");
  memcpy(out->key_id, record + kSignatureKeyIdOffset, kSignatureKeyIdBytes);
  memcpy(out->signature, record + kSignatureOffset, 64);
  return Status::kOk;
}

void ModelSignatureDigest(const uint8_t* model, size_t size, size_t offset,
                          uint8_t digest[kSha256Bytes]) {
  static constexpr uint8_t kZeros[16] = {};
  Sha256Context c;
  Sha256Init(&c);
  Sha256Update(&c, model, offset);
  for (size_t i = 0; i < kSignatureRecordBytes; i += sizeof(kZeros))
    Sha256Update(&c, kZeros, sizeof(kZeros));
  Sha256Update(&c, model + offset + kSignatureRecordBytes,
               size - offset - kSignatureRecordBytes);
  Sha256Final(&c, digest);
}

Status VerifyModelSignature(const uint8_t* model, size_t size, const uint8_t public_key[32],
                            ErrorText* err) {
  if (public_key == nullptr) return Fail(err, Status::kBadArgument, "no public key");
  size_t offset = 0;
  if (Status s = FindSignatureRecord(model, size, &offset, err); s != Status::kOk) return s;
  SignatureRecord record;
  if (Status s = ParseSignatureRecord(model + offset, &record, err); s != Status::kOk) return s;
  uint8_t key_id[kSignatureKeyIdBytes];
  SignatureKeyId(public_key, key_id);
  if (memcmp(key_id, record.key_id, kSignatureKeyIdBytes) != 0)
    return Fail(err, Status::kBadSignature,
                "signed with a different key (key id in the record does not match)");
  uint8_t digest[kSha256Bytes];
  ModelSignatureDigest(model, size, offset, digest);
  if (!Ed25519Verify(record.signature, digest, sizeof(digest), public_key))
    return Fail(err, Status::kBadSignature,
                "signature does not match the model bytes (modified, or wrong key)");
  if (err != nullptr) err->Clear();
  return Status::kOk;
}

}  // namespace mote::micro
