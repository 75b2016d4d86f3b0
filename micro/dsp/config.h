// FrontEndConfig: every parameter of the audio / sensor front end in one POD,
// with a compact versioned binary form (56 bytes + 8 per normalised feature,
// CRC-32 protected) that travels in the model's manifest, so that training
// (host/dsp/features.h) and the device (micro/dsp/frontend.h) compute the same
// features. The maths is specified in docs/audio_frontend.md.
//
//   FrontEndConfig c = KwsConfig();             // 16 kHz, 30/20 ms, 512, 40 mel, 10 MFCC
//   uint8_t blob[kMaxConfigBytes];
//   size_t n = EncodeConfig(c, nullptr, blob, sizeof blob);      // 0 = too small
//   FrontEndConfig d; FeatureNorm norm;
//   if (DecodeConfig(blob, n, &d, &norm, &err) != Status::kOk) ...  // err names the field
#ifndef MOTE_MICRO_DSP_CONFIG_H_
#define MOTE_MICRO_DSP_CONFIG_H_

#include <stddef.h>
#include <stdint.h>

#include "micro/status.h"

namespace mote::micro::dsp {

enum class WindowType : uint8_t { kHann = 0, kHamming = 1, kRectangular = 2 };
enum class FeatureType : uint8_t { kLogMel = 0, kMfcc = 1 };
// Mel scale: HTK (2595 log10(1 + f/700)) or Slaney (linear below 1 kHz, log above).
enum class MelScale : uint8_t { kHtk = 0, kSlaney = 1 };
// Where the triangles are linear: in Hz between mel-spaced edges (librosa), or
// in mel (tf.signal.linear_to_mel_weight_matrix, which also drops the DC bin).
enum class MelTriangles : uint8_t { kHz = 0, kMel = 1 };
// Band weights: peak 1 (none) or area-normalised 2 / (f_hi - f_lo) (Slaney).
enum class MelNorm : uint8_t { kNone = 0, kSlaney = 1 };

constexpr int kMaxMelBands = 128;
constexpr int kMaxFeatures = kMaxMelBands;
constexpr int kMinFftSize = 32;
constexpr int kMaxFftSize = 1024;
constexpr uint8_t kConfigVersion = 1;
constexpr size_t kConfigHeaderBytes = 52;  // then 8 bytes per feature stat, then CRC-32
constexpr size_t kMaxConfigBytes = kConfigHeaderBytes + 8 * kMaxFeatures + 4;

struct FrontEndConfig {
  uint32_t sample_rate_hz = 16000;
  uint32_t window_us = 30000;  // window length; samples = round(us * rate / 1e6)
  uint32_t hop_us = 20000;     // hop between frame starts, same rounding
  uint16_t fft_size = 512;     // power of two, 32..1024, >= window samples
  uint16_t frames = 49;        // frames kept in the ring (the model's time axis)
  WindowType window = WindowType::kHann;  // periodic, as librosa / tf.signal
  FeatureType feature = FeatureType::kMfcc;
  MelScale mel_scale = MelScale::kHtk;
  MelTriangles mel_triangles = MelTriangles::kHz;
  MelNorm mel_norm = MelNorm::kNone;
  uint8_t mel_bands = 40;      // 1..128
  uint8_t num_mfcc = 10;       // kMfcc: 1..mel_bands; kLogMel: 0
  uint8_t normalize = 0;       // 1: (x - mean) / std per feature (FeatureNorm)
  uint8_t fixed_frac_bits = 8; // fixed path int16 output: value * 2^bits
  float fmin_hz = 20.0f;
  float fmax_hz = 4000.0f;     // <= rate / 2
  float log_floor = 1e-6f;     // ln(max(mel energy, floor)); > 0
  float preemphasis = 0.0f;    // y[n] = x[n] - a x[n-1]; 0 = off; [0, 1)
  float dc_alpha = 0.0f;       // DC blocker y = x - x1 + a y1; 0 = off; [0, 1)
};

// Per-feature statistics of the training set (used when normalize == 1).
struct FeatureNorm {
  uint16_t count = 0;  // == NumFeatures(config)
  float mean[kMaxFeatures] = {};
  float std[kMaxFeatures] = {};  // > 0
};

// The keyword-spotting front end (DS-CNN "KWS" input: 49 x 10 MFCC).
FrontEndConfig KwsConfig();

int WindowSamples(const FrontEndConfig& c);
int HopSamples(const FrontEndConfig& c);
int NumFeatures(const FrontEndConfig& c);  // num_mfcc or mel_bands
// Frames in a clip of n samples (0 if n < window): (n - window) / hop + 1.
int NumFrames(const FrontEndConfig& c, size_t n);

// Checks ranges and consistency; err names the field.
Status ValidateConfig(const FrontEndConfig& c, const FeatureNorm* norm, ErrorText* err);

// Bytes EncodeConfig writes for c (header + stats if c.normalize).
size_t EncodedConfigBytes(const FrontEndConfig& c);
// Writes the binary form; returns bytes written, 0 if invalid or out too small.
// REQUIRES: norm != nullptr when c.normalize.
size_t EncodeConfig(const FrontEndConfig& c, const FeatureNorm* norm, uint8_t* out, size_t cap);
// Parses and validates. norm may be null if the blob has no statistics.
Status DecodeConfig(const uint8_t* data, size_t size, FrontEndConfig* c, FeatureNorm* norm,
                    ErrorText* err);

}  // namespace mote::micro::dsp

#endif  // MOTE_MICRO_DSP_CONFIG_H_
