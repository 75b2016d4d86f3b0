// Per-stage instruction counts of the fixed-point front end on Cortex-M under
// QEMU (built and run by bench/frontend_stages.py, not by firmware/): the KWS
// config (16 kHz, 30/20 ms, FFT 512, 40 mel, 10 MFCC), the same test audio as
// bench/frontend_fw_main.cc, 49 frames. Each frame calls the stages of
// FrontEnd::FrameS16 one by one with MoteMarkNode between them, so the QEMU
// plugin prints one `mote-node-insns N` per stage and frame, in this order:
//   window (pre-emphasis, window, block scaling, zero pad), fft, mel
//   (power + filterbank), log, dct.
// The block scaling and log steps are copies of FrameS16's loops (bench
// only); window, FFT, mel and DCT are the library functions. MoteMarkBegin/End bracket the
// whole FrontEnd::PushSamples of 1 s for the total.
#include <stdint.h>

#include "firmware/board.h"
#include "micro/dsp/dct.h"
#include "micro/dsp/dsp_math.h"
#include "micro/dsp/fft.h"
#include "micro/dsp/filters.h"
#include "micro/dsp/frontend.h"
#include "micro/dsp/mel.h"
#include "micro/dsp/window.h"

namespace dsp = mote::micro::dsp;

namespace {

constexpr int kN = 512, kWin = 480, kHop = 320, kBands = 40, kMfcc = 10;
alignas(8) uint8_t g_scratch[12288];
int16_t g_pcm[16000];
int32_t g_buf[kN];
int16_t g_win[kWin];
uint16_t g_start[kBands], g_count[kBands];
int16_t g_weights[kN];
int32_t g_ln_scale[kBands];
uint64_t g_acc[kBands];
int32_t g_log[kBands], g_out[kMfcc];
int16_t g_dct[kBands * kMfcc];

void MakeAudio() {  // as bench/frontend_fw_main.cc
  uint32_t lfsr = 0xACE1u;
  int32_t y1 = 0, y2 = 0;
  for (int i = 0; i < 16000; ++i) {
    lfsr = (lfsr >> 1) ^ (0u - (lfsr & 1u) & 0xB400u);
    const int32_t pulse = (i % 114) == 0 ? 12000 : 0;
    const int32_t a1 = 30000 + (i / 2000) * 300;
    const int32_t y = pulse + ((a1 * y1) >> 14) - ((15000 * y2) >> 14) +
                      static_cast<int32_t>(lfsr & 0x3FFu) - 512;
    y2 = y1;
    y1 = y > 32767 ? 32767 : y < -32768 ? -32768 : y;
    g_pcm[i] = static_cast<int16_t>(y1 / 2);
  }
}

}  // namespace

int main() {
  MakeAudio();
  const dsp::FrontEndConfig c = dsp::KwsConfig();
  if (dsp::MelWeightCount(c) > kN) MoteExit(1);
  dsp::FillWindowQ15(c.window, kWin, g_win);
  dsp::BuildMelBankQ15(c, g_start, g_count, g_weights, g_ln_scale);
  dsp::FillDctQ15(kMfcc, kBands, g_dct);
  const int32_t pre = static_cast<int32_t>(c.preemphasis * 32768.0f + 0.5f);
  int64_t checksum = 0;
  MoteMarkNode();
  for (int f = 0; f + kWin <= 16000; f += kHop) {
    const int16_t* x = g_pcm + f;
    const uint32_t peak = dsp::WindowS16(x, kWin, pre, f > 0 ? x[-1] : 0, g_win, g_buf);
    const int s = dsp::FftInputBits(kN) - dsp::BitLength64(peak);
    if (s > 0) {
      for (int i = 0; i < kWin; ++i) g_buf[i] *= (1 << s);
    } else if (s < 0) {
      for (int i = 0; i < kWin; ++i) g_buf[i] = static_cast<int32_t>(dsp::RoundShift(g_buf[i], -s));
    }
    for (int i = kWin; i < kN; ++i) g_buf[i] = 0;
    MoteMarkNode();  // window
    dsp::RealFftS32(g_buf, kN);
    MoteMarkNode();  // fft
    const int shift = dsp::MelEnergiesS32(kBands, g_start, g_count, g_weights, g_buf, kN, g_acc);
    MoteMarkNode();  // mel
    const int32_t e = (shift - 75 - 2 * s + 18) * 65536;
    for (int m = 0; m < kBands; ++m) {
      const int64_t l2 = static_cast<int64_t>(dsp::Log2Q16(g_acc[m] | 1u)) + e;
      g_log[m] = static_cast<int32_t>(((l2 * 744261118 + (int64_t{1} << 29)) >> 30) + g_ln_scale[m]);
    }
    MoteMarkNode();  // log
    dsp::DctQ16(g_dct, g_log, kBands, kMfcc, g_out);
    MoteMarkNode();  // dct
    for (int k = 0; k < kMfcc; ++k) checksum = checksum * 31 + g_out[k];
  }
  // The whole front end for the same second of audio, 20 ms pushes.
  dsp::FrontEnd fe;
  mote::micro::ErrorText err;
  if (fe.Init(c, nullptr, dsp::FrontEndPath::kFixed, g_scratch, sizeof g_scratch, &err) !=
      mote::micro::Status::kOk)
    MoteExit(1);
  int frames = 0;
  MoteMarkBegin();
  for (int i = 0; i < 16000; i += 320) frames += fe.PushSamples(g_pcm + i, 320);
  MoteMarkEnd();
  int16_t out[49 * 10];
  fe.CopyFrames(out);
  int32_t feature_checksum = 0;
  for (int16_t v : out) feature_checksum = feature_checksum * 31 + v;
  MoteWrite("frames=");
  MoteWriteI(frames);
  MoteWrite(" feature_checksum=");
  MoteWriteI(feature_checksum);
  MoteWrite(" stage_checksum=");
  MoteWriteI(static_cast<int32_t>(checksum));
  MoteWrite("\n");
  MoteExit(frames == 49 ? 0 : 1);
}
