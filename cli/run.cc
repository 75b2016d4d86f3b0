// mote run MODEL --input IN.bin ... [--output OUT.bin ...] [--bench N] [--json]
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/io/loaded_model.h"
#include "host/plan/timing.h"

namespace mote::cli {
namespace {

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs, outputs;
  int bench = 0;
  bool json = false;
};


void Run(const RunOptions& o) {
  std::string err;
  auto m = host::LoadedModel::Open(o.model, &err);
  if (!m) throw CommandError(err);
  micro::Interpreter& in = m->interpreter();
  if (o.inputs.size() != in.inputs_size())
    throw CommandError(o.model + " has " + std::to_string(in.inputs_size()) +
                       " input(s); got " + std::to_string(o.inputs.size()) + " --input file(s)");
  if (o.outputs.size() > in.outputs_size())
    throw CommandError(o.model + " has " + std::to_string(in.outputs_size()) +
                       " output(s); got " + std::to_string(o.outputs.size()) + " --output files");
  if (o.outputs.empty() && o.bench <= 0)
    throw CommandError("nothing to do: give --output FILE and/or --bench N");
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    auto bytes = host::ReadFile(o.inputs[i], &err);
    if (!bytes) throw CommandError(err);
    micro::Tensor& t = *in.input(i);
    if (bytes->size() != t.bytes)
      throw CommandError(o.inputs[i] + ": " + std::to_string(bytes->size()) +
                         " bytes, but input " + std::to_string(i) + " (" +
                         micro::DTypeName(t.type) + ", " + std::to_string(t.elements()) +
                         " elements) needs " + std::to_string(t.bytes));
    std::memcpy(t.data, bytes->data(), t.bytes);
  }
  if (in.Invoke() != micro::Status::kOk) throw CommandError(in.error());
  for (size_t i = 0; i < o.outputs.size(); ++i) {
    const micro::Tensor& t = *in.output(i);
    if (!host::WriteFile(o.outputs[i], t.data, t.bytes, &err)) throw CommandError(err);
  }
  if (o.bench > 0) {
    const auto us = host::TimeInvokes(in, o.bench, std::min(o.bench, 5));
    const double median = us[us.size() / 2];
    if (o.json) {
      nlohmann::json j = {{"model", o.model}, {"runs", o.bench}, {"median_us", median},
                          {"min_us", us.front()}, {"max_us", us.back()},
                          {"arena_bytes", in.arena_used_bytes()}};
      std::cout << j.dump() << "\n";
    } else {
      std::printf("%d invokes: median %.1f us, min %.1f us, max %.1f us\n", o.bench, median,
                  us.front(), us.back());
    }
  }
}

}  // namespace

void AddRun(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand(
      "run", "Run a model on raw tensor files (little-endian bytes, row-major, exactly the\n"
             "input tensor's size) and write the raw output tensors.");
  cmd->add_option("model", o->model, "the .tflite file")->required();
  cmd->add_option("--input,-i", o->inputs, "input tensor file, once per model input, in order")
      ->required();
  cmd->add_option("--output,-o", o->outputs, "output tensor file, once per model output");
  cmd->add_option("--bench", o->bench,
                  "time N invokes after 5 warm-up invokes; prints median/min/max microseconds")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--json", o->json, "with --bench: print one JSON line");
  cmd->callback([o] { Run(*o); });
}

}  // namespace mote::cli
