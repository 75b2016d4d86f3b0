#include "micro/dsp/frontend.h"

#include <string.h>

#include "micro/dsp/dct.h"
#include "micro/dsp/dsp_math.h"
#include "micro/dsp/fft.h"
#include "micro/dsp/mel.h"
#include "micro/dsp/window.h"

namespace mote::micro::dsp {
namespace {

constexpr int32_t kLn2Q30 = 744261118;  // round(ln 2 * 2^30)

// Hands out 8-byte aligned pieces of the scratch; with base == nullptr it only counts.
struct Carver {
  uint8_t* base;
  size_t used = 0;
  template <typename T>
  T* Take(size_t n) {
    used = (used + 7u) & ~size_t{7};
    T* p = base != nullptr ? reinterpret_cast<T*>(base + used) : nullptr;
    used += n * sizeof(T);
    return p;
  }
};

int32_t RoundToInt32(double v) {
  const double r = v >= 0 ? v + 0.5 : v - 0.5;
  return r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN : static_cast<int32_t>(r);
}
int16_t Q15(float a) { return static_cast<int16_t>(RoundToInt32(static_cast<double>(a) * 32768.0)); }

// Pointers of the scratch layout, shared by ScratchBytes and Init.
struct Layout {
  float *hist_f = nullptr, *win_f = nullptr, *fft_f = nullptr, *mel_w_f = nullptr,
        *work_f = nullptr, *dct_f = nullptr, *mean_f = nullptr, *inv_std_f = nullptr,
        *ring_f = nullptr;
  int16_t *hist_s = nullptr, *win_s = nullptr, *mel_w_s = nullptr, *dct_s = nullptr,
          *ring_s = nullptr;
  int32_t *fft_s = nullptr, *mel_ln_scale = nullptr, *work_s = nullptr, *mean_s = nullptr,
          *inv_std_s = nullptr;
  uint16_t *mel_start = nullptr, *mel_count = nullptr;
  uint64_t* mel_acc = nullptr;
};

size_t Carve(const FrontEndConfig& c, FrontEndPath path, int rows, uint8_t* base, Layout* l) {
  Carver k{base};
  const int win = WindowSamples(c), n = c.fft_size, bands = c.mel_bands;
  const int feats = NumFeatures(c), weights = MelWeightCount(c);
  const int dct = c.feature == FeatureType::kMfcc ? c.num_mfcc * bands : 0;
  const int stats = c.normalize ? feats : 0;
  l->mel_start = k.Take<uint16_t>(bands);
  l->mel_count = k.Take<uint16_t>(bands);
  if (path == FrontEndPath::kFloat) {
    l->hist_f = k.Take<float>(win);
    l->win_f = k.Take<float>(win);
    l->fft_f = k.Take<float>(n);
    l->mel_w_f = k.Take<float>(weights);
    l->work_f = k.Take<float>(bands + feats);
    l->dct_f = k.Take<float>(dct);
    l->mean_f = k.Take<float>(stats);
    l->inv_std_f = k.Take<float>(stats);
    l->ring_f = k.Take<float>(static_cast<size_t>(rows) * feats);
  } else {
    l->hist_s = k.Take<int16_t>(win);
    l->win_s = k.Take<int16_t>(win);
    l->fft_s = k.Take<int32_t>(n);
    l->mel_w_s = k.Take<int16_t>(weights);
    l->mel_ln_scale = k.Take<int32_t>(bands);
    l->mel_acc = k.Take<uint64_t>(bands);
    l->work_s = k.Take<int32_t>(bands + feats);
    l->dct_s = k.Take<int16_t>(dct);
    l->mean_s = k.Take<int32_t>(stats);
    l->inv_std_s = k.Take<int32_t>(stats);
    l->ring_s = k.Take<int16_t>(static_cast<size_t>(rows) * feats);
  }
  return (k.used + 7u) & ~size_t{7};
}

}  // namespace

size_t FrontEnd::ScratchBytes(const FrontEndConfig& c, FrontEndPath path, int history) {
  FrontEndConfig probe = c;
  probe.normalize = 0;  // statistics are not needed to size the buffers
  if (ValidateConfig(probe, nullptr, nullptr) != Status::kOk) return 0;
  if (history < 0 || history > kMaxHistoryFrames) return 0;
  Layout l;
  // + 8: the caller's buffer may be misaligned
  return Carve(c, path, c.frames + history, nullptr, &l) + 8;
}

Status FrontEnd::Init(const FrontEndConfig& c, const FeatureNorm* norm, FrontEndPath path,
                      void* scratch, size_t scratch_bytes, ErrorText* err, int history) {
  ready_ = false;
  if (Status s = ValidateConfig(c, norm, err); s != Status::kOk) return s;
  if (path != FrontEndPath::kFloat && path != FrontEndPath::kFixed)
    return Fail(err, Status::kBadArgument, "front end: unknown path");
  if (history < 0 || history > kMaxHistoryFrames)
    return Fail(err, Status::kBadArgument, "front end: history of ", history,
                " frames, expected 0..", kMaxHistoryFrames);
  const size_t need = ScratchBytes(c, path, history);
  if (scratch == nullptr || scratch_bytes < need)
    return Fail(err, Status::kArenaTooSmall, "front end: scratch of ",
                static_cast<int64_t>(scratch_bytes), " bytes, need ", static_cast<int64_t>(need));
  uint8_t* base = static_cast<uint8_t*>(scratch);
  base += (8u - (reinterpret_cast<uintptr_t>(base) & 7u)) & 7u;
  Layout l;
  Carve(c, path, c.frames + history, base, &l);
  config_ = c;
  rows_ = c.frames + history;
  path_ = path;
  window_ = WindowSamples(c);
  hop_ = HopSamples(c);
  features_ = NumFeatures(c);
  hist_f_ = l.hist_f; win_f_ = l.win_f; fft_f_ = l.fft_f; mel_w_f_ = l.mel_w_f;
  work_f_ = l.work_f; dct_f_ = l.dct_f; mean_f_ = l.mean_f; inv_std_f_ = l.inv_std_f;
  ring_f_ = l.ring_f; hist_s_ = l.hist_s; win_s_ = l.win_s; mel_w_s_ = l.mel_w_s;
  dct_s_ = l.dct_s; ring_s_ = l.ring_s; fft_s_ = l.fft_s; mel_ln_scale_ = l.mel_ln_scale;
  work_s_ = l.work_s; mean_s_ = l.mean_s; inv_std_s_ = l.inv_std_s;
  mel_start_ = l.mel_start; mel_count_ = l.mel_count; mel_acc_ = l.mel_acc;
  const bool mfcc = c.feature == FeatureType::kMfcc;
  if (path == FrontEndPath::kFloat) {
    FillWindowF32(c.window, window_, win_f_);
    BuildMelBankF32(c, mel_start_, mel_count_, mel_w_f_);
    if (mfcc) FillDctF32(c.num_mfcc, c.mel_bands, dct_f_);
    for (int f = 0; c.normalize && f < features_; ++f) {
      mean_f_[f] = norm->mean[f];
      inv_std_f_[f] = 1.0f / norm->std[f];
    }
    pre_f_ = c.preemphasis;
    floor_ln_f_ = static_cast<float>(LogD(c.log_floor));
  } else {
    FillWindowQ15(c.window, window_, win_s_);
    BuildMelBankQ15(c, mel_start_, mel_count_, mel_w_s_, mel_ln_scale_);
    if (mfcc) FillDctQ15(c.num_mfcc, c.mel_bands, dct_s_);
    for (int f = 0; c.normalize && f < features_; ++f) {
      mean_s_[f] = RoundToInt32(static_cast<double>(norm->mean[f]) * 65536.0);
      inv_std_s_[f] = RoundToInt32(65536.0 / norm->std[f]);
    }
    pre_s_ = Q15(c.preemphasis);
    floor_ln_s_ = RoundToInt32(LogD(c.log_floor) * 65536.0);
  }
  ready_ = true;
  Reset();
  return Status::kOk;
}

void FrontEnd::Reset() {
  filled_ = 0;
  skip_ = 0;
  emitted_ = 0;
  head_ = 0;
  prev_f_ = 0.0f;
  prev_s_ = 0;
  dc_f_.Init(config_.dc_alpha);
  dc_s_.Init(Q15(config_.dc_alpha));
}

int FrontEnd::PushSamples(const int16_t* x, size_t n) { return ready_ ? Push(x, n) : 0; }

int FrontEnd::PushSamples(const float* x, size_t n) {
  if (!ready_ || path_ != FrontEndPath::kFloat) return -1;
  return Push(x, n);
}

template <typename Sample>
int FrontEnd::Push(const Sample* x, size_t n) {
  constexpr bool kIntIn = sizeof(Sample) == 2;
  const bool fixed = path_ == FrontEndPath::kFixed;
  const bool dc = config_.dc_alpha > 0.0f;
  int frames = 0;
  while (n > 0) {
    if (skip_ > 0) {  // hop > window: samples between frames still run the DC blocker
      if (fixed) {
        int16_t s = static_cast<int16_t>(x[0]);
        if (dc) dc_s_.Process(&s, &s, 1);
        prev_s_ = s;
      } else {
        float s = kIntIn ? static_cast<float>(x[0]) * (1.0f / 32768.0f) : static_cast<float>(x[0]);
        if (dc) dc_f_.Process(&s, &s, 1);
        prev_f_ = s;
      }
      --skip_;
      ++x;
      --n;
      continue;
    }
    size_t k = static_cast<size_t>(window_ - filled_);
    if (k > n) k = n;
    if (fixed) {
      int16_t* h = hist_s_ + filled_;
      for (size_t i = 0; i < k; ++i) h[i] = static_cast<int16_t>(x[i]);
      if (dc) dc_s_.Process(h, h, k);
    } else {
      float* h = hist_f_ + filled_;
      for (size_t i = 0; i < k; ++i)
        h[i] = kIntIn ? static_cast<float>(x[i]) * (1.0f / 32768.0f) : static_cast<float>(x[i]);
      if (dc) dc_f_.Process(h, h, k);
    }
    filled_ += static_cast<int>(k);
    x += k;
    n -= k;
    if (filled_ < window_) break;
    if (fixed) FrameS16(); else FrameF32();
    Emit();
    ++frames;
    if (hop_ < window_) {
      const int keep = window_ - hop_;
      if (fixed) {
        prev_s_ = hist_s_[hop_ - 1];
        memmove(hist_s_, hist_s_ + hop_, keep * sizeof(int16_t));
      } else {
        prev_f_ = hist_f_[hop_ - 1];
        memmove(hist_f_, hist_f_ + hop_, keep * sizeof(float));
      }
      filled_ = keep;
    } else {
      if (fixed) prev_s_ = hist_s_[window_ - 1]; else prev_f_ = hist_f_[window_ - 1];
      filled_ = 0;
      skip_ = static_cast<uint32_t>(hop_ - window_);
    }
  }
  return frames;
}

void FrontEnd::Emit() {
  head_ = head_ + 1 == rows_ ? 0 : head_ + 1;
  ++emitted_;
}

int FrontEnd::frames_ready(int back) const {
  const int stored = frames_stored();
  if (back < 0 || back >= stored) return 0;
  return stored - back < config_.frames ? stored - back : config_.frames;
}

int FrontEnd::WindowStart(int back, int* count) const {
  *count = frames_ready(back);
  int row = head_ - back - *count;
  while (row < 0) row += rows_;
  return row;
}

void FrontEnd::FrameF32() {
  const int n = config_.fft_size, bands = config_.mel_bands;
  float* b = fft_f_;
  float prev = prev_f_;
  for (int i = 0; i < window_; ++i) {
    const float x = hist_f_[i];
    b[i] = (x - pre_f_ * prev) * win_f_[i];
    prev = x;
  }
  for (int i = window_; i < n; ++i) b[i] = 0.0f;
  RealFftF32(b, n);
  PowerSpectrumF32(b, n, b);
  float* mel = work_f_;
  ApplyMelF32(bands, mel_start_, mel_count_, mel_w_f_, b, mel);
  for (int m = 0; m < bands; ++m) {
    const float e = mel[m];
    // NaN-safe: anything not above the floor (NaN included) becomes the floor.
    mel[m] = e > config_.log_floor ? LogF(e < 3.0e38f ? e : 3.0e38f) : floor_ln_f_;
  }
  const float* feat = mel;
  if (config_.feature == FeatureType::kMfcc) {
    DctF32(dct_f_, mel, bands, config_.num_mfcc, work_f_ + bands);
    feat = work_f_ + bands;
  }
  float* row = ring_f_ + static_cast<size_t>(head_) * features_;
  for (int f = 0; f < features_; ++f)
    row[f] = config_.normalize ? (feat[f] - mean_f_[f]) * inv_std_f_[f] : feat[f];
}

void FrontEnd::FrameS16() {
  const int n = config_.fft_size, bands = config_.mel_bands;
  int32_t* b = fft_s_;
  // The pre-emphasis state is the sample before the window.
  const uint32_t peak = WindowS16(hist_s_, window_, pre_s_, prev_s_, win_s_, b);
  int32_t* logmel = work_s_;
  if (peak == 0) {
    for (int m = 0; m < bands; ++m) logmel[m] = floor_ln_s_;
  } else {
    // Block floating point: scale the frame so that |x| < 2^FftInputBits(n).
    const int s = FftInputBits(n) - BitLength64(peak);
    if (s > 0) {
      for (int i = 0; i < window_; ++i) b[i] *= (1 << s);
    } else if (s < 0) {
      for (int i = 0; i < window_; ++i) b[i] = static_cast<int32_t>(RoundShift(b[i], -s));
    }
    for (int i = window_; i < n; ++i) b[i] = 0;
    RealFftS32(b, n);
    const int shift = MelEnergiesS32(bands, mel_start_, mel_count_, mel_w_s_, b, n, mel_acc_);
    // The FFT returns X / n: mel = acc * 2^(shift - 15 - 60 - 2 s + 2 log2 n) * band
    // scale (see docs/audio_frontend.md).
    int log2n = 0;
    while ((1 << log2n) < n) ++log2n;
    const int32_t exponent_q16 = (shift - 75 - 2 * s + 2 * log2n) * 65536;
    for (int m = 0; m < bands; ++m) {
      int32_t v = floor_ln_s_;
      if (mel_acc_[m] != 0) {
        const int64_t l2 = static_cast<int64_t>(Log2Q16(mel_acc_[m])) + exponent_q16;
        const int64_t ln = ((l2 * kLn2Q30 + (int64_t{1} << 29)) >> 30) + mel_ln_scale_[m];
        if (ln > v) v = static_cast<int32_t>(ln);
      }
      logmel[m] = v;
    }
  }
  const int32_t* feat = logmel;
  if (config_.feature == FeatureType::kMfcc) {
    DctQ16(dct_s_, logmel, bands, config_.num_mfcc, work_s_ + bands);
    feat = work_s_ + bands;
  }
  int16_t* row = ring_s_ + static_cast<size_t>(head_) * features_;
  const int down = 16 - config_.fixed_frac_bits;
  for (int f = 0; f < features_; ++f) {
    int64_t v = feat[f];
    if (config_.normalize)
      v = ((v - mean_s_[f]) * static_cast<int64_t>(inv_std_s_[f]) + (1 << 15)) >> 16;
    row[f] = SaturateS16(RoundShift(v, down));
  }
}

void FrontEnd::CopyFrames(float* out, int back) const {
  int count = 0;
  int row = WindowStart(back, &count);
  const float scale = 1.0f / static_cast<float>(1 << config_.fixed_frac_bits);
  for (int t = 0; t < count; ++t) {
    const size_t off = static_cast<size_t>(row) * features_;
    for (int f = 0; f < features_; ++f)
      out[t * features_ + f] =
          path_ == FrontEndPath::kFloat ? ring_f_[off + f] : ring_s_[off + f] * scale;
    row = row + 1 == rows_ ? 0 : row + 1;
  }
}

void FrontEnd::CopyFrames(int16_t* out, int back) const {
  int count = 0;
  int row = WindowStart(back, &count);
  const float scale = static_cast<float>(1 << config_.fixed_frac_bits);
  for (int t = 0; t < count; ++t) {
    const size_t off = static_cast<size_t>(row) * features_;
    for (int f = 0; f < features_; ++f) {
      if (path_ == FrontEndPath::kFixed) {
        out[t * features_ + f] = ring_s_[off + f];
      } else {
        const float v = ring_f_[off + f] * scale;
        const float r = v >= 0 ? v + 0.5f : v - 0.5f;
        out[t * features_ + f] = r >= 32767.0f ? 32767 : r <= -32768.0f ? -32768
                                                       : static_cast<int16_t>(r);
      }
    }
    row = row + 1 == rows_ ? 0 : row + 1;
  }
}

void FrontEnd::CopyFramesS8(int8_t* out, float scale, int32_t zero_point, int back) const {
  int count = 0;
  int row = WindowStart(back, &count);
  // Fixed path: value * m with m = 1 / (scale * 2^frac) = mult * 2^-shift, mult in [2^30, 2^31).
  double m = 1.0 / (static_cast<double>(scale) * static_cast<double>(1 << config_.fixed_frac_bits));
  int shift = 30;
  while (m >= 2.0 && shift > 0) { m *= 0.5; --shift; }
  while (m < 1.0 && shift < 62) { m *= 2.0; ++shift; }
  const int64_t mult = static_cast<int64_t>(m * 1073741824.0 + 0.5);
  const float inv = 1.0f / scale;
  for (int t = 0; t < count; ++t) {
    const size_t off = static_cast<size_t>(row) * features_;
    for (int f = 0; f < features_; ++f) {
      int64_t q;
      if (path_ == FrontEndPath::kFixed) {
        q = RoundShift(static_cast<int64_t>(ring_s_[off + f]) * mult, shift) + zero_point;
      } else {
        const float v = ring_f_[off + f] * inv;
        const float c = v > 1e6f ? 1e6f : v < -1e6f ? -1e6f : v;
        q = static_cast<int64_t>(c >= 0 ? c + 0.5f : c - 0.5f) + zero_point;
      }
      out[t * features_ + f] = static_cast<int8_t>(q > 127 ? 127 : q < -128 ? -128 : q);
    }
    row = row + 1 == rows_ ? 0 : row + 1;
  }
}

}  // namespace mote::micro::dsp
