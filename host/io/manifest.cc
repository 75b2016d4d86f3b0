#include "host/io/manifest.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "micro/safety/crc32.h"

namespace mote::host {
namespace {

using nlohmann::json;
using micro::ManifestTag;

class Writer {
 public:
  void U16(uint16_t v) {
    b_.push_back(static_cast<uint8_t>(v));
    b_.push_back(static_cast<uint8_t>(v >> 8));
  }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) b_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void F32(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    U32(u);
  }
  void Bytes(const void* p, size_t n) {
    const auto* c = static_cast<const uint8_t*>(p);
    b_.insert(b_.end(), c, c + n);
  }
  void Pad() {
    while (b_.size() % 4 != 0) b_.push_back(0);
  }
  std::vector<uint8_t>& bytes() { return b_; }

 private:
  std::vector<uint8_t> b_;
};

void Field(Writer* out, ManifestTag tag, const std::vector<uint8_t>& value) {
  out->U16(static_cast<uint16_t>(tag));
  out->U16(0);
  out->U32(static_cast<uint32_t>(value.size()));
  out->Bytes(value.data(), value.size());
  out->Pad();
}

std::vector<uint8_t> SemVerBytes(const std::array<uint16_t, 3>& v) {
  Writer w;
  for (uint16_t x : v) w.U16(x);
  w.U16(0);
  return w.bytes();
}

std::vector<uint8_t> U32Bytes(uint32_t v) {
  Writer w;
  w.U32(v);
  return w.bytes();
}

std::vector<uint8_t> ArrayPair(const std::vector<float>& a, const std::vector<float>& b) {
  Writer w;
  w.U32(static_cast<uint32_t>(a.size()));
  for (float f : a) w.F32(f);
  for (float f : b) w.F32(f);
  return w.bytes();
}

bool AllFinite(const std::vector<float>& v) {
  for (float f : v)
    if (!std::isfinite(f)) return false;
  return true;
}

std::string Hex(const uint8_t* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 15];
  }
  return s;
}

bool FromHex(const std::string& s, std::vector<uint8_t>* out) {
  if (s.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = nib(s[i]), lo = nib(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return true;
}

// The double nearest to f's shortest decimal form, so JSON shows 0.7 rather
// than 0.699999988079071 and reading it back as float gives f again.
double ShortFloat(float f) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), f);
  *r.ptr = '\0';
  return std::strtod(buf, nullptr);
}

json FloatArray(const std::vector<float>& v) {
  json a = json::array();
  for (float f : v) a.push_back(ShortFloat(f));
  return a;
}

std::string VersionText(const std::array<uint16_t, 3>& v) {
  return std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]);
}

bool ParseFloatList(const std::string& text, std::vector<float>* out) {
  out->clear();
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    const float f = std::strtof(item.c_str(), &end);
    if (item.empty() || end != item.c_str() + item.size() || !std::isfinite(f)) return false;
    out->push_back(f);
  }
  return !out->empty();
}

bool ParseU32(const std::string& text, uint32_t* out) {
  if (text.empty() || text.size() > 10) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > 0xFFFFFFFFu) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

template <typename T>
bool Get(const json& j, const char* key, T* out, std::string* err) {
  try {
    *out = j.at(key).get<T>();
    return true;
  } catch (const json::exception&) {
    *err = std::string("manifest JSON: key \"") + key + "\" has the wrong type";
    return false;
  }
}

}  // namespace

bool ParseSemVer(const std::string& text, std::array<uint16_t, 3>* out) {
  std::stringstream ss(text);
  std::string part;
  int i = 0;
  std::array<uint16_t, 3> v{};
  while (std::getline(ss, part, '.')) {
    uint32_t x;
    if (i >= 3 || !ParseU32(part, &x) || x > 65535) return false;
    v[i++] = static_cast<uint16_t>(x);
  }
  if (i != 3 || text.back() == '.') return false;
  *out = v;
  return true;
}

std::optional<std::vector<uint8_t>> EncodeManifest(const ManifestData& m, std::string* err) {
  auto fail = [&](const std::string& what) {
    *err = "manifest: " + what;
    return std::nullopt;
  };
  if (m.name.empty() || m.name.size() > 255) return fail("name must be 1..255 bytes");
  if (m.scale.size() != m.offset.size())
    return fail("input scaling needs as many offsets (" + std::to_string(m.offset.size()) +
                ") as scales (" + std::to_string(m.scale.size()) + ")");
  if (m.mean.size() != m.variance.size())
    return fail("calibration needs as many variances as means");
  if (!AllFinite(m.scale) || !AllFinite(m.offset) || !AllFinite(m.mean) || !AllFinite(m.variance))
    return fail("input scaling and calibration values must be finite");
  for (float v : m.variance)
    if (v < 0.0f) return fail("calibration variance is negative");
  if (m.scale.size() > 1 && !m.mean.empty() && m.scale.size() != m.mean.size())
    return fail("input scaling and calibration have different feature counts");
  if (m.has_thresholds && (!std::isfinite(m.confidence_threshold) ||
                           !std::isfinite(m.hysteresis) || !std::isfinite(m.anomaly_threshold) ||
                           m.hysteresis < 0.0f))
    return fail("thresholds must be finite and hysteresis >= 0");
  Writer w;
  w.Bytes(micro::kManifestMagic, 4);
  w.U16(micro::kManifestFormat);
  w.U16(0);
  w.U32(0);  // total length, patched below
  Field(&w, ManifestTag::kName, std::vector<uint8_t>(m.name.begin(), m.name.end()));
  Field(&w, ManifestTag::kVersion, SemVerBytes(m.version));
  if (m.min_runtime) Field(&w, ManifestTag::kMinRuntime, SemVerBytes(*m.min_runtime));
  if (!m.labels.empty()) {
    Writer l;
    l.U32(static_cast<uint32_t>(m.labels.size()));
    for (const auto& s : m.labels) {
      if (s.size() > 65535) return fail("label longer than 65535 bytes");
      l.U16(static_cast<uint16_t>(s.size()));
      l.Bytes(s.data(), s.size());
    }
    Field(&w, ManifestTag::kLabels, l.bytes());
  }
  if (!m.scale.empty()) Field(&w, ManifestTag::kInputScaling, ArrayPair(m.scale, m.offset));
  if (m.has_thresholds) {
    Writer t;
    t.F32(m.confidence_threshold);
    t.F32(m.hysteresis);
    t.F32(m.anomaly_threshold);
    Field(&w, ManifestTag::kThresholds, t.bytes());
  }
  if (!m.mean.empty()) Field(&w, ManifestTag::kCalibration, ArrayPair(m.mean, m.variance));
  if (m.training_hash)
    Field(&w, ManifestTag::kTrainingHash,
          std::vector<uint8_t>(m.training_hash->begin(), m.training_hash->end()));
  if (m.arena_bytes) Field(&w, ManifestTag::kArenaBytes, U32Bytes(m.arena_bytes));
  if (m.cycle_budget) Field(&w, ManifestTag::kCycleBudget, U32Bytes(m.cycle_budget));
  if (m.warmup_windows) Field(&w, ManifestTag::kWarmupWindows, U32Bytes(m.warmup_windows));
  if (!m.front_end.empty()) Field(&w, ManifestTag::kFrontEnd, m.front_end);
  auto& b = w.bytes();
  const uint32_t total = static_cast<uint32_t>(b.size() + 4);
  if (total > micro::kManifestMaxBytes) return fail("record over 16 MiB");
  for (int i = 0; i < 4; ++i) b[8 + i] = static_cast<uint8_t>(total >> (8 * i));
  w.U32(micro::Crc32(b.data(), b.size()));
  return b;
}

std::optional<ManifestData> DecodeManifest(const uint8_t* data, size_t size, std::string* err) {
  micro::Manifest p;
  micro::ErrorText e;
  if (micro::ParseManifest(data, size, &p, &e) != micro::Status::kOk) {
    *err = e.c_str();
    return std::nullopt;
  }
  ManifestData m;
  m.name.assign(reinterpret_cast<const char*>(p.name.data), p.name.size);
  m.version = {p.version.major, p.version.minor, p.version.patch};
  if (p.has_min_runtime)
    m.min_runtime = std::array<uint16_t, 3>{p.min_runtime.major, p.min_runtime.minor,
                                            p.min_runtime.patch};
  for (uint32_t i = 0; i < p.num_labels; ++i) {
    const micro::ByteSpan s = p.Label(i);
    m.labels.emplace_back(reinterpret_cast<const char*>(s.data), s.size);
  }
  for (uint32_t i = 0; i < p.scale.count; ++i) {
    m.scale.push_back(p.scale[i]);
    m.offset.push_back(p.offset[i]);
  }
  m.has_thresholds = p.has_thresholds;
  m.confidence_threshold = p.confidence_threshold;
  m.hysteresis = p.hysteresis;
  m.anomaly_threshold = p.anomaly_threshold;
  for (uint32_t i = 0; i < p.mean.count; ++i) {
    m.mean.push_back(p.mean[i]);
    m.variance.push_back(p.variance[i]);
  }
  if (p.training_hash) {
    std::array<uint8_t, 32> h;
    std::memcpy(h.data(), p.training_hash, 32);
    m.training_hash = h;
  }
  m.arena_bytes = p.arena_bytes;
  m.cycle_budget = p.cycle_budget;
  m.warmup_windows = p.warmup_windows;
  m.front_end.assign(p.front_end.data, p.front_end.data + p.front_end.size);
  return m;
}

json ManifestToJson(const ManifestData& m) {
  json j;
  j["name"] = m.name;
  j["version"] = VersionText(m.version);
  if (m.min_runtime) j["min_runtime"] = VersionText(*m.min_runtime);
  j["labels"] = m.labels;
  j["input_scaling"] = {{"scale", FloatArray(m.scale)}, {"offset", FloatArray(m.offset)}};
  if (m.has_thresholds)
    j["thresholds"] = {{"confidence", ShortFloat(m.confidence_threshold)},
                       {"hysteresis", ShortFloat(m.hysteresis)},
                       {"anomaly", ShortFloat(m.anomaly_threshold)}};
  j["calibration"] = {{"mean", FloatArray(m.mean)}, {"variance", FloatArray(m.variance)}};
  if (m.training_hash) j["training_hash"] = Hex(m.training_hash->data(), 32);
  j["arena_bytes"] = m.arena_bytes;
  j["cycle_budget"] = m.cycle_budget;
  j["warmup_windows"] = m.warmup_windows;
  j["front_end"] = Hex(m.front_end.data(), m.front_end.size());
  return j;
}

bool ManifestFromJson(const json& j, ManifestData* m, std::string* err) {
  if (!j.is_object()) {
    *err = "manifest JSON: expected an object";
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (k == "name") {
      if (!Get(j, "name", &m->name, err)) return false;
    } else if (k == "version" || k == "min_runtime") {
      std::string s;
      std::array<uint16_t, 3> ver;
      if (!Get(j, k.c_str(), &s, err)) return false;
      if (!ParseSemVer(s, &ver)) {
        *err = "manifest JSON: \"" + k + "\" is \"" + s + "\", expected MAJOR.MINOR.PATCH";
        return false;
      }
      if (k == "version") m->version = ver;
      else m->min_runtime = ver;
    } else if (k == "labels") {
      if (!Get(j, "labels", &m->labels, err)) return false;
    } else if (k == "input_scaling" || k == "calibration") {
      const char* a = k == "input_scaling" ? "scale" : "mean";
      const char* b = k == "input_scaling" ? "offset" : "variance";
      std::vector<float> va, vb;
      if (!v.is_object() || (v.contains(a) && !Get(v, a, &va, err)) ||
          (v.contains(b) && !Get(v, b, &vb, err))) {
        if (err->empty()) *err = "manifest JSON: \"" + k + "\" must be an object";
        return false;
      }
      if (k == "input_scaling") m->scale = va, m->offset = vb;
      else m->mean = va, m->variance = vb;
    } else if (k == "thresholds") {
      if (!v.is_object() || !Get(v, "confidence", &m->confidence_threshold, err) ||
          !Get(v, "hysteresis", &m->hysteresis, err) ||
          !Get(v, "anomaly", &m->anomaly_threshold, err)) {
        if (err->empty()) *err = "manifest JSON: \"thresholds\" must be an object";
        return false;
      }
      m->has_thresholds = true;
    } else if (k == "training_hash" || k == "front_end") {
      std::string s;
      std::vector<uint8_t> bytes;
      if (!Get(j, k.c_str(), &s, err)) return false;
      if (!FromHex(s, &bytes) || (k == "training_hash" && bytes.size() != 32)) {
        *err = "manifest JSON: \"" + k + "\" must be hex" +
               (k == "training_hash" ? " of 32 bytes (64 digits)" : "");
        return false;
      }
      if (k == "front_end") {
        m->front_end = bytes;
      } else {
        std::array<uint8_t, 32> h;
        std::memcpy(h.data(), bytes.data(), 32);
        m->training_hash = h;
      }
    } else if (k == "arena_bytes" || k == "cycle_budget" || k == "warmup_windows") {
      uint32_t x;
      if (!Get(j, k.c_str(), &x, err)) return false;
      (k == "arena_bytes" ? m->arena_bytes : k == "cycle_budget" ? m->cycle_budget
                                                                 : m->warmup_windows) = x;
    } else {
      *err = "manifest JSON: unknown key \"" + k + "\"";
      return false;
    }
  }
  return true;
}

bool ApplyManifestSetting(const std::string& kv, ManifestData* m, std::string* err) {
  const size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) {
    *err = "\"" + kv + "\": expected key=value";
    return false;
  }
  const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
  auto bad = [&](const std::string& expected) {
    *err = "\"" + kv + "\": expected " + expected;
    return false;
  };
  std::vector<float> f;
  std::array<uint16_t, 3> ver;
  uint32_t u;
  if (k == "name") {
    if (v.empty() || v.size() > 255) return bad("a name of 1..255 bytes");
    m->name = v;
  } else if (k == "version" || k == "min_runtime") {
    if (!ParseSemVer(v, &ver)) return bad("MAJOR.MINOR.PATCH");
    if (k == "version") m->version = ver;
    else m->min_runtime = ver;
  } else if (k == "labels") {
    m->labels.clear();
    std::stringstream ss(v);
    std::string item;
    while (std::getline(ss, item, ',')) m->labels.push_back(item);
  } else if (k == "scale" || k == "offset" || k == "mean" || k == "variance") {
    if (!ParseFloatList(v, &f)) return bad("finite numbers separated by commas");
    (k == "scale" ? m->scale : k == "offset" ? m->offset : k == "mean" ? m->mean : m->variance) = f;
  } else if (k == "threshold" || k == "hysteresis" || k == "anomaly_threshold") {
    if (!ParseFloatList(v, &f) || f.size() != 1) return bad("one finite number");
    m->has_thresholds = true;
    (k == "threshold" ? m->confidence_threshold
                      : k == "hysteresis" ? m->hysteresis : m->anomaly_threshold) = f[0];
  } else if (k == "arena_bytes" || k == "cycle_budget" || k == "warmup_windows") {
    if (!ParseU32(v, &u)) return bad("an unsigned 32-bit integer");
    (k == "arena_bytes" ? m->arena_bytes : k == "cycle_budget" ? m->cycle_budget
                                                               : m->warmup_windows) = u;
  } else if (k == "training_hash" || k == "front_end") {
    json j = {{k, v}};
    return ManifestFromJson(j, m, err);
  } else {
    *err = "unknown manifest key \"" + k +
           "\" (known: name version min_runtime labels scale offset threshold hysteresis "
           "anomaly_threshold mean variance training_hash arena_bytes cycle_budget "
           "warmup_windows front_end)";
    return false;
  }
  return true;
}

std::string ManifestText(const ManifestData& m, const std::string& indent) {
  std::string s;
  auto line = [&](const char* key, const std::string& value) {
    char k[32];
    std::snprintf(k, sizeof(k), "%-15s", key);
    s += indent + k + value + "\n";
  };
  auto floats = [](const std::vector<float>& v) {
    std::string t;
    for (size_t i = 0; i < v.size() && i < 4; ++i) t += (i ? " " : "") + std::to_string(v[i]);
    if (v.size() > 4) t += " ... (" + std::to_string(v.size()) + " values)";
    return t;
  };
  line("name", m.name);
  line("version", VersionText(m.version));
  if (m.min_runtime) line("min runtime", VersionText(*m.min_runtime));
  std::string labels;
  for (size_t i = 0; i < m.labels.size(); ++i) labels += (i ? "," : "") + m.labels[i];
  if (!m.labels.empty()) line("labels", labels);
  if (!m.scale.empty()) line("input scale", floats(m.scale)), line("input offset", floats(m.offset));
  if (m.has_thresholds)
    line("thresholds", "confidence " + std::to_string(m.confidence_threshold) + ", hysteresis " +
                           std::to_string(m.hysteresis) + ", anomaly " +
                           std::to_string(m.anomaly_threshold));
  if (!m.mean.empty())
    line("calibration", std::to_string(m.mean.size()) + " features, mean " + floats(m.mean));
  if (m.training_hash) line("training hash", Hex(m.training_hash->data(), 32));
  if (m.arena_bytes) line("arena bytes", std::to_string(m.arena_bytes));
  if (m.cycle_budget) line("cycle budget", std::to_string(m.cycle_budget));
  if (m.warmup_windows) line("warm-up", std::to_string(m.warmup_windows) + " windows");
  if (!m.front_end.empty()) line("front end", std::to_string(m.front_end.size()) + " bytes");
  return s;
}

void CalibrationStats(const std::vector<float>& data, size_t features, std::vector<float>* mean,
                      std::vector<float>* variance) {
  mean->assign(features, 0.0f);
  variance->assign(features, 0.0f);
  if (features == 0) return;
  const size_t rows = data.size() / features;
  for (size_t f = 0; f < features; ++f) {
    double m = 0.0, m2 = 0.0;  // Welford, double precision on the host
    for (size_t r = 0; r < rows; ++r) {
      const double x = data[r * features + f];
      const double d = x - m;
      m += d / static_cast<double>(r + 1);
      m2 += d * (x - m);
    }
    (*mean)[f] = static_cast<float>(m);
    (*variance)[f] = rows > 0 ? static_cast<float>(m2 / static_cast<double>(rows)) : 0.0f;
  }
}

std::optional<ManifestData> ReadModelManifest(const uint8_t* model, size_t size,
                                              std::string* err) {
  err->clear();
  micro::Model m;
  micro::ErrorText e;
  const uint8_t* data = nullptr;
  uint32_t n = 0;
  if (m.Init(model, size, &e) != micro::Status::kOk ||
      m.FindMetadata(micro::kManifestMetadataName, &data, &n, &e) != micro::Status::kOk) {
    *err = e.c_str();
    return std::nullopt;
  }
  if (data == nullptr) return std::nullopt;
  return DecodeManifest(data, n, err);
}

}  // namespace mote::host
