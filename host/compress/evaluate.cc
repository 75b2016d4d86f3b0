#include "host/compress/evaluate.h"

#include <cstring>

#include "host/compress/ptq.h"
#include "host/io/loaded_model.h"

namespace mote::compress {

std::optional<Int8Run> RunInt8(const std::vector<uint8_t>& tflite, const train::Tensor& x,
                               std::string* err) {
  auto m = host::LoadedModel::FromBytes(tflite.data(), tflite.size(), err, 1u << 20);
  if (!m) return std::nullopt;
  micro::Interpreter& in = m->interpreter();
  micro::Tensor* it = in.input(0);
  const micro::Tensor* ot = in.output(0);
  if (in.inputs_size() != 1 || in.outputs_size() != 1 || it->type != micro::DType::kInt8 ||
      ot->type != micro::DType::kInt8) {
    *err = "expected a model with one int8 input and one int8 output";
    return std::nullopt;
  }
  const size_t per = x.per_item();
  if (static_cast<size_t>(it->elements()) != per) {
    *err = "model input has " + std::to_string(it->elements()) + " elements, data rows have " +
           std::to_string(per);
    return std::nullopt;
  }
  const QuantParams iq{it->scale, it->zero_point};
  const size_t n = x.shape.empty() ? 0 : x.shape[0];
  const size_t out_n = ot->elements();
  Int8Run r;
  r.arena_bytes = in.arena_used_bytes();
  r.inputs.resize(n * per);
  r.outputs.resize(n * out_n);
  r.dequantized.Reset({static_cast<int>(n), static_cast<int>(out_n)});
  for (size_t i = 0; i < n; ++i) {
    int8_t* q = r.inputs.data() + i * per;
    for (size_t k = 0; k < per; ++k) q[k] = QuantizeValue(x.data[i * per + k], iq);
    std::memcpy(it->data, q, per);
    if (in.Invoke() != micro::Status::kOk) {
      *err = in.error();
      return std::nullopt;
    }
    const int8_t* o = reinterpret_cast<const int8_t*>(ot->data);
    for (size_t k = 0; k < out_n; ++k) {
      r.outputs[i * out_n + k] = o[k];
      r.dequantized.data[i * out_n + k] = ot->scale * static_cast<float>(o[k] - ot->zero_point);
    }
  }
  return r;
}

}  // namespace mote::compress
