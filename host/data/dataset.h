// Data sets for training: NumPy .npy and CSV loaders (every value checked,
// errors name the file and the place), .npy writer, and the seed's synthetic
// anomaly windows.
//
//   std::string err;
//   auto x = LoadNpy("windows.npy", &err);   // float32/float64/int8/uint8/int16/int32/int64, C order
//   if (!x) { std::cerr << err; }            // "windows.npy: dtype '<c8' is not supported ..."
//   auto d = SynthAnomaly(2000, 64, /*seed=*/1);   // d.x [2000,64,1], d.y [2000]
#ifndef MOTE_HOST_DATA_DATASET_H_
#define MOTE_HOST_DATA_DATASET_H_

#include <cstdint>
#include <optional>
#include <string>

#include "host/train/tensor.h"

namespace mote::data {

using train::Tensor;

// A .npy file (format 1.0/2.0/3.0) as float32. Accepted dtypes: f4, f8, i1, u1,
// i2, i4, i8 (little-endian or byte-size 1), C order; values must be finite.
std::optional<Tensor> LoadNpy(const std::string& path, std::string* err);
// Writes float32 ('<f4') or, with as_int32, int32 ('<i4', values rounded).
bool SaveNpy(const std::string& path, const Tensor& t, bool as_int32, std::string* err);

// A CSV file of numbers: one row per line, comma separated, the same number of
// columns on every line; a first line that is not numeric is a header.
// Returns [rows, cols].
std::optional<Tensor> LoadCsv(const std::string& path, std::string* err);

// Either format by extension (.npy / .csv).
std::optional<Tensor> LoadArray(const std::string& path, std::string* err);

struct Dataset {
  Tensor x;  // [n, length, 1]
  Tensor y;  // [n] labels 0 / 1
};
// The seed's generator: sin(2*pi*t/length) + N(0, 0.1) noise per sample; with
// probability 0.2 one random sample gets +U(2, 3) and the window label 1.
Dataset SynthAnomaly(int n, int length, uint64_t seed);

// Gives x the shape [N] + input_shape when each row holds exactly that many
// values (e.g. CSV rows of 64 for a [64, 1] input); else false and an error
// naming both shapes.
bool ShapeRows(Tensor* x, const train::Shape& input_shape, const std::string& what,
               std::string* err);

// Rows [begin, end) of a tensor.
Tensor Rows(const Tensor& t, size_t begin, size_t end);

}  // namespace mote::data

#endif  // MOTE_HOST_DATA_DATASET_H_
