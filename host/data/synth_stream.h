// A long test recording for wake-word detectors (`mote data synth-stream`):
// background speech (random sentences and single non-keyword words), noise
// beds that change every segment, and spoken digits inserted at random times,
// with a ground-truth CSV. Only speakers of the TEST split talk (see
// AllSpeakers()), so a model trained on synth-kws's train split never heard them.
// `split = kTrain` makes the same kind of recording from TRAIN-split speakers
// only (background talk / hard negatives for training, `--split train`), and
// `split = kVal` one from the VAL-split speakers (choosing a detector's
// threshold without looking at the test stream, `--split val`); no two of the
// three share a speaker.
//
// Contract: the recording is cut into `keywords` equal segments; each holds
// exactly one keyword at a random time (at least 0.5 s from the segment's
// edges, never overlapping background speech, 0.4 s guard on each side) and is
// generated from its own seed, MixSeed(seed, segment), so the bytes do not
// depend on --jobs. Files:
//   FILE.wav   mono 16-bit 16 kHz, minutes * 60 s long
//   FILE.csv   keyword,start_s,end_s,speaker   (one row per keyword, in time order)
//   FILE.json  duration, keyword count and seconds, non-keyword hours, speakers, seed
//
//   SynthStreamOptions o;  o.out_wav = "stream.wav";  o.minutes = 65;  o.keywords = 240;
//   SynthStreamSummary s;  std::string err;
//   if (!SynthStream(o, &s, &err)) { std::cerr << err; }
#ifndef MOTE_HOST_DATA_SYNTH_STREAM_H_
#define MOTE_HOST_DATA_SYNTH_STREAM_H_

#include <cstdint>
#include <string>

namespace mote::data {

struct SynthStreamOptions {
  std::string out_wav;
  double minutes = 65;  // >= 1 hour of non-keyword audio by default
  int keywords = 240;
  uint64_t seed = 1;
  std::string voices;  // comma list of accents or speaker ids (only `split`'s speakers are used)
  int split = 2;       // speakers of this split: 0 train, 1 val, 2 test (the default)
  bool more_voices = false;  // AllSpeakers(true): more train speakers (split 0 only)
  int jobs = 2;
  bool progress = true;
};

struct SynthStreamSummary {
  int64_t samples = 0;
  int keywords = 0;
  double keyword_seconds = 0;  // sum of the keywords' durations
  double seconds = 0;          // wall time
  std::string csv_path, json_path;
};

// The CSV and JSON paths next to the WAV: "x.wav" -> "x.csv", "x.json".
std::string StreamSidecarPath(const std::string& wav, const std::string& ext);

bool SynthStream(const SynthStreamOptions& options, SynthStreamSummary* summary, std::string* err);

}  // namespace mote::data

#endif  // MOTE_HOST_DATA_SYNTH_STREAM_H_
