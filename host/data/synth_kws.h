// The synthetic keyword-spotting dataset (`mote data synth-kws`): spoken
// digits "zero" ... "nine" plus _silence_ and _unknown_ (12 classes, like the
// MLPerf Tiny KWS model), 1 s clips at 16 kHz mono 16-bit, made by espeak-ng
// (accent, variant, pitch, speed) and sox (tempo, pitch shift, reverb) and
// mixed here with noise (white / pink / brown / babble / near silence) at a
// random SNR, the word at a random offset.
//
// Contract: the same options (seed, per_class, voices) and the same espeak-ng
// and sox versions give the same bytes in every file, whatever --jobs is: each
// clip draws its parameters from its own generator, MixSeed(seed, class, index).
// The speakers of the test split never speak in train or val (the split of a
// speaker is fixed, see AllSpeakers()). Output:
//   DIR/<split>/<label>/<label>_<index>_<speaker>.wav
//   DIR/index.csv     path,label,split,speaker,params   (paths relative to DIR)
//   DIR/summary.json  counts per split and label, speakers per split, tools
// A non-empty DIR is refused unless `overwrite`, which first removes the
// previous train/ val/ test/ index.csv summary.json (nothing else), so no stale
// clips of a larger earlier run remain.
//
//   SynthKwsOptions o;  o.out_dir = "kws";  o.per_class = 400;
//   SynthKwsSummary s;  std::string err;
//   if (!SynthKws(o, &s, &err)) { std::cerr << err; }
#ifndef MOTE_HOST_DATA_SYNTH_KWS_H_
#define MOTE_HOST_DATA_SYNTH_KWS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mote::data {

// The 12 labels in class-index order: zero ... nine, _silence_, _unknown_.
const std::vector<std::string>& KwsLabels();

struct SynthKwsOptions {
  std::string out_dir;
  uint64_t seed = 1;
  int per_class = 400;  // clips per label over all splits (about 80/10/10 %)
  std::string voices;   // comma list of accents or speaker ids; empty = all
  bool more_voices = false;  // AllSpeakers(true): 464 more train-only speakers
  int jobs = 2;
  bool progress = true;    // progress lines on stderr
  bool overwrite = false;  // replace a previous dataset in out_dir (else out_dir must be empty)
};

struct SynthKwsSummary {
  int clips = 0;
  int64_t clipped_samples = 0;  // samples clamped to int16 full scale
  int64_t bytes = 0;            // WAV bytes written
  double seconds = 0;           // wall time (not written to any file)
};

// Clips per split for one label: {train, val, test}.
void KwsSplitCounts(int per_class, int counts[3]);

bool SynthKws(const SynthKwsOptions& options, SynthKwsSummary* summary, std::string* err);

}  // namespace mote::data

#endif  // MOTE_HOST_DATA_SYNTH_KWS_H_
