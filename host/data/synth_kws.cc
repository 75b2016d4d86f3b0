#include "host/data/synth_kws.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "host/data/synth_audio.h"
#include "host/io/wav.h"

namespace mote::data {
namespace {

namespace fs = std::filesystem;

constexpr int kSilence = 10, kUnknown = 11;
constexpr double kMaxWordSeconds = 0.9;
constexpr double kBabbleSeconds = 30;

bool Fail(std::string* err, const std::string& what) {
  if (err) *err = what;
  return false;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

struct Job {
  int label;
  int index;  // within the label
  Split split;
};

struct ClipRecord {
  std::string path;  // relative to the output directory
  std::string speaker;
  std::string params;
  int64_t clipped = 0;
};

// Noise under the clip: one of the four beds or a near-silent white floor.
// Returns the description for the index; `level` is the RMS of the noise.
std::string AddBackground(train::Rng& rng, const NoiseBank& bank, double level, int kind,
                          std::vector<float>* clip) {
  const NoiseKind k = kind == 4 ? NoiseKind::kWhite : static_cast<NoiseKind>(kind);
  const auto& bed = bank.Of(k);
  AddNoise(bed, static_cast<size_t>(rng.Below(bed.size())), static_cast<float>(level), clip->data(),
           clip->size());
  return std::string(kind == 4 ? "floor" : NoiseName(k));
}

bool MakeClip(const Job& job, const std::vector<Speaker>& speakers, const NoiseBank& bank,
              uint64_t seed, const std::string& tmp, ClipRecord* rec, std::vector<float>* clip,
              std::string* err) {
  train::Rng rng(MixSeed(seed, static_cast<uint64_t>(job.label), static_cast<uint64_t>(job.index)));
  clip->assign(kSynthRate, 0.0f);
  const Speaker& who = speakers[static_cast<size_t>(rng.Below(speakers.size()))];
  const int kind = static_cast<int>(rng.Below(5));
  if (job.label == kSilence) {
    // Background only: a noise bed at -65..-25 dBFS RMS, or a floor at -90..-65.
    const double db = kind == 4 ? rng.Uniform(-90, -65) : rng.Uniform(-65, -25);
    const std::string noise = AddBackground(rng, bank, DbToGain(db), kind, clip);
    rec->speaker = kind == 3 ? "babble" : "none";
    rec->params = "noise=" + noise + ";level_db=" + Fixed(db, 1);
    return true;
  }
  const std::string text = job.label == kUnknown
                               ? UnknownWords()[static_cast<size_t>(rng.Below(UnknownWords().size()))]
                               : DigitWords()[static_cast<size_t>(job.label)];
  SpeechParams p = RandomSpeechParams(rng, kMaxWordSeconds);
  p.word_gap = 0;  // one word: no gaps
  auto speech = SynthesizeSpeech(text, who, p, tmp, err);
  if (!speech) return false;
  // Loudness: RMS -32..-14 dBFS, peak at most 0.9.
  const double speech_db = rng.Uniform(-32, -14);
  const double rms = std::max(Rms(speech->data(), speech->size()), 1e-9);
  double gain = DbToGain(speech_db) / rms;
  float peak = 0;
  for (float v : *speech) peak = std::max(peak, std::fabs(v));
  gain = std::min(gain, 0.9 / std::max<double>(peak, 1e-9));
  const size_t len = std::min<size_t>(speech->size(), kSynthRate);
  const size_t offset = static_cast<size_t>(rng.Below(kSynthRate - len + 1));
  for (size_t i = 0; i < len; ++i) (*clip)[offset + i] = static_cast<float>(gain * (*speech)[i]);
  // Noise: SNR 5..30 dB against the word's RMS (babble 8..30), or a -90..-65 dBFS floor.
  const double snr = kind == 3 ? rng.Uniform(8, 30) : rng.Uniform(5, 30);
  const double level = kind == 4 ? DbToGain(rng.Uniform(-90, -65)) : gain * rms / DbToGain(snr);
  const std::string noise = AddBackground(rng, bank, level, kind, clip);
  rec->speaker = who.Id();
  rec->params = "text=" + text + ";" + p.Describe() + ";offset=" + Fixed(double(offset) / kSynthRate, 4) +
                ";level_db=" + Fixed(20 * std::log10(gain * rms), 1) + ";noise=" + noise +
                (kind == 4 ? "" : ";snr=" + Fixed(snr, 1));
  return true;
}

}  // namespace

const std::vector<std::string>& KwsLabels() {
  static const std::vector<std::string> labels = {"zero", "one", "two",   "three", "four",     "five",
                                                  "six",  "seven", "eight", "nine", "_silence_", "_unknown_"};
  return labels;
}

void KwsSplitCounts(int per_class, int counts[3]) {
  const int tenth = std::max(1, (per_class + 5) / 10);
  counts[2] = per_class >= 2 ? tenth : 0;  // test
  counts[1] = per_class >= 3 ? tenth : 0;  // val
  counts[0] = per_class - counts[1] - counts[2];
}

bool SynthKws(const SynthKwsOptions& o, SynthKwsSummary* summary, std::string* err) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.out_dir.empty()) return Fail(err, "synth-kws: no output directory");
  if (o.per_class < 1 || o.per_class > 100000)
    return Fail(err, "--per-class " + std::to_string(o.per_class) + ": expected 1 to 100000");
  if (o.jobs < 1 || o.jobs > 256) return Fail(err, "--jobs " + std::to_string(o.jobs) + ": expected 1 to 256");
  if (!CheckTools(err)) return false;
  std::string e;
  const std::vector<Speaker> speakers = FilterSpeakers(AllSpeakers(o.more_voices), o.voices, &e);
  if (speakers.empty()) return Fail(err, e.empty() ? "--voices selects no speaker" : e);
  int counts[3];
  KwsSplitCounts(o.per_class, counts);
  std::vector<Speaker> by_split[3];
  for (const auto& s : speakers) by_split[static_cast<int>(s.split)].push_back(s);
  for (int s = 0; s < 3; ++s)
    if (counts[s] > 0 && by_split[s].empty())
      return Fail(err, std::string("--voices selects no ") + SplitName(static_cast<Split>(s)) +
                           " speaker (see --list-voices for the split of each speaker)");

  std::error_code ec;
  if (fs::is_directory(o.out_dir, ec) && !fs::is_empty(o.out_dir, ec)) {
    if (!o.overwrite)
      return Fail(err, o.out_dir + ": not empty (use --overwrite to replace a previous synth-kws dataset)");
    for (const char* old : {"train", "val", "test", "index.csv", "summary.json"}) {
      fs::remove_all(fs::path(o.out_dir) / old, ec);
      if (ec) return Fail(err, o.out_dir + "/" + old + ": cannot remove (" + ec.message() + ")");
    }
  }
  fs::create_directories(o.out_dir, ec);
  if (ec) return Fail(err, o.out_dir + ": cannot create (" + ec.message() + ")");
  const auto& labels = KwsLabels();
  for (int s = 0; s < 3; ++s)
    for (const auto& l : labels) {
      fs::create_directories(fs::path(o.out_dir) / SplitName(static_cast<Split>(s)) / l, ec);
      if (ec) return Fail(err, o.out_dir + ": cannot create subdirectories (" + ec.message() + ")");
    }
  ScratchDir scratch;
  if (!scratch.Create(err)) return false;

  // Noise beds per split; babble from that split's speakers only.
  NoiseBank banks[3];
  std::vector<int> used_splits;
  for (int s = 0; s < 3; ++s)
    if (counts[s] > 0) used_splits.push_back(s);
  if (!ParallelFor(
          used_splits.size(), o.jobs,
          [&](size_t i, int worker, std::string* e2) {
            const int s = used_splits[i];
            auto b = MakeNoiseBank(by_split[s], kBabbleSeconds, MixSeed(o.seed, 0xB0A, s),
                                   scratch.Prefix(worker), e2);
            if (!b) return false;
            banks[s] = std::move(*b);
            return true;
          },
          o.progress ? "synth-kws: noise beds" : nullptr, err))
    return false;

  std::vector<Job> jobs;
  for (int l = 0; l < static_cast<int>(labels.size()); ++l)
    for (int i = 0, s = 0, left = counts[0]; i < o.per_class; ++i) {
      while (left == 0) left = counts[++s];
      jobs.push_back({l, i, static_cast<Split>(s)});
      --left;
    }
  std::vector<ClipRecord> records(jobs.size());
  std::vector<int64_t> bytes(jobs.size(), 0);
  if (!ParallelFor(
          jobs.size(), o.jobs,
          [&](size_t i, int worker, std::string* e2) {
            const Job& job = jobs[i];
            const int s = static_cast<int>(job.split);
            ClipRecord& rec = records[i];
            std::vector<float> clip;
            if (!MakeClip(job, by_split[s], banks[s], o.seed, scratch.Prefix(worker), &rec, &clip, e2))
              return false;
            char name[64];
            std::snprintf(name, sizeof(name), "_%05d_", job.index);
            rec.path = std::string(SplitName(job.split)) + "/" + labels[job.label] + "/" +
                       labels[job.label] + name + rec.speaker + ".wav";
            const std::string full = (fs::path(o.out_dir) / rec.path).string();
            if (!host::WriteWav16(full, clip.data(), clip.size(), kSynthRate, e2, &rec.clipped))
              return false;
            bytes[i] = static_cast<int64_t>(fs::file_size(full, ec));
            return true;
          },
          o.progress ? "synth-kws: clips" : nullptr, err))
    return false;

  // index.csv and summary.json, in job order (independent of --jobs).
  const std::string index_path = (fs::path(o.out_dir) / "index.csv").string();
  std::ofstream index(index_path, std::ios::binary);
  index << "path,label,split,speaker,params\n";
  std::map<std::string, std::map<std::string, int>> table;
  summary->clipped_samples = 0;
  summary->bytes = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const auto& r = records[i];
    const std::string split = SplitName(jobs[i].split);
    index << r.path << "," << labels[jobs[i].label] << "," << split << "," << r.speaker << ","
          << r.params << "\n";
    ++table[split][labels[jobs[i].label]];
    summary->clipped_samples += r.clipped;
    summary->bytes += bytes[i];
  }
  index.close();
  if (!index) return Fail(err, index_path + ": write failed");
  nlohmann::json j;
  j["generator"] = "mote data synth-kws";
  j["seed"] = o.seed;
  j["per_class"] = o.per_class;
  j["voices_filter"] = o.voices;
  j["more_voices"] = o.more_voices;
  j["sample_rate"] = kSynthRate;
  j["clip_samples"] = kSynthRate;
  j["labels"] = labels;
  j["counts"] = table;
  j["clips"] = jobs.size();
  j["clipped_samples"] = summary->clipped_samples;
  j["tools"] = ToolVersions();
  for (int s = 0; s < 3; ++s) {
    std::vector<std::string> ids;
    for (const auto& sp : by_split[s]) ids.push_back(sp.Id());
    j["speakers"][SplitName(static_cast<Split>(s))] = ids;
  }
  const std::string summary_path = (fs::path(o.out_dir) / "summary.json").string();
  std::ofstream out(summary_path, std::ios::binary);
  out << j.dump(2) << "\n";
  out.close();
  if (!out) return Fail(err, summary_path + ": write failed");
  summary->clips = static_cast<int>(jobs.size());
  summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

}  // namespace mote::data
