// `mote demo kws`: the keyword-spotting pipeline end to end (cli/demo_kws.cc),
// reached through `mote demo` (cli/demo.cc parses the options).
#ifndef MOTE_CLI_DEMO_KWS_H_
#define MOTE_CLI_DEMO_KWS_H_

#include <cstdint>
#include <string>

namespace mote::cli {

struct KwsDemoOptions {
  std::string out = "kws_demo";
  std::string data;     // a synth-kws directory; empty: generate OUT/data
  int per_class = 400;  // clips per label when generating
  bool more_voices = false;  // generated data (and wake-word talk) from the 617 train voices
  uint64_t seed = 1;    // data and weights
  int epochs = 0;       // 0: the recipe's 30
  int threads = 2;
  bool json = false;
  bool quiet = false;   // no per-epoch progress on stderr
};

void DemoKws(const KwsDemoOptions& o);

// The DS-CNN of examples/kws/model.json (49 x 10 MFCC in, 12 classes out).
const char* KwsModelJson();

}  // namespace mote::cli

#endif  // MOTE_CLI_DEMO_KWS_H_
