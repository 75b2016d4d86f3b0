#include "host/data/synth_audio.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "host/io/resample.h"
#include "host/io/subprocess.h"
#include "host/io/wav.h"

namespace mote::data {
namespace {

const char* const kAccents[] = {"en-us",          "en",         "en-gb-scotland",
                                "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
                                "en-029",         "en-us-nyc"};
const char* const kVariants[] = {"m1",    "m2",      "m3",       "m4",    "m5",     "m6",
                                 "m7",    "m8",      "f1",       "f2",    "f3",     "f4",
                                 "f5",    "croak",   "whisper",  "whisperf", "klatt", "klatt2",
                                 "klatt3", "grandma", "grandpa", "steph", "travis", "victor"};
// AllSpeakers(true) adds these espeak-ng variants as train-only speakers: more
// distinct timbres to learn from, while the val and test speakers stay those
// of the two lists above. The robotic and effect variants (robosoft*,
// UniRobot, Demonic, Tweaky, fast) are left out.
const char* const kMoreTrainVariants[] = {
    "Alex",   "Alicia", "Andrea",   "Andy",    "Annie",      "AnxiousAndy", "Denis",  "Diogo",
    "Gene",   "Gene2",  "Henrique", "Hugo",    "Jacky",      "Lee",         "Marco",  "Mario",
    "Michael", "Mike",  "Nguyen",   "RicishayMax", "Storm",  "adam",        "anika",  "announcer",
    "antonio", "aunty", "belinda",  "benjamin", "boris",     "caleb",       "david",  "ed",
    "edward", "edward2", "gustave", "iven",    "iven2",      "iven3",       "iven4",  "john",
    "kaukovalta", "klatt4", "linda", "max",    "michel",     "miguel",      "norbert", "pablo",
    "paul",   "pedro",  "quincy",   "rob",     "robert",     "sandro",      "shelby", "steph2",
    "steph3", "zac"};

bool Fail(std::string* err, const std::string& what) {
  if (err) *err = what;
  return false;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

// [begin, end) of the part louder than -40 dB below the loudest 10 ms frame.
std::pair<size_t, size_t> VoicedBounds(const std::vector<float>& x, int rate) {
  const size_t frame = static_cast<size_t>(std::max(1, rate / 100));
  const size_t frames = x.size() / frame;
  if (frames == 0) return {0, x.size()};
  std::vector<double> e(frames);
  double peak = 0;
  for (size_t f = 0; f < frames; ++f) {
    e[f] = Rms(&x[f * frame], frame);
    peak = std::max(peak, e[f]);
  }
  const double threshold = std::max(peak * 0.01, 1e-5);
  size_t first = frames, last = 0;
  for (size_t f = 0; f < frames; ++f)
    if (e[f] > threshold) {
      first = std::min(first, f);
      last = f;
    }
  if (first == frames) return {0, 0};
  const size_t begin = first > 0 ? (first - 1) * frame : 0;
  const size_t end = std::min(x.size(), (last + 2) * frame);
  return {begin, end};
}

const std::vector<std::string> kNouns = {
    "garden", "house",  "window", "river",   "table",  "morning", "weather", "music",
    "light",  "paper",  "kitchen", "market", "coffee", "letter",  "doctor",  "mountain",
    "city",   "street", "teacher", "engine", "flower", "station", "picture", "island",
    "bridge", "summer", "winter",  "airport", "camera", "bottle", "pocket",  "village"};
const std::vector<std::string> kAdjectives = {
    "small", "old",   "green",  "quiet", "bright", "heavy", "yellow", "happy", "cold",
    "warm",  "empty", "little", "strange", "lovely", "busy", "broken", "gentle", "dark"};
const std::vector<std::string> kVerbs = {
    "opens",  "waits", "stands", "looks",  "moves",  "sleeps", "turns", "shines",
    "breaks", "falls", "grows",  "sings",  "rests",  "plays",  "calls", "changes"};
const std::vector<std::string> kPrepositions = {"in",     "on",    "near",   "under", "over",
                                                "with",   "from",  "behind", "above", "across",
                                                "beside", "along", "inside", "past"};

template <typename T>
const T& Pick(train::Rng& rng, const std::vector<T>& v) {
  return v[static_cast<size_t>(rng.Below(v.size()))];
}

bool ParseFloats(const std::string& bytes, std::vector<float>* out) {
  if (bytes.size() % sizeof(float) != 0) return false;
  out->resize(bytes.size() / sizeof(float));
  if (!out->empty()) std::memcpy(out->data(), bytes.data(), bytes.size());
  for (float v : *out)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

const char* SplitName(Split s) {
  switch (s) {
    case Split::kTrain: return "train";
    case Split::kVal: return "val";
    case Split::kTest: return "test";
  }
  return "?";
}

const char* NoiseName(NoiseKind k) {
  switch (k) {
    case NoiseKind::kWhite: return "white";
    case NoiseKind::kPink: return "pink";
    case NoiseKind::kBrown: return "brown";
    case NoiseKind::kBabble: return "babble";
    case NoiseKind::kCount: break;
  }
  return "?";
}

std::vector<Speaker> AllSpeakers(bool more_voices) {
  std::vector<Speaker> out;
  const int na = static_cast<int>(std::size(kAccents)), nv = static_cast<int>(std::size(kVariants));
  for (int a = 0; a < na; ++a)
    for (int v = 0; v < nv; ++v) {
      const int h = (a + 3 * v) % 10;
      out.push_back({kAccents[a], kVariants[v],
                     h == 0 ? Split::kTest : h == 1 ? Split::kVal : Split::kTrain});
    }
  if (more_voices)
    for (int a = 0; a < na; ++a)
      for (const char* v : kMoreTrainVariants) out.push_back({kAccents[a], v, Split::kTrain});
  return out;
}

std::vector<Speaker> FilterSpeakers(const std::vector<Speaker>& all, const std::string& list,
                                    std::string* err) {
  if (list.empty()) return all;
  std::vector<std::string> names;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) names.push_back(item);
  std::vector<Speaker> out;
  for (const auto& name : names) {
    bool known = false;
    for (const auto& s : all)
      if (s.accent == name || s.Id() == name) known = true;
    if (!known) {
      Fail(err, "--voices: '" + name + "' is neither an accent nor a speaker id (see --list-voices)");
      return {};
    }
  }
  for (const auto& s : all)
    for (const auto& name : names)
      if (s.accent == name || s.Id() == name) {
        out.push_back(s);
        break;
      }
  return out;
}

bool CheckTools(std::string* err) {
  for (const char* tool : {"espeak-ng", "sox"}) {
    if (host::FindProgram(tool).empty())
      return Fail(err, std::string(tool) + " not found in PATH (install it: apt-get install " + tool +
                           ")");
    host::ProcessResult r;
    std::string e;
    if (!host::RunProcess({tool, "--version"}, &r, &e) || r.exit_code != 0)
      return Fail(err, std::string(tool) + " does not run: " + (e.empty() ? r.err : e));
  }
  return true;
}

std::string ToolVersions() {
  std::string out;
  for (const char* tool : {"espeak-ng", "sox"}) {
    host::ProcessResult r;
    std::string e;
    std::string v = "unknown";
    if (host::RunProcess({tool, "--version"}, &r, &e) && r.exit_code == 0) {
      v = r.out + r.err;
      // "eSpeak NG text-to-speech: 1.51  Data at: ..." / "sox:      SoX v14.4.2"
      const size_t nl = v.find('\n');
      if (nl != std::string::npos) v = v.substr(0, nl);
      const size_t data = v.find("  Data at");
      if (data != std::string::npos) v = v.substr(0, data);
      std::string tidy;  // one space between words
      for (char c : v)
        if (c != ' ' || (!tidy.empty() && tidy.back() != ' ')) tidy += c;
      while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
      v = tidy;
    }
    if (!out.empty()) out += "; ";
    out += v;
  }
  return out;
}

std::string SpeechParams::Describe() const {
  std::string s = "pitch=" + std::to_string(pitch) + ";speed=" + std::to_string(speed) +
                  ";tempo=" + Fixed(tempo, 3) + ";cents=" + std::to_string(cents);
  if (word_gap) s += ";gap=" + std::to_string(word_gap);
  if (reverb) s += ";reverb=" + std::to_string(reverb) + "/" + std::to_string(room);
  return s;
}

SpeechParams RandomSpeechParams(train::Rng& rng, double max_seconds) {
  SpeechParams p;
  p.pitch = 20 + static_cast<int>(rng.Below(61));
  p.speed = 120 + static_cast<int>(rng.Below(91));
  p.word_gap = static_cast<int>(rng.Below(4));
  p.tempo = rng.Uniform(0.85f, 1.2f);
  p.cents = rng.Uniform01() < 0.7 ? static_cast<int>(rng.Below(501)) - 250 : 0;
  if (rng.Uniform01() < 0.4) {
    p.reverb = 10 + static_cast<int>(rng.Below(51));
    p.room = 10 + static_cast<int>(rng.Below(71));
  }
  p.max_seconds = max_seconds;
  return p;
}

std::optional<std::vector<float>> SynthesizeSpeech(const std::string& text, const Speaker& who,
                                                   const SpeechParams& p,
                                                   const std::string& tmp_prefix, std::string* err) {
  const std::string wav = tmp_prefix + "espeak.wav";
  host::ProcessResult r;
  std::string e;
  // "--" would be read as text by espeak-ng; the text never starts with '-'.
  if (text.empty() || text[0] == '-') {
    Fail(err, "speech text must not be empty or start with '-'");
    return std::nullopt;
  }
  if (!host::RunProcess({"espeak-ng", "-v", who.Id(), "-p", std::to_string(p.pitch), "-s",
                         std::to_string(p.speed), "-g", std::to_string(p.word_gap), "-w", wav, text},
                        &r, &e) ||
      r.exit_code != 0) {
    Fail(err, "espeak-ng -v " + who.Id() + " '" + text + "' failed: " + (e.empty() ? r.err : e));
    return std::nullopt;
  }
  auto raw = host::ReadAudio(wav, &e);
  if (!raw) {
    Fail(err, "espeak-ng output: " + e);
    return std::nullopt;
  }
  const auto [begin, end] = VoicedBounds(raw->samples, raw->rate);
  if (end <= begin) {
    Fail(err, "espeak-ng -v " + who.Id() + " '" + text + "' produced silence");
    return std::nullopt;
  }
  double tempo = p.tempo;
  const double seconds = static_cast<double>(end - begin) / raw->rate;
  if (p.max_seconds > 0 && seconds / tempo > 0.97 * p.max_seconds)
    tempo = seconds / (0.97 * p.max_seconds);
  std::vector<std::string> sox = {"sox",    "-R", "-D",   "-V1",  wav,  "-t", "raw", "-e",
                                  "floating-point", "-b", "32", "-c", "1", "-",
                                  "trim",   std::to_string(begin) + "s",
                                  "=" + std::to_string(end) + "s",
                                  "tempo",  "-s", Fixed(tempo, 4)};
  if (p.cents != 0) {
    sox.push_back("pitch");
    sox.push_back(std::to_string(p.cents));
  }
  if (p.reverb > 0) {
    for (const std::string& a : {std::string("reverb"), std::to_string(p.reverb), std::string("50"),
                                 std::to_string(p.room)})
      sox.push_back(a);
  }
  if (!host::RunProcess(sox, &r, &e) || r.exit_code != 0) {
    Fail(err, "sox (tempo/pitch/reverb) failed: " + (e.empty() ? r.err : e));
    return std::nullopt;
  }
  std::vector<float> shaped;
  if (!ParseFloats(r.out, &shaped) || shaped.empty()) {
    Fail(err, "sox returned " + std::to_string(r.out.size()) + " bytes that are not float audio");
    return std::nullopt;
  }
  std::vector<float> y = host::Resample(shaped, raw->rate, kSynthRate);
  const auto [b2, e2] = VoicedBounds(y, kSynthRate);
  if (e2 <= b2) {
    Fail(err, "speech for '" + text + "' vanished after sox");
    return std::nullopt;
  }
  y = std::vector<float>(y.begin() + static_cast<long>(b2), y.begin() + static_cast<long>(e2));
  if (p.max_seconds > 0) {
    const size_t max_n = static_cast<size_t>(p.max_seconds * kSynthRate);
    if (y.size() > max_n) {
      // A reverb tail can run past the limit: cut it with a 20 ms fade.
      y.resize(max_n);
      const size_t fade = std::min<size_t>(max_n, kSynthRate / 50);
      for (size_t i = 0; i < fade; ++i) y[max_n - 1 - i] *= static_cast<float>(i) / fade;
    }
  }
  return y;
}

std::optional<NoiseBank> MakeNoiseBank(const std::vector<Speaker>& babble_speakers, double seconds,
                                       uint64_t seed, const std::string& tmp_prefix,
                                       std::string* err) {
  NoiseBank bank;
  const size_t n = static_cast<size_t>(seconds * kSynthRate);
  const char* synth[] = {"whitenoise", "pinknoise", "brownnoise"};
  for (int k = 0; k < 3; ++k) {
    host::ProcessResult r;
    std::string e;
    // -R: sox's fixed random seed, so the bed is the same on every run.
    if (!host::RunProcess({"sox", "-R", "-D", "-V1", "-n", "-r", std::to_string(kSynthRate), "-c",
                           "1", "-t", "raw", "-e", "floating-point", "-b", "32", "-", "synth",
                           Fixed(seconds, 3), synth[k]},
                          &r, &e) ||
        r.exit_code != 0) {
      Fail(err, std::string("sox synth ") + synth[k] + " failed: " + (e.empty() ? r.err : e));
      return std::nullopt;
    }
    if (!ParseFloats(r.out, &bank.beds[k]) || bank.beds[k].size() < n / 2) {
      Fail(err, std::string("sox synth ") + synth[k] + " returned no usable audio");
      return std::nullopt;
    }
  }
  if (babble_speakers.empty()) {
    Fail(err, "babble needs at least one speaker");
    return std::nullopt;
  }
  // Babble: four overlapping talkers reading random sentences.
  std::vector<float>& babble = bank.beds[static_cast<int>(NoiseKind::kBabble)];
  babble.assign(n, 0.0f);
  for (int track = 0; track < 4; ++track) {
    train::Rng rng(MixSeed(seed, 0xBABB1E, static_cast<uint64_t>(track)));
    size_t cursor = static_cast<size_t>(rng.Below(kSynthRate));
    while (cursor < n) {
      const Speaker& who = Pick(rng, babble_speakers);
      const SpeechParams p = RandomSpeechParams(rng, 0);
      const std::string text = RandomSentence(rng);
      auto s = SynthesizeSpeech(text, who, p, tmp_prefix, err);
      if (!s) return std::nullopt;
      const float g = rng.Uniform(0.5f, 1.0f) / static_cast<float>(std::max(Rms(s->data(), s->size()), 1e-6));
      for (size_t i = 0; i < s->size() && cursor + i < n; ++i) babble[cursor + i] += g * (*s)[i];
      cursor += s->size() + static_cast<size_t>(rng.Below(kSynthRate / 3));
    }
  }
  for (auto& bed : bank.beds) {
    double mean = 0;
    for (float v : bed) mean += v;
    mean /= static_cast<double>(std::max<size_t>(bed.size(), 1));
    for (float& v : bed) v = static_cast<float>(v - mean);
    const double rms = Rms(bed.data(), bed.size());
    if (rms <= 0) {
      Fail(err, "a noise bed came out silent");
      return std::nullopt;
    }
    for (float& v : bed) v = static_cast<float>(v / rms);
  }
  return bank;
}

void AddNoise(const std::vector<float>& bed, size_t start, float gain, float* out, size_t n) {
  if (bed.empty()) return;
  size_t j = start % bed.size();
  for (size_t i = 0; i < n; ++i) {
    out[i] += gain * bed[j];
    if (++j == bed.size()) j = 0;
  }
}

double Rms(const float* x, size_t n) {
  if (n == 0) return 0;
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += static_cast<double>(x[i]) * x[i];
  return std::sqrt(s / static_cast<double>(n));
}

const std::vector<std::string>& DigitWords() {
  static const std::vector<std::string> w = {"zero", "one", "two",   "three", "four",
                                             "five", "six", "seven", "eight", "nine"};
  return w;
}

const std::vector<std::string>& UnknownWords() {
  // Speech-commands style words, other numbers and a few near misses of the
  // digits ("tree", "hero", "ten"); never a homophone of a digit. Closer
  // rhymes ("hate", "fine", "nice", "sick", "heaven") made the labels too
  // ambiguous for a small model (test accuracy 81 % with them).
  static const std::vector<std::string> w = {
      "yes",    "no",      "up",      "down",     "left",    "right",   "on",      "off",
      "stop",   "go",      "bed",     "bird",     "cat",     "dog",     "happy",   "house",
      "marvin", "sheila",  "tree",    "wow",      "hello",   "light",   "music",   "play",
      "open",   "close",   "water",   "table",    "window",  "morning", "garden",  "learn",
      "follow", "forward", "backward", "visual",  "ten",     "eleven",  "twelve",  "hundred",
      "thousand", "apple", "yellow",  "purple",   "orange",  "listen",  "computer", "turtle",
      "hero",   "zebra",   "wait",    "door",     "sun",     "rabbit",  "thing",   "sister",
      "river",  "paper",   "pocket",  "bottle",   "little",  "basket",  "monkey",  "coffee"};
  return w;
}

std::string RandomSentence(train::Rng& rng) {
  std::string s = "the " + Pick(rng, kAdjectives) + " " + Pick(rng, kNouns) + " " +
                  Pick(rng, kVerbs) + " " + Pick(rng, kPrepositions) + " the " + Pick(rng, kNouns);
  if (rng.Uniform01() < 0.5)
    s += ", and the " + Pick(rng, kNouns) + " " + Pick(rng, kVerbs) + " " + Pick(rng, kPrepositions) +
         " the " + Pick(rng, kAdjectives) + " " + Pick(rng, kNouns);
  return s;
}

uint64_t MixSeed(uint64_t seed, uint64_t a, uint64_t b) {
  uint64_t z = seed ^ 0x6a09e667f3bcc908ull;
  for (uint64_t v : {a, b}) {
    z += v + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
  }
  return z;
}

bool ParallelFor(size_t n, int jobs,
                 const std::function<bool(size_t, int, std::string*)>& work,
                 const char* progress_label, std::string* err) {
  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(std::max<size_t>(n, 1))));
  std::atomic<size_t> next{0}, done{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::string first_error;
  const auto t0 = std::chrono::steady_clock::now();
  auto last = t0;
  auto run = [&](int worker) {
    std::string e;
    for (size_t i; !failed && (i = next++) < n;) {
      if (!work(i, worker, &e)) {
        std::lock_guard<std::mutex> lock(mu);
        if (!failed.exchange(true)) first_error = e;
        return;
      }
      const size_t d = ++done;
      if (progress_label) {
        std::lock_guard<std::mutex> lock(mu);
        const auto now = std::chrono::steady_clock::now();
        if (d == n || now - last > std::chrono::milliseconds(500)) {
          last = now;
          const double s = std::chrono::duration<double>(now - t0).count();
          std::fprintf(stderr, "\r%s: %zu/%zu (%.1f/s)   ", progress_label, d, n,
                       s > 0 ? static_cast<double>(d) / s : 0.0);
          if (d == n) std::fputc('\n', stderr);
          std::fflush(stderr);
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < jobs; ++w) threads.emplace_back(run, w);
  run(0);
  for (auto& t : threads) t.join();
  if (failed) {
    if (progress_label) std::fputc('\n', stderr);
    return Fail(err, first_error);
  }
  return true;
}

ScratchDir::~ScratchDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool ScratchDir::Create(std::string* err) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/mote-synth-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return Fail(err, templ + ": cannot create a scratch directory");
  path_ = buf.data();
  return true;
}

}  // namespace mote::data
