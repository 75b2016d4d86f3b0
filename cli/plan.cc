// mote plan MODEL [--json] [--html FILE]
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/file.h"
#include "host/io/loaded_model.h"
#include "host/io/tflite_edit.h"
#include "host/plan/exact_plan.h"
#include "host/plan/timeline.h"
#include "host/report/memory_html.h"

namespace mote::cli {
namespace {

// The plan to store, as TFLM's OfflineMemoryAllocation words: int32 [version
// 1, subgraph 0, tensor count, offset or -1 per tensor]. The device planner's
// plan, or the exact search's when that one is smaller.
std::vector<int32_t> PlanWords(micro::Interpreter& in, uint64_t limit, host::ExactPlan* r) {
  const size_t nt = in.num_tensors();
  std::vector<micro::PlanItem> items(nt);
  std::vector<uint16_t> tensor_of(nt), item_of(nt);
  items.resize(static_cast<size_t>(in.CollectPlanItems(items.data(), tensor_of.data(), item_of.data())));
  for (size_t i = 0; i < items.size(); ++i)
    items[i].offset = static_cast<uint32_t>(in.ArenaOffset(in.tensor(tensor_of[i])));
  *r = host::PlanExact(items, limit);
  std::vector<int32_t> words = {1, 0, static_cast<int32_t>(nt)};
  words.resize(3 + nt, -1);
  for (size_t i = 0; i < items.size(); ++i)
    words[3 + tensor_of[i]] = static_cast<int32_t>(items[i].offset);
  return words;
}

// The model with `words` as its OfflineMemoryAllocation metadata, loaded: it
// must load with that plan and need no more arena than `in`.
std::unique_ptr<host::LoadedModel> WithPlan(host::LoadedModel& m, const std::vector<int32_t>& words) {
  std::vector<uint8_t> data(words.size() * 4);
  std::memcpy(data.data(), words.data(), data.size());
  const std::vector<uint8_t> model(m.bytes().data(), m.bytes().data() + m.bytes().size());
  std::string err;
  auto planned = host::AddMetadata(model, "OfflineMemoryAllocation", data, &err);
  if (!planned) throw CommandError(err);
  auto check = host::LoadedModel::FromBytes(planned->data(), planned->size(), &err);
  if (!check) throw CommandError("planned model does not load: " + err);
  if (!check->interpreter().offline_plan() ||
      check->interpreter().arena_used_bytes() > m.interpreter().arena_used_bytes())
    throw CommandError("planned model does not reproduce the plan");
  return check;
}

void Plan(const std::string& path, bool as_json, const std::string& html, const std::string& out,
          uint64_t limit) {
  std::string err;
  auto m = host::LoadedModel::Open(path, &err);
  if (!m) throw CommandError(err);
  const size_t heuristic = m->interpreter().arena_used_bytes();
  host::ExactPlan exact;
  const auto words = PlanWords(m->interpreter(), limit, &exact);
  if (exact.improved || !out.empty()) {
    auto planned = WithPlan(*m, words);
    if (!out.empty() &&
        !host::WriteFile(out, planned->bytes().data(), planned->bytes().size(), &err))
      throw CommandError(err);
    if (exact.improved) m = std::move(planned);  // report the plan that is stored
  }
  micro::Interpreter& in = m->interpreter();
  const auto spans = host::MemoryTimeline(in);
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
    j["offline_plan_in_input"] = in.offline_plan() && !exact.improved;
    j["exact_search"] = {{"nodes", exact.nodes}, {"proven_optimal", exact.proven},
                         {"improved", exact.improved}, {"device_planner_arena_bytes", heuristic}};
    if (!out.empty()) j["written"] = out;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("arena        %zu bytes = activations %zu + persistent %zu\n", in.arena_used_bytes(),
              in.activation_bytes(), in.persistent_bytes());
  std::printf("lower bound  %zu bytes of activations live at once without in-place sharing\n",
              in.activation_lower_bound());
  std::printf("exact search %s after %llu nodes%s\n\n",
              exact.improved ? "found a smaller plan" : "found no smaller plan",
              static_cast<unsigned long long>(exact.nodes),
              exact.proven ? ": optimal for these tensors" : " (stopped at --exact-limit)");
  if (exact.improved)
    std::printf("             (the device planner alone: %zu bytes)\n\n", heuristic);
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
  auto limit = std::make_shared<uint64_t>(2'000'000);
  auto* cmd = app.add_subcommand(
      "plan", "Show the arena plan mote's runtime makes for a model: total bytes, the\n"
              "activation lower bound, live bytes per operator and where each tensor sits\n"
              "(outputs may share memory with the input they replace when the op allows).\n"
              "An exact branch-and-bound search then tries to beat the device planner's\n"
              "placement; with -o the better plan is stored in the model.");
  cmd->add_option("model", *path, "the .tflite file")->required();
  cmd->add_option("-o,--output", *out,
                  "write the model with this plan stored as TFLM's standard\n"
                  "OfflineMemoryAllocation metadata (TFLM and mote then both use it)");
  cmd->add_option("--html", *html, "write the memory timeline as a self-contained HTML/SVG page");
  cmd->add_flag("--json", *as_json, "print one JSON document");
  cmd->add_option("--exact-limit", *limit,
                  "search nodes for the exact placement search (branch and bound from the\n"
                  "device planner's plan; optimal when it finishes; default 2000000)");
  cmd->callback([=] { Plan(*path, *as_json, *html, *out, *limit); });
}

}  // namespace mote::cli
