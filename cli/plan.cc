// mote plan MODEL [--json] [--html FILE]
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/file.h"
#include "host/io/loaded_model.h"
#include "host/io/tflite_edit.h"
#include "host/plan/timeline.h"
#include "host/report/memory_html.h"

namespace mote::cli {
namespace {

// Writes the model with the plan as TFLM's OfflineMemoryAllocation metadata:
// int32 [version 1, subgraph 0, tensor count, offset or -1 per tensor].
void WritePlanned(host::LoadedModel& m, const std::vector<host::TensorSpan>& spans,
                  const std::string& out) {
  micro::Interpreter& in = m.interpreter();
  std::vector<int32_t> words = {1, 0, static_cast<int32_t>(in.num_tensors())};
  words.resize(3 + in.num_tensors(), -1);
  for (const auto& s : spans) words[3 + s.tensor] = static_cast<int32_t>(s.offset);
  std::vector<uint8_t> data(words.size() * 4);
  std::memcpy(data.data(), words.data(), data.size());
  const std::vector<uint8_t> model(m.bytes().data(), m.bytes().data() + m.bytes().size());
  std::string err;
  auto planned = host::AddMetadata(model, "OfflineMemoryAllocation", data, &err);
  if (!planned) throw CommandError(err);
  // The written file must load with the same plan.
  auto check = host::LoadedModel::FromBytes(planned->data(), planned->size(), &err);
  if (!check) throw CommandError("planned model does not load: " + err);
  if (!check->interpreter().offline_plan() ||
      check->interpreter().arena_used_bytes() != in.arena_used_bytes())
    throw CommandError("planned model does not reproduce the plan");
  if (!host::WriteFile(out, planned->data(), planned->size(), &err)) throw CommandError(err);
}

void Plan(const std::string& path, bool as_json, const std::string& html, const std::string& out) {
  std::string err;
  auto m = host::LoadedModel::Open(path, &err);
  if (!m) throw CommandError(err);
  micro::Interpreter& in = m->interpreter();
  const auto spans = host::MemoryTimeline(in);
  if (!out.empty()) WritePlanned(*m, spans, out);
  const auto live = host::LiveBytesPerOp(spans, in.num_nodes());
  std::vector<std::string> op_names;
  for (size_t k = 0; k < in.num_nodes(); ++k) op_names.push_back(micro::OpName(in.node(k).op));
  if (!html.empty()) {
    const std::string page =
        host::MemoryTimelineHtml(path, spans, in.num_nodes(), in.activation_bytes(), op_names);
    if (!host::WriteFile(html, page.data(), page.size(), &err)) throw CommandError(err);
  }
  if (as_json) {
    nlohmann::json j;
    j["model"] = path;
    j["arena_bytes"] = in.arena_used_bytes();
    j["activation_bytes"] = in.activation_bytes();
    j["persistent_bytes"] = in.persistent_bytes();
    j["lower_bound_bytes"] = in.activation_lower_bound();
    j["tensors"] = nlohmann::json::array();
    for (const auto& s : spans)
      j["tensors"].push_back({{"tensor", s.tensor}, {"bytes", s.bytes}, {"first_op", s.first},
                              {"last_op", s.last}, {"offset", s.offset}});
    j["live_bytes_per_op"] = live;
    j["offline_plan_in_input"] = in.offline_plan();
    if (!out.empty()) j["written"] = out;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("arena        %zu bytes = activations %zu + persistent %zu\n", in.arena_used_bytes(),
              in.activation_bytes(), in.persistent_bytes());
  std::printf("lower bound  %zu bytes of activations live at once without in-place sharing\n\n",
              in.activation_lower_bound());
  std::printf("  #  %-18s %10s\n", "op", "live B");
  for (size_t k = 0; k < in.num_nodes(); ++k)
    std::printf("%3zu  %-18s %10llu\n", k, op_names[k].c_str(),
                static_cast<unsigned long long>(live[k]));
  std::printf("\ntensor      bytes   ops        offset\n");
  for (const auto& s : spans)
    std::printf("%6u %10u   %3d..%-3d %9zu\n", s.tensor, s.bytes, s.first, s.last, s.offset);
  if (!html.empty()) std::printf("\nwrote %s\n", html.c_str());
  if (!out.empty()) std::printf("wrote %s (plan in OfflineMemoryAllocation metadata)\n", out.c_str());
}

}  // namespace

void AddPlan(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto html = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "plan", "Show the arena plan mote's runtime makes for a model: total bytes, the\n"
              "activation lower bound, live bytes per operator and where each tensor sits\n"
              "(outputs may share memory with the input they replace when the op allows).");
  cmd->add_option("model", *path, "the .tflite file")->required();
  cmd->add_option("-o,--output", *out,
                  "write the model with this plan stored as TFLM's standard\n"
                  "OfflineMemoryAllocation metadata (TFLM and mote then both use it)");
  cmd->add_option("--html", *html, "write the memory timeline as a self-contained HTML/SVG page");
  cmd->add_flag("--json", *as_json, "print one JSON document");
  cmd->callback([=] { Plan(*path, *as_json, *html, *out); });
}

}  // namespace mote::cli
