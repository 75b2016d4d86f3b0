// mote prune MODEL.bin --data X --labels Y --sparsity 0.5 --epochs N -o PRUNED.bin
//     [--structured [--norm l2]] [schedule options] [--json]
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/compress/prune.h"
#include "host/data/dataset.h"
#include "host/train/model.h"
#include "host/train/parallel.h"

namespace mote::cli {
namespace {

using nlohmann::json;

struct PruneOptions {
  std::string weights, data, labels, out, norm = "l1";
  float sparsity = 0.5f, initial_sparsity = 0.0f, lr = 1e-3f, validation_split = 0.0f;
  int epochs = 0, batch_size = 32, threads = 2;
  long long begin_step = 0, end_step = -2, frequency = 0;  // -2 / 0: defaults below
  uint64_t seed = 1;
  bool structured = false, json = false;
};

size_t CountParams(const train::Sequential& m) {
  size_t n = 0;
  for (const auto& l : m.layers())
    for (const auto& p : l->params()) n += p.value.size();
  return n;
}

void Prune(const PruneOptions& o) {
  std::string err;
  auto m = train::Sequential::Load(o.weights, &err);
  if (!m) throw CommandError(err);
  for (size_t i = 0; i < m->layers().size(); ++i)
    for (const auto& p : m->layers()[i]->params())
      for (float v : p.value)
        if (!std::isfinite(v))
          throw CommandError(o.weights + ": layer " + std::to_string(i) + " (" + m->layers()[i]->type() +
                             ") " + p.name + " has a non-finite value");
  auto x = data::LoadArray(o.data, &err);
  if (!x) throw CommandError(err);
  auto y = data::LoadArray(o.labels, &err);
  if (!y) throw CommandError(err);
  if (!data::ShapeRows(&*x, m->input_shape(), o.data, &err)) throw CommandError(err);
  if (y->shape[0] != x->shape[0])
    throw CommandError(o.labels + ": " + std::to_string(y->shape[0]) + " labels for " +
                       std::to_string(x->shape[0]) + " rows in " + o.data);
  if (m->loss() != train::Loss::kSparseCategoricalCrossentropy && y->shape.size() == 1)
    y->shape = {y->shape[0], 1};
  if (!train::CheckData(*m, *x, *y, &err)) throw CommandError(o.data + " / " + o.labels + ": " + err);
  if (!(o.sparsity >= 0.0f && o.sparsity < 1.0f))
    throw CommandError("--sparsity must be in [0, 1), got " + std::to_string(o.sparsity));
  train::SetThreads(o.threads);

  const size_t params_before = CountParams(*m);
  train::FitOptions fit;
  fit.epochs = o.epochs;
  fit.batch_size = o.batch_size;
  fit.validation_split = o.validation_split;
  fit.seed = o.seed;
  fit.optimizer.learning_rate = o.lr;
  const size_t n_train = o.validation_split > 0
                             ? static_cast<size_t>(double(x->shape[0]) * (1.0 - o.validation_split))
                             : static_cast<size_t>(x->shape[0]);
  const long long steps_per_epoch = static_cast<long long>((n_train + o.batch_size - 1) / o.batch_size);
  const long long total_steps = steps_per_epoch * o.epochs;

  json report{{"input", o.weights}, {"output", o.out}, {"mode", o.structured ? "structured" : "unstructured"},
              {"sparsity", o.sparsity}, {"epochs", o.epochs}, {"params_before", params_before}};
  std::unique_ptr<compress::MagnitudePruner> pruner;
  if (o.structured) {
    compress::FilterPruneOptions fo;
    fo.fraction = o.sparsity;
    fo.l2 = o.norm == "l2";
    const auto keep = compress::ChooseFilters(*m, fo, &err);
    if (keep.empty()) throw CommandError(err);
    json layers = json::array();
    for (size_t i = 0; i < keep.size(); ++i)
      if (!keep[i].empty())
        layers.push_back({{"layer", std::to_string(i) + ":" + m->layers()[i]->type()},
                          {"before", m->layers()[i]->params()[0].shape.back()},
                          {"after", keep[i].size()}});
    auto small = compress::RemoveFilters(*m, keep, &err);
    if (!small) throw CommandError(o.weights + ": " + err);
    m = std::move(small);
    report["layers"] = layers;
  } else {
    compress::PruneSchedule s;
    s.initial_sparsity = o.initial_sparsity;
    s.final_sparsity = o.sparsity;
    s.begin_step = o.begin_step;
    // Defaults: one mask update per epoch; reach the final sparsity at the
    // last update step within the first 2/3 of the steps, then recover.
    s.frequency = o.frequency > 0 ? o.frequency : std::max<long long>(1, steps_per_epoch);
    s.end_step = o.end_step;
    if (o.end_step == -2) {
      const long long updates = std::max<long long>(1, (total_steps * 2 / 3 - o.begin_step) / s.frequency);
      s.end_step = o.begin_step + updates * s.frequency;
    }
    const std::string bad = s.Check();
    if (!bad.empty()) throw CommandError("pruning schedule: " + bad);
    pruner = std::make_unique<compress::MagnitudePruner>(*m, s);
    pruner->Attach(&fit);
    report["schedule"] = {{"initial_sparsity", s.initial_sparsity}, {"final_sparsity", s.final_sparsity},
                          {"begin_step", s.begin_step}, {"end_step", s.end_step},
                          {"frequency", s.frequency}, {"power", s.power},
                          {"steps_per_epoch", steps_per_epoch}, {"total_steps", total_steps}};
  }
  const bool tty = isatty(2) && !o.json;
  fit.on_epoch = [&](const train::EpochLog& e) {
    if (!tty) return;
    std::fprintf(stderr, "\repoch %3d/%d loss %.4f acc %.4f%s", e.epoch, o.epochs, e.loss, e.accuracy,
                 pruner ? (" sparsity " + std::to_string(pruner->current_sparsity())).c_str() : "");
  };
  const train::History h = m->Fit(*x, *y, fit);
  if (tty) std::fprintf(stderr, "\n");
  if (pruner) {
    if (pruner->current_sparsity() != o.sparsity) {
      const std::string w = "the schedule did not reach the final sparsity during training (end step " +
                            report["schedule"]["end_step"].dump() + " is not a pruning step before step " +
                            std::to_string(total_steps) + "); it was applied after the last epoch, " +
                            "without fine-tuning";
      report["warning"] = w;
      std::cerr << "mote: warning: " << w << "\n";
    }
    pruner->Finish();
  }
  if (!m->Save(o.out, &err)) throw CommandError(err);

  const compress::SparsityReport sr = compress::MeasureSparsity(*m);
  double loss = 0, acc = 0;
  m->Evaluate(*x, *y, &loss, &acc);
  report["params_after"] = CountParams(*m);
  report["kernel_weights"] = sr.weights;
  report["kernel_zeros"] = sr.zeros;
  report["kernel_sparsity"] = sr.sparsity();
  report["loss"] = loss;
  report["accuracy"] = acc;
  if (!h.epochs.empty() && h.epochs.back().has_val) report["val_accuracy"] = h.epochs.back().val_accuracy;
  if (o.json) {
    std::cout << report.dump() << "\n";
    return;
  }
  std::printf("%s pruning: %zu -> %zu parameters, kernels %.1f%% zero; after %d epochs loss %.4f "
              "accuracy %.4f (float, all rows) -> %s\n",
              o.structured ? "structured" : "unstructured", params_before, CountParams(*m),
              100.0 * sr.sparsity(), o.epochs, loss, acc, o.out.c_str());
}

// Hidden: the schedule's decision and sparsity at steps 0..steps-1, one JSON
// list, for the TFMOT oracle (tests/oracle/prune_schedule_tfmot.py).
void PrintSchedule(const compress::PruneSchedule& s, long long steps) {
  const std::string bad = s.Check();
  if (!bad.empty()) throw CommandError("pruning schedule: " + bad);
  json r = json::array();
  for (long long t = 0; t < steps; ++t) r.push_back({t, s.ShouldPrune(t), s.SparsityAt(t)});
  std::cout << r.dump() << "\n";
}

}  // namespace

void AddPrune(CLI::App& app) {
  {
    auto s = std::make_shared<compress::PruneSchedule>();
    auto steps = std::make_shared<long long>(100);
    auto* ps = app.add_subcommand("prune-schedule", "pruning schedule values (TFMOT oracle)");
    ps->group("");  // hidden
    ps->add_option("--initial", s->initial_sparsity);
    ps->add_option("--final", s->final_sparsity);
    ps->add_option("--begin", s->begin_step);
    ps->add_option("--end", s->end_step);
    ps->add_option("--frequency", s->frequency);
    ps->add_option("--power", s->power);
    ps->add_option("--steps", *steps);
    ps->callback([s, steps] { PrintSchedule(*s, *steps); });
  }
  auto o = std::make_shared<PruneOptions>();
  auto* cmd = app.add_subcommand(
      "prune",
      "Prune a trained model and fine-tune it. Writes a float weights file for `mote quantize`.\n"
      "Unstructured (default): magnitude pruning during training with TFMOT's polynomial\n"
      "schedule (power 3); each Conv/Dense/DepthwiseConv kernel ends exactly --sparsity zero.\n"
      "The model keeps its shape (zeros compress well: gzip'd .tflite shrinks).\n"
      "--structured: removes the weakest --sparsity fraction of the filters of every Conv and\n"
      "hidden Dense (by L1 or L2 norm) with the channels that read them, then fine-tunes:\n"
      "fewer MACs, smaller arena and .tflite. Examples:\n"
      "  mote prune model.bin --data x.npy --labels y.npy --sparsity 0.75 --epochs 20 -o p.bin\n"
      "  mote prune model.bin --data x.npy --labels y.npy --sparsity 0.5 --epochs 20 \\\n"
      "      --structured -o small.bin\n"
      "  mote quantize p.bin --data x.npy -o p_int8.tflite");
  cmd->add_option("weights", o->weights, "float weights file from `mote train`")->required();
  cmd->add_option("--data,-d", o->data, "training inputs (.npy or .csv)")->required();
  cmd->add_option("--labels,-l", o->labels, "training targets (.npy or .csv)")->required();
  cmd->add_option("-o,--output", o->out, "pruned weights file to write")->required();
  cmd->add_option("--sparsity", o->sparsity,
                  "final fraction of zero kernel weights, or of filters removed (--structured)")
      ->required();
  cmd->add_option("--epochs", o->epochs, "fine-tuning epochs")->required()->check(CLI::Range(1, 1000000));
  cmd->add_flag("--structured", o->structured, "remove whole filters / units instead of weights");
  cmd->add_option("--norm", o->norm, "--structured ranking: l1 (default) or l2")
      ->check(CLI::IsMember({"l1", "l2"}));
  cmd->add_option("--initial-sparsity", o->initial_sparsity, "schedule start (default 0)");
  cmd->add_option("--begin-step", o->begin_step, "first pruning step (default 0)");
  cmd->add_option("--end-step", o->end_step,
                  "step reaching the final sparsity (default 2/3 of all steps; -1: never stop)");
  cmd->add_option("--frequency", o->frequency, "steps between mask updates (default: one epoch)");
  cmd->add_option("--batch-size", o->batch_size, "default 32")->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--lr", o->lr, "Adam learning rate (default 0.001)");
  cmd->add_option("--validation-split", o->validation_split, "last fraction held out (default 0)")
      ->check(CLI::Range(0.0, 0.99));
  cmd->add_option("--seed", o->seed, "shuffling seed (default 1)");
  cmd->add_option("--threads", o->threads, "threads (default 2); results do not depend on it")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--json", o->json, "print one JSON object (sizes, sparsity, accuracy)");
  cmd->callback([o] { Prune(*o); });
}

}  // namespace mote::cli
