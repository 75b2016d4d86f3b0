// Runs an int8 .tflite over a float data set with mote's device runtime:
// inputs quantized with the model's input parameters (as TFLite's QUANTIZE),
// raw int8 outputs and their dequantized values returned.
//
//   auto r = RunInt8(tflite_bytes, x_test, &err);   // r->outputs[i * out + k]
#ifndef MOTE_HOST_COMPRESS_EVALUATE_H_
#define MOTE_HOST_COMPRESS_EVALUATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/train/tensor.h"

namespace mote::compress {

struct Int8Run {
  std::vector<int8_t> inputs;   // quantized inputs, row after row
  std::vector<int8_t> outputs;  // raw outputs, row after row
  train::Tensor dequantized;    // [N] + output shape without batch
  size_t arena_bytes = 0;
};

// REQUIRES: the model has one int8 input of x.per_item() elements and one
// int8 output.
std::optional<Int8Run> RunInt8(const std::vector<uint8_t>& tflite, const train::Tensor& x,
                               std::string* err);

}  // namespace mote::compress

#endif  // MOTE_HOST_COMPRESS_EVALUATE_H_
