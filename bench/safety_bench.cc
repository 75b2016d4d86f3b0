// Signature check figures on the host. Builds a ~3 KB int8 model (64 -> 32
// fully connected), signs it with a fixed key and times the device verifier
// (VerifyModelSignature: SHA-256 of the file + Ed25519 verify), SHA-256 and
// SHA-512 throughput and Ed25519Verify alone. Prints JSON.
//
//   build/safety_bench [--iterations N] [--write-model signed.tflite --write-key key.bin]
//
// For stable figures count instructions instead of time:
//   valgrind --tool=callgrind --toggle-collect='mote::micro::VerifyModelSignature*' \
//       build/safety_bench --iterations 1
// bench/safety_target.py writes the model and key with --write-* for the
// Cortex-M4 (QEMU) measurement.
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "host/io/file.h"
#include "host/io/signing.h"
#include "host/io/tflite_writer.h"
#include "micro/safety/ed25519.h"
#include "micro/safety/model_signature.h"
#include "micro/safety/sha256.h"
#include "micro/safety/sha512.h"

namespace {

using namespace mote;

std::vector<uint8_t> SmallModel() {
  std::mt19937 rng(11);
  host::TfliteModel m;
  std::vector<uint8_t> w(32 * 64), b(32 * 4, 0);
  for (auto& x : w) x = static_cast<uint8_t>(rng());
  const int in = m.AddTensor({"input", {1, 64}, micro::DType::kInt8, {}, {0.1f}, {0}});
  const int wt = m.AddTensor({"weights", {32, 64}, micro::DType::kInt8, w, {0.05f}, {0}});
  const int bt = m.AddTensor({"bias", {32}, micro::DType::kInt32, b, {0.005f}, {0}});
  const int out = m.AddTensor({"output", {1, 32}, micro::DType::kInt8, {}, {0.2f}, {0}});
  host::TfliteOp op;
  op.builtin = 9;
  op.inputs = {in, wt, bt};
  op.outputs = {out};
  m.ops.push_back(op);
  m.inputs = {in};
  m.outputs = {out};
  return host::WriteTflite(m);
}

template <typename F>
double SecondsPer(int n, F f) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 200;
  std::string write_model, write_key;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--iterations")) iterations = std::atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--write-model")) write_model = argv[i + 1];
    else if (!strcmp(argv[i], "--write-key")) write_key = argv[i + 1];
  }
  if (iterations < 1) iterations = 1;
  std::array<uint8_t, 32> seed;
  seed.fill(0x42);
  const host::SigningKey key = host::SigningKeyFromSeed(seed);
  std::string err;
  auto model = host::SignModel(SmallModel(), key, &err);
  if (!model) {
    fprintf(stderr, "safety_bench: %s\n", err.c_str());
    return 1;
  }
  if (!write_model.empty() && !host::WriteFile(write_model, model->data(), model->size(), &err)) {
    fprintf(stderr, "safety_bench: %s\n", err.c_str());
    return 1;
  }
  if (!write_key.empty() && !host::WriteFile(write_key, key.public_key.data(), 32, &err)) {
    fprintf(stderr, "safety_bench: %s\n", err.c_str());
    return 1;
  }
  host::AlignedBytes a(model->size());
  memcpy(a.data(), model->data(), model->size());
  micro::Status status = micro::Status::kBadModel;
  const double verify_s = SecondsPer(iterations, [&] {
    status = micro::VerifyModelSignature(a.data(), a.size(), key.public_key.data(), nullptr);
  });
  std::vector<uint8_t> big(1 << 20, 0x5a);
  uint8_t d[64];
  const int hash_n = iterations >= 20 ? 20 : 1;
  const double sha256_s = SecondsPer(hash_n, [&] { micro::Sha256(big.data(), big.size(), d); });
  const double sha512_s = SecondsPer(hash_n, [&] { micro::Sha512(big.data(), big.size(), d); });
  uint8_t sig[64], sk[64], pk[32];
  crypto_sign_seed_keypair(pk, sk, seed.data());
  crypto_sign_detached(sig, nullptr, d, 32, sk);
  bool ok = false;
  const double ed_s = SecondsPer(iterations, [&] { ok = micro::Ed25519Verify(sig, d, 32, pk); });
  printf("{\"model_bytes\": %zu, \"status\": \"%s\", \"ed25519_ok\": %s, \"iterations\": %d,\n"
         " \"verify_model_us\": %.1f, \"ed25519_verify_us\": %.1f,\n"
         " \"sha256_mb_per_s\": %.1f, \"sha512_mb_per_s\": %.1f}\n",
         model->size(), micro::StatusName(status), ok ? "true" : "false", iterations,
         verify_s * 1e6, ed_s * 1e6, 1.0 / sha256_s, 1.0 / sha512_s);
  return status == micro::Status::kOk && ok ? 0 : 1;
}
