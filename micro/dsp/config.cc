#include "micro/dsp/config.h"

#include "micro/dsp/dsp_math.h"
#include "micro/safety/crc32.h"

namespace mote::micro::dsp {
namespace {

constexpr uint8_t kMagic[4] = {'M', 'F', 'E', 'C'};

int UsToSamples(uint32_t us, uint32_t rate) {
  const uint64_t n = (static_cast<uint64_t>(us) * rate + 500000u) / 1000000u;
  return n > 1000000u ? 1000000 : static_cast<int>(n);
}

void Put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void Put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void PutF(uint8_t* p, float f) { Put32(p, BitsFromFloat(f)); }
uint16_t Get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t Get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
float GetF(const uint8_t* p) { return FloatFromBits(Get32(p)); }

bool InRange(float v, float lo, float hi) { return IsFiniteF(v) && v >= lo && v <= hi; }

}  // namespace

FrontEndConfig KwsConfig() { return FrontEndConfig{}; }

int WindowSamples(const FrontEndConfig& c) { return UsToSamples(c.window_us, c.sample_rate_hz); }
int HopSamples(const FrontEndConfig& c) { return UsToSamples(c.hop_us, c.sample_rate_hz); }
int NumFeatures(const FrontEndConfig& c) {
  return c.feature == FeatureType::kMfcc ? c.num_mfcc : c.mel_bands;
}
int NumFrames(const FrontEndConfig& c, size_t n) {
  const int w = WindowSamples(c), h = HopSamples(c);
  if (w <= 0 || h <= 0 || n < static_cast<size_t>(w)) return 0;
  return static_cast<int>((n - w) / h + 1);
}

Status ValidateConfig(const FrontEndConfig& c, const FeatureNorm* norm, ErrorText* err) {
  const Status bad = Status::kBadArgument;
  if (c.sample_rate_hz < 100 || c.sample_rate_hz > 384000)
    return Fail(err, bad, "front end: sample_rate_hz ", c.sample_rate_hz, " not in 100..384000");
  const int w = WindowSamples(c), h = HopSamples(c);
  if (w < 2 || w > kMaxFftSize)
    return Fail(err, bad, "front end: window of ", w, " samples not in 2..1024");
  if (h < 1 || h > 65535) return Fail(err, bad, "front end: hop of ", h, " samples not in 1..65535");
  const int n = c.fft_size;
  if (n < kMinFftSize || n > kMaxFftSize || (n & (n - 1)) != 0)
    return Fail(err, bad, "front end: fft_size ", n, " is not a power of two in 32..1024");
  if (n < w) return Fail(err, bad, "front end: fft_size ", n, " < window samples ", w);
  if (c.frames < 1 || c.frames > 4096)
    return Fail(err, bad, "front end: frames ", c.frames, " not in 1..4096");
  if (static_cast<uint8_t>(c.window) > 2) return Fail(err, bad, "front end: unknown window type");
  if (static_cast<uint8_t>(c.feature) > 1) return Fail(err, bad, "front end: unknown feature type");
  if (static_cast<uint8_t>(c.mel_scale) > 1) return Fail(err, bad, "front end: unknown mel scale");
  if (static_cast<uint8_t>(c.mel_triangles) > 1)
    return Fail(err, bad, "front end: unknown mel triangle kind");
  if (static_cast<uint8_t>(c.mel_norm) > 1) return Fail(err, bad, "front end: unknown mel norm");
  if (c.mel_bands < 1 || c.mel_bands > kMaxMelBands)
    return Fail(err, bad, "front end: mel_bands ", c.mel_bands, " not in 1..128");
  if (c.feature == FeatureType::kMfcc && (c.num_mfcc < 1 || c.num_mfcc > c.mel_bands))
    return Fail(err, bad, "front end: num_mfcc ", c.num_mfcc, " not in 1..mel_bands");
  if (c.feature == FeatureType::kLogMel && c.num_mfcc != 0)
    return Fail(err, bad, "front end: num_mfcc must be 0 for log-mel features");
  if (c.normalize > 1) return Fail(err, bad, "front end: normalize must be 0 or 1");
  if (c.fixed_frac_bits > 15) return Fail(err, bad, "front end: fixed_frac_bits > 15");
  const float nyquist = 0.5f * static_cast<float>(c.sample_rate_hz);
  if (!InRange(c.fmin_hz, 0.0f, nyquist)) return Fail(err, bad, "front end: fmin_hz out of range");
  if (!InRange(c.fmax_hz, 0.0f, nyquist) || !(c.fmax_hz > c.fmin_hz))
    return Fail(err, bad, "front end: fmax_hz must be in (fmin_hz, sample_rate / 2]");
  if (!InRange(c.log_floor, 1e-30f, 1e30f))
    return Fail(err, bad, "front end: log_floor must be positive and finite");
  if (!InRange(c.preemphasis, 0.0f, 0.999999f))
    return Fail(err, bad, "front end: preemphasis not in [0, 1)");
  if (!InRange(c.dc_alpha, 0.0f, 0.999999f))
    return Fail(err, bad, "front end: dc_alpha not in [0, 1)");
  if (c.normalize) {
    if (norm == nullptr) return Fail(err, bad, "front end: normalize is on but no statistics");
    if (norm->count != NumFeatures(c))
      return Fail(err, bad, "front end: ", norm->count, " feature statistics for ",
                  NumFeatures(c), " features");
    for (int i = 0; i < norm->count; ++i) {
      if (!InRange(norm->mean[i], -1e6f, 1e6f))
        return Fail(err, bad, "front end: mean of feature ", i, " is not finite");
      if (!InRange(norm->std[i], 1e-12f, 1e6f))
        return Fail(err, bad, "front end: std of feature ", i, " must be positive and finite");
    }
  }
  return Status::kOk;
}

size_t EncodedConfigBytes(const FrontEndConfig& c) {
  return kConfigHeaderBytes + (c.normalize ? 8u * NumFeatures(c) : 0u) + 4u;
}

size_t EncodeConfig(const FrontEndConfig& c, const FeatureNorm* norm, uint8_t* out, size_t cap) {
  if (ValidateConfig(c, norm, nullptr) != Status::kOk) return 0;
  const size_t total = EncodedConfigBytes(c);
  if (out == nullptr || cap < total) return 0;
  for (int i = 0; i < 4; ++i) out[i] = kMagic[i];
  out[4] = kConfigVersion;
  out[5] = static_cast<uint8_t>(c.feature);
  out[6] = static_cast<uint8_t>(c.window);
  out[7] = static_cast<uint8_t>(c.mel_scale);
  out[8] = static_cast<uint8_t>(c.mel_triangles);
  out[9] = static_cast<uint8_t>(c.mel_norm);
  out[10] = c.mel_bands;
  out[11] = c.num_mfcc;
  out[12] = c.normalize;
  out[13] = c.fixed_frac_bits;
  Put16(out + 14, c.fft_size);
  Put32(out + 16, c.sample_rate_hz);
  Put32(out + 20, c.window_us);
  Put32(out + 24, c.hop_us);
  Put16(out + 28, c.frames);
  const uint16_t count = c.normalize ? static_cast<uint16_t>(NumFeatures(c)) : 0;
  Put16(out + 30, count);
  PutF(out + 32, c.fmin_hz);
  PutF(out + 36, c.fmax_hz);
  PutF(out + 40, c.log_floor);
  PutF(out + 44, c.preemphasis);
  PutF(out + 48, c.dc_alpha);
  uint8_t* p = out + kConfigHeaderBytes;
  for (int i = 0; i < count; ++i, p += 8) {
    PutF(p, norm->mean[i]);
    PutF(p + 4, norm->std[i]);
  }
  Put32(p, Crc32(out, total - 4));
  return total;
}

Status DecodeConfig(const uint8_t* data, size_t size, FrontEndConfig* c, FeatureNorm* norm,
                    ErrorText* err) {
  const Status bad = Status::kBadRecord;
  if (data == nullptr || size < kConfigHeaderBytes + 4)
    return Fail(err, bad, "front end config: ", static_cast<int64_t>(size),
                " bytes, need at least 56");
  for (int i = 0; i < 4; ++i)
    if (data[i] != kMagic[i]) return Fail(err, bad, "front end config: bad magic (expected MFEC)");
  if (data[4] != kConfigVersion)
    return Fail(err, bad, "front end config: version ", data[4], " (this build reads 1)");
  const uint16_t count = Get16(data + 30);
  if (count > kMaxFeatures)
    return Fail(err, bad, "front end config: ", count, " feature statistics (max 128)");
  const size_t total = kConfigHeaderBytes + 8u * count + 4u;
  if (size != total)
    return Fail(err, bad, "front end config: size ", static_cast<int64_t>(size), ", header says ",
                static_cast<int64_t>(total));
  if (Crc32(data, total - 4) != Get32(data + total - 4))
    return Fail(err, bad, "front end config: CRC-32 mismatch (corrupt)");
  FrontEndConfig d;
  d.feature = static_cast<FeatureType>(data[5]);
  d.window = static_cast<WindowType>(data[6]);
  d.mel_scale = static_cast<MelScale>(data[7]);
  d.mel_triangles = static_cast<MelTriangles>(data[8]);
  d.mel_norm = static_cast<MelNorm>(data[9]);
  d.mel_bands = data[10];
  d.num_mfcc = data[11];
  d.normalize = data[12];
  d.fixed_frac_bits = data[13];
  d.fft_size = Get16(data + 14);
  d.sample_rate_hz = Get32(data + 16);
  d.window_us = Get32(data + 20);
  d.hop_us = Get32(data + 24);
  d.frames = Get16(data + 28);
  d.fmin_hz = GetF(data + 32);
  d.fmax_hz = GetF(data + 36);
  d.log_floor = GetF(data + 40);
  d.preemphasis = GetF(data + 44);
  d.dc_alpha = GetF(data + 48);
  if ((d.normalize != 0) != (count != 0))
    return Fail(err, bad, "front end config: normalize flag and statistics disagree");
  FeatureNorm local;
  FeatureNorm* n = norm != nullptr ? norm : &local;
  n->count = count;
  const uint8_t* p = data + kConfigHeaderBytes;
  for (int i = 0; i < count; ++i, p += 8) {
    n->mean[i] = GetF(p);
    n->std[i] = GetF(p + 4);
  }
  if (Status s = ValidateConfig(d, n, err); s != Status::kOk) return s == Status::kOk ? s : bad;
  *c = d;
  return Status::kOk;
}

}  // namespace mote::micro::dsp
