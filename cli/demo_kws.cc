// mote demo kws [--out DIR] [--data DIR] [--per-class N] [--seed S] [--epochs E]
//
// The keyword-spotting pipeline end to end: synth-kws WAVs (generated unless
// --data) -> 49 x 10 MFCC by mote's host front end, normalised with the
// training split's mean / std -> the DS-CNN trained in float by mote's
// trainer (val split = the val speakers) -> int8 PTQ -> kws_int8.tflite with
// the front-end config + labels in its mote.manifest -> the int8 model run by
// mote's device runtime on the test split (speakers never heard in training).
#include "cli/demo_kws.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/kws_common.h"
#include "host/data/kws_features.h"
#include "host/data/synth_kws.h"
#include "host/io/file.h"
#include "host/train/loss.h"
#include "host/train/metrics.h"
#include "host/train/model.h"
#include "host/train/parallel.h"
#include "micro/dsp/config.h"

namespace mote::cli {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace mdsp = micro::dsp;

const char* kModel = R"JSON({
  "name": "kws_dscnn",
  "input_shape": [49, 10, 1],
  "layers": [
    {"type": "Conv2D", "filters": 64, "kernel_size": [10, 4], "strides": [2, 2], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Dropout", "rate": 0.2},
    {"type": "DepthwiseConv2D", "kernel_size": [3, 3], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Conv2D", "filters": 64, "kernel_size": [1, 1]},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "DepthwiseConv2D", "kernel_size": [3, 3], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Conv2D", "filters": 64, "kernel_size": [1, 1]},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "DepthwiseConv2D", "kernel_size": [3, 3], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Conv2D", "filters": 64, "kernel_size": [1, 1]},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "DepthwiseConv2D", "kernel_size": [3, 3], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Conv2D", "filters": 64, "kernel_size": [1, 1]},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Dropout", "rate": 0.4},
    {"type": "AveragePooling2D", "pool_size": [25, 5]},
    {"type": "Flatten"},
    {"type": "Dense", "units": 12},
    {"type": "Softmax"}
  ],
  "loss": "sparse_categorical_crossentropy",
  "optimizer": {"type": "adam", "learning_rate": 0.002},
  "fit": {
    "epochs": 30,
    "batch_size": 50,
    "lr_schedule": {"type": "cosine"},
    "early_stopping": {"patience": 0, "restore_best_weights": true}
  }
}
)JSON";

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

const char* KwsModelJson() { return kModel; }

void DemoKws(const KwsDemoOptions& o) {
  train::SetThreads(o.threads);
  const auto t0 = Clock::now();
  std::filesystem::create_directories(o.out);
  bool generated = false;
  const std::string dir = PrepareKwsData(o.out, o.data, o.seed, o.per_class, o.more_voices, o.threads,
                                          o.quiet, &generated);
  const auto t1 = Clock::now();

  // Front end: the KWS MFCC config; raw features of the training split fit
  // the normalisation, then every split is computed with it.
  mdsp::FrontEndConfig c = mdsp::KwsConfig();
  KwsSplit tr, va, te;
  LoadKwsSplits(dir, c, &tr, &va, &te);
  const train::Tensor raw = data::KwsFeatures(c, nullptr, tr.clips);
  std::vector<host::dsp::Features> fit_set(tr.clips.size());
  const int frames = c.frames, nf = mdsp::NumFeatures(c);
  for (size_t i = 0; i < fit_set.size(); ++i) {
    fit_set[i].frames = frames;
    fit_set[i].features = nf;
    const auto* p = raw.data.data() + i * raw.per_item();
    fit_set[i].data.assign(p, p + raw.per_item());
  }
  const mdsp::FeatureNorm norm = host::dsp::FitNorm(fit_set);
  c.normalize = 1;
  const train::Tensor x_train = data::KwsFeatures(c, &norm, tr.clips);
  const train::Tensor x_val = data::KwsFeatures(c, &norm, va.clips);
  const train::Tensor x_test = data::KwsFeatures(c, &norm, te.clips);
  const train::Tensor y_train = LabelTensor(tr.labels), y_val = LabelTensor(va.labels);
  const auto t2 = Clock::now();

  // Training: the model JSON's recipe; the val speakers are the validation data.
  const json spec = json::parse(kModel);
  std::string err;
  auto model = train::Sequential::FromJson(spec, o.seed, &err);
  if (!model) throw CommandError("kws model: " + err);
  train::FitOptions fit;
  if (!fit.FromJson(spec["fit"], &err)) throw CommandError("kws model: " + err);
  if (!fit.optimizer.FromJson(spec["optimizer"], &err)) throw CommandError("kws model: " + err);
  fit.seed = o.seed;
  if (o.epochs > 0) fit.epochs = o.epochs;
  fit.early_stopping_patience = fit.epochs;  // never stops; restores the best val_loss epoch
  fit.restore_best_weights = true;
  const bool has_val = !va.clips.empty();
  const train::Tensor x_fit = has_val ? Concat(x_train, x_val) : x_train;
  const train::Tensor y_fit = has_val ? Concat(y_train, y_val) : y_train;
  fit.validation_split = has_val ? ExactSplit(x_fit.shape[0], x_train.shape[0]) : 0.0f;
  if (!o.quiet)
    fit.on_epoch = [&](const train::EpochLog& e) {
      std::fprintf(stderr, "epoch %3d/%d  loss %.4f acc %.4f  val_loss %.4f val_acc %.4f  lr %.5f  %.1f s\n",
                   e.epoch, fit.epochs, e.loss, e.accuracy, e.val_loss, e.val_accuracy, e.lr, e.seconds);
    };
  if (!train::CheckData(*model, x_fit, y_fit, &err)) throw CommandError("kws data: " + err);
  const train::History h = model->Fit(x_fit, y_fit, fit);
  const auto t3 = Clock::now();

  const auto& labels = data::KwsLabels();
  const train::Tensor p = model->Predict(x_test);
  const std::vector<int> float_pred = train::PredictedClasses(p);
  const train::Report float_report = train::ClassificationReport(te.labels, float_pred, labels);

  // int8: PTQ, the manifest (labels + front-end config with the norm), the
  // runtime on the test split.
  const Int8Model q = QuantizeWithManifest(*model, Representative(x_train), x_test, "kws", c, &norm, labels);
  const std::vector<int> int8_pred = train::PredictedClasses(q.dequantized);
  const train::Report int8_report = train::ClassificationReport(te.labels, int8_pred, labels);
  const auto t4 = Clock::now();

  size_t float_params = 0;
  for (const auto& l : model->layers())
    for (const auto& prm : l->params()) float_params += prm.value.size();
  const std::string base = o.out + "/kws";
  if (!host::WriteFile(base + "_int8.tflite", q.tflite.data(), q.tflite.size(), &err) ||
      !model->Save(base + "_float.bin", &err) ||
      !host::WriteFile(o.out + "/model.json", kModel, std::char_traits<char>::length(kModel), &err))
    throw CommandError(err);

  json j;
  j["example"] = "kws";
  j["seed"] = o.seed;
  j["data"] = {{"dir", dir}, {"generated", generated}, {"more_voices", o.more_voices}, {"train", tr.clips.size()},
               {"val", va.clips.size()}, {"test", te.clips.size()},
               {"test_speakers_unseen_in_training", true}};
  j["front_end"] = {{"feature", "mfcc"}, {"frames", frames}, {"features", nf},
                    {"sample_rate_hz", c.sample_rate_hz}, {"config_bytes", mdsp::EncodedConfigBytes(c)}};
  j["training"] = {{"fit", fit.ToJson()}, {"epochs_run", h.epochs.size()}, {"best_epoch", h.best_epoch},
                   {"final_val_accuracy", h.epochs.empty() ? 0.0 : h.epochs.back().val_accuracy}};
  j["labels"] = labels;
  j["float_accuracy"] = float_report.accuracy;
  j["int8_accuracy"] = int8_report.accuracy;
  j["int8_minus_float_points"] = 100.0 * (int8_report.accuracy - float_report.accuracy);
  j["float"] = {{"report", float_report.ToJson()},
                {"confusion", Confusion(te.labels, float_pred, static_cast<int>(labels.size()))}};
  j["int8"] = {{"report", int8_report.ToJson()},
               {"confusion", Confusion(te.labels, int8_pred, static_cast<int>(labels.size()))}};
  j["confusion_rows"] = "true label, columns predicted label, order of labels";
  j["tflite_bytes"] = q.tflite.size();
  j["float_params"] = float_params;
  j["arena_bytes"] = q.arena_bytes;
  j["threads"] = o.threads;
  j["seconds"] = {{"data", Seconds(t0, t1)}, {"features", Seconds(t1, t2)}, {"train", Seconds(t2, t3)},
                  {"quantize_eval", Seconds(t3, t4)}, {"total", Seconds(t0, Clock::now())}};
  json warnings = json::array();
  if (j["int8_minus_float_points"].get<double>() < -1.0)
    warnings.push_back("PTQ lost more than 1 point of test accuracy; quantization-aware training may recover it");
  for (const auto* r : {&float_report, &int8_report}) {
    const std::string w = r->DegenerateWarning();
    if (!w.empty()) warnings.push_back(std::string(r == &float_report ? "float: " : "int8: ") + w);
  }
  j["warnings"] = warnings;
  const std::string text = j.dump(2) + "\n";
  if (!host::WriteFile(o.out + "/report.json", text.data(), text.size(), &err)) throw CommandError(err);

  if (o.json) {
    std::cout << j.dump() << "\n";
  } else {
    std::printf("mote demo kws: seed %llu, %d thread(s), data %s%s\n",
                static_cast<unsigned long long>(o.seed), o.threads, dir.c_str(),
                generated ? " (generated)" : "");
    std::printf("clips          train %zu, val %zu, test %zu (test speakers unseen)\n", tr.clips.size(),
                va.clips.size(), te.clips.size());
    std::printf("int8 model run by mote's runtime on the test split:\n%s\n", int8_report.Format().c_str());
    std::printf("test accuracy  float %.2f %%, int8 %.2f %% (%+.2f points)\n", 100 * float_report.accuracy,
                100 * int8_report.accuracy, j["int8_minus_float_points"].get<double>());
    std::printf("kws_int8.tflite %zu bytes, arena %zu bytes, %zu float parameters\n", q.tflite.size(),
                q.arena_bytes, float_params);
    const auto& s = j["seconds"];
    std::printf("wall time      data %.1f s, features %.1f s, train %.1f s (%zu epochs, best %d), "
                "quantize+eval %.1f s, total %.1f s\n",
                s["data"].get<double>(), s["features"].get<double>(), s["train"].get<double>(),
                h.epochs.size(), h.best_epoch, s["quantize_eval"].get<double>(), s["total"].get<double>());
    std::printf("wrote %s/{kws_int8.tflite, kws_float.bin, model.json, report.json}\n", o.out.c_str());
  }
  for (const auto& w : warnings) std::cerr << "mote: warning: " << w.get<std::string>() << "\n";
}

}  // namespace mote::cli
