// mote quantize model.f32.bin --data D.npy [--samples 100] [--activations int16]
//     [--qat --labels L.npy --epochs N [--label-smoothing s]]
//     [--report r.json [--html r.html]] -o model_int8.tflite
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/qat_mode.h"
#include "host/compress/evaluate.h"
#include "host/compress/ptq.h"
#include "host/compress/qat.h"
#include "host/compress/quant_report.h"
#include "host/data/dataset.h"
#include "host/io/file.h"
#include "host/io/loaded_model.h"
#include "host/io/tflite_writer.h"
#include "host/report/quant_html.h"
#include "host/train/model.h"

namespace mote::cli {
namespace {

struct QuantizeOptions {
  std::string weights, data, out;
  std::string activations = "int8";
  int samples = 100;
  bool qat = false;
  std::string labels, save_weights, report, html, test, test_labels;
  bool json = false;
  int epochs = 3, batch_size = 32;
  float lr = 1e-4f;
  float label_smoothing = 0.0f;
  QatModeOptions qat_mode;
  uint64_t seed = 1;
};

std::optional<compress::QuantizedModel> FineTune(const QuantizeOptions& o, train::Sequential& m,
                                                 const train::Tensor& x, const train::Tensor& rep) {
  std::string err;
  if (o.labels.empty()) throw CommandError("--qat needs --labels (the training targets)");
  auto y = data::LoadArray(o.labels, &err);
  if (!y) throw CommandError(err);
  if (y->shape[0] != x.shape[0])
    throw CommandError(o.labels + ": " + std::to_string(y->shape[0]) + " labels for " +
                       std::to_string(x.shape[0]) + " rows in " + o.data);
  if (m.loss() != train::Loss::kSparseCategoricalCrossentropy && y->shape.size() == 1)
    y->shape = {y->shape[0], 1};
  if (!train::CheckData(m, x, *y, &err)) throw CommandError(o.data + " / " + o.labels + ": " + err);
  if (o.label_smoothing > 0.0f && m.loss() == train::Loss::kMeanSquaredError)
    throw CommandError("--label-smoothing needs a cross-entropy loss; " + o.weights +
                       " trains with mean_squared_error");
  auto qat = compress::QatTrainer::Create(m, rep, &err, o.qat_mode.BatchNorm(), o.qat_mode.Ranges());
  if (!qat) throw CommandError(o.weights + ": " + err);
  compress::QatOptions qo;
  qo.seed = o.seed;
  qo.ema_decay = o.qat_mode.ema_decay;
  qo.epochs = o.epochs;
  qo.batch_size = o.batch_size;
  qo.optimizer.learning_rate = o.lr;
  qo.label_smoothing = o.label_smoothing;
  qo.on_epoch = [&](const train::EpochLog& e) {
    std::fprintf(stderr, "qat epoch %d/%d: loss %.4f acc %.4f\n", e.epoch, o.epochs, e.loss, e.accuracy);
  };
  qat->Fit(x, *y, qo);
  if (!o.save_weights.empty() && !m.Save(o.save_weights, &err)) throw CommandError(err);
  auto q = qat->Export(&err);
  if (!q) throw CommandError(o.weights + ": " + err);
  return q;
}

void Quantize(const QuantizeOptions& o) {
  std::string err;
  auto m = train::Sequential::Load(o.weights, &err);
  if (!m) throw CommandError(err);
  auto x = data::LoadArray(o.data, &err);
  if (!x) throw CommandError(err);
  if (!data::ShapeRows(&*x, m->input_shape(), o.data, &err)) throw CommandError(err);
  const size_t n = std::min<size_t>(x->shape[0], static_cast<size_t>(o.samples));
  const train::Tensor rep = data::Rows(*x, 0, n);
  const bool s16 = o.activations == "int16";
  const auto bits = s16 ? compress::ActivationBits::kInt16 : compress::ActivationBits::kInt8;
  if (o.qat && s16) throw CommandError("--qat trains for int8 activations; drop --activations int16");
  if (!o.html.empty() && o.report.empty()) throw CommandError("--html needs --report (the JSON report)");
  CheckQatMode(o.qat_mode, o.qat);
  if (o.label_smoothing > 0.0f && !o.qat) throw CommandError("--label-smoothing needs --qat");
  // Test set: float accuracy before any fine-tuning, int8 accuracy after the export.
  std::optional<train::Tensor> tx, ty;
  double float_acc = -1, int8_acc = -1;
  if (!o.test.empty()) {
    if (o.test_labels.empty()) throw CommandError("--test needs --test-labels");
    if (s16) throw CommandError("--test covers int8 models only");
    tx = data::LoadArray(o.test, &err);
    if (!tx || !data::ShapeRows(&*tx, m->input_shape(), o.test, &err)) throw CommandError(err);
    ty = data::LoadArray(o.test_labels, &err);
    if (!ty) throw CommandError(err);
    if (ty->shape[0] != tx->shape[0])
      throw CommandError(o.test_labels + ": " + std::to_string(ty->shape[0]) + " labels for " +
                         std::to_string(tx->shape[0]) + " rows in " + o.test);
    if (m->loss() != train::Loss::kSparseCategoricalCrossentropy && ty->shape.size() == 1)
      ty->shape = {ty->shape[0], 1};
    if (!train::CheckData(*m, *tx, *ty, &err)) throw CommandError(o.test + ": " + err);
    float_acc = train::Accuracy(m->loss(), m->Predict(*tx), *ty);
  }
  auto q = o.qat ? FineTune(o, *m, *x, rep) : compress::Quantize(*m, rep, bits, &err);
  if (!q) throw CommandError(o.weights + ": " + err);
  if (!o.report.empty()) {
    if (s16) throw CommandError("--report covers int8 models only");
    auto r = compress::MakeQuantReport(*m, *q, rep, &err);
    if (!r) throw CommandError(o.weights + ": report: " + err);
    r->model = o.weights;
    std::ofstream rf(o.report);
    rf << r->ToJson().dump(2) << "\n";
    if (!rf) throw CommandError(o.report + ": cannot write");
    if (!o.html.empty()) {
      std::ofstream h(o.html);
      h << host::QuantReportHtml(*r);
      if (!h) throw CommandError(o.html + ": cannot write");
    }
    for (int w : o.json ? std::vector<int>() : r->worst) {
      const auto& l = r->layers[w];
      std::printf("report: %s (%s) SQNR %.1f dB, %.1f dB lost here: %s\n", l.tensor.c_str(),
                  l.layers.c_str(), l.sqnr_db, l.sqnr_drop_db, l.suggestion.c_str());
    }
  }
  const std::vector<uint8_t> bytes = host::WriteTflite(q->model);
  // The device runtime must accept what we wrote.
  auto check = host::LoadedModel::FromBytes(bytes.data(), bytes.size(), &err, 16u << 20);
  if (!check) throw CommandError("internal error: the written model does not load: " + err);
  if (!host::WriteFile(o.out, bytes.data(), bytes.size(), &err)) throw CommandError(err);
  if (tx) {
    auto r = compress::RunInt8(bytes, *tx, &err);
    if (!r) throw CommandError(o.out + ": " + err);
    int8_acc = train::Accuracy(m->loss(), r->dequantized, *ty);
  }
  if (o.json) {
    nlohmann::json j{{"output", o.out}, {"bytes", bytes.size()}, {"ops", q->model.ops.size()},
                     {"arena_bytes", check->interpreter().arena_used_bytes()}, {"qat", o.qat}};
    if (tx) j["float_accuracy"] = float_acc, j["int8_accuracy"] = int8_acc, j["test_rows"] = tx->shape[0];
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  if (tx)
    std::printf("test %s: float accuracy %.4f (before quantization), int8 accuracy %.4f (mote runtime)\n",
                o.test.c_str(), float_acc, int8_acc);
  const char* dt = s16 ? "int16" : "int8";
  std::printf("wrote %s: %zu bytes, %zu ops, arena %zu bytes; input %s scale=%g zero_point=%d, "
              "output %s scale=%g zero_point=%d (%s %zu rows of %s)\n",
              o.out.c_str(), bytes.size(), q->model.ops.size(),
              check->interpreter().arena_used_bytes(), dt, q->input.scale, q->input.zero_point,
              dt, q->output.scale, q->output.zero_point,
              o.qat ? "QAT ranges; QAT initialised on" : "calibrated on", n, o.data.c_str());
}

}  // namespace

void AddQuantize(CLI::App& app) {
  auto o = std::make_shared<QuantizeOptions>();
  auto* cmd = app.add_subcommand(
      "quantize", "Post-training int8 quantization of a trained model (as the TFLite converter\n"
                  "with a representative dataset and int8 input/output): per-channel conv weights,\n"
                  "int32 biases, int8 activations, BatchNorm folded, ReLU fused.\n"
                  "--activations int16 gives TFLite's 16x8 mode instead: the same int8 weights,\n"
                  "symmetric int16 activations and input/output, int64 biases (more accurate,\n"
                  "twice the activation RAM). Examples:\n"
                  "  mote quantize model.bin --data train.npy -o model_int8.tflite\n"
                  "  mote quantize model.bin --data train.npy --activations int16 \\\n"
                  "      -o model_16x8.tflite\n"
                  "--qat fine-tunes the float model with quantization-aware training first\n"
                  "(fake-quantized weights and activations, straight-through gradients) and\n"
                  "exports with the ranges learned in training; --report writes per-layer SQNR,\n"
                  "weight ranges and a suggestion per layer (docs/quantization.md):\n"
                  "  mote quantize model.bin --data x.npy --labels y.npy --qat --epochs 3 \\\n"
                  "      -o model_qat.tflite\n"
                  "  mote quantize model.bin -d x.npy -l y.npy --qat --qat-bn batch \\\n"
                  "      --qat-ranges tfmot --seed 7 -o model_qat.tflite   # TFMOT's semantics\n"
                  "  mote quantize model.bin --data x.npy --report q.json --html q.html -o m.tflite");
  cmd->add_option("weights", o->weights, "float weights file from `mote train`")->required();
  cmd->add_option("--data,-d", o->data, "representative inputs (.npy or .csv)")->required();
  cmd->add_option("--samples", o->samples, "calibrate on the first N rows (default 100)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--activations", o->activations,
                  "activation type: int8 (default) or int16 (16x8 mode, int8 weights)")
      ->check(CLI::IsMember({"int8", "int16"}));
  cmd->add_option("-o,--output", o->out, ".tflite to write")->required();
  cmd->add_flag("--qat", o->qat, "fine-tune with quantization-aware training before the export");
  cmd->add_option("--labels,-l", o->labels, "with --qat: training targets (.npy or .csv)");
  cmd->add_option("--epochs", o->epochs, "with --qat: fine-tuning epochs over all of --data (default 3)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--batch-size", o->batch_size, "with --qat: batch size (default 32)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--lr", o->lr, "with --qat: Adam learning rate (default 1e-4)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--label-smoothing", o->label_smoothing,
                  "with --qat: targets softened to (1 - s) on the label + s / C on each of\n"
                  "C classes, as Keras' label_smoothing (default 0: off; cross-entropy only)")
      ->check(CLI::Range(0.0, 0.99));
  cmd->add_option("--save-weights", o->save_weights, "with --qat: write the fine-tuned float weights");
  AddQatModeOptions(cmd, &o->qat_mode);
  cmd->add_option("--seed", o->seed, "with --qat: shuffling seed (default 1)");
  cmd->add_option("--report", o->report, "write the per-layer quantization report (JSON)");
  cmd->add_option("--html", o->html, "with --report: also a self-contained HTML page");
  cmd->add_option("--test", o->test, "test inputs: print float and int8 accuracy (int8 run by mote's runtime)");
  cmd->add_option("--test-labels", o->test_labels, "test targets for --test");
  cmd->add_flag("--json", o->json, "print one JSON line (bytes, arena, accuracies) instead of text");
  cmd->callback([o] { Quantize(*o); });
}

}  // namespace mote::cli
