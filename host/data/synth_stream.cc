#include "host/data/synth_stream.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "host/data/synth_audio.h"
#include "host/io/wav.h"

namespace mote::data {
namespace {

constexpr double kMaxWordSeconds = 0.9;
constexpr double kEdge = 0.5;   // keyword distance from the segment's edges, s
constexpr double kGuard = 0.4;  // no background speech this close to a keyword, s
constexpr double kMinSegment = 3.0;
constexpr double kBabbleSeconds = 30;

bool Fail(std::string* err, const std::string& what) {
  if (err) *err = what;
  return false;
}

struct Segment {
  std::vector<int16_t> pcm;
  std::string keyword, speaker;
  size_t kw_begin = 0, kw_end = 0;  // samples within the segment
  int64_t clipped = 0;
};

// Adds `speech` scaled to RMS `db` dBFS at `at`, cut (20 ms fade) at `limit`.
void Place(const std::vector<float>& speech, double db, size_t at, size_t limit,
           std::vector<float>* out) {
  const double gain = DbToGain(db) / std::max(Rms(speech.data(), speech.size()), 1e-9);
  const size_t n = std::min(speech.size(), limit > at ? limit - at : 0);
  const size_t fade = n < speech.size() ? std::min<size_t>(n, kSynthRate / 50) : 0;
  for (size_t i = 0; i < n; ++i) {
    double g = gain;
    if (fade && i + fade >= n) g *= static_cast<double>(n - 1 - i) / fade;
    (*out)[at + i] += static_cast<float>(g * speech[i]);
  }
}

bool MakeSegment(uint64_t seed, size_t index, size_t length, const std::vector<Speaker>& speakers,
                 const NoiseBank& bank, const std::string& tmp, Segment* seg, std::string* err) {
  train::Rng rng(MixSeed(seed, 0x57EA, index));
  std::vector<float> x(length, 0.0f);
  // The keyword.
  const int digit = static_cast<int>(rng.Below(10));
  const Speaker& kw_who = speakers[static_cast<size_t>(rng.Below(speakers.size()))];
  SpeechParams p = RandomSpeechParams(rng, kMaxWordSeconds);
  p.word_gap = 0;
  auto kw = SynthesizeSpeech(DigitWords()[static_cast<size_t>(digit)], kw_who, p, tmp, err);
  if (!kw) return false;
  const size_t edge = static_cast<size_t>(kEdge * kSynthRate);
  const size_t room = length - 2 * edge - kw->size();  // length >= 3 s > 2 edges + 0.9 s
  const size_t kw_at = edge + static_cast<size_t>(rng.Below(room + 1));
  Place(*kw, rng.Uniform(-30, -16), kw_at, length, &x);
  seg->keyword = DigitWords()[static_cast<size_t>(digit)];
  seg->speaker = kw_who.Id();
  seg->kw_begin = kw_at;
  seg->kw_end = kw_at + kw->size();
  const size_t guard = static_cast<size_t>(kGuard * kSynthRate);
  const size_t guard_begin = kw_at > guard ? kw_at - guard : 0;
  const size_t guard_end = seg->kw_end + guard;

  // Background talk: sentences or single other words with pauses, around the guard.
  size_t cursor = 0;
  for (;;) {
    cursor += static_cast<size_t>(rng.Uniform(0.3f, 2.5f) * kSynthRate);
    if (cursor >= length) break;
    const Speaker& who = speakers[static_cast<size_t>(rng.Below(speakers.size()))];
    const bool word = rng.Uniform01() < 0.3;
    const std::string text = word ? UnknownWords()[static_cast<size_t>(rng.Below(UnknownWords().size()))]
                                  : RandomSentence(rng);
    const SpeechParams sp = RandomSpeechParams(rng, 0);
    const double db = rng.Uniform(-34, -20);
    auto s = SynthesizeSpeech(text, who, sp, tmp, err);
    if (!s) return false;
    if (cursor < guard_end && cursor + s->size() > guard_begin) cursor = guard_end;
    if (cursor >= length) break;
    Place(*s, db, cursor, length, &x);
    cursor += s->size();
  }
  // Noise bed for the whole segment (faded in and out over 0.1 s), or a quiet floor.
  const int kind = static_cast<int>(rng.Below(5));
  const NoiseKind k = kind == 4 ? NoiseKind::kWhite : static_cast<NoiseKind>(kind);
  const double level = DbToGain(kind == 4 ? rng.Uniform(-85, -65) : rng.Uniform(-60, -36));
  std::vector<float> bed(length, 0.0f);
  AddNoise(bank.Of(k), static_cast<size_t>(rng.Below(bank.Of(k).size())), static_cast<float>(level),
           bed.data(), length);
  const size_t fade = std::min(length / 2, static_cast<size_t>(kSynthRate / 10));
  for (size_t i = 0; i < fade; ++i) {
    const float g = static_cast<float>(i) / static_cast<float>(fade);
    bed[i] *= g;
    bed[length - 1 - i] *= g;
  }
  for (size_t i = 0; i < length; ++i) x[i] += bed[i];
  seg->pcm = host::FloatToInt16(x.data(), x.size(), &seg->clipped);
  return true;
}

}  // namespace

std::string StreamSidecarPath(const std::string& wav, const std::string& ext) {
  const std::string suffix = ".wav";
  if (wav.size() > suffix.size() &&
      (wav.compare(wav.size() - suffix.size(), suffix.size(), suffix) == 0 ||
       wav.compare(wav.size() - suffix.size(), suffix.size(), ".WAV") == 0))
    return wav.substr(0, wav.size() - suffix.size()) + ext;
  return wav + ext;
}

bool SynthStream(const SynthStreamOptions& o, SynthStreamSummary* summary, std::string* err) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.out_wav.empty()) return Fail(err, "synth-stream: no output file");
  if (!(o.minutes > 0 && o.minutes <= 24 * 60))
    return Fail(err, "--minutes: expected more than 0 and at most 1440");
  if (o.keywords < 1 || o.keywords > 1000000)
    return Fail(err, "--keywords " + std::to_string(o.keywords) + ": expected 1 to 1000000");
  if (o.jobs < 1 || o.jobs > 256) return Fail(err, "--jobs " + std::to_string(o.jobs) + ": expected 1 to 256");
  if (o.more_voices && o.split != static_cast<int>(Split::kTrain))
    return Fail(err, "--more-voices adds train speakers only: use it with --split train");
  const int64_t total = static_cast<int64_t>(o.minutes * 60 * kSynthRate);
  const double per_segment = static_cast<double>(total) / kSynthRate / o.keywords;
  if (per_segment < kMinSegment)
    return Fail(err, "--minutes " + std::to_string(o.minutes) + " with --keywords " +
                         std::to_string(o.keywords) + " gives " + std::to_string(per_segment) +
                         " s per keyword; at least 3 s are needed (fewer keywords or more minutes)");
  if (o.split != static_cast<int>(Split::kTrain) && o.split != static_cast<int>(Split::kVal) &&
      o.split != static_cast<int>(Split::kTest))
    return Fail(err, "--split: expected train, val or test");
  if (!CheckTools(err)) return false;
  std::string e;
  std::vector<Speaker> speakers;
  const Split want = static_cast<Split>(o.split);
  for (const auto& s : FilterSpeakers(AllSpeakers(o.more_voices), o.voices, &e))
    if (s.split == want) speakers.push_back(s);
  if (!e.empty()) return Fail(err, e);
  if (speakers.empty())
    return Fail(err, std::string("--voices selects no ") + SplitName(want) +
                         "-split speaker (see mote data synth-kws --list-voices)");
  ScratchDir scratch;
  if (!scratch.Create(err)) return false;
  auto bank = MakeNoiseBank(speakers, kBabbleSeconds, MixSeed(o.seed, 0xB0A, 2), scratch.Prefix(0), err);
  if (!bank) return false;

  const std::string csv_path = StreamSidecarPath(o.out_wav, ".csv");
  const std::string json_path = StreamSidecarPath(o.out_wav, ".json");
  host::WavWriter16 wav;
  if (!wav.Open(o.out_wav, kSynthRate, err)) return false;
  std::ofstream csv(csv_path, std::ios::binary);
  if (!csv) return Fail(err, csv_path + ": cannot write");
  csv << "keyword,start_s,end_s,speaker\n";

  // Segments in batches: made in parallel, written in order.
  const size_t n = static_cast<size_t>(o.keywords);
  auto bound = [&](size_t k) { return static_cast<size_t>(static_cast<int64_t>(k) * total / o.keywords); };
  const size_t batch = static_cast<size_t>(o.jobs) * 4;
  int64_t clipped = 0;
  double kw_seconds = 0;
  for (size_t first = 0; first < n; first += batch) {
    const size_t count = std::min(batch, n - first);
    std::vector<Segment> segs(count);
    if (!ParallelFor(
            count, o.jobs,
            [&](size_t i, int worker, std::string* e2) {
              const size_t k = first + i;
              return MakeSegment(o.seed, k, bound(k + 1) - bound(k), speakers, *bank,
                                 scratch.Prefix(worker), &segs[i], e2);
            },
            nullptr, err))
      return false;
    for (size_t i = 0; i < count; ++i) {
      const Segment& s = segs[i];
      const size_t at = bound(first + i);
      char row[256];
      std::snprintf(row, sizeof(row), "%s,%.4f,%.4f,%s\n", s.keyword.c_str(),
                    static_cast<double>(at + s.kw_begin) / kSynthRate,
                    static_cast<double>(at + s.kw_end) / kSynthRate, s.speaker.c_str());
      csv << row;
      kw_seconds += static_cast<double>(s.kw_end - s.kw_begin) / kSynthRate;
      clipped += s.clipped;
      if (!wav.Append(s.pcm.data(), s.pcm.size(), err)) return false;
    }
    if (o.progress) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "\rsynth-stream: %zu/%zu keywords, %.1f of %.1f min (%.0fx real time)   ",
                   first + count, n, static_cast<double>(bound(first + count)) / kSynthRate / 60,
                   o.minutes, static_cast<double>(bound(first + count)) / kSynthRate / std::max(secs, 1e-9));
      std::fflush(stderr);
    }
  }
  if (o.progress) std::fputc('\n', stderr);
  if (!wav.Close(err)) return false;
  csv.close();
  if (!csv) return Fail(err, csv_path + ": write failed");

  nlohmann::json j;
  j["generator"] = "mote data synth-stream";
  j["seed"] = o.seed;
  j["split"] = SplitName(static_cast<Split>(o.split));
  j["sample_rate"] = kSynthRate;
  j["samples"] = total;
  j["duration_s"] = static_cast<double>(total) / kSynthRate;
  j["keywords"] = o.keywords;
  j["keyword_seconds"] = kw_seconds;
  j["non_keyword_hours"] = (static_cast<double>(total) / kSynthRate - kw_seconds) / 3600;
  j["clipped_samples"] = clipped;
  j["ground_truth"] = csv_path.substr(csv_path.find_last_of('/') + 1);
  j["tools"] = ToolVersions();
  std::vector<std::string> ids;
  for (const auto& s : speakers) ids.push_back(s.Id());
  j["speakers"] = ids;
  j["more_voices"] = o.more_voices;
  std::ofstream js(json_path, std::ios::binary);
  js << j.dump(2) << "\n";
  js.close();
  if (!js) return Fail(err, json_path + ": write failed");
  summary->samples = total;
  summary->keywords = o.keywords;
  summary->keyword_seconds = kw_seconds;
  summary->csv_path = csv_path;
  summary->json_path = json_path;
  summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

}  // namespace mote::data
