#include "host/wakeword/stream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "host/io/manifest.h"
#include "micro/dsp/frontend.h"

namespace mote::host::wakeword {

namespace mdsp = micro::dsp;
using micro::DType;
using micro::Status;

std::unique_ptr<KwsModel> KwsModel::Open(const std::string& path,
                                         const std::vector<uint8_t>& frontend_blob,
                                         const std::vector<std::string>& labels,
                                         std::string* err) {
  auto kws = std::make_unique<KwsModel>();
  kws->model = LoadedModel::Open(path, err, 4u << 20);
  if (!kws->model) return nullptr;
  const AlignedBytes& bytes = kws->model->bytes();
  std::string merr;
  auto m = ReadModelManifest(bytes.data(), bytes.size(), &merr);
  if (!m && !merr.empty()) {
    *err = path + ": manifest: " + merr;
    return nullptr;
  }
  std::vector<uint8_t> blob = frontend_blob;
  if (blob.empty() && m) blob = m->front_end;
  kws->labels = labels;
  if (kws->labels.empty() && m) kws->labels = m->labels;
  if (blob.empty()) {
    *err = path + ": no front-end config (manifest field front_end or --frontend FILE)";
    return nullptr;
  }
  if (kws->labels.empty()) {
    *err = path + ": no labels (manifest field labels or --labels a,b,...)";
    return nullptr;
  }
  micro::ErrorText e;
  if (mdsp::DecodeConfig(blob.data(), blob.size(), &kws->fe, &kws->norm, &e) != Status::kOk) {
    *err = path + ": front-end config: " + e.c_str();
    return nullptr;
  }
  micro::Interpreter& in = kws->model->interpreter();
  if (in.inputs_size() != 1 || in.outputs_size() != 1) {
    *err = path + ": expected one input and one output";
    return nullptr;
  }
  const micro::Tensor* x = in.input(0);
  const micro::Tensor* y = in.output(0);
  const int want = kws->fe.frames * mdsp::NumFeatures(kws->fe);
  if (x->type != DType::kInt8 || !x->quantized || x->elements() != want || !(x->scale > 0.0f)) {
    *err = path + ": input must be quantized int8 with " + std::to_string(kws->fe.frames) + "x" +
           std::to_string(mdsp::NumFeatures(kws->fe)) + " elements (the front end's frames x " +
           "features), got " + std::to_string(x->elements());
    return nullptr;
  }
  if (y->type != DType::kInt8 || !y->quantized ||
      y->elements() != static_cast<int>(kws->labels.size())) {
    *err = path + ": output must be quantized int8 with one score per label (" +
           std::to_string(kws->labels.size()) + "), got " + std::to_string(y->elements());
    return nullptr;
  }
  if (kws->labels.size() > static_cast<size_t>(micro::wakeword::kMaxClasses)) {
    *err = path + ": more than 32 labels";
    return nullptr;
  }
  kws->out_scale = y->scale;
  kws->out_zero_point = y->zero_point;
  return kws;
}

bool SameFeaturesAndLabels(const KwsModel& first, const KwsModel& verifier, std::string* why) {
  if (verifier.labels != first.labels) {
    *why = "its labels differ from the first model's";
    return false;
  }
  const auto blob = [](const KwsModel& k) {
    std::vector<uint8_t> b(mdsp::kMaxConfigBytes);
    b.resize(mdsp::EncodeConfig(k.fe, k.fe.normalize ? &k.norm : nullptr, b.data(), b.size()));
    return b;
  };
  if (blob(verifier) != blob(first)) {
    *why = "its front-end config differs from the first model's (it must see the same features)";
    return false;
  }
  return true;
}

bool RunPosteriors(KwsModel* kws, const std::vector<int16_t>& samples, uint32_t sample_rate,
                   const StreamOptions& opt, Posteriors* out, std::string* err) {
  const mdsp::FrontEndConfig& c = kws->fe;
  if (sample_rate != c.sample_rate_hz) {
    *err = "stream is " + std::to_string(sample_rate) + " Hz, the front end expects " +
           std::to_string(c.sample_rate_hz) + " Hz";
    return false;
  }
  if (opt.hop_ms == 0 || (static_cast<uint64_t>(opt.hop_ms) * sample_rate) % 1000 != 0) {
    *err = "hop " + std::to_string(opt.hop_ms) + " ms is not a whole number of samples";
    return false;
  }
  if (opt.chunk_samples == 0) {
    *err = "chunk must be at least one sample";
    return false;
  }
  const size_t hop = static_cast<size_t>(static_cast<uint64_t>(opt.hop_ms) * sample_rate / 1000);
  const size_t scratch_bytes = mdsp::FrontEnd::ScratchBytes(c, mdsp::FrontEndPath::kFixed);
  std::vector<uint64_t> scratch(scratch_bytes / 8 + 1);
  mdsp::FrontEnd fe;
  micro::ErrorText e;
  if (fe.Init(c, c.normalize ? &kws->norm : nullptr, mdsp::FrontEndPath::kFixed, scratch.data(),
              scratch.size() * 8, &e) != Status::kOk) {
    *err = std::string("front end: ") + e.c_str();
    return false;
  }
  micro::Interpreter& in = kws->model->interpreter();
  micro::Tensor* x = in.input(0);
  const micro::Tensor* y = in.output(0);
  const int classes = static_cast<int>(kws->labels.size());
  *out = Posteriors{};
  out->num_classes = classes;
  out->hop_ms = opt.hop_ms;
  out->zero_point = kws->out_zero_point;
  out->duration_s = static_cast<double>(samples.size()) / sample_rate;
  out->window_s = static_cast<double>((c.frames - 1) * mdsp::HopSamples(c) +
                                      mdsp::WindowSamples(c)) / sample_rate;
  size_t pos = 0;
  while (pos + hop <= samples.size()) {
    for (size_t done = 0; done < hop;) {
      const size_t n = std::min<size_t>(opt.chunk_samples, hop - done);
      fe.PushSamples(samples.data() + pos + done, n);
      done += n;
    }
    pos += hop;
    if (fe.frames_ready() < c.frames) continue;
    fe.CopyFramesS8(x->as<int8_t>(), x->scale, x->zero_point);
    if (in.Invoke() != Status::kOk) {
      *err = std::string("model: ") + in.error();
      return false;
    }
    out->time_ms.push_back(static_cast<uint32_t>(static_cast<uint64_t>(pos) * 1000 / sample_rate));
    const int8_t* s = y->as<int8_t>();
    out->scores.insert(out->scores.end(), s, s + classes);
  }
  return true;
}

bool RunCascadePosteriors(KwsModel* first, const std::vector<std::unique_ptr<KwsModel>>& verifiers,
                          const std::vector<int16_t>& samples, uint32_t sample_rate,
                          const StreamOptions& opt, Posteriors* out,
                          std::vector<Posteriors>* verifier_out, std::string* err) {
  if (!RunPosteriors(first, samples, sample_rate, opt, out, err)) return false;
  verifier_out->assign(verifiers.size(), Posteriors{});
  for (size_t i = 0; i < verifiers.size(); ++i)
    if (!RunPosteriors(verifiers[i].get(), samples, sample_rate, opt, &(*verifier_out)[i], err)) {
      *err = "verifier: " + *err;
      return false;
    }
  return true;
}

micro::wakeword::DetectorConfig MakeDetectorConfig(const KwsModel& kws, uint32_t hop_ms,
                                                   float threshold, int window,
                                                   uint32_t refractory_ms,
                                                   const std::vector<std::string>& ignore) {
  micro::wakeword::DetectorConfig c;
  c.num_classes = static_cast<uint16_t>(kws.labels.size());
  c.window = static_cast<uint16_t>(window);
  c.hop_ms = hop_ms;
  c.refractory_ms = refractory_ms;
  const uint16_t t = ProbabilityUnits(kws, threshold);
  for (size_t k = 0; k < kws.labels.size(); ++k) {
    const std::string& l = kws.labels[k];
    const bool ignored = l == "_silence_" || l == "_unknown_" ||
                         std::find(ignore.begin(), ignore.end(), l) != ignore.end();
    if (ignored) c.ignore_mask |= 1u << k;
    c.threshold[k] = t;
  }
  return c;
}

uint16_t ProbabilityUnits(const KwsModel& kws, float p) {
  // Score units are output steps above the zero point: p = units * scale.
  const double units = std::ceil(static_cast<double>(p) / kws.out_scale - 1e-9);
  return static_cast<uint16_t>(std::clamp(units, 0.0, 65535.0));
}

std::vector<StreamDetection> Detect(const KwsModel& kws, const Posteriors& p,
                                    const micro::wakeword::DetectorConfig& c,
                                    size_t* model_runs,
                                    const std::vector<Posteriors>& verifiers,
                                    size_t* verified) {
  namespace mww = micro::wakeword;
  std::vector<StreamDetection> out;
  size_t runs = 0, checked = 0;
  if (model_runs != nullptr) *model_runs = 0;
  if (verified != nullptr) *verified = 0;
  mww::Detector d;
  if (d.Init(c, nullptr) != Status::kOk) return out;
  const uint32_t step = c.hop_ms / c.sub_hops;
  if (p.hop_ms != step || p.time_ms.empty()) return out;
  for (const Posteriors& v : verifiers)
    if (v.time_ms.size() != p.time_ms.size() || v.num_classes != p.num_classes) return out;
  const uint32_t first = p.time_ms.front();
  const int n = p.num_classes;
  const auto row = [&](uint32_t t) -> long {  // the grid window ending at t, if run
    if (t < first || (t - first) % step != 0) return -1;
    const size_t i = (t - first) / step;
    return i < p.time_ms.size() ? static_cast<long>(i) : -1;
  };
  // Row i's scores as the device computes them; returns the first model's best keyword.
  const auto scores = [&](size_t i, uint8_t* s) {
    mww::ToScores(&p.scores[i * n], kws.out_zero_point, n, s);
    const uint8_t best = d.BestKeyword(s);
    if (!verifiers.empty() && d.Verifies(best)) {
      mww::ScoreMean m;
      m.Add(s, n);
      for (const Posteriors& v : verifiers) m.AddS8(&v.scores[i * n], v.zero_point, n);
      m.Mean(n, s);
      ++checked;
    }
    return best;
  };
  const auto keep = [&](bool fired, const mww::Detection& det) {
    if (fired) out.push_back({det.label, det.time_ms / 1000.0, det.score * kws.out_scale, det.score});
  };
  uint8_t s[mww::kMaxClasses];
  for (size_t i = 0; i < p.time_ms.size(); ++i) {
    const uint32_t t = p.time_ms[i];
    if (t % c.hop_ms != 0) continue;  // between anchors: run only through look-back
    ++runs;
    mww::Detection det;
    const uint8_t best = scores(i, s);
    const int back = d.Anchor(s, best);
    for (int j = c.sub_hops - 1; j >= 1; --j) {
      if (static_cast<uint32_t>(j) * step > t) continue;  // before the stream began
      const uint32_t tj = t - static_cast<uint32_t>(j) * step;
      const long r = back > 0 ? row(tj) : -1;
      if (r >= 0) {
        ++runs;
        scores(static_cast<size_t>(r), s);
        keep(d.Push(s, tj, &det), det);
      } else {
        keep(d.Skip(tj, &det), det);
      }
    }
    keep(d.PushAnchor(t, &det), det);
  }
  if (model_runs != nullptr) *model_runs = runs;
  if (verified != nullptr) *verified = checked;
  return out;
}

int StepFrames(const KwsModel& kws, uint32_t hop_ms, int look_back) {
  if (look_back < 1 || hop_ms % static_cast<uint32_t>(look_back) != 0) return -1;
  const uint64_t samples = static_cast<uint64_t>(hop_ms / look_back) * kws.fe.sample_rate_hz;
  const uint64_t hop = static_cast<uint64_t>(mdsp::HopSamples(kws.fe));
  if (samples % 1000 != 0 || hop == 0 || (samples / 1000) % hop != 0) return -1;
  return static_cast<int>(samples / 1000 / hop);
}

bool LoadTruth(const std::string& path, std::vector<TruthEvent>* out, std::string* err) {
  std::ifstream f(path);
  if (!f) {
    *err = path + ": cannot open";
    return false;
  }
  out->clear();
  std::string line;
  int row = 0;
  while (std::getline(f, line)) {
    ++row;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string kw, a, b, who;
    std::getline(ss, kw, ',');
    std::getline(ss, a, ',');
    std::getline(ss, b, ',');
    std::getline(ss, who, ',');
    if (row == 1 && a == "start_s") continue;  // header
    TruthEvent ev;
    ev.keyword = kw;
    ev.speaker = who;
    char* end_a = nullptr;
    char* end_b = nullptr;
    ev.start_s = std::strtod(a.c_str(), &end_a);
    ev.end_s = std::strtod(b.c_str(), &end_b);
    if (kw.empty() || a.empty() || b.empty() || *end_a != '\0' || *end_b != '\0' ||
        !std::isfinite(ev.start_s) || !std::isfinite(ev.end_s) || ev.start_s < 0 ||
        ev.end_s < ev.start_s) {
      *err = path + ": line " + std::to_string(row) +
             ": expected keyword,start_s,end_s with 0 <= start <= end, got '" + line + "'";
      return false;
    }
    out->push_back(ev);
  }
  return true;
}

std::vector<GroupMisses> MissesBy(const std::vector<TruthEvent>& truth, const std::vector<int>& missed,
                                  GroupBy by) {
  std::vector<char> miss(truth.size(), 0);
  for (int i : missed) miss[static_cast<size_t>(i)] = 1;
  std::map<std::string, GroupMisses> groups;
  for (size_t i = 0; i < truth.size(); ++i) {
    const std::string& name = by == GroupBy::kSpeaker ? truth[i].speaker : truth[i].keyword;
    if (name.empty()) continue;
    GroupMisses& g = groups[name];
    ++g.keywords;
    g.missed += miss[i];
  }
  std::vector<GroupMisses> v;
  for (const auto& [name, g] : groups) v.push_back({name, g.keywords, g.missed});
  std::stable_sort(v.begin(), v.end(),
                   [](const GroupMisses& a, const GroupMisses& b) { return a.missed > b.missed; });
  return v;
}

namespace {

// frr, frr_se and fa_per_hour from the counts, `missed` and the hours.
void Rates(const std::vector<TruthEvent>& truth, StreamScore* s) {
  s->detected = s->keywords - static_cast<int>(s->missed.size());
  s->false_rejects = static_cast<int>(s->missed.size());
  s->frr = s->keywords > 0 ? static_cast<double>(s->false_rejects) / s->keywords : 0.0;
  // Cluster (ratio-estimator) standard error over speakers:
  // sqrt(S / (S - 1) * sum_s (misses_s - frr * keywords_s)^2) / keywords.
  s->frr_se = 0.0;
  const std::vector<GroupMisses> speakers = MissesBy(truth, s->missed, GroupBy::kSpeaker);
  if (speakers.size() >= 2 && s->keywords > 0) {
    double sum = 0.0;
    for (const GroupMisses& g : speakers) {
      const double d = g.missed - s->frr * g.keywords;
      sum += d * d;
    }
    const double k = static_cast<double>(speakers.size());
    s->frr_se = std::sqrt(sum * k / (k - 1.0)) / s->keywords;
  }
  s->fa_per_hour = s->non_keyword_hours > 0 ? s->false_accepts / s->non_keyword_hours : 0.0;
}

}  // namespace

StreamScore Score(const std::vector<StreamDetection>& dets, const std::vector<TruthEvent>& truth,
                  const std::vector<std::string>& labels, const ScoreOptions& opt,
                  double duration_s) {
  StreamScore s;
  s.keywords = static_cast<int>(truth.size());
  std::vector<int> hits(truth.size(), 0);
  double keyword_s = 0.0;
  for (const TruthEvent& t : truth) keyword_s += t.end_s - t.start_s;
  s.non_keyword_hours = std::max(0.0, duration_s - keyword_s) / 3600.0;
  for (const StreamDetection& d : dets) {
    const std::string& name = d.label >= 0 && d.label < static_cast<int>(labels.size())
                                  ? labels[d.label] : std::string();
    const double lo = d.time_s - opt.span_s, hi = d.time_s;
    int match = -1;
    bool overlaps_other = false;
    for (size_t i = 0; i < truth.size(); ++i) {
      if (hi < truth[i].start_s - opt.tolerance_s || lo > truth[i].end_s + opt.tolerance_s)
        continue;
      if (truth[i].keyword != name) {
        overlaps_other = true;
        continue;
      }
      // The first overlapping keyword, or a later one that is still missed.
      if (match < 0 || (hits[match] > 0 && hits[i] == 0)) match = static_cast<int>(i);
    }
    s.detection_match.push_back(match);
    if (match < 0) {
      ++s.false_accepts;
      if (overlaps_other) ++s.wrong_keyword;
    } else if (hits[match]++ > 0) {
      ++s.duplicates;
    }
  }
  for (size_t i = 0; i < truth.size(); ++i)
    if (hits[i] == 0) s.missed.push_back(static_cast<int>(i));
  Rates(truth, &s);
  return s;
}

StreamScore Pool(const std::vector<StreamScore>& scores,
                 const std::vector<std::vector<TruthEvent>>& truths) {
  StreamScore p;
  std::vector<TruthEvent> all;
  for (size_t r = 0; r < scores.size(); ++r) {
    const StreamScore& s = scores[r];
    const int offset = static_cast<int>(all.size());
    if (r < truths.size()) all.insert(all.end(), truths[r].begin(), truths[r].end());
    p.keywords += s.keywords;
    p.false_accepts += s.false_accepts;
    p.wrong_keyword += s.wrong_keyword;
    p.duplicates += s.duplicates;
    p.non_keyword_hours += s.non_keyword_hours;
    for (int m : s.detection_match) p.detection_match.push_back(m < 0 ? m : m + offset);
    for (int m : s.missed) p.missed.push_back(m + offset);
  }
  Rates(all, &p);
  return p;
}

}  // namespace mote::host::wakeword
