#include "host/io/signing.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "host/io/file.h"
#include "host/io/tflite_edit.h"
#include "micro/safety/model_signature.h"

namespace mote::host {
namespace {

constexpr char kSecretHeader[] = "mote-ed25519-secret-key 1";
constexpr char kPublicHeader[] = "mote-ed25519-public-key 1";

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string Hex(const uint8_t* p, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 15];
  }
  return s;
}

// Reads a key file: the header line, then 64 hex digits; '#' lines are comments.
bool ReadKeyFile(const std::string& path, const char* header, std::array<uint8_t, 32>* out,
                 std::string* err) {
  std::ifstream in(path);
  if (!in) {
    *err = path + ": cannot open key file";
    return false;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    lines.push_back(line);
  }
  if (lines.empty() || lines[0] != header) {
    const std::string other = std::strcmp(header, kSecretHeader) == 0 ? kPublicHeader : kSecretHeader;
    *err = path + ": not a mote key file (expected first line \"" + header + "\"" +
           (!lines.empty() && lines[0] == other ? "; this is the other half of the key pair" : "") +
           ")";
    return false;
  }
  if (lines.size() != 2 || lines[1].size() != 64) {
    *err = path + ": expected one line of 64 hex digits after the header";
    return false;
  }
  size_t bin_len = 0;
  if (sodium_hex2bin(out->data(), out->size(), lines[1].c_str(), 64, nullptr, &bin_len,
                     nullptr) != 0 ||
      bin_len != 32) {
    *err = path + ": key is not 64 hex digits";
    return false;
  }
  return true;
}

bool WriteText(const std::string& path, const std::string& text, mode_t mode, bool force,
               std::string* err) {
  struct stat st;
  if (!force && stat(path.c_str(), &st) == 0) {
    *err = path + ": exists (use --force to overwrite)";
    return false;
  }
  ::unlink(path.c_str());  // so the mode below applies to a fresh file
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fchmod(fd, mode) != 0) {
    if (fd >= 0) ::close(fd);
    *err = path + ": cannot write: " + std::strerror(errno);
    return false;
  }
  ::close(fd);
  return true;
}

// SHA-256 of the model with the record bytes as zeros, by libsodium.
void Digest(const uint8_t* model, size_t size, size_t offset, uint8_t digest[32]) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, model, offset);
  const uint8_t zeros[micro::kSignatureRecordBytes] = {};
  crypto_hash_sha256_update(&st, zeros, sizeof(zeros));
  const size_t rest = offset + sizeof(zeros);
  crypto_hash_sha256_update(&st, model + rest, size - rest);
  crypto_hash_sha256_final(&st, digest);
}

std::array<uint8_t, 8> KeyId(const PublicKey& pk) {
  uint8_t h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, pk.data(), pk.size());
  std::array<uint8_t, 8> id;
  std::memcpy(id.data(), h, id.size());
  return id;
}

}  // namespace

SigningKey SigningKeyFromSeed(const std::array<uint8_t, 32>& seed) {
  InitSodium();
  SigningKey k;
  k.seed = seed;
  uint8_t sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(k.public_key.data(), sk, seed.data());
  sodium_memzero(sk, sizeof(sk));
  return k;
}

SigningKey GenerateSigningKey() {
  InitSodium();
  std::array<uint8_t, 32> seed;
  randombytes_buf(seed.data(), seed.size());
  SigningKey k = SigningKeyFromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return k;
}

std::string KeyIdHex(const PublicKey& public_key) {
  InitSodium();
  const auto id = KeyId(public_key);
  return Hex(id.data(), id.size());
}

bool WriteKeyFiles(const std::string& name, const SigningKey& key, bool force, std::string* err) {
  const std::string id = KeyIdHex(key.public_key);
  const std::string secret = std::string("# mote signing key (secret: keep private), key id ") +
                             id + "\n" + kSecretHeader + "\n" +
                             Hex(key.seed.data(), key.seed.size()) + "\n";
  std::string c_array = "# for the firmware: const uint8_t kPublicKey[32] = {";
  char b[8];
  for (size_t i = 0; i < key.public_key.size(); ++i) {
    snprintf(b, sizeof(b), "%s0x%02x", i ? ", " : "", key.public_key[i]);
    c_array += b;
  }
  c_array += "};\n";
  const std::string pub = std::string("# mote public key, key id ") + id + "\n" + c_array +
                          kPublicHeader + "\n" +
                          Hex(key.public_key.data(), key.public_key.size()) + "\n";
  return WriteText(name, secret, 0600, force, err) &&
         WriteText(name + ".pub", pub, 0644, force, err);
}

std::optional<SigningKey> ReadSecretKeyFile(const std::string& path, std::string* err) {
  std::array<uint8_t, 32> seed;
  if (!ReadKeyFile(path, kSecretHeader, &seed, err)) return std::nullopt;
  SigningKey k = SigningKeyFromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return k;
}

std::optional<PublicKey> ReadPublicKeyFile(const std::string& path, std::string* err) {
  PublicKey pk;
  if (!ReadKeyFile(path, kPublicHeader, &pk, err)) return std::nullopt;
  return pk;
}

std::optional<std::vector<uint8_t>> SignModel(const std::vector<uint8_t>& model,
                                              const SigningKey& key, std::string* err) {
  InitSodium();
  // Locate an existing record (the device reader needs 4-byte aligned bytes).
  AlignedBytes work(model.size());
  if (!model.empty()) std::memcpy(work.data(), model.data(), model.size());
  micro::ErrorText e;
  size_t offset = 0;
  micro::Status s = micro::FindSignatureRecord(work.data(), work.size(), &offset, &e);
  std::vector<uint8_t> out;
  uint8_t record[micro::kSignatureRecordBytes] = {'m', 's', 'i', 'g', micro::kSignatureFormatVersion,
                                                  micro::kSignatureAlgorithmEd25519, 0, 0};
  const auto id = KeyId(key.public_key);
  std::memcpy(record + micro::kSignatureKeyIdOffset, id.data(), id.size());
  if (s == micro::Status::kOk) {
    out = model;  // re-signing: overwrite the record in place
  } else if (s == micro::Status::kNotSigned || s == micro::Status::kBadRecord) {
    auto added = AddMetadata(model, micro::kSignatureMetadataName,
                             std::vector<uint8_t>(record, record + sizeof(record)), err);
    if (!added) return std::nullopt;
    out = std::move(*added);
    AlignedBytes again(out.size());
    std::memcpy(again.data(), out.data(), out.size());
    s = micro::FindSignatureRecord(again.data(), again.size(), &offset, &e);
    if (s != micro::Status::kOk) {
      *err = std::string("signing: cannot find the record just added: ") + e.c_str();
      return std::nullopt;
    }
  } else {
    *err = std::string("not a valid .tflite model: ") + micro::StatusName(s) + ": " + e.c_str();
    return std::nullopt;
  }
  std::memcpy(out.data() + offset, record, sizeof(record));
  uint8_t digest[32];
  Digest(out.data(), out.size(), offset, digest);
  uint8_t sk[crypto_sign_SECRETKEYBYTES];
  PublicKey pk;
  crypto_sign_seed_keypair(pk.data(), sk, key.seed.data());
  crypto_sign_detached(out.data() + offset + micro::kSignatureOffset, nullptr, digest,
                       sizeof(digest), sk);
  sodium_memzero(sk, sizeof(sk));
  return out;
}

ModelCheck VerifyModel(const uint8_t* model, size_t size, const PublicKey& public_key) {
  InitSodium();
  ModelCheck c;
  AlignedBytes work(size);
  if (size > 0) std::memcpy(work.data(), model, size);
  micro::ErrorText e;
  size_t offset = 0;
  micro::SignatureRecord r;
  c.status = micro::FindSignatureRecord(work.data(), size, &offset, &e);
  if (c.status == micro::Status::kOk) c.status = micro::ParseSignatureRecord(work.data() + offset, &r, &e);
  if (c.status != micro::Status::kOk) {
    c.message = e.c_str();
    return c;
  }
  c.record_key_id = Hex(r.key_id, sizeof(r.key_id));
  if (c.record_key_id != KeyIdHex(public_key)) {
    c.status = micro::Status::kBadSignature;
    c.message = "signed with a different key (record key id " + c.record_key_id +
                ", public key id " + KeyIdHex(public_key) + ")";
    return c;
  }
  uint8_t digest[32];
  Digest(work.data(), size, offset, digest);
  if (crypto_sign_verify_detached(r.signature, digest, sizeof(digest), public_key.data()) != 0) {
    c.status = micro::Status::kBadSignature;
    c.message = "signature does not match the model bytes (modified, or wrong key)";
    return c;
  }
  c.status = micro::Status::kOk;
  c.message = "valid signature, key id " + c.record_key_id;
  return c;
}

}  // namespace mote::host
