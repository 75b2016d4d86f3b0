// mote keygen -o NAME | mote sign MODEL --key NAME -o OUT | mote verify MODEL --pub NAME.pub
// Ed25519 model signatures (docs/signing.md); the device checks them with
// micro/safety/model_signature.h.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/file.h"
#include "host/io/signing.h"

namespace mote::cli {
namespace {

std::vector<uint8_t> ReadModel(const std::string& path) {
  std::string err;
  auto bytes = host::ReadFile(path, &err);
  if (!bytes) throw CommandError(err);
  return std::vector<uint8_t>(bytes->data(), bytes->data() + bytes->size());
}

void AddKeygen(CLI::App& app) {
  struct Options {
    std::string name;
    bool force = false, json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "keygen",
      "Create an Ed25519 key pair for signing models: NAME (secret, mode 0600) and NAME.pub.\n"
      "Keep NAME off the device and out of version control; build NAME.pub into the firmware.\n\n"
      "Examples:\n"
      "  mote keygen -o keys/vendor          writes keys/vendor and keys/vendor.pub\n"
      "  mote sign model.tflite --key keys/vendor -o model.signed.tflite\n"
      "  mote verify model.signed.tflite --pub keys/vendor.pub");
  cmd->add_option("-o,--out", o->name, "key name: writes NAME and NAME.pub")->required();
  cmd->add_flag("--force", o->force, "overwrite existing key files");
  cmd->add_flag("--json", o->json, "print {secret, public, key_id} as JSON");
  cmd->callback([o] {
    const host::SigningKey key = host::GenerateSigningKey();
    std::string err;
    if (!host::WriteKeyFiles(o->name, key, o->force, &err)) throw CommandError(err);
    const std::string id = host::KeyIdHex(key.public_key);
    if (o->json) {
      std::cout << nlohmann::json{{"secret", o->name}, {"public", o->name + ".pub"}, {"key_id", id}}
                << "\n";
    } else {
      std::cout << "wrote " << o->name << " (secret, mode 0600) and " << o->name
                << ".pub, key id " << id << "\n";
    }
  });
}

void AddSignModel(CLI::App& app) {
  struct Options {
    std::string model, key, out;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "sign",
      "Sign a .tflite model: adds metadata \"mote.signature\" (Ed25519 over the SHA-256 of the\n"
      "file, format in docs/signing.md). TFLite and TFLM still load the signed file. Signing a\n"
      "signed model replaces its signature.\n\n"
      "Examples:\n"
      "  mote sign model.tflite --key keys/vendor -o model.signed.tflite\n"
      "  mote sign model.tflite --key keys/vendor -o model.tflite   (in place)");
  cmd->add_option("model", o->model, ".tflite model")->required();
  cmd->add_option("--key", o->key, "secret key file from mote keygen")->required();
  cmd->add_option("-o,--out", o->out, "signed model to write")->required();
  cmd->add_flag("--json", o->json, "print {model, out, key_id, bytes} as JSON");
  cmd->callback([o] {
    std::string err;
    auto key = host::ReadSecretKeyFile(o->key, &err);
    if (!key) throw CommandError(err);
    const std::vector<uint8_t> model = ReadModel(o->model);
    auto signed_model = host::SignModel(model, *key, &err);
    if (!signed_model) throw CommandError(o->model + ": " + err);
    if (!host::WriteFile(o->out, signed_model->data(), signed_model->size(), &err))
      throw CommandError(err);
    const std::string id = host::KeyIdHex(key->public_key);
    if (o->json) {
      std::cout << nlohmann::json{{"model", o->model}, {"out", o->out}, {"key_id", id},
                                  {"bytes", signed_model->size()}}
                << "\n";
    } else {
      std::cout << "signed " << o->model << " -> " << o->out << " (" << signed_model->size()
                << " bytes, key id " << id << ")\n";
    }
  });
}

void AddVerify(CLI::App& app) {
  struct Options {
    std::string model, pub;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "verify",
      "Check a model's signature with a public key (libsodium; the same rules as the device).\n"
      "Exit status 0 only for a valid signature by that key; 1 for not signed, bad signature,\n"
      "wrong key or a corrupt model.\n\n"
      "Examples:\n"
      "  mote verify model.signed.tflite --pub keys/vendor.pub\n"
      "  mote verify model.signed.tflite --pub keys/vendor.pub --json   {valid, status, ...}");
  cmd->add_option("model", o->model, ".tflite model")->required();
  cmd->add_option("--pub", o->pub, "public key file (NAME.pub from mote keygen)")->required();
  cmd->add_flag("--json", o->json, "print {model, valid, status, message, key_id} as JSON");
  cmd->callback([o] {
    std::string err;
    auto pk = host::ReadPublicKeyFile(o->pub, &err);
    if (!pk) throw CommandError(err);
    const std::vector<uint8_t> model = ReadModel(o->model);
    const host::ModelCheck c = host::VerifyModel(model.data(), model.size(), *pk);
    const bool ok = c.status == micro::Status::kOk;
    if (o->json) {
      std::cout << nlohmann::json{{"model", o->model},
                                  {"valid", ok},
                                  {"status", micro::StatusName(c.status)},
                                  {"message", c.message},
                                  {"key_id", c.record_key_id},
                                  {"public_key_id", host::KeyIdHex(*pk)}}
                << "\n";
      if (!ok) throw CommandError(o->model + ": " + c.message);
      return;
    }
    if (!ok)
      throw CommandError(o->model + ": " + micro::StatusName(c.status) + ": " + c.message);
    std::cout << o->model << ": " << c.message << "\n";
  });
}

}  // namespace

void AddSign(CLI::App& app) {
  AddKeygen(app);
  AddSignModel(app);
  AddVerify(app);
}

}  // namespace mote::cli
