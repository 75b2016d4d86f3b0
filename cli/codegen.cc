// mote codegen MODEL -o DIR [--name NAME]: the model as C++ (see host/io/codegen.h).
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "host/io/codegen.h"
#include "host/io/file.h"

namespace mote::cli {

void AddCodegen(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "codegen",
      "Generate C++ for a model: NAME.h + NAME.cc with static const weights, one static\n"
      "arena and a straight-line Invoke() (no interpreter) calling the kernels the\n"
      "interpreter would: the optimized int8 conv, depthwise, fully-connected and\n"
      "average-pool kernels where they apply, the reference kernels elsewhere.\n"
      "Example: mote codegen kws.tflite -o gen --name kws");
  auto model = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  cmd->add_option("model", *model, ".tflite file")->required();
  cmd->add_option("-o,--output", *dir, "output directory (created if missing)")->required();
  cmd->add_option("--name", *name, "C++ namespace and file stem (default: from the model file)");
  cmd->callback([model, dir, name] {
    std::string err;
    auto bytes = host::ReadFile(*model, &err);
    if (!bytes) throw CommandError(err);
    host::CodegenOptions opt;
    const std::filesystem::path path(*model);
    opt.name = host::IdentifierFrom(name->empty() ? path.stem().string() : *name);
    if (!name->empty() && opt.name != *name)
      throw CommandError("--name " + *name + ": not a C++ identifier (try " + opt.name + ")");
    opt.model_label = path.filename().string();
    opt.version = MOTE_VERSION;
    host::CodegenResult r;
    if (!host::GenerateCode(bytes->data(), bytes->size(), opt, &r, &err))
      throw CommandError(*model + ": " + err);
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    if (ec) throw CommandError(*dir + ": " + ec.message());
    const std::string h = *dir + "/" + opt.name + ".h", c = *dir + "/" + opt.name + ".cc";
    if (!host::WriteFile(h, r.header.data(), r.header.size(), &err) ||
        !host::WriteFile(c, r.source.data(), r.source.size(), &err))
      throw CommandError(err);
    std::cout << "wrote " << h << " and " << c << " (weights " << r.weight_bytes
              << " B, arena " << r.arena_bytes << " B)\n";
  });
}

}  // namespace mote::cli
