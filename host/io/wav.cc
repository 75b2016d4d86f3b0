#include "host/io/wav.h"

#include <sndfile.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

namespace mote::host {
namespace {

constexpr int64_t kMaxFrames = int64_t{1} << 31;  // ~12 h at 48 kHz, 8 GB as float
constexpr int kMaxChannels = 64;
// A sample at or beyond this magnitude counts as clipped (int16 full scale).
constexpr double kFullScale = 32767.0 / 32768.0;

struct SndCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndPtr = std::unique_ptr<SNDFILE, SndCloser>;

bool Fail(std::string* err, const std::string& what) {
  if (err) *err = what;
  return false;
}

bool IsFloatSubformat(int format) {
  const int sub = format & SF_FORMAT_SUBMASK;
  return sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
}

// libsndfile shortens the frame count of a WAV whose data chunk runs past the
// end of the file and notes it in its log as "data : 32000 (should be 19956)".
// Sizes of 0 or near 2^31/2^32 are the placeholders of streamed WAVs, not truncation.
bool LooksTruncated(SNDFILE* f) {
  char log[8192] = {0};
  sf_command(f, SFC_GET_LOG_INFO, log, sizeof(log) - 1);
  for (const char* p = log; (p = std::strstr(p, "data : ")) != nullptr; p += 7) {
    const char* eol = std::strchr(p, '\n');
    const char* should = std::strstr(p, "(should be");
    if (!should || (eol && should > eol)) continue;
    const unsigned long long declared = std::strtoull(p + 7, nullptr, 10);
    if (declared != 0 && declared < 0x7F000000ull) return true;
  }
  return false;
}

// Opens and checks the header; fills info.
SndPtr OpenChecked(const std::string& path, SF_INFO* info, const ReadAudioOptions& o,
                   std::string* err) {
  std::memset(info, 0, sizeof(*info));
  SndPtr f(sf_open(path.c_str(), SFM_READ, info));
  if (!f) {
    Fail(err, path + ": not a readable audio file (" + sf_strerror(nullptr) + ")");
    return nullptr;
  }
  if (info->channels < 1 || info->channels > kMaxChannels) {
    Fail(err, path + ": " + std::to_string(info->channels) + " channels (expected 1 to " +
                  std::to_string(kMaxChannels) + ")");
    return nullptr;
  }
  if (info->channels > 1 && o.downmix == Downmix::kError) {
    Fail(err, path + ": " + std::to_string(info->channels) +
                  " channels, expected mono (or allow the downmix)");
    return nullptr;
  }
  if (info->samplerate < 1 || info->samplerate > 1000000) {
    Fail(err, path + ": sample rate " + std::to_string(info->samplerate) + " Hz is not plausible");
    return nullptr;
  }
  if (info->frames <= 0) {
    Fail(err, path + ": no audio frames (empty file)");
    return nullptr;
  }
  if (info->frames > kMaxFrames) {
    Fail(err, path + ": " + std::to_string(info->frames) + " frames is more than the limit of " +
                  std::to_string(kMaxFrames));
    return nullptr;
  }
  if (LooksTruncated(f.get())) {
    Fail(err, path + ": truncated (the header promises more audio than the file holds)");
    return nullptr;
  }
  return f;
}

}  // namespace

std::vector<int16_t> FloatToInt16(const float* x, size_t n, int64_t* clipped) {
  std::vector<int16_t> out(n);
  int64_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    if (!(v == v)) {  // NaN
      out[i] = 0;
      ++count;
      continue;
    }
    const double s = std::nearbyint(static_cast<double>(v) * 32768.0);
    if (s > 32767.0) {
      out[i] = 32767;
      ++count;
    } else if (s < -32768.0) {
      out[i] = -32768;
      ++count;
    } else {
      out[i] = static_cast<int16_t>(s);
    }
  }
  if (clipped) *clipped = count;
  return out;
}

std::optional<Audio> ReadAudio(const std::string& path, std::string* err,
                               const ReadAudioOptions& options) {
  SF_INFO info;
  SndPtr f = OpenChecked(path, &info, options, err);
  if (!f) return std::nullopt;
  const int ch = info.channels;
  const bool is_float = IsFloatSubformat(info.format);
  // Float files: read the stored values (no normalisation needed, they are already
  // [-1, 1] by convention); integer files: libsndfile normalises to [-1, 1).
  std::vector<float> inter(static_cast<size_t>(info.frames) * ch);
  const sf_count_t got = sf_readf_float(f.get(), inter.data(), info.frames);
  if (got != info.frames) {
    Fail(err, path + ": truncated: the header promises " + std::to_string(info.frames) +
                  " frames, read " + std::to_string(got));
    return std::nullopt;
  }
  Audio a;
  a.rate = info.samplerate;
  a.source_channels = ch;
  a.source_is_float = is_float;
  a.samples.resize(static_cast<size_t>(info.frames));
  for (size_t i = 0; i < a.samples.size(); ++i) {
    double sum = 0;
    for (int c = 0; c < ch; ++c) {
      const float v = inter[i * ch + c];
      if (!std::isfinite(v)) {
        Fail(err, path + ": sample " + std::to_string(i) + " channel " + std::to_string(c) +
                      " is " + (std::isnan(v) ? "NaN" : "infinite") + " (bad float audio)");
        return std::nullopt;
      }
      sum += v;
    }
    double m = sum / ch;
    if (m >= kFullScale || m <= -kFullScale) ++a.clipped;
    if (m > 1.0 || m < -1.0) m = m > 0 ? 1.0 : -1.0;
    a.samples[i] = static_cast<float>(m);
  }
  return a;
}

std::optional<AudioInt16> ReadAudioInt16(const std::string& path, std::string* err,
                                         const ReadAudioOptions& options) {
  SF_INFO info;
  SndPtr f = OpenChecked(path, &info, options, err);
  if (!f) return std::nullopt;
  const int sub = info.format & SF_FORMAT_SUBMASK;
  const bool native16 = sub == SF_FORMAT_PCM_16 || sub == SF_FORMAT_PCM_S8 ||
                        sub == SF_FORMAT_PCM_U8;
  if (!native16) {
    // Through float: same checks (NaN, truncation), same rounding as the writer.
    f.reset();
    auto a = ReadAudio(path, err, options);
    if (!a) return std::nullopt;
    AudioInt16 r;
    r.rate = a->rate;
    r.source_channels = a->source_channels;
    int64_t clamped = 0;
    r.samples = FloatToInt16(a->samples.data(), a->samples.size(), &clamped);
    r.clipped = a->clipped + clamped;
    return r;
  }
  const int ch = info.channels;
  std::vector<int16_t> inter(static_cast<size_t>(info.frames) * ch);
  const sf_count_t got = sf_readf_short(f.get(), inter.data(), info.frames);
  if (got != info.frames) {
    Fail(err, path + ": truncated: the header promises " + std::to_string(info.frames) +
                  " frames, read " + std::to_string(got));
    return std::nullopt;
  }
  AudioInt16 r;
  r.rate = info.samplerate;
  r.source_channels = ch;
  r.samples.resize(static_cast<size_t>(info.frames));
  for (size_t i = 0; i < r.samples.size(); ++i) {
    int32_t sum = 0;
    for (int c = 0; c < ch; ++c) sum += inter[i * ch + c];
    // Average rounded to nearest, ties away from zero (integer only).
    const int32_t m = sum >= 0 ? (2 * sum + ch) / (2 * ch) : -((-2 * sum + ch) / (2 * ch));
    r.samples[i] = static_cast<int16_t>(m);
    if (m >= 32767 || m <= -32768) ++r.clipped;
  }
  return r;
}

bool WriteWav16(const std::string& path, const int16_t* x, size_t n, int rate, std::string* err) {
  WavWriter16 w;
  return w.Open(path, rate, err) && w.Append(x, n, err) && w.Close(err);
}

bool WriteWav16(const std::string& path, const float* x, size_t n, int rate, std::string* err,
                int64_t* clipped) {
  const std::vector<int16_t> s = FloatToInt16(x, n, clipped);
  return WriteWav16(path, s.data(), s.size(), rate, err);
}

WavWriter16::~WavWriter16() {
  if (file_) sf_close(static_cast<SNDFILE*>(file_));
}

bool WavWriter16::Open(const std::string& path, int rate, std::string* err) {
  if (file_) return Fail(err, path + ": writer already open");
  if (rate < 1 || rate > 1000000)
    return Fail(err, path + ": sample rate " + std::to_string(rate) + " Hz is not plausible");
  SF_INFO info;
  std::memset(&info, 0, sizeof(info));
  info.samplerate = rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) return Fail(err, path + ": cannot write (" + sf_strerror(nullptr) + ")");
  file_ = f;
  path_ = path;
  frames_ = 0;
  return true;
}

bool WavWriter16::Append(const int16_t* x, size_t n, std::string* err) {
  if (!file_) return Fail(err, "WavWriter16: not open");
  const sf_count_t put = sf_writef_short(static_cast<SNDFILE*>(file_), x, static_cast<sf_count_t>(n));
  if (put != static_cast<sf_count_t>(n))
    return Fail(err, path_ + ": write failed (" + sf_strerror(static_cast<SNDFILE*>(file_)) + ")");
  frames_ += put;
  return true;
}

bool WavWriter16::Close(std::string* err) {
  if (!file_) return Fail(err, "WavWriter16: not open");
  const int rc = sf_close(static_cast<SNDFILE*>(file_));
  file_ = nullptr;
  if (rc != 0) return Fail(err, path_ + ": close failed (" + sf_error_number(rc) + ")");
  return true;
}

}  // namespace mote::host
