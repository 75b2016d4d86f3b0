// Helpers for non-audio sensors (accelerometer, current, vibration), float
// and int16, streaming, caller-owned buffers:
//
//   MovingNormF32   running mean / variance with forgetting factor alpha:
//                     m += a (x - m);  v = (1 - a) (v + a (x - m_old)^2)
//                     y = (x - m) / sqrt(v + eps)   (m, v after the update)
//   SlidingWindow<T> frames of `length` samples x `channels` every `hop`
//                   samples (hop may exceed length: samples in between are
//                   dropped), oldest first, contiguous.
//   ClampSamples*   clamps to [lo, hi]; returns how many samples were at or
//                   beyond a rail (a saturated ADC) or NaN (float; set to 0).
//
//   int16_t buf[128 * 3];  SlidingWindow<int16_t> w;  w.Init(buf, 128, 64, 3);
//   if (w.Push(xyz)) model_input = w.data();         // every 64 samples
#ifndef MOTE_MICRO_DSP_TIMESERIES_H_
#define MOTE_MICRO_DSP_TIMESERIES_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace mote::micro::dsp {

// 1 / sqrt(x) for x > 0 (bit estimate + 3 Newton steps, ~1e-7 relative).
float InvSqrtF(float x);

class MovingNormF32 {
 public:
  // REQUIRES: 0 < alpha <= 1, eps > 0.
  void Init(float alpha, float eps = 1e-6f) {
    a_ = alpha; eps_ = eps; mean_ = 0.0f; var_ = 0.0f; started_ = false;
  }
  float Process(float x);
  float mean() const { return mean_; }
  float variance() const { return var_; }

 private:
  float a_ = 0.01f, eps_ = 1e-6f, mean_ = 0.0f, var_ = 0.0f;
  bool started_ = false;  // the first sample initialises the mean
};

template <typename T>
class SlidingWindow {
 public:
  // buf holds length * channels values. REQUIRES: length, hop, channels >= 1.
  void Init(T* buf, int length, int hop, int channels) {
    buf_ = buf; length_ = length; hop_ = hop; channels_ = channels; filled_ = 0; skip_ = 0;
  }
  // One multi-channel sample (channels values). True when data() holds a new window.
  bool Push(const T* sample) {
    if (skip_ > 0) { --skip_; return false; }
    if (filled_ == length_) {  // the previous window was handed out: advance
      if (hop_ < length_) {
        memmove(buf_, buf_ + hop_ * channels_, sizeof(T) * (length_ - hop_) * channels_);
        filled_ = length_ - hop_;
      } else {
        filled_ = 0;
        skip_ = hop_ - length_;
        if (skip_ > 0) { --skip_; return false; }
      }
    }
    memcpy(buf_ + filled_ * channels_, sample, sizeof(T) * channels_);
    return ++filled_ == length_;
  }
  const T* data() const { return buf_; }  // [length][channels], oldest first
  void Reset() { filled_ = 0; skip_ = 0; }

 private:
  T* buf_ = nullptr;
  int length_ = 0, hop_ = 1, channels_ = 1, filled_ = 0, skip_ = 0;
};

uint32_t ClampSamplesS16(int16_t* x, size_t n, int16_t lo, int16_t hi);
uint32_t ClampSamplesF32(float* x, size_t n, float lo, float hi);

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_TIMESERIES_H_
