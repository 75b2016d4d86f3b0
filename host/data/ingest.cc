#include "host/data/ingest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "host/data/dataset.h"

namespace mote::data {
namespace {

struct ScanContext {
  const std::string* name;
  std::vector<LoggedWindow>* out;
  size_t* non_finite;
};

void OnRecord(const micro::LogRecordView& v, size_t offset, void* user) {
  auto* c = static_cast<ScanContext*>(user);
  LoggedWindow w;
  w.timestamp_ms = v.timestamp_ms;
  w.device_id = v.device_id;
  w.model_version = v.model_version;
  w.decision = v.decision;
  w.confidence = v.confidence_q16 / 65535.0;
  w.sample_type = v.sample_type;
  for (size_t i = 0; i < v.context_count; ++i) w.context.emplace_back(v.context[i].key, v.context[i].value);
  w.window.resize(v.sample_count);
  for (size_t i = 0; i < v.sample_count; ++i) {
    switch (v.sample_type) {
      case micro::SampleType::kInt8:
        w.window[i] = static_cast<int8_t>(v.sample_bytes[i]);
        break;
      case micro::SampleType::kInt16: {
        int16_t x;
        std::memcpy(&x, v.sample_bytes + 2 * i, 2);
        w.window[i] = x;
        break;
      }
      case micro::SampleType::kFloat32: {
        float x;
        std::memcpy(&x, v.sample_bytes + 4 * i, 4);
        if (!std::isfinite(x)) {
          ++*c->non_finite;
          return;
        }
        w.window[i] = x;
        break;
      }
    }
  }
  w.source = *c->name;
  w.offset = offset;
  c->out->push_back(std::move(w));
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

}  // namespace

std::string SiblingPath(const std::string& npy_path, const std::string& suffix) {
  const std::string ext = ".npy";
  std::string stem = npy_path;
  if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), ext.size(), ext) == 0)
    stem.resize(stem.size() - ext.size());
  return stem + suffix;
}

void Ingest::AddBytes(const std::string& name, const std::vector<uint8_t>& bytes) {
  ++stats_.files;
  stats_.bytes += bytes.size();
  ScanContext c{&name, &windows_, &stats_.non_finite};
  micro::LogScanStats st;
  micro::ScanLog(bytes.data(), bytes.size(), OnRecord, &c, &st);
  stats_.records += st.records;
  for (size_t i = 0; i < micro::kLogDefectCount; ++i) stats_.defects[i] += st.defects[i];
  stats_.skipped_bytes += st.skipped_bytes;
}

bool Ingest::AddFile(const std::string& path, std::string* err) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *err = path + ": cannot open";
    return false;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) {
    *err = path + ": read error";
    return false;
  }
  AddBytes(path, bytes);
  return true;
}

size_t Ingest::CommonLength() const {
  std::map<size_t, size_t> count;
  for (const auto& w : windows_) ++count[w.window.size()];
  size_t best = 0, best_n = 0;
  for (const auto& [len, n] : count)
    if (n > best_n) best = len, best_n = n;  // ascending: ties keep the shorter
  return best;
}

bool Ingest::Write(const std::string& path, size_t length, std::string* err) {
  if (length == 0) length = CommonLength();
  std::vector<const LoggedWindow*> rows;
  for (const auto& w : windows_)
    if (w.window.size() == length && length > 0) rows.push_back(&w);
  stats_.other_length = windows_.size() - rows.size();
  if (rows.empty()) {
    *err = path + ": no intact record has a window of " + std::to_string(length) + " samples (" +
           std::to_string(windows_.size()) + " intact records)";
    return false;
  }
  const int n = static_cast<int>(rows.size());
  Tensor x({n, static_cast<int>(length), 1}), y({n});
  for (int i = 0; i < n; ++i) {
    std::copy(rows[i]->window.begin(), rows[i]->window.end(), x.data.begin() + i * length);
    y.data[i] = static_cast<float>(rows[i]->decision);
  }
  if (!SaveNpy(path, x, false, err) || !SaveNpy(SiblingPath(path, "_labels.npy"), y, true, err))
    return false;
  const std::string meta = SiblingPath(path, "_meta.csv");
  std::ofstream f(meta);
  f << "row,timestamp_ms,device_id,model_version,decision,confidence,sample_type,context,source,"
       "offset\n";
  static const char* const kTypes[] = {"int8", "int16", "float32"};
  for (int i = 0; i < n; ++i) {
    const LoggedWindow& w = *rows[i];
    std::string ctx;
    for (const auto& [k, v] : w.context)
      ctx += (ctx.empty() ? "" : ";") + std::to_string(k) + "=" + std::to_string(v);
    char conf[32];
    std::snprintf(conf, sizeof(conf), "%.6f", w.confidence);
    f << i << ',' << w.timestamp_ms << ',' << w.device_id << ',' << w.model_version << ','
      << w.decision << ',' << conf << ',' << kTypes[static_cast<int>(w.sample_type)] << ','
      << ctx << ',' << CsvField(w.source) << ',' << w.offset << '\n';
  }
  if (!f) {
    *err = meta + ": cannot write";
    return false;
  }
  return true;
}

std::vector<DeviceSummary> Ingest::Summaries() const {
  struct Acc {
    DeviceSummary s;
    double sum = 0, sum_sq = 0, conf = 0;
    size_t samples = 0, positive = 0;
    std::set<uint32_t> versions;
  };
  std::map<uint32_t, Acc> by_device;
  for (const auto& w : windows_) {
    Acc& a = by_device[w.device_id];
    if (a.s.count == 0 || w.timestamp_ms < a.s.first_ms) a.s.first_ms = w.timestamp_ms;
    if (a.s.count == 0 || w.timestamp_ms > a.s.last_ms) a.s.last_ms = w.timestamp_ms;
    ++a.s.count;
    for (float v : w.window) {
      a.sum += v;
      a.sum_sq += static_cast<double>(v) * v;
    }
    a.samples += w.window.size();
    a.positive += w.decision != 0;
    a.conf += w.confidence;
    a.versions.insert(w.model_version);
  }
  std::vector<DeviceSummary> out;
  for (auto& [id, a] : by_device) {
    a.s.device_id = id;
    if (a.samples > 0) {
      a.s.mean = a.sum / a.samples;
      a.s.std = std::sqrt(std::max(0.0, a.sum_sq / a.samples - a.s.mean * a.s.mean));
    }
    a.s.decision_rate = static_cast<double>(a.positive) / a.s.count;
    a.s.mean_confidence = a.conf / a.s.count;
    a.s.model_versions.assign(a.versions.begin(), a.versions.end());
    out.push_back(a.s);
  }
  return out;
}

}  // namespace mote::data
