// mote demo wakeword [--out DIR] [--data DIR] [--stream TEST.wav] ...
//
// The wake-word model pipeline end to end, everything trained by mote:
//   1. synth-kws clips (train / val / test speakers) + `time shifts`;
//   2. a long background stream of TRAIN-split speakers (synth-stream
//      --split train): random windows without a keyword -> `_unknown_`,
//      windows holding a whole keyword -> that keyword;
//   3. features exactly as the device computes them (micro/dsp fixed path;
//      stream windows are the ring the device copies at that moment);
//   4. the DS-CNN of WakewordModelJson() trained in float by mote's trainer;
//   5. hard-negative mining: the model over every talk window, the windows it
//      wrongly scores as a keyword join `_unknown_`, fine-tune; N rounds;
//   6. int8 PTQ -> wakeword_int8.tflite (manifest: labels + front end);
//   7. the int8 model over a VAL stream (val speakers) and the TEST stream
//      (test speakers; neither heard in training) through host/wakeword (the
//      device's streaming code), detector sweep at hop 250 and 500 ms; the
//      operating point is chosen on the VAL stream and reported with the TEST
//      stream's figures at that point (report.json); the point alone goes to
//      operating_point.json, which `mote wakeword --point` and the firmware
//      build read.
#include "cli/demo_wakeword.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <utility>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/kws_common.h"
#include "cli/wakeword_sweep.h"
#include "host/data/kws_features.h"
#include "host/data/synth_audio.h"
#include "host/data/synth_kws.h"
#include "host/data/synth_stream.h"
#include "host/data/wakeword_data.h"
#include "host/io/file.h"
#include "host/io/wav.h"
#include "host/plan/cost.h"
#include "host/train/distill.h"
#include "host/train/metrics.h"
#include "host/train/model.h"
#include "host/train/parallel.h"
#include "host/train/rng.h"
#include "micro/dsp/config.h"

namespace mote::cli {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace mdsp = micro::dsp;
namespace ww = host::wakeword;

// 32 channels, first conv stride 2 x 2 (25 x 5 maps), 3 depthwise-separable
// blocks: about 620 k MACs per inference.
const char* kModel = R"JSON({
  "name": "wakeword_dscnn",
  "input_shape": [49, 10, 1],
  "layers": [
    {"type": "Conv2D", "filters": 32, "kernel_size": [8, 4], "strides": [2, 2], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "DepthwiseConv2D", "kernel_size": [3, 3], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Conv2D", "filters": 32, "kernel_size": [1, 1]},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "DepthwiseConv2D", "kernel_size": [3, 3], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Conv2D", "filters": 32, "kernel_size": [1, 1]},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "DepthwiseConv2D", "kernel_size": [3, 3], "padding": "same"},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Conv2D", "filters": 32, "kernel_size": [1, 1]},
    {"type": "BatchNormalization", "momentum": 0.9},
    {"type": "ReLU"},
    {"type": "Dropout", "rate": 0.2},
    {"type": "AveragePooling2D", "pool_size": [25, 5]},
    {"type": "Flatten"},
    {"type": "Dense", "units": 12},
    {"type": "Softmax"}
  ],
  "loss": "sparse_categorical_crossentropy",
  "optimizer": {"type": "adam", "learning_rate": 0.002},
  "fit": {"epochs": 15, "batch_size": 64, "lr_schedule": {"type": "cosine"}}
}
)JSON";

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// A synth-stream recording in `wav`, made unless an earlier run left one with
// the same seed, length, keywords, split and speaker list (its .json says so).
bool EnsureStream(const std::string& wav, uint64_t seed, double minutes, int keywords, int split,
                  bool more_voices, int jobs, bool quiet) {
  std::ifstream f(data::StreamSidecarPath(wav, ".json"));
  if (f && std::filesystem::exists(wav)) {
    try {
      const json s = json::parse(f);
      const std::string want = data::SplitName(static_cast<data::Split>(split));
      if (s.value("seed", uint64_t{0}) == seed && s.value("keywords", 0) == keywords &&
          std::abs(s.value("duration_s", 0.0) - minutes * 60) < 0.5 &&
          s.value("split", std::string("test")) == want && s.value("more_voices", false) == more_voices)
        return false;
    } catch (const std::exception&) {
      // Unreadable: make it again.
    }
  }
  data::SynthStreamOptions so;
  so.out_wav = wav;
  so.minutes = minutes;
  so.keywords = keywords;
  so.seed = seed;
  so.split = split;
  so.more_voices = more_voices;
  so.jobs = jobs;
  so.progress = !quiet;
  data::SynthStreamSummary sum;
  std::string err;
  if (!data::SynthStream(so, &sum, &err)) throw CommandError(err);
  return true;
}

std::vector<data::KeywordSpan> LoadSpans(const std::string& csv) {
  std::vector<ww::TruthEvent> truth;
  std::string err;
  if (!ww::LoadTruth(csv, &truth, &err)) throw CommandError(err);
  const auto& labels = data::KwsLabels();
  std::vector<data::KeywordSpan> spans;
  for (const auto& t : truth) {
    const auto it = std::find(labels.begin(), labels.end(), t.keyword);
    if (it == labels.end()) throw CommandError(csv + ": unknown keyword '" + t.keyword + "'");
    spans.push_back({static_cast<int>(it - labels.begin()), t.start_s, t.end_s});
  }
  std::sort(spans.begin(), spans.end(),
            [](const data::KeywordSpan& a, const data::KeywordSpan& b) { return a.start_s < b.start_s; });
  return spans;
}

// Windows of the talk stream as a tensor [ends.size(), frames, features, 1].
train::Tensor Windows(const data::FrameTrack& t, int frames, const std::vector<int>& ends) {
  train::Tensor x({static_cast<int>(ends.size()), frames, t.features, 1});
  const size_t per = static_cast<size_t>(frames) * t.features;
  for (size_t i = 0; i < ends.size(); ++i) data::WindowFeatures(t, frames, ends[i], x.data.data() + i * per);
  return x;
}

// The talk stream's windows by kind: negatives (every end) and, per keyword,
// the ends of the windows that hold it whole.
struct TalkWindows {
  std::vector<int> negative;
  std::vector<std::vector<int>> positive;  // per keyword
  std::vector<int> positive_label;
};

TalkWindows ClassifyTalk(const mdsp::FrontEndConfig& c, const data::FrameTrack& t,
                         const std::vector<data::KeywordSpan>& spans) {
  TalkWindows w;
  std::vector<int> last_label;
  int current = -1;
  for (int e = c.frames; e <= t.frames; ++e) {
    const int k = data::ClassifyWindow(c, e, spans, 0.1);
    if (k == data::kWindowNegative) {
      w.negative.push_back(e);
      current = -1;
    } else if (k >= 0) {
      if (current != k || w.positive.empty()) {
        w.positive.emplace_back();
        w.positive_label.push_back(k);
      }
      w.positive.back().push_back(e);
      current = k;
    } else {
      current = -1;
    }
  }
  return w;
}

// Softmax outputs of the windows ending at `ends`, in batches: visit(i, p) with
// p the class probabilities of window i.
void WindowProbabilities(train::Sequential& model, const data::FrameTrack& t, int frames,
                         const std::vector<int>& ends,
                         const std::function<void(size_t, const float*)>& visit) {
  const size_t batch = 4096;
  for (size_t at = 0; at < ends.size(); at += batch) {
    const std::vector<int> part(ends.begin() + at, ends.begin() + std::min(ends.size(), at + batch));
    const train::Tensor p = model.Predict(Windows(t, frames, part));
    for (size_t i = 0; i < part.size(); ++i) visit(at + i, &p.data[i * static_cast<size_t>(p.shape[1])]);
  }
}

// Keyword probability of a window: the largest softmax output of the digits.
std::vector<float> KeywordScores(train::Sequential& model, const data::FrameTrack& t, int frames,
                                 const std::vector<int>& ends, int keyword_classes) {
  std::vector<float> s(ends.size(), 0.0f);
  WindowProbabilities(model, t, frames, ends, [&](size_t i, const float* p) {
    for (int k = 0; k < keyword_classes; ++k) s[i] = std::max(s[i], p[k]);
  });
  return s;
}

// Hard positives: per talk keyword, up to `per_keyword` of its windows not
// used yet whose probability of that keyword is below `below`, the lowest first.
// Returns the window ends; *labels gets their keywords.
std::vector<int> HardPositives(train::Sequential& model, const data::FrameTrack& t, int frames,
                               const TalkWindows& talk, const std::vector<char>& used,
                               int per_keyword, float below, std::vector<int>* labels) {
  std::vector<int> ends, owner;
  for (size_t k = 0; k < talk.positive.size(); ++k)
    for (int e : talk.positive[k])
      if (!used[e]) {
        ends.push_back(e);
        owner.push_back(static_cast<int>(k));
      }
  std::vector<float> own(ends.size());
  WindowProbabilities(model, t, frames, ends,
                      [&](size_t i, const float* p) { own[i] = p[talk.positive_label[owner[i]]]; });
  std::vector<int> out;
  labels->clear();
  for (size_t a = 0; a < ends.size();) {  // windows of one keyword are contiguous
    size_t b = a;
    while (b < ends.size() && owner[b] == owner[a]) ++b;
    std::vector<size_t> low;
    for (size_t i = a; i < b; ++i)
      if (own[i] < below) low.push_back(i);
    std::stable_sort(low.begin(), low.end(), [&](size_t x, size_t y) { return own[x] < own[y]; });
    for (size_t j = 0; j < low.size() && j < static_cast<size_t>(per_keyword); ++j) {
      out.push_back(ends[low[j]]);
      labels->push_back(talk.positive_label[owner[a]]);
    }
    a = b;
  }
  return out;
}

// Features of the training clips, then of `shifts` copies of them moved by
// a random +-100 ms (pass by pass, clip by clip: the rng order of the
// examples). The shifted audio is made a chunk at a time: all copies at
// once would need 17 GB at 9,600 clips per label.
train::Tensor TrainClipFeatures(const mdsp::FrontEndConfig& c, const KwsSplit& tr, int shifts,
                                train::Rng& rng, std::vector<int>* labels) {
  constexpr size_t kChunk = 4096;
  std::string err;
  train::Tensor x, part;
  if (!data::ClipFeaturesFixed(c, tr.clips, &x, &err)) throw CommandError("features: " + err);
  x.data.reserve(x.data.size() * static_cast<size_t>(shifts + 1));
  *labels = tr.labels;
  const int max_shift = static_cast<int>(c.sample_rate_hz / 10);
  std::vector<std::vector<float>> moved;
  for (int s = 0; s < shifts; ++s)
    for (size_t i0 = 0; i0 < tr.clips.size(); i0 += kChunk) {
      moved.clear();
      for (size_t i = i0; i < std::min(tr.clips.size(), i0 + kChunk); ++i) {
        const int shift = static_cast<int>(rng.Below(2 * max_shift + 1)) - max_shift;
        moved.push_back(data::ShiftClip(tr.clips[i], shift));
        labels->push_back(tr.labels[i]);
      }
      if (!data::ClipFeaturesFixed(c, moved, &part, &err)) throw CommandError("features: " + err);
      Append(&x, part);
    }
  return x;
}

// The TEST stream (--stream, or OUT/stream.wav made with seed 1) and the VAL
// streams (--val-stream, or OUT/val_stream.wav made with seed + 2000).
void EnsureEvalStreams(const WakewordDemoOptions& o, std::string* test_wav, bool* test_made,
                       std::vector<std::string>* val_wavs, bool* val_made) {
  auto say = [&](const std::string& s) {
    if (!o.quiet) std::fprintf(stderr, "wakeword: %s\n", s.c_str());
  };
  *test_wav = o.stream;
  *test_made = false;
  if (test_wav->empty()) {
    *test_wav = o.out + "/stream.wav";
    say("test stream (test speakers) " + *test_wav);
    *test_made = EnsureStream(*test_wav, 1, o.stream_minutes, o.stream_keywords,
                              static_cast<int>(data::Split::kTest), false, o.threads, o.quiet);
  }
  *val_wavs = o.val_streams;
  *val_made = false;
  if (val_wavs->empty()) {
    val_wavs->push_back(o.out + "/val_stream.wav");
    say("val stream (val speakers) " + val_wavs->back());
    *val_made = EnsureStream(val_wavs->back(), o.seed + 2000, o.val_minutes, o.val_keywords,
                             static_cast<int>(data::Split::kVal), false, o.threads, o.quiet);
  }
  for (const std::string& v : *val_wavs)
    if (std::filesystem::exists(v) && std::filesystem::exists(*test_wav) &&
        std::filesystem::equivalent(v, *test_wav))
      throw CommandError("--val-stream " + v + ": the same file as the test stream (choose on val, report on test)");
}

StreamEvalOptions EvalOptions(const WakewordDemoOptions& o) {
  StreamEvalOptions e;
  e.hop_ms = o.hop_ms;
  e.look_back = o.look_back;
  e.gates = o.gates;
  e.max_frr = o.max_frr;
  e.max_fa_per_hour = o.max_fa_per_hour;
  e.verifiers = o.verifiers;
  e.verify_units = o.verify_units;
  return e;
}

// OUT/operating_point.json (PointFile), or no such file when val found no point.
void WritePoint(const std::string& out, const nlohmann::json& ev, const std::vector<std::string>& val_wavs) {
  const std::string path = out + "/operating_point.json";
  const nlohmann::json p = PointFile(ev, val_wavs, out);
  std::string err;
  if (p.is_null()) {
    std::filesystem::remove(path);
    return;
  }
  const std::string text = p.dump(2) + "\n";
  if (!host::WriteFile(path, text.data(), text.size(), &err)) throw CommandError(err);
}

// --evaluate MODEL: only step 7, for a model trained earlier.
void EvaluateOnly(const WakewordDemoOptions& o) {
  std::filesystem::create_directories(o.out);
  std::string test_wav;
  std::vector<std::string> val_wavs;
  bool test_made = false, val_made = false;
  EnsureEvalStreams(o, &test_wav, &test_made, &val_wavs, &val_made);
  nlohmann::json ev = EvaluateStreams(o.evaluate, val_wavs, test_wav, EvalOptions(o));
  ev["model"] = o.evaluate;
  ev["test_stream"] = test_wav;
  ev["val_streams"] = val_wavs;
  std::string err;
  const std::string text = ev.dump(2) + "\n";
  if (!host::WriteFile(o.out + "/eval_report.json", text.data(), text.size(), &err)) throw CommandError(err);
  WritePoint(o.out, ev, val_wavs);
  if (o.json) {
    ev.erase("sweep");
    ev.erase("val_sweep");
    std::cout << ev.dump() << "\n";
    return;
  }
  std::printf("mote demo wakeword --evaluate %s: %llu MACs\n", o.evaluate.c_str(),
              static_cast<unsigned long long>(ev["macs"].get<uint64_t>()));
  PrintStreamEval(ev, val_wavs, test_wav);
  std::printf("wrote %s/{eval_report.json, operating_point.json}\n", o.out.c_str());
}

}  // namespace

const char* WakewordModelJson() { return kModel; }

void DemoWakeword(const WakewordDemoOptions& o) {
  train::SetThreads(o.threads);
  if (!o.evaluate.empty()) return EvaluateOnly(o);
  const auto t0 = Clock::now();
  std::filesystem::create_directories(o.out);
  auto say = [&](const std::string& s) {
    if (!o.quiet) std::fprintf(stderr, "wakeword: %s\n", s.c_str());
  };
  const auto& labels = data::KwsLabels();
  const int keyword_classes = 10;  // zero ... nine come first in KwsLabels()
  const int unknown = static_cast<int>(std::find(labels.begin(), labels.end(), "_unknown_") - labels.begin());

  // 1-2. Data: clips, the TRAIN-speaker talk stream, the TEST stream.
  bool generated = false;
  const std::string dir = PrepareKwsData(o.out, o.data, o.seed, o.per_class, o.more_voices, o.threads,
                                          o.quiet, &generated);
  const std::string talk_wav = o.out + "/talk.wav";
  const int talk_keywords = o.talk_keywords > 0 ? o.talk_keywords : std::max(1, static_cast<int>(o.talk_minutes * 4));
  say("talk stream (train speakers) " + talk_wav);
  const bool talk_made = EnsureStream(talk_wav, o.seed + 1000, o.talk_minutes, talk_keywords,
                                      static_cast<int>(data::Split::kTrain), o.more_voices, o.threads,
                                      o.quiet);
  std::string test_wav;
  std::vector<std::string> val_wavs;
  bool test_made = false, val_made = false;
  EnsureEvalStreams(o, &test_wav, &test_made, &val_wavs, &val_made);
  const auto t1 = Clock::now();

  // 3. Features by the device's fixed-point front end.
  const mdsp::FrontEndConfig c = mdsp::KwsConfig();
  const int frames = c.frames;
  KwsSplit tr, va, te;
  LoadKwsSplits(dir, c, &tr, &va, &te);
  // Val and test first, so that their audio is freed before the train clips'
  // shifted copies are made (about 3 GB at 19,200 clips per label).
  std::string err;
  train::Tensor x_val, x_test;
  if (!data::ClipFeaturesFixed(c, va.clips, &x_val, &err) || !data::ClipFeaturesFixed(c, te.clips, &x_test, &err))
    throw CommandError("features: " + err);
  va.clips = {};
  te.clips = {};
  train::Rng rng(data::MixSeed(o.seed, 0x3A4E));
  std::vector<int> train_labels;
  train::Tensor x_clips = TrainClipFeatures(c, tr, o.shifts, rng, &train_labels);
  tr.clips = {};
  auto talk_audio = host::ReadAudioInt16(talk_wav, &err);
  if (!talk_audio) throw CommandError(err);
  data::FrameTrack track;
  if (!data::StreamFramesFixed(c, talk_audio->samples, &track, &err)) throw CommandError(talk_wav + ": " + err);
  talk_audio.reset();
  const TalkWindows talk = ClassifyTalk(c, track, LoadSpans(data::StreamSidecarPath(talk_wav, ".csv")));
  // Initial negatives: random talk windows; positives: up to 3 windows per talk keyword.
  std::vector<int> neg_pool = talk.negative;
  for (size_t i = neg_pool.size(); i > 1; --i) std::swap(neg_pool[i - 1], neg_pool[rng.Below(i)]);
  const size_t n_neg = std::min(neg_pool.size(), static_cast<size_t>(std::max(0, o.negatives)));
  std::vector<int> extra_ends(neg_pool.begin(), neg_pool.begin() + n_neg);
  std::vector<int> extra_labels(n_neg, unknown);
  std::vector<char> used(static_cast<size_t>(track.frames) + 1, 0);
  for (int e : extra_ends) used[e] = 1;
  int talk_positives = 0;
  for (size_t k = 0; k < talk.positive.size(); ++k) {
    const auto& ends = talk.positive[k];
    for (size_t j : {size_t{0}, ends.size() / 2, ends.size() - 1}) {
      if (j >= ends.size() || used[ends[j]]) continue;
      used[ends[j]] = 1;
      extra_ends.push_back(ends[j]);
      extra_labels.push_back(talk.positive_label[k]);
      ++talk_positives;
    }
  }
  Append(&x_clips, Windows(track, frames, extra_ends));
  train::Tensor x_train = std::move(x_clips);
  std::vector<int> y_all = train_labels;
  y_all.insert(y_all.end(), extra_labels.begin(), extra_labels.end());
  const auto t2 = Clock::now();
  say("training examples " + std::to_string(x_train.shape[0]) + " (" + std::to_string(n_neg) +
      " talk negatives, " + std::to_string(talk_positives) + " talk keywords)");

  // Distillation: the teachers' mean probabilities of every training row.
  const int classes = static_cast<int>(labels.size());
  std::vector<std::unique_ptr<train::Sequential>> teachers;
  std::vector<train::Sequential*> teacher_ptrs;
  for (const auto& path : o.teachers) {
    teachers.push_back(train::Sequential::Load(path, &err));
    if (!teachers.back()) throw CommandError("--teacher " + path + ": " + err);
    teacher_ptrs.push_back(teachers.back().get());
  }
  train::Tensor teacher_p;
  auto teach = [&](const train::Tensor& x) {
    train::Tensor p;
    if (!train::TeacherProbabilities(teacher_ptrs, x, classes, &p, &err))
      throw CommandError("--teacher: " + err + " (teachers in the order given)");
    return p;
  };
  if (!teachers.empty()) {
    teacher_p = teach(x_train);
    char line[160];
    std::snprintf(line, sizeof(line), "%zu teacher(s): targets are %.2f x label + %.2f x the teachers' mean probabilities",
                  teachers.size(), 1 - o.distill_weight, o.distill_weight);
    say(line);
  }

  // 4. Training (val split = the val speakers' clips, appended last).
  const json recipe = json::parse(kModel);
  json spec = recipe;
  if (!teachers.empty()) spec["loss"] = "categorical_crossentropy";  // soft targets
  for (auto& layer : spec["layers"])
    if (layer["type"] == "Conv2D") layer["filters"] = o.filters;
  auto model = train::Sequential::FromJson(spec, o.seed, &err);
  if (!model) throw CommandError("wakeword model: " + err);
  train::FitOptions fit;
  if (!fit.FromJson(spec["fit"], &err) || !fit.optimizer.FromJson(spec["optimizer"], &err))
    throw CommandError("wakeword model: " + err);
  fit.seed = o.seed;
  if (o.epochs > 0) fit.epochs = o.epochs;
  // The last weights, not the best val_loss: validation holds clips only and
  // says nothing about false alarms on talk, which mining works on.
  fit.early_stopping_patience = 0;
  fit.restore_best_weights = false;
  fit.spec_augment.time_masks = o.spec_time_masks;
  fit.spec_augment.time_width = o.spec_time_width;
  fit.spec_augment.freq_masks = o.spec_freq_masks;
  fit.spec_augment.freq_width = o.spec_freq_width;
  fit.label_smoothing = static_cast<float>(o.label_smoothing);
  if (o.ema > 0) {
    fit.optimizer.use_ema = true;
    fit.optimizer.ema_momentum = static_cast<float>(o.ema);
  }
  json rounds = json::array();
  auto train_on = [&](const train::Tensor& x, const std::vector<int>& y, const train::FitOptions& f) {
    const bool has_val = x_val.shape[0] > 0;
    const train::Tensor xf = has_val ? Concat(x, x_val) : x;
    train::Tensor yf;
    if (teachers.empty()) {
      yf = has_val ? Concat(LabelTensor(y), LabelTensor(va.labels)) : LabelTensor(y);
    } else {  // validation keeps the plain labels
      yf = train::DistillTargets(y, teacher_p, static_cast<float>(o.distill_weight));
      if (has_val) Append(&yf, train::OneHot(va.labels, classes));
    }
    train::FitOptions g = f;
    g.validation_split = has_val ? ExactSplit(xf.shape[0], x.shape[0]) : 0.0f;
    if (!o.quiet)
      g.on_epoch = [&](const train::EpochLog& e) {
        std::fprintf(stderr, "epoch %3d/%d  loss %.4f acc %.4f  val_loss %.4f val_acc %.4f  lr %.5f  %.1f s\n",
                     e.epoch, g.epochs, e.loss, e.accuracy, e.val_loss, e.val_accuracy, e.lr, e.seconds);
      };
    if (!train::CheckData(*model, xf, yf, &err)) throw CommandError("wakeword data: " + err);
    const train::History h = model->Fit(xf, yf, g);
    return json{{"examples", x.shape[0]}, {"epochs", h.epochs.size()},
                {"val_accuracy", h.epochs.empty() ? 0.0 : h.epochs.back().val_accuracy}};
  };
  rounds.push_back(train_on(x_train, y_all, fit));
  const auto t3 = Clock::now();

  // 5. Hard-negative mining over every talk window not used yet.
  std::vector<int> candidates;
  for (int e : talk.negative)
    if (!used[e]) candidates.push_back(e);
  size_t mined_positives = 0;  // hard positives among the mined windows
  for (int round = 1; round <= o.mine_rounds; ++round) {
    const std::vector<float> s = KeywordScores(*model, track, frames, candidates, keyword_classes);
    std::vector<size_t> hard;
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] >= o.mine_threshold) hard.push_back(i);
    std::stable_sort(hard.begin(), hard.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
    const size_t fired = hard.size();
    if (hard.size() > static_cast<size_t>(o.mine_max)) hard.resize(static_cast<size_t>(o.mine_max));
    std::sort(hard.begin(), hard.end());
    std::vector<int> ends;
    for (size_t i : hard) ends.push_back(candidates[i]);
    json r = {{"round", round}, {"candidates", candidates.size()}, {"hard", fired}, {"added", ends.size()}};
    say("mining round " + std::to_string(round) + ": " + std::to_string(fired) + " of " +
        std::to_string(candidates.size()) + " talk windows score a keyword >= " +
        std::to_string(o.mine_threshold) + ", " + std::to_string(ends.size()) + " added");
    std::vector<int> pos_labels;
    const std::vector<int> pos =
        o.mine_positives > 0 ? HardPositives(*model, track, frames, talk, used, o.mine_positives,
                                           o.mine_positive_below, &pos_labels)
                             : std::vector<int>{};
    mined_positives += pos.size();
    if (o.mine_positives > 0) {
      r["positives_added"] = pos.size();
      say("mining round " + std::to_string(round) + ": " + std::to_string(pos.size()) +
          " talk keyword windows below " + std::to_string(o.mine_positive_below) +
          " for their keyword added");
    }
    if (ends.empty() && pos.empty()) {
      rounds.push_back(r);
      break;
    }
    const train::Tensor x_hard = Windows(track, frames, ends), x_pos = Windows(track, frames, pos);
    if (!teachers.empty()) {
      Append(&teacher_p, teach(x_hard));
      Append(&teacher_p, teach(x_pos));
    }
    Append(&x_train, x_hard);
    y_all.insert(y_all.end(), ends.size(), unknown);
    for (int e : ends) used[e] = 1;
    Append(&x_train, x_pos);
    y_all.insert(y_all.end(), pos_labels.begin(), pos_labels.end());
    for (int e : pos) used[e] = 1;
    std::vector<int> rest;
    for (int e : candidates)
      if (!used[e]) rest.push_back(e);
    candidates.swap(rest);
    train::FitOptions ft = fit;
    ft.epochs = o.mine_epochs;
    ft.optimizer.learning_rate *= 0.25f;
    ft.seed = o.seed + static_cast<uint64_t>(round);
    r["fit"] = train_on(x_train, y_all, ft);
    rounds.push_back(r);
  }
  // The windows still firing after the last round (a measure, not training data).
  size_t still = 0;
  if (o.mine_rounds > 0) {
    const std::vector<float> s = KeywordScores(*model, track, frames, candidates, keyword_classes);
    still = static_cast<size_t>(std::count_if(s.begin(), s.end(), [&](float v) { return v >= o.mine_threshold; }));
  }
  const auto t4 = Clock::now();

  // 6. int8 with the manifest; clip accuracy on the test speakers.
  const std::vector<int> float_pred = train::PredictedClasses(model->Predict(x_test));
  const train::Report float_report = train::ClassificationReport(te.labels, float_pred, labels);
  const Int8Model q = QuantizeWithManifest(*model, Representative(x_train), x_test, "wakeword", c, nullptr, labels);
  const std::vector<int> int8_pred = train::PredictedClasses(q.dequantized);
  const train::Report int8_report = train::ClassificationReport(te.labels, int8_pred, labels);
  const std::string model_path = o.out + "/wakeword_int8.tflite";
  // The recipe's text, unless --teacher (the loss) or --filters changed it.
  const std::string model_json = spec == recipe ? std::string(kModel) : spec.dump(2) + "\n";
  if (!host::WriteFile(model_path, q.tflite.data(), q.tflite.size(), &err) ||
      !model->Save(o.out + "/wakeword_float.bin", &err) ||
      !host::WriteFile(o.out + "/model.json", model_json.data(), model_json.size(), &err))
    throw CommandError(err);
  const auto t5 = Clock::now();

  // 7. The VAL and TEST streams through the device's streaming code; sweeps;
  // the operating point chosen on VAL, reported on TEST.
  const json ev = EvaluateStreams(model_path, val_wavs, test_wav, EvalOptions(o));
  const auto t6 = Clock::now();

  size_t float_params = 0;
  for (const auto& l : model->layers())
    for (const auto& prm : l->params()) float_params += prm.value.size();
  json j;
  j["example"] = "wakeword";
  j["seed"] = o.seed;
  j["data"] = {{"dir", dir}, {"generated", generated}, {"more_voices", o.more_voices},
               {"train_clips", tr.labels.size()},
               {"shifted_copies", o.shifts}, {"val_clips", va.labels.size()}, {"test_clips", te.labels.size()},
               {"talk_stream", talk_wav}, {"talk_generated", talk_made}, {"talk_minutes", o.talk_minutes},
               {"talk_keywords", talk_keywords}, {"talk_negatives", n_neg}, {"talk_keyword_windows", talk_positives},
               {"test_stream", test_wav}, {"test_generated", test_made}, {"test_keywords", ev["test_keywords"]},
               {"val_streams", val_wavs}, {"val_generated", val_made}, {"val_keywords", ev["val_keywords"]}};
  j["front_end"] = {{"feature", "mfcc"}, {"path", "fixed"}, {"frames", frames}, {"features", mdsp::NumFeatures(c)}};
  j["training"] = {{"rounds", rounds}, {"mine_threshold", o.mine_threshold},
                   {"mine_positives", o.mine_positives}, {"mine_positive_below", o.mine_positive_below},
                   {"spec_augment", fit.spec_augment.ToJson()}, {"label_smoothing", fit.label_smoothing},
                   {"ema_momentum", o.ema}, {"teachers", o.teachers},
                   {"distill_weight", o.teachers.empty() ? 0.0 : o.distill_weight}, {"talk_windows_still_firing", still}, {"examples", x_train.shape[0]}};
  j["labels"] = labels;
  j["clip_accuracy"] = {{"float", float_report.accuracy}, {"int8", int8_report.accuracy}};
  j["int8_report"] = int8_report.ToJson();
  j["int8_confusion"] = Confusion(te.labels, int8_pred, static_cast<int>(labels.size()));
  j["macs"] = ev["macs"];
  j["tflite_bytes"] = q.tflite.size();
  j["arena_bytes"] = q.arena_bytes;
  j["float_params"] = float_params;
  for (const auto& [k, v] : ev.items())
    if (k != "macs" && k != "test_keywords" && k != "val_keywords") j[k] = v;
  j["threads"] = o.threads;
  j["seconds"] = {{"data", Seconds(t0, t1)}, {"features", Seconds(t1, t2)}, {"train", Seconds(t2, t3)},
                  {"mining", Seconds(t3, t4)}, {"quantize", Seconds(t4, t5)}, {"stream_eval", Seconds(t5, t6)},
                  {"total", Seconds(t0, Clock::now())}};
  const std::string text = j.dump(2) + "\n";
  if (!host::WriteFile(o.out + "/report.json", text.data(), text.size(), &err)) throw CommandError(err);
  WritePoint(o.out, ev, val_wavs);

  if (o.json) {
    json small = j;
    small.erase("sweep");
    small.erase("val_sweep");
    std::cout << small.dump() << "\n";
    return;
  }
  std::printf("mote demo wakeword: seed %llu, %d thread(s)\n", static_cast<unsigned long long>(o.seed), o.threads);
  std::printf("training       %d examples: %zu clips x%d, %zu talk negatives, %d talk keywords, mined %zu\n",
              x_train.shape[0], tr.labels.size(), 1 + o.shifts, n_neg, talk_positives,
              static_cast<size_t>(x_train.shape[0]) - train_labels.size() - n_neg - talk_positives);
  if (o.mine_positives > 0)
    std::printf("               of the mined, %zu talk keyword windows (hard positives)\n", mined_positives);
  std::printf("clip accuracy  float %.2f %%, int8 %.2f %% (test speakers, %zu clips)\n",
              100 * float_report.accuracy, 100 * int8_report.accuracy, te.labels.size());
  std::printf("model          %llu MACs, %zu bytes, arena %zu bytes, %zu parameters\n",
              static_cast<unsigned long long>(ev["macs"].get<uint64_t>()), q.tflite.size(), q.arena_bytes,
              float_params);
  PrintStreamEval(ev, val_wavs, test_wav);
  const auto& s = j["seconds"];
  std::printf("wall time      data %.1f s, features %.1f s, train %.1f s, mining %.1f s, quantize %.1f s, "
              "stream %.1f s, total %.1f s\n",
              s["data"].get<double>(), s["features"].get<double>(), s["train"].get<double>(),
              s["mining"].get<double>(), s["quantize"].get<double>(), s["stream_eval"].get<double>(),
              s["total"].get<double>());
  std::printf("wrote %s/{wakeword_int8.tflite, wakeword_float.bin, model.json, report.json, operating_point.json}\n", o.out.c_str());
}

}  // namespace mote::cli
