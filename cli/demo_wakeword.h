// `mote demo wakeword`: the wake-word model pipeline end to end
// (cli/demo_wakeword.cc), reached through `mote demo` (cli/demo.cc parses the
// options). Sweep and operating point: cli/wakeword_sweep.h.
#ifndef MOTE_CLI_DEMO_WAKEWORD_H_
#define MOTE_CLI_DEMO_WAKEWORD_H_

#include <string>
#include <vector>

#include "cli/demo_kws.h"

namespace mote::cli {

// The options both audio demos share (out, data, per_class, seed: data, talk
// stream and weights, epochs: 0 = the recipe's, threads, json, quiet), then
// the wake-word ones.
struct WakewordDemoOptions : KwsDemoOptions {
  int shifts = 2;              // time-shifted copies of every training clip
  double talk_minutes = 180;   // TRAIN-speaker background stream (negatives, mining)
  int talk_keywords = 0;       // keywords in it (0: 4 per minute)
  int negatives = 20000;       // talk windows added to _unknown_ before mining
  int mine_rounds = 3;         // hard-negative mining rounds
  int mine_epochs = 4;         // fine-tuning epochs per round
  int mine_max = 6000;         // hard negatives added per round (the highest scores)
  float mine_threshold = 0.2f; // a talk window is hard when a keyword's probability >= this
  int mine_positives = 0;      // per round and talk keyword: hard windows added as it (0: off)
  float mine_positive_below = 0.5f;  // a talk keyword window is hard below this probability of it
  std::string stream;          // TEST stream .wav (+ .csv); empty: generate OUT/stream.wav
  double stream_minutes = 65;  // when generating
  int stream_keywords = 240;
  std::vector<std::string> val_streams;  // VAL streams .wav (+ .csv), pooled, choosing the
                               // operating point; empty: generate OUT/val_stream.wav (seed + 2000)
  double val_minutes = 260;    // when generating: 4.2 h without keywords, so the choice
  int val_keywords = 960;      // resolves FA/h below 1 (the 65-min test stream cannot)
  std::string evaluate;        // an int8 model: skip training, only evaluate it (OUT/eval_report.json)
  int hop_ms = 500;            // hop of the chosen operating point (250 and 500 are swept)
  int look_back = 5;           // 500 ms family: look-back grid steps per hop (1 = off)
  std::vector<int> gates = {32, 64, 96, 128};  // its look-back gates swept (output units)
  double max_frr = 0.10;       // operating point on VAL (ChooseOperatingPoint): FRR limit,
  double max_fa_per_hour = 0.5;  // and the FA/h budget within which the lowest FRR wins
  std::vector<std::string> verifiers;  // int8 verifier models (a cascade); empty: the model alone
  int verify_units = 128;      // the first model's best keyword score that runs them
  int spec_time_masks = 0;     // SpecAugment-style masks per training example (FitOptions)
  int spec_time_width = 0;
  int spec_freq_masks = 0;
  int spec_freq_width = 0;
  double label_smoothing = 0;  // softened training targets (FitOptions); 0: off
  double ema = 0;  // >0: the optimizer's use_ema with this ema_momentum, every fit; 0: off
  int filters = 32;                   // channels of the four Conv2D layers (model.json: 32)
  std::vector<std::string> teachers;  // float models (wakeword_float.bin): distillation; empty: off
  double distill_weight = 0.5;        // the teachers' share of each training target
};

void DemoWakeword(const WakewordDemoOptions& o);

// The DS-CNN recipe of the wake-word model (49 x 10 MFCC in, 12 classes out).
const char* WakewordModelJson();

}  // namespace mote::cli

#endif  // MOTE_CLI_DEMO_WAKEWORD_H_
