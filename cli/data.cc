// mote data synth-anomaly --n 2000 --length 64 --seed S -o FILE [--labels FILE]
// mote data ingest LOG... -o DATASET [--length N] [--json]
// mote data synth-kws -o DIR [--seed S] [--per-class N] [--voices LIST] [--more-voices] [--jobs J]
// mote data synth-stream -o FILE.wav [--minutes M] [--keywords K] [--seed S] [--split train --more-voices]
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/data/dataset.h"
#include "host/data/ingest.h"
#include "host/data/synth_audio.h"
#include "host/data/synth_kws.h"
#include "host/data/synth_stream.h"

namespace mote::cli {
namespace {

struct SynthOptions {
  int n = 2000, length = 64;
  uint64_t seed = 1;
  std::string out, labels;
};

std::string LabelsPath(const std::string& out) {
  const std::string ext = ".npy";
  if (out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0)
    return out.substr(0, out.size() - ext.size()) + "_labels.npy";
  return out + "_labels.npy";
}

void Synth(const SynthOptions& o) {
  const data::Dataset d = data::SynthAnomaly(o.n, o.length, o.seed);
  const std::string labels = o.labels.empty() ? LabelsPath(o.out) : o.labels;
  std::string err;
  if (!data::SaveNpy(o.out, d.x, false, &err) || !data::SaveNpy(labels, d.y, true, &err))
    throw CommandError(err);
  int anomalies = 0;
  for (float v : d.y.data) anomalies += v > 0.5f;
  std::printf("wrote %s (float32 [%d,%d,1]) and %s (int32 [%d], %d anomalies)\n", o.out.c_str(),
              o.n, o.length, labels.c_str(), o.n, anomalies);
}

struct IngestOptions {
  std::vector<std::string> logs;
  std::string out;
  size_t length = 0;
  bool json = false;
};

void RunIngest(const IngestOptions& o) {
  data::Ingest ingest;
  std::string err;
  for (const auto& path : o.logs)
    if (!ingest.AddFile(path, &err)) throw CommandError(err);
  const bool wrote = ingest.Write(o.out, o.length, &err);
  const data::IngestStats& st = ingest.stats();
  const auto devices = ingest.Summaries();
  const size_t rows = st.records - st.non_finite - st.other_length;
  if (o.json) {
    nlohmann::json j;
    j["files"] = st.files;
    j["bytes"] = st.bytes;
    j["records"] = st.records;
    j["rows"] = wrote ? rows : 0;
    j["length"] = wrote ? (o.length ? o.length : ingest.CommonLength()) : 0;
    j["non_finite"] = st.non_finite;
    j["other_length"] = st.other_length;
    j["skipped_bytes"] = st.skipped_bytes;
    for (size_t i = 0; i < micro::kLogDefectCount; ++i)
      j["corrupt"][micro::LogDefectName(static_cast<micro::LogDefect>(i))] = st.defects[i];
    j["devices"] = nlohmann::json::array();
    for (const auto& d : devices)
      j["devices"].push_back({{"device_id", d.device_id}, {"count", d.count}, {"mean", d.mean},
                              {"std", d.std}, {"decision_rate", d.decision_rate},
                              {"mean_confidence", d.mean_confidence}, {"first_ms", d.first_ms},
                              {"last_ms", d.last_ms}, {"model_versions", d.model_versions}});
    if (wrote) {
      j["outputs"] = {o.out, data::SiblingPath(o.out, "_labels.npy"),
                      data::SiblingPath(o.out, "_meta.csv")};
    } else {
      j["error"] = err;
    }
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    size_t corrupt = 0;
    for (size_t d : st.defects) corrupt += d;
    std::printf("read %zu file(s), %zu bytes: %zu intact records, %zu corrupt (", st.files,
                st.bytes, st.records, corrupt);
    for (size_t i = 0; i < micro::kLogDefectCount; ++i)
      std::printf("%s%s %zu", i ? ", " : "", micro::LogDefectName(static_cast<micro::LogDefect>(i)),
                  st.defects[i]);
    std::printf("), %zu bytes skipped\n", st.skipped_bytes);
    if (st.non_finite) std::printf("left out: %zu float records with NaN/Inf\n", st.non_finite);
    if (st.other_length) std::printf("left out: %zu records of another window length\n", st.other_length);
    std::printf("%10s %8s %12s %12s %9s %9s  %s\n", "device", "records", "mean", "std",
                "decided", "conf", "model versions");
    for (const auto& d : devices) {
      std::string versions;
      for (uint32_t v : d.model_versions) versions += (versions.empty() ? "" : ",") + std::to_string(v);
      std::printf("%10u %8zu %12.4f %12.4f %9.3f %9.3f  %s\n", d.device_id, d.count, d.mean, d.std,
                  d.decision_rate, d.mean_confidence, versions.c_str());
    }
    if (wrote)
      std::printf("wrote %s (float32 [%zu,%zu,1]), %s, %s\n", o.out.c_str(), rows,
                  o.length ? o.length : ingest.CommonLength(),
                  data::SiblingPath(o.out, "_labels.npy").c_str(),
                  data::SiblingPath(o.out, "_meta.csv").c_str());
  }
  if (!wrote) throw CommandError(err);
}

struct KwsCliOptions {
  data::SynthKwsOptions o;
  bool list_voices = false, json = false, quiet = false;
};

void ListVoices(bool json, bool more_voices) {
  const auto speakers = data::AllSpeakers(more_voices);
  if (json) {
    nlohmann::json j;
    for (const auto& s : speakers) j[data::SplitName(s.split)].push_back(s.Id());
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  for (auto split : {data::Split::kTrain, data::Split::kVal, data::Split::kTest}) {
    int n = 0;
    std::string line;
    for (const auto& s : speakers)
      if (s.split == split) {
        line += " " + s.Id();
        ++n;
      }
    std::printf("%s (%d speakers):%s\n", data::SplitName(split), n, line.c_str());
  }
}

void SynthKwsCommand(const KwsCliOptions& c) {
  if (c.list_voices) {
    ListVoices(c.json, c.o.more_voices);
    return;
  }
  if (c.o.out_dir.empty()) throw CommandError("synth-kws: -o DIR is required");
  data::SynthKwsOptions o = c.o;
  o.progress = !c.quiet;
  data::SynthKwsSummary s;
  std::string err;
  if (!data::SynthKws(o, &s, &err)) throw CommandError(err);
  if (c.json) {
    nlohmann::json j = {{"out_dir", o.out_dir}, {"clips", s.clips}, {"bytes", s.bytes},
                        {"clipped_samples", s.clipped_samples}, {"seconds", s.seconds},
                        {"clips_per_second", s.clips / std::max(s.seconds, 1e-9)}};
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("wrote %d clips (%.1f MB) to %s in %.1f s (%.1f clips/s, %d jobs); "
              "index.csv, summary.json; %lld samples clipped\n",
              s.clips, s.bytes / 1e6, o.out_dir.c_str(), s.seconds, s.clips / std::max(s.seconds, 1e-9),
              o.jobs, static_cast<long long>(s.clipped_samples));
}

struct StreamCliOptions {
  data::SynthStreamOptions o;
  std::string split = "test";
  bool json = false, quiet = false;
};

void SynthStreamCommand(const StreamCliOptions& c) {
  data::SynthStreamOptions o = c.o;
  o.progress = !c.quiet;
  if (c.split == "train") o.split = static_cast<int>(data::Split::kTrain);
  else if (c.split == "val") o.split = static_cast<int>(data::Split::kVal);
  else if (c.split == "test") o.split = static_cast<int>(data::Split::kTest);
  else throw CommandError("--split '" + c.split + "': expected train, val or test");
  data::SynthStreamSummary s;
  std::string err;
  if (!data::SynthStream(o, &s, &err)) throw CommandError(err);
  const double total = static_cast<double>(s.samples) / data::kSynthRate;
  if (c.json) {
    nlohmann::json j = {{"wav", o.out_wav},          {"csv", s.csv_path},
                        {"summary", s.json_path},    {"duration_s", total},
                        {"keywords", s.keywords},    {"non_keyword_hours", (total - s.keyword_seconds) / 3600},
                        {"seconds", s.seconds}};
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("wrote %s (%.1f min, %d keywords, %.3f h without keywords), %s, %s in %.1f s "
              "(%.0fx real time)\n",
              o.out_wav.c_str(), total / 60, s.keywords, (total - s.keyword_seconds) / 3600,
              s.csv_path.c_str(), s.json_path.c_str(), s.seconds, total / std::max(s.seconds, 1e-9));
}

}  // namespace

void AddData(CLI::App& app) {
  auto* data = app.add_subcommand("data", "Make data sets.");
  data->require_subcommand(1);
  auto o = std::make_shared<SynthOptions>();
  auto* s = data->add_subcommand(
      "synth-anomaly",
      "The seed's synthetic windows: sin over one period + N(0, 0.1) noise; with\n"
      "probability 0.2 one random sample gets +U(2, 3) and the label 1.\n"
      "Writes FILE (.npy float32 [n, length, 1]) and FILE_labels.npy (int32 [n]).");
  s->add_option("--n", o->n, "windows (default 2000)")->check(CLI::Range(1, 10000000));
  s->add_option("--length", o->length, "samples per window (default 64)")->check(CLI::Range(1, 1000000));
  s->add_option("--seed", o->seed, "random seed (default 1)");
  s->add_option("-o,--output", o->out, "output .npy file")->required();
  s->add_option("--labels", o->labels, "labels file (default: FILE_labels.npy)");
  s->callback([o] { Synth(*o); });

  auto io = std::make_shared<IngestOptions>();
  auto* in = data->add_subcommand(
      "ingest",
      "Field logs (records of micro/safety/field_log.h: UART captures or flash dumps,\n"
      "docs/field_log.md) -> a data set the trainer reads, plus per-device drift figures.\n"
      "Corrupt, torn or truncated records and garbage are skipped and counted per reason.\n"
      "Writes DATASET (.npy float32 [n, length, 1], raw sample values), DATASET_labels.npy\n"
      "(int32 [n], the device's decisions) and DATASET_meta.csv (time, device, model\n"
      "version, confidence, context, source file and offset per row).\n\n"
      "Examples:\n"
      "  mote data ingest dev1.log dev2.log -o field.npy\n"
      "  mote data ingest uart/*.bin -o field.npy --length 64 --json\n"
      "  mote train --model m.json --data field.npy --labels field_labels.npy -o m.bin");
  in->add_option("logs", io->logs, "log files")->required()->check(CLI::ExistingFile);
  in->add_option("-o,--output", io->out, "output .npy file")->required();
  in->add_option("--length", io->length,
                 "window length to keep (default: the most common); others are left out")
      ->check(CLI::Range(1, 65535));
  in->add_flag("--json", io->json, "counts and per-device summaries as JSON");
  in->callback([io] { RunIngest(*io); });
  auto k = std::make_shared<KwsCliOptions>();
  auto* kws = data->add_subcommand(
      "synth-kws",
      "A keyword-spotting dataset from espeak-ng and sox (both must be installed):\n"
      "the digits zero..nine, _silence_ (noise only) and _unknown_ (other words),\n"
      "1 s clips, 16 kHz mono 16-bit, the word at a random offset, white / pink /\n"
      "brown / babble noise at 5-30 dB SNR. Speakers (accent+variant) are split\n"
      "80/10/10 and no test speaker is heard in train or val. Same seed => same bytes.\n"
      "Writes DIR/<split>/<label>/*.wav, DIR/index.csv, DIR/summary.json.\n\n"
      "Examples:\n"
      "  mote data synth-kws -o kws                    400 clips per label, 2 jobs\n"
      "  mote data synth-kws -o tiny --per-class 10 --seed 7\n"
      "  mote data synth-kws -o us --voices en-us,en-us-nyc\n"
      "  mote data synth-kws --list-voices             speakers of each split");
  kws->add_option("-o,--output", k->o.out_dir, "output directory");
  kws->add_option("--seed", k->o.seed, "random seed (default 1)");
  kws->add_option("--per-class", k->o.per_class, "clips per label over all splits (default 400)")
      ->check(CLI::Range(1, 100000));
  kws->add_option("--voices", k->o.voices,
                  "comma list of accents (en-us) or speakers (en-us+m3) to use (default all)");
  kws->add_option("--jobs", k->o.jobs, "parallel workers (default 2)")->check(CLI::Range(1, 256));
  kws->add_flag("--overwrite", k->o.overwrite,
                "replace a previous dataset in DIR (its train/ val/ test/ index.csv summary.json)");
  kws->add_flag("--more-voices", k->o.more_voices,
                "58 more espeak-ng variants x 8 accents as TRAIN speakers (617 instead of 153;\n"
                "val and test speakers unchanged): +1.1 points of test clip accuracy measured\n"
                "(docs/kws_data.md)");
  kws->add_flag("--list-voices", k->list_voices, "print the speakers of each split and exit");
  kws->add_flag("--json", k->json, "print the result as JSON");
  kws->add_flag("-q,--quiet", k->quiet, "no progress on stderr");
  kws->callback([k] { SynthKwsCommand(*k); });

  auto t = std::make_shared<StreamCliOptions>();
  auto* st = data->add_subcommand(
      "synth-stream",
      "A long recording for false-accept / false-reject tests: background sentences\n"
      "and other words, changing noise, and K spoken digits at random times, spoken\n"
      "only by the TEST-split speakers of synth-kws (--split train / val: by those\n"
      "speakers instead). Writes FILE.wav (16 kHz mono\n"
      "16-bit), FILE.csv (keyword,start_s,end_s,speaker) and FILE.json.\n\n"
      "Examples:\n"
      "  mote data synth-stream -o stream.wav                 65 min, 240 keywords\n"
      "  mote data synth-stream -o short.wav --minutes 2 --keywords 10 --seed 3\n"
      "  mote data synth-stream -o talk.wav --split train --seed 5   training negatives\n"
      "                                     (TRAIN-split speakers, never a test speaker)\n"
      "  mote data synth-stream -o val.wav --split val --minutes 65 --keywords 240 --seed 2001\n"
      "                                     choosing the detector's operating point (VAL-split\n"
      "                                     speakers: neither trained on nor tested)");
  st->add_option("-o,--output", t->o.out_wav, "output .wav file")->required();
  st->add_option("--minutes", t->o.minutes, "length in minutes (default 65)");
  st->add_option("--keywords", t->o.keywords, "keywords to insert (default 240)");
  st->add_option("--seed", t->o.seed, "random seed (default 1)");
  st->add_option("--voices", t->o.voices, "restrict to these accents / speakers (of --split only)");
  st->add_option("--split", t->split,
                 "whose voices: test (default; for evaluation), val (for choosing thresholds) or\n"
                 "train (for training data)");
  st->add_option("--jobs", t->o.jobs, "parallel workers (default 2)")->check(CLI::Range(1, 256));
  st->add_flag("--more-voices", t->o.more_voices,
               "with --split train: the 617 train speakers of synth-kws --more-voices");
  st->add_flag("--json", t->json, "print the result as JSON");
  st->add_flag("-q,--quiet", t->quiet, "no progress on stderr");
  st->callback([t] { SynthStreamCommand(*t); });
}

}  // namespace mote::cli
