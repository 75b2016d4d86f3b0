// mote budget MODEL --target cortex-m4@80MHz [--flash 256K] [--ram 64K]
//   [--latency 50ms] [--period 1s --battery 220mAh@3V] [--json]
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/commands.h"
#include "host/io/loaded_model.h"
#include "host/plan/cost.h"
#include "host/plan/targets.h"

namespace mote::cli {
namespace {

constexpr double kStackBytes = 1536;  // measured Invoke peak up to 1,340 B on the targets (M4 -O2)

struct BudgetOptions {
  std::string model, target = "cortex-m4@80MHz", flash, ram, latency, period, battery;
  double ua_per_mhz = -1, sleep_ua = -1;
  bool json = false;
};

// "256K", "1M", "4096" -> bytes.
double ParseBytes(const std::string& s, const char* what) {
  std::smatch m;
  if (!std::regex_match(s, m, std::regex(R"(\s*([0-9]*\.?[0-9]+)\s*([kKmM]?)i?[bB]?\s*)")))
    throw CommandError(std::string("--") + what + " '" + s + "': expected bytes like 256K or 1M");
  const double v = std::stod(m[1]);
  const char unit = m[2].length() ? static_cast<char>(std::toupper(m[2].str()[0])) : ' ';
  return v * (unit == 'K' ? 1024.0 : unit == 'M' ? 1048576.0 : 1.0);
}

// "50ms", "1s", "200us" -> seconds.
double ParseSeconds(const std::string& s, const char* what) {
  std::smatch m;
  if (!std::regex_match(s, m, std::regex(R"(\s*([0-9]*\.?[0-9]+)\s*(us|ms|s|min)\s*)")))
    throw CommandError(std::string("--") + what + " '" + s + "': expected a time like 50ms or 1s");
  const double v = std::stod(m[1]);
  const std::string u = m[2];
  return v * (u == "us" ? 1e-6 : u == "ms" ? 1e-3 : u == "min" ? 60.0 : 1.0);
}

void Budget(const BudgetOptions& o) {
  std::smatch m;
  if (!std::regex_match(o.target, m, std::regex(R"(([a-z0-9-]+)@([0-9]*\.?[0-9]+)MHz)")))
    throw CommandError("--target '" + o.target + "': expected NAME@MHZ, e.g. cortex-m4@80MHz");
  const host::Target* t = host::FindTarget(m[1]);
  if (t == nullptr) {
    std::string names;
    for (const auto& x : host::Targets()) names += " " + x.name;
    throw CommandError("unknown target '" + m[1].str() + "'; known:" + names);
  }
  const double mhz = std::stod(m[2]);
  if (!(mhz > 0)) throw CommandError("--target: clock must be positive");
  std::string err;
  auto lm = host::LoadedModel::Open(o.model, &err);
  if (!lm) throw CommandError(err);
  micro::Interpreter& in = lm->interpreter();
  const auto costs = host::OpCosts(in);
  uint64_t macs8 = 0, macs32 = 0;
  double instructions = 0;
  nlohmann::json per_op = nlohmann::json::array();
  for (size_t k = 0; k < in.num_nodes(); ++k) {
    (costs[k].dtype == micro::DType::kFloat32 ? macs32 : macs8) += costs[k].macs;
    std::string basis;
    const double n = host::EstimateInstructions(*t, in.node(k).op, costs[k], &basis);
    instructions += n;
    per_op.push_back({{"index", k}, {"op", micro::OpName(in.node(k).op)},
                      {"instructions", n}, {"basis", basis}});
  }
  const double flash = static_cast<double>(lm->bytes().size()) + t->runtime_flash;
  const double ram = static_cast<double>(in.arena_used_bytes()) + kStackBytes;
  const double cycles = instructions * t->cycles_per_instr;
  const double latency = cycles / (mhz * 1e6);
  const double ua_per_mhz = o.ua_per_mhz >= 0 ? o.ua_per_mhz : t->ua_per_mhz;
  const double sleep_ua = o.sleep_ua >= 0 ? o.sleep_ua : t->sleep_ua;
  double volts = 3.0, mah = 0;
  if (!o.battery.empty()) {
    std::smatch b;
    if (!std::regex_match(o.battery, b, std::regex(R"(([0-9]*\.?[0-9]+)mAh@([0-9]*\.?[0-9]+)V)")))
      throw CommandError("--battery '" + o.battery + "': expected CAPACITY@VOLTS, e.g. 220mAh@3V");
    mah = std::stod(b[1]);
    volts = std::stod(b[2]);
  }
  const double run_ua = ua_per_mhz * mhz;
  const double energy_uj = run_ua * 1e-6 * volts * latency * 1e6;
  nlohmann::json j = {{"model", o.model}, {"target", t->name}, {"mhz", mhz},
                      {"macs_int8", macs8}, {"macs_float32", macs32},
                      {"instructions", instructions}, {"cycles_per_instruction", t->cycles_per_instr},
                      {"ops", per_op}};
  bool all_pass = true;
  std::string failed;
  std::vector<std::tuple<std::string, std::string, std::string>> rows;  // what, value, verdict
  auto check = [&](const char* key, const char* label, double value, const std::string& limit_text,
                   double limit, const std::string& shown) {
    std::string verdict = "-";
    nlohmann::json e = {{"value", value}};
    if (!limit_text.empty()) {
      const bool pass = value <= limit;
      all_pass = all_pass && pass;
      if (!pass) failed += std::string(failed.empty() ? "" : ", ") + label;
      verdict = std::string(pass ? "PASS" : "FAIL") + " (budget " + limit_text + ")";
      e["budget"] = limit;
      e["pass"] = pass;
    }
    j[key] = e;
    rows.emplace_back(label, shown, verdict);
  };
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.0f B (model %zu + runtime %u)", flash, lm->bytes().size(),
                t->runtime_flash);
  check("flash_bytes", "flash", flash, o.flash, o.flash.empty() ? 0 : ParseBytes(o.flash, "flash"), buf);
  std::snprintf(buf, sizeof buf, "%.0f B (arena %zu + stack %.0f)", ram, in.arena_used_bytes(),
                kStackBytes);
  check("ram_bytes", "RAM", ram, o.ram, o.ram.empty() ? 0 : ParseBytes(o.ram, "ram"), buf);
  std::snprintf(buf, sizeof buf, "%.3g (estimate: %.3g instructions x %.2f CPI)", cycles,
                instructions, t->cycles_per_instr);
  check("cycles", "cycles", cycles, "", 0, buf);
  std::snprintf(buf, sizeof buf, "%.3f ms (estimate)", latency * 1e3);
  check("latency_s", "latency", latency, o.latency,
        o.latency.empty() ? 0 : ParseSeconds(o.latency, "latency"), buf);
  std::snprintf(buf, sizeof buf, "%.3g uJ at %.2g V, %.0f uA running", energy_uj, volts, run_ua);
  check("energy_uj", "energy/inference", energy_uj, "", 0, buf);
  if (!o.period.empty()) {
    const double period = ParseSeconds(o.period, "period");
    const double duty = std::min(1.0, latency / period);
    const double avg_ua = duty * run_ua + (1 - duty) * sleep_ua;
    std::snprintf(buf, sizeof buf, "%.3g uA (duty %.3g%%, sleep %.3g uA)", avg_ua, 100 * duty, sleep_ua);
    check("average_current_ua", "average current", avg_ua, "", 0, buf);
    if (mah > 0) {
      const double hours = mah * 1000.0 / avg_ua;
      std::snprintf(buf, sizeof buf, "%.0f h (%.1f days)", hours, hours / 24);
      check("battery_life_h", "battery life", hours, "", 0, buf);
    }
  }
  j["pass"] = all_pass;
  j["sources"] = {{"instructions", t->instr_source}, {"cycles_per_instruction", t->cpi_source},
                  {"runtime_flash", t->flash_source}, {"power", t->power_source},
                  {"ram", "arena measured on this host (64-bit records; smaller on Cortex-M) + 1.5 KiB stack"}};
  if (o.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("%s on %s @ %.0f MHz\n", o.model.c_str(), t->name.c_str(), mhz);
    for (const auto& [what, value, verdict] : rows)
      std::printf("  %-17s %-48s %s\n", what.c_str(), value.c_str(), verdict.c_str());
    std::printf("cycles: %s x %.2f CPI (%s); power: %s\n", t->instr_source.c_str(),
                t->cycles_per_instr, t->cpi_source.c_str(), t->power_source.c_str());
  }
  if (!all_pass) throw CommandError("over budget: " + failed, 1);
}

}  // namespace

void AddBudget(CLI::App& app) {
  auto o = std::make_shared<BudgetOptions>();
  auto* cmd = app.add_subcommand(
      "budget", "Check a model against flash, RAM, latency and energy budgets for a named\n"
                "Cortex-M target; prints each figure with PASS/FAIL and exits 1 if any fails.\n"
                "Flash and RAM are measured; cycles, latency and energy are estimates (see\n"
                "docs/budget.md for the model and the sources of its figures).");
  cmd->add_option("model", o->model, "the .tflite file")->required();
  cmd->add_option("--target", o->target,
                  "NAME@MHZ: cortex-m0plus, cortex-m4, cortex-m7, cortex-m33, cortex-m55")
      ->capture_default_str();
  cmd->add_option("--flash", o->flash, "flash budget, e.g. 256K");
  cmd->add_option("--ram", o->ram, "RAM budget, e.g. 64K");
  cmd->add_option("--latency", o->latency, "latency budget, e.g. 50ms");
  cmd->add_option("--period", o->period, "one inference every PERIOD (duty cycle), e.g. 1s");
  cmd->add_option("--battery", o->battery, "CAPACITY@VOLTS, e.g. 220mAh@3V (needs --period)");
  cmd->add_option("--ua-per-mhz", o->ua_per_mhz, "run current of your part (default: the target's)");
  cmd->add_option("--sleep-ua", o->sleep_ua, "current between inferences (default: the target's)");
  cmd->add_flag("--json", o->json, "print one JSON document");
  cmd->callback([o] { Budget(*o); });
}

}  // namespace mote::cli
