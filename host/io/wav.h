// Audio files on the host (libsndfile): read WAV / FLAC / AIFF / OGG ... into
// mono float or int16 at the file's rate, write 16-bit PCM WAV.
//
// Contract: every read either returns the whole file's audio or an error that
// names the file and what was wrong: not an audio file, no frames, truncated
// (the header promises more frames than the file holds), NaN/Inf samples in a
// float file, more channels than allowed. Several channels are averaged into
// one (Downmix::kAverage, the default) or refused (Downmix::kError). Samples at
// or beyond full scale are counted in Audio::clipped (float files with values
// beyond [-1, 1] are clamped). Float samples are in [-1, 1]; int16 samples map
// to float as s / 32768. Writing rounds to nearest, clamps to [-32768, 32767]
// and counts the clamped samples; no dither, so the bytes are deterministic.
//
//   std::string err;
//   auto a = ReadAudio("kw.wav", &err);               // a->rate, a->samples (float)
//   if (!a) { std::cerr << err << "\n"; }
//   auto x16 = Resample(a->samples, a->rate, 16000);  // to the model's rate
//   WriteWav16("out.wav", x16.data(), x16.size(), 16000, &err);
#ifndef MOTE_HOST_IO_WAV_H_
#define MOTE_HOST_IO_WAV_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mote::host {

enum class Downmix { kAverage, kError };

struct ReadAudioOptions {
  Downmix downmix = Downmix::kAverage;
};

struct Audio {
  int rate = 0;                // samples per second
  std::vector<float> samples;  // mono, [-1, 1]
  int source_channels = 1;     // channels in the file before the downmix
  int64_t clipped = 0;         // samples at or beyond full scale
  bool source_is_float = false;
};

struct AudioInt16 {
  int rate = 0;
  std::vector<int16_t> samples;  // mono
  int source_channels = 1;
  int64_t clipped = 0;
};

std::optional<Audio> ReadAudio(const std::string& path, std::string* err,
                               const ReadAudioOptions& options = {});
// int16 files are returned as stored (mono) or averaged with rounding (stereo);
// other encodings are converted like WriteWav16 does.
std::optional<AudioInt16> ReadAudioInt16(const std::string& path, std::string* err,
                                         const ReadAudioOptions& options = {});

// Float [-1, 1] -> int16: x * 32768 rounded to nearest (ties to even), clamped
// to [-32768, 32767]; `clipped` (optional) gets the number of clamped samples.
// NaN becomes 0 and counts as clipped.
std::vector<int16_t> FloatToInt16(const float* x, size_t n, int64_t* clipped = nullptr);

// REQUIRES: rate in [1, 1'000'000]. Writes a mono 16-bit PCM WAV.
bool WriteWav16(const std::string& path, const int16_t* x, size_t n, int rate, std::string* err);
bool WriteWav16(const std::string& path, const float* x, size_t n, int rate, std::string* err,
                int64_t* clipped = nullptr);

// A mono 16-bit WAV written in pieces (long recordings that do not fit in memory).
class WavWriter16 {
 public:
  WavWriter16() = default;
  ~WavWriter16();
  WavWriter16(const WavWriter16&) = delete;
  WavWriter16& operator=(const WavWriter16&) = delete;
  bool Open(const std::string& path, int rate, std::string* err);
  bool Append(const int16_t* x, size_t n, std::string* err);
  bool Close(std::string* err);
  int64_t frames() const { return frames_; }

 private:
  void* file_ = nullptr;  // SNDFILE*
  std::string path_;
  int64_t frames_ = 0;
};

}  // namespace mote::host

#endif  // MOTE_HOST_IO_WAV_H_
