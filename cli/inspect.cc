// mote inspect MODEL [--json]
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/loaded_model.h"
#include "host/io/manifest.h"
#include "host/plan/cost.h"

namespace mote::cli {
namespace {

using nlohmann::json;

json TensorJson(const micro::Tensor& t) {
  json j;
  j["shape"] = json::array();
  for (int i = 0; i < t.rank; ++i) j["shape"].push_back(t.dims[i]);
  j["dtype"] = micro::DTypeName(t.type);
  j["bytes"] = t.bytes;
  if (t.quantized) {
    j["scale"] = t.scale;
    j["zero_point"] = t.zero_point;
  }
  return j;
}

std::string ShapeText(const micro::Tensor& t) {
  std::string s = "[";
  for (int i = 0; i < t.rank; ++i) s += (i ? "," : "") + std::to_string(t.dims[i]);
  return s + "]";
}

void Inspect(const std::string& path, bool as_json) {
  std::string err;
  auto m = host::LoadedModel::Open(path, &err);
  if (!m) throw CommandError(err);
  micro::Interpreter& in = m->interpreter();
  const auto costs = host::OpCosts(in);
  json j;
  j["model"] = path;
  j["model_bytes"] = m->bytes().size();
  j["inputs"] = json::array();
  for (size_t i = 0; i < in.inputs_size(); ++i) j["inputs"].push_back(TensorJson(*in.input(i)));
  j["outputs"] = json::array();
  for (size_t i = 0; i < in.outputs_size(); ++i) j["outputs"].push_back(TensorJson(*in.output(i)));
  j["ops"] = json::array();
  uint64_t total_macs = 0;
  for (size_t i = 0; i < in.num_nodes(); ++i) {
    const micro::Node& n = in.node(i);
    json op;
    op["index"] = i;
    op["op"] = micro::OpName(n.op);
    op["macs"] = costs[i].macs;
    op["output_shape"] = TensorJson(in.tensor(n.outputs[0]))["shape"];
    op["weight_bytes"] = costs[i].weight_bytes;
    total_macs += costs[i].macs;
    j["ops"].push_back(op);
  }
  j["tensors"] = in.num_tensors();
  j["total_macs"] = total_macs;
  j["weight_bytes"] = host::ConstantBytes(in);
  j["arena_bytes"] = in.arena_used_bytes();
  j["arena"] = {{"activations", in.activation_bytes()},
                {"persistent", in.persistent_bytes()},
                {"activation_lower_bound", in.activation_lower_bound()}};
  std::string manifest_err;
  const auto manifest =
      host::ReadModelManifest(m->bytes().data(), m->bytes().size(), &manifest_err);
  if (manifest) j["manifest"] = host::ManifestToJson(*manifest);
  if (!manifest_err.empty()) j["manifest_error"] = manifest_err;
  if (as_json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("model        %s (%zu bytes)\n", path.c_str(), m->bytes().size());
  for (size_t i = 0; i < in.inputs_size(); ++i) {
    const auto& t = *in.input(i);
    std::printf("input %zu      %s %s scale=%g zero_point=%d\n", i, micro::DTypeName(t.type),
                ShapeText(t).c_str(), t.scale, t.zero_point);
  }
  for (size_t i = 0; i < in.outputs_size(); ++i) {
    const auto& t = *in.output(i);
    std::printf("output %zu     %s %s scale=%g zero_point=%d\n", i, micro::DTypeName(t.type),
                ShapeText(t).c_str(), t.scale, t.zero_point);
  }
  std::printf("tensors      %zu\n", in.num_tensors());
  std::printf("weights      %llu bytes\n", static_cast<unsigned long long>(host::ConstantBytes(in)));
  std::printf("arena        %zu bytes (activations %zu, lower bound %zu; persistent %zu)\n",
              in.arena_used_bytes(), in.activation_bytes(), in.activation_lower_bound(),
              in.persistent_bytes());
  std::printf("MACs         %llu\n", static_cast<unsigned long long>(total_macs));
  if (manifest) std::printf("manifest\n%s", host::ManifestText(*manifest, "  ").c_str());
  if (!manifest_err.empty()) std::printf("manifest     corrupt: %s\n", manifest_err.c_str());
  std::printf("\n");
  std::printf("  #  %-18s %-18s %12s %10s\n", "op", "output", "MACs", "weights B");
  for (size_t i = 0; i < in.num_nodes(); ++i) {
    const micro::Node& n = in.node(i);
    std::printf("%3zu  %-18s %-18s %12llu %10llu\n", i, micro::OpName(n.op),
                ShapeText(in.tensor(n.outputs[0])).c_str(),
                static_cast<unsigned long long>(costs[i].macs),
                static_cast<unsigned long long>(costs[i].weight_bytes));
  }
}

}  // namespace

void AddInspect(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "inspect", "Show a model's inputs/outputs (shape, dtype, scale, zero point), its ops with\n"
                 "MACs, tensor count, weight bytes and the arena bytes mote needs.");
  auto path = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  cmd->add_option("model", *path, "the .tflite file")->required();
  cmd->add_flag("--json", *as_json, "print one JSON document instead of a table");
  cmd->callback([path, as_json] { Inspect(*path, *as_json); });
}

}  // namespace mote::cli
