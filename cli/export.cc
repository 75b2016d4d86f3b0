// mote export MODEL.tflite -o DIR/NAME   ->  DIR/NAME.h, DIR/NAME.cc
#include <cctype>
#include <cstring>
#include <filesystem>
#include <cstdio>

#include "cli/commands.h"
#include "host/io/carray.h"
#include "host/io/loaded_model.h"
#include "host/io/sha256.h"

namespace mote::cli {
namespace {

struct ExportOptions {
  std::string model, out, symbol;
};

void Export(const ExportOptions& o) {
  std::string err;
  auto m = host::LoadedModel::Open(o.model, &err);  // verified by the device reader
  if (!m) throw CommandError(err);
  const auto& b = m->bytes();
  std::vector<uint8_t> bytes(b.data(), b.data() + b.size());
  std::string stem = o.out;
  for (const char* ext : {".h", ".cc"})
    if (stem.size() > std::strlen(ext) && stem.compare(stem.size() - std::strlen(ext), std::strlen(ext), ext) == 0)
      stem.resize(stem.size() - std::strlen(ext));
  std::string symbol = o.symbol;
  if (symbol.empty()) {
    const size_t slash = stem.find_last_of('/');
    symbol = slash == std::string::npos ? stem : stem.substr(slash + 1);
    for (char& c : symbol)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    if (symbol.empty() || std::isdigit(static_cast<unsigned char>(symbol[0]))) symbol = "model_" + symbol;
  }
  for (char c : symbol)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      throw CommandError("--symbol \"" + symbol + "\" is not a C identifier");
  const auto dir = std::filesystem::path(stem).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  if (!host::WriteCArray(bytes, symbol, stem + ".h", stem + ".cc", &err)) throw CommandError(err);
  std::printf("wrote %s.h and %s.cc: %s[%zu], sha256 %s\n", stem.c_str(), stem.c_str(),
              symbol.c_str(), bytes.size(), host::Sha256Hex(bytes.data(), bytes.size()).c_str());
}

}  // namespace

void AddExport(CLI::App& app) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand(
      "export", "Write a .tflite as C++ source for firmware: NAME.h and NAME.cc with\n"
                "alignas(16) const unsigned char NAME[], NAME_len, byte count and sha256.");
  cmd->add_option("model", o->model, "the .tflite (checked by the device reader first)")->required();
  cmd->add_option("-o,--output", o->out, "output path without extension (DIR/NAME)")->required();
  cmd->add_option("--symbol", o->symbol, "C symbol (default: NAME)");
  cmd->callback([o] { Export(*o); });
}

}  // namespace mote::cli
