// synth-kws and synth-stream on tiny configurations: the files and labels
// expected, speaker-disjoint splits, byte-identical reruns (also with another
// --jobs), a different seed giving different audio, and a stream whose ground
// truth fits the recording. Skipped when espeak-ng or sox is missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "host/data/synth_audio.h"
#include "host/data/synth_kws.h"
#include "host/data/synth_stream.h"
#include "host/io/wav.h"

namespace mote::data {
namespace {

namespace fs = std::filesystem;

#define SKIP_WITHOUT_TOOLS()                                         \
  do {                                                               \
    std::string tools_err;                                           \
    if (!CheckTools(&tools_err)) GTEST_SKIP() << tools_err;          \
  } while (0)

std::string ReadAll(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Relative path -> bytes of every file under dir.
std::map<std::string, std::string> Tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = ReadAll(e.path());
  return out;
}

std::vector<std::vector<std::string>> Csv(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream f(p);
  for (std::string line; std::getline(f, line);) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

fs::path Fresh(const std::string& name) {
  const fs::path p = fs::path(::testing::TempDir()) / ("synth_test_" + name);
  fs::remove_all(p);
  return p;
}

TEST(SynthSpeakers, SplitsAreFixedAndCoverAbout10PercentEach) {
  const auto s = AllSpeakers();
  ASSERT_EQ(s.size(), 8u * 24u);
  int n[3] = {0, 0, 0};
  std::set<std::string> ids;
  for (const auto& sp : s) {
    ++n[static_cast<int>(sp.split)];
    ids.insert(sp.Id());
  }
  EXPECT_EQ(ids.size(), s.size());  // identities are unique
  EXPECT_GE(n[2], 15);
  EXPECT_LE(n[2], 25);
  EXPECT_GE(n[1], 15);
  EXPECT_LE(n[1], 25);
  std::string err;
  EXPECT_TRUE(FilterSpeakers(s, "en-us,en-gb-x-rp+m3", &err).size() == 25u) << err;
  EXPECT_TRUE(FilterSpeakers(s, "klingon", &err).empty());
  EXPECT_NE(err.find("'klingon'"), std::string::npos) << err;
}

TEST(SynthKws, SplitCounts) {
  int c[3];
  KwsSplitCounts(400, c);
  EXPECT_EQ(c[0] + c[1] + c[2], 400);
  EXPECT_EQ(c[1], 40);
  EXPECT_EQ(c[2], 40);
  KwsSplitCounts(2, c);
  EXPECT_EQ(c[0], 1);
  EXPECT_EQ(c[1], 0);
  EXPECT_EQ(c[2], 1);
}

TEST(SynthKws, TinyDatasetFilesLabelsSplitsAndDeterminism) {
  SKIP_WITHOUT_TOOLS();
  SynthKwsOptions o;
  o.per_class = 3;
  o.seed = 11;
  o.progress = false;
  o.out_dir = Fresh("a").string();
  SynthKwsSummary s;
  std::string err;
  ASSERT_TRUE(SynthKws(o, &s, &err)) << err;
  EXPECT_EQ(s.clips, 36);

  const auto rows = Csv(fs::path(o.out_dir) / "index.csv");
  ASSERT_EQ(rows.size(), 37u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"path", "label", "split", "speaker", "params"}));
  std::map<std::string, std::set<std::string>> speakers_of_split;
  std::map<std::string, int> per_label;
  std::map<std::string, Split> split_of;
  for (const auto& sp : AllSpeakers()) split_of[sp.Id()] = sp.split;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 5u) << i;
    const auto& r = rows[i];
    // path = <split>/<label>/<label>_....wav
    EXPECT_EQ(r[0].rfind(r[2] + "/" + r[1] + "/" + r[1] + "_", 0), 0u) << r[0];
    ++per_label[r[1]];
    if (r[1] != "_silence_") {
      ASSERT_TRUE(split_of.count(r[3])) << r[3];
      EXPECT_STREQ(SplitName(split_of[r[3]]), r[2].c_str()) << r[3];
      speakers_of_split[r[2]].insert(r[3]);
    }
    auto a = host::ReadAudioInt16((fs::path(o.out_dir) / r[0]).string(), &err);
    ASSERT_TRUE(a) << err;
    EXPECT_EQ(a->rate, 16000);
    EXPECT_EQ(a->source_channels, 1);
    EXPECT_EQ(a->samples.size(), 16000u);
    int peak = 0;
    for (int16_t v : a->samples) peak = std::max(peak, std::abs(static_cast<int>(v)));
    if (r[1] != "_silence_") EXPECT_GT(peak, 300) << r[0] << ": the word is missing";
  }
  EXPECT_EQ(per_label.size(), 12u);
  for (const auto& [label, n] : per_label) EXPECT_EQ(n, 3) << label;
  for (const auto& t : speakers_of_split["test"]) {
    EXPECT_EQ(speakers_of_split["train"].count(t), 0u) << t;
    EXPECT_EQ(speakers_of_split["val"].count(t), 0u) << t;
  }
  const auto summary = ReadAll(fs::path(o.out_dir) / "summary.json");
  EXPECT_NE(summary.find("\"per_class\": 3"), std::string::npos);

  // Same seed, other --jobs: the same bytes in every file.
  SynthKwsOptions o2 = o;
  o2.jobs = 1;
  o2.out_dir = Fresh("b").string();
  ASSERT_TRUE(SynthKws(o2, &s, &err)) << err;
  const auto ta = Tree(o.out_dir), tb = Tree(o2.out_dir);
  ASSERT_EQ(ta.size(), 38u);  // 36 clips, index.csv, summary.json
  EXPECT_TRUE(ta == tb) << "same seed gave different files";

  // Another seed: other audio.
  SynthKwsOptions o3 = o;
  o3.seed = 12;
  o3.out_dir = Fresh("c").string();
  ASSERT_TRUE(SynthKws(o3, &s, &err)) << err;
  EXPECT_NE(ReadAll(fs::path(o.out_dir) / "index.csv"), ReadAll(fs::path(o3.out_dir) / "index.csv"));
  std::set<std::string> wavs_a;
  for (const auto& [path, bytes] : ta)
    if (path.size() > 4 && path.substr(path.size() - 4) == ".wav") wavs_a.insert(bytes);
  int same_wavs = 0;
  for (const auto& [path, bytes] : Tree(o3.out_dir)) same_wavs += wavs_a.count(bytes) ? 1 : 0;
  EXPECT_EQ(same_wavs, 0);
}

TEST(SynthKws, NonEmptyDirectoryNeedsOverwrite) {
  SKIP_WITHOUT_TOOLS();
  const fs::path dir = Fresh("overwrite");
  fs::create_directories(dir / "train" / "seven");
  std::ofstream(dir / "train" / "seven" / "stale.wav") << "old";
  std::ofstream(dir / "keep.txt") << "mine";
  SynthKwsOptions o;
  o.out_dir = dir.string();
  o.per_class = 1;
  o.progress = false;
  SynthKwsSummary s;
  std::string err;
  EXPECT_FALSE(SynthKws(o, &s, &err));
  EXPECT_NE(err.find("not empty"), std::string::npos) << err;
  EXPECT_TRUE(fs::exists(dir / "train" / "seven" / "stale.wav"));
  o.overwrite = true;
  ASSERT_TRUE(SynthKws(o, &s, &err)) << err;
  EXPECT_FALSE(fs::exists(dir / "train" / "seven" / "stale.wav"));
  EXPECT_TRUE(fs::exists(dir / "keep.txt"));  // only the dataset's own files go
  int wavs = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) wavs += e.path().extension() == ".wav";
  EXPECT_EQ(wavs, 12);
}

TEST(SynthKws, BadOptionsAreRefused) {
  SynthKwsOptions o;
  o.out_dir = Fresh("bad").string();
  o.per_class = 0;
  SynthKwsSummary s;
  std::string err;
  EXPECT_FALSE(SynthKws(o, &s, &err));
  EXPECT_NE(err.find("--per-class 0"), std::string::npos) << err;
  SKIP_WITHOUT_TOOLS();
  o.per_class = 10;
  o.voices = "en-us+m2";  // a train speaker only: no test speaker left
  EXPECT_FALSE(SynthKws(o, &s, &err));
  EXPECT_NE(err.find("selects no"), std::string::npos) << err;
}

TEST(SynthStream, GroundTruthFitsTheRecording) {
  SKIP_WITHOUT_TOOLS();
  SynthStreamOptions o;
  o.minutes = 0.25;  // 15 s
  o.keywords = 3;
  o.seed = 5;
  o.progress = false;
  const fs::path dir = Fresh("stream");
  fs::create_directories(dir);
  o.out_wav = (dir / "s.wav").string();
  SynthStreamSummary s;
  std::string err;
  ASSERT_TRUE(SynthStream(o, &s, &err)) << err;
  auto a = host::ReadAudioInt16(o.out_wav, &err);
  ASSERT_TRUE(a) << err;
  ASSERT_EQ(a->samples.size(), 15u * 16000u);
  EXPECT_EQ(a->rate, 16000);
  const auto rows = Csv(dir / "s.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"keyword", "start_s", "end_s", "speaker"}));
  std::set<std::string> digits(DigitWords().begin(), DigitWords().end());
  std::map<std::string, Split> split_of;
  for (const auto& sp : AllSpeakers()) split_of[sp.Id()] = sp.split;
  double prev_end = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 4u);
    EXPECT_TRUE(digits.count(rows[i][0])) << rows[i][0];
    const double b = std::stod(rows[i][1]), e = std::stod(rows[i][2]);
    EXPECT_GT(e - b, 0.1);
    EXPECT_LE(e - b, 0.9 + 1e-4);
    EXPECT_GE(b, prev_end);
    EXPECT_LE(e, 15.0);
    // Each keyword sits in its own 5 s segment, 0.5 s from the edges.
    EXPECT_GE(b, 5.0 * (i - 1) + 0.5 - 1e-4);
    EXPECT_LE(e, 5.0 * i - 0.5 + 1e-4);
    prev_end = e;
    ASSERT_TRUE(split_of.count(rows[i][3])) << rows[i][3];
    EXPECT_EQ(split_of[rows[i][3]], Split::kTest) << rows[i][3];
    // The keyword is audible: louder than the quietest keyword level (-30 dBFS) minus margin.
    const size_t from = static_cast<size_t>(b * 16000), to = static_cast<size_t>(e * 16000);
    double sum = 0;
    for (size_t k = from; k < to; ++k) sum += double(a->samples[k]) * a->samples[k];
    EXPECT_GT(std::sqrt(sum / double(to - from)) / 32768.0, DbToGain(-40)) << i;
  }
  const auto js = ReadAll(dir / "s.json");
  EXPECT_NE(js.find("\"keywords\": 3"), std::string::npos) << js;
  // Same seed, same bytes.
  SynthStreamOptions o2 = o;
  o2.out_wav = (dir / "t.wav").string();
  o2.jobs = 1;
  ASSERT_TRUE(SynthStream(o2, &s, &err)) << err;
  EXPECT_EQ(ReadAll(dir / "s.wav"), ReadAll(dir / "t.wav"));
  EXPECT_EQ(ReadAll(dir / "s.csv"), ReadAll(dir / "t.csv"));
}

TEST(SynthStream, TooManyKeywordsForTheLengthIsRefused) {
  SynthStreamOptions o;
  o.out_wav = (fs::path(::testing::TempDir()) / "never.wav").string();
  o.minutes = 1;
  o.keywords = 30;  // 2 s each
  SynthStreamSummary s;
  std::string err;
  EXPECT_FALSE(SynthStream(o, &s, &err));
  EXPECT_NE(err.find("at least 3 s"), std::string::npos) << err;
}

}  // namespace
}  // namespace mote::data
