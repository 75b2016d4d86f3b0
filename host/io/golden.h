// Golden checks: run a model on recorded input_K.bin files and compare with
// output_K.bin (int8/int16/int32: byte for byte; float32:
// |a-b| <= 1e-5 + 1e-4*|b|). Used by `mote golden` and by the tests.
//
//   GoldenResult r = RunGolden("../shared", "kws_dscnn_int8", /*bench_runs=*/20);
//   if (r.cases_equal != r.cases) ...
#ifndef MOTE_HOST_IO_GOLDEN_H_
#define MOTE_HOST_IO_GOLDEN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "micro/model/schema.h"

namespace mote::host {

// Index of the first element that differs, or -1 if all agree.
int64_t FirstMismatch(micro::DType type, const uint8_t* got, const uint8_t* expect,
                      size_t bytes);

struct GoldenResult {
  std::string name;
  std::string error;          // non-empty: the model was refused / failed to load
  int ops = 0;
  int cases = 0;
  int cases_equal = 0;
  std::string first_failure;  // description of the first mismatch
  size_t arena_bytes = 0;
  size_t tflm_arena_bytes = 0;  // from the manifest
  double median_us = 0;
  double tflm_median_us = 0;    // from the manifest (another machine)
  bool tflm_supported = true;
};

// `shared` holds models/ and golden/. Times `bench_runs` invokes (0 = none).
GoldenResult RunGolden(const std::string& shared, const std::string& name, int bench_runs);
// Names of golden/<name>/ folders that have a manifest.json, sorted.
std::vector<std::string> GoldenNames(const std::string& shared);

}  // namespace mote::host

#endif  // MOTE_HOST_IO_GOLDEN_H_
