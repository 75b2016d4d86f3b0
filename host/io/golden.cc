#include "host/io/golden.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "host/io/loaded_model.h"
#include "host/plan/timing.h"

namespace mote::host {

namespace fs = std::filesystem;

int64_t FirstMismatch(micro::DType type, const uint8_t* got, const uint8_t* expect,
                      size_t bytes) {
  if (type == micro::DType::kFloat32) {
    for (size_t i = 0; i < bytes / 4; ++i) {
      float a, b;
      std::memcpy(&a, got + 4 * i, 4);
      std::memcpy(&b, expect + 4 * i, 4);
      if (!(std::fabs(a - b) <= 1e-5f + 1e-4f * std::fabs(b))) return static_cast<int64_t>(i);
    }
    return -1;
  }
  const size_t elem = std::max<size_t>(1, micro::DTypeSize(type));
  for (size_t i = 0; i < bytes; ++i)
    if (got[i] != expect[i]) return static_cast<int64_t>(i / elem);
  return -1;
}

std::vector<std::string> GoldenNames(const std::string& shared) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(shared) / "golden", ec))
    if (fs::exists(e.path() / "manifest.json")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

GoldenResult RunGolden(const std::string& shared, const std::string& name, int bench_runs) {
  GoldenResult r;
  r.name = name;
  const fs::path dir = fs::path(shared) / "golden" / name;
  std::ifstream mf(dir / "manifest.json");
  nlohmann::json manifest = nlohmann::json::parse(mf, nullptr, false);
  if (manifest.is_discarded()) {
    r.error = (dir / "manifest.json").string() + ": not valid JSON";
    return r;
  }
  r.tflm_supported = manifest.value("tflm_supported", true);
  r.tflm_arena_bytes = manifest.value("tflm_arena_used_bytes", 0);
  r.tflm_median_us = manifest.value("tflm_invoke_median_us", 0.0);
  r.ops = manifest.value("num_operators", 0);
  const std::string model_path =
      (fs::path(shared) / "models" / manifest.value("model_file", name + ".tflite")).string();
  std::string err;
  auto m = LoadedModel::Open(model_path, &err);
  if (!m) {
    r.error = err;
    return r;
  }
  micro::Interpreter& in = m->interpreter();
  r.arena_bytes = in.arena_used_bytes();
  r.ops = static_cast<int>(in.num_nodes());
  for (int k = 0;; ++k) {
    const fs::path ip = dir / ("input_" + std::to_string(k) + ".bin");
    const fs::path op = dir / ("output_" + std::to_string(k) + ".bin");
    if (!fs::exists(ip) || !fs::exists(op)) break;
    ++r.cases;
    auto input = ReadFile(ip.string(), &err);
    auto expect = ReadFile(op.string(), &err);
    micro::Tensor& ti = *in.input(0);
    micro::Tensor& to = *in.output(0);
    if (!input || !expect || input->size() != ti.bytes || expect->size() != to.bytes) {
      if (r.first_failure.empty()) r.first_failure = ip.string() + ": size does not match the model";
      continue;
    }
    std::memcpy(ti.data, input->data(), ti.bytes);
    in.Invoke();
    const int64_t bad = FirstMismatch(to.type, to.data, expect->data(), to.bytes);
    if (bad < 0) {
      ++r.cases_equal;
    } else if (r.first_failure.empty()) {
      r.first_failure = "output_" + std::to_string(k) + ".bin differs at element " +
                        std::to_string(bad);
    }
  }
  if (bench_runs > 0 && r.cases > 0) {
    const auto us = TimeInvokes(in, bench_runs, 3);
    r.median_us = us[us.size() / 2];
  }
  return r;
}

}  // namespace mote::host
