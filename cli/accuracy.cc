// mote accuracy MODEL.tflite --data X --labels Y [--json]
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/compress/evaluate.h"
#include "host/data/dataset.h"
#include "host/io/file.h"

namespace mote::cli {
namespace {

struct AccuracyOptions {
  std::string model, data, labels;
  bool json = false;
};

void Accuracy(const AccuracyOptions& o) {
  std::string err;
  auto bytes = host::ReadFile(o.model, &err);
  if (!bytes) throw CommandError(err);
  auto x = data::LoadArray(o.data, &err);
  if (!x) throw CommandError(err);
  auto y = data::LoadArray(o.labels, &err);
  if (!y) throw CommandError(err);
  if (x->shape.empty() || y->shape.empty() || y->shape[0] != x->shape[0])
    throw CommandError(o.labels + ": the number of labels does not match the rows of " + o.data);
  const std::vector<uint8_t> model(bytes->data(), bytes->data() + bytes->size());
  auto r = compress::RunInt8(model, *x, &err);
  if (!r) throw CommandError(o.model + ": " + err);
  const size_t n = x->shape[0], out = r->dequantized.per_item(), ly = y->per_item();
  if (ly != 1 && ly != out)
    throw CommandError(o.labels + ": " + std::to_string(ly) + " values per row; expected 1 (class) or " +
                       std::to_string(out) + " (one-hot)");
  size_t correct = 0;
  for (size_t i = 0; i < n; ++i) {
    const int8_t* q = r->outputs.data() + i * out;
    const float* t = y->ptr() + i * ly;
    bool ok;
    if (out == 1) {  // binary: dequantized score >= 0.5
      ok = (r->dequantized.data[i] >= 0.5f) == (t[0] >= 0.5f);
    } else {
      const int pred = static_cast<int>(std::max_element(q, q + out) - q);
      const int truth = ly == 1 ? static_cast<int>(t[0]) : static_cast<int>(std::max_element(t, t + ly) - t);
      ok = pred == truth;
    }
    correct += ok;
  }
  const double acc = n ? double(correct) / double(n) : 0.0;
  if (o.json) {
    std::cout << nlohmann::json{{"model", o.model}, {"rows", n}, {"correct", correct}, {"accuracy", acc},
                                {"arena_bytes", r->arena_bytes}, {"model_bytes", model.size()}}
                     .dump()
              << "\n";
  } else {
    std::printf("%s: accuracy %.4f (%zu/%zu, int8 on mote's runtime), arena %zu bytes\n",
                o.model.c_str(), acc, correct, n, r->arena_bytes);
  }
}

}  // namespace

void AddAccuracy(CLI::App& app) {
  auto o = std::make_shared<AccuracyOptions>();
  auto* cmd = app.add_subcommand(
      "accuracy",
      "Classification accuracy of an int8 .tflite (one int8 input and output) on a float\n"
      "data set, run by mote's device runtime. Inputs are quantized with the model's input\n"
      "parameters; one output: score >= 0.5 is class 1; several: argmax. Example:\n"
      "  mote accuracy model_int8.tflite --data x_test.npy --labels y_test.npy --json");
  cmd->add_option("model", o->model, "int8 .tflite")->required();
  cmd->add_option("--data,-d", o->data, "inputs (.npy or .csv), one row per example")->required();
  cmd->add_option("--labels,-l", o->labels, "class index per row, or one-hot rows")->required();
  cmd->add_flag("--json", o->json, "print one JSON object");
  cmd->callback([o] { Accuracy(*o); });
}

}  // namespace mote::cli
