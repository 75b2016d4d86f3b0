// Field log ingestion: turns the logs devices record (micro/safety/
// field_log.h; UART captures or flash dumps, docs/field_log.md) into a data
// set the trainer reads, and summarises each device for drift checks.
//
// Every file is scanned whole: corrupt, torn or truncated records and
// garbage are skipped and counted per reason, never fatal. Intact records
// become rows: the window's raw values as float (int8 / int16 values as they
// were recorded, not dequantized), the model's decision as the label, and
// the rest (time, device, model version, confidence, context) as metadata.
//
//   Ingest ingest;
//   std::string err;
//   if (!ingest.AddFile("dev7.log", &err)) ...;      // I/O errors only
//   ingest.stats().defects[...];                      // per reason
//   if (!ingest.Write("field.npy", /*length=*/0, &err)) ...;
//   // field.npy [n, length, 1] float32, field_labels.npy int32 [n],
//   // field_meta.csv (one line per row)
//   for (const DeviceSummary& d : ingest.Summaries()) ...
#ifndef MOTE_HOST_DATA_INGEST_H_
#define MOTE_HOST_DATA_INGEST_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "micro/safety/field_log.h"

namespace mote::data {

struct LoggedWindow {
  uint64_t timestamp_ms = 0;
  uint32_t device_id = 0;
  uint32_t model_version = 0;
  int decision = 0;
  double confidence = 0;  // confidence_q16 / 65535
  micro::SampleType sample_type = micro::SampleType::kInt8;
  std::vector<std::pair<int, int>> context;  // (key, value)
  std::vector<float> window;
  std::string source;  // file
  size_t offset = 0;   // byte offset of the record in it
};

struct IngestStats {
  size_t files = 0;
  size_t bytes = 0;
  size_t records = 0;  // intact records read
  std::array<size_t, micro::kLogDefectCount> defects{};  // by micro::LogDefect
  size_t skipped_bytes = 0;
  size_t non_finite = 0;     // intact float records holding NaN / Inf: not used
  size_t other_length = 0;   // intact records whose window length differs (Write)
};

struct DeviceSummary {
  uint32_t device_id = 0;
  size_t count = 0;
  double mean = 0, std = 0;  // over every sample of every window
  double decision_rate = 0;  // share of records with decision != 0
  double mean_confidence = 0;
  uint64_t first_ms = 0, last_ms = 0;
  std::vector<uint32_t> model_versions;  // distinct, ascending
};

class Ingest {
 public:
  // Reads and scans one file. False (and *err naming the file) only when it
  // cannot be read; corruption inside is counted in stats().
  bool AddFile(const std::string& path, std::string* err);
  // The same for bytes already in memory, `name` used as the source.
  void AddBytes(const std::string& name, const std::vector<uint8_t>& bytes);

  const IngestStats& stats() const { return stats_; }
  const std::vector<LoggedWindow>& windows() const { return windows_; }

  // The window length Write() uses when given 0: the most common one (the
  // shortest of equally common ones); 0 when there are no windows.
  size_t CommonLength() const;

  // Writes `path` (.npy float32 [n, length, 1]), <stem>_labels.npy (int32
  // [n], the decisions) and <stem>_meta.csv. Windows of another length are
  // left out and counted in stats().other_length. False when no window has
  // the length or a file cannot be written.
  bool Write(const std::string& path, size_t length, std::string* err);

  // One entry per device id, ascending.
  std::vector<DeviceSummary> Summaries() const;

 private:
  IngestStats stats_;
  std::vector<LoggedWindow> windows_;
};

// "<stem>_labels.npy" / "<stem>_meta.csv" for a data set path "<stem>.npy".
std::string SiblingPath(const std::string& npy_path, const std::string& suffix);

}  // namespace mote::data

#endif  // MOTE_HOST_DATA_INGEST_H_
