// Building blocks of the synthetic speech data (synth_kws, synth_stream):
// the speaker list and its fixed train/val/test split, speech from espeak-ng
// shaped by sox (tempo, pitch, reverb), noise beds (white/pink/brown from sox
// synth, babble from mixed speech) and the level / mixing maths.
//
// Contract: every function is deterministic: the same arguments (and the same
// espeak-ng and sox versions) give the same samples. Speech comes back at
// 16 kHz, float, trimmed to the voiced part. The helper programs run as
// subprocesses with argument vectors (no shell); CheckTools() names the one
// that is missing.
//
//   std::string err;
//   if (!CheckTools(&err)) { ... "espeak-ng not found in PATH ..." }
//   const auto speakers = AllSpeakers();               // 8 accents x 24 variants
//   SpeechParams p = RandomSpeechParams(rng, /*max_seconds=*/0.9);
//   auto x = SynthesizeSpeech("seven", speakers[3], p, tmp_prefix, &err);
#ifndef MOTE_HOST_DATA_SYNTH_AUDIO_H_
#define MOTE_HOST_DATA_SYNTH_AUDIO_H_

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "host/train/rng.h"

namespace mote::data {

constexpr int kSynthRate = 16000;

enum class Split { kTrain = 0, kVal = 1, kTest = 2 };
const char* SplitName(Split s);

// A speaker identity: an espeak-ng accent (voice) and a variant (timbre).
struct Speaker {
  std::string accent;   // e.g. "en-gb-scotland"
  std::string variant;  // e.g. "m3", "f2", "croak"
  Split split = Split::kTrain;
  std::string Id() const { return accent + "+" + variant; }
};

// The 8 English accents x 24 variants. The split is fixed by the speaker's
// place in the two lists: h = (accent_index + 3 * variant_index) mod 10,
// h == 0 -> test, h == 1 -> val, else train (153 / 19 / 20 speakers).
// more_voices: then 8 accents x 58 more variants, all train (617 train
// speakers, 656 in all); the val and test speakers do not change.
std::vector<Speaker> AllSpeakers(bool more_voices = false);
// Keeps speakers whose accent or id is listed (comma separated); empty keeps all.
std::vector<Speaker> FilterSpeakers(const std::vector<Speaker>& all, const std::string& list,
                                    std::string* err);

// Checks that espeak-ng and sox run; on failure *err says which and how to install.
bool CheckTools(std::string* err);
// "espeak-ng 1.51; sox 14.4.2" (for the summary files).
std::string ToolVersions();

struct SpeechParams {
  int pitch = 50;        // espeak-ng -p, 0..99
  int speed = 160;       // espeak-ng -s, words per minute
  int word_gap = 0;      // espeak-ng -g, units of 10 ms
  double tempo = 1.0;    // sox tempo factor (duration / tempo)
  int cents = 0;         // sox pitch shift
  int reverb = 0;        // sox reverb reverberance %, 0 = none
  int room = 0;          // sox reverb room scale %
  double max_seconds = 0;  // >0: raise the tempo so the speech fits
  std::string Describe() const;  // "pitch=..;speed=..;..." for index files
};
SpeechParams RandomSpeechParams(train::Rng& rng, double max_seconds);

// Speech at 16 kHz, trimmed to the voiced part; empty optional + *err on failure.
// tmp_prefix: a path prefix for this caller's scratch files (one per thread).
std::optional<std::vector<float>> SynthesizeSpeech(const std::string& text, const Speaker& who,
                                                   const SpeechParams& p,
                                                   const std::string& tmp_prefix, std::string* err);

// Noise beds at 16 kHz with unit RMS. Babble is built from `babble_speakers`.
enum class NoiseKind { kWhite = 0, kPink, kBrown, kBabble, kCount };
const char* NoiseName(NoiseKind k);
struct NoiseBank {
  std::vector<float> beds[static_cast<int>(NoiseKind::kCount)];
  const std::vector<float>& Of(NoiseKind k) const { return beds[static_cast<int>(k)]; }
};
std::optional<NoiseBank> MakeNoiseBank(const std::vector<Speaker>& babble_speakers, double seconds,
                                       uint64_t seed, const std::string& tmp_prefix,
                                       std::string* err);

// Adds gain * bed[start ...] (wrapping) to out[0, n).
void AddNoise(const std::vector<float>& bed, size_t start, float gain, float* out, size_t n);
double Rms(const float* x, size_t n);
inline double DbToGain(double db) { return std::pow(10.0, db / 20.0); }

// Word lists: the ten keywords, words for _unknown_ (no digits, no homophones
// of digits such as "for", "to", "won", "ate"), and random sentences of them.
const std::vector<std::string>& DigitWords();
const std::vector<std::string>& UnknownWords();
std::string RandomSentence(train::Rng& rng);

// A per-item generator: independent of the order items are made in.
uint64_t MixSeed(uint64_t seed, uint64_t a, uint64_t b = 0);

// Runs work(i, worker, err) for i in [0, n) on `jobs` threads (worker in
// [0, jobs)); stops at the first failure and returns its error. With a label,
// prints "\r<label>: done/n items, x/s" on stderr about twice a second.
bool ParallelFor(size_t n, int jobs,
                 const std::function<bool(size_t, int, std::string*)>& work,
                 const char* progress_label, std::string* err);

// A fresh directory for scratch files, removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir() = default;
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  bool Create(std::string* err);  // under $TMPDIR or /tmp
  // A path prefix for one worker's files: "<dir>/w<worker>_".
  std::string Prefix(int worker) const { return path_ + "/w" + std::to_string(worker) + "_"; }

 private:
  std::string path_;
};

}  // namespace mote::data

#endif  // MOTE_HOST_DATA_SYNTH_AUDIO_H_
