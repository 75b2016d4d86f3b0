// mote profile MODEL [--input IN.bin] [--runs N] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/loaded_model.h"
#include "host/plan/cost.h"

namespace mote::cli {
namespace {

void Profile(const std::string& path, const std::string& input, int runs, bool as_json) {
  std::string err;
  auto m = host::LoadedModel::Open(path, &err);
  if (!m) throw CommandError(err);
  micro::Interpreter& in = m->interpreter();
  if (!input.empty()) {
    auto bytes = host::ReadFile(input, &err);
    if (!bytes) throw CommandError(err);
    if (bytes->size() != in.input(0)->bytes)
      throw CommandError(input + ": " + std::to_string(bytes->size()) + " bytes, input 0 needs " +
                         std::to_string(in.input(0)->bytes));
    std::memcpy(in.input(0)->data, bytes->data(), bytes->size());
  }
  const size_t n = in.num_nodes();
  std::vector<std::vector<double>> us(n);
  for (int r = 0; r < runs + 2; ++r) {  // two warm-up passes
    for (size_t k = 0; k < n; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      in.InvokeNode(k);
      const auto t1 = std::chrono::steady_clock::now();
      if (r >= 2) us[k].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  }
  const auto costs = host::OpCosts(in);
  std::vector<double> median(n);
  double total = 0;
  for (size_t k = 0; k < n; ++k) {
    std::sort(us[k].begin(), us[k].end());
    median[k] = us[k][us[k].size() / 2];
    total += median[k];
  }
  nlohmann::json j = {{"model", path}, {"runs", runs}, {"total_us", total}, {"ops", nlohmann::json::array()}};
  if (!as_json)
    std::printf("  #  %-18s %10s %6s %12s %10s %10s\n", "op", "us", "share", "MACs", "read B", "write B");
  for (size_t k = 0; k < n; ++k) {
    const double share = total > 0 ? median[k] / total : 0;
    const auto& c = costs[k];
    j["ops"].push_back({{"index", k}, {"op", micro::OpName(in.node(k).op)}, {"us", median[k]},
                        {"share", share}, {"macs", c.macs},
                        {"bytes_read", c.input_bytes + c.weight_bytes},
                        {"bytes_written", c.output_bytes}, {"dtype", micro::DTypeName(c.dtype)},
                        {"window", c.window}, {"outputs", c.outputs}, {"inputs", c.inputs}});
    if (!as_json)
      std::printf("%3zu  %-18s %10.1f %5.1f%% %12llu %10llu %10llu\n", k,
                  micro::OpName(in.node(k).op), median[k], 100 * share,
                  static_cast<unsigned long long>(c.macs),
                  static_cast<unsigned long long>(c.input_bytes + c.weight_bytes),
                  static_cast<unsigned long long>(c.output_bytes));
  }
  if (as_json)
    std::cout << j.dump(2) << "\n";
  else
    std::printf("total %.1f us (median per op over %d runs, host)\n", total, runs);
}

}  // namespace

void AddProfile(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto input = std::make_shared<std::string>();
  auto runs = std::make_shared<int>(20);
  auto as_json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "profile", "Time every operator on this host (median over runs) beside its MACs and\n"
                 "bytes read/written, with each op's share of the total.");
  cmd->add_option("model", *path, "the .tflite file")->required();
  cmd->add_option("--input", *input, "raw bytes for input 0 (default: zeros)");
  cmd->add_option("--runs", *runs, "timed runs per op")->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", *as_json, "print one JSON document");
  cmd->callback([=] { Profile(*path, *input, *runs, *as_json); });
}

}  // namespace mote::cli
