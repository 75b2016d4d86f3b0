// mote train --model M.json --data D.npy --labels L.npy -o model.f32.bin
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/qat_mode.h"
#include "host/compress/qat.h"
#include "host/data/dataset.h"
#include "host/io/file.h"
#include "host/io/tflite_writer.h"
#include "host/train/metrics.h"
#include "host/train/model.h"
#include "host/train/parallel.h"

namespace mote::cli {
namespace {

using nlohmann::json;

struct TrainOptions {
  std::string model, data, labels, out;
  std::string init;  // start from these weights instead of a fresh initialisation
  uint64_t seed = 1;
  int threads = 2, epochs = 0;
  float lr = 0;
  bool json = false;
  bool qat = false;
  int qat_after = 0;  // float epochs before QAT
  QatModeOptions qat_mode;
  std::string int8_out;
};

// --init: the weights of `path` replace the fresh initialisation. The file's
// model must have the same parameters (layer by layer, name and size) as the
// model being trained; every value must be finite.
void CopyInitialWeights(const std::string& path, const std::string& model_path,
                        train::Sequential* m) {
  std::string err;
  auto w = train::Sequential::Load(path, &err);
  if (!w) throw CommandError(err);
  std::vector<train::Param*> dst, src;
  for (auto& l : m->layers())
    for (train::Param& p : l->params()) dst.push_back(&p);
  for (auto& l : w->layers())
    for (train::Param& p : l->params()) src.push_back(&p);
  if (src.size() != dst.size())
    throw CommandError(path + ": " + std::to_string(src.size()) + " parameter tensors, the model in " +
                       model_path + " has " + std::to_string(dst.size()));
  for (size_t i = 0; i < dst.size(); ++i) {
    if (src[i]->name != dst[i]->name || src[i]->value.size() != dst[i]->value.size())
      throw CommandError(path + ": parameter " + std::to_string(i) + " is " + src[i]->name + " " +
                         train::ShapeString(src[i]->shape) + ", the model in " + model_path +
                         " expects " + dst[i]->name + " " + train::ShapeString(dst[i]->shape));
    for (size_t k = 0; k < src[i]->value.size(); ++k)
      if (!std::isfinite(src[i]->value[k]))
        throw CommandError(path + ": parameter " + std::to_string(i) + " (" + src[i]->name +
                           ") value " + std::to_string(k) + " is not finite");
    dst[i]->value = src[i]->value;
  }
}

void Train(const TrainOptions& o) {
  std::ifstream f(o.model);
  if (!f) throw CommandError(o.model + ": cannot open");
  json spec = json::parse(f, nullptr, false);
  if (spec.is_discarded()) throw CommandError(o.model + ": not valid JSON");
  std::string err;
  auto m = train::Sequential::FromJson(spec, o.seed, &err);
  if (!m) throw CommandError(o.model + ": " + err);
  if (!o.init.empty()) CopyInitialWeights(o.init, o.model, m.get());
  train::FitOptions fit;
  if (spec.contains("optimizer") && !fit.optimizer.FromJson(spec["optimizer"], &err))
    throw CommandError(o.model + ": " + err);
  if (spec.contains("fit") && !fit.FromJson(spec["fit"], &err)) throw CommandError(o.model + ": " + err);
  fit.seed = o.seed;
  if (o.epochs > 0) fit.epochs = o.epochs;
  if (o.lr > 0) fit.optimizer.learning_rate = o.lr;
  if (fit.label_smoothing > 0.0f && m->loss() == train::Loss::kMeanSquaredError)
    throw CommandError(o.model + ": \"fit\": label_smoothing needs a cross-entropy loss, not mean_squared_error");

  auto x = data::LoadArray(o.data, &err);
  if (!x) throw CommandError(err);
  auto y = data::LoadArray(o.labels, &err);
  if (!y) throw CommandError(err);
  if (!data::ShapeRows(&*x, m->input_shape(), o.data, &err)) throw CommandError(err);
  if (y->shape[0] != x->shape[0])
    throw CommandError(o.labels + ": " + std::to_string(y->shape[0]) + " labels for " +
                       std::to_string(x->shape[0]) + " rows in " + o.data);
  if (m->loss() != train::Loss::kSparseCategoricalCrossentropy && y->per_item() == 1 &&
      y->shape.size() == 1)
    y->shape = {y->shape[0], 1};
  if (!train::CheckData(*m, *x, *y, &err)) throw CommandError(o.data + " / " + o.labels + ": " + err);

  train::SetThreads(o.threads);
  const bool tty = isatty(2) && !o.json;
  fit.on_epoch = [&](const train::EpochLog& e) {
    if (o.json) {
      json j{{"epoch", e.epoch}, {"loss", e.loss}, {"accuracy", e.accuracy}, {"lr", e.lr},
             {"seconds", e.seconds}};
      if (e.has_val) j["val_loss"] = e.val_loss, j["val_accuracy"] = e.val_accuracy;
      std::cout << j.dump() << "\n" << std::flush;
      return;
    }
    const int width = 30, done = width * e.epoch / fit.epochs;
    std::fprintf(tty ? stderr : stdout, "%sepoch %3d/%d [%s%s] loss %.4f acc %.4f", tty ? "\r" : "",
                 e.epoch, fit.epochs, std::string(done, '=').c_str(),
                 std::string(width - done, ' ').c_str(), e.loss, e.accuracy);
    if (e.has_val)
      std::fprintf(tty ? stderr : stdout, " val_loss %.4f val_acc %.4f", e.val_loss, e.val_accuracy);
    std::fprintf(tty ? stderr : stdout, " lr %.2g%s", e.lr, tty ? "" : "\n");
  };
  CheckQatMode(o.qat_mode, o.qat);
  if (!o.qat && (!o.int8_out.empty() || o.qat_after > 0))
    throw CommandError("--int8 and --qat-after need --qat (for post-training quantization use "
                       "`mote quantize`)");
  if (o.qat && o.qat_after >= fit.epochs)
    throw CommandError("--qat-after " + std::to_string(o.qat_after) + " leaves no QAT epoch of " +
                       std::to_string(fit.epochs));
  const int total_epochs = fit.epochs;
  train::History h;
  if (!o.qat || o.qat_after > 0) {
    if (o.qat) fit.epochs = o.qat_after;
    h = m->Fit(*x, *y, fit);
  }
  if (o.qat) {
    // QAT: the remaining epochs with fake quantization, ranges from the data.
    const size_t n_cal = std::min<size_t>(x->shape[0], 1000);
    auto qat = compress::QatTrainer::Create(*m, data::Rows(*x, 0, n_cal), &err,
                                            o.qat_mode.BatchNorm(), o.qat_mode.Ranges());
    if (!qat) throw CommandError(o.model + ": cannot quantize: " + err);
    compress::QatOptions qo;
    qo.epochs = total_epochs - o.qat_after;
    qo.batch_size = fit.batch_size;
    qo.validation_split = fit.validation_split;
    qo.optimizer = fit.optimizer;
    qo.label_smoothing = fit.label_smoothing;
    qo.seed = o.seed;
    qo.ema_decay = o.qat_mode.ema_decay;
    const int offset = o.qat_after;
    fit.epochs = total_epochs;
    qo.on_epoch = [&](const train::EpochLog& e) {
      train::EpochLog shifted = e;
      shifted.epoch += offset;
      fit.on_epoch(shifted);
    };
    const train::History hq = qat->Fit(*x, *y, qo);
    for (auto e : hq.epochs) {
      e.epoch += offset;
      h.epochs.push_back(e);
    }
    h.best_epoch = total_epochs;
    if (!o.int8_out.empty()) {
      auto q = qat->Export(&err);
      if (!q) throw CommandError(o.model + ": " + err);
      const std::vector<uint8_t> bytes = host::WriteTflite(q->model);
      if (!host::WriteFile(o.int8_out, bytes.data(), bytes.size(), &err)) throw CommandError(err);
      if (!o.json) std::printf("wrote %s: %zu bytes (int8, QAT ranges)\n", o.int8_out.c_str(), bytes.size());
    }
  }
  if (tty) std::fprintf(stderr, "\n");
  if (!m->Save(o.out, &err)) throw CommandError(err);

  // Degenerate-classifier check on the validation rows (all rows without a split).
  const size_t n = x->shape[0];
  const size_t from = fit.validation_split > 0 ? static_cast<size_t>(n * (1.0 - fit.validation_split)) : 0;
  const train::Tensor xv = data::Rows(*x, from, n), yv = data::Rows(*y, from, n);
  std::string warning;
  if (m->loss() != train::Loss::kMeanSquaredError && xv.shape[0] > 0) {
    const train::Tensor p = m->Predict(xv);
    const int classes = std::max<int>(2, static_cast<int>(p.per_item()));
    std::vector<int> truth(xv.shape[0]);
    for (size_t i = 0; i < truth.size(); ++i) {
      if (m->loss() == train::Loss::kSparseCategoricalCrossentropy) truth[i] = int(yv.data[i]);
      else if (p.per_item() == 1) truth[i] = yv.data[i] >= 0.5f;
      else truth[i] = int(std::max_element(yv.ptr() + i * classes, yv.ptr() + (i + 1) * classes) -
                          (yv.ptr() + i * classes));
    }
    std::vector<std::string> names;
    for (int c = 0; c < classes; ++c) names.push_back("class " + std::to_string(c));
    warning = train::ClassificationReport(truth, train::PredictedClasses(p), names).DegenerateWarning();
  }
  const auto& last = h.epochs.back();
  if (o.json) {
    json j{{"done", true}, {"epochs_run", h.epochs.size()}, {"best_epoch", h.best_epoch},
           {"stopped_early", h.stopped_early}, {"output", o.out}};
    if (!warning.empty()) j["warning"] = warning;
    std::cout << j.dump() << "\n";
  } else {
    std::printf("trained %zu epochs (best %d%s): loss %.4f%s -> %s\n", h.epochs.size(), h.best_epoch,
                h.stopped_early ? ", stopped early" : "", last.loss,
                last.has_val ? (" val_loss " + std::to_string(last.val_loss)).c_str() : "",
                o.out.c_str());
  }
  if (!warning.empty()) std::cerr << "mote: warning: " << warning << "\n";
}

// Hidden: one layer's forward and backward on given weights, for the Keras
// oracle (tests/oracle/train_keras_layers.py). CASE.json: {"spec", "input_shape",
// "training", "params": [npy...], "x": npy, "dy": npy}; writes y.npy, dx.npy,
// grad_<i>.npy (trainable params in order) into OUTDIR.
void LayerCheck(const std::string& case_path, const std::string& out) {
  std::ifstream f(case_path);
  json c = json::parse(f, nullptr, false);
  if (c.is_discarded()) throw CommandError(case_path + ": not valid JSON");
  std::string err;
  auto layer = train::MakeLayer(c["spec"], &err);
  if (!layer) throw CommandError(err);
  train::Rng rng(1);
  layer->Build(c["input_shape"].get<train::Shape>(), rng);
  const auto& params = c["params"];
  if (params.size() != layer->params().size())
    throw CommandError("case has " + std::to_string(params.size()) + " params, layer has " +
                       std::to_string(layer->params().size()));
  for (size_t i = 0; i < params.size(); ++i) {
    auto t = data::LoadNpy(params[i].get<std::string>(), &err);
    if (!t || t->size() != layer->params()[i].value.size())
      throw CommandError("param " + std::to_string(i) + ": " + (t ? "size mismatch" : err));
    layer->params()[i].value = t->data;
  }
  auto x = data::LoadNpy(c["x"].get<std::string>(), &err);
  auto dy = data::LoadNpy(c["dy"].get<std::string>(), &err);
  if (!x || !dy) throw CommandError(err);
  train::Tensor y, dx;
  layer->Forward(*x, &y, c.value("training", true));
  layer->Backward(*x, y, *dy, &dx);
  if (!data::SaveNpy(out + "/y.npy", y, false, &err) || !data::SaveNpy(out + "/dx.npy", dx, false, &err))
    throw CommandError(err);
  int k = 0;
  for (auto& p : layer->params()) {
    if (!p.trainable) continue;
    train::Tensor g(p.shape);
    g.data = p.grad;
    if (!data::SaveNpy(out + "/grad_" + std::to_string(k++) + ".npy", g, false, &err))
      throw CommandError(err);
  }
}

}  // namespace

void AddTrain(CLI::App& app) {
  {
    auto paths = std::make_shared<std::pair<std::string, std::string>>();
    auto* lc = app.add_subcommand("layer-check", "one layer forward + backward (Keras oracle)");
    lc->group("");  // hidden
    lc->add_option("case", paths->first)->required();
    lc->add_option("out", paths->second)->required();
    lc->callback([paths] { LayerCheck(paths->first, paths->second); });
  }
  auto o = std::make_shared<TrainOptions>();
  auto* cmd = app.add_subcommand(
      "train", "Train a model described in JSON (examples/anomaly/model.json) on .npy or\n"
               ".csv data; writes the float weights file (model JSON + float32 weights).\n"
               "--qat trains with int8 fake quantization (all epochs, or after --qat-after N\n"
               "float epochs) and --int8 writes the int8 model with the learned ranges. Examples:\n"
               "  mote train -m examples/anomaly/model.json -d x.npy -l y.npy -o model.bin\n"
               "  mote train -m model.json -d x.npy -l y.npy --epochs 20 --qat --qat-after 15 \\\n"
               "      -o model_qat.bin --int8 model_int8.tflite");
  cmd->add_option("--model,-m", o->model, "model JSON: input_shape, layers, loss, optimizer, fit")->required();
  cmd->add_option("--data,-d", o->data, "inputs (.npy or .csv), one row per example")->required();
  cmd->add_option("--labels,-l", o->labels, "targets (.npy or .csv)")->required();
  cmd->add_option("-o,--output", o->out, "weights file to write (model.f32.bin)")->required();
  cmd->add_option("--seed", o->seed, "weights and shuffling seed (default 1)");
  cmd->add_option("--init", o->init,
                  "start from the weights in this file (same architecture; e.g. an earlier\n"
                  "run, or weights written by another trainer) instead of initialising from\n"
                  "--seed, which then only drives shuffling");
  cmd->add_option("--threads", o->threads, "threads (default 2); results do not depend on it")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--epochs", o->epochs, "override fit.epochs")->check(CLI::Range(1, 1000000));
  cmd->add_option("--lr", o->lr, "override the optimizer's learning rate");
  cmd->add_flag("--json", o->json, "one JSON line per epoch on stdout");
  cmd->add_flag("--qat", o->qat,
                "quantization-aware training: fake-quantize weights (BatchNorm folded) and\n"
                "activations as the int8 export computes them (docs/quantization.md)");
  cmd->add_option("--qat-after", o->qat_after, "with --qat: train N float epochs first (default 0)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--int8", o->int8_out, "with --qat: also write the int8 .tflite with the QAT ranges");
  AddQatModeOptions(cmd, &o->qat_mode);
  cmd->callback([o] { Train(*o); });
}

}  // namespace mote::cli
