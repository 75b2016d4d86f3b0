// Streaming audio front end: int16 (or float) samples in, feature frames out
// into a ring of the last `config.frames` frames, ready to be copied into a
// model input. Frame t covers samples [t*hop, t*hop + window) of the stream;
// per frame: DC blocker (stream) -> pre-emphasis -> window -> zero-pad to
// fft_size -> real FFT -> |X|^2 -> mel bank -> ln(max(., floor)) -> DCT-II
// (MFCC) -> (x - mean) / std. Exact maths: docs/audio_frontend.md.
//
// Two paths from one config:
//   kFloat  float32 throughout (samples as x / 32768 for int16 input).
//   kFixed  int16 in, integer only per frame (block-scaled FFT, Q31 twiddles,
//           64-bit mel sums, Q16 log), int16 features out as value * 2^frac_bits.
// Tables (window, sparse mel bank, DCT, normalisation) are built in Init into
// the caller's scratch buffer (double maths, once); nothing is allocated, no
// globals, no floating point per frame on the fixed path.
//
//   FrontEndConfig c = KwsConfig();
//   static uint8_t scratch[8192];                  // >= FrontEnd::ScratchBytes(c, kFixed)
//   FrontEnd fe;
//   if (fe.Init(c, nullptr, FrontEndPath::kFixed, scratch, sizeof scratch, &err) != Status::kOk) ...
//   fe.PushSamples(pcm, 320);                      // any chunk size; returns frames emitted
//   if (fe.frames_ready() == c.frames) fe.CopyFrames(model_input_s16);  // oldest first
//   // or: fe.CopyFramesS8(model_input_s8, input_scale, input_zero_point);
//
// Look-back: Init(..., history) keeps `history` frames more than the model's
// window, so CopyFrames*(out, ..., back) can also give the window that ended
// `back` frames ago (a wake-word detector re-checks the moments between two
// hops without having kept their audio: micro/wakeword/detector.h).
#ifndef MOTE_MICRO_DSP_FRONTEND_H_
#define MOTE_MICRO_DSP_FRONTEND_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/dsp/config.h"
#include "micro/dsp/filters.h"
#include "micro/status.h"

namespace mote::micro::dsp {

enum class FrontEndPath : uint8_t { kFloat = 0, kFixed = 1 };

constexpr int kMaxHistoryFrames = 1024;

class FrontEnd {
 public:
  // Bytes of scratch Init needs (0 if the config or history is invalid).
  static size_t ScratchBytes(const FrontEndConfig& c, FrontEndPath path, int history = 0);

  // REQUIRES: norm != nullptr when c.normalize (statistics per feature).
  // history (0..kMaxHistoryFrames): frames kept beyond c.frames for look-back.
  Status Init(const FrontEndConfig& c, const FeatureNorm* norm, FrontEndPath path, void* scratch,
              size_t scratch_bytes, ErrorText* err, int history = 0);
  // Forgets the stream (filters, partial frame, ring); keeps the tables.
  void Reset();

  // Returns the number of frames emitted by this call.
  int PushSamples(const int16_t* x, size_t n);
  // Float path only (samples in [-1, 1)); returns -1 on the fixed path.
  int PushSamples(const float* x, size_t n);

  int num_features() const { return features_; }
  uint32_t frames_emitted() const { return emitted_; }
  // Frames in the ring: min(frames emitted, config.frames + history).
  int frames_stored() const {
    return emitted_ < static_cast<uint32_t>(rows_) ? static_cast<int>(emitted_) : rows_;
  }
  // Frames of the window ending `back` frames before the newest:
  // min(config.frames, frames_stored() - back), 0 if back is out of range.
  int frames_ready(int back = 0) const;
  const FrontEndConfig& config() const { return config_; }
  FrontEndPath path() const { return path_; }

  // The last frames_ready() frames, oldest first, out[t * num_features() + f]
  // (with `back`: the frames_ready(back) frames that end `back` frames before
  // the newest; nothing is written when that is 0).
  // Float values (the fixed path divides by 2^frac_bits) ...
  void CopyFrames(float* out, int back = 0) const;
  // ... or int16 value * 2^frac_bits (the float path rounds and saturates) ...
  void CopyFrames(int16_t* out, int back = 0) const;
  // ... or quantized for an int8 model input: q = round(value / scale) + zero_point,
  // saturated to [-128, 127]. The fixed path turns 1 / (scale * 2^frac_bits)
  // into a Q31 multiplier and shift once per call, then uses integers only.
  // REQUIRES: scale > 0 and finite.
  void CopyFramesS8(int8_t* out, float scale, int32_t zero_point, int back = 0) const;

 private:
  template <typename Sample>
  int Push(const Sample* x, size_t n);
  void FrameF32();
  void FrameS16();
  void Emit();
  // First ring row of the window ending `back` frames ago; *count frames.
  int WindowStart(int back, int* count) const;

  FrontEndConfig config_{};
  FrontEndPath path_ = FrontEndPath::kFloat;
  int window_ = 0, hop_ = 0, features_ = 0;
  bool ready_ = false;
  // Stream state.
  int filled_ = 0;
  uint32_t skip_ = 0, emitted_ = 0;
  int head_ = 0;               // next ring row
  int rows_ = 0;               // ring rows: config.frames + history
  float prev_f_ = 0.0f;        // sample before hist[0] (pre-emphasis)
  int16_t prev_s_ = 0;
  DcBlockerF32 dc_f_;
  DcBlockerS16 dc_s_;
  // Tables and buffers in the scratch.
  float* hist_f_ = nullptr;
  int16_t* hist_s_ = nullptr;
  float* win_f_ = nullptr;
  int16_t* win_s_ = nullptr;
  float* fft_f_ = nullptr;
  int32_t* fft_s_ = nullptr;
  uint16_t* mel_start_ = nullptr;
  uint16_t* mel_count_ = nullptr;
  float* mel_w_f_ = nullptr;
  int16_t* mel_w_s_ = nullptr;
  int32_t* mel_ln_scale_ = nullptr;
  uint64_t* mel_acc_ = nullptr;
  float* work_f_ = nullptr;    // mel_bands (log-mel) + features
  int32_t* work_s_ = nullptr;
  float* dct_f_ = nullptr;
  int16_t* dct_s_ = nullptr;
  float* mean_f_ = nullptr;
  float* inv_std_f_ = nullptr;
  int32_t* mean_s_ = nullptr;
  int32_t* inv_std_s_ = nullptr;
  float* ring_f_ = nullptr;
  int16_t* ring_s_ = nullptr;
  float pre_f_ = 0.0f, floor_ln_f_ = 0.0f;
  int32_t pre_s_ = 0, floor_ln_s_ = 0;
};

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_FRONTEND_H_
