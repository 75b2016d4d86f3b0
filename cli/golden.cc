// mote golden [--shared DIR] [--runs N] [--json]
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/golden.h"

namespace mote::cli {
namespace {

std::string DefaultShared() {
  if (const char* env = std::getenv("MOTE_SHARED")) return env;
  return "../shared";
}

void Golden(const std::string& shared, int runs, bool as_json) {
  const auto names = host::GoldenNames(shared);
  if (names.empty())
    throw CommandError("no golden models under " + shared + "/golden (set --shared or MOTE_SHARED)");
  nlohmann::json j = nlohmann::json::array();
  bool all_ok = true;
  if (!as_json)
    std::printf("%-20s %4s %12s %12s %10s %10s %s\n", "model", "ops", "arena mote", "arena TFLM",
                "mote us", "TFLM us*", "bit-exact");
  for (const auto& name : names) {
    const host::GoldenResult r = host::RunGolden(shared, name, runs);
    // A model TFLM refuses must be refused here too, with a reason.
    const bool ok = r.tflm_supported ? r.error.empty() && r.cases > 0 && r.cases_equal == r.cases
                                     : !r.error.empty();
    all_ok = all_ok && ok;
    j.push_back({{"model", name}, {"ops", r.ops}, {"arena_bytes", r.arena_bytes},
                 {"tflm_arena_bytes", r.tflm_arena_bytes}, {"median_us", r.median_us},
                 {"tflm_median_us_manifest", r.tflm_median_us}, {"cases", r.cases},
                 {"cases_equal", r.cases_equal}, {"error", r.error},
                 {"first_failure", r.first_failure}, {"ok", ok}});
    if (as_json) continue;
    if (!r.error.empty()) {
      std::printf("%-20s refused: %s%s\n", name.c_str(), r.error.c_str(),
                  r.tflm_supported ? "" : " (TFLM refuses it too)");
      continue;
    }
    const std::string exact =
        r.cases_equal == r.cases ? "yes (" + std::to_string(r.cases) + "/" + std::to_string(r.cases) + ")"
                                 : "NO: " + r.first_failure;
    std::printf("%-20s %4d %12zu %12zu %10.1f %10.1f %s\n", name.c_str(), r.ops, r.arena_bytes,
                r.tflm_arena_bytes, r.median_us, r.tflm_median_us, exact.c_str());
  }
  if (as_json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("\n* TFLM us: from the golden manifest (TFLM reference kernels, another machine);\n"
                "  bench/golden_vs_tflm.py times both in one run.\n");
  }
  if (!all_ok) throw CommandError("golden check failed", 1);
}

}  // namespace

void AddGolden(CLI::App& app) {
  auto shared = std::make_shared<std::string>(DefaultShared());
  auto runs = std::make_shared<int>(20);
  auto as_json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "golden", "Run every golden model (shared/golden/<model>/input_K.bin -> output_K.bin),\n"
                "check outputs bit-exact (int8) or within tolerance (float32), and print\n"
                "arena bytes and host time beside TFLM's figures.");
  cmd->add_option("--shared", *shared, "folder with models/ and golden/ (default $MOTE_SHARED or ../shared)");
  cmd->add_option("--runs", *runs, "invokes timed per model")->check(CLI::Range(0, 100000));
  cmd->add_flag("--json", *as_json, "print JSON");
  cmd->callback([shared, runs, as_json] { Golden(*shared, *runs, *as_json); });
}

}  // namespace mote::cli
