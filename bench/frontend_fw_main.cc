// Front end on Cortex-M under QEMU (built and run by bench/frontend_bench.py,
// not by firmware/CMakeLists.txt): the KWS config (16 kHz, 30/20 ms, FFT 512,
// 40 mel, 10 MFCC, 49 frames), fixed and float paths, 1 s of audio pushed in
// 20 ms chunks as a microphone driver would. Prints per path:
//   path=<fixed|float> scratch=<bytes> frames=<n> init_stack=<bytes> push_stack=<bytes>
// and the QEMU plugin prints `mote-insns N` for Init and for the 1 s push.
#include <stdint.h>

#include "firmware/board.h"
#include "micro/dsp/frontend.h"

using mote::micro::ErrorText;
using mote::micro::Status;
namespace dsp = mote::micro::dsp;

namespace {

alignas(8) uint8_t g_scratch[12288];
int16_t g_pcm[16000];

// Speech-like test audio without floating point: a 140 Hz pulse train through
// a two-pole resonator whose centre moves, plus LFSR noise, about -12 dBFS.
void MakeAudio() {
  uint32_t lfsr = 0xACE1u;
  int32_t y1 = 0, y2 = 0;
  for (int i = 0; i < 16000; ++i) {
    lfsr = (lfsr >> 1) ^ (0u - (lfsr & 1u) & 0xB400u);
    const int32_t pulse = (i % 114) == 0 ? 12000 : 0;
    const int32_t a1 = 30000 + (i / 2000) * 300;  // Q14 resonator, r ~ 0.96
    const int32_t y = pulse + ((a1 * y1) >> 14) - ((15000 * y2) >> 14) +
                      static_cast<int32_t>(lfsr & 0x3FFu) - 512;
    y2 = y1;
    y1 = y > 32767 ? 32767 : y < -32768 ? -32768 : y;
    g_pcm[i] = static_cast<int16_t>(y1 / 2);
  }
}

void Run(dsp::FrontEndPath path, const char* name, uint32_t* failed) {
  const dsp::FrontEndConfig c = dsp::KwsConfig();
  dsp::FrontEnd fe;
  ErrorText err;
  MoteStackPaint();
  MoteMarkBegin();
  const Status s = fe.Init(c, nullptr, path, g_scratch, sizeof g_scratch, &err);
  MoteMarkEnd();
  const uint32_t init_stack = MoteStackUsed();
  if (s != Status::kOk) {
    MoteWrite(err.c_str());
    MoteWrite("\n");
    ++*failed;
    return;
  }
  MoteStackPaint();
  int frames = 0;
  MoteMarkBegin();
  for (int i = 0; i < 16000; i += 320) frames += fe.PushSamples(g_pcm + i, 320);
  MoteMarkEnd();
  const uint32_t push_stack = MoteStackUsed();
  int16_t out[49 * 10];
  fe.CopyFrames(out);
  int32_t checksum = 0;
  for (int16_t v : out) checksum = checksum * 31 + v;
  MoteWrite("path=");
  MoteWrite(name);
  MoteWrite(" scratch=");
  MoteWriteU(dsp::FrontEnd::ScratchBytes(c, path));
  MoteWrite(" frames=");
  MoteWriteI(frames);
  MoteWrite(" init_stack=");
  MoteWriteU(init_stack);
  MoteWrite(" push_stack=");
  MoteWriteU(push_stack);
  MoteWrite(" checksum=");
  MoteWriteI(checksum);
  MoteWrite("\n");
  if (frames != 49) ++*failed;
}

}  // namespace

int main() {
  MakeAudio();
  uint32_t failed = 0;
  Run(dsp::FrontEndPath::kFixed, "fixed", &failed);
  Run(dsp::FrontEndPath::kFloat, "float", &failed);
  MoteExit(failed == 0 ? 0 : 1);
}
